import { AifError, ERROR_CODES } from '../../core/errors.js';

/**
 * Parser for `amd-smi metric --power --energy --json` (`-p -E`), ROCm AMD SMI CLI.
 *
 * Format (ROCm/amdsmi `amdsmi_cli/README.md`, `amd-smi metric --help`: `-p, --power Current
 * power usage`, `-E, --energy`, `--json`): one JSON document per call. Older releases print a
 * list `[{ "gpu": 0, "power": {…}, "energy": {…} }, …]`; newer ones wrap it as
 * `{ "gpu_data": [ … ] }` (the ROCm maintainers' own jq in ROCm/amdsmi#38 reads
 * `.gpu_data? // .`). Values are `{ "value": 214, "unit": "W" }` objects, bare numbers in some
 * releases, or `"N/A"`. Power is `power.socket_power` (older: `average_socket_power`,
 * `current_socket_power`); the cumulative counter is `energy.total_energy_consumption`. Some
 * installs print a `WARNING: …` line before the JSON; text before the first `[` or `{` is
 * skipped. The document carries no timestamp: the sampler stamps each poll.
 */
export interface AmdSmiRow {
  deviceId: string;
  powerWatts: number | undefined;
  energyCounterJoules: number | undefined;
}

/** Decimal exponent of each unit relative to watts or joules. */
const POWER_UNITS: Record<string, number> = { W: 0, mW: -3, uW: -6, µW: -6 };
const ENERGY_UNITS: Record<string, number> = { J: 0, mJ: -3, uJ: -6, µJ: -6, kJ: 3 };

/**
 * @throws AifError E_INPUT_FORMAT naming the field path, value and expectation when the text is
 *   not JSON, not a list of GPUs, or a value has an unknown unit or is not a number.
 * @example parseAmdSmiMetricJson('[{"gpu":0,"power":{"socket_power":{"value":214,"unit":"W"}}}]')
 *   // → [{ deviceId: '0', powerWatts: 214, energyCounterJoules: undefined }]
 */
export function parseAmdSmiMetricJson(text: string): AmdSmiRow[] {
  const start = text.search(/[[{]/);
  if (start < 0) throw formatError('(root)', text.slice(0, 80), 'a JSON list or object');
  let doc: unknown;
  try {
    doc = JSON.parse(text.slice(start));
  } catch (e) {
    throw formatError(
      '(root)',
      text.slice(start, start + 80),
      `valid JSON (${(e as Error).message})`,
    );
  }
  const list = Array.isArray(doc)
    ? doc
    : isRecord(doc) && Array.isArray(doc.gpu_data)
      ? doc.gpu_data
      : undefined;
  if (list === undefined) {
    throw formatError('(root)', doc, 'a list of GPUs or an object with a gpu_data list');
  }
  return list.map((entry: unknown, i: number): AmdSmiRow => {
    if (!isRecord(entry) || (typeof entry.gpu !== 'number' && typeof entry.gpu !== 'string')) {
      throw formatError(`${i}.gpu`, isRecord(entry) ? entry.gpu : entry, 'a GPU id');
    }
    const power = isRecord(entry.power) ? entry.power : {};
    const energy = isRecord(entry.energy) ? entry.energy : {};
    const powerKey = ['socket_power', 'average_socket_power', 'current_socket_power'].find(
      (k) => power[k] !== undefined && power[k] !== 'N/A',
    );
    return {
      deviceId: String(entry.gpu),
      powerWatts:
        powerKey === undefined
          ? undefined
          : quantity(power[powerKey], `${i}.power.${powerKey}`, POWER_UNITS, 'W'),
      energyCounterJoules: quantity(
        energy.total_energy_consumption,
        `${i}.energy.total_energy_consumption`,
        ENERGY_UNITS,
        'J',
      ),
    };
  });
}

/** `{value, unit}`, a bare number (in `defaultUnit`) or `N/A` → number in base units. */
function quantity(
  raw: unknown,
  path: string,
  units: Record<string, number>,
  defaultUnit: string,
): number | undefined {
  if (raw === undefined || raw === null || raw === 'N/A') return undefined;
  let value: unknown = raw;
  let unit = defaultUnit;
  if (isRecord(raw)) {
    value = raw.value;
    if (value === 'N/A' || value === null || value === undefined) return undefined;
    if (raw.unit !== undefined) unit = String(raw.unit);
  }
  const x = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(x) || x < 0)
    throw formatError(`${path}.value`, value, 'a number ≥ 0 or N/A');
  const exponent = units[unit];
  if (exponent === undefined) {
    throw formatError(`${path}.unit`, unit, `one of ${Object.keys(units).join(', ')}`);
  }
  // Divide for sub-units so that e.g. 98765432 uJ is exactly the double nearest 98.765432 J.
  return exponent >= 0 ? x * 10 ** exponent : x / 10 ** -exponent;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function formatError(path: string, value: unknown, expected: string): AifError {
  return new AifError(
    ERROR_CODES.INPUT_FORMAT,
    `parseAmdSmiMetricJson: ${path}: ${JSON.stringify(value)} is not ${expected}`,
    [{ path, message: `not ${expected}`, value, expected }],
  );
}
