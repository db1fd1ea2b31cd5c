/**
 * The BullMQ executor against a real Redis (a private `redis-server` per file, or
 * AIFACTORY_TEST_REDIS_URL) and real `aifactory worker` processes: the executor conformance
 * suite, byte-identical results, idempotent job ids, engine-version refusal, batches (flows),
 * cancellation. The stalled-job recovery test is in bullmq-stalled.test.ts.
 */
import { readFileSync } from 'node:fs';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  redisAvailability,
  redisRequired,
  startTestRedis,
  uniqueQueueName,
  type TestRedis,
} from '../../test/support/redis.js';
import { spawnQueueWorker, type WorkerProcess } from '../../test/support/queue-workers.js';
import { AifError, ERROR_CODES } from '../core/errors.js';
import {
  BATCH_JOB_NAME,
  CANCELLED_REASON,
  createQueueExecutor,
  queueJobId,
  type BatchSummary,
  type QueueExecutor,
} from './bullmq-executor.js';
import { describeExecutorConformance } from './executor-conformance.js';
import { engineVersionFor, runJobToJson } from './handlers.js';
import { createInProcessExecutor } from './in-process.js';
import { startQueueWorker } from './bullmq-worker.js';
import { JobCancelledError, type Executor, type JobSpec } from './types.js';

const TINY = new URL('../../test/fixtures/queue/tiny.yaml', import.meta.url);
const tinyScenario = (): Record<string, unknown> =>
  parseYaml(readFileSync(TINY, 'utf8')) as Record<string, unknown>;
const simulateJob = (seed: number, durationSeconds?: number): JobSpec => {
  const scenario = tinyScenario();
  if (durationSeconds !== undefined) scenario.simulation = { durationSeconds, warmupSeconds: 10 };
  return { kind: 'simulate', payload: { scenario, seed } };
};
const direct = (job: JobSpec): string => runJobToJson(job, { reportProgress: () => {} });

async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection, got a result');
}

