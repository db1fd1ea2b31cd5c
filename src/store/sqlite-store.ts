/**
 * The `Store` port on SQLite (better-sqlite3): one file, WAL, schema migrations
 * (`migrations.ts`), every write one IMMEDIATE transaction, prepared statements made once.
 * better-sqlite3 is synchronous; a store call blocks its thread for the length of one small
 * transaction, which is what the callers (CLI, the server's coordinating thread) want.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AifError, ERROR_CODES } from '../core/errors.js';
import {
  checkIsAifactoryDb,
  checkSchemaVersion,
  LATEST_SCHEMA_VERSION,
  migrate,
  readUserVersion,
} from './migrations.js';
import {
  applyRunChange,
  interruptedErrorJson,
  invalidArgument,
  listLimit,
  normalizeTimestamp,
  requireRunKind,
  requireSeed,
  requireText,
  type RunChange,
} from './run-state.js';
import type {
  ListOptions,
  NewRun,
  RunKind,
  RunSummary,
  Store,
  StoredBenchRun,
  StoredCalibration,
  StoredClaimCheck,
  StoredRun,
  StoredScenario,
} from './types.js';

export interface SqliteStoreOptions {
  /** Open an existing, fully migrated file for reading only; every write throws. */
  readonly?: boolean;
}

/** How long a write waits for another connection's write lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

const RUN_COLUMNS = `id, kind, scenario_hash AS scenarioHash, seed, engine_version AS engineVersion,
  status, progress, result_json AS resultJson, error_json AS errorJson,
  created_at AS createdAt, updated_at AS updatedAt`;
const RUN_SUMMARY_COLUMNS = `id, kind, scenario_hash AS scenarioHash, seed,
  engine_version AS engineVersion, status, progress, created_at AS createdAt,
  updated_at AS updatedAt`;
const SCENARIO_COLUMNS = `hash, name, schema_version AS schemaVersion,
  canonical_json AS canonicalJson, source_yaml AS sourceYaml, created_at AS createdAt`;
/** Newest first; rowid breaks ties of equal timestamps (later insert first). */
const NEWEST_FIRST = 'ORDER BY created_at DESC, rowid DESC LIMIT ?';

/** The cache lookup; served by the index `runs_by_result_key` (checked by a test). */
export const FIND_RESULT_SQL = `SELECT ${RUN_COLUMNS} FROM runs
  WHERE kind = ? AND scenario_hash = ? AND seed = ? AND engine_version = ? AND status = 'done'
  ORDER BY updated_at DESC, rowid DESC LIMIT 1`;

/** `run_` + 16 hex digits: 64 random bits, so ids do not collide across processes. */
function newRunId(): string {
  return `run_${randomBytes(8).toString('hex')}`;
}

/**
 * Opens (creating and migrating when needed) the store at `path`, or an in-memory one for
 * `':memory:'`.
 * @throws AifError E_INPUT_FORMAT when the file is another application's database or its schema
 *   is newer than this code (or, read-only, older); E_INVALID_ARGUMENT for an empty path, a read-only `':memory:'` or a read-only path
 *   that does not exist.
 */
export function openSqliteStore(path: string, opts: SqliteStoreOptions = {}): Store {
  const fn = 'openSqliteStore';
  requireText(fn, 'path', path, true);
  const inMemory = path === ':memory:';
  const readonly = opts.readonly === true;
  if (readonly && (inMemory || !existsSync(path))) {
    throw invalidArgument(fn, 'path', path, 'an existing database file when readonly');
  }
  if (!inMemory && !readonly) mkdirSync(dirname(path), { recursive: true });

  const db = new Database(path, {
    readonly,
    fileMustExist: readonly,
    timeout: SQLITE_BUSY_TIMEOUT_MS, // sets PRAGMA busy_timeout
  });
  try {
    // Checked before anything is written, so a refused file is left exactly as it was.
    checkIsAifactoryDb(db);
    checkSchemaVersion(readUserVersion(db), LATEST_SCHEMA_VERSION, readonly);
    configure(db, inMemory, readonly);
    if (!readonly) migrate(db);
    return createStore(db, readonly);
  } catch (e) {
    db.close();
    throw e;
  }
}

