/**
 * The in-process executor: runs each job on the calling thread (tests, one-off CLI runs). Jobs
 * start on a later turn of the event loop, one at a time, so `submit` always returns its promise
 * first. Handlers are synchronous, so cancellation is cooperative: the signal is checked before
 * the job starts and at each progress report (an `onProgress` that aborts stops the job there),
 * and a result finished after an abort is discarded.
 */
import { runJobToJson } from './handlers.js';
import { executorClosedError, throttleProgress } from './support.js';
import {
  JobCancelledError,
  type Executor,
  type JobOutcome,
  type JobSpec,
  type SubmitOptions,
} from './types.js';

const NAME = 'in-process';

export function createInProcessExecutor(): Executor {
  let closed = false;
  /** Aborted by `close()`: cancels the jobs not yet finished. */
  const closing = new AbortController();

  function runNow(job: JobSpec, opts: SubmitOptions): JobOutcome {
    const signals = [closing.signal, ...(opts.signal ? [opts.signal] : [])];
    const throwIfCancelled = (): void => {
      if (signals.some((s) => s.aborted)) throw new JobCancelledError();
    };
    throwIfCancelled();
    const onProgress = opts.onProgress;
    const forward = onProgress ? throttleProgress(onProgress, () => performance.now()) : undefined;
    const resultJson = runJobToJson(job, {
      reportProgress(fraction, message) {
        forward?.(message === undefined ? { fraction } : { fraction, message });
        throwIfCancelled();
      },
    });
    throwIfCancelled();
    return { resultJson };
  }

  return {
    name: NAME,
    submit(job, opts = {}) {
      if (closed) return Promise.reject(executorClosedError(NAME));
      return new Promise<JobOutcome>((resolve, reject) => {
        setImmediate(() => {
          try {
            resolve(runNow(job, opts));
          } catch (e) {
            reject(e);
          }
        });
      });
    },
    async close() {
      closed = true;
      closing.abort();
    },
  };
}
