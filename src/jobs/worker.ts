/**
 * Piscina worker entry (loaded in a worker thread, under the tsx loader — see worker-pool.ts):
 * runs one job with `runJobToJson` and posts its progress on the task's MessagePort. It returns
 * the outcome as data instead of throwing, because a thrown error loses its class and fields on
 * the way back to the main thread.
 */
import type { MessagePort } from 'node:worker_threads';
import { runJobToJson } from './handlers.js';
import { serialiseJobError, throttleProgress, type SerialisedJobError } from './support.js';
import type { JobProgress, JobSpec } from './types.js';

export interface WorkerTask {
  job: JobSpec;
  /** Receives `JobProgress` messages (throttled here, so at most ~10/s cross the thread boundary). */
  progressPort: MessagePort;
}

export type WorkerReply =
  { ok: true; resultJson: string } | { ok: false; error: SerialisedJobError };

export default function runWorkerTask(task: WorkerTask): WorkerReply {
  const post = throttleProgress(
    (p: JobProgress) => task.progressPort.postMessage(p),
    () => performance.now(),
  );
  try {
    const resultJson = runJobToJson(task.job, {
      reportProgress: (fraction, message) =>
        post(message === undefined ? { fraction } : { fraction, message }),
    });
    return { ok: true, resultJson };
  } catch (e) {
    return { ok: false, error: serialiseJobError(e) };
  }
}
