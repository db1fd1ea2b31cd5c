/**
 * The behaviour every `Store` implementation must show, as a vitest suite. An implementation's
 * test file calls `describeStoreConformance('name', () => ({ store, cleanup }))`; each test gets
 * a fresh, empty store, which the suite closes (then calls `cleanup`) afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AifError, ERROR_CODES } from '../core/errors.js';
import { canonicalJson, contentHash } from '../core/hash.js';
import { FINAL_RUN_STATUSES, RUN_STATUSES } from './run-state.js';
import type { NewRun, RunKind, RunStatus, Store, StoredRun, StoredScenario } from './types.js';

export interface StoreUnderTest {
  store: Store;
  /** Runs after the suite has closed the store (delete temp files). */
  cleanup?: () => void;
}

/** `base` plus `seconds`, as `toISOString()`: distinct, ordered timestamps. */
function at(seconds: number): string {
  return new Date(Date.UTC(2026, 0, 31, 12, 0, 0) + seconds * 1000).toISOString();
}

function scenarioRow(name: string, seconds = 0): StoredScenario {
  const scenario = { name, model: 'llama-3.1-70b', replicas: 2 };
  return {
    hash: contentHash(scenario),
    name,
    schemaVersion: 1,
    canonicalJson: canonicalJson(scenario),
    sourceYaml: `# ${name}\nname: ${name}\nmodel: llama-3.1-70b\nreplicas: 2\n`,
    createdAt: at(seconds),
  };
}

/** The AifError `f` throws (fails the test when it throws nothing or something else). */
function aifErrorOf(f: () => unknown): AifError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AifError);
    return e as AifError;
  }
  throw new Error('expected an AifError, nothing was thrown');
}

