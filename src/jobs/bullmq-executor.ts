/**
 * The distributed executor: jobs go through a BullMQ queue on Redis and run on any number of
 * `aifactory worker` processes (bullmq-worker.ts), on this machine or others. This is the
 * coordinator side. Results are the worker's `runJobToJson` text, byte-identical to every other
 * executor's.
 *
 * - Job ids: a job's BullMQ id is a content hash of {kind, payload, engineVersion}
 *   (`queueJobId`), so submitting the same job twice — from this coordinator or another — makes
 *   one BullMQ job: BullMQ ignores an add with an id it holds, and the second submission awaits
 *   the first one's completion or reads its stored return value. A job that *failed* earlier is
 *   removed and added afresh when it is submitted again (a new submission is a new try).
 *   Completed jobs (their results) stay in Redis `keepSeconds` (default one hour).
 * - Job data: the job spec and the coordinator's engine version (`engineVersionFor(payload)`):
 *   a worker with another engine version refuses the job (failed, not retried), since its result
 *   would not be the one this coordinator's engine gives.
 * - Results: QueueEvents `completed` / `failed` / `progress`, plus the job's state read after
 *   the add (a job may finish before the event stream is read: an earlier identical job, or a
 *   fast worker) and again every `pollIntervalMs` while the job is pending (events are not
 *   replayed after a reconnect). Each submission settles exactly once.
 * - Retries: `attempts` (default 3) with exponential backoff for failures that may pass (a
 *   defect's exception, a lost worker); AifErrors (invalid payloads, engine-version refusals)
 *   are deterministic and fail at once. A worker killed mid-job leaves a stalled job that the
 *   other workers move back to the wait list once its lock expires (bullmq-worker.ts).
 * - Cancellation (`signal`): a waiting job is removed from the queue; an active one is told to
 *   stop through a custom queue event that the workers listen to — the worker terminates the
 *   thread running it and fails the job as cancelled (not retried); a worker that cannot stop
 *   it finishes it and its result stays available to a later identical submission. Either way
 *   the promise rejects with JobCancelledError at once. A job other submissions (in this
 *   process) still wait for is not touched.
 * - Batches (`submitBatch`): one BullMQ flow — a parent job whose children are the jobs — so a
 *   whole sweep is one unit on the queue; results come back in the order of the input.
 * - Errors: Redis unreachable at start (within `connectTimeoutMs`) or failing a command gives
 *   AifError E_QUEUE_UNAVAILABLE naming the URL (password hidden). A worker's AifError comes
 *   back with its code and issues; any other failure (an exception after every attempt, a job
 *   stalled too often or removed) as E_JOB_FAILED with the error's message or BullMQ's reason.
 */
import { randomUUID } from 'node:crypto';
import {
  FlowProducer,
  Queue,
  QueueEvents,
  QueueEventsProducer,
  type ConnectionOptions,
  type JobsOptions,
} from 'bullmq';
import { AifError, ERROR_CODES, isAifError, requireArg } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import { engineVersionFor as defaultEngineVersionFor } from './handlers.js';
import { deserialiseJobError, executorClosedError, type SerialisedJobError } from './support.js';
import {
  JobCancelledError,
  type Executor,
  type JobOutcome,
  type JobProgress,
  type JobSpec,
  type SubmitOptions,
} from './types.js';

// ---------------------------------------------------------------------------------------------
// What coordinator and workers share (bullmq-worker.ts imports these)
// ---------------------------------------------------------------------------------------------

/** Queue used when none is named (`--queue-name`). */
export const DEFAULT_QUEUE_NAME = 'aifactory-jobs';
/** BullMQ job name of a batch's parent job (point jobs are named by their kind). */
export const BATCH_JOB_NAME = 'aifactory-batch';
/** Custom queue event a coordinator publishes to stop an active job: `{ jobId }`. */
export const CANCEL_EVENT = 'aifactory-cancel';
/** Prefix of the job-log line in which a worker leaves a failed job's error as JSON. */
export const ERROR_LOG_PREFIX = 'aifactory-error ';
/** `failedReason` of a job stopped on a coordinator's request. */
export const CANCELLED_REASON = 'cancelled by the coordinator';

