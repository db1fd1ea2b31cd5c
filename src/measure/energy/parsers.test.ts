import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AifError } from '../../core/errors.js';
import { parseAmdSmiMetricJson } from './amd-smi-json.js';
import { parseDcgmiDmon } from './dcgmi-dmon.js';
import {
  nvidiaSmiArgs,
  parseNvidiaSmiCsv,
  parseNvidiaSmiLine,
  parseNvidiaSmiTimestamp,
} from './nvidia-smi-csv.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../test/fixtures/measure/${name}`, import.meta.url), 'utf8');

const thrown = (f: () => unknown): AifError => {
  try {
    f();
  } catch (e) {
    return e as AifError;
  }
  throw new Error('expected a throw');
};

describe('nvidia-smi CSV (--format=csv,noheader,nounits)', () => {
  it('builds the documented query-loop arguments', () => {
    expect(
      nvidiaSmiArgs({ powerField: 'power.draw', intervalMs: 100, deviceIds: ['0', '1'] }),
    ).toEqual([
      '--query-gpu=index,timestamp,power.draw',
      '--format=csv,noheader,nounits',
      '-lms',
      '100',
      '-i',
      '0,1',
    ]);
  });

  it('parses every line of a two-GPU capture with device ids and watts', () => {
    const rows = parseNvidiaSmiCsv(fixture('nvidia-smi-power-draw.csv'));
    expect(rows).toHaveLength(162);
    expect(rows[0]).toEqual({ deviceId: '0', toolTimestampSeconds: 1714564800, powerWatts: 60 });
    expect(rows[1]).toEqual({ deviceId: '1', toolTimestampSeconds: 1714564800, powerWatts: 80 });
    expect(
      rows.find((r) => r.deviceId === '0' && r.toolTimestampSeconds === 1714564800 + 20)
        ?.powerWatts,
    ).toBe(300);
  });

  it('reads [N/A] and [Not Supported] as missing power and skips blank lines', () => {
    const rows = parseNvidiaSmiCsv(fixture('nvidia-smi-power-draw-na.csv'));
    expect(rows.map((r) => r.powerWatts)).toEqual([71.35, undefined, 72.1, undefined]);
  });

  it('keeps the millisecond spacing of timestamps across midnight', () => {
    const a = parseNvidiaSmiTimestamp('2024/05/01 23:59:59.900')!;
    const b = parseNvidiaSmiTimestamp('2024/05/02 00:00:00.000')!;
    expect(b - a).toBeCloseTo(0.1, 6); // epoch seconds as doubles: microsecond precision
  });

  it('names the column, value and expectation of a malformed cell', () => {
    const e = thrown(() => parseNvidiaSmiLine('0, 2024/05/01 12:00:00.000, 312.4 W', 7));
    expect(e.code).toBe('E_INPUT_FORMAT');
    expect(e.issues[0]).toMatchObject({ path: 'power', value: '312.4 W', line: 7 });
    expect(thrown(() => parseNvidiaSmiLine('0, Wed May  1 12:00:00 2024, 3')).issues[0]?.path).toBe(
      'timestamp',
    );
    expect(thrown(() => parseNvidiaSmiLine('0, 2024/05/01 12:00:00.000')).issues[0]?.path).toBe(
      'line',
    );
  });
});

describe('dcgmi dmon (-e 155,156)', () => {
  it('parses power and converts the TOTEC counter from mJ to J, across a repeated header', () => {
    const rows = parseDcgmiDmon(fixture('dcgmi-dmon-power-energy.txt'));
    expect(rows).toHaveLength(24);
    expect(rows[0]).toEqual({ deviceId: '0', powerWatts: 300, energyCounterJoules: 123456.789 });
    expect(rows[1]).toEqual({ deviceId: '1', powerWatts: 80, energyCounterJoules: 98765.432 });
    expect(rows[23]).toEqual({ deviceId: '1', powerWatts: 80, energyCounterJoules: 98853.432 });
  });

  it('follows the header order and reads N/A as missing', () => {
    const rows = parseDcgmiDmon('#Entity TOTEC POWER\nID mJ W\nGPU 3 N/A 55.5\nGPU-I 1 2000 N/A\n');
    expect(rows).toEqual([
      { deviceId: '3', powerWatts: 55.5, energyCounterJoules: undefined },
      { deviceId: 'GPU-I 1', powerWatts: undefined, energyCounterJoules: 2 },
    ]);
  });

  it('rejects a data line before any header and a short row', () => {
    expect(thrown(() => parseDcgmiDmon('GPU 0 1 2')).code).toBe('E_INPUT_FORMAT');
    const e = thrown(() => parseDcgmiDmon('#Entity POWER TOTEC\nGPU 0 61.2\n'));
    expect(e.issues[0]).toMatchObject({ path: 'line', line: 2 });
  });
});

describe('amd-smi metric --power --energy --json', () => {
  it('parses the list form after a WARNING banner', () => {
    expect(parseAmdSmiMetricJson(fixture('amd-smi-metric-power-energy-list.txt'))).toEqual([
      { deviceId: '0', powerWatts: 542, energyCounterJoules: 1234567.25 },
      { deviceId: '1', powerWatts: 141, energyCounterJoules: 765432.5 },
    ]);
  });

  it('parses the gpu_data form, converting units and falling back to average_socket_power', () => {
    const rows = parseAmdSmiMetricJson(fixture('amd-smi-metric-power-energy-gpu-data.json'));
    expect(rows[0]).toEqual({ deviceId: '0', powerWatts: 214, energyCounterJoules: 98.765432 });
    expect(rows[1]).toEqual({ deviceId: '1', powerWatts: 90, energyCounterJoules: undefined });
  });

  it('names the field path of an unknown unit', () => {
    const e = thrown(() =>
      parseAmdSmiMetricJson('[{"gpu":0,"power":{"socket_power":{"value":5,"unit":"kW"}}}]'),
    );
    expect(e.issues[0]).toMatchObject({ path: '0.power.socket_power.unit', value: 'kW' });
    expect(thrown(() => parseAmdSmiMetricJson('{"gpus":[]}')).issues[0]?.path).toBe('(root)');
  });
});
