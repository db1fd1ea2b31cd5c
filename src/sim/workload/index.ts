/**
 * Workload generation for the serving twin (DESIGN §5): arrival processes, request and
 * agent-session sources, merging, the calibrated coding-agent class and a zero-load driver.
 */
export {
  ARRIVAL_PROCESSES,
  createArrivalProcess,
  createDiurnalArrivals,
  createGammaArrivals,
  createPoissonArrivals,
  createTraceArrivals,
  type ArrivalProcess,
  type ArrivalSpec,
  type DiurnalArrivalSpec,
  type DiurnalPoint,
  type GammaArrivalSpec,
  type PoissonArrivalSpec,
  type TraceArrivalSpec,
} from './arrivals.js';
export {
  CODING_AGENT_SESSION,
  CODING_AGENT_TARGETS,
  codingAgentClassSpec,
  createCodingAgentSource,
} from './coding-agent.js';
export { IdAllocator } from './ids.js';
export { mergeSources } from './merge-sources.js';
export { createRequestSource } from './request-source.js';
export {
  SAMPLERS,
  createCountSampler,
  createSampler,
  roundCount,
  sampleDistribution,
  sampleGamma,
  sampleTokens,
  type Sampler,
} from './sample.js';
export {
  arrivalSpecFromScenario,
  classSpecFromScenario,
  type ScenarioArrivalsLike,
  type ScenarioClassLike,
  type ScenarioRateArrivals,
} from './scenario-adapter.js';
export { segmentTokens, sharedPrefixTokens } from './segments.js';
export { createAgentSessionSource } from './session-source.js';
export {
  WORKLOAD_SOURCES,
  createWorkload,
  createWorkloadSource,
  workloadRngs,
  type NamedClassSpec,
  type Workload,
} from './sources.js';
export {
  zeroCounters,
  type AgentSessionClassSpec,
  type ClassArrivalSpec,
  type ClosedLoopSpec,
  type CompactionSpec,
  type CountingWorkloadSource,
  type RequestClassSpec,
  type SessionSpec,
  type SourceOptions,
  type SubAgentSpec,
  type WorkloadClassSpec,
  type WorkloadRngs,
  type WorkloadSourceCounters,
} from './spec.js';
export { driveAtZeroLoad, type ZeroLoadOptions, type ZeroLoadResult } from './zero-load-driver.js';
