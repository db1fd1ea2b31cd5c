/**
 * Metrics of the serving twin (DESIGN §3): request latencies and goodput per class, time
 * series, energy at named boundaries and the utilization set. Pure, deterministic, plain-JSON
 * results, unrounded (the caller formats).
 */
export { CompensatedSum } from './compensated-sum.js';
export {
  HISTOGRAM_RELATIVE_PRECISION,
  HISTOGRAM_UNITS_PER_SECOND,
  LatencyHistogram,
  type LatencySummary,
} from './histogram.js';
export {
  DROP_REASONS,
  MetricsRecorder,
  meetsSlo,
  type ClassMetrics,
  type CompletedRequest,
  type DropReason,
  type MeasuredP99Check,
  type MetricsClassConfig,
  type MetricsRecorderOptions,
  type MetricsResult,
  type SloResult,
  type SloTargets,
  type TrafficMetrics,
} from './recorder.js';
export {
  TimeSeriesSampler,
  type SeriesKind,
  type TimeSeriesResult,
  type TimeSeriesSamplerOptions,
} from './timeseries.js';
export {
  EnergyMeter,
  energyAtBoundaries,
  facilityEnergyJoules,
  tokensPerJouleAt,
  type BoundaryEnergy,
  type EnergyMeterOptions,
  type TokensPerJouleAtBoundary,
} from './energy.js';
export {
  UtilizationMeter,
  combineUtilization,
  type IterationSample,
  type UtilizationMeterOptions,
  type UtilizationResult,
} from './utilization.js';
