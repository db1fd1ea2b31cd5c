/**
 * The conformance suite every `Executor` passes (in-process, worker threads, and the BullMQ
 * executor): results byte-identical to `runJobToJson` on this thread, progress in [0, 1],
 * non-decreasing and ending at 1, AifErrors with code and issue paths intact, cancellation
 * before and during a run, concurrency, and refusal after `close()`.
 *
 * Use from a test file: `describeExecutorConformance('worker-pool(2)', () => createWorkerPoolExecutor({ threads: 2 }))`.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { AifError, ERROR_CODES } from '../core/errors.js';
import { runJobToJson, type ScenarioJobPayload } from './handlers.js';
import { JobCancelledError, type Executor, type JobProgress, type JobSpec } from './types.js';

/** A ~90-simulated-second chat fleet (runs in well under a second). */
export const TINY_SIM_FIXTURE = new URL('../../test/fixtures/jobs/tiny-sim.yaml', import.meta.url);
/** Simulated seconds of the job the cancellation test aborts: long enough to be caught running. */
const LONG_SIM_SECONDS = 3600;

const tinyScenario = (): Record<string, unknown> =>
  parseYaml(readFileSync(TINY_SIM_FIXTURE, 'utf8')) as Record<string, unknown>;

/** The tiny scenario lengthened so that a job is still running when the test reacts to it. */
const longSimulateJob = (): JobSpec => {
  const scenario = tinyScenario();
  scenario.simulation = { durationSeconds: LONG_SIM_SECONDS, warmupSeconds: 15 };
  return { kind: 'simulate', payload: { scenario } };
};

const scenarioJob = (
  kind: 'simulate' | 'estimate',
  payload: Partial<ScenarioJobPayload> = {},
): JobSpec<string, ScenarioJobPayload> => ({
  kind,
  payload: { scenario: tinyScenario(), ...payload },
});

/** The reference result: the job run on this thread, outside any executor. */
const directJson = (job: JobSpec): string => runJobToJson(job, { reportProgress: () => {} });

async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the job to reject, but it resolved');
}

function expectWellFormedProgress(events: readonly JobProgress[]): void {
  expect(events.length).toBeGreaterThan(0);
  for (const [i, e] of events.entries()) {
    expect(e.fraction).toBeGreaterThanOrEqual(0);
    expect(e.fraction).toBeLessThanOrEqual(1);
    if (i > 0) expect(e.fraction).toBeGreaterThanOrEqual(events[i - 1]!.fraction);
  }
  expect(events.at(-1)!.fraction).toBe(1);
}

