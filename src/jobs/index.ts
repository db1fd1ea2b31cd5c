/**
 * The jobs layer's public pieces: the executor port, the job-kind registry, and the in-process
 * and worker-thread executors (docs/jobs.md).
 */
export {
  JobCancelledError,
  type Executor,
  type JobOutcome,
  type JobProgress,
  type JobSpec,
  type SubmitOptions,
} from './types.js';
export {
  engineVersionFor,
  handlerFor,
  JOB_HANDLERS,
  runJobToJson,
  type JobContext,
  type JobHandler,
  type RegisteredJobHandler,
  type ScenarioJobPayload,
} from './handlers.js';
export {
  deserialiseJobError,
  executorClosedError,
  MAX_PROGRESS_EVENTS_PER_SECOND,
  serialiseJobError,
  throttleProgress,
  type SerialisedJobError,
} from './support.js';
export { createInProcessExecutor } from './in-process.js';
export { createWorkerPoolExecutor, type WorkerPoolOptions } from './worker-pool.js';
