/**
 * Schema migrations of the SQLite store. The schema version lives in `PRAGMA user_version`
 * (0 for a new file); migration N takes the database from version N−1 to N. Each migration
 * runs in its own IMMEDIATE transaction together with the version bump, so a failure (or a
 * kill) leaves the database at the last complete version, and two processes opening the same
 * file at once do not both migrate.
 *
 * To change the schema, append a migration; never edit one that has shipped (databases in the
 * field already ran it). See docs/store.md.
 */
import type Database from 'better-sqlite3';
import { AifError, ERROR_CODES } from '../core/errors.js';

export interface Migration {
  /** The schema version after this migration: 1, 2, 3, … in list order. */
  version: number;
  /** What it does, in a few words (shown in errors). */
  name: string;
  up(db: Database.Database): void;
}

/** `PRAGMA application_id` of an aifactory database ("AIFS"): tells it from other SQLite files. */
export const AIFACTORY_APPLICATION_ID = 0x41494653;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'scenarios, runs, bench runs, calibrations, claim checks',
    up(db) {
      db.pragma(`application_id = ${AIFACTORY_APPLICATION_ID}`);
      // STRICT tables: SQLite refuses a value of the wrong type instead of storing it as-is.
      // Rowid tables (no WITHOUT ROWID): lists break created_at ties by rowid, i.e. insert order.
      db.exec(`
        CREATE TABLE scenarios (
          hash           TEXT    NOT NULL PRIMARY KEY,
          name           TEXT    NOT NULL,
          schema_version INTEGER NOT NULL,
          canonical_json TEXT    NOT NULL,
          source_yaml    TEXT,
          created_at     TEXT    NOT NULL
        ) STRICT;
        CREATE INDEX scenarios_by_created ON scenarios (created_at);

        CREATE TABLE runs (
          id             TEXT    NOT NULL PRIMARY KEY,
          kind           TEXT    NOT NULL,
          scenario_hash  TEXT    NOT NULL REFERENCES scenarios (hash),
          seed           INTEGER NOT NULL,
          engine_version TEXT    NOT NULL,
          status         TEXT    NOT NULL
            CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
          progress       REAL    NOT NULL CHECK (progress >= 0 AND progress <= 1),
          result_json    TEXT,
          error_json     TEXT,
          created_at     TEXT    NOT NULL,
          updated_at     TEXT    NOT NULL,
          CHECK (status <> 'done' OR result_json IS NOT NULL),
          CHECK (status <> 'failed' OR error_json IS NOT NULL)
        ) STRICT;
        -- The cache lookup (findResult): equality on the first five columns.
        CREATE INDEX runs_by_result_key
          ON runs (kind, scenario_hash, seed, engine_version, status);
        CREATE INDEX runs_by_scenario ON runs (scenario_hash, created_at);
        CREATE INDEX runs_by_created ON runs (created_at);

        CREATE TABLE bench_runs (
          id            TEXT NOT NULL PRIMARY KEY,
          report_json   TEXT NOT NULL,
          raw_log_jsonl TEXT,
          created_at    TEXT NOT NULL
        ) STRICT;
        CREATE INDEX bench_runs_by_created ON bench_runs (created_at);

        CREATE TABLE calibrations (
          id         TEXT NOT NULL PRIMARY KEY,
          file_json  TEXT NOT NULL,
          provenance TEXT NOT NULL,
          created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX calibrations_by_created ON calibrations (created_at);

        CREATE TABLE claim_checks (
          id          TEXT NOT NULL PRIMARY KEY,
          claim_id    TEXT NOT NULL,
          result_json TEXT NOT NULL,
          created_at  TEXT NOT NULL
        ) STRICT;
        CREATE INDEX claim_checks_by_claim ON claim_checks (claim_id, created_at);
        CREATE INDEX claim_checks_by_created ON claim_checks (created_at);
      `);
    },
  },
];

/** The schema version this aifactory writes. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

export function readUserVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function newerSchemaError(found: number, known: number): AifError {
  return new AifError(
    ERROR_CODES.INPUT_FORMAT,
    `database schema version ${found} is newer than this aifactory (${known}); upgrade aifactory`,
    [
      {
        path: 'PRAGMA user_version',
        message: 'written by a newer aifactory',
        value: found,
        expected: `at most ${known}`,
      },
    ],
  );
}

/**
 * Refuses a SQLite file of another application (its application_id, or tables without an
 * aifactory schema version), before anything is written to it: a mistyped `--db` must not get
 * aifactory's tables added to someone else's database.
 */
export function checkIsAifactoryDb(db: Database.Database): void {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  if (applicationId === AIFACTORY_APPLICATION_ID) return;
  const version = readUserVersion(db);
  const { tables } = db
    .prepare<[], { tables: number }>(
      "SELECT count(*) AS tables FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
    )
    .get()!;
  if (applicationId === 0 && version === 0 && tables === 0) return; // a new, empty file
  throw new AifError(
    ERROR_CODES.INPUT_FORMAT,
    `${db.name} is not an aifactory database (application_id ${applicationId}, user_version ${version}, ${tables} schema objects); name another file`,
    [
      {
        path: 'PRAGMA application_id',
        message: 'not an aifactory database',
        value: applicationId,
        expected: `${AIFACTORY_APPLICATION_ID} (aifactory), or a new empty file`,
      },
    ],
  );
}

/**
 * Refuses a database this code cannot read: newer than it knows, or (read-only, so it cannot
 * migrate) older.
 */
export function checkSchemaVersion(found: number, known: number, readonly: boolean): void {
  if (found > known) throw newerSchemaError(found, known);
  if (readonly && found < known) {
    throw new AifError(
      ERROR_CODES.INPUT_FORMAT,
      `database schema version ${found} is older than this aifactory (${known}); open it once read-write to migrate it`,
      [
        {
          path: 'PRAGMA user_version',
          message: 'needs migrating',
          value: found,
          expected: `${known}`,
        },
      ],
    );
  }
}

/**
 * Applies the pending migrations of `migrations` (default: {@link MIGRATIONS}), each with its
 * version bump in one transaction. Returns the schema version reached.
 * @throws AifError (E_INPUT_FORMAT) when the database is newer than the list; whatever a
 *   migration throws (its transaction rolled back, the earlier ones kept).
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration list out of order: entry ${i} has version ${m.version}`);
    }
  });
  const known = migrations.length;
  checkSchemaVersion(readUserVersion(db), known, false);
  for (const m of migrations) {
    if (readUserVersion(db) >= m.version) continue; // no write lock for what is done
    const step = db.transaction(() => {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      const current = readUserVersion(db);
      checkSchemaVersion(current, known, false);
      if (current >= m.version) return;
      m.up(db);
      // user_version lives in the database header, so it commits or rolls back with the rest.
      db.pragma(`user_version = ${m.version}`);
    });
    step.immediate();
  }
  return readUserVersion(db);
}
