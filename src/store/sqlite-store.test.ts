import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AifError } from '../core/errors.js';
import {
  AIFACTORY_APPLICATION_ID,
  LATEST_SCHEMA_VERSION,
  MIGRATIONS,
  migrate,
  type Migration,
} from './migrations.js';
import { FIND_RESULT_SQL, openSqliteStore } from './sqlite-store.js';
import { describeStoreConformance } from './store-conformance.js';
import type { Store } from './types.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'aifactory-store-'));
}

describeStoreConformance('sqlite :memory:', () => ({ store: openSqliteStore(':memory:') }));

describeStoreConformance('sqlite file', () => {
  const dir = tempDir();
  return {
    store: openSqliteStore(join(dir, 'aifactory.db')),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
});

const T0 = '2026-01-31T12:00:00.000Z';
const T1 = '2026-01-31T12:00:01.000Z';
const ENGINE = 'aifactory@0.2.0 catalog:aaaa calibration:bbbb';

function putChat(store: Store, name = 'chat') {
  return store.putScenario({
    hash: `fnv1a64:${name}`,
    name,
    schemaVersion: 1,
    canonicalJson: JSON.stringify({ name }),
    sourceYaml: `name: ${name}\n`,
    createdAt: T0,
  });
}

describe('sqlite store on a file', () => {
  let dir: string;
  let dbPath: string;
  const open: Store[] = [];
  const openStore = (...args: Parameters<typeof openSqliteStore>) => {
    const s = openSqliteStore(...args);
    open.push(s);
    return s;
  };
  beforeEach(() => {
    dir = tempDir();
    dbPath = join(dir, 'nested', 'deeper', 'aifactory.db');
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the parent directories and puts the file in WAL mode', () => {
    openStore(dbPath);
    expect(existsSync(dbPath)).toBe(true);
    const raw = new Database(dbPath, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('keeps everything across close and reopen', () => {
    const a = openStore(dbPath);
    const { hash } = putChat(a);
    const run = a.createRun({
      kind: 'simulate',
      scenarioHash: hash,
      seed: 7,
      engineVersion: ENGINE,
      createdAt: T0,
    });
    a.updateRun(run.id, { status: 'running', updatedAt: T1 });
    const done = a.updateRun(run.id, { status: 'done', resultJson: '{"x":"ÿ"}', updatedAt: T1 });
    a.putBenchRun({ id: 'b1', reportJson: '{}', rawLogJsonl: '{"a":1}\n', createdAt: T0 });
    a.close();
    open.splice(0);

    const b = openStore(dbPath);
    expect(b.getScenario(hash)?.name).toBe('chat');
    expect(b.getRun(run.id)).toEqual(done);
    expect(b.findResult('simulate', hash, 7, ENGINE)).toEqual(done);
    expect(b.getBenchRun('b1')?.rawLogJsonl).toBe('{"a":1}\n');
    expect(b.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
  });

  it('sees another connection’s commits (two processes on one file)', () => {
    const writer = openStore(dbPath);
    const reader = openStore(dbPath);
    const { hash } = putChat(writer);
    expect(reader.getScenario(hash)?.hash).toBe(hash);
  });

  it('migrates an empty database to the latest version with every table', () => {
    openStore(dbPath);
    const raw = new Database(dbPath, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(raw.pragma('application_id', { simple: true })).toBe(AIFACTORY_APPLICATION_ID);
    const tables = raw
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
      )
      .all()
      .map((t) => t.name);
    expect(tables).toEqual(['bench_runs', 'calibrations', 'claim_checks', 'runs', 'scenarios']);
    raw.close();
  });

  it('numbers migrations 1, 2, … in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('serves findResult from the result-key index', () => {
    openStore(dbPath);
    const raw = new Database(dbPath, { readonly: true });
    const plan = raw
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${FIND_RESULT_SQL}`)
      .all('simulate', 'h', 1, 'e')
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(
      /USING INDEX runs_by_result_key \(kind=\? AND scenario_hash=\? AND seed=\? AND engine_version=\? AND status=\?\)/,
    );
    raw.close();
  });

  it('refuses a database written by a newer aifactory, and leaves it as it was', () => {
    openStore(dbPath).close();
    open.splice(0);
    const raw = new Database(dbPath);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 3}`);
    raw.close();
    let error: unknown;
    try {
      openSqliteStore(dbPath);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AifError);
    expect((error as AifError).code).toBe('E_INPUT_FORMAT');
    expect((error as AifError).message).toBe(
      `database schema version ${LATEST_SCHEMA_VERSION + 3} is newer than this aifactory (${LATEST_SCHEMA_VERSION}); upgrade aifactory`,
    );
    expect(() => openSqliteStore(dbPath, { readonly: true })).toThrow(
      /is newer than this aifactory/,
    );
    const check = new Database(dbPath, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 3);
    check.close();
  });

  it('refuses another application’s SQLite file and adds nothing to it', () => {
    const foreign = join(dir, 'other-app.db');
    const raw = new Database(foreign);
    raw.exec('CREATE TABLE notes (body TEXT)');
    raw.close();
    const tagged = join(dir, 'tagged.db');
    const raw2 = new Database(tagged);
    raw2.pragma('application_id = 1234');
    raw2.close();
    for (const file of [foreign, tagged]) {
      let error: unknown;
      try {
        openSqliteStore(file);
      } catch (e) {
        error = e;
      }
      expect((error as AifError).code, file).toBe('E_INPUT_FORMAT');
      expect((error as AifError).message).toMatch(/is not an aifactory database/);
    }
    const check = new Database(foreign, { readonly: true });
    const names = check.prepare<[], { name: string }>('SELECT name FROM sqlite_master').all();
    expect(names.map((n) => n.name)).toEqual(['notes']);
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it('applies each migration in its own transaction: a failing one rolls back alone', () => {
    const db = new Database(join(dir, 'm.db'));
    const table = (version: number, name: string): Migration => ({
      version,
      name,
      up: (d) => d.exec(`CREATE TABLE ${name} (x INTEGER)`),
    });
    const failing: Migration = {
      version: 3,
      name: 'half done then fails',
      up: (d) => {
        d.exec('CREATE TABLE t3 (x INTEGER)');
        d.exec('INSERT INTO t1 VALUES (1)');
        throw new Error('migration 3 failed');
      },
    };
    expect(() => migrate(db, [table(1, 't1'), table(2, 't2'), failing])).toThrow(
      'migration 3 failed',
    );
    const names = () =>
      db
        .prepare<[], { name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
        )
        .all()
        .map((r) => r.name);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(names()).toEqual(['t1', 't2']);
    expect(db.prepare('SELECT count(*) AS n FROM t1').get()).toEqual({ n: 0 });
    // The pending migration alone runs on the next try.
    expect(migrate(db, [table(1, 't1'), table(2, 't2'), table(3, 't3')])).toBe(3);
    expect(names()).toEqual(['t1', 't2', 't3']);
    expect(() => migrate(db, [table(1, 't1'), table(3, 't3')])).toThrow(/out of order/);
    db.close();
  });

  it('rolls a write back whole when a constraint fails part-way', () => {
    const store = openStore(dbPath);
    const { hash } = putChat(store);
    const runs = [0, 1, 2].map((seed) =>
      store.createRun({
        kind: 'simulate',
        scenarioHash: hash,
        seed,
        engineVersion: ENGINE,
        createdAt: T0,
      }),
    );
    store.updateRun(runs[0]!.id, { status: 'running', updatedAt: T1 });
    // A trigger that refuses the update of one row: the multi-row UPDATE of failUnfinishedRuns
    // fails after it has already changed other rows.
    const raw = new Database(dbPath);
    raw.exec(`CREATE TRIGGER refuse_seed_2 BEFORE UPDATE ON runs WHEN OLD.seed = 2
      BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    raw.close();
    const before = store.listRuns();
    expect(() => store.failUnfinishedRuns!(T1, 'restart')).toThrow('injected failure');
    expect(store.listRuns()).toEqual(before);

    const raw2 = new Database(dbPath);
    raw2.exec(`CREATE TRIGGER refuse_seed_9 AFTER INSERT ON runs WHEN NEW.seed = 9
      BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    raw2.close();
    expect(() =>
      store.createRun({
        kind: 'simulate',
        scenarioHash: hash,
        seed: 9,
        engineVersion: ENGINE,
        createdAt: T0,
      }),
    ).toThrow('injected failure');
    expect(store.listRuns()).toEqual(before);
    const check = new Database(dbPath, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });

  it('refuses text that cannot be stored unchanged (a lone surrogate)', () => {
    const store = openStore(dbPath);
    const { hash } = putChat(store);
    const run = store.createRun({
      kind: 'simulate',
      scenarioHash: hash,
      seed: 1,
      engineVersion: ENGINE,
      createdAt: T0,
    });
    store.updateRun(run.id, { status: 'running', updatedAt: T1 });
    let error: AifError | undefined;
    try {
      store.updateRun(run.id, { status: 'done', resultJson: '{"x":"\ud800"}', updatedAt: T1 });
    } catch (e) {
      error = e as AifError;
    }
    expect(error?.issues[0]).toMatchObject({
      path: 'resultJson',
      expected: 'well-formed Unicode text',
    });
    expect(store.getRun(run.id)?.status).toBe('running');
  });

  it('opens read-only: reads work, writes throw, a missing or old file is refused', () => {
    const rw = openStore(dbPath);
    const { hash } = putChat(rw);
    const ro = openStore(dbPath, { readonly: true });
    expect(ro.getScenario(hash)?.name).toBe('chat');
    expect(() => putChat(ro, 'other')).toThrow(/read-only/);
    expect(() => ro.failUnfinishedRuns!(T1, 'x')).toThrow(/read-only/);
    expect(() => openSqliteStore(join(dir, 'missing.db'), { readonly: true })).toThrow(AifError);
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
    expect(() => openSqliteStore(':memory:', { readonly: true })).toThrow(AifError);

    const oldPath = join(dir, 'old.db');
    new Database(oldPath).close(); // user_version 0: never migrated
    expect(() => openSqliteStore(oldPath, { readonly: true })).toThrow(
      /is older than this aifactory/,
    );
  });
});
