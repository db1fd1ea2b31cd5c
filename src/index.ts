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

// Economics (DESIGN §7): TCO, cost per token, InferenceX arithmetic, build vs rent, uncertainty
export { computeTco, type TcoInput, type TcoResult, type WaterfallItem } from './econ/tco.js';
export {
  annuityUsdPerHour,
  capitalRecoveryFactor,
  straightLineUsdPerHour,
} from './econ/depreciation.js';
export {
  COST_SPLIT_RULES,
  costPerToken,
  type CostPerTokenInput,
  type CostPerTokenResult,
} from './econ/cost-per-token.js';
export {
  inferencexMetrics,
  type InferencexPoint,
  type InferencexResult,
} from './econ/inferencex.js';
export { generateDemandProfile, type DemandProfileOptions } from './econ/demand-profile.js';
export {
  analyseBuildVsRent,
  type BuildVsRentInputs,
  type BuildVsRentReport,
} from './econ/build-vs-rent.js';
export { evaluatePortfolio, type Portfolio } from './econ/build-vs-rent-evaluate.js';
export { tornado, type TornadoResult, type TornadoSpec } from './econ/sensitivity.js';
export { monteCarlo, type MonteCarloResult } from './econ/monte-carlo.js';
export { sampleUncertain, type UncertainSpec } from './econ/uncertain.js';
export type { LpProblem, LpSolution, LpSolver } from './core/lp.js';
export { createHighsSolver } from './solver/highs.js';

// Jobs: long work behind one executor port, with progress and cancellation (docs/jobs.md)
export {
  createInProcessExecutor,
  createWorkerPoolExecutor,
  JobCancelledError,
  type Executor,
  type JobOutcome,
  type JobProgress,
  type JobSpec,
  type SubmitOptions,
  type WorkerPoolOptions,
} from './jobs/index.js';
// The distributed executor on BullMQ/Redis and its worker (docs/queue.md)
export {
  createQueueExecutor,
  type BatchSubmitOptions,
  type QueueExecutor,
  type QueueExecutorOptions,
} from './jobs/bullmq-executor.js';
export {
  startQueueWorker,
  type QueueWorker,
  type QueueWorkerOptions,
} from './jobs/bullmq-worker.js';

// Comparability and claims (DESIGN §10)
export {
  compareResults,
  type CompareOptions,
  type CompareResult,
  type ComparableSide,
} from './compare/compare.js';
export { BUILTIN_CLAIMS } from './compare/claims-data.js';
export {
  classifyClaimStatus,
  createClaimRegistry,
  reproduceArithmetic,
  type Claim,
  type ClaimStatus,
} from './compare/claims.js';
export { parseClaimsYaml } from './compare/claims-schema.js';

// Economics use cases
export { costFromEstimate, costFromRun, type CostReport } from './app/cost.js';
export { runBuildVsRent, type BuildVsRentResult } from './app/build-vs-rent.js';
export { validateClaim, type ClaimValidation } from './app/claims.js';
export { estimateComparable, simComparable } from './app/compare.js';

// Store (docs/store.md): scenarios, runs and results kept in SQLite
export { openSqliteStore, type SqliteStoreOptions } from './store/sqlite-store.js';
export { defaultDbPath } from './store/paths.js';
export type {
  ListOptions,
  NewRun,
  RunKind,
  RunStatus,
  Store,
  StoredBenchRun,
  StoredCalibration,
  StoredClaimCheck,
  StoredRun,
  RunSummary,
  StoredScenario,
} from './store/types.js';

// HTTP API (docs/api.md): the Hono app `aifactory serve` runs, and the server itself
export { createApiApp, type ApiApp, type ApiDeps, type ApiExample } from './server/api/app.js';
export {
  startApiServer,
  type RunningApiServer,
  type ServeAppOptions,
  type ServeAppParts,
} from './cli/serve-app-command.js';

// Parameter sweeps (docs/sweeps.md): spec, points, strategies, metrics, Pareto set, driver
export {
  parseSweepSpecObject,
  parseSweepSpecYaml,
  type SweepAxis,
  type SweepConstraint,
  type SweepObjective,
  type SweepSpec,
} from './sweep/spec.js';
export { makePoint, prepareSweep, type PreparedSweep, type SweepPoint } from './sweep/points.js';
export { STRATEGIES, type StrategyRun, type SweepStrategy } from './sweep/strategies.js';
export { basisOf, pointMetrics, SWEEP_METRICS, type PointMetrics } from './sweep/metrics.js';
export { summarizeBases, type SweepMetricBasis } from './sweep/basis.js';
export { paretoIndices, type ParetoObjective } from './sweep/pareto.js';
export { runSweep, type EvaluatePoints, type PointOutcome, type SweepResult } from './sweep/run.js';
