/**
 * The worker-thread executor (the default): a fixed pool of piscina threads, each running jobs
 * with `runJobToJson` (worker.ts). Results come back as the worker serialised them, so they are
 * byte-identical to any other executor's.
 *
 * - TypeScript workers: the worker file is `worker.ts`, loaded through the tsx loader. Threads
 *   inherit the process's `execArgv`; the tsx loader is added unless the process already runs
 *   under it (`tsx src/cli/main.ts` passes `--import <tsx loader>`; vitest forks and
 *   `bin/aifactory.js`, which registers tsx through its API, do not).
 * - Progress: each task carries one end of a MessageChannel; the worker posts `JobProgress`
 *   there, throttled to ~10 events/s.
 * - Cancellation: piscina's `signal`; a queued task is dropped, a running task's thread is
 *   terminated (and replaced). The promise rejects with JobCancelledError.
 * - Errors: the worker returns AifErrors as data and they are rebuilt here with code and issues;
 *   other errors arrive as an Error with their message.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { requireArg } from '../core/errors.js';
import { deserialiseJobError, executorClosedError } from './support.js';
import { JobCancelledError, type Executor, type JobOutcome, type JobProgress } from './types.js';
import type { WorkerReply, WorkerTask } from './worker.js';

export interface WorkerPoolOptions {
  /** Worker threads (min = max: the pool is started once and kept). */
  threads: number;
}

const WORKER_URL = new URL('./worker.ts', import.meta.url).href;

/** The tsx ESM loader as a file URL (resolved from here, so it works from any working directory). */
const tsxLoaderUrl = (): string =>
  pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * `execArgv` for worker threads: the process's own flags, plus the tsx loader unless an
 * `--import` of tsx is already among them (importing the loader twice would register it twice).
 */
export function workerExecArgv(
  processExecArgv: readonly string[] = process.execArgv,
  loaderUrl: string = tsxLoaderUrl(),
): string[] {
  const isTsx = (spec: string | undefined): boolean => spec === 'tsx' || spec === loaderUrl;
  const hasLoader = processExecArgv.some(
    (arg, i) =>
      (arg === '--import' && isTsx(processExecArgv[i + 1])) ||
      (arg.startsWith('--import=') && isTsx(arg.slice('--import='.length))),
  );
  return hasLoader ? [...processExecArgv] : [...processExecArgv, '--import', loaderUrl];
}

/** Deliver the messages already queued on `port` (the worker posted them before it returned). */
function drain(port: MessagePort, deliver: (p: JobProgress) => void): void {
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port))
    deliver(m.message as JobProgress);
}

export function createWorkerPoolExecutor(opts: WorkerPoolOptions): Executor {
  const threads = opts.threads;
  requireArg(
    Number.isInteger(threads) && threads >= 1,
    'createWorkerPoolExecutor',
    `threads must be a positive integer (got ${String(threads)})`,
  );
  const name = `worker-threads(${threads})`;
  const pool = new Piscina<WorkerTask, WorkerReply>({
    filename: WORKER_URL,
    minThreads: threads,
    maxThreads: threads,
    execArgv: workerExecArgv(),
  });
  let closed = false;
  /** Aborted by `close()`: cancels queued and running jobs. */
  const closing = new AbortController();

  async function submit(
    job: WorkerTask['job'],
    options: Parameters<Executor['submit']>[1] = {},
  ): Promise<JobOutcome> {
    if (closed) throw executorClosedError(name);
    const userSignal = options.signal;
    if (userSignal?.aborted) throw new JobCancelledError();
    /** Aborted when `onProgress` throws: the job stops and rejects with that error. */
    const callbackFailed = new AbortController();
    let callbackError: unknown;
    const signal = AbortSignal.any([
      closing.signal,
      callbackFailed.signal,
      ...(userSignal ? [userSignal] : []),
    ]);

    const { port1, port2 } = new MessageChannel();
    let lastFraction: number | undefined;
    const deliver = (p: JobProgress): void => {
      if (callbackError !== undefined || options.onProgress === undefined) return;
      lastFraction = p.fraction;
      try {
        options.onProgress(p);
      } catch (e) {
        callbackError = e;
        callbackFailed.abort();
      }
    };
    port1.on('message', deliver);

    const cancelled = (): boolean => closing.signal.aborted || userSignal?.aborted === true;
    try {
      let reply: WorkerReply;
      try {
        reply = await pool.run({ job, progressPort: port2 }, { transferList: [port2], signal });
      } catch (e) {
        if (callbackError !== undefined) throw callbackError;
        if (cancelled()) throw new JobCancelledError();
        throw e instanceof Error ? new Error(e.message) : new Error(String(e));
      }
      if (cancelled()) throw new JobCancelledError();
      if (!reply.ok) throw deserialiseJobError(reply.error);
      drain(port1, deliver);
      if (callbackError !== undefined) throw callbackError;
      // The worker always reports 1 at the end; should that message be lost, say it anyway.
      if ((lastFraction ?? 0) < 1) deliver({ fraction: 1, message: 'done' });
      return { resultJson: reply.resultJson };
    } finally {
      port1.close();
    }
  }

  return {
    name,
    submit,
    async close() {
      if (closed) return;
      closed = true;
      closing.abort();
      await pool.destroy();
    },
  };
}
