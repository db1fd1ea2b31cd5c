/**
 * The load generator for OpenAI-compatible endpoints (issue 5 items 1 and 7): the twin's
 * workloads sent in real time on absolute schedules, a raw JSONL event log, metrics derived
 * from it by pure functions (with vLLM-bench and AIPerf conventions), sweeps with a
 * saturation stop, and the report.
 */
export { runBench, type BenchOptions, type BenchRun, type BenchWorkload } from './bench.js';
export { readChunk, type ApiKind, type ChunkInfo } from './chunk.js';
export {
  StreamingClient,
  endpointUrl,
  requestBody,
  type EndpointConfig,
  type StreamOutcome,
  type StreamRequest,
} from './client.js';
export {
  CONVENTION_NAMES,
  METRIC_CONVENTIONS,
  type ConventionName,
  type MetricConvention,
  type OutputTokenBasis,
} from './conventions.js';
export {
  ERROR_KINDS,
  eventLine,
  parseEventLog,
  type ErrorKind,
  type EventSink,
  type LoadgenEvent,
} from './events.js';
export {
  RATE_PROCESSES,
  classesAtLoad,
  loadLabel,
  offeredLoad,
  scenarioWorkload,
  splitByLargestRemainder,
  traceWorkload,
  type LoadPoint,
  type RateProcess,
  type ScenarioClassWithSlo,
  type StageWorkload,
} from './load.js';
export {
  requestMetrics,
  stageMetrics,
  type RequestMetrics,
  type StageMetrics,
  type StageMetricsOptions,
  type TokenCrossCheck,
} from './metrics.js';
export {
  startMockServer,
  MOCK_FAULTS,
  type MockFault,
  type MockServer,
  type MockServerOptions,
} from './mock-server.js';
export { PROMPT_WORDS, promptText, segmentText } from './prompt.js';
export { assembleLog, type AssembledLog, type RequestRecord } from './records.js';
export {
  buildBenchReport,
  PROMPT_APPROXIMATION,
  type BenchReport,
  type StageEnergy,
} from './report.js';
export { benchReportText } from './report-text.js';
export { runStage, type StageOptions, type StageRunResult } from './runner.js';
export {
  DEFAULT_SATURATION_RULE,
  saturationVerdict,
  type SaturationPoint,
  type SaturationRule,
  type SaturationVerdict,
} from './saturation.js';
export { JsonlFileSink, MemorySink, teeSink } from './sinks.js';
export { SseParser, type SseEvent } from './sse.js';
export { wordTokenizer, type ClientTokenizer } from './tokenizer.js';
