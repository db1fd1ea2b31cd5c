/**
 * The job-kind registry: each kind names a handler that validates its payload (`parse`) and
 * computes its result (`run`). Executors look handlers up here by `job.kind` and never branch on
 * a kind's name. The registry is static (this module's `JOB_HANDLERS`), not registered at run
 * time: a worker thread or a queue worker loads this module on its own, so a kind added at run
 * time in the coordinating process would be unknown there.
 *
 * `runJobToJson` is the one place a result is serialised, so every executor (same thread,
 * worker threads, a queue) gives byte-identical result text for the same job.
 */
import { z } from 'zod';
import { estimateScenario } from '../app/estimate.js';
import { engineVersion, TOOL_VERSION } from '../app/engine-version.js';
import { simulateScenario } from '../app/simulate.js';
import { defaultCatalog, type Catalog } from '../catalog/catalog.js';
import { extendCatalog } from '../catalog/catalog-extension.js';
import { AifError, ERROR_CODES, isAifError } from '../core/errors.js';
import { zodIssueToErrorIssue } from '../core/zod-issues.js';
import type { CalibrationTable } from '../perf/calibration.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { layerCalibrationFiles, parseCalibrationFileJson } from '../perf/calibration-file.js';
import { parseScenarioObject, type Scenario } from '../scenario/index.js';
import type { JobProgress, JobSpec } from './types.js';

/** What a running handler may tell its executor. */
export interface JobContext {
  /** Share done in 0..1, with optional words; the executor forwards it (throttled). */
  reportProgress(fraction: number, message?: string): void;
}

/**
 * One job kind. `parse` turns the JSON-safe payload into the handler's input (every input
 * problem surfaces here, before any work); `run` is a pure function of that input.
 */
export interface JobHandler<P> {
  readonly kind: string;
  /** @throws AifError (E_INVALID_ARGUMENT naming the payload field, or the embedded document's own code). */
  parse(payload: unknown): P;
  /** Returns a JSON-serialisable result; synchronous (executors cancel by discarding or terminating). */
  run(payload: P, ctx: JobContext): unknown;
}

/**
 * A handler with its input type erased, as the registry holds it. Safe because a handler's
 * `parse` output only ever flows into the same handler's `run`.
 */
export type RegisteredJobHandler = JobHandler<unknown>;

const erase = <P>(handler: JobHandler<P>): RegisteredJobHandler =>
  handler as unknown as RegisteredJobHandler;

/** Validate `payload` against `schema`; problems become E_INVALID_ARGUMENT issues naming the field. */
function parsePayload<S extends z.ZodType>(kind: string, schema: S, payload: unknown): z.output<S> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => zodIssueToErrorIssue(i, payload));
  throw new AifError(
    ERROR_CODES.INVALID_ARGUMENT,
    `job '${kind}': invalid payload (${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')})`,
    issues,
  );
}

// ---------------------------------------------------------------------------------------------
// Engine inputs: the catalog and calibration a payload runs with
// ---------------------------------------------------------------------------------------------

/**
 * The payload fields that choose the engine: a catalog extension (the parsed YAML/JSON object
 * `--catalog` reads) and calibration files' JSON texts (`--calibration`, later files win).
 * Loose: any payload that carries these fields (scenario jobs, sweep points) shares them.
 */
const EngineInputsSchema = z.looseObject({
  catalogExtension: z.unknown().optional(),
  calibrationFilesJson: z.array(z.string()).optional(),
});

interface Engine {
  catalog: Catalog;
  calibration: CalibrationTable;
}

/** Name of an embedded document in issues' `file` (as the CLI names the file it read). */
const CATALOG_EXTENSION_DOC = 'catalogExtension';
const calibrationDoc = (index: number): string => `calibrationFilesJson.${index}`;
const SCENARIO_DOC = 'scenario';

/**
 * The catalog and calibration table a payload names: the default catalog extended by
 * `catalogExtension`, BUILTIN_CALIBRATION with the files layered over it — the same functions
 * the CLI's `--catalog` and `--calibration` use, over payload data instead of files.
 */
function engineOf(kind: string, payload: unknown): Engine {
  const inputs = parsePayload(kind, EngineInputsSchema, payload);
  let catalog = defaultCatalog();
  if (inputs.catalogExtension !== undefined) {
    try {
      catalog = extendCatalog(catalog, inputs.catalogExtension);
    } catch (e) {
      if (!isAifError(e)) throw e;
      throw new AifError(
        e.code,
        `${CATALOG_EXTENSION_DOC}: ${e.message}`,
        e.issues.map((i) => ({ ...i, file: CATALOG_EXTENSION_DOC })),
      );
    }
  }
  const files = inputs.calibrationFilesJson ?? [];
  const calibration = layerCalibrationFiles(
    BUILTIN_CALIBRATION,
    files.map((text, i) => ({
      path: calibrationDoc(i),
      file: parseCalibrationFileJson(text, calibrationDoc(i)),
    })),
    [...catalog.accelerators.values()],
  );
  return { catalog, calibration };
}

/**
 * The engine version a payload's job runs under (app/engine-version.ts): a queue worker compares
 * it with its own before running a job, and a stored result is keyed by it. Reads only the
 * engine fields (`catalogExtension`, `calibrationFilesJson`), so it serves every kind that
 * carries them.
 * @throws AifError when those fields are invalid.
 */
