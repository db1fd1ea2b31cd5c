/**
 * `POST /api/sweeps` and `GET /api/runs?kind=`: a sweep sent over HTTP is the CLI's sweep (the
 * same orchestration): its stored SweepResult is byte-identical to `aifactory sweep --json`,
 * its points are `sweep-point` runs, stored points are reused; refused specs write nothing;
 * cancel and shutdown stop its jobs. While it runs, its progress (points done/total, feasible so
 * far) comes on the run's SSE stream and in `GET /api/runs/:id`; the built-in sweep examples
 * come with their base inline, the CLI's sweep of the same file.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../catalog/catalog.js';
import { JobCancelledError, type Executor } from '../../jobs/types.js';
import { prepareSweep } from '../../sweep/points.js';
import type { SweepResult } from '../../sweep/run.js';
import { parseSweepSpecYaml, sweepYamlData } from '../../sweep/spec.js';
import type { ApiExample } from './app.js';
import { inlineSweepBase } from './examples.js';
import { sweepFromYaml, type SweepProgress } from './sweeps.js';
import {
  cliStdout,
  makeApi,
  parseSse,
  postJson,
  rowCounts,
  type SseEvent,
  type TestApi,
} from './test-helpers.js';

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

/** The progress events of a sweep's SSE body, and its final event. */
function progressOf(events: SseEvent[]): {
  steps: { fraction: number; sweep: SweepProgress }[];
  last: SseEvent;
} {
  const steps = events.slice(0, -1).map((e) => {
    expect(e.event).toBe('progress');
    const d = e.data as { fraction: number; sweep?: SweepProgress };
    expect(d.sweep, JSON.stringify(d)).toBeDefined();
    return { fraction: d.fraction, sweep: d.sweep! };
  });
  return { steps, last: events.at(-1)! };
}

/** Counts only grow; the share done never falls. */
function expectMonotone(steps: { fraction: number; sweep: SweepProgress }[]): void {
  for (let i = 1; i < steps.length; i++) {
    const [a, b] = [steps[i - 1]!, steps[i]!];
    expect(b.fraction).toBeGreaterThanOrEqual(a.fraction);
    expect(b.sweep.done).toBeGreaterThanOrEqual(a.sweep.done);
    expect(b.sweep.feasible).toBeGreaterThanOrEqual(a.sweep.feasible);
    expect(b.sweep.elapsedSeconds).toBeGreaterThanOrEqual(a.sweep.elapsedSeconds);
  }
}

