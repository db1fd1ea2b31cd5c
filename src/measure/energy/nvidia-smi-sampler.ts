import { anchorToolTimestamps } from './anchor-tool-clock.js';
import { spawnLines as defaultSpawnLines, type SpawnLines } from './line-process.js';
import { monotonicSeconds, type MonotonicClock } from './monotonic-clock.js';
import {
  nvidiaSmiArgs,
  parseNvidiaSmiLine,
  type NvidiaSmiPowerField,
  type NvidiaSmiRow,
} from './nvidia-smi-csv.js';
import type { PowerSample, PowerSampler } from './power-sample.js';
import { createStreamSampler, type ArrivedRow } from './stream-sampler.js';

export interface NvidiaSmiSamplerOptions {
  /** Default `power.draw` (every board has it; a 1 s average on Ampere or newer). */
  powerField?: NvidiaSmiPowerField;
  /** Query loop period, milliseconds (`-lms`); default 100. */
  intervalMs?: number;
  /** GPU indices (`-i`); default all. */
  deviceIds?: readonly string[];
  command?: string;
  spawnLines?: SpawnLines;
  clock?: MonotonicClock;
}

/**
 * Power sampler running `nvidia-smi --query-gpu=index,timestamp,<field>
 * --format=csv,noheader,nounits -lms <interval>`. Sample times are the tool's own timestamps
 * mapped onto the monotonic clock by `anchorToolTimestamps` (so pipe delays do not skew them).
 */
export function createNvidiaSmiSampler(options: NvidiaSmiSamplerOptions = {}): PowerSampler {
  const powerField = options.powerField ?? 'power.draw';
  return createStreamSampler<NvidiaSmiRow>({
    name: 'nvidia-smi',
    command: options.command ?? 'nvidia-smi',
    args: nvidiaSmiArgs({
      powerField,
      intervalMs: options.intervalMs ?? 100,
      ...(options.deviceIds ? { deviceIds: options.deviceIds } : {}),
    }),
    fields: [powerField],
    quantities: ['power'],
    parseLine: parseNvidiaSmiLine,
    toSamples: nvidiaSmiRowsToSamples,
    spawnLines: options.spawnLines ?? defaultSpawnLines,
    clock: options.clock ?? monotonicSeconds,
  });
}

/** Rows with arrival times → samples stamped on the monotonic clock; `[N/A]` rows dropped. */
export function nvidiaSmiRowsToSamples(rows: readonly ArrivedRow<NvidiaSmiRow>[]): PowerSample[] {
  const times = anchorToolTimestamps(
    rows.map((r) => r.row.toolTimestampSeconds),
    rows.map((r) => r.arrivalSeconds),
  );
  return rows.flatMap((r, i) =>
    r.row.powerWatts === undefined
      ? []
      : [{ deviceId: r.row.deviceId, timestampSeconds: times[i]!, powerWatts: r.row.powerWatts }],
  );
}
