import { describe, expect, it } from 'vitest';
import { isAifError, type ErrorIssue } from '../core/errors.js';
import { ACCELERATORS } from '../catalog/accelerators.js';
import { DEFAULT_CALIBRATION, resolveCalibration, withProductLines } from './calibration.js';
import {
  layerCalibrationFiles,
  parseCalibrationFile,
  parseCalibrationFileJson,
  type CalibrationFile,
} from './calibration-file.js';

const ACCS = ACCELERATORS;

const valid: CalibrationFile = {
  kind: 'aifactory.calibration',
  version: 1,
  provenance: {
    method: 'bench',
    files: ['run.json'],
    createdAt: '2025-01-01T00:00:00Z',
    endpoints: [{ baseUrl: 'http://127.0.0.1:8000', api: 'chat', model: 'm' }],
    scenario: { name: 's', hash: 'fnv1a64:0123456789abcdef' },
  },
  entries: [
    {
      key: 'h100-sxm/vllm/dense',
      params: { ...DEFAULT_CALIBRATION.params, memoryEfficiency: 0.6 },
      source: 'fit on 4 bench stages',
      fitError: { rows: 4, ttftMapePct: 1, tpotMapePct: 2 },
    },
  ],
};

function issuesOf(input: unknown): readonly ErrorIssue[] {
  try {
    parseCalibrationFile(input, 'cal.json');
  } catch (e) {
    if (isAifError(e)) return e.issues;
    throw e;
  }
  throw new Error('expected an AifError');
}

const withParam = (name: string, value: unknown) => ({
  ...valid,
  entries: [{ ...valid.entries[0]!, params: { ...valid.entries[0]!.params, [name]: value } }],
});

describe('parseCalibrationFile', () => {
  it('accepts a valid file', () => {
    expect(parseCalibrationFile(valid).entries[0]!.key).toBe('h100-sxm/vllm/dense');
  });

  it('names the field, the value and the range of an efficiency above 1', () => {
    expect(issuesOf(withParam('memoryEfficiency', 1.2))[0]).toMatchObject({
      path: 'entries.0.params.memoryEfficiency',
      value: 1.2,
      expected: '<= 1',
      file: 'cal.json',
    });
  });

  it('names a missing parameter', () => {
    const { hostOverheadSeconds: _, ...params } = valid.entries[0]!.params;
    void _;
    const issue = issuesOf({ ...valid, entries: [{ ...valid.entries[0]!, params }] })[0]!;
    expect(issue.path).toBe('entries.0.params.hostOverheadSeconds');
    expect(issue.expected).toBe('number');
  });

  it('names an unknown field', () => {
    expect(issuesOf(withParam('warpSpeed', 9))[0]).toMatchObject({
      path: 'entries.0.params.warpSpeed',
      value: 9,
    });
  });

  it('names a wrong kind with the allowed value', () => {
    expect(issuesOf({ ...valid, kind: 'aifactory.sim' })[0]).toMatchObject({
      path: 'kind',
      value: 'aifactory.sim',
      expected: 'one of: "aifactory.calibration"',
    });
  });

  it('refuses a key twice in one file', () => {
    const twice = { ...valid, entries: [valid.entries[0]!, valid.entries[0]!] };
    expect(issuesOf(twice)[0]).toMatchObject({
      path: 'entries.1.key',
      value: 'h100-sxm/vllm/dense',
    });
  });

  it('reports invalid JSON at the root', () => {
    try {
      parseCalibrationFileJson('{', 'cal.json');
      expect.unreachable();
    } catch (e) {
      expect(isAifError(e) && e.issues[0]!.path).toBe('(root)');
    }
  });
});

describe('layerCalibrationFiles', () => {
  const base = new Map([
    ['h100-sxm/vllm/dense', { ...DEFAULT_CALIBRATION, key: 'h100-sxm/vllm/dense' }],
    ['default', DEFAULT_CALIBRATION],
  ]);

  it('replaces the base entry of the file key, leaves the others, and names the file in the source', () => {
    const t = layerCalibrationFiles(base, [{ path: 'cal.json', file: valid }], ACCS);
    const e = t.get('h100-sxm/vllm/dense')!;
    expect(e.params.memoryEfficiency).toBe(0.6);
    expect(e.source).toContain(
      'calibration file cal.json (bench runs run.json of http://127.0.0.1:8000',
    );
    expect(e.source).toContain('fnv1a64:0123456789abcdef');
    expect(t.get('default')).toBe(DEFAULT_CALIBRATION);
    expect(base.get('h100-sxm/vllm/dense')!.params.memoryEfficiency).toBe(0.8);
  });

  it('lets a later file win for the same key', () => {
    const later = withParam('memoryEfficiency', 0.7) as CalibrationFile;
    const t = layerCalibrationFiles(
      base,
      [
        { path: 'a.json', file: valid },
        { path: 'b.json', file: later },
      ],
      ACCS,
    );
    expect(t.get('h100-sxm/vllm/dense')!.params.memoryEfficiency).toBe(0.7);
    expect(t.get('h100-sxm/vllm/dense')!.source).toContain('b.json');
  });

  it("derives the product-line entries again from the layered fits, so a file reaches a fitted form factor's siblings", () => {
    // Built-in shape: H200 SXM fitted, its line entry derived from it (what H200 NVL resolves to).
    const sxm = { ...DEFAULT_CALIBRATION, key: 'h200-sxm/vllm/dense', source: 'built-in fit' };
    const builtin = withProductLines([sxm, DEFAULT_CALIBRATION], ACCS);
    const nvl = ACCELERATORS.find((a) => a.id === 'h200-nvl')!;
    expect(resolveCalibration(builtin, nvl, 'vllm', {}).key).toBe('line:h200/vllm/dense');
    const userFit = {
      ...valid,
      entries: [{ ...valid.entries[0]!, key: 'h200-sxm/vllm/dense' }],
    } as CalibrationFile;
    const t = layerCalibrationFiles(builtin, [{ path: 'mine.json', file: userFit }], ACCS);
    const line = t.get('line:h200/vllm/dense')!;
    expect(line.params.memoryEfficiency).toBe(0.6); // the file's fit, not the built-in one
    expect(line.source).toContain('mine.json');
    expect(resolveCalibration(t, nvl, 'vllm', {}).params.memoryEfficiency).toBe(0.6);

    // A fit of the NVL itself makes two fitted members: the line entry goes (neither stands for
    // a third form factor), and the NVL resolves to its own entry.
    const nvlFit = {
      ...valid,
      entries: [{ ...valid.entries[0]!, key: 'h200-nvl/vllm/dense' }],
    } as CalibrationFile;
    const t2 = layerCalibrationFiles(builtin, [{ path: 'nvl.json', file: nvlFit }], ACCS);
    expect(t2.has('line:h200/vllm/dense')).toBe(false);
    expect(resolveCalibration(t2, nvl, 'vllm', {}).key).toBe('h200-nvl/vllm/dense');

    // A product-line key a file sets itself wins over the derived one.
    const lineFit = {
      ...valid,
      entries: [
        { ...valid.entries[0]!, key: 'h200-sxm/vllm/dense' },
        {
          ...valid.entries[0]!,
          key: 'line:h200/vllm/dense',
          params: { ...valid.entries[0]!.params, memoryEfficiency: 0.5 },
        },
      ],
    } as CalibrationFile;
    const t3 = layerCalibrationFiles(builtin, [{ path: 'line.json', file: lineFit }], ACCS);
    expect(t3.get('line:h200/vllm/dense')!.params.memoryEfficiency).toBe(0.5);
  });
});
