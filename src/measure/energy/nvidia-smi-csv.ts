import { AifError, ERROR_CODES } from '../../core/errors.js';

/**
 * Parser for `nvidia-smi --query-gpu=<fields> --format=csv,noheader,nounits [-lms N]` output.
 *
 * Format (nvidia-smi(1) and `nvidia-smi --help-query-gpu`): one line per GPU per loop, values
 * in the order of `--query-gpu`, separated by `, `; with `nounits` numbers carry no ` W`;
 * unavailable values print as `[N/A]`, `[Not Supported]` or `[Unknown Error]`. `timestamp` is
 * local wall-clock time formatted `YYYY/MM/DD HH:MM:SS.mmm`. Power fields: `power.draw` (1 s
 * average on Ampere or newer, instantaneous before), `power.draw.average`,
 * `power.draw.instant`, all watts. nvidia-smi has no energy-counter query field: the cumulative
 * counter is read through NVML or DCGM (see `dcgmi-dmon.ts`).
 */
export const NVIDIA_SMI_POWER_FIELDS = [
  'power.draw',
  'power.draw.average',
  'power.draw.instant',
] as const;
export type NvidiaSmiPowerField = (typeof NVIDIA_SMI_POWER_FIELDS)[number];

export interface NvidiaSmiRow {
  /** `index` field: the GPU's nvidia-smi index, as text. */
  deviceId: string;
  /** `timestamp` parsed as if UTC, seconds: only differences are meaningful. */
  toolTimestampSeconds: number;
  /** The power field's reading in watts, or undefined when the tool printed `[N/A]`. */
  powerWatts: number | undefined;
}

/** Arguments for the query loop: `index,timestamp,<powerField>` every `intervalMs`. */
export function nvidiaSmiArgs(options: {
  powerField: NvidiaSmiPowerField;
  intervalMs: number;
  deviceIds?: readonly string[];
}): string[] {
  return [
    `--query-gpu=index,timestamp,${options.powerField}`,
    '--format=csv,noheader,nounits',
    `-lms`,
    String(options.intervalMs),
    ...(options.deviceIds && options.deviceIds.length > 0
      ? ['-i', options.deviceIds.join(',')]
      : []),
  ];
}

const UNAVAILABLE = /^\[(N\/A|Not Supported|Unknown Error|Insufficient Permissions|GPU is lost)\]$/;

/**
 * Parse one line of `--query-gpu=index,timestamp,<powerField>` output. Blank lines return
 * undefined.
 *
 * @throws AifError E_INPUT_FORMAT naming the column, value and expectation.
 * @example parseNvidiaSmiLine('0, 2024/05/01 12:00:00.250, 312.45')
 *   // → { deviceId: '0', toolTimestampSeconds: 1714564800.25, powerWatts: 312.45 }
 */
export function parseNvidiaSmiLine(line: string, lineNumber = 1): NvidiaSmiRow | undefined {
  if (line.trim() === '') return undefined;
  const cells = line.split(',').map((c) => c.trim());
  if (cells.length !== 3) {
    throw formatError(
      lineNumber,
      'line',
      line,
      'three comma-separated values: index, timestamp, power',
    );
  }
  const [index, timestamp, power] = cells as [string, string, string];
  if (!/^\d+$/.test(index)) throw formatError(lineNumber, 'index', index, 'a GPU index (0, 1, …)');
  const toolTimestampSeconds = parseNvidiaSmiTimestamp(timestamp);
  if (toolTimestampSeconds === undefined) {
    throw formatError(lineNumber, 'timestamp', timestamp, 'YYYY/MM/DD HH:MM:SS.mmm');
  }
  let powerWatts: number | undefined;
  if (!UNAVAILABLE.test(power)) {
    powerWatts = Number(power);
    if (power === '' || !Number.isFinite(powerWatts) || powerWatts < 0) {
      throw formatError(lineNumber, 'power', power, 'watts ≥ 0 (with nounits) or [N/A]');
    }
  }
  return { deviceId: index, toolTimestampSeconds, powerWatts };
}

/** Parse a whole capture; see `parseNvidiaSmiLine`. */
export function parseNvidiaSmiCsv(text: string): NvidiaSmiRow[] {
  const rows: NvidiaSmiRow[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const row = parseNvidiaSmiLine(line, i + 1);
    if (row) rows.push(row);
  });
  return rows;
}

/**
 * `YYYY/MM/DD HH:MM:SS.mmm` → seconds, read as UTC (the tool prints local time without a zone,
 * so only differences between timestamps of one capture are meaningful). Undefined if malformed.
 */
export function parseNvidiaSmiTimestamp(text: string): number | undefined {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (!Number.isFinite(ms)) return undefined;
  return ms / 1000 + (frac ? Number(`0.${frac}`) : 0);
}

function formatError(line: number, field: string, value: string, expected: string): AifError {
  return new AifError(
    ERROR_CODES.INPUT_FORMAT,
    `parseNvidiaSmiLine: line ${line}: ${field} '${value}' is not ${expected}`,
    [{ path: field, message: `not ${expected}`, value, expected, line }],
  );
}
