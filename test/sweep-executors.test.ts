/**
 * Issue 8's first guarantee: the same sweep gives byte-identical merged results on 1 worker
 * thread, 2 worker threads and 2 BullMQ worker processes (`aifactory worker`) — and in this
 * thread. Runs the real `aifactory sweep --json` through the CLI (in memory I/O) with each
 * executor. Needs redis-server (or AIFACTORY_TEST_REDIS_URL); without it the queue case is
 * skipped locally and fails in CI.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../src/cli/program.js';
import { spawnQueueWorker, type WorkerProcess } from './support/queue-workers.js';
import {
  redisAvailability,
  redisRequired,
  startTestRedis,
  uniqueQueueName,
  type TestRedis,
} from './support/redis.js';

const SPEC = 'test/fixtures/sweep/identity.yaml';

async function sweepJson(args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const io: CliIo = {
    readFile: (p) => readFileSync(p, 'utf8'),
    writeFile: (p, text) => {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text, 'utf8');
    },
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
  };
  const code = await runCli(
    ['sweep', SPEC, '--json', '--out', '.aifactory/test-sweep.json', ...args],
    io,
  );
  if (code !== 0) throw new Error(`sweep ${args.join(' ')} exited ${code}: ${err}`);
  return out;
}

describe('one sweep, every executor, identical results', () => {
  const results = new Map<string, string>();

  it('in this thread', async () => {
    results.set('in-process', await sweepJson(['--workers', '0']));
    const r = JSON.parse(results.get('in-process')!) as { points: unknown[] };
    expect(r.points).toHaveLength(4);
  });

  it('on 1 worker thread', async () => {
    results.set('1 thread', await sweepJson(['--workers', '1']));
    expect(results.get('1 thread')).toBe(results.get('in-process'));
  });

  it('on 2 worker threads', async () => {
    results.set('2 threads', await sweepJson(['--workers', '2']));
    expect(results.get('2 threads')).toBe(results.get('in-process'));
  });

  const avail = redisAvailability();
  const skip = avail.mode === 'none' && !redisRequired();
  describe.skipIf(skip)('on 2 BullMQ worker processes', () => {
    let redis: TestRedis;
    const workers: WorkerProcess[] = [];
    const queueName = uniqueQueueName('sweep-identity');
    beforeAll(async () => {
      redis = await startTestRedis();
      for (let i = 0; i < 2; i++)
        workers.push(await spawnQueueWorker(redis.url, { queueName, concurrency: 1 }));
    }, 120_000);
    afterAll(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await redis?.stop();
    }, 60_000);

    it('gives the same bytes, with both workers taking points', async () => {
      const queued = await sweepJson(['--queue', redis.url, '--queue-name', queueName]);
      expect(queued).toBe(results.get('in-process'));
      const busy = workers.filter((w) => /^worker: done +\S+ simulate/m.test(w.output()));
      expect(busy.length).toBe(2);
    }, 180_000);
  });
});
