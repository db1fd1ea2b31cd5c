import { parseAmdSmiMetricJson } from './amd-smi-json.js';
import { runTextWithTimeout, type RunText } from './line-process.js';
import type { MonotonicClock } from './monotonic-clock.js';
import { createPollingSampler } from './polling-sampler.js';
import type { PowerSampler } from './power-sample.js';

export interface AmdSmiSamplerOptions {
  /** Pause between polls, milliseconds; default 100 (each call itself takes time). */
  intervalMs?: number;
  /** GPU ids (`-g`); default all. */
  deviceIds?: readonly string[];
  command?: string;
  runText?: RunText;
  clock?: MonotonicClock;
  sleep?: (ms: number) => Promise<void>;
}

/** Arguments for one poll: power and the energy counter as JSON. */
export function amdSmiArgs(deviceIds?: readonly string[]): string[] {
  return [
    'metric',
    '--power',
    '--energy',
    '--json',
    ...(deviceIds && deviceIds.length > 0 ? ['-g', ...deviceIds] : []),
  ];
}

/**
 * Power and energy sampler polling `amd-smi metric --power --energy --json` (see
 * `amd-smi-json.ts` for the documented shapes). Samples carry `socket_power` (W) and
 * `total_energy_consumption` (J) where the GPU reports them.
 */
export function createAmdSmiSampler(options: AmdSmiSamplerOptions = {}): PowerSampler {
  const command = options.command ?? 'amd-smi';
  const runText = options.runText ?? runTextWithTimeout(5000);
  const args = amdSmiArgs(options.deviceIds);
  return createPollingSampler({
    name: 'amd-smi',
    fields: ['socket_power', 'total_energy_consumption'],
    quantities: ['power', 'energy-counter'],
    poll: async () => parseAmdSmiMetricJson(await runText(command, args)),
    intervalMs: options.intervalMs ?? 100,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
}