export function describeStoreConformance(name: string, makeStore: () => StoreUnderTest): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store;
    let cleanup: (() => void) | undefined;
    beforeEach(() => {
      ({ store, cleanup } = makeStore());
    });
    afterEach(() => {
      store.close();
      cleanup?.();
    });

    const newRun = (scenarioHash: string, over: Partial<NewRun> = {}): NewRun => ({
      kind: 'simulate',
      scenarioHash,
      seed: 42,
      engineVersion: 'aifactory@0.2.0 catalog:aaaa calibration:bbbb',
      createdAt: at(10),
      ...over,
    });

    /** A run brought to `status` through legal changes. */
    const runIn = (status: RunStatus, hash: string, over: Partial<NewRun> = {}): StoredRun => {
      const run = store.createRun(newRun(hash, over));
      if (status === 'queued') return run;
      if (status !== 'running' && status !== 'done') {
        return store.updateRun(run.id, {
          status,
          updatedAt: at(20),
          ...(status === 'failed' ? { errorJson: '{"message":"boom"}' } : {}),
        });
      }
      store.updateRun(run.id, { status: 'running', updatedAt: at(20) });
      if (status === 'running') return store.getRun(run.id)!;
      return store.updateRun(run.id, {
        status: 'done',
        resultJson: `{"run":"${run.id}"}`,
        updatedAt: at(30),
      });
    };

    it('has a schema version of at least 1', () => {
      expect(store.schemaVersion()).toBeGreaterThanOrEqual(1);
    });

    it('stores a scenario once per hash: a second put returns the first row', () => {
      const first = store.putScenario(scenarioRow('chat'));
      expect(first).toEqual(scenarioRow('chat'));
      const again = store.putScenario({
        ...scenarioRow('chat'),
        sourceYaml: '# other comments\n',
        createdAt: at(99),
      });
      expect(again).toEqual(first);
      expect(store.getScenario(first.hash)).toEqual(first);
      expect(store.listScenarios()).toEqual([first]);
      expect(store.getScenario('fnv1a64:0000000000000000')).toBeUndefined();
    });

    it('refuses different canonical JSON under a stored hash and keeps the stored row', () => {
      const first = store.putScenario(scenarioRow('chat'));
      const err = aifErrorOf(() =>
        store.putScenario({ ...scenarioRow('chat'), canonicalJson: '{"name":"other"}' }),
      );
      expect(err.code).toBe('E_INVALID_ARGUMENT');
      expect(err.issues[0]?.path).toBe('canonicalJson');
      expect(store.getScenario(first.hash)).toEqual(first);
    });

    it('keeps a scenario without source YAML as null', () => {
      const row = { ...scenarioRow('api'), sourceYaml: null };
      expect(store.putScenario(row).sourceYaml).toBeNull();
      expect(store.getScenario(row.hash)?.sourceYaml).toBeNull();
    });

    it('runs a run through queued → running → done', () => {
      const { hash } = store.putScenario(scenarioRow('chat'));
      const created = store.createRun(newRun(hash));
      expect(created.id).toMatch(/^run_[0-9a-f]{16}$/);
      expect(created).toEqual({
        ...newRun(hash),
        id: created.id,
        status: 'queued',
        progress: 0,
        resultJson: null,
        errorJson: null,
        updatedAt: at(10),
      });
      expect(store.getRun(created.id)).toEqual(created);

      const running = store.updateRun(created.id, { status: 'running', updatedAt: at(11) });
      expect(running.status).toBe('running');
      const half = store.updateRun(created.id, { progress: 0.5, updatedAt: at(12) });
      expect(half).toMatchObject({ status: 'running', progress: 0.5, updatedAt: at(12) });
      const done = store.updateRun(created.id, {
        status: 'done',
        resultJson: '{"goodput":1}',
        updatedAt: at(13),
      });
      expect(done).toMatchObject({ status: 'done', progress: 1, resultJson: '{"goodput":1}' });
      expect(store.getRun(created.id)).toEqual(done);
      expect(store.createRun(newRun(hash)).id).not.toBe(created.id);
      expect(store.getRun('run_0000000000000000')).toBeUndefined();
    });

    it('allows exactly the transitions of the state machine and leaves a rejected run unchanged', () => {
      const { hash } = store.putScenario(scenarioRow('chat'));
      const allowed: Record<RunStatus, RunStatus[]> = {
        queued: ['running', 'failed', 'cancelled'],
        running: ['done', 'failed', 'cancelled'],
        done: [],
        failed: [],
        cancelled: [],
      };
      for (const from of RUN_STATUSES) {
        for (const to of RUN_STATUSES) {
          if (from === to) continue;
          const before = runIn(from, hash);
          const change = {
            status: to,
            updatedAt: at(50),
            ...(to === 'done' ? { resultJson: '{"ok":true}' } : {}),
            ...(to === 'failed' ? { errorJson: '{"message":"x"}' } : {}),
          };
          if (allowed[from].includes(to)) {
            expect(store.updateRun(before.id, change).status, `${from} → ${to}`).toBe(to);
          } else {
            const err = aifErrorOf(() => store.updateRun(before.id, change));
            expect(err.code, `${from} → ${to}`).toBe('E_INVALID_ARGUMENT');
            expect(err.issues[0]).toMatchObject({ path: 'status', value: to });
            expect(err.issues[0]?.expected).toBeTruthy();
            expect(store.getRun(before.id)).toEqual(before);
          }
        }
      }
    });

    it('freezes a final run: not even its progress changes', () => {
      const { hash } = store.putScenario(scenarioRow('chat'));
      for (const status of FINAL_RUN_STATUSES) {
        const run = runIn(status, hash);
        expect(() => store.updateRun(run.id, { progress: 0.1, updatedAt: at(60) })).toThrow(
          AifError,
        );
        expect(store.getRun(run.id)).toEqual(run);
      }
    });

    it('requires resultJson for done and errorJson for failed, and neither elsewhere', () => {
      const { hash } = store.putScenario(scenarioRow('chat'));
      const running = runIn('running', hash);
      const cases: [Parameters<Store['updateRun']>[1], string][] = [
        [{ status: 'done', updatedAt: at(40) }, 'resultJson'],
        [{ status: 'failed', updatedAt: at(40) }, 'errorJson'],
        [{ status: 'cancelled', resultJson: '{}', updatedAt: at(40) }, 'resultJson'],
        [{ progress: 0.3, errorJson: '{}', updatedAt: at(40) }, 'errorJson'],
        [{ progress: 1.5, updatedAt: at(40) }, 'progress'],
        [{ progress: Number.NaN, updatedAt: at(40) }, 'progress'],
        [{ status: 'done', resultJson: '{}', progress: 0.5, updatedAt: at(40) }, 'progress'],
        [{ progress: 0.3, updatedAt: 'yesterday' }, 'updatedAt'],
      ];
      for (const [change, field] of cases) {
        const err = aifErrorOf(() => store.updateRun(running.id, change));
        expect(err.code).toBe('E_INVALID_ARGUMENT');
        expect(err.issues[0]?.path, JSON.stringify(change)).toBe(field);
        expect(store.getRun(running.id)).toEqual(running);
      }
      const failed = store.updateRun(running.id, {
        status: 'failed',
        errorJson: '{"code":"E_X","message":"m"}',
        updatedAt: at(41),
      });
      expect(failed).toMatchObject({ errorJson: '{"code":"E_X","message":"m"}', resultJson: null });
    });

    it('throws on an unknown run id', () => {
      const err = aifErrorOf(() =>
        store.updateRun('run_ffffffffffffffff', { status: 'running', updatedAt: at(1) }),
      );
      expect(err.code).toBe('E_INVALID_ARGUMENT');
      expect(err.issues[0]).toMatchObject({ path: 'id', value: 'run_ffffffffffffffff' });
    });

    it('refuses a run of an unknown scenario and writes nothing', () => {
      const err = aifErrorOf(() => store.createRun(newRun('fnv1a64:00000000deadbeef')));
      expect(err.code).toBe('E_INVALID_ARGUMENT');
      expect(err.issues[0]).toMatchObject({
        path: 'scenarioHash',
        value: 'fnv1a64:00000000deadbeef',
      });
      expect(store.listRuns()).toEqual([]);
    });

    it('refuses malformed run keys', () => {
      const { hash } = store.putScenario(scenarioRow('chat'));
      const bad: [Partial<NewRun>, string][] = [
        [{ seed: 1.5 }, 'seed'],
        [{ kind: 'train' as NewRun['kind'] }, 'kind'],
        [{ engineVersion: '' }, 'engineVersion'],
        [{ createdAt: '2026-02-30T00:00:00Z' }, 'createdAt'],
      ];
      for (const [over, field] of bad) {
        expect(aifErrorOf(() => store.createRun(newRun(hash, over))).issues[0]?.path).toBe(field);
      }
      expect(store.listRuns()).toEqual([]);
    });

    it('finds a result only among done runs of exactly that key', () => {
      const { hash } = store.putScenario(scenarioRow('chat'));
      const other = store.putScenario(scenarioRow('other')).hash;
      const key = newRun(hash);
      expect(store.findResult(key.kind, hash, key.seed, key.engineVersion)).toBeUndefined();
      runIn('running', hash);
      runIn('failed', hash);
      runIn('cancelled', hash);
      expect(store.findResult(key.kind, hash, key.seed, key.engineVersion)).toBeUndefined();

      const done = runIn('done', hash);
      const variants = [
        runIn('done', hash, { seed: 43 }),
        runIn('done', hash, { engineVersion: `${key.engineVersion}-dirty` }),
        runIn('done', hash, { kind: 'estimate' }),
        runIn('done', other),
      ];
      expect(store.findResult(key.kind, hash, key.seed, key.engineVersion)).toEqual(done);
      for (const v of variants) {
        expect(store.findResult(v.kind, v.scenarioHash, v.seed, v.engineVersion)).toEqual(v);
      }
      expect(store.findResult('sweep', hash, key.seed, key.engineVersion)).toBeUndefined();
      expect(store.findResult(key.kind, hash, 44, key.engineVersion)).toBeUndefined();
    });

    it('returns the newest of several done runs of one key', () => {
      const { hash } = store.putScenario(scenarioRow('chat'));
      const older = store.createRun(newRun(hash));
      const newer = store.createRun(newRun(hash));
      store.updateRun(newer.id, { status: 'running', updatedAt: at(20) });
      store.updateRun(newer.id, { status: 'done', resultJson: '"newer"', updatedAt: at(21) });
      store.updateRun(older.id, { status: 'running', updatedAt: at(20) });
      store.updateRun(older.id, { status: 'done', resultJson: '"older"', updatedAt: at(22) });
      const k = newRun(hash);
      expect(store.findResult(k.kind, hash, k.seed, k.engineVersion)?.id).toBe(older.id);
    });

    it('returns a ~1 MB result with any Unicode byte-identical', () => {
      const { hash } = store.putScenario(scenarioRow('chat'));
      const run = runIn('running', hash);
      const samples = [
        'ASCII',
        'é€',
        '😀👩‍👩‍👧',
        '漢字かな',
        'e\u0301',
        '\u2028\u2029',
        '\t"\\/',
        '\u0000',
      ];
      const rows = Array.from({ length: 16_000 }, (_, i) => ({
        i,
        text: samples[i % 8],
        x: i / 7,
      }));
      const resultJson = JSON.stringify({ rows, note: 'Ωmega' }, null, 1);
      expect(resultJson.length).toBeGreaterThan(1_000_000);
      store.updateRun(run.id, { status: 'done', resultJson, updatedAt: at(40) });
      const got = store.getRun(run.id)!.resultJson!;
      expect(got.length).toBe(resultJson.length);
      expect(got === resultJson).toBe(true);
      const k = newRun(hash);
      expect(
        store.findResult(k.kind, hash, k.seed, k.engineVersion)?.resultJson === resultJson,
      ).toBe(true);
    });

    it('lists newest first (ties: later insert first), 100 by default, at most limit', () => {
      const a = store.putScenario(scenarioRow('a', 5));
      const b = store.putScenario(scenarioRow('b', 1));
      const c = store.putScenario(scenarioRow('c', 5));
      expect(store.listScenarios().map((s) => s.name)).toEqual(['c', 'a', 'b']);
      expect(store.listScenarios({ limit: 2 })).toEqual([c, a]);

      const ids: string[] = [];
      for (let i = 0; i < 105; i++) {
        ids.push(store.createRun(newRun(a.hash, { createdAt: at(Math.floor(i / 2)) })).id);
      }
      const newestFirst = [...ids].reverse();
      expect(store.listRuns().map((r) => r.id)).toEqual(newestFirst.slice(0, 100));
      expect(store.listRuns({ limit: 3 }).map((r) => r.id)).toEqual(newestFirst.slice(0, 3));
      expect(store.listRuns({ limit: 500 })).toHaveLength(105);
      const forC = store.createRun(newRun(c.hash, { createdAt: at(0) }));
      const { resultJson: _r, errorJson: _e, ...forCSummary } = forC;
      expect(store.listRuns({ scenarioHash: c.hash })).toEqual([forCSummary]);
      // Lists leave the (possibly large) result and error texts out.
      expect(Object.keys(store.listRuns({ limit: 1 })[0]!)).not.toContain('resultJson');
      expect(store.listRuns({ scenarioHash: b.hash })).toEqual([]);
      for (const limit of [0, -1, 1.5]) {
        expect(aifErrorOf(() => store.listRuns({ limit })).issues[0]?.path).toBe('limit');
      }
    });

    it('filters runs by kind, alone or with the scenario, newest first', () => {
      const a = store.putScenario(scenarioRow('a'));
      const b = store.putScenario(scenarioRow('b'));
      const kinds = ['simulate', 'sweep', 'sweep-point', 'sweep', 'estimate'] as const;
      const made = kinds.flatMap((kind, i) =>
        [a, b].map((s) => store.createRun(newRun(s.hash, { kind, createdAt: at(i) }))),
      );
      const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
      const expected = (pick: (r: StoredRun) => boolean) => ids(made.filter(pick).reverse());
      for (const kind of ['simulate', 'estimate', 'sweep', 'sweep-point'] as const) {
        expect(ids(store.listRuns({ kind }))).toEqual(expected((r) => r.kind === kind));
        expect(ids(store.listRuns({ kind, scenarioHash: b.hash }))).toEqual(
          expected((r) => r.kind === kind && r.scenarioHash === b.hash),
        );
      }
      expect(ids(store.listRuns({ kind: 'sweep', limit: 3 }))).toEqual(
        expected((r) => r.kind === 'sweep').slice(0, 3),
      );
      const bad = aifErrorOf(() => store.listRuns({ kind: 'bogus' as RunKind }));
      expect(bad.code).toBe(ERROR_CODES.INVALID_ARGUMENT);
      expect(bad.issues[0]?.path).toBe('kind');
    });

    it('stores timestamps as UTC ISO with milliseconds, so text order is time order', () => {
      const s = store.putScenario({ ...scenarioRow('z'), createdAt: '2026-01-31T13:00:00+01:00' });
      expect(s.createdAt).toBe('2026-01-31T12:00:00.000Z');
      const later = store.putScenario({ ...scenarioRow('y'), createdAt: '2026-01-31T12:00:00.5Z' });
      expect(later.createdAt).toBe('2026-01-31T12:00:00.500Z');
      expect(store.listScenarios().map((x) => x.name)).toEqual(['y', 'z']);
    });

    it('keeps bench runs with their raw logs and lists them without the payloads', () => {
      const rawLogJsonl = Array.from(
        { length: 2000 },
        (_, i) => `{"req":${i},"ttft_s":0.0${i % 10},"text":"tök ${i}"}`,
      ).join('\n');
      const b1 = { id: 'bench-1', reportJson: '{"ttft":1}', rawLogJsonl, createdAt: at(1) };
      const b2 = { id: 'bench-2', reportJson: '{"ttft":2}', rawLogJsonl: null, createdAt: at(2) };
      expect(store.putBenchRun(b1)).toEqual(b1);
      store.putBenchRun(b2);
      expect(store.getBenchRun('bench-1')).toEqual(b1);
      expect(store.getBenchRun('bench-2')?.rawLogJsonl).toBeNull();
      expect(store.getBenchRun('bench-3')).toBeUndefined();
      expect(store.listBenchRuns()).toEqual([
        { id: 'bench-2', createdAt: at(2) },
        { id: 'bench-1', createdAt: at(1) },
      ]);
      expect(store.listBenchRuns({ limit: 1 })).toEqual([{ id: 'bench-2', createdAt: at(2) }]);
      expect(store.putBenchRun(b1)).toEqual(b1); // a retry is a no-op
      const err = aifErrorOf(() => store.putBenchRun({ ...b1, reportJson: '{"ttft":9}' }));
      expect(err.issues[0]).toMatchObject({ path: 'id', value: 'bench-1' });
      expect(store.getBenchRun('bench-1')).toEqual(b1);
    });

    it('keeps calibrations', () => {
      const c1 = {
        id: 'cal-1',
        fileJson: '{"rows":[]}',
        provenance: 'fit 2026-01',
        createdAt: at(1),
      };
      const c2 = { id: 'cal-2', fileJson: '{"rows":[1]}', provenance: 'probe', createdAt: at(2) };
      store.putCalibration(c1);
      store.putCalibration(c2);
      expect(store.getCalibration('cal-1')).toEqual(c1);
      expect(store.getCalibration('cal-9')).toBeUndefined();
      expect(store.listCalibrations()).toEqual([c2, c1]);
      expect(store.listCalibrations({ limit: 1 })).toEqual([c2]);
      expect(() => store.putCalibration({ ...c1, provenance: 'changed' })).toThrow(AifError);
      expect(store.getCalibration('cal-1')).toEqual(c1);
    });

    it('keeps claim checks, filtered by claim', () => {
      const checks = [
        { id: 'cc-1', claimId: 'gb300-tpm', resultJson: '{"v":1}', createdAt: at(1) },
        { id: 'cc-2', claimId: 'h200-x', resultJson: '{"v":2}', createdAt: at(2) },
        { id: 'cc-3', claimId: 'gb300-tpm', resultJson: '{"v":3}', createdAt: at(3) },
      ];
      for (const c of checks) expect(store.putClaimCheck(c)).toEqual(c);
      expect(store.listClaimChecks().map((c) => c.id)).toEqual(['cc-3', 'cc-2', 'cc-1']);
      expect(store.listClaimChecks({ claimId: 'gb300-tpm' })).toEqual([checks[2], checks[0]]);
      expect(store.listClaimChecks({ claimId: 'gb300-tpm', limit: 1 })).toEqual([checks[2]]);
      expect(store.listClaimChecks({ claimId: 'none' })).toEqual([]);
    });

    it('fails the runs a dead process left queued or running, and only those', () => {
      expect(store.failUnfinishedRuns, 'a Store must implement failUnfinishedRuns').toBeTypeOf(
        'function',
      );
      const failUnfinished = (now: string, reason: string) =>
        store.failUnfinishedRuns!(now, reason);
      const { hash } = store.putScenario(scenarioRow('chat'));
      const queued = runIn('queued', hash);
      const running = runIn('running', hash);
      const untouched = (['done', 'failed', 'cancelled'] as const).map((s) => runIn(s, hash));
      expect(failUnfinished(at(100), 'server restarted')).toBe(2);
      for (const r of [queued, running]) {
        const after = store.getRun(r.id)!;
        expect(after).toMatchObject({ status: 'failed', updatedAt: at(100), resultJson: null });
        expect(JSON.parse(after.errorJson!)).toEqual({
          code: 'E_INTERRUPTED',
          message: 'server restarted',
        });
      }
      for (const r of untouched) expect(store.getRun(r.id)).toEqual(r);
      expect(failUnfinished(at(101), 'again')).toBe(0);
    });
  });
}
