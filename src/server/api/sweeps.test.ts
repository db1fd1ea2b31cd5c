/**
 * `POST /api/sweeps` and `GET /api/runs?kind=`: a sweep sent over HTTP is the CLI's sweep (the
 * same orchestration): its stored SweepResult is byte-identical to `aifactory sweep --json`,
 * its points are `sweep-point` runs, stored points are reused; refused specs write nothing;
 * cancel and shutdown stop its jobs.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobCancelledError, type Executor } from '../../jobs/types.js';
import type { SweepResult } from '../../sweep/run.js';
import { cliStdout, makeApi, postJson, rowCounts, type TestApi } from './test-helpers.js';

const GRID = 'test/fixtures/sweep/inline-grid.yaml';
const gridYaml = readFileSync(GRID, 'utf8');
const body = async (res: Response): Promise<unknown> => JSON.parse(await res.text()) as unknown;
type ErrorBody = {
  error: {
    code: string;
    message: string;
    issues: { path: string; message: string; line?: number; column?: number; file?: string }[];
  };
};
type RunRow = { id: string; kind: string; status: string; scenarioHash: string };

/** An executor whose jobs run until they are cancelled. */
function hangingExecutor(): Executor & { submitted: number } {
  const ex = {
    name: 'hanging',
    submitted: 0,
    submit(_job: unknown, opts: { signal?: AbortSignal } = {}) {
      ex.submitted++;
      return new Promise<never>((_, reject) =>
        opts.signal?.addEventListener('abort', () => reject(new JobCancelledError())),
      );
    },
    close: async () => undefined,
  };
  return ex;
}

describe('POST /api/sweeps', () => {
  let t: TestApi;
  beforeAll(() => {
    t = makeApi();
  });
  afterAll(() => t.close());

  it('runs the sweep in the background and stores what `aifactory sweep --json` prints', async () => {
    const res = await postJson(t.app, '/api/sweeps', { yaml: gridYaml });
    expect(res.status).toBe(202);
    const started = (await body(res)) as { id: string; status: string };
    expect(started.status).toBe('running');
    expect(res.headers.get('location')).toBe(`/api/runs/${started.id}`);
    await t.app.sweeps.idle();

    const cli = await cliStdout(['sweep', GRID, '--workers', '0', '--json']);
    expect(t.store.getRun(started.id)!.resultJson).toBe(cli);
    const run = (await body(await t.app.request(`/api/runs/${started.id}`))) as RunRow & {
      result: SweepResult;
    };
    expect(run.kind).toBe('sweep');
    expect(run.status).toBe('done');
    expect(run.result).toEqual(JSON.parse(cli));
    expect(run.result.counts.points).toBe(10);

    // The list filters by kind: the sweep, and each of its points as a done `sweep-point` run.
    const sweeps = (await body(await t.app.request('/api/runs?kind=sweep'))) as RunRow[];
    expect(sweeps.map((r) => r.id)).toEqual([started.id]);
    const points = (await body(await t.app.request('/api/runs?kind=sweep-point'))) as RunRow[];
    expect(points).toHaveLength(10);
    expect(points.every((r) => r.kind === 'sweep-point' && r.status === 'done')).toBe(true);
    expect(new Set(points.map((r) => r.scenarioHash))).toEqual(
      new Set(run.result.points.map((p) => p.scenarioHash)),
    );
    const all = (await body(await t.app.request('/api/runs?limit=1000'))) as RunRow[];
    expect(all).toHaveLength(11);
    const both = (await body(
      await t.app.request(
        `/api/runs?kind=sweep&scenarioHash=${encodeURIComponent(run.scenarioHash)}`,
      ),
    )) as RunRow[];
    expect(both.map((r) => r.id)).toEqual([started.id]);
  });

  it('answers the points of a second sweep from the store', async () => {
    const before = rowCounts(t.store).runs;
    const res = await postJson(t.app, '/api/sweeps', { yaml: gridYaml });
    const { id } = (await body(res)) as { id: string };
    await t.app.sweeps.idle();
    expect(rowCounts(t.store).runs).toBe(before + 1); // the sweep run only: no point ran again
    const first = t.store.listRuns({ kind: 'sweep' }).find((r) => r.id !== id)!;
    expect(t.store.getRun(id)!.resultJson).toBe(t.store.getRun(first.id)!.resultJson);
  });

  it('refuses an unknown kind in the run list', async () => {
    const res = await t.app.request('/api/runs?kind=bogus');
    expect(res.status).toBe(400);
    expect(((await body(res)) as ErrorBody).error.issues[0]!.path).toBe('kind');
  });

  it('refuses baseFile (the server reads no paths), naming the field, and writes nothing', async () => {
    const before = rowCounts(t.store);
    const yaml = readFileSync('test/fixtures/sweep/identity.yaml', 'utf8');
    const res = await postJson(t.app, '/api/sweeps', { yaml });
    expect(res.status).toBe(400);
    const e = ((await body(res)) as ErrorBody).error;
    expect(e.code).toBe('E_INVALID_ARGUMENT');
    expect(e.message).toContain('baseFile');
    const line = yaml.split('\n').findIndex((l) => l.startsWith('baseFile:')) + 1;
    expect(e.issues).toEqual([expect.objectContaining({ path: 'baseFile', line, file: 'yaml' })]);
    expect(rowCounts(t.store)).toEqual(before);
  });

  it('places an axis value the catalog lacks in the YAML, and writes nothing', async () => {
    const before = rowCounts(t.store);
    const yaml = gridYaml.replace('[hgx-h100-8gpu, hgx-h200-8gpu]', '[hgx-h100-8gpu, hgx-h900]');
    const res = await postJson(t.app, '/api/sweeps', { yaml });
    expect(res.status).toBe(400);
    const issue = ((await body(res)) as ErrorBody).error.issues[0]!;
    expect(issue.path).toMatch(/^axes\.0\.values\.1/);
    expect(issue.line).toBe(yaml.split('\n').findIndex((l) => l.includes('hgx-h900')) + 1);
    expect(rowCounts(t.store)).toEqual(before);
    const bad = await postJson(t.app, '/api/sweeps', { yaml: gridYaml, seed: 1 });
    expect(bad.status).toBe(400);
    expect(((await body(bad)) as ErrorBody).error.issues[0]!.path).toBe('seed');
  });
});

