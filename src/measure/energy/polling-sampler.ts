import { setTimeout as sleepMs } from 'node:timers/promises';
import { requireArg } from '../../core/errors.js';
import { monotonicSeconds, type MonotonicClock } from './monotonic-clock.js';
import type {
  PowerQuantity,
  PowerSample,
  PowerSampler,
  PowerSourceName,
  PowerTrace,
} from './power-sample.js';

/** One device's reading from one poll. */
export interface PolledReading {
  deviceId: string;
  powerWatts: number | undefined;
  energyCounterJoules: number | undefined;
}

export interface PollingSamplerSpec {
  name: PowerSourceName;
  fields: readonly string[];
  quantities: readonly PowerQuantity[];
  /**
   * Read every device once. For amd-smi this runs `amd-smi metric -p -E --json` and parses it;
   * an NVML binding would return `nvmlDeviceGetTotalEnergyConsumption` / 1000 here.
   */
  poll: () => Promise<PolledReading[]>;
  /** Pause between polls, milliseconds. */
  intervalMs: number;
  clock?: MonotonicClock;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A sampler that polls a one-shot reader in a loop. Each reading is stamped at the midpoint of
 * its poll on the monotonic clock (the tool takes the reading somewhere inside the call). A
 * failed poll is kept as a warning and the loop goes on.
 */
export function createPollingSampler(spec: PollingSamplerSpec): PowerSampler {
  const clock = spec.clock ?? monotonicSeconds;
  const sleep = spec.sleep ?? ((ms: number) => sleepMs(ms));
  const samples: PowerSample[] = [];
  const warnings: string[] = [];
  let running = false;
  let started = false;
  let loop: Promise<void> | undefined;

  const trace = (): PowerTrace => ({
    source: spec.name,
    scope: 'chip',
    quantities: spec.quantities,
    fields: spec.fields,
    samples: samples.map((s) => ({ ...s })),
    warnings: [...warnings],
  });

  const run = async (): Promise<void> => {
    while (running) {
      const t0 = clock();
      try {
        const readings = await spec.poll();
        const t = (t0 + clock()) / 2;
        for (const r of readings) {
          if (r.powerWatts === undefined && r.energyCounterJoules === undefined) continue;
          const s: PowerSample = { deviceId: r.deviceId, timestampSeconds: t };
          if (r.powerWatts !== undefined) s.powerWatts = r.powerWatts;
          if (r.energyCounterJoules !== undefined) s.energyCounterJoules = r.energyCounterJoules;
          samples.push(s);
        }
      } catch (e) {
        if (warnings.length < 100)
          warnings.push(`${spec.name} poll failed: ${(e as Error).message}`);
      }
      if (running) await sleep(spec.intervalMs);
    }
  };

  return {
    name: spec.name,
    scope: 'chip',
    async start() {
      requireArg(!started, `${spec.name} sampler`, 'start() may be called once');
      started = true;
      running = true;
      loop = run();
    },
    trace,
    async stop() {
      running = false;
      if (loop) await loop;
      return trace();
    },
  };
}
