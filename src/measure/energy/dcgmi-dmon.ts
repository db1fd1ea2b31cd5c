import { AifError, ERROR_CODES } from '../../core/errors.js';

/**
 * Parser for `dcgmi dmon -e 155,156 -d <ms>` output (NVIDIA DCGM).
 *
 * Format (DCGM `dcgmi dmon`; field ids and short names from `dcgm_fields.h` /
 * `DcgmFieldsPopulateOneFieldWithFormatting`): whitespace-aligned text, not CSV. A header line
 * `#Entity   POWER   TOTEC` names the columns by short name, a units line `ID   W   mJ`
 * follows, then one row per entity per interval, e.g. `GPU 0   61.234   123456789`; both header
 * lines repeat periodically. Unavailable values print `N/A`. The rows carry no timestamp: the
 * sampler stamps each on arrival. Fields:
 *
 * | id  | short   | name                                  | unit                        |
 * |-----|---------|---------------------------------------|-----------------------------|
 * | 155 | POWER   | DCGM_FI_DEV_POWER_USAGE               | W                           |
 * | 156 | TOTEC   | DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION  | mJ since the driver loaded  |
 * | 157 | POWINST | DCGM_FI_DEV_POWER_USAGE_INSTANT       | W                           |
 */
export const DCGM_FIELDS = {
  POWER: { id: 155, name: 'DCGM_FI_DEV_POWER_USAGE' },
  TOTEC: { id: 156, name: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION' },
  POWINST: { id: 157, name: 'DCGM_FI_DEV_POWER_USAGE_INSTANT' },
} as const;

export interface DcgmiDmonRow {
  /** Entity id, e.g. `0` for `GPU 0`; other entity kinds keep their prefix (`GPU-I 3`). */
  deviceId: string;
  powerWatts: number | undefined;
  energyCounterJoules: number | undefined;
}

/** Arguments for `dcgmi dmon` reading power and the energy counter every `intervalMs`. */
export function dcgmiDmonArgs(options: {
  intervalMs: number;
  deviceIds?: readonly string[];
}): string[] {
  return [
    'dmon',
    '-e',
    `${DCGM_FIELDS.POWER.id},${DCGM_FIELDS.TOTEC.id}`,
    '-d',
    String(options.intervalMs),
    ...(options.deviceIds && options.deviceIds.length > 0
      ? ['-i', options.deviceIds.join(',')]
      : []),
  ];
}

/**
 * A line parser that remembers the last `#Entity` header. Returns a row for data lines and
 * undefined for headers, unit lines and blank lines.
 *
 * @throws AifError E_INPUT_FORMAT for a data line before any header, a wrong number of values,
 *   or a value that is neither a number nor `N/A`.
 */
export function createDcgmiDmonParser(): (
  line: string,
  lineNumber?: number,
) => DcgmiDmonRow | undefined {
  let columns: string[] | undefined;
  return (line, lineNumber = 1) => {
    const trimmed = line.trim();
    if (trimmed === '') return undefined;
    if (trimmed.startsWith('#')) {
      columns = trimmed
        .replace(/^#\s*Entity/i, '')
        .trim()
        .split(/\s+/)
        .filter(Boolean);
      return undefined;
    }
    const tokens = trimmed.split(/\s+/);
    if (tokens[0] === 'ID' || tokens[0] === 'Id') return undefined; // units line
    if (columns === undefined) {
      throw formatError(lineNumber, 'line', line, 'a #Entity header before the first data line');
    }
    // Entity is two tokens (`GPU 0`); the values follow in header order.
    const values = tokens.slice(2);
    if (tokens.length < 2 || values.length !== columns.length) {
      throw formatError(
        lineNumber,
        'line',
        line,
        `an entity and ${columns.length} value(s) for ${columns.join(', ')}`,
      );
    }
    const kind = tokens[0]!;
    const deviceId = kind === 'GPU' ? tokens[1]! : `${kind} ${tokens[1]!}`;
    const value = (short: string): number | undefined => {
      const i = columns!.indexOf(short);
      if (i < 0) return undefined;
      const raw = values[i]!;
      if (raw === 'N/A') return undefined;
      const x = Number(raw);
      if (!Number.isFinite(x) || x < 0) {
        throw formatError(lineNumber, short, raw, 'a number ≥ 0 or N/A');
      }
      return x;
    };
    const power = value('POWER') ?? value('POWINST');
    const totecMillijoules = value('TOTEC');
    return {
      deviceId,
      powerWatts: power,
      energyCounterJoules: totecMillijoules === undefined ? undefined : totecMillijoules / 1000,
    };
  };
}

/** Parse a whole capture; see `createDcgmiDmonParser`. */
export function parseDcgmiDmon(text: string): DcgmiDmonRow[] {
  const parse = createDcgmiDmonParser();
  const rows: DcgmiDmonRow[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const row = parse(line, i + 1);
    if (row) rows.push(row);
  });
  return rows;
}

function formatError(line: number, field: string, value: string, expected: string): AifError {
  return new AifError(
    ERROR_CODES.INPUT_FORMAT,
    `parseDcgmiDmon: line ${line}: ${field} '${value}' is not ${expected}`,
    [{ path: field, message: `not ${expected}`, value, expected, line }],
  );
}