describe('POST /api/sweeps: cancel and shutdown', () => {
  it('cancels a running sweep: the run is cancelled, its jobs cancelled, no point left running', async () => {
    const executor = hangingExecutor();
    const t = makeApi({ executor });
    try {
      const { id } = (await body(await postJson(t.app, '/api/sweeps', { yaml: gridYaml }))) as {
        id: string;
      };
      await new Promise((r) => setImmediate(r));
      expect(executor.submitted).toBe(10);
      const res = await postJson(t.app, `/api/runs/${id}/cancel`, {});
      expect(res.status).toBe(200);
      expect(await body(res)).toEqual({ id, status: 'cancelled' });
      await t.app.sweeps.idle();
      expect(t.app.sweeps.isActive(id)).toBe(false);
      expect(t.store.getRun(id)!.status).toBe('cancelled');
      const points = t.store.listRuns({ kind: 'sweep-point' });
      expect(points).toHaveLength(10);
      expect(points.every((p) => p.status === 'failed')).toBe(true);
      expect((await postJson(t.app, `/api/runs/${id}/cancel`, {})).status).toBe(409);
    } finally {
      await t.close();
    }
  });

  it('records a sweep running at shutdown as failed (E_INTERRUPTED)', async () => {
    const t = makeApi({ executor: hangingExecutor() });
    try {
      const { id } = (await body(await postJson(t.app, '/api/sweeps', { yaml: gridYaml }))) as {
        id: string;
      };
      await t.app.shutdown('server stopping');
      expect(t.app.sweeps.isActive(id)).toBe(false);
      const run = t.store.getRun(id)!;
      expect(run.status).toBe('failed');
      expect(JSON.parse(run.errorJson!)).toEqual({
        code: 'E_INTERRUPTED',
        message: 'server stopping',
      });
      const points = t.store.listRuns({ kind: 'sweep-point' });
      expect(points.every((p) => p.status === 'failed')).toBe(true);
    } finally {
      await t.close();
    }
  });
});
