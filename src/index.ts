/**
 * aifactory's public TypeScript API: the curated surface for library users. Everything else
 * under src/ is internal and may change without notice.
 */

// Basis of every number, errors, reproducibility
export {
  compareBases,
  metric,
  type Basis,
  type BasisDifference,
  type Boundary,
  type Metric,
  type PowerKind,
  type Provenance,
  type SloBasis,
} from './core/basis.js';
export {
  AifError,
  ERROR_CODES,
  isAifError,
  type ErrorCode,
  type ErrorIssue,
} from './core/errors.js';
export { createRng, RNG_ALGORITHM, type RngStream, type RngStreamInfo } from './core/rng.js';
export type { SourceRef, Sourced } from './core/source.js';

// Catalog
export {
  CATALOG_VERSION,
  defaultCatalog,
  getAccelerator,
  getFormat,
  getModel,
  getSystem,
  type Catalog,
} from './catalog/catalog.js';
export { CatalogExtensionSchema, extendCatalog } from './catalog/catalog-extension.js';
export { countParams, type ParamCounts } from './catalog/model-params.js';
export { PRECISION_PRESETS, resolvePrecision } from './catalog/precisions.js';
export { findMlperfTask, MLPERF_LLM_TASKS, type MlperfTask } from './catalog/benchmarks.js';
export type {
  Accelerator,
  ModelArch,
  NumberFormat,
  NumberFormatId,
  PrecisionPlan,
  SpeculativeAssumption,
  System,
} from './catalog/types.js';

// Scenario files
export {
  formatIssues,
  parseScenarioObject,
  parseScenarioYaml,
  resolveScenario,
  type ResolvedScenario,
  type Scenario,
  type ScenarioInput,
} from './scenario/index.js';
export { scenarioJsonSchema } from './scenario/json-schema.js';

// Performance model
export {
  calibrationChain,
  DEFAULT_CALIBRATION,
  resolveCalibration,
  type CalibrationEntry,
  type CalibrationParams,
  type CalibrationTable,
} from './perf/calibration.js';
export { BUILTIN_CALIBRATION } from './perf/calibration-data.js';
export { prepareDeployment, type PreparedDeployment } from './perf/costs.js';
export { maxConcurrentSequences, memoryFit, type MemoryFit } from './perf/memory.js';
export { searchPlans, type EvaluatedPlan } from './perf/plan-search.js';
export {
  acceleratorPowerWatts,
  replicaPower,
  tokensPerJoule,
  tokensPerMegawatt,
  type Activity,
  type PowerAtBoundaries,
} from './perf/power.js';
export { rooflineOfflineBound } from './perf/roofline-bound.js';
export {
  offlineThroughput,
  serverThroughput,
  throughputAtInteractivity,
  type WorkloadStats,
} from './perf/scenarios.js';
export { steadyState, type RequestShape, type SteadyState } from './perf/steady-state.js';
export {
  causalPairs,
  decodeBatch,
  stepTime,
  type IterationBatch,
  type StepTime,
} from './perf/step-time.js';
export type { Deployment, EngineSettings, ParallelPlan } from './perf/types.js';

// Serving twin (DESIGN §5)
export { EventQueue, type ScheduledEvent } from './sim/kernel/event-queue.js';
export {
  ReplicaScheduler,
  type SchedulerConfig,
  type SchedulerOutput,
  type Sequence,
} from './sim/scheduler/scheduler.js';
export { createStepModel, type StepModel } from './sim/step-model.js';
export {
  runTwin,
  type TwinCounters,
  type TwinFailures,
  type TwinObserver,
  type TwinOptions,
} from './sim/twin.js';
export type {
  FleetView,
  FollowUp,
  KvCacheManager,
  PromptSegment,
  ReplicaLoad,
  Router,
  SimRequest,
  WorkloadSource,
} from './sim/types.js';
export { createKvCacheManager, type KvCache, type KvCacheOptions } from './sim/kv/index.js';
export { createRouter, ROUTER_NAMES, type RouterName } from './sim/router/index.js';
export {
  CODING_AGENT_SESSION,
  createArrivalProcess,
  createWorkload,
  IdAllocator,
  type ArrivalSpec,
  type WorkloadClassSpec,
} from './sim/workload/index.js';
export { detectTraceFormat, parseTrace, traceSource, type TraceRecord } from './sim/trace/index.js';
export { MetricsRecorder, type MetricsResult } from './sim/metrics/index.js';

// Use cases
export { estimateScenario, type EstimateReport } from './app/estimate.js';
export { simulateScenario, type SimResult } from './app/simulate.js';
export { calibrateFromSilicon, type CalibrationRun } from './app/calibrate.js';

// Validation against published measurements
export { validateMlenergy, type MlenergyReport } from './validation/mlenergy.js';
export { validateMlperf, type MlperfReport, type PublicDataItem } from './validation/mlperf.js';
export { validateSilicon, type SiliconReport, type SiliconRow } from './validation/silicon.js';
export { vllmTraceCase, type VllmTraceCase } from './validation/vllm-trace.js';
export { replayVllmTrace, type ReplayResult } from './validation/vllm-replay.js';
