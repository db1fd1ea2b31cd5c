/**
 * The worker side of the BullMQ executor (bullmq-executor.ts): takes jobs from the queue, runs
 * them with `runJobToJson` and returns the result text as the BullMQ job's return value.
 * `aifactory worker` (cli/worker-command.ts) runs one; any number may serve one queue, on any
 * machines that reach the Redis.
 *
 * - Engine version: before running a job, the worker computes `engineVersionFor(payload)` with
 *   its own code and data and compares it with the version the coordinator sent. A mismatch
 *   fails the job with an UnrecoverableError naming both versions (refused, not retried): its
 *   result would not be the coordinator's.
 * - Where jobs run: on the executor passed in, by default a worker-thread pool of `concurrency`
 *   threads (worker-pool.ts, whose threads call `runJobToJson`). Keeping the simulation off the
 *   main thread keeps the event loop free to renew the job locks, send progress and hear
 *   cancellations; a job that blocked the loop for longer than `lockDurationMs` would be taken
 *   for stalled and run twice.
 * - Progress: the handler's reports go to `job.updateProgress` (at most `progressPerSecond`
 *   a second per job); the coordinator receives them as queue events.
 * - Failures: an AifError (invalid payload, engine-version refusal) is deterministic and fails
 *   the job at once (UnrecoverableError `CODE: message`); any other error fails this attempt
 *   and BullMQ retries the job up to its `attempts`. Either way the error goes to the job log as
 *   JSON (`ERROR_LOG_PREFIX`), so the coordinator rebuilds it with its code and issues.
 * - Stalled jobs: a worker killed mid-job (SIGKILL, power loss) stops renewing the job's lock.
 *   Once the lock expires (`lockDurationMs`), another worker's stalled check (every
 *   `stalledIntervalMs`) moves the job back to the wait list and a worker runs it again — within
 *   about lockDurationMs + 2 × stalledIntervalMs. A job stalled more than `maxStalledCount`
 *   times fails.
 * - Cancellation: the coordinator publishes a `CANCEL_EVENT` for an active job; the worker
 *   running it aborts it (the pool terminates that thread) and fails it with `CANCELLED_REASON`,
 *   not retried.
 * - `close()`: stops taking jobs and waits for the running ones to finish. `force`: stops the
 *   running ones and puts them back on the wait list at once (no attempt counted), for other
 *   workers. A worker that dies instead leaves them to the stalled check.
 */
