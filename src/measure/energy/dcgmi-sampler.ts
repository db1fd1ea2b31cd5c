import {
  createDcgmiDmonParser,
  dcgmiDmonArgs,
  DCGM_FIELDS,
  type DcgmiDmonRow,
} from './dcgmi-dmon.js';
import { spawnLines as defaultSpawnLines, type SpawnLines } from './line-process.js';
import { monotonicSeconds, type MonotonicClock } from './monotonic-clock.js';
import type { PowerSample, PowerSampler } from './power-sample.js';
import { createStreamSampler, type ArrivedRow } from './stream-sampler.js';

export interface DcgmiSamplerOptions {
  /** `dcgmi dmon -d` period, milliseconds; default 100. */
  intervalMs?: number;
  /** GPU ids (`-i`); default all. */
  deviceIds?: readonly string[];
  command?: string;
  spawnLines?: SpawnLines;
  clock?: MonotonicClock;
}

/**
 * Power and cumulative-energy sampler running `dcgmi dmon -e 155,156 -d <interval>`: DCGM's
 * `DCGM_FI_DEV_POWER_USAGE` (W) and `DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION` (mJ since driver
 * load, NVML `nvmlDeviceGetTotalEnergyConsumption`). dmon prints no timestamps, so each row
 * is stamped with its arrival time on the monotonic clock.
 */
export function createDcgmiSampler(options: DcgmiSamplerOptions = {}): PowerSampler {
  const parse = createDcgmiDmonParser();
  return createStreamSampler<DcgmiDmonRow>({
    name: 'dcgmi',
    command: options.command ?? 'dcgmi',
    args: dcgmiDmonArgs({
      intervalMs: options.intervalMs ?? 100,
      ...(options.deviceIds ? { deviceIds: options.deviceIds } : {}),
    }),
    fields: [DCGM_FIELDS.POWER.name, DCGM_FIELDS.TOTEC.name],
    quantities: ['power', 'energy-counter'],
    parseLine: parse,
    toSamples: arrivedRowsToSamples,
    spawnLines: options.spawnLines ?? defaultSpawnLines,
    clock: options.clock ?? monotonicSeconds,
  });
}

/** Rows stamped on arrival → samples; rows with neither value dropped. */
export function arrivedRowsToSamples(
  rows: readonly ArrivedRow<{
    deviceId: string;
    powerWatts: number | undefined;
    energyCounterJoules: number | undefined;
  }>[],
): PowerSample[] {
  return rows.flatMap(({ row, arrivalSeconds }) => {
    if (row.powerWatts === undefined && row.energyCounterJoules === undefined) return [];
    const s: PowerSample = { deviceId: row.deviceId, timestampSeconds: arrivalSeconds };
    if (row.powerWatts !== undefined) s.powerWatts = row.powerWatts;
    if (row.energyCounterJoules !== undefined) s.energyCounterJoules = row.energyCounterJoules;
    return [s];
  });
}