function configure(db: Database.Database, inMemory: boolean, readonly: boolean): void {
  db.pragma('foreign_keys = ON');
  if (inMemory || readonly) return; // a reader follows the file's journal mode
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') {
    throw new AifError(
      ERROR_CODES.INVALID_ARGUMENT,
      `openSqliteStore: SQLite could not put ${db.name} in WAL mode (got ${String(mode)}); keep the database on a local file system`,
      [{ path: 'path', message: 'WAL unavailable', value: db.name, expected: 'a local file' }],
    );
  }
  // synchronous = FULL: each commit fsyncs the WAL before returning. NORMAL would already keep
  // every committed transaction through a process kill (-9): a commit is in the OS page cache
  // once it returns. FULL also keeps it through an OS crash or power cut, which matters here
  // because a commit is what the server acknowledges ("run done", "scenario stored"). The cost,
  // one fsync per transaction, is small against the store's write rate (a few per run).
  db.pragma('synchronous = FULL');
}

interface Row {
  [column: string]: unknown;
}

function createStore(db: Database.Database, readonly: boolean): Store {
  const q = <T>(sql: string) => db.prepare<unknown[], T>(sql);
  const stmt = {
    scenarioInsert: q(`INSERT INTO scenarios
      (hash, name, schema_version, canonical_json, source_yaml, created_at)
      VALUES (@hash, @name, @schemaVersion, @canonicalJson, @sourceYaml, @createdAt)
      ON CONFLICT (hash) DO NOTHING`),
    scenarioGet: q<StoredScenario>(`SELECT ${SCENARIO_COLUMNS} FROM scenarios WHERE hash = ?`),
    scenarioExists: q<Row>('SELECT 1 FROM scenarios WHERE hash = ?'),
    scenarioList: q<StoredScenario>(`SELECT ${SCENARIO_COLUMNS} FROM scenarios ${NEWEST_FIRST}`),
    runInsert: q(`INSERT INTO runs (id, kind, scenario_hash, seed, engine_version, status,
        progress, result_json, error_json, created_at, updated_at)
      VALUES (@id, @kind, @scenarioHash, @seed, @engineVersion, @status, @progress, @resultJson,
        @errorJson, @createdAt, @updatedAt)`),
    runUpdate: q(`UPDATE runs SET status = @status, progress = @progress,
        result_json = @resultJson, error_json = @errorJson, updated_at = @updatedAt
      WHERE id = @id`),
    runGet: q<StoredRun>(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`),
    runList: q<RunSummary>(`SELECT ${RUN_SUMMARY_COLUMNS} FROM runs ${NEWEST_FIRST}`),
    runListByScenario: q<RunSummary>(
      `SELECT ${RUN_SUMMARY_COLUMNS} FROM runs WHERE scenario_hash = ? ${NEWEST_FIRST}`,
    ),
    runListByKind: q<RunSummary>(
      `SELECT ${RUN_SUMMARY_COLUMNS} FROM runs WHERE kind = ? ${NEWEST_FIRST}`,
    ),
    runListByScenarioAndKind: q<RunSummary>(
      `SELECT ${RUN_SUMMARY_COLUMNS} FROM runs WHERE scenario_hash = ? AND kind = ? ${NEWEST_FIRST}`,
    ),
    runFind: q<StoredRun>(FIND_RESULT_SQL),
    runFailUnfinished: q(`UPDATE runs SET status = 'failed', error_json = ?, updated_at = ?
      WHERE status IN ('queued', 'running')`),
    benchInsert: q(`INSERT INTO bench_runs (id, report_json, raw_log_jsonl, created_at)
      VALUES (@id, @reportJson, @rawLogJsonl, @createdAt)`),
    benchGet: q<StoredBenchRun>(`SELECT id, report_json AS reportJson,
      raw_log_jsonl AS rawLogJsonl, created_at AS createdAt FROM bench_runs WHERE id = ?`),
    benchList: q<Pick<StoredBenchRun, 'id' | 'createdAt'>>(
      `SELECT id, created_at AS createdAt FROM bench_runs ${NEWEST_FIRST}`,
    ),
    calibrationInsert: q(`INSERT INTO calibrations (id, file_json, provenance, created_at)
      VALUES (@id, @fileJson, @provenance, @createdAt)`),
    calibrationGet: q<StoredCalibration>(`SELECT id, file_json AS fileJson, provenance,
      created_at AS createdAt FROM calibrations WHERE id = ?`),
    calibrationList: q<StoredCalibration>(`SELECT id, file_json AS fileJson, provenance,
      created_at AS createdAt FROM calibrations ${NEWEST_FIRST}`),
    claimCheckInsert: q(`INSERT INTO claim_checks (id, claim_id, result_json, created_at)
      VALUES (@id, @claimId, @resultJson, @createdAt)`),
    claimCheckGet: q<StoredClaimCheck>(`SELECT id, claim_id AS claimId,
      result_json AS resultJson, created_at AS createdAt FROM claim_checks WHERE id = ?`),
    claimCheckList: q<StoredClaimCheck>(`SELECT id, claim_id AS claimId,
      result_json AS resultJson, created_at AS createdAt FROM claim_checks ${NEWEST_FIRST}`),
    claimCheckListByClaim: q<StoredClaimCheck>(`SELECT id, claim_id AS claimId,
      result_json AS resultJson, created_at AS createdAt FROM claim_checks
      WHERE claim_id = ? ${NEWEST_FIRST}`),
  };

  /**
   * `body` as one IMMEDIATE transaction: the write lock is taken at BEGIN, so a read-then-write
   * (updateRun) never fails with SQLITE_BUSY_SNAPSHOT half-way; a throw rolls everything back.
   */
  function write<A extends unknown[], R>(fn: string, body: (...args: A) => R): (...args: A) => R {
    const tx = db.transaction(body);
    return (...args: A): R => {
      if (readonly) {
        throw new AifError(ERROR_CODES.INVALID_ARGUMENT, `${fn}: the store was opened read-only`);
      }
      return tx.immediate(...args);
    };
  }

  /**
   * Insert of a record named by a caller-chosen id, as one write transaction: the same record
   * again is a no-op (retries are safe), a different record under a stored id is refused
   * (records never change).
   */
  function putOnce<T extends { id: string }>(
    fn: string,
    get: Database.Statement<unknown[], T>,
    insert: Database.Statement,
  ): (record: T) => T {
    return write(fn, (record: T): T => {
      const stored = get.get(record.id);
      if (stored === undefined) {
        insert.run(record);
        return get.get(record.id)!;
      }
      const same = (Object.keys(record) as (keyof T)[]).every((k) => stored[k] === record[k]);
      if (!same) {
        throw invalidArgument(
          fn,
          'id',
          record.id,
          'an id not yet stored, or exactly the stored record',
          `${record.id} is already stored with different content`,
        );
      }
      return stored;
    });
  }
  const putBenchTx = putOnce('putBenchRun', stmt.benchGet, stmt.benchInsert);
  const putCalibrationTx = putOnce('putCalibration', stmt.calibrationGet, stmt.calibrationInsert);
  const putClaimCheckTx = putOnce('putClaimCheck', stmt.claimCheckGet, stmt.claimCheckInsert);

  const putScenarioTx = write('putScenario', (row: StoredScenario): StoredScenario => {
    stmt.scenarioInsert.run(row);
    const stored = stmt.scenarioGet.get(row.hash)!;
    if (stored.canonicalJson !== row.canonicalJson) {
      throw invalidArgument(
        'putScenario',
        'canonicalJson',
        row.canonicalJson,
        'the canonical JSON stored under this hash',
        `scenario ${row.hash} is stored with different canonical JSON`,
      );
    }
    return stored;
  });

  const createRunTx = write('createRun', (run: StoredRun): StoredRun => {
    if (stmt.scenarioExists.get(run.scenarioHash) === undefined) {
      throw invalidArgument(
        'createRun',
        'scenarioHash',
        run.scenarioHash,
        'the hash of a stored scenario',
        `scenario ${run.scenarioHash} is not stored`,
      );
    }
    stmt.runInsert.run(run);
    return run;
  });

  const updateRunTx = write('updateRun', (id: string, change: RunChange): StoredRun => {
    const current = stmt.runGet.get(id);
    if (current === undefined) {
      throw invalidArgument('updateRun', 'id', id, 'the id of a stored run', `no run ${id}`);
    }
    const next = applyRunChange(current, change);
    stmt.runUpdate.run(next);
    return next;
  });

  const failUnfinishedTx = write(
    'failUnfinishedRuns',
    (errorJson: string, updatedAt: string): number =>
      stmt.runFailUnfinished.run(errorJson, updatedAt).changes,
  );

  return {
    putScenario(s) {
      const fn = 'putScenario';
      const schemaVersion = s.schemaVersion;
      if (!Number.isSafeInteger(schemaVersion)) {
        throw invalidArgument(fn, 'schemaVersion', schemaVersion, 'an integer');
      }
      return putScenarioTx({
        hash: requireText(fn, 'hash', s.hash, true),
        name: requireText(fn, 'name', s.name),
        schemaVersion,
        canonicalJson: requireText(fn, 'canonicalJson', s.canonicalJson),
        sourceYaml: s.sourceYaml === null ? null : requireText(fn, 'sourceYaml', s.sourceYaml),
        createdAt: normalizeTimestamp(fn, 'createdAt', s.createdAt),
      });
    },
    getScenario: (hash) => stmt.scenarioGet.get(hash),
    listScenarios: (opts?: ListOptions) =>
      stmt.scenarioList.all(listLimit('listScenarios', opts?.limit)),

    createRun(r: NewRun) {
      const fn = 'createRun';
      const createdAt = normalizeTimestamp(fn, 'createdAt', r.createdAt);
      return createRunTx({
        id: newRunId(),
        kind: requireRunKind(fn, r.kind),
        scenarioHash: requireText(fn, 'scenarioHash', r.scenarioHash, true),
        seed: requireSeed(fn, r.seed),
        engineVersion: requireText(fn, 'engineVersion', r.engineVersion, true),
        status: 'queued',
        progress: 0,
        resultJson: null,
        errorJson: null,
        createdAt,
        updatedAt: createdAt,
      });
    },
    getRun: (id) => stmt.runGet.get(id),
    listRuns(opts) {
      const limit = listLimit('listRuns', opts?.limit);
      const kind = opts?.kind === undefined ? undefined : requireRunKind('listRuns', opts.kind);
      if (opts?.scenarioHash === undefined)
        return kind === undefined ? stmt.runList.all(limit) : stmt.runListByKind.all(kind, limit);
      return kind === undefined
        ? stmt.runListByScenario.all(opts.scenarioHash, limit)
        : stmt.runListByScenarioAndKind.all(opts.scenarioHash, kind, limit);
    },
    findResult: (kind: RunKind, scenarioHash: string, seed: number, engineVersion: string) =>
      stmt.runFind.get(kind, scenarioHash, seed, engineVersion),
    updateRun: (id, change) => updateRunTx(id, change),

    putBenchRun(b) {
      const fn = 'putBenchRun';
      const record: StoredBenchRun = {
        id: requireText(fn, 'id', b.id, true),
        reportJson: requireText(fn, 'reportJson', b.reportJson),
        rawLogJsonl: b.rawLogJsonl === null ? null : requireText(fn, 'rawLogJsonl', b.rawLogJsonl),
        createdAt: normalizeTimestamp(fn, 'createdAt', b.createdAt),
      };
      return putBenchTx(record);
    },
    getBenchRun: (id) => stmt.benchGet.get(id),
    listBenchRuns: (opts) => stmt.benchList.all(listLimit('listBenchRuns', opts?.limit)),

    putCalibration(c) {
      const fn = 'putCalibration';
      const record: StoredCalibration = {
        id: requireText(fn, 'id', c.id, true),
        fileJson: requireText(fn, 'fileJson', c.fileJson),
        provenance: requireText(fn, 'provenance', c.provenance),
        createdAt: normalizeTimestamp(fn, 'createdAt', c.createdAt),
      };
      return putCalibrationTx(record);
    },
    getCalibration: (id) => stmt.calibrationGet.get(id),
    listCalibrations: (opts) =>
      stmt.calibrationList.all(listLimit('listCalibrations', opts?.limit)),

    putClaimCheck(c) {
      const fn = 'putClaimCheck';
      const record: StoredClaimCheck = {
        id: requireText(fn, 'id', c.id, true),
        claimId: requireText(fn, 'claimId', c.claimId, true),
        resultJson: requireText(fn, 'resultJson', c.resultJson),
        createdAt: normalizeTimestamp(fn, 'createdAt', c.createdAt),
      };
      return putClaimCheckTx(record);
    },
    listClaimChecks(opts) {
      const limit = listLimit('listClaimChecks', opts?.limit);
      return opts?.claimId === undefined
        ? stmt.claimCheckList.all(limit)
        : stmt.claimCheckListByClaim.all(opts.claimId, limit);
    },

    failUnfinishedRuns(nowIso, reason) {
      const fn = 'failUnfinishedRuns';
      const updatedAt = normalizeTimestamp(fn, 'nowIso', nowIso);
      return failUnfinishedTx(interruptedErrorJson(requireText(fn, 'reason', reason)), updatedAt);
    },

    schemaVersion: () => readUserVersion(db),
    close: () => {
      db.close();
    },
  };
}
