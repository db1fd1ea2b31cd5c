/** Power and energy measurement at the `chip` boundary (issue 5 item 2): the public surface. */
export type {
  PowerQuantity,
  PowerSample,
  PowerSampler,
  PowerSourceName,
  PowerTrace,
  TimeWindow,
} from './power-sample.js';
export { monotonicSeconds, type MonotonicClock } from './monotonic-clock.js';
export {
  spawnLines,
  runTextWithTimeout,
  type LineProcess,
  type RunText,
  type SpawnLines,
} from './line-process.js';
export {
  MAX_SAMPLE_GAP_SECONDS,
  MIN_POWER_SAMPLES_IN_WINDOW,
  MIN_WINDOW_PERIODS,
  SOURCE_RESOLUTIONS,
  minimumWindowSeconds,
  sourcePeriodSeconds,
  type SourceResolution,
} from './source-resolution.js';
export type { EnergyOutcome, EnergyRefusal, EnergyRefusalCode } from './energy-refusal.js';
export {
  integratePowerTrapezoid,
  type PowerPoint,
  type TrapezoidEnergy,
} from './trapezoid-energy.js';
export {
  differenceEnergyCounter,
  unwrapCounter,
  type CounterEnergy,
  type CounterPoint,
} from './counter-energy.js';
export { deviceEnergy, type DeviceEnergy, type EnergyMethod } from './device-energy.js';
export { measureIdleBaseline, type IdleBaseline, type IdleWindowPower } from './idle-baseline.js';
export {
  energyWindowFromTokens,
  measureWindowEnergy,
  type TokenWindow,
  type WindowEnergy,
  type WindowEnergyOptions,
} from './window-energy.js';
export { tokensPerJoule, type TokensPerJouleBasisInput } from './tokens-per-joule.js';
export {
  nvidiaSmiArgs,
  parseNvidiaSmiCsv,
  parseNvidiaSmiLine,
  parseNvidiaSmiTimestamp,
  type NvidiaSmiPowerField,
  type NvidiaSmiRow,
} from './nvidia-smi-csv.js';
export { anchorToolTimestamps } from './anchor-tool-clock.js';
export {
  DCGM_FIELDS,
  createDcgmiDmonParser,
  dcgmiDmonArgs,
  parseDcgmiDmon,
  type DcgmiDmonRow,
} from './dcgmi-dmon.js';
export { parseAmdSmiMetricJson, type AmdSmiRow } from './amd-smi-json.js';
export { createStreamSampler, type ArrivedRow } from './stream-sampler.js';
export { createPollingSampler, type PolledReading } from './polling-sampler.js';
export { createNvidiaSmiSampler, nvidiaSmiRowsToSamples } from './nvidia-smi-sampler.js';
export { createDcgmiSampler, arrivedRowsToSamples } from './dcgmi-sampler.js';
export { amdSmiArgs, createAmdSmiSampler } from './amd-smi-sampler.js';