/** Data of a point job on the queue. */
export interface QueueJobData {
  spec: JobSpec;
  /** Engine version of the coordinator that built the job (`engineVersionFor(payload)`). */
  engineVersion: string;
}

/** Data of a batch's parent job. */
export interface BatchJobData {
  batch: { size: number; childIds: string[] };
}

/** The parent's return value: the child job ids in input order, and how many finished. */
export interface BatchSummary {
  childIds: string[];
  completed: number;
}

/**
 * A job's BullMQ id: the content hash of {kind, payload, engineVersion}, with the algorithm
 * prefix's `:` made `-` (BullMQ ids may not contain `:`), e.g. `fnv1a64-9f2c…`.
 */
export function queueJobId(kind: string, payload: unknown, engineVersion: string): string {
  return contentHash({ kind, payload, engineVersion }).replace(':', '-');
}

/** A checked Redis URL and the form to show (password replaced by `***`). */
export interface QueueUrl {
  url: string;
  display: string;
}

export function parseQueueUrl(url: string): QueueUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AifError(
      ERROR_CODES.INVALID_ARGUMENT,
      `queue URL '${url}' is not a URL; expected redis://host:port[/db] (or rediss:// for TLS)`,
    );
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new AifError(
      ERROR_CODES.INVALID_ARGUMENT,
      `queue URL '${url}' must start with redis:// or rediss:// (got ${u.protocol})`,
    );
  if (u.password) u.password = '***';
  return { url, display: u.toString() };
}

export function validateQueueName(name: string, fn: string): void {
  requireArg(
    typeof name === 'string' && name.length > 0 && !name.includes(':'),
    fn,
    `queueName must be a non-empty string without ':' (got '${String(name)}')`,
  );
}