export function describeExecutorConformance(
  name: string,
  make: () => Executor | Promise<Executor>,
): void {
  describe(`executor conformance: ${name}`, () => {
    let executor: Executor;
    beforeAll(async () => {
      executor = await make();
    });
    afterAll(async () => {
      await executor?.close();
    });

    it('runs a simulate job to the same bytes as runJobToJson, seed override applied, progress well-formed', async () => {
      const job = scenarioJob('simulate', { seed: 5 });
      const events: JobProgress[] = [];
      const { resultJson } = await executor.submit(job, { onProgress: (p) => events.push(p) });
      expect(resultJson).toBe(directJson(job));
      const result = JSON.parse(resultJson) as { kind: string; scenario: { seed: number } };
      expect(result.kind).toBe('aifactory.sim');
      expect(result.scenario.seed).toBe(5);
      expectWellFormedProgress(events);
    });

    it('runs an estimate job to the same bytes as runJobToJson, progress well-formed', async () => {
      const job = scenarioJob('estimate');
      const events: JobProgress[] = [];
      const { resultJson } = await executor.submit(job, { onProgress: (p) => events.push(p) });
      expect(resultJson).toBe(directJson(job));
      expect(JSON.parse(resultJson)).toHaveProperty('deployments.0.name', 'chat-tp4');
      expectWellFormedProgress(events);
    });

    it('rejects a bad payload field with an AifError naming the field', async () => {
      const e = await rejectionOf(
        executor.submit({ kind: 'simulate', payload: { scenario: tinyScenario(), seed: 'x' } }),
      );
      expect(e).toBeInstanceOf(AifError);
      expect((e as AifError).code).toBe(ERROR_CODES.INVALID_ARGUMENT);
      expect((e as AifError).issues).toEqual([
        expect.objectContaining({ path: 'seed', value: 'x' }),
      ]);
    });

    it('rejects an invalid scenario with the scenario parser’s code and the field’s path', async () => {
      const scenario = tinyScenario();
      const classes = (scenario.workload as { classes: Record<string, unknown>[] }).classes;
      classes[0]!.arrivals = { process: 'poisson', requestsPerSecond: -3 };
      const e = await rejectionOf(executor.submit({ kind: 'estimate', payload: { scenario } }));
      expect(e).toBeInstanceOf(AifError);
      expect((e as AifError).code).toBe(ERROR_CODES.SCENARIO_INVALID);
      expect((e as AifError).issues).toContainEqual(
        expect.objectContaining({
          path: 'workload.classes.0.arrivals.requestsPerSecond',
          value: -3,
          file: 'scenario',
        }),
      );
    });

    it('rejects an unknown kind with an AifError on `kind`', async () => {
      const e = await rejectionOf(executor.submit({ kind: 'no-such-kind', payload: {} }));
      expect(e).toBeInstanceOf(AifError);
      expect((e as AifError).code).toBe(ERROR_CODES.INVALID_ARGUMENT);
      expect((e as AifError).issues[0]).toMatchObject({ path: 'kind', value: 'no-such-kind' });
    });

    it('rejects a job aborted before it starts with JobCancelledError, without running it', async () => {
      const controller = new AbortController();
      controller.abort();
      const events: JobProgress[] = [];
      const e = await rejectionOf(
        executor.submit(scenarioJob('simulate'), {
          signal: controller.signal,
          onProgress: (p) => events.push(p),
        }),
      );
      expect(e).toBeInstanceOf(JobCancelledError);
      expect(events).toEqual([]);
    });

    it('cancels a running job with JobCancelledError, then runs the next job correctly', async () => {
      const controller = new AbortController();
      let started = false;
      const e = await rejectionOf(
        executor.submit(longSimulateJob(), {
          signal: controller.signal,
          // The first event (fraction 0, "started") is sent once the job runs: abort then.
          onProgress: () => {
            started = true;
            controller.abort();
          },
        }),
      );
      expect(started).toBe(true);
      expect(e).toBeInstanceOf(JobCancelledError);

      const next = scenarioJob('simulate', { seed: 9 });
      expect((await executor.submit(next)).resultJson).toBe(directJson(next));
    });

    it('runs 4 jobs submitted at once, each to its own result', async () => {
      const jobs = [
        scenarioJob('simulate', { seed: 1 }),
        scenarioJob('simulate', { seed: 2 }),
        scenarioJob('estimate', { seed: 3 }),
        scenarioJob('simulate', { seed: 4 }),
      ];
      const outcomes = await Promise.all(jobs.map((j) => executor.submit(j)));
      const results = outcomes.map((o) => o.resultJson);
      expect(results).toEqual(jobs.map(directJson));
      // Different seeds give different results, so a mix-up between jobs could not pass.
      expect(new Set(results).size).toBe(jobs.length);
    });

    it('close() cancels a running job, and a submit after close() rejects with an AifError', async () => {
      const own = await make();
      let closing: Promise<void> | undefined;
      const e = await rejectionOf(
        own.submit(longSimulateJob(), {
          onProgress: () => {
            closing ??= own.close();
          },
        }),
      );
      expect(e).toBeInstanceOf(JobCancelledError);
      await closing;
      const after = await rejectionOf(own.submit(scenarioJob('estimate')));
      expect(after).toBeInstanceOf(AifError);
      expect((after as AifError).code).toBe(ERROR_CODES.INVALID_ARGUMENT);
    });
  });
}
