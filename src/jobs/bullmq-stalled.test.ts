/**
 * Fault tolerance of the BullMQ executor: a worker process killed with SIGKILL in the middle of
 * a job leaves a stalled job; once its lock expires the other worker's stalled check puts it
 * back on the wait list and runs it. Every job completes exactly once and every result is the
 * one `runJobToJson` gives on this thread.
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
import { createQueueExecutor, type QueueExecutor } from './bullmq-executor.js';
import { runJobToJson } from './handlers.js';
import type { JobSpec } from './types.js';

const TINY = new URL('../../test/fixtures/queue/tiny.yaml', import.meta.url);
/** Lock lifetime and stalled-check period of the workers: recovery within a few seconds. */
const LOCK_MS = 2000;
const STALLED_CHECK_MS = 1000;

const simulateJob = (seed: number): JobSpec => {
  const scenario = parseYaml(readFileSync(TINY, 'utf8')) as Record<string, unknown>;
  // About 2 s of work per job: long enough to be killed mid-job.
  scenario.simulation = { durationSeconds: 120, warmupSeconds: 10 };
  return { kind: 'simulate', payload: { scenario, seed } };
};

const avail = redisAvailability();
const skip = avail.mode === 'none' && !redisRequired();
if (skip) console.warn(`skipping the BullMQ stalled-job test: ${avail.reason}`);

describe.skipIf(skip)('bullmq executor: a worker killed mid-job', () => {
  let redis: TestRedis | undefined;
  let workers: WorkerProcess[] = [];
  let executor: QueueExecutor | undefined;
  let events: QueueEvents | undefined;
  const queueName = uniqueQueueName('stalled');

  beforeAll(async () => {
    redis = await startTestRedis();
    workers = await Promise.all(
      [0, 1].map(() =>
        spawnQueueWorker(redis!.url, {
          queueName,
          lockDurationMs: LOCK_MS,
          stalledIntervalMs: STALLED_CHECK_MS,
        }),
      ),
    );
  }, 90_000);

  afterAll(async () => {
    await executor?.close();
    await events?.close();
    await Promise.allSettled(workers.map((w) => w.stop()));
    if (redis && !redis.owned) {
      const q = new Queue(queueName, { connection: { url: redis.url } });
      await q.obliterate({ force: true }).catch(() => {});
      await q.close();
    }
    await redis?.stop();
  }, 30_000);

  it('retries the killed worker’s job on the other worker after stall detection; each job completes once, all results identical', async () => {
    const url = redis!.url;
    // Every event from the start of the stream: none is missed, whenever this starts reading.
    events = new QueueEvents(queueName, { connection: { url }, lastEventId: '0-0' });
    events.on('error', () => {});
    const log: { event: string; jobId: string; at: number }[] = [];
    const record = (event: string) => (args: { jobId: string }) =>
      log.push({ event, jobId: args.jobId, at: performance.now() });
    for (const e of ['active', 'completed', 'failed', 'stalled'] as const) events.on(e, record(e));
    const firstActive = new Promise<string>((resolve) =>
      events!.on('active', ({ jobId }) => resolve(jobId)),
    );

    executor = createQueueExecutor(url, { queueName, pollIntervalMs: 1000 });
    const jobs = [1, 2, 3, 4].map(simulateJob);
    const settled = new Map<number, number>();
    const pending = jobs.map((j, i) =>
      executor!.submit(j).then((o) => {
        settled.set(i, (settled.get(i) ?? 0) + 1);
        return o;
      }),
    );

    // Kill the worker that took the first job, while it runs it.
    const victimJob = await firstActive;
    const q = new Queue(queueName, { connection: { url } });
    let victim: WorkerProcess | undefined;
    try {
      const processedBy = (await q.getJob(victimJob))?.processedBy;
      victim = workers.find((w) => w.name === processedBy);
      expect(victim, `no worker named ${processedBy}`).toBeDefined();
      expect(await q.getJobState(victimJob)).toBe('active');
      victim!.child.kill('SIGKILL');
      const killedAt = performance.now();
      await victim!.exited;

      const outcomes = await Promise.all(pending);
      expect(outcomes.map((o) => o.resultJson)).toEqual(
        jobs.map((j) => runJobToJson(j, { reportProgress: () => {} })),
      );

      // From the coordinator's view: one settlement per submission.
      expect([...settled.values()]).toEqual([1, 1, 1, 1]);
      // On the queue: every job completed exactly once, none failed; the killed one stalled
      // and was taken again — by the surviving worker.
      const ids = jobs.map((j) => executor!.jobIdFor(j));
      // This test's event reader may lag the coordinator's: wait until it has seen every end.
      const ended = (id: string): boolean =>
        log.some((e) => (e.event === 'completed' || e.event === 'failed') && e.jobId === id);
      for (let waited = 0; !ids.every(ended) && waited < 10_000; waited += 100)
        await new Promise((r) => setTimeout(r, 100));
      for (const id of ids) {
        expect(log.filter((e) => e.event === 'completed' && e.jobId === id)).toHaveLength(1);
        expect(log.filter((e) => e.event === 'failed' && e.jobId === id)).toHaveLength(0);
      }
      const stalled = log.find((e) => e.event === 'stalled' && e.jobId === victimJob);
      expect(stalled, 'no stalled event for the killed job').toBeDefined();
      expect(log.filter((e) => e.event === 'active' && e.jobId === victimJob)).toHaveLength(2);
      const survivor = workers.find((w) => w !== victim)!;
      expect((await q.getJob(victimJob))?.processedBy).toBe(survivor.name);

      const done = log.find((e) => e.event === 'completed' && e.jobId === victimJob)!;
      console.info(
        `stalled recovery: stalled event ${((stalled!.at - killedAt) / 1000).toFixed(1)} s after SIGKILL ` +
          `(lock ${LOCK_MS} ms, stalled check every ${STALLED_CHECK_MS} ms); ` +
          `the job completed ${((done.at - killedAt) / 1000).toFixed(1)} s after SIGKILL`,
      );
    } finally {
      await q.close();
    }
  }, 60_000);
});