/** What BullMQ's Queue, QueueEvents, Worker, FlowProducer… share: `error` events, readiness, close. */
export interface QueueClient {
  on(event: 'error', listener: (e: Error) => void): unknown;
  waitUntilReady(): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * BullMQ connection options for `url`: before the first successful connection, retry every
 * 250 ms until `connectTimeoutMs` and then give up (so a wrong URL fails fast and the clients
 * can be closed); once connected, reconnect without end (1 s, 2 s, … 5 s apart) through Redis
 * restarts and network blips.
 */
export function connectionFor(
  url: string,
  connectTimeoutMs: number,
  nowMs: () => number = () => performance.now(),
): { connection: ConnectionOptions; markReady(): void } {
  const start = nowMs();
  let everReady = false;
  const connection: ConnectionOptions = {
    url,
    retryStrategy: (times: number) => {
      if (everReady) return Math.min(times * 1000, 5000);
      return nowMs() - start > connectTimeoutMs ? null : 250;
    },
  };
  return {
    connection,
    markReady: () => {
      everReady = true;
    },
  };
}

/**
 * Wait until every client is connected; on failure (or after `timeoutMs`) an AifError
 * E_QUEUE_UNAVAILABLE naming the URL and the last connection error.
 */
export async function connectAll(
  clients: readonly QueueClient[],
  url: QueueUrl,
  timeoutMs: number,
): Promise<void> {
  let lastError: Error | undefined;
  for (const c of clients) c.on('error', (e) => (lastError = e));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), timeoutMs + 1000);
  });
  try {
    await Promise.race([Promise.all(clients.map((c) => c.waitUntilReady())), timeout]);
  } catch (e) {
    const why = lastError?.message ?? (e instanceof Error ? e.message : String(e));
    throw new AifError(
      ERROR_CODES.QUEUE_UNAVAILABLE,
      `cannot connect to the job queue's Redis at ${url.display} within ${timeoutMs} ms (${why}); is redis-server running there?`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** A Redis command's failure as AifError E_QUEUE_UNAVAILABLE naming the URL (AifErrors pass). */
export function queueError(e: unknown, url: QueueUrl, doing: string): Error {
  if (isAifError(e) || e instanceof JobCancelledError) return e;
  const why = e instanceof Error ? e.message : String(e);
  return new AifError(
    ERROR_CODES.QUEUE_UNAVAILABLE,
    `job queue at ${url.display}: ${doing} failed (${why})`,
  );
}

// ---------------------------------------------------------------------------------------------
// The coordinator
// ---------------------------------------------------------------------------------------------

export interface QueueExecutorOptions {
  /** BullMQ queue name (default `aifactory-jobs`); workers must name the same queue. */
  queueName?: string;
  /** Tries per job, the first included (default 3). AifErrors are never retried. */
  attempts?: number;
  /** First retry delay; doubles on each retry (default 1000 ms). */
  backoffMs?: number;
  /** How long to try to reach Redis at start before failing (default 10 000 ms). */
  connectTimeoutMs?: number;
  /** How often pending jobs' states are read, in case an event was missed (default 5000 ms). */
  pollIntervalMs?: number;
  /**
   * How long finished jobs (results, failures) stay in Redis, for identical submissions to
   * reuse (default 3600 s; the coordinator keeps results in its own store).
   */
  keepSeconds?: number;
  /**
   * The engine version a payload is sent with (default: handlers' `engineVersionFor`). Tests
   * pass another one to see a worker refuse a job.
   */
  engineVersionFor?: (payload: unknown) => string;
}

export interface BatchSubmitOptions {
  /** Progress of the job at `index` of the input. */
  onProgress?: (index: number, p: JobProgress) => void;
  /** The job at `index` finished with a result (called in completion order). */
  onResult?: (index: number, outcome: JobOutcome) => void;
  /** Aborting cancels every unfinished job of the batch; the promise rejects with JobCancelledError. */
  signal?: AbortSignal;
}

export interface QueueExecutor extends Executor {
  readonly queueName: string;
  /** The BullMQ job id `job` gets from this coordinator (content hash, see `queueJobId`). */
  jobIdFor(job: JobSpec): string;
  /**
   * Enqueue `jobs` as one flow — a parent job whose children are the jobs — and resolve with
   * their outcomes in input order. Rejects with the first job's failure and cancels the jobs of
   * the batch not finished by then (as `submit` cancellation does).
   */
  submitBatch(jobs: readonly JobSpec[], opts?: BatchSubmitOptions): Promise<JobOutcome[]>;
  /**
   * As `submitBatch`, but every job runs to its end: one settled result per input job, in
   * input order (a sweep keeps its feasible points when one point fails).
   */
  submitBatchSettled(
    jobs: readonly JobSpec[],
    opts?: BatchSubmitOptions,
  ): Promise<PromiseSettledResult<JobOutcome>[]>;
}

interface Tracked {
  id: string;
  kind: string;
  waiters: Set<Waiter>;
  /** The add has finished: a missing job now means it was removed. */
  enqueued: boolean;
}

interface Waiter {
  resolve(o: JobOutcome): void;
  reject(e: unknown): void;
  onProgress: ((p: JobProgress) => void) | undefined;
  lastFraction: number;
  /** The job this waiter waits for (unset once settled or detached). */
  tracked?: Tracked | undefined;
}

const DEFAULTS = {
  queueName: DEFAULT_QUEUE_NAME,
  attempts: 3,
  backoffMs: 1000,
  connectTimeoutMs: 10_000,
  pollIntervalMs: 5000,
  keepSeconds: 3600,
};

/** Events kept in the queue's event stream (BullMQ's default: 10 000). */
const EVENT_STREAM_MAX_LEN = 2000;

/** A progress event's data as JobProgress (workers send `{fraction, message?}`). */
function asProgress(data: unknown): JobProgress | undefined {
  if (typeof data === 'number' && Number.isFinite(data)) return { fraction: data };
  if (data && typeof data === 'object' && typeof (data as JobProgress).fraction === 'number') {
    const p = data as JobProgress;
    return typeof p.message === 'string'
      ? { fraction: p.fraction, message: p.message }
      : { fraction: p.fraction };
  }
  return undefined;
}

/** The error a worker left in the job's log (the last one), if any. */
function errorFromLogs(logs: readonly string[]): Error | undefined {
  for (let i = logs.length - 1; i >= 0; i--) {
    const line = logs[i]!;
    if (!line.startsWith(ERROR_LOG_PREFIX)) continue;
    try {
      return deserialiseJobError(
        JSON.parse(line.slice(ERROR_LOG_PREFIX.length)) as SerialisedJobError,
      );
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The coordinator of the BullMQ executor. Connects at once; the first `submit` waits for Redis
 * and fails with E_QUEUE_UNAVAILABLE naming `url` when it cannot be reached.
 * @throws AifError E_INVALID_ARGUMENT for a URL that is not redis:// or rediss://, or bad options.
 */
export function createQueueExecutor(url: string, opts: QueueExecutorOptions = {}): QueueExecutor {
  const target = parseQueueUrl(url);
  const queueName = opts.queueName ?? DEFAULTS.queueName;
  const attempts = opts.attempts ?? DEFAULTS.attempts;
  const backoffMs = opts.backoffMs ?? DEFAULTS.backoffMs;
  const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
  const pollIntervalMs = opts.pollIntervalMs ?? DEFAULTS.pollIntervalMs;
  const keepSeconds = opts.keepSeconds ?? DEFAULTS.keepSeconds;
  validateQueueName(queueName, 'createQueueExecutor');
  for (const [k, v, min] of [
    ['attempts', attempts, 1],
    ['backoffMs', backoffMs, 0],
    ['connectTimeoutMs', connectTimeoutMs, 1],
    ['pollIntervalMs', pollIntervalMs, 1],
    ['keepSeconds', keepSeconds, 1],
  ] as const)
    requireArg(
      Number.isInteger(v) && v >= min,
      'createQueueExecutor',
      `${k} must be an integer ≥ ${min} (got ${String(v)})`,
    );
  const engineVersionOf = opts.engineVersionFor ?? defaultEngineVersionFor;
  const name = `bullmq(${target.display} ${queueName})`;

  const { connection, markReady } = connectionFor(url, connectTimeoutMs);
  const queue = new Queue<QueueJobData | BatchJobData, string>(queueName, {
    connection,
    // Completed events carry the result text: cap the stream (missed events are polled for).
    streams: { events: { maxLen: EVENT_STREAM_MAX_LEN } },
  });
  const events = new QueueEvents(queueName, { connection });
  const producer = new QueueEventsProducer(queueName, { connection });
  const flows = new FlowProducer({ connection });
  const clients: QueueClient[] = [queue, events, producer, flows];
  // BullMQ clients emit `error` on every failed (re)connection; unhandled, it would crash.
  for (const c of clients) c.on('error', () => {});

  const ready: Promise<void> = connectAll(clients, target, connectTimeoutMs)
    .then(markReady)
    .catch(async (e: unknown) => {
      await Promise.allSettled(clients.map((c) => c.close()));
      throw e;
    });
  // Connection failures surface through `submit`; an executor never used must not crash.
  ready.catch(() => {});

  const jobOptions: JobsOptions = {
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    removeOnComplete: { age: keepSeconds },
    removeOnFail: { age: keepSeconds },
  };

  let closed = false;
  const tracked = new Map<string, Tracked>();
  /** Background work (cancellations, state reads) that `close()` waits for. */
  const background = new Set<Promise<unknown>>();
  const inBackground = (work: Promise<unknown>): void => {
    const p: Promise<unknown> = work.catch(() => {}).finally(() => background.delete(p));
    background.add(p);
  };

  // --- settling ------------------------------------------------------------------------------

  function progressTo(w: Waiter, p: JobProgress): void {
    if (!w.onProgress) return;
    const fraction = Math.min(1, Math.max(w.lastFraction, p.fraction));
    w.lastFraction = fraction;
    try {
      w.onProgress(p.message === undefined ? { fraction } : { fraction, message: p.message });
    } catch (e) {
      // A failing progress callback ends that submission with its error (as worker-pool does).
      detach(w);
      w.reject(e);
    }
  }

  /** Take a finished job out of tracking; its waiters are settled by the caller. */
  function untrack(id: string): Waiter[] {
    const t = tracked.get(id);
    if (!t) return [];
    tracked.delete(id);
    const waiters = [...t.waiters];
    for (const w of waiters) w.tracked = undefined;
    return waiters;
  }

  function settleCompleted(id: string, returnvalue: unknown): void {
    const kind = tracked.get(id)?.kind;
    for (const w of untrack(id)) {
      if (typeof returnvalue !== 'string') {
        w.reject(
          new AifError(
            ERROR_CODES.JOB_FAILED,
            `job ${id} (${kind}) completed on ${target.display} without a JSON text result (got ${typeof returnvalue}); is a foreign worker consuming queue '${queueName}'?`,
          ),
        );
        continue;
      }
      if (w.lastFraction < 1) progressTo(w, { fraction: 1, message: 'done' });
      w.resolve({ resultJson: returnvalue });
    }
  }

  function settleFailed(id: string, failedReason: string | undefined): void {
    const kind = tracked.get(id)?.kind;
    // Untracked now: a new submission of the same job from here on is a new try.
    const waiters = untrack(id);
    if (waiters.length === 0) return;
    inBackground(
      (async () => {
        let logged: Error | undefined;
        let tries: number | undefined;
        try {
          logged = errorFromLogs((await queue.getJobLogs(id, 0, -1, true)).logs);
          tries = (await queue.getJob(id))?.attemptsMade;
        } catch {
          // The reason alone will do.
        }
        // A worker's AifError comes back as it was; anything else is named E_JOB_FAILED.
        const error = isAifError(logged)
          ? logged
          : new AifError(
              ERROR_CODES.JOB_FAILED,
              `job ${id} (${kind}) failed on the queue at ${target.display}${tries ? ` after ${tries} attempt${tries === 1 ? '' : 's'}` : ''}: ${logged?.message ?? (failedReason || 'no reason given')}`,
            );
        for (const w of waiters) w.reject(error);
      })(),
    );
  }

  function failTracked(id: string, error: unknown): void {
    for (const w of untrack(id)) w.reject(error);
  }

  /**
   * Read the job's state and settle it when it has finished (or vanished). The state is read
   * first and the job's fields after it: a finished job's fields are final, while a job read
   * first could finish before its state is read, and settle with the stale (empty) return value.
   */
  async function checkState(id: string): Promise<void> {
    const t = tracked.get(id);
    if (!t || !t.enqueued) return;
    const removed = (): void =>
      failTracked(
        id,
        new AifError(
          ERROR_CODES.JOB_FAILED,
          `job ${id} (${t.kind}) was removed from queue '${queueName}' at ${target.display} before it finished (cancelled by another coordinator?)`,
        ),
      );
    const state = await queue.getJobState(id);
    if (tracked.get(id) !== t) return;
    if (state === 'unknown') return removed();
    if (state !== 'completed' && state !== 'failed') return;
    const job = await queue.getJob(id);
    if (tracked.get(id) !== t) return;
    if (!job) return removed();
    if (state === 'completed') settleCompleted(id, job.returnvalue);
    else settleFailed(id, job.failedReason);
  }

  events.on('completed', ({ jobId, returnvalue }) => settleCompleted(jobId, returnvalue));
  events.on('failed', ({ jobId, failedReason }) => settleFailed(jobId, failedReason));
  events.on('progress', ({ jobId, data }) => {
    const t = tracked.get(jobId);
    const p = asProgress(data);
    if (!t || !p) return;
    for (const w of [...t.waiters]) progressTo(w, p);
  });
  events.on('removed', ({ jobId }) => {
    if (tracked.get(jobId)?.enqueued) inBackground(checkState(jobId));
  });

  const poll = setInterval(() => {
    for (const id of tracked.keys()) inBackground(checkState(id));
  }, pollIntervalMs);
  poll.unref();

  // --- tracking and cancelling ------------------------------------------------------------

  function attach(id: string, kind: string, w: Waiter): Tracked {
    let t = tracked.get(id);
    if (!t) {
      t = { id, kind, waiters: new Set(), enqueued: false };
      tracked.set(id, t);
    }
    t.waiters.add(w);
    w.tracked = t;
    return t;
  }

  /**
   * Remove `w` from its job. When it was the last waiter, the job is cancelled on the queue
   * (after `before`, e.g. the removal of a batch's parent).
   */
  function detach(w: Waiter, before?: Promise<unknown>): void {
    const t = w.tracked;
    w.tracked = undefined;
    if (!t || !t.waiters.delete(w) || t.waiters.size > 0) return;
    if (tracked.get(t.id) === t) tracked.delete(t.id);
    inBackground((before ?? Promise.resolve()).catch(() => {}).then(() => cancelOnQueue(t.id)));
  }

  /** Remove a job that has not started; ask the workers to stop it when it has. */
  async function cancelOnQueue(id: string): Promise<void> {
    await ready;
    const job = await queue.getJob(id);
    if (!job) return;
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') return;
    if (state !== 'active') {
      try {
        await job.remove({ removeChildren: false });
        return;
      } catch {
        // Became active meanwhile (a locked job cannot be removed): stop it below.
      }
    }
    await producer.publishEvent({ eventName: CANCEL_EVENT, jobId: id });
  }

  /** A waiter for one submission: settles once, honours `signal` (abort ⇒ JobCancelledError). */
  function makeWaiter(
    resolve: (o: JobOutcome) => void,
    reject: (e: unknown) => void,
    onProgress: ((p: JobProgress) => void) | undefined,
    signal: AbortSignal | undefined,
    beforeCancel?: () => Promise<unknown>,
  ): Waiter {
    let settled = false;
    const onAbort = (): void => {
      if (settled) return;
      detach(w, beforeCancel?.());
      w.reject(new JobCancelledError());
    };
    const w: Waiter = {
      resolve: (o) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        resolve(o);
      },
      reject: (e) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      },
      onProgress,
      lastFraction: 0,
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    return w;
  }

  // --- enqueueing --------------------------------------------------------------------------

  /** Leave an existing job in place unless it failed: then remove it, so it is added afresh. */
  async function clearFailed(id: string): Promise<void> {
    const job = await queue.getJob(id);
    if (job && (await job.getState()) === 'failed') await job.remove({ removeChildren: false });
  }

  function prepare(job: JobSpec): { id: string; data: QueueJobData } {
    const engineVersion = engineVersionOf(job.payload);
    return {
      id: queueJobId(job.kind, job.payload, engineVersion),
      data: { spec: { kind: job.kind, payload: job.payload }, engineVersion },
    };
  }

  async function enqueueOne(t: Tracked, data: QueueJobData): Promise<void> {
    try {
      await ready;
      if (tracked.get(t.id) !== t) return;
      await clearFailed(t.id);
      await queue.add(data.spec.kind, data, { ...jobOptions, jobId: t.id });
      t.enqueued = true;
      // Cancelled while being added: its cancellation found no job yet.
      if (tracked.get(t.id) !== t) return void (await cancelOnQueue(t.id));
      await checkState(t.id);
    } catch (e) {
      failTracked(t.id, queueError(e, target, `adding job ${t.id} (${t.kind})`));
    }
  }

  function submit(job: JobSpec, options: SubmitOptions = {}): Promise<JobOutcome> {
    if (closed) return Promise.reject(executorClosedError(name));
    if (options.signal?.aborted) return Promise.reject(new JobCancelledError());
    let prepared: { id: string; data: QueueJobData };
    try {
      prepared = prepare(job);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<JobOutcome>((resolve, reject) => {
      const w = makeWaiter(resolve, reject, options.onProgress, options.signal);
      const t = attach(prepared.id, job.kind, w);
      // A job tracked already was added (or is being added) by an earlier submission.
      if (t.waiters.size === 1) inBackground(enqueueOne(t, prepared.data));
    });
  }

  /**
   * Track every job of a batch and add the new ones as one flow; one promise per input job.
   * `failFast`: the first failure cancels the unfinished rest.
   */
  function runBatch(
    jobs: readonly JobSpec[],
    options: BatchSubmitOptions,
    failFast: boolean,
  ): Promise<JobOutcome>[] {
    const prepared = jobs.map((j) => prepare(j));
    const parentId = `batch-${randomUUID()}`;
    /** Aborted by the caller's signal or (failFast) by the first failure. */
    const batchAbort = new AbortController();
    const onUserAbort = (): void => batchAbort.abort();
    options.signal?.addEventListener('abort', onUserAbort, { once: true });
    let parentRemoval: Promise<unknown> | undefined;
    /** Drop the parent before its children (removing children first could start it). */
    const removeParent = (): Promise<unknown> =>
      (parentRemoval ??= ready.then(() => queue.remove(parentId, { removeChildren: false })));

    const fresh = new Map<string, { t: Tracked; data: QueueJobData }>();
    const promises = prepared.map(
      ({ id, data }, index) =>
        new Promise<JobOutcome>((resolve, reject) => {
          const w = makeWaiter(
            (o) => {
              options.onResult?.(index, o);
              resolve(o);
            },
            reject,
            options.onProgress ? (p) => options.onProgress!(index, p) : undefined,
            batchAbort.signal,
            removeParent,
          );
          const t = attach(id, jobs[index]!.kind, w);
          if (t.waiters.size === 1) fresh.set(id, { t, data });
        }),
    );
    for (const p of promises)
      p.catch(() => {
        if (failFast) batchAbort.abort();
      });
    void Promise.allSettled(promises).then(() =>
      options.signal?.removeEventListener('abort', onUserAbort),
    );

    inBackground(
      (async () => {
        try {
          await ready;
          const live = [...fresh.values()].filter(({ t }) => tracked.get(t.id) === t);
          if (live.length === 0) return;
          await Promise.all(live.map(({ t }) => clearFailed(t.id)));
          const data: BatchJobData = {
            batch: { size: jobs.length, childIds: prepared.map((p) => p.id) },
          };
          await flows.add({
            name: BATCH_JOB_NAME,
            queueName,
            data,
            opts: { jobId: parentId, attempts: 1, removeOnComplete: true, removeOnFail: true },
            children: live.map(({ t, data: d }) => ({
              name: d.spec.kind,
              queueName,
              data: d,
              opts: { ...jobOptions, jobId: t.id, failParentOnFailure: true },
            })),
          });
          for (const { t } of live) t.enqueued = true;
          const dropped = live.filter(({ t }) => tracked.get(t.id) !== t);
          if (dropped.length > 0) {
            // Cancelled while the flow was being added: those cancellations found no jobs yet.
            await removeParent().catch(() => {});
            await Promise.all(dropped.map(({ t }) => cancelOnQueue(t.id)));
          }
          await Promise.all(live.map(({ t }) => checkState(t.id)));
        } catch (e) {
          const err = queueError(e, target, `adding a batch of ${jobs.length} jobs`);
          for (const { t } of fresh.values()) if (tracked.get(t.id) === t) failTracked(t.id, err);
        }
      })(),
    );
    return promises;
  }

  function checkBatch(options: BatchSubmitOptions): void {
    if (closed) throw executorClosedError(name);
    if (options.signal?.aborted) throw new JobCancelledError();
  }

  return {
    name,
    queueName,
    jobIdFor: (job) => prepare(job).id,
    submit,
    async submitBatch(jobs, options = {}) {
      checkBatch(options);
      if (jobs.length === 0) return [];
      return Promise.all(runBatch(jobs, options, true));
    },
    async submitBatchSettled(jobs, options = {}) {
      checkBatch(options);
      if (jobs.length === 0) return [];
      return Promise.allSettled(runBatch(jobs, options, false));
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      // Cancel what is still pending (the Executor contract), then let the cancellations go out.
      for (const t of [...tracked.values()]) {
        for (const w of untrack(t.id)) w.reject(new JobCancelledError('executor closed'));
        inBackground(cancelOnQueue(t.id));
      }
      while (background.size > 0) await Promise.allSettled([...background]);
      await Promise.allSettled(clients.map((c) => c.close()));
    },
  };
}
