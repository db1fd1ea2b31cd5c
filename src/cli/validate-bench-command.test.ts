/**
 * `aifactory validate bench` end to end in memory: a recorded measurement file in, the
 * comparison table out. Structure only — the verdicts depend on the recorded figures and the
 * catalog, and are reported by the command, not asserted here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../app/validate-bench-result.js';
import { runCli } from './program.js';
import { memoryIo } from './test-support.js';

const F16_FILE = 'data/measurements/cpu-llamacpp-2026-11-27.json';

/** The recorded F16 run turned into a Q8_0 one with two prefill runs (figures made up). */
function q8Result(): BenchResult {
  const r = JSON.parse(readFileSync(F16_FILE, 'utf8')) as BenchResult;
  r.model.weightFormat = 'q8_0';
  r.model.shape.numLayers = 22;
  r.prefill = {
    method: 'test',
    runs: [
      { promptTokens: 128, seconds: 2 },
      { promptTokens: 256, seconds: 4 },
    ],
  };
  return r;
}

describe('aifactory validate bench', () => {
  it('prints measured vs predicted per batch size for the recorded F16 run (assumed calibration)', async () => {
    const m = memoryIo({ [F16_FILE]: readFileSync(F16_FILE, 'utf8') });
    expect(await runCli(['validate', 'bench', F16_FILE], m.io)).toBe(0);
    const out = m.out();
    expect(out).toContain('calibration cpu/llamacpp+overlap: assumption');
    expect(out).toContain('GEMMs at the bf16 rate');
    expect(out).not.toContain('prefill runs');
    expect(out).toMatch(/compute–memory overlap ω = 0\.\d{3} \(fitted to batch 1:/);
    expect(out).toMatch(/^\s+1 \*\s+\d.*\(fitted\)/m);
    for (const b of [2, 4, 8]) expect(out).toMatch(new RegExp(`^\\s+${b}\\s+\\d`, 'm'));
    expect(out).toMatch(/held-out batch sizes within 25%/);
    // --no-overlap-fit keeps the roofline max: no fitted row, every batch size held out.
    const n = memoryIo({ [F16_FILE]: readFileSync(F16_FILE, 'utf8') });
    expect(await runCli(['validate', 'bench', F16_FILE, '--no-overlap-fit'], n.io)).toBe(0);
    expect(n.out()).toContain('calibration cpu/llamacpp: assumption');
    expect(n.out()).toContain('decode (held out)');
    expect(n.out()).not.toContain('(fitted)');
  });

  it('fits the GEMM efficiency to the prefill runs of a Q8_0 result and holds decode out', async () => {
    const text = JSON.stringify(q8Result());
    const m = memoryIo({ 'q8.json': text });
    expect(await runCli(['validate', 'bench', 'q8.json'], m.io)).toBe(0);
    const out = m.out();
    expect(out).toContain('GEMMs at the int8 rate');
    expect(out).toContain('calibration cpu/llamacpp-prefill-fit');
    expect(out).toContain('prefill runs (fitted: GEMM compute efficiency)');
    expect(out).toContain('decode (batch marked * fitted, the others held out)');

    const j = memoryIo({ 'q8.json': text });
    expect(await runCli(['validate', 'bench', 'q8.json', '--json'], j.io)).toBe(0);
    const report = JSON.parse(j.out()) as {
      calibration: { prefillFit: { runs: { promptTokens: number }[] } };
      points: { batchSize: number }[];
    };
    expect(report.calibration.prefillFit.runs.map((x) => x.promptTokens)).toEqual([128, 256]);
    expect(report.points.map((p) => p.batchSize)).toEqual([1, 2, 4, 8]);
  });

  it('refuses a file that is not a decode-bench result', async () => {
    const m = memoryIo({ 'x.json': '{"kind":"other"}' });
    expect(await runCli(['validate', 'bench', 'x.json'], m.io)).not.toBe(0);
    expect(m.err()).toContain('is not a decode-bench result');
  });
});