export function engineVersionFor(payload: unknown): string {
  const inputs = parsePayload('engine-version', EngineInputsSchema, payload);
  // Hashing a catalog takes a while (~0.2 s), and most jobs of a process share their engine.
  const key = JSON.stringify([inputs.catalogExtension, inputs.calibrationFilesJson]);
  let version = engineVersionCache.get(key);
  if (version === undefined) {
    const { catalog, calibration } = engineOf('engine-version', inputs);
    version = engineVersion(catalog, calibration);
    if (engineVersionCache.size >= ENGINE_VERSION_CACHE_SIZE) engineVersionCache.clear();
    engineVersionCache.set(key, version);
  }
  return version;
}

/** Engine versions by their inputs' JSON; cleared when full (a process sees few engines). */
const engineVersionCache = new Map<string, string>();
const ENGINE_VERSION_CACHE_SIZE = 16;

// ---------------------------------------------------------------------------------------------
// Scenario kinds: simulate, estimate
// ---------------------------------------------------------------------------------------------

/** Payload of `simulate` and `estimate` jobs (plain JSON: structured-clonable, queue-safe). */
export interface ScenarioJobPayload {
  /** A scenario object as parsed from YAML/JSON (validated by the scenario parser). */
  scenario: unknown;
  /** Overrides the scenario's `seed`. */
  seed?: number;
  /** A catalog extension object (catalog/catalog-extension.ts). */
  catalogExtension?: unknown;
  /** Calibration files' JSON texts, layered over the built-in table in order. */
  calibrationFilesJson?: string[];
}

const ScenarioJobPayloadSchema = z.strictObject({
  scenario: z.looseObject({}),
  seed: z.number().int().nonnegative().optional(),
  catalogExtension: z.unknown().optional(),
  calibrationFilesJson: z.array(z.string()).optional(),
}) satisfies z.ZodType<ScenarioJobPayload>;

/** A scenario job's validated input. */
export interface ScenarioJobInput extends Engine {
  scenario: Scenario;
}

/**
 * Payload fields are checked first (E_INVALID_ARGUMENT, path in the payload); then the embedded
 * documents with their own parsers and codes, issues carrying the document's path and `file`
 * naming the payload field (`scenario`, `catalogExtension`, `calibrationFilesJson.<i>`), so an
 * editor can point into the document as it does for the CLI's files.
 */
function parseScenarioJob(kind: string, payload: unknown): ScenarioJobInput {
  const p = parsePayload(kind, ScenarioJobPayloadSchema, payload);
  const engine = engineOf(kind, p);
  const scenario = parseScenarioObject(
    p.seed === undefined ? p.scenario : { ...p.scenario, seed: p.seed },
    SCENARIO_DOC,
  );
  return { ...engine, scenario };
}

const simulateHandler: JobHandler<ScenarioJobInput> = {
  kind: 'simulate',
  parse: (payload) => parseScenarioJob('simulate', payload),
  run: ({ scenario, catalog, calibration }, ctx) =>
    simulateScenario(scenario, catalog, calibration, {
      toolVersion: TOOL_VERSION,
      onProgress: (fraction) => ctx.reportProgress(fraction, 'simulating'),
    }),
};

const estimateHandler: JobHandler<ScenarioJobInput> = {
  kind: 'estimate',
  parse: (payload) => parseScenarioJob('estimate', payload),
  run: ({ scenario, catalog, calibration }) => estimateScenario(scenario, catalog, calibration),
};

// ---------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------

/** Every job kind, by name. A new kind: write its handler above and list it here. */
export const JOB_HANDLERS: Readonly<Record<string, RegisteredJobHandler>> = Object.freeze(
  Object.fromEntries([simulateHandler, estimateHandler].map((h) => [h.kind, erase(h)])),
);

/**
 * The handler of a job kind.
 * @throws AifError E_INVALID_ARGUMENT (issue path `kind`) for a kind not in JOB_HANDLERS.
 */
export function handlerFor(kind: string): RegisteredJobHandler {
  const key = String(kind);
  if (Object.hasOwn(JOB_HANDLERS, key)) return JOB_HANDLERS[key]!;
  const known = Object.keys(JOB_HANDLERS).sort().join(', ');
  throw new AifError(ERROR_CODES.INVALID_ARGUMENT, `unknown job kind '${key}' (known: ${known})`, [
    { path: 'kind', message: 'unknown job kind', value: kind, expected: `one of: ${known}` },
  ]);
}

/**
 * Progress as every consumer sees it: clamped to [0, 1] and never decreasing (a handler that
 * restarts its count, or reports NaN, cannot move a progress bar backwards).
 */
export function monotoneProgress(sink: (p: JobProgress) => void): JobContext['reportProgress'] {
  let last = 0;
  return (fraction, message) => {
    const f = Number.isFinite(fraction) ? Math.min(1, Math.max(last, fraction)) : last;
    last = f;
    sink(message === undefined ? { fraction: f } : { fraction: f, message });
  };
}

/**
 * Parse, run and serialise a job: the single serialisation point of every executor. Reports
 * progress 0 once the payload is valid and 1 when the result is ready, so every job's progress
 * starts and ends the same way whatever its handler reports in between.
 * @throws AifError for an unknown kind or an invalid payload, and whatever the handler throws.
 */
export function runJobToJson(job: JobSpec, ctx: JobContext): string {
  const handler = handlerFor(job.kind);
  const input = handler.parse(job.payload);
  const report = monotoneProgress((p) => ctx.reportProgress(p.fraction, p.message));
  report(0, 'started');
  const result = handler.run(input, { reportProgress: report });
  const json = JSON.stringify(result) ?? 'null';
  report(1, 'done');
  return json;
}