/** Poll `probe` every 100 ms until it returns true (bounded by `limitMs`). */
async function until(probe: () => Promise<boolean>, limitMs = 20_000): Promise<void> {
  const end = performance.now() + limitMs;
  while (!(await probe())) {
    if (performance.now() > end) throw new Error(`condition not met within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every event of a queue's stream from its start (no start-up race), by name. */
function recordEvents(url: string, queueName: string) {
  const qe = new QueueEvents(queueName, { connection: { url }, lastEventId: '0-0' });
  qe.on('error', () => {});
  const seen: { event: string; jobId: string; returnvalue?: unknown; failedReason?: string }[] = [];
  for (const event of ['active', 'completed', 'failed', 'stalled', 'progress'] as const)
    qe.on(event, (args: { jobId: string; returnvalue?: unknown; failedReason?: string }) =>
      seen.push({ event, ...args }),
    );
  return {
    seen,
    count: (event: string, jobId: string) =>
      seen.filter((e) => e.event === event && e.jobId === jobId).length,
    close: () => qe.close(),
  };
}

const avail = redisAvailability();
const skip = avail.mode === 'none' && !redisRequired();
if (skip) console.warn(`skipping the BullMQ executor tests: ${avail.reason}`);

describe('bullmq executor: arguments and unreachable Redis (no Redis needed)', () => {
  it('refuses a URL that is not redis:// or rediss://, and a queue name with ":"', () => {
    for (const url of ['http://127.0.0.1:6379', 'not a url']) {
      const e = (() => {
        try {
          createQueueExecutor(url);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(AifError);
      expect((e as AifError).code).toBe(ERROR_CODES.INVALID_ARGUMENT);
    }
    expect(() => createQueueExecutor('redis://127.0.0.1:1', { queueName: 'a:b' })).toThrow(
      /queueName/,
    );
  });

  it('names the URL (password hidden) in E_QUEUE_UNAVAILABLE when Redis cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there (tcpmux, never served on test machines).
    const url = 'redis://:hunter2@127.0.0.1:1';
    const executor = createQueueExecutor(url, { connectTimeoutMs: 300 });
    expect(executor.name).not.toContain('hunter2');
    const e = await rejectionOf(executor.submit(simulateJob(1)));
    expect(e).toBeInstanceOf(AifError);
    expect((e as AifError).code).toBe(ERROR_CODES.QUEUE_UNAVAILABLE);
    expect((e as AifError).message).toContain('redis://:***@127.0.0.1:1');
    expect((e as AifError).message).not.toContain('hunter2');
    await executor.close();
  });

  it('fails a worker start on an unreachable Redis with E_QUEUE_UNAVAILABLE', async () => {
    const { startQueueWorker } = await import('./bullmq-worker.js');
    const e = await rejectionOf(startQueueWorker('redis://127.0.0.1:1', { connectTimeoutMs: 300 }));
    expect(e).toBeInstanceOf(AifError);
    expect((e as AifError).code).toBe(ERROR_CODES.QUEUE_UNAVAILABLE);
    expect((e as AifError).message).toContain('redis://127.0.0.1:1');
  });

  it('gives a job the content hash of {kind, payload, engineVersion} as its id', () => {
    const executor = createQueueExecutor('redis://127.0.0.1:1', { connectTimeoutMs: 1 });
    const job = simulateJob(3);
    const id = executor.jobIdFor(job);
    expect(id).toMatch(/^fnv1a64-[0-9a-f]{16}$/);
    expect(id).toBe(queueJobId(job.kind, job.payload, engineVersionFor(job.payload)));
    expect(executor.jobIdFor(simulateJob(3))).toBe(id);
    expect(executor.jobIdFor(simulateJob(4))).not.toBe(id);
    void executor.close();
  });
});

describe.skipIf(skip)('bullmq executor with 2 `aifactory worker` processes', () => {
  let redis: TestRedis | undefined;
  let workers: WorkerProcess[] = [];
  const queueName = uniqueQueueName('main');
  let url = '';
  let executor: QueueExecutor;

  beforeAll(async () => {
    redis = await startTestRedis();
    url = redis.url;
    workers = await Promise.all(
      [0, 1].map(() =>
        spawnQueueWorker(url, { queueName, lockDurationMs: 5000, stalledIntervalMs: 2000 }),
      ),
    );
    executor = createQueueExecutor(url, { queueName, pollIntervalMs: 1000 });
  }, 90_000);

  afterAll(async () => {
    await executor?.close();
    await Promise.allSettled(workers.map((w) => w.stop()));
    if (redis && !redis.owned) {
      const q = new Queue(queueName, { connection: { url } });
      await q.obliterate({ force: true }).catch(() => {});
      await q.close();
    }
    await redis?.stop();
  }, 30_000);

  describeExecutorConformance('bullmq (2 worker processes)', () =>
    createQueueExecutor(url, { queueName, pollIntervalMs: 1000 }),
  );

  it('gives byte-identical results to runJobToJson for a list of simulate jobs', async () => {
    const jobs = [11, 12, 13, 14].map((seed) => simulateJob(seed));
    const viaQueue = await Promise.all(jobs.map((j) => executor.submit(j)));
    const results = viaQueue.map((o) => o.resultJson);
    expect(results).toEqual(jobs.map(direct));
    expect(new Set(results).size).toBe(jobs.length);
    // Both worker processes took part (2 workers, 4 jobs of about a second each).
    const q = new Queue(queueName, { connection: { url } });
    const by = await Promise.all(
      jobs.map(async (j) => (await q.getJob(executor.jobIdFor(j)))?.processedBy),
    );
    await q.close();
    expect(new Set(by)).toEqual(new Set(workers.map((w) => w.name)));
  });

  it('makes one BullMQ job of the same job submitted 3 times (2 coordinators), and serves a later submission from the stored result', async () => {
    const events = recordEvents(url, queueName);
    const other = createQueueExecutor(url, { queueName });
    try {
      const job = simulateJob(21);
      const id = executor.jobIdFor(job);
      expect(other.jobIdFor(job)).toBe(id);
      const [a, b, c] = await Promise.all([
        executor.submit(job),
        executor.submit(job),
        other.submit(job),
      ]);
      const expected = direct(job);
      expect([a!.resultJson, b!.resultJson, c!.resultJson]).toEqual([expected, expected, expected]);
      const again = await other.submit(job);
      expect(again.resultJson).toBe(expected);

      const q = new Queue(queueName, { connection: { url } });
      const jobs = await q.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed']);
      await q.close();
      expect(jobs.filter((j) => j.id === id)).toHaveLength(1);
      await until(async () => events.count('completed', id) >= 1);
      expect(events.count('active', id)).toBe(1);
      expect(events.count('completed', id)).toBe(1);
    } finally {
      await other.close();
      await events.close();
    }
  });

  it('refuses a job built under another engine version: failed once, not retried, both versions named', async () => {
    const foreign = 'aifactory@9.9.9 catalog:000000000000 calibration:000000000000';
    const stranger = createQueueExecutor(url, {
      queueName,
      engineVersionFor: () => foreign,
      attempts: 3,
    });
    try {
      const job = simulateJob(22);
      const e = await rejectionOf(stranger.submit(job));
      expect(e).toBeInstanceOf(AifError);
      expect((e as AifError).code).toBe(ERROR_CODES.ENGINE_VERSION_MISMATCH);
      const ours = engineVersionFor(job.payload);
      expect((e as AifError).message).toContain(foreign);
      expect((e as AifError).message).toContain(ours);

      const q = new Queue(queueName, { connection: { url } });
      const id = stranger.jobIdFor(job);
      const stored = await q.getJob(id);
      const state = await q.getJobState(id);
      await q.close();
      expect(state).toBe('failed');
      expect(stored!.attemptsMade).toBe(1);
      expect(stored!.failedReason).toMatch(/^E_ENGINE_VERSION_MISMATCH: /);
    } finally {
      await stranger.close();
    }
  });

  it('runs a batch as one flow: results in input order (a duplicate included), one result callback per job', async () => {
    const events = recordEvents(url, queueName);
    try {
      const jobs = [
        simulateJob(31),
        simulateJob(32),
        simulateJob(31),
        { kind: 'estimate', payload: { scenario: tinyScenario() } },
      ];
      const seen: number[] = [];
      const outcomes = await executor.submitBatch(jobs, { onResult: (i) => seen.push(i) });
      expect(outcomes.map((o) => o.resultJson)).toEqual(jobs.map(direct));
      expect([...seen].sort()).toEqual([0, 1, 2, 3]);
      // The parent job ran once its children were done; its summary lists them in input order.
      await until(async () =>
        events.seen.some((e) => e.event === 'completed' && e.jobId.startsWith('batch-')),
      );
      const parent = events.seen.find(
        (e) => e.event === 'completed' && e.jobId.startsWith('batch-'),
      )!;
      const summary = JSON.parse(parent.returnvalue as string) as BatchSummary;
      expect(summary.childIds).toEqual(jobs.map((j) => executor.jobIdFor(j)));
      expect(summary.completed).toBe(3);
      expect(BATCH_JOB_NAME).toBe('aifactory-batch');
    } finally {
      await events.close();
    }
  });

  it('settles every job of a batch, keeping the feasible results when one job is invalid', async () => {
    const bad = tinyScenario();
    (bad.workload as { classes: Record<string, unknown>[] }).classes[0]!.arrivals = {
      process: 'poisson',
      requestsPerSecond: -1,
    };
    const good = simulateJob(41);
    const settled = await executor.submitBatchSettled([
      good,
      { kind: 'simulate', payload: { scenario: bad } },
    ]);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: { resultJson: direct(good) } });
    expect(settled[1]!.status).toBe('rejected');
    const e = (settled[1] as PromiseRejectedResult).reason as AifError;
    expect(e).toBeInstanceOf(AifError);
    expect(e.code).toBe(ERROR_CODES.SCENARIO_INVALID);
    expect(e.issues).toContainEqual(
      expect.objectContaining({ path: 'workload.classes.0.arrivals.requestsPerSecond' }),
    );
  });

  it('cancels an active job: the coordinator rejects at once, the worker stops it and fails it as cancelled (not retried)', async () => {
    const controller = new AbortController();
    const job = simulateJob(51, 3600);
    const e = await rejectionOf(
      executor.submit(job, {
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
    );
    expect(e).toBeInstanceOf(JobCancelledError);
    const q = new Queue(queueName, { connection: { url } });
    try {
      const id = executor.jobIdFor(job);
      await until(async () => (await q.getJobState(id)) === 'failed');
      const stored = await q.getJob(id);
      expect(stored!.failedReason).toBe(CANCELLED_REASON);
      expect(stored!.attemptsMade).toBe(1);
    } finally {
      await q.close();
    }
    // Both workers are free again.
    const next = [52, 53].map((s) => simulateJob(s));
    const outcomes = await Promise.all(next.map((j) => executor.submit(j)));
    expect(outcomes.map((o) => o.resultJson)).toEqual(next.map(direct));
  });

  it('retries an attempt that failed with a plain error, and names E_JOB_FAILED after the last one (in-process worker)', async () => {
    const flakyQueue = uniqueQueueName('flaky');
    const inner = createInProcessExecutor();
    let calls = 0;
    let failFrom = 1;
    let failTo = 1;
    const flaky: Executor = {
      name: 'flaky',
      submit: (job, o) => {
        calls++;
        return calls >= failFrom && calls <= failTo
          ? Promise.reject(new Error(`transient failure ${calls}`))
          : inner.submit(job, o);
      },
      close: () => inner.close(),
    };
    const worker = await startQueueWorker(url, { queueName: flakyQueue, executor: flaky });
    const coordinator = createQueueExecutor(url, {
      queueName: flakyQueue,
      attempts: 2,
      backoffMs: 50,
      pollIntervalMs: 500,
    });
    const q = new Queue(flakyQueue, { connection: { url } });
    try {
      // First attempt fails, the retry succeeds.
      const job = simulateJob(91);
      expect((await coordinator.submit(job)).resultJson).toBe(direct(job));
      expect(calls).toBe(2);
      expect((await q.getJob(coordinator.jobIdFor(job)))!.attemptsMade).toBe(2);

      // Both attempts fail: E_JOB_FAILED with the last error's message.
      failFrom = 3;
      failTo = 4;
      const doomed = simulateJob(92);
      const e = await rejectionOf(coordinator.submit(doomed));
      expect(e).toBeInstanceOf(AifError);
      expect((e as AifError).code).toBe(ERROR_CODES.JOB_FAILED);
      expect((e as AifError).message).toMatch(/after 2 attempts: transient failure 4$/);
      expect(calls).toBe(4);
    } finally {
      await coordinator.close();
      await worker.close();
      await inner.close();
      await q.obliterate({ force: true }).catch(() => {});
      await q.close();
    }
  });

  it('a forced close puts the running job back on the wait list, no attempt counted; another worker completes it', async () => {
    const handoverQueue = uniqueQueueName('handover');
    const first = await startQueueWorker(url, { queueName: handoverQueue });
    let second: Awaited<ReturnType<typeof startQueueWorker>> | undefined;
    const coordinator = createQueueExecutor(url, { queueName: handoverQueue, pollIntervalMs: 500 });
    const events = recordEvents(url, handoverQueue);
    const q = new Queue(handoverQueue, { connection: { url } });
    try {
      const job = simulateJob(95, 120);
      const id = coordinator.jobIdFor(job);
      let closing: Promise<void> | undefined;
      const pending = coordinator.submit(job, {
        onProgress: () => {
          closing ??= first.close({ force: true });
        },
      });
      await until(async () => closing !== undefined);
      await closing;
      expect(await q.getJobState(id)).toBe('waiting');
      expect((await q.getJob(id))!.attemptsMade).toBe(0);
      second = await startQueueWorker(url, { queueName: handoverQueue });
      expect((await pending).resultJson).toBe(direct(job));
      expect(events.count('failed', id)).toBe(0);
    } finally {
      await coordinator.close();
      await first.close();
      await second?.close();
      await events.close();
      await q.obliterate({ force: true }).catch(() => {});
      await q.close();
    }
  }, 60_000);

  it('removes a waiting job on cancel (a queue no worker serves)', async () => {
    const idle = uniqueQueueName('idle');
    const coordinator = createQueueExecutor(url, { queueName: idle });
    const q = new Queue(idle, { connection: { url } });
    try {
      const controller = new AbortController();
      const job = simulateJob(61);
      const id = coordinator.jobIdFor(job);
      const pending = coordinator.submit(job, { signal: controller.signal });
      await until(async () => (await q.getJobState(id)) === 'waiting');
      controller.abort();
      expect(await rejectionOf(pending)).toBeInstanceOf(JobCancelledError);
      await until(async () => (await q.getJob(id)) === undefined);
    } finally {
      await coordinator.close();
      await q.obliterate({ force: true }).catch(() => {});
      await q.close();
    }
  });

  it('fails a whole batch on its first failure and cancels the rest', async () => {
    const bad = tinyScenario();
    bad.seed = -1;
    const long = simulateJob(71, 3600);
    const e = await rejectionOf(
      executor.submitBatch([{ kind: 'simulate', payload: { scenario: bad } }, long]),
    );
    expect(e).toBeInstanceOf(AifError);
    expect((e as AifError).code).toBe(ERROR_CODES.SCENARIO_INVALID);
    const q = new Queue(queueName, { connection: { url } });
    try {
      const id = executor.jobIdFor(long);
      // Removed while waiting, or stopped and failed as cancelled while running.
      await until(async () => {
        const state = await q.getJobState(id);
        return state === 'unknown' || state === 'failed';
      });
    } finally {
      await q.close();
    }
  });

  it('prints a line per job, and on SIGTERM a worker finishes its running job and exits 0', async () => {
    const job = simulateJob(81, 120);
    const id = executor.jobIdFor(job);
    const events = recordEvents(url, queueName);
    const q = new Queue(queueName, { connection: { url } });
    try {
      const pending = executor.submit(job);
      await until(async () => events.count('active', id) >= 1);
      const name = (await q.getJob(id))?.processedBy;
      const worker = workers.find((w) => w.name === name)!;
      expect(worker, `no worker named ${name}`).toBeDefined();
      worker.child.kill('SIGTERM');
      expect((await pending).resultJson).toBe(direct(job));
      await worker.exited;
      expect(worker.child.exitCode).toBe(0);
      expect(worker.output()).toContain(`worker: start  ${id} simulate`);
      expect(worker.output()).toMatch(new RegExp(`worker: done   ${id} simulate in [0-9.]+ s`));
      expect(worker.output()).toContain('worker: SIGTERM: no new jobs');
      expect(worker.output()).toContain('worker: stopped');
      // Completed by the worker that was stopping: taken once, never stalled.
      expect(events.count('active', id)).toBe(1);
    } finally {
      await q.close();
      await events.close();
    }
  });
});
