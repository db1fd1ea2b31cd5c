/**
 * `aifactory worker --queue redis://host:6379`: serve the job queue that `aifactory sweep
 * --queue …` (and any other BullMQ-executor coordinator) fills — run jobs until SIGINT/SIGTERM,
 * printing a line per job. The first signal stops taking jobs and waits for the running ones;
 * a second one stops at once (those jobs' locks lapse and other workers take them over).
 * docs/queue.md tells how to run workers on several machines.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import {
  startQueueWorker,
  type QueueWorkerEvent,
  type QueueWorkerOptions,
} from '../jobs/bullmq-worker.js';
import { DEFAULT_QUEUE_NAME } from '../jobs/bullmq-executor.js';
import { inputError, type CliIo } from './io.js';

export interface WorkerCommandDeps {
  /** Starts the worker (tests pass a fake). */
  start?: typeof startQueueWorker;
  /**
   * Resolves on a stop request, calling `again` on a second one (default: SIGINT/SIGTERM of
   * this process).
   */
  waitForStop?: (again: () => void) => Promise<string>;
}

/** The first SIGINT/SIGTERM resolves; a later one calls `again`. */
function waitForProcessSignal(again: () => void): Promise<string> {
  return new Promise((resolve) => {
    let seen = false;
    const on = (sig: NodeJS.Signals): void => {
      if (seen) {
        process.off('SIGINT', on);
        process.off('SIGTERM', on);
        again();
        return;
      }
      seen = true;
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

function positiveInt(flag: string, value: string, min = 1): number {
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= min))
    throw inputError(`${flag} must be an integer ≥ ${min}, got '${value}'`);
  return n;
}

/** One line per worker event. */
export function formatWorkerEvent(e: QueueWorkerEvent): string {
  switch (e.type) {
    case 'active':
      return `start  ${e.jobId} ${e.kind}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
    case 'completed':
      return `done   ${e.jobId} ${e.kind}${e.ms === undefined ? '' : ` in ${(e.ms / 1000).toFixed(2)} s`}`;
    case 'failed':
      return `failed ${e.jobId} ${e.kind}: ${e.reason}${e.willRetry ? ' (will be retried)' : ''}`;
    case 'stalled':
      return `stalled ${e.jobId}: its worker stopped renewing the lock; back to the wait list`;
    case 'error':
      return `error  ${e.message}`;
  }
}

export function addWorkerCommand(program: Command, io: CliIo, deps: WorkerCommandDeps = {}): void {
  const start = deps.start ?? startQueueWorker;
  const waitForStop = deps.waitForStop ?? waitForProcessSignal;
  program
    .command('worker')
    .description(
      'run jobs from a Redis job queue (BullMQ) for coordinators such as `aifactory sweep --queue`; runs until SIGINT/SIGTERM (docs/queue.md)',
    )
    .requiredOption('--queue <url>', 'Redis URL of the queue, e.g. redis://127.0.0.1:6379')
    .option(
      '--queue-name <name>',
      'queue name (the coordinators’ --queue-name)',
      DEFAULT_QUEUE_NAME,
    )
    .option(
      '--concurrency <n>',
      'jobs run at once, each on its own thread (default: the CPUs available)',
    )
    .option('--lock-duration <ms>', 'job lock lifetime; renewed at half of it', '30000')
    .option('--stalled-interval <ms>', 'how often to look for jobs of dead workers', '30000')
    .option('--max-stalled <n>', 'times a job may stall before it fails', '1')
    .action(
      async (opts: {
        queue: string;
        queueName: string;
        concurrency?: string;
        lockDuration: string;
        stalledInterval: string;
        maxStalled: string;
      }) => {
        const options: QueueWorkerOptions = {
          queueName: opts.queueName,
          concurrency:
            opts.concurrency === undefined
              ? availableParallelism()
              : positiveInt('--concurrency', opts.concurrency),
          lockDurationMs: positiveInt('--lock-duration', opts.lockDuration, 100),
          stalledIntervalMs: positiveInt('--stalled-interval', opts.stalledInterval, 100),
          maxStalledCount: positiveInt('--max-stalled', opts.maxStalled, 0),
          onEvent: (e) => {
            const line = `worker: ${formatWorkerEvent(e)}\n`;
            if (e.type === 'error' || e.type === 'failed') io.stderr(line);
            else io.stdout(line);
          },
        };
        const worker = await start(opts.queue, options);
        io.stdout(
          `worker: serving ${worker.name} with ${options.concurrency} at a time; engine ${worker.engineVersion}; stop with Ctrl+C\n`,
        );
        let forced: Promise<void> | undefined;
        const signal = await waitForStop(() => {
          io.stdout(
            'worker: stopping now; running jobs go back to the queue when their locks lapse\n',
          );
          forced = worker.close({ force: true });
        });
        io.stdout(
          `worker: ${signal}: no new jobs; waiting for the running ones (signal again to stop at once)\n`,
        );
        await worker.close();
        if (forced) await forced;
        io.stdout('worker: stopped\n');
      },
    );
}
