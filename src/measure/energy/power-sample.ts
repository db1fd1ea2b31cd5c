/**
 * Power and energy samples as the samplers record them (issue 5 item 2, DESIGN §9).
 *
 * Every sample carries a *monotonic* timestamp in seconds (`performance.now() / 1000` in this
 * process, see `monotonic-clock.ts`), the device it was read from and either a power reading
 * (watts, a gauge) or a cumulative energy counter (joules since driver load), or both. The
 * accounting boundary is always `chip`: these tools report board power of one accelerator,
 * never the host, the fans or the facility.
 */

/** Tools aifactory reads power or energy from. */
export type PowerSourceName = 'nvidia-smi' | 'dcgmi' | 'amd-smi' | 'nvml-counter' | 'fixture';

/** What a sample's value is: a power gauge or a cumulative energy counter. */
export type PowerQuantity = 'power' | 'energy-counter';

export interface PowerSample {
  /** Device id as the tool names it, e.g. `0` (nvidia-smi index, DCGM GPU id, amd-smi gpu). */
  deviceId: string;
  /** Monotonic time of the reading, seconds, on the same clock as the token timestamps. */
  timestampSeconds: number;
  /** Board power, watts (a gauge; on many boards a trailing average, see `source-resolution`). */
  powerWatts?: number;
  /** Cumulative energy counter, joules since driver load (may wrap or reset). */
  energyCounterJoules?: number;
}

/** Everything one sampler recorded, with what is needed to judge it. */
export interface PowerTrace {
  source: PowerSourceName;
  /** Accounting boundary (DESIGN §3): board power of each accelerator. */
  scope: 'chip';
  /** Which quantities the samples carry. */
  quantities: readonly PowerQuantity[];
  /** The exact field(s) read, e.g. `power.draw`, `DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION`. */
  fields: readonly string[];
  samples: PowerSample[];
  /** Lines or polls that could not be parsed, kept so a report can say what was dropped. */
  warnings: string[];
}

/** A sampler of accelerator power: start it before the run, stop it after. */
export interface PowerSampler {
  readonly name: PowerSourceName;
  readonly scope: 'chip';
  /** Start sampling; resolves once the tool has been launched (not when a first sample exists). */
  start(): Promise<void>;
  /** The samples recorded so far (a copy), without stopping. */
  trace(): PowerTrace;
  /** Stop sampling and return everything recorded. */
  stop(): Promise<PowerTrace>;
}

/** A time interval on the monotonic clock, seconds. */
export interface TimeWindow {
  startSeconds: number;
  endSeconds: number;
}
