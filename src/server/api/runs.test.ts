/**
 * The run lifecycle through the API: 202 → SSE progress → done → the stored SimResult equals
 * `aifactory run --json` for the same scenario and seed; a resubmission is a cache hit; a
 * running simulation is cancelled (worker-thread executor, so the job really runs meanwhile).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerPoolExecutor } from '../../jobs/worker-pool.js';
import {
  cliStdout,
  FIXTURE,
  fixtureYaml,
  makeApi,
  parseSse,
  postJson,
  rowCounts,
  type TestApi,
} from './test-helpers.js';

const json = async <T>(res: Response): Promise<T> => JSON.parse(await res.text()) as T;

interface RunView {
  id: string;
  kind: string;
  status: string;
  progress: number;
  seed: number;
  scenarioHash: string;
  scenarioName: string;
  result?: unknown;
  error?: unknown;
}

describe('run lifecycle (in-process executor)', () => {
  let t: TestApi;
  beforeAll(() => {
    t = makeApi();
  });
  afterAll(() => t.close());

  it('202 → SSE progress → done; the result equals `aifactory run --json`', async () => {
    const res = await postJson(t.app, '/api/runs', { yaml: fixtureYaml() });
    expect(res.status).toBe(202);
    const started = await json<{ id: string; status: string }>(res);
    expect(started.status).toBe('queued');
    expect(res.headers.get('location')).toBe(`/api/runs/${started.id}`);

    const stream = await t.app.request(`/api/runs/${started.id}/events`);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await stream.text());
    const last = events.at(-1)!;
    expect(last).toEqual({ event: 'done', data: { id: started.id, status: 'done' } });
    const fractions = events.slice(0, -1).map((e) => {
      expect(e.event).toBe('progress');
      return (e.data as { fraction: number }).fraction;
    });
    expect(fractions.length).toBeGreaterThan(0);
    for (let i = 1; i < fractions.length; i++)
      expect(fractions[i]!).toBeGreaterThanOrEqual(fractions[i - 1]!);
    expect(t.app.runs.events.listenerCount()).toBe(0);

    const run = await json<RunView>(await t.app.request(`/api/runs/${started.id}`));
    expect(run).toMatchObject({
      id: started.id,
      kind: 'simulate',
      status: 'done',
      progress: 1,
      seed: 11,
    });
    expect(run.scenarioName).toBe('chat fleet on one HGX H100 — Llama 3.1 70B fp8');
    const cli = JSON.parse(await cliStdout(['run', FIXTURE, '--json'])) as unknown;
    expect(run.result).toEqual(cli);

    // A stream opened after the end gets the final event at once.
    const late = parseSse(await (await t.app.request(`/api/runs/${started.id}/events`)).text());
    expect(late).toEqual([{ event: 'done', data: { id: started.id, status: 'done' } }]);

    const list = await json<RunView[]>(await t.app.request('/api/runs'));
    const row = list.find((r) => r.id === started.id)!;
    expect(row).toMatchObject({ status: 'done', scenarioHash: run.scenarioHash });
    expect(row.result).toBeUndefined();
  });

  it('a resubmission (by YAML or by hash) is answered from the store', async () => {
    const first = await json<{ id: string }>(
      await postJson(t.app, '/api/runs', { yaml: fixtureYaml() }),
    );
    await (await t.app.request(`/api/runs/${first.id}/events`)).text();
    const before = rowCounts(t.store);
    const again = await postJson(t.app, '/api/runs', { yaml: fixtureYaml() });
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual({ id: first.id, status: 'done', cached: true });
    const { scenarioHash } = t.store.getRun(first.id)!;
    const byHash = await postJson(t.app, '/api/runs', { scenarioHash, seed: 11 });
    expect(await json(byHash)).toEqual({ id: first.id, status: 'done', cached: true });
    expect(rowCounts(t.store)).toEqual(before);

    // Another seed is another question.
    const other = await postJson(t.app, '/api/runs', { scenarioHash, seed: 12 });
    expect(other.status).toBe(202);
    const o = await json<{ id: string }>(other);
    expect(o.id).not.toBe(first.id);
    await (await t.app.request(`/api/runs/${o.id}/events`)).text();
    const seeded = await json<RunView & { result: { scenario: { seed: number } } }>(
      await t.app.request(`/api/runs/${o.id}`),
    );
    expect(seeded.seed).toBe(12);
    expect(seeded.result.scenario.seed).toBe(12);
  });

  it('POST /api/cost {runId} equals `aifactory cost --run --json`; compare {runId} equals the CLI on the result file', async () => {
    const { id } = await json<{ id: string }>(
      await postJson(t.app, '/api/runs', { yaml: fixtureYaml() }),
    );
    await (await t.app.request(`/api/runs/${id}/events`)).text();
    const cost = await postJson(t.app, '/api/cost', { runId: id });
    expect(cost.status).toBe(200);
    expect(await json(cost)).toEqual(
      JSON.parse(await cliStdout(['cost', FIXTURE, '--run', '--json'])),
    );

    const run = await json<RunView>(await t.app.request(`/api/runs/${id}`));
    const files = new Map([['run.json', JSON.stringify(run.result)]]);
    const compared = await postJson(t.app, '/api/compare', {
      a: { runId: id },
      b: { yaml: fixtureYaml() },
    });
    expect(compared.status).toBe(200);
    expect(await json(compared)).toEqual(
      JSON.parse(await cliStdout(['compare', 'run.json', FIXTURE, '--json'], files)),
    );
  });

  it('a scenario that fails in the engine is stored as a failed run with its error', async () => {
    // Two deployments and a class that names neither: the twin refuses it, the estimate does not check it.
    const yaml = fixtureYaml().replace(
      'deployments:\n',
      'deployments:\n  - { name: other, model: llama-3.1-70b, system: hgx-h100-8gpu, precision: fp8, parallelism: { tp: 8 }, systems: 1, engine: { name: vllm } }\n',
    );
    const res = await postJson(t.app, '/api/runs', { yaml });
    expect(res.status).toBe(202);
    const { id } = await json<{ id: string }>(res);
    const events = parseSse(await (await t.app.request(`/api/runs/${id}/events`)).text());
    expect(events.at(-1)).toEqual({ event: 'failed', data: { id, status: 'failed' } });
    const run = await json<RunView & { error: { code: string; issues: { path: string }[] } }>(
      await t.app.request(`/api/runs/${id}`),
    );
    expect(run.status).toBe('failed');
    expect(run.error.code).toBe('E_SCENARIO_INVALID');
    expect(run.error.issues[0]!.path).toBe('workload.classes.0.deployment');
  });
});

describe('cancel (worker-thread executor)', () => {
  let t: TestApi;
  beforeAll(() => {
    t = makeApi({ executor: createWorkerPoolExecutor({ threads: 1 }) });
  });
  afterAll(() => t.close());

  it('cancels a running simulation: 200, SSE ends cancelled, the row stays cancelled', async () => {
    // An hour of simulated time: minutes of work, so it is surely still running when cancelled.
    const yaml = fixtureYaml().replace('durationSeconds: 20', 'durationSeconds: 3600');
    const res = await postJson(t.app, '/api/runs', { yaml });
    expect(res.status).toBe(202);
    const { id } = await json<{ id: string }>(res);
    const stream = await t.app.request(`/api/runs/${id}/events`);
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Read until the job has reported progress (it is running in the worker).
    while (!/event: progress/.test(text) || t.store.getRun(id)!.status !== 'running') {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(t.store.getRun(id)!.status).toBe('running');
    const during = await json<RunView>(await t.app.request(`/api/runs/${id}`));
    expect(during.status).toBe('running');
    expect(during.result).toBeUndefined();

    const cancel = await t.app.request(`/api/runs/${id}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(200);
    expect(await json(cancel)).toEqual({ id, status: 'cancelled' });
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(parseSse(text).at(-1)).toEqual({
      event: 'cancelled',
      data: { id, status: 'cancelled' },
    });

    // The executor's rejection does not overwrite the cancellation.
    await t.app.runs.idle();
    expect(t.app.runs.activeCount()).toBe(0);
    const run = t.store.getRun(id)!;
    expect(run.status).toBe('cancelled');
    expect(run.resultJson).toBeNull();
    const after = await json<RunView>(await t.app.request(`/api/runs/${id}`));
    expect(after.status).toBe('cancelled');
    const again = await t.app.request(`/api/runs/${id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
  });
});