describe('sweep progress on the run’s SSE stream', () => {
  // 4 points: H100/H200 × max batch 32/128.
  const small = gridYaml.replace('[32, 40, 48, 56, 128]', '[32, 128]');
  let t: TestApi;
  beforeAll(() => {
    t = makeApi();
  });
  afterAll(() => t.close());

  it('sends points done of the total and feasible so far, ending at the result’s counts', async () => {
    const { id } = (await body(await postJson(t.app, '/api/sweeps', { yaml: small }))) as {
      id: string;
    };
    const events = parseSse(await (await t.app.request(`/api/runs/${id}/events`)).text());
    const { steps, last } = progressOf(events);
    expect(last).toEqual({ event: 'done', data: { id, status: 'done' } });
    await t.app.sweeps.idle();
    const result = JSON.parse(t.store.getRun(id)!.resultJson!) as SweepResult;
    expect(result.counts.points).toBe(4);

    // The first event: the batch is known, nothing done yet.
    expect(steps[0]!.sweep).toMatchObject({ done: 0, total: 4, totalIsBound: false, batch: 1 });
    // Each point's completion is told (points in flight move the share in between).
    expect(new Set(steps.map((s) => s.sweep.done))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(steps.every((s) => s.sweep.total === 4)).toBe(true);
    expectMonotone(steps);
    expect(steps.some((s) => s.fraction > 0 && s.fraction < 1 && s.sweep.done === 0)).toBe(true);
    // The last: every point, the result's feasible and failed counts.
    expect(steps.at(-1)).toMatchObject({
      fraction: 1,
      sweep: {
        done: 4,
        total: 4,
        totalIsBound: false,
        feasible: result.counts.feasible,
        failed: result.counts.failed,
        cached: 0,
      },
    });
    expect(t.app.runs.events.listenerCount()).toBe(0);
    expect(t.app.sweeps.progressOf(id)).toBeUndefined();
  });

  it('counts points answered from the store', async () => {
    // 6 points, 4 of them stored by the sweep above.
    const more = gridYaml.replace('[32, 40, 48, 56, 128]', '[32, 64, 128]');
    const { id } = (await body(await postJson(t.app, '/api/sweeps', { yaml: more }))) as {
      id: string;
    };
    const { steps, last } = progressOf(
      parseSse(await (await t.app.request(`/api/runs/${id}/events`)).text()),
    );
    expect(last.event).toBe('done');
    expect(steps[0]!.sweep).toMatchObject({ done: 4, total: 6, cached: 4 });
    expectMonotone(steps);
    expect(steps.at(-1)!.sweep).toMatchObject({ done: 6, total: 6, cached: 4 });
  });

  it('says a sweep answered wholly from the store is done at once', async () => {
    const { id } = (await body(await postJson(t.app, '/api/sweeps', { yaml: small }))) as {
      id: string;
    };
    const events = parseSse(await (await t.app.request(`/api/runs/${id}/events`)).text());
    expect(events).toEqual([{ event: 'done', data: { id, status: 'done' } }]);
  });

  it('bounds a capacity search’s total by its rounds, exact once the searches end', async () => {
    const base = gridYaml.slice(gridYaml.indexOf('base:'), gridYaml.indexOf('axes:'));
    // One search on [2, 32] to high/low ≤ 1.5: ⌈log₂(ln 16 / ln 1.5)⌉ = 3 rounds after the bracket.
    const yaml = `name: capacity progress
seed: 7
${base}strategy:
  kind: capacity
  path: workload.classes.0.arrivals.requestsPerSecond
  low: 2
  high: 32
  relativeTolerance: 0.5
  maxIterations: 12
objective: { maximize: goodputTokensPerSecond }
constraints:
  - { metric: ttftP99Seconds, max: 2 }
`;
    const res = await postJson(t.app, '/api/sweeps', { yaml });
    expect(res.status).toBe(202);
    const { id } = (await body(res)) as { id: string };
    const { steps, last } = progressOf(
      parseSse(await (await t.app.request(`/api/runs/${id}/events`)).text()),
    );
    expect(last.event).toBe('done');
    const result = JSON.parse(t.store.getRun(id)!.resultJson!) as SweepResult;
    const search = result.search.capacity!.searches[0]!;
    expect(steps[0]!.sweep).toMatchObject({ done: 0, total: 5, totalIsBound: true, batch: 1 });
    expectMonotone(steps);
    for (let i = 1; i < steps.length; i++)
      expect(steps[i]!.sweep.total).toBeLessThanOrEqual(steps[i - 1]!.sweep.total);
    expect(steps.every((s) => s.sweep.done <= s.sweep.total)).toBe(true);
    expect(steps.at(-1)!.sweep).toMatchObject({
      done: result.counts.points,
      total: result.counts.points,
      totalIsBound: false,
      feasible: result.counts.feasible,
      batch: result.counts.batches,
    });
    expect(Math.max(...steps.map((s) => s.sweep.batch))).toBe(1 + search.rounds);
  });
});

describe('a running sweep’s progress without the stream; its end on the stream', () => {
  it('GET /api/runs/:id of a running sweep carries sweepProgress; cancel ends the stream', async () => {
    const executor = hangingExecutor();
    const t = makeApi({ executor });
    try {
      const { id } = (await body(await postJson(t.app, '/api/sweeps', { yaml: gridYaml }))) as {
        id: string;
      };
      const run = (await body(await t.app.request(`/api/runs/${id}`))) as {
        status: string;
        sweepProgress?: SweepProgress;
      };
      expect(run.status).toBe('running');
      expect(run.sweepProgress).toMatchObject({ done: 0, total: 10, feasible: 0, batch: 1 });
      const stream = await t.app.request(`/api/runs/${id}/events`);
      const text = stream.text();
      expect((await postJson(t.app, `/api/runs/${id}/cancel`, {})).status).toBe(200);
      const events = parseSse(await text);
      expect(events[0]).toMatchObject({
        event: 'progress',
        data: { fraction: 0, sweep: { done: 0, total: 10 } },
      });
      expect(events.at(-1)).toEqual({ event: 'cancelled', data: { id, status: 'cancelled' } });
      await t.app.sweeps.idle();
      expect(t.app.runs.events.listenerCount()).toBe(0);
      const after = (await body(await t.app.request(`/api/runs/${id}`))) as {
        sweepProgress?: unknown;
      };
      expect(after.sweepProgress).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('ends the stream of a sweep running at shutdown with failed', async () => {
    const t = makeApi({ executor: hangingExecutor() });
    try {
      const { id } = (await body(await postJson(t.app, '/api/sweeps', { yaml: gridYaml }))) as {
        id: string;
      };
      const text = (await t.app.request(`/api/runs/${id}/events`)).text();
      await t.app.shutdown('server stopping');
      expect(parseSse(await text).at(-1)).toEqual({
        event: 'failed',
        data: { id, status: 'failed' },
      });
    } finally {
      await t.close();
    }
  });
});

describe('the built-in sweep examples (GET /api/examples)', () => {
  it('gives each with its base file inline: the CLI’s sweep of the file, accepted by POST /api/sweeps', async () => {
    const t = makeApi({ executor: hangingExecutor() });
    try {
      const list = (await body(await t.app.request('/api/examples'))) as ApiExample[];
      const sweeps = list.filter((e) => e.kind === 'sweep');
      expect(sweeps.map((e) => e.id).sort()).toEqual(['sweep-capacity', 'sweep-chat-h100']);
      for (const e of sweeps) {
        expect(e.yaml).not.toMatch(/^baseFile:/m);
        expect(e.yaml).toMatch(/^base: /m);
        // The same question as `aifactory sweep examples/<id>.yaml`: the same spec hash.
        const text = readFileSync(e.file, 'utf8');
        const spec = parseSweepSpecYaml(text, e.file);
        const baseText = readFileSync(`examples/${spec.baseFile!}`, 'utf8');
        const cliHash = prepareSweep(spec, sweepYamlData(baseText, spec.baseFile!), {
          engineVersion: t.app.engineVersion,
          catalog: defaultCatalog(),
          basePath: '',
        }).specHash;
        const res = await postJson(t.app, '/api/sweeps', { yaml: e.yaml });
        expect(res.status, await res.clone().text()).toBe(202);
        const { id } = (await body(res)) as { id: string };
        expect((await postJson(t.app, `/api/runs/${id}/cancel`, {})).status).toBe(200);
        expect(sweepFromYaml(e.yaml, 'yaml', defaultCatalog(), t.app.engineVersion).specHash).toBe(
          cliHash,
        );
      }
    } finally {
      await t.close();
    }
  });

  it('leaves a spec without a baseFile line, or naming a file that is missing, as it is', () => {
    expect(inlineSweepBase(gridYaml, () => 'x: 1')).toBe(gridYaml);
    const spec = 'name: s\nbaseFile: nope.yaml\naxes: []\n';
    expect(inlineSweepBase(spec, () => undefined)).toBe(spec);
    expect(
      inlineSweepBase(spec, (f) => (f === 'nope.yaml' ? '# c\na: 1\n\nb: [2]\n' : undefined)),
    ).toBe(
      'name: s\nbase: # nope.yaml, inline (the server reads no files a request names)\n  # c\n  a: 1\n\n  b: [2]\naxes: []\n',
    );
  });
});
