import type { PowerQuantity } from './power-sample.js';

/**
 * How finely a power or energy source resolves time, and the minimum energy window aifactory
 * accepts for it.
 *
 * **The rule.** An energy window must span at least `MIN_WINDOW_PERIODS` (10) resolution
 * periods, where the resolution period is the larger of (a) the source's documented update or
 * averaging period and (b) the largest gap between consecutive samples around the window:
 *
 *     minWindowSeconds = 10 × max(sourcePeriodSeconds, largestSampleGapSeconds)
 *
 * Each edge of the window is uncertain by up to one period (a trailing average lags the load;
 * a counter is read between updates), so at 10 periods the edge error is bounded by about a
 * tenth of the power swing at each edge. For nvidia-smi `power.draw` this means **10 s**.
 *
 * Sources:
 * - nvidia-smi `--help-query-gpu`, `power.draw`: "On Ampere or newer devices, returns average
 *   power draw over 1 sec"; `power.draw.average` likewise a 1 s average. DCGM field 155
 *   (`DCGM_FI_DEV_POWER_USAGE`) and NVML `nvmlDeviceGetPowerUsage` report the same reading.
 * - `power.draw.instant`: no averaging period is documented; Yang et al., "Part-time Power
 *   Measurements: nvidia-smi's Lack of Attention" (arXiv 2312.02741) found A100/H100 power
 *   sampled over only ~25% of the runtime, so it is treated with the same 1 s period.
 * - Energy counter (NVML `nvmlDeviceGetTotalEnergyConsumption`, DCGM field 156, mJ since driver
 *   load): PETSc's `PetscLogGpuEnergyMeter` notes "energy readings are updated every 20-100ms";
 *   the 100 ms bound is used, so a counter window needs ≥ 1 s (or 10 × the polling interval).
 *   Zeus warns that windows shorter than the update period read 0 J.
 * - amd-smi `socket_power` / energy counter: no update period is documented in the amd-smi CLI
 *   README; 1 s (power) and 100 ms (counter) are assumptions, labelled as such.
 */
export const MIN_WINDOW_PERIODS = 10;

/** Largest accepted gap between power samples (InferenceX utils/aggregate_power.py: 3 s). */
export const MAX_SAMPLE_GAP_SECONDS = 3;

/** Fewest power samples inside the window for trapezoid integration. */
export const MIN_POWER_SAMPLES_IN_WINDOW = 10;

export interface SourceResolution {
  quantity: PowerQuantity;
  /** Update or averaging period of the reading, seconds. */
  periodSeconds: number;
  /** Where the period comes from (or `assumption: …`). */
  source: string;
}

/** Resolution of each field aifactory reads, keyed by field name. */
export const SOURCE_RESOLUTIONS: Readonly<Record<string, SourceResolution>> = {
  'power.draw': {
    quantity: 'power',
    periodSeconds: 1,
    source: 'nvidia-smi --help-query-gpu: power.draw is a 1 s average on Ampere or newer',
  },
  'power.draw.average': {
    quantity: 'power',
    periodSeconds: 1,
    source: 'nvidia-smi --help-query-gpu: power.draw.average, average over 1 s',
  },
  'power.draw.instant': {
    quantity: 'power',
    periodSeconds: 1,
    source: 'period undocumented; arXiv 2312.02741 (A100/H100 sample ~25% of runtime) → 1 s',
  },
  DCGM_FI_DEV_POWER_USAGE: {
    quantity: 'power',
    periodSeconds: 1,
    source: 'same reading as nvmlDeviceGetPowerUsage: 1 s average on Ampere or newer',
  },
  DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION: {
    quantity: 'energy-counter',
    periodSeconds: 0.1,
    source: 'PETSc PetscLogGpuEnergyMeter docs: NVML energy updated every 20-100 ms',
  },
  nvmlDeviceGetTotalEnergyConsumption: {
    quantity: 'energy-counter',
    periodSeconds: 0.1,
    source: 'PETSc PetscLogGpuEnergyMeter docs: NVML energy updated every 20-100 ms',
  },
  socket_power: {
    quantity: 'power',
    periodSeconds: 1,
    source: 'assumption: amd-smi documents no update period',
  },
  total_energy_consumption: {
    quantity: 'energy-counter',
    periodSeconds: 0.1,
    source: 'assumption: amd-smi documents no update period',
  },
};

/** The documented (or assumed) period of a field, for the given quantity; 1 s when unknown. */
export function sourcePeriodSeconds(
  fields: readonly string[],
  quantity: PowerQuantity,
): { periodSeconds: number; source: string } {
  for (const f of fields) {
    const r = SOURCE_RESOLUTIONS[f];
    if (r && r.quantity === quantity) return { periodSeconds: r.periodSeconds, source: r.source };
  }
  return { periodSeconds: 1, source: 'assumption: unknown field, 1 s' };
}

/** `10 × max(period, largest sample gap)`, seconds (see the rule above). */
export function minimumWindowSeconds(
  sourcePeriod: number,
  largestGapSeconds: number,
  periods = MIN_WINDOW_PERIODS,
): number {
  return periods * Math.max(sourcePeriod, largestGapSeconds);
}
