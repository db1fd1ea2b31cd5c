import { refuse, type EnergyOutcome, type EnergyRefusal } from './energy-refusal.js';
import type { PowerSourceName, PowerTrace, TimeWindow } from './power-sample.js';
import { deviceEnergy, type DeviceEnergy, type EnergyMethod } from './device-energy.js';
import { measureIdleBaseline, type IdleBaseline } from './idle-baseline.js';
import { MIN_WINDOW_PERIODS } from './source-resolution.js';

/** First and last output token of a run, monotonic seconds (same clock as the samples). */
export interface TokenWindow {
  firstTokenSeconds: number;
  lastTokenSeconds: number;
}

/** The energy window of a run is its token window: first token … last token. */
export function energyWindowFromTokens(tokens: TokenWindow): TimeWindow {
  return { startSeconds: tokens.firstTokenSeconds, endSeconds: tokens.lastTokenSeconds };
}

export interface WindowEnergyOptions {
  trace: PowerTrace;
  /** The token window of the run; the energy window is aligned with it. */
  tokens: TokenWindow;
  /** Default `auto`: the counter where every device has one, else power integration. */
  method?: EnergyMethod | 'auto';
  /** Devices to include; default every device in the trace. */
  deviceIds?: readonly string[];
  /** Idle windows measured before and after the run (no load on the devices). */
  idleBefore?: TimeWindow;
  idleAfter?: TimeWindow;
  wrapModulusJoules?: number;
  minWindowPeriods?: number;
  maxGapSeconds?: number;
  minSamplesInWindow?: number;
}

/** Energy of the run's devices over the token window, with the idle baseline reported apart. */
export interface WindowEnergy {
  /** Accounting boundary (DESIGN §3): accelerator board power only. */
  scope: 'chip';
  source: PowerSourceName;
  fields: readonly string[];
  method: EnergyMethod;
  deviceIds: string[];
  window: TimeWindow & { durationSeconds: number };
  /** Total over the devices, joules. */
  energyJoules: number;
  /** energyJoules / durationSeconds, watts. */
  meanPowerWatts: number;
  /** The largest minimum window any device's data required, seconds, and the rule. */
  minWindowSeconds: number;
  minWindowRule: string;
  perDevice: DeviceEnergy[];
  /** Idle baseline, or why it is missing; absent when no idle window was given. */
  idle?: { ok: true; value: IdleBaseline } | { ok: false; refusal: EnergyRefusal };
  /** meanIdlePowerWatts × durationSeconds, when the idle baseline is available. */
  idleEnergyJoules?: number;
  /** energyJoules − idleEnergyJoules, when the idle baseline is available. */
  energyAboveIdleJoules?: number;
}

/**
 * Measure the energy of a run over its token window (first token … last token), summed over
 * the devices, by counter differencing or trapezoid integration (see `deviceEnergy`), with the
 * idle baseline (mean idle power before/after) reported separately and energy above idle.
 *
 * Refuses — returns `{ ok: false, refusal }` naming the device and the reason — when any
 * device's data cannot support the window (too short for the source, too few samples, gaps,
 * not covered, counter reset). A missing idle baseline does not refuse the window energy; it
 * is reported in `idle`.
 */
export function measureWindowEnergy(options: WindowEnergyOptions): EnergyOutcome<WindowEnergy> {
  const { trace } = options;
  const window = energyWindowFromTokens(options.tokens);
  const deviceIds = [...(options.deviceIds ?? new Set(trace.samples.map((s) => s.deviceId)))].sort(
    compareIds,
  );
  if (deviceIds.length === 0) return refuse('no-samples', 'the power trace has no samples');

  const hasCounters = deviceIds.every(
    (d) =>
      trace.samples.filter((s) => s.deviceId === d && s.energyCounterJoules !== undefined).length >=
      2,
  );
  const method: EnergyMethod =
    (options.method ?? 'auto') === 'auto'
      ? hasCounters
        ? 'counter-difference'
        : 'power-trapezoid'
      : (options.method as EnergyMethod);
  const deviceOptions = {
    method,
    fields: trace.fields,
    ...(options.wrapModulusJoules !== undefined
      ? { wrapModulusJoules: options.wrapModulusJoules }
      : {}),
    ...(options.minWindowPeriods !== undefined
      ? { minWindowPeriods: options.minWindowPeriods }
      : {}),
    ...(options.maxGapSeconds !== undefined ? { maxGapSeconds: options.maxGapSeconds } : {}),
    ...(options.minSamplesInWindow !== undefined
      ? { minSamplesInWindow: options.minSamplesInWindow }
      : {}),
  };

  const perDevice: DeviceEnergy[] = [];
  for (const deviceId of deviceIds) {
    const r = deviceEnergy(trace.samples, deviceId, window, deviceOptions);
    if (!r.ok) return r;
    perDevice.push(r.value);
  }
  const durationSeconds = window.endSeconds - window.startSeconds;
  const energyJoules = perDevice.reduce((s, d) => s + d.energyJoules, 0);
  const periods = options.minWindowPeriods ?? MIN_WINDOW_PERIODS;
  const result: WindowEnergy = {
    scope: 'chip',
    source: trace.source,
    fields: trace.fields,
    method,
    deviceIds,
    window: { ...window, durationSeconds },
    energyJoules,
    meanPowerWatts: energyJoules / durationSeconds,
    minWindowSeconds: Math.max(...perDevice.map((d) => d.minWindowSeconds)),
    minWindowRule: `window ≥ ${periods} × max(source update/averaging period, largest sample gap)`,
    perDevice,
  };
  if (options.idleBefore !== undefined || options.idleAfter !== undefined) {
    const idle = measureIdleBaseline(
      trace.samples,
      deviceIds,
      {
        ...(options.idleBefore ? { before: options.idleBefore } : {}),
        ...(options.idleAfter ? { after: options.idleAfter } : {}),
      },
      deviceOptions,
    );
    result.idle = idle;
    if (idle.ok) {
      result.idleEnergyJoules = idle.value.meanIdlePowerWatts * durationSeconds;
      result.energyAboveIdleJoules = energyJoules - result.idleEnergyJoules;
    }
  }
  return { ok: true, value: result };
}

/** Numeric ids in numeric order (`2` before `10`), others lexically. */
function compareIds(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
