/**
 * The executor port: long work (simulations, sweeps' points, benches) runs through one
 * interface, with progress events and cancellation. Implementations: `worker-pool.ts` (worker
 * threads, the default), `in-process.ts` (same thread; tests and one-off CLI runs), and the
 * sweeps part's BullMQ executor. Only the coordinating process writes the store: executors
 * return results, never persist them.
 *
 * A job is plain data (structured-clonable, JSON-safe): its kind names a handler in the job
 * registry (`handlers.ts`), its payload is that handler's input. Handlers are pure functions of
 * the payload (deterministic: same payload ⇒ byte-identical result text), so any executor gives
 * the same result.
 */

export interface JobSpec<K extends string = string, P = unknown> {
  kind: K;
  payload: P;
}

export interface JobProgress {
  /** 0..1 share done. */
  fraction: number;
  /** Optional words ("simulating", "point 3/40"). */
  message?: string;
}

export interface SubmitOptions {
  onProgress?: (p: JobProgress) => void;
  /** Aborting cancels the job: the returned promise rejects with a JobCancelledError. */
  signal?: AbortSignal;
}

/** The job's result as JSON text (the handler's return value, serialised once, in the worker). */
export interface JobOutcome {
  resultJson: string;
}

export interface Executor {
  /** Human-readable name ("worker-threads(2)", "in-process", "bullmq(redis://…)"). */
  readonly name: string;
  submit(job: JobSpec, opts?: SubmitOptions): Promise<JobOutcome>;
  /** Stop accepting jobs, cancel running ones, release threads/connections. */
  close(): Promise<void>;
}

export class JobCancelledError extends Error {
  constructor(message = 'job cancelled') {
    super(message);
    this.name = 'JobCancelledError';
  }
}