import { hostname } from 'node:os';
import { EventEmitter } from 'node:events';
import { QueueEvents, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { AifError, ERROR_CODES, isAifError, requireArg } from '../core/errors.js';
import {
  BATCH_JOB_NAME,
  CANCEL_EVENT,
  CANCELLED_REASON,
  connectAll,
  connectionFor,
  DEFAULT_QUEUE_NAME,
  ERROR_LOG_PREFIX,
  parseQueueUrl,
  validateQueueName,
  type BatchJobData,
  type BatchSummary,
  type QueueClient,
  type QueueJobData,
} from './bullmq-executor.js';
import { engineVersionFor as computeEngineVersion } from './handlers.js';
import { serialiseJobError, throttleProgress } from './support.js';
import { createWorkerPoolExecutor } from './worker-pool.js';
import { JobCancelledError, type Executor, type JobProgress, type JobSpec } from './types.js';

export interface QueueWorkerOptions {
  /** Jobs run at once (default 1); also the default pool's thread count. */
  concurrency?: number;
  /** BullMQ queue name (default `aifactory-jobs`): the coordinators' `queueName`. */
  queueName?: string;
  /** A job's lock lasts this long and is renewed at half of it (default 30 000 ms). */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs (default 30 000 ms). */
  stalledIntervalMs?: number;
  /** Stalls a job survives before it fails (default 1). */
  maxStalledCount?: number;
  /** How long to try to reach Redis at start before failing (default 10 000 ms). */
  connectTimeoutMs?: number;
  /** Progress updates sent per job and second at most (default 4). */
  progressPerSecond?: number;
  /**
   * Where jobs run (default: a worker-thread pool of `concurrency` threads, closed with the
   * worker). A caller's executor is not closed by `close()`.
   */
  executor?: Executor;
  /** Recorded on each job as `processedBy` (default `<hostname>:<pid>`). */
  name?: string;
  /** What the worker does, for logs (`aifactory worker` prints these). */
  onEvent?: (e: QueueWorkerEvent) => void;
}

export type QueueWorkerEvent =
  | { type: 'active'; jobId: string; kind: string; attempt: number }
  | { type: 'completed'; jobId: string; kind: string; ms: number | undefined }
  | { type: 'failed'; jobId: string; kind: string; reason: string; willRetry: boolean }
  | { type: 'stalled'; jobId: string }
  | { type: 'error'; message: string };

export interface QueueWorker {
  /** `bullmq-worker(<url> <queue>)`. */
  readonly name: string;
  /** This worker's engine version for a payload without catalog/calibration fields. */
  readonly engineVersion: string;
  /** Stop taking jobs; wait for the running ones unless `force`. Idempotent. */
  close(opts?: { force?: boolean }): Promise<void>;
}

/** Abort reason of the jobs a forced close stops. */
const STOPPING_REASON = 'worker stopping';

const DEFAULTS = {
  concurrency: 1,
  queueName: DEFAULT_QUEUE_NAME,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 1,
  connectTimeoutMs: 10_000,
  progressPerSecond: 4,
};

/** The refusal of a job built under another engine version. */
export function engineVersionMismatch(jobVersion: string, workerVersion: string): AifError {
  return new AifError(
    ERROR_CODES.ENGINE_VERSION_MISMATCH,
    `engine version mismatch: the job was built for '${jobVersion}' but this worker runs '${workerVersion}'; refused (run coordinator and workers from the same aifactory build, catalog and calibration)`,
  );
}

/** The executor before the worker is connected (never called: the worker has not run yet). */
const notStarted: Executor = {
  name: 'not started',
  submit: () => Promise.reject(new Error('queue worker not started')),
  close: async () => {},
};

function checkJobData(data: unknown): QueueJobData {
  const d = data as Partial<QueueJobData> | null;
  if (
    !d ||
    typeof d !== 'object' ||
    !d.spec ||
    typeof d.spec.kind !== 'string' ||
    typeof d.engineVersion !== 'string'
  )
    throw new AifError(
      ERROR_CODES.INVALID_ARGUMENT,
      'queued job data is not {spec: {kind, payload}, engineVersion}: was it added by an aifactory coordinator?',
    );
  return d as QueueJobData;
}

/**
 * Start a worker on the queue at `url`; resolves once it is connected.
 * @throws AifError E_INVALID_ARGUMENT (URL, options), E_QUEUE_UNAVAILABLE (Redis unreachable).
 */
export async function startQueueWorker(
  url: string,
  opts: QueueWorkerOptions = {},
): Promise<QueueWorker> {
  const target = parseQueueUrl(url);
  const o = {
    concurrency: opts.concurrency ?? DEFAULTS.concurrency,
    queueName: opts.queueName ?? DEFAULTS.queueName,
    lockDurationMs: opts.lockDurationMs ?? DEFAULTS.lockDurationMs,
    stalledIntervalMs: opts.stalledIntervalMs ?? DEFAULTS.stalledIntervalMs,
    maxStalledCount: opts.maxStalledCount ?? DEFAULTS.maxStalledCount,
    connectTimeoutMs: opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    progressPerSecond: opts.progressPerSecond ?? DEFAULTS.progressPerSecond,
  };
  validateQueueName(o.queueName, 'startQueueWorker');
  for (const [k, min] of [
    ['concurrency', 1],
    ['lockDurationMs', 100],
    ['stalledIntervalMs', 100],
    ['maxStalledCount', 0],
    ['connectTimeoutMs', 1],
  ] as const)
    requireArg(
      Number.isInteger(o[k]) && o[k] >= min,
      'startQueueWorker',
      `${k} must be an integer ≥ ${min} (got ${String(o[k])})`,
    );
  requireArg(
    Number.isFinite(o.progressPerSecond) && o.progressPerSecond > 0,
    'startQueueWorker',
    `progressPerSecond must be a positive number (got ${String(o.progressPerSecond)})`,
  );

  const emit = (e: QueueWorkerEvent): void => {
    try {
      opts.onEvent?.(e);
    } catch {
      // A logger's failure must not fail jobs.
    }
  };
  const ownExecutor = opts.executor === undefined;
  /** Set once Redis is reached (the worker does not run before). */
  let executor: Executor = opts.executor ?? notStarted;
  // handlers.ts caches it per engine inputs, so each job's check is a map lookup.
  const engineVersionFor = computeEngineVersion;
  const baseVersion = engineVersionFor({});

  /** Fail the job with `e`: logged as JSON for the coordinator; AifErrors are not retried. */
  async function failWith(job: Job, e: unknown): Promise<never> {
    const serialised = serialiseJobError(e);
    await job.log(ERROR_LOG_PREFIX + JSON.stringify(serialised)).catch(() => 0);
    if (isAifError(e)) throw new UnrecoverableError(`${e.code}: ${e.message}`);
    throw e instanceof Error ? e : new Error(String(e));
  }

  async function processBatch(job: Job<BatchJobData>): Promise<string> {
    // Counts only: the children's values are the results, possibly large and many.
    const { processed = 0 } = await job.getDependenciesCount({ processed: true });
    const summary: BatchSummary = {
      childIds: job.data.batch?.childIds ?? [],
      completed: processed,
    };
    return JSON.stringify(summary);
  }

  /** Set by a forced close: an aborted job goes back to the wait list rather than failing. */
  let stopping = false;

  async function processPoint(
    job: Job,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    let data: QueueJobData;
    let spec: JobSpec;
    try {
      data = checkJobData(job.data);
      spec = { kind: data.spec.kind, payload: data.spec.payload };
      const ours = engineVersionFor(spec.payload);
      if (ours !== data.engineVersion) throw engineVersionMismatch(data.engineVersion, ours);
    } catch (e) {
      return failWith(job, e);
    }
    const send = throttleProgress(
      (p: JobProgress) => void job.updateProgress(p).catch(() => {}),
      () => performance.now(),
      o.progressPerSecond,
    );
    try {
      const { resultJson } = await executor.submit(spec, {
        onProgress: send,
        ...(signal ? { signal } : {}),
      });
      return resultJson;
    } catch (e) {
      if (e instanceof JobCancelledError && signal?.aborted) {
        if (signal.reason === CANCELLED_REASON) throw new UnrecoverableError(CANCELLED_REASON);
        if (stopping && token !== undefined) {
          // Forced stop: hand the job back untouched (BullMQ's manual re-queue pattern).
          await job.moveToWait(token);
          throw new WaitingError();
        }
      }
      return failWith(job, e);
    }
  }

  const { connection, markReady } = connectionFor(url, o.connectTimeoutMs);
  const workerName = opts.name ?? `${hostname()}:${process.pid}`;
  const worker = new Worker(
    o.queueName,
    // Three parameters: BullMQ passes the abort signal only to processors that declare it.
    async (job: Job, token?: string, signal?: AbortSignal): Promise<string> =>
      job.name === BATCH_JOB_NAME
        ? processBatch(job as Job<BatchJobData>)
        : processPoint(job, token, signal),
    {
      connection,
      name: workerName,
      concurrency: o.concurrency,
      lockDuration: o.lockDurationMs,
      stalledInterval: o.stalledIntervalMs,
      maxStalledCount: o.maxStalledCount,
      autorun: false,
    },
  );
  const events = new QueueEvents(o.queueName, { connection });
  const clients: QueueClient[] = [worker, events];
  for (const c of clients) c.on('error', () => {});

  try {
    await connectAll(clients, target, o.connectTimeoutMs);
  } catch (e) {
    await Promise.allSettled([worker.close(true), events.close()]);
    throw e;
  }
  markReady();
  if (ownExecutor) executor = createWorkerPoolExecutor({ threads: o.concurrency });

  // Cancellation requests from coordinators (custom events are emitted under their name).
  (events as unknown as EventEmitter).on(CANCEL_EVENT, (args: { jobId?: string }) => {
    if (typeof args?.jobId === 'string') worker.cancelJob(args.jobId, CANCELLED_REASON);
  });

  worker.on('active', (job) =>
    emit({ type: 'active', jobId: job.id ?? '?', kind: job.name, attempt: job.attemptsMade + 1 }),
  );
  worker.on('completed', (job) =>
    emit({
      type: 'completed',
      jobId: job.id ?? '?',
      kind: job.name,
      ms:
        job.finishedOn !== undefined && job.processedOn !== undefined
          ? job.finishedOn - job.processedOn
          : undefined,
    }),
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    const unrecoverable = err instanceof UnrecoverableError || err.name === 'UnrecoverableError';
    emit({
      type: 'failed',
      jobId: job.id ?? '?',
      kind: job.name,
      reason: err.message,
      willRetry: !unrecoverable && job.attemptsMade < (job.opts.attempts ?? 1),
    });
  });
  worker.on('stalled', (jobId) => emit({ type: 'stalled', jobId }));
  worker.on('error', (e) => emit({ type: 'error', message: e.message }));

  void worker
    .run()
    .catch((e: unknown) =>
      emit({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
    );

  let closing: Promise<void> | undefined;
  return {
    name: `bullmq-worker(${target.display} ${o.queueName})`,
    engineVersion: baseVersion,
    close({ force = false } = {}) {
      if (force && !stopping) {
        stopping = true;
        worker.cancelAllJobs(STOPPING_REASON);
      }
      closing ??= (async () => {
        await worker.close().catch(() => {});
        await events.close().catch(() => {});
        if (ownExecutor) await executor.close();
      })();
      return closing;
    },
  };
}
