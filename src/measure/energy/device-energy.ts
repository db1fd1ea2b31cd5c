import { refuse, type EnergyOutcome } from './energy-refusal.js';
import type { PowerSample, TimeWindow } from './power-sample.js';
import { sourcePeriodSeconds } from './source-resolution.js';
import { differenceEnergyCounter } from './counter-energy.js';
import { integratePowerTrapezoid } from './trapezoid-energy.js';

/** How energy was obtained: differencing a cumulative counter, or integrating power. */
export type EnergyMethod = 'counter-difference' | 'power-trapezoid';

export interface DeviceEnergyOptions {
  /** `auto` uses the counter when the device has counter readings, else power. */
  method: EnergyMethod | 'auto';
  /** Fields the samples came from, to look up the source period (see source-resolution). */
  fields: readonly string[];
  wrapModulusJoules?: number;
  minWindowPeriods?: number;
  maxGapSeconds?: number;
  minSamplesInWindow?: number;
}

export interface DeviceEnergy {
  deviceId: string;
  method: EnergyMethod;
  energyJoules: number;
  /** Samples (or counter readings) strictly inside the window. */
  samplesInWindow: number;
  largestGapSeconds: number;
  /** The minimum window this device's data allowed, seconds. */
  minWindowSeconds: number;
  /** Counter wraps handled (counter method only). */
  wraps: number;
}

/**
 * Energy of one device over a window from its samples, by the chosen method. Samples of other
 * devices are ignored; samples are sorted by time first. Refusals name the device.
 */
export function deviceEnergy(
  samples: readonly PowerSample[],
  deviceId: string,
  window: TimeWindow,
  options: DeviceEnergyOptions,
): EnergyOutcome<DeviceEnergy> {
  const mine = samples
    .filter((s) => s.deviceId === deviceId)
    .sort((x, y) => x.timestampSeconds - y.timestampSeconds);
  const counters = mine.flatMap((s) =>
    s.energyCounterJoules === undefined
      ? []
      : [{ timestampSeconds: s.timestampSeconds, energyCounterJoules: s.energyCounterJoules }],
  );
  const powers = mine.flatMap((s) =>
    s.powerWatts === undefined
      ? []
      : [{ timestampSeconds: s.timestampSeconds, powerWatts: s.powerWatts }],
  );
  const method: EnergyMethod =
    options.method === 'auto'
      ? counters.length >= 2
        ? 'counter-difference'
        : 'power-trapezoid'
      : options.method;
  const tag = <T>(o: EnergyOutcome<T>): EnergyOutcome<T> =>
    o.ok ? o : { ok: false, refusal: { ...o.refusal, deviceId } };

  if (method === 'counter-difference') {
    if (counters.length === 0) {
      return refuse(
        'no-samples',
        `device ${deviceId} has no energy counter readings`,
        {},
        deviceId,
      );
    }
    const period = sourcePeriodSeconds(options.fields, 'energy-counter');
    const r = differenceEnergyCounter(counters, window, {
      sourcePeriodSeconds: period.periodSeconds,
      ...(options.wrapModulusJoules !== undefined
        ? { wrapModulusJoules: options.wrapModulusJoules }
        : {}),
      ...(options.minWindowPeriods !== undefined
        ? { minWindowPeriods: options.minWindowPeriods }
        : {}),
    });
    if (!r.ok) return tag(r);
    return {
      ok: true,
      value: {
        deviceId,
        method,
        energyJoules: r.value.energyJoules,
        samplesInWindow: r.value.readingsInWindow,
        largestGapSeconds: r.value.largestGapSeconds,
        minWindowSeconds: r.value.minWindowSeconds,
        wraps: r.value.wraps,
      },
    };
  }
  if (powers.length === 0) {
    return refuse('no-samples', `device ${deviceId} has no power samples`, {}, deviceId);
  }
  const period = sourcePeriodSeconds(options.fields, 'power');
  const r = integratePowerTrapezoid(powers, window, {
    sourcePeriodSeconds: period.periodSeconds,
    ...(options.maxGapSeconds !== undefined ? { maxGapSeconds: options.maxGapSeconds } : {}),
    ...(options.minSamplesInWindow !== undefined
      ? { minSamplesInWindow: options.minSamplesInWindow }
      : {}),
    ...(options.minWindowPeriods !== undefined
      ? { minWindowPeriods: options.minWindowPeriods }
      : {}),
  });
  if (!r.ok) return tag(r);
  return {
    ok: true,
    value: {
      deviceId,
      method,
      energyJoules: r.value.energyJoules,
      samplesInWindow: r.value.samplesInWindow,
      largestGapSeconds: r.value.largestGapSeconds,
      minWindowSeconds: r.value.minWindowSeconds,
      wraps: 0,
    },
  };
}
