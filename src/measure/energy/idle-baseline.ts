import { refuse, type EnergyOutcome, type EnergyRefusal } from './energy-refusal.js';
import type { PowerSample, TimeWindow } from './power-sample.js';
import { deviceEnergy, type DeviceEnergyOptions } from './device-energy.js';

/** Mean idle power over one idle window, summed over the devices. */
export interface IdleWindowPower {
  window: TimeWindow;
  meanPowerWatts: number;
  perDevice: { deviceId: string; meanPowerWatts: number }[];
}

/** Idle baseline measured before and/or after the run (issue 5 item 2). */
export interface IdleBaseline {
  /** Mean over the available idle windows of their summed mean power, watts. */
  meanIdlePowerWatts: number;
  before?: IdleWindowPower;
  after?: IdleWindowPower;
  /** Idle windows that could not be used, with the reason. */
  refused: { which: 'before' | 'after'; refusal: EnergyRefusal }[];
}

/**
 * Mean idle power of the devices: for each idle window, each device's energy over the window
 * (same method and refusal rules as the measured window) divided by its duration, summed over
 * devices; then the mean of the before and after figures that could be measured.
 *
 *     P_idle = mean over windows w of Σ_devices E_d(w) / |w|      (watts)
 *
 * Refuses with `idle-unavailable` when no idle window was given or none could be measured.
 */
export function measureIdleBaseline(
  samples: readonly PowerSample[],
  deviceIds: readonly string[],
  windows: { before?: TimeWindow; after?: TimeWindow },
  options: DeviceEnergyOptions,
): EnergyOutcome<IdleBaseline> {
  const refused: IdleBaseline['refused'] = [];
  const measured: Partial<Record<'before' | 'after', IdleWindowPower>> = {};
  for (const which of ['before', 'after'] as const) {
    const w = windows[which];
    if (w === undefined) continue;
    const perDevice: IdleWindowPower['perDevice'] = [];
    let failed: EnergyRefusal | undefined;
    for (const deviceId of deviceIds) {
      const r = deviceEnergy(samples, deviceId, w, options);
      if (!r.ok) {
        failed = r.refusal;
        break;
      }
      perDevice.push({
        deviceId,
        meanPowerWatts: r.value.energyJoules / (w.endSeconds - w.startSeconds),
      });
    }
    if (failed) {
      refused.push({ which, refusal: failed });
      continue;
    }
    measured[which] = {
      window: w,
      meanPowerWatts: perDevice.reduce((s, d) => s + d.meanPowerWatts, 0),
      perDevice,
    };
  }
  const available = [measured.before, measured.after].filter(
    (m): m is IdleWindowPower => m !== undefined,
  );
  if (available.length === 0) {
    const why = refused.map((r) => `${r.which}: ${r.refusal.reason}`).join('; ');
    return refuse(
      'idle-unavailable',
      why === '' ? 'no idle window was given' : `no idle window could be measured (${why})`,
    );
  }
  return {
    ok: true,
    value: {
      meanIdlePowerWatts: available.reduce((s, m) => s + m.meanPowerWatts, 0) / available.length,
      ...(measured.before ? { before: measured.before } : {}),
      ...(measured.after ? { after: measured.after } : {}),
      refused,
    },
  };
}
