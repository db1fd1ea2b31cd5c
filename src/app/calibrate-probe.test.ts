import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { isAifError } from '../core/errors.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parseCalibrationFile } from '../perf/calibration-file.js';
import { calibrateFromProbe, type ProbeDatasetInput } from './calibrate-probe.js';

// The synthetic (hand-written, not measured) H100 example of probe/gpu/README.md; it is a
// valid GpuProbeDataset (measure/probe-dataset.test.ts checks that).
const sample = JSON.parse(
  readFileSync('test/fixtures/measure/gpu-probe-sample.json', 'utf8'),
) as ProbeDatasetInput;
const catalog = defaultCatalog();
const opts = { file: 'probe.json', createdAt: '2025-01-01T00:00:00Z' };

describe('calibrateFromProbe', () => {
  const fit = calibrateFromProbe(sample, catalog, BUILTIN_CALIBRATION, opts);

  it('maps "NVIDIA H100 80GB HBM3" to h100-sxm and keys the entry for dense vLLM', () => {
    expect(fit.accelerator).toBe('h100-sxm');
    expect(fit.entry.key).toBe('h100-sxm/vllm/dense');
  });

  it('sets GEMM efficiency to the best bf16 matmul ÷ the bf16 peak (666.371 / 989 = 0.673783)', () => {
    expect(fit.entry.params.gemmComputeEfficiency).toBeCloseTo(666.371 / 989, 5);
    expect(fit.entry.params.gemmComputeEfficiency).toBeCloseTo(0.673783, 6);
  });

  it('sets memory efficiency to the best copy bandwidth ÷ peak (2,667.68 / 3,350 GB/s = 0.796323)', () => {
    expect(fit.entry.params.memoryEfficiency).toBeCloseTo(2667681550311 / 3.35e12, 5);
    expect(fit.entry.params.memoryEfficiency).toBeCloseTo(0.796323, 6);
  });

  it('reports the fp8 matmul against the fp8 peak (1,195.121 / 1,979 = 0.603901) without using it', () => {
    const fp8 = fit.efficiencies.find((e) => e.what.startsWith('fp8'))!;
    expect(fp8.efficiency).toBeCloseTo(0.603901, 6);
    expect(fp8.used).toBe(false);
  });

  it('fits the per-layer floor from the steps, keeps host overhead at the chain entry and says why', () => {
    expect(fit.entry.fitted).toContain('layerOverheadSeconds');
    expect(fit.entry.params.hostOverheadSeconds).toBe(fit.start.params.hostOverheadSeconds);
    const host = fit.decisions.find((d) => d.param === 'hostOverheadSeconds')!;
    expect(host.fitted).toBe(false);
    expect(host.reason).toMatch(/not identifiable/);
    expect(fit.steps).toHaveLength(7);
    expect(fit.entry.fitError.stepTimeMapePct).toBe(fit.stepTimeMapePct);
  });

  it('writes a valid calibration file with the machine and the synthetic flag in its provenance', () => {
    const file = parseCalibrationFile(fit.file);
    expect(file.provenance.method).toBe('gpu-probe');
    expect(file.provenance.machine?.driverVersion).toBe('550.54.15');
    expect(file.provenance.machine?.synthetic).toBe('yes');
    expect(fit.entry.source).toContain('SYNTHETIC');
  });

  it('refuses a GPU name that names no catalog accelerator, naming machine.gpuName', () => {
    const bad = { ...sample, machine: { ...sample.machine, gpuName: 'Acme Tensor 9000' } };
    try {
      calibrateFromProbe(bad, catalog, BUILTIN_CALIBRATION, opts);
      expect.unreachable();
    } catch (e) {
      expect(isAifError(e) && e.issues[0]!.path).toBe('machine.gpuName');
    }
  });

  it('refuses a bf16 matmul above the catalog peak instead of absorbing η > 1', () => {
    const bad = {
      ...sample,
      matmul: sample.matmul.map((m, i) => (i === 0 ? { ...m, achievedTflops: 1200 } : m)),
    };
    try {
      calibrateFromProbe(bad, catalog, BUILTIN_CALIBRATION, opts);
      expect.unreachable();
    } catch (e) {
      expect(isAifError(e) && e.issues[0]!.path).toBe('matmul.0.achievedTflops');
    }
  });
});
