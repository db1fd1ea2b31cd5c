/**
 * `aifactory worker` as a command: option checks through the whole CLI (no Redis needed), and
 * the start–serve–stop sequence with a fake worker. The command against a real queue runs in
 * bullmq.test.ts (worker processes).
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../cli/program.js';
import { addWorkerCommand, formatWorkerEvent } from '../cli/worker-command.js';
import type { QueueWorker, QueueWorkerOptions } from './bullmq-worker.js';

function memoryIo() {
  let out = '';
  let err = '';
  const io: CliIo = {
    readFile: () => {
      throw new Error('no files');
    },
    writeFile: () => {},
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
  };
  return { io, out: () => out, err: () => err };
}

describe('aifactory worker (command)', () => {
  it('needs --queue', async () => {
    const m = memoryIo();
    expect(await runCli(['worker'], m.io)).toBe(2);
    expect(m.err()).toContain('--queue');
  });

  it('refuses a --concurrency that is not a positive integer, and a URL that is not redis://', async () => {
    let m = memoryIo();
    expect(
      await runCli(['worker', '--queue', 'redis://127.0.0.1:1', '--concurrency', '0'], m.io),
    ).toBe(2);
    expect(m.err()).toContain('--concurrency must be an integer ≥ 1');
    m = memoryIo();
    expect(
      await runCli(['worker', '--queue', 'http://127.0.0.1:6379', '--concurrency', '1'], m.io),
    ).toBe(2);
    expect(m.err()).toContain('redis://');
  });

  it('starts the worker with the options given, prints its events, and closes gracefully then at once on a second signal', async () => {
    const m = memoryIo();
    const calls: { url: string; opts: QueueWorkerOptions }[] = [];
    const closes: (boolean | undefined)[] = [];
    const fake: QueueWorker = {
      name: 'bullmq-worker(redis://h:1 q)',
      engineVersion: 'aifactory@test',
      close: async (o) => void closes.push(o?.force),
    };
    const program = new Command().exitOverride();
    addWorkerCommand(program, m.io, {
      start: async (url, opts = {}) => {
        calls.push({ url, opts });
        opts.onEvent?.({ type: 'active', jobId: 'j1', kind: 'simulate', attempt: 2 });
        opts.onEvent?.({ type: 'completed', jobId: 'j1', kind: 'simulate', ms: 1234 });
        opts.onEvent?.({
          type: 'failed',
          jobId: 'j2',
          kind: 'simulate',
          reason: 'boom',
          willRetry: true,
        });
        return fake;
      },
      waitForStop: async (again) => {
        queueMicrotask(again);
        return 'SIGINT';
      },
    });
    await program.parseAsync(
      [
        'worker',
        '--queue',
        'redis://h:1',
        '--queue-name',
        'q',
        '--concurrency',
        '3',
        '--lock-duration',
        '2000',
      ],
      { from: 'user' },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('redis://h:1');
    expect(calls[0]!.opts).toMatchObject({
      queueName: 'q',
      concurrency: 3,
      lockDurationMs: 2000,
      stalledIntervalMs: 30000,
      maxStalledCount: 1,
    });
    expect(m.out()).toContain(
      'worker: serving bullmq-worker(redis://h:1 q) with 3 at a time; engine aifactory@test',
    );
    expect(m.out()).toContain('worker: start  j1 simulate (attempt 2)');
    expect(m.out()).toContain('worker: done   j1 simulate in 1.23 s');
    expect(m.err()).toContain('worker: failed j2 simulate: boom (will be retried)');
    expect(m.out()).toContain('worker: SIGINT: no new jobs');
    expect(m.out()).toContain('worker: stopped');
    expect(closes).toContain(true);
    expect(closes).toContain(undefined);
  });

  it('formats stalled and error events', () => {
    expect(formatWorkerEvent({ type: 'stalled', jobId: 'j' })).toContain('stalled j');
    expect(formatWorkerEvent({ type: 'error', message: 'x' })).toBe('error  x');
  });
});
