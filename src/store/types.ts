/**
 * The store port: what the product surface (CLI, HTTP API, sweeps) keeps between runs.
 * `sqlite-store.ts` implements it on better-sqlite3 (WAL, migrations, one transaction per
 * write); `store-conformance.ts` is the suite every implementation passes.
 *
 * Keys: a scenario is keyed by its content hash (`core/hash.ts` `contentHash` of the parsed
 * scenario's canonical JSON); a result by (kind, scenario hash, seed, engine version), so the
 * same question asked of the same engine is found, reproduced or served from cache.
 * Timestamps are ISO 8601 UTC strings chosen by the caller (the store never reads a clock:
 * tests pin them).
 */

export interface StoredScenario {
  /** `fnv1a64:…` content hash of the canonical scenario JSON. */
  hash: string;
  name: string;
  /** Scenario schema version the canonical JSON conforms to. */
  schemaVersion: number;
  /** Canonical JSON (`core/hash.ts` `canonicalJson`) of the parsed scenario. */
  canonicalJson: string;
  /** The YAML text as the user wrote it (comments kept), when there was one. */
  sourceYaml: string | null;
  createdAt: string;
}

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** What a run computes. */
export type RunKind = 'simulate' | 'estimate' | 'sweep' | 'sweep-point';

export interface StoredRun {
  /** Opaque id chosen by the store (`run_` + 16 hex). */
  id: string;
  kind: RunKind;
  scenarioHash: string;
  seed: number;
  /** `aifactory@<version> catalog:<hash> calibration:<hash>`: a result is reused only on an equal engine. */
  engineVersion: string;
  status: RunStatus;
  /** 0..1, last reported. */
  progress: number;
  /** Result JSON text when done (byte-identical to what the engine produced). */
  resultJson: string | null;
  /** Error as JSON (`AifError.toJSON()` or `{ message }`) when failed. */
  errorJson: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A run without its result and error texts: what lists return (results can be megabytes). */
export type RunSummary = Omit<StoredRun, 'resultJson' | 'errorJson'>;

export interface NewRun {
  kind: RunKind;
  scenarioHash: string;
  seed: number;
  engineVersion: string;
  createdAt: string;
}

export interface StoredBenchRun {
  id: string;
  /** The bench report JSON (`aifactory bench --out`). */
  reportJson: string;
  /** The raw per-request event log (JSONL), possibly large. */
  rawLogJsonl: string | null;
  createdAt: string;
}

export interface StoredCalibration {
  id: string;
  /** Calibration file JSON (`perf/calibration-file.ts` format). */
  fileJson: string;
  /** Short provenance line (method, source, date). */
  provenance: string;
  createdAt: string;
}

export interface StoredClaimCheck {
  id: string;
  claimId: string;
  /** `claims validate --json` output. */
  resultJson: string;
  createdAt: string;
}

export interface ListOptions {
  /** Newest first; at most this many (default 100). */
  limit?: number;
}

export interface Store {
  /** Insert if absent (same hash ⇒ same row); returns the stored row. */
  putScenario(s: Omit<StoredScenario, 'createdAt'> & { createdAt: string }): StoredScenario;
  getScenario(hash: string): StoredScenario | undefined;
  listScenarios(opts?: ListOptions): StoredScenario[];

  /** A new queued run; throws E_INVALID_ARGUMENT when the scenario hash is unknown. */
  createRun(r: NewRun): StoredRun;
  getRun(id: string): StoredRun | undefined;
  /** Runs, newest first; `scenarioHash` and `kind` filter (both: runs matching both). */
  listRuns(opts?: ListOptions & { scenarioHash?: string; kind?: RunKind }): RunSummary[];
  /** The finished (`done`) run of this key, if any: the cache lookup. */
  findResult(
    kind: RunKind,
    scenarioHash: string,
    seed: number,
    engineVersion: string,
  ): StoredRun | undefined;
  /** Status/progress changes; `done` needs resultJson, `failed` needs errorJson. Throws on an unknown id or a change out of a final state. */
  updateRun(
    id: string,
    change: {
      status?: RunStatus;
      progress?: number;
      resultJson?: string;
      errorJson?: string;
      updatedAt: string;
    },
  ): StoredRun;

  putBenchRun(b: StoredBenchRun): StoredBenchRun;
  getBenchRun(id: string): StoredBenchRun | undefined;
  listBenchRuns(opts?: ListOptions): Omit<StoredBenchRun, 'rawLogJsonl' | 'reportJson'>[];

  putCalibration(c: StoredCalibration): StoredCalibration;
  getCalibration(id: string): StoredCalibration | undefined;
  listCalibrations(opts?: ListOptions): StoredCalibration[];

  putClaimCheck(c: StoredClaimCheck): StoredClaimCheck;
  listClaimChecks(opts?: ListOptions & { claimId?: string }): StoredClaimCheck[];

  /**
   * At start-up of the process that runs jobs: every run still `queued` or `running` was left by
   * a process that died, so it becomes `failed` with errorJson `{"code":"E_INTERRUPTED","message":
   * reason}` (nothing silently lost). Returns how many. Optional so that partial test doubles
   * compile; every real store has it (the conformance suite requires it).
   */
  failUnfinishedRuns?(nowIso: string, reason: string): number;

  /** Schema version of the database after migrations. */
  schemaVersion(): number;
  close(): void;
}
