/**
 * Relative calibration of an accelerator family that has no measured TTFT/TPOT rows (AMD
 * CDNA here) from published *ratios*: InferenceX results give tok/s per all-in MW for the same
 * model, precision, ISL/OSL and interactivity on an AMD part and an NVIDIA part. Converted to
 * tok/s per GPU with InferenceX's own all-in kW per GPU, their ratio fixes one factor k that
 * scales the reference part's fitted efficiencies (GEMM, MoE, memory, attention) for the
 * target's architecture generation. MLPerf is not used (it stays the held-out check).
 */
import type { Catalog } from '../catalog/catalog.js';
import { bisectIncreasing } from '../core/roots.js';
import { resolvePrecision } from '../catalog/precisions.js';
import type { Accelerator, ModelArch } from '../catalog/types.js';
import {
  resolveCalibration,
  EFFICIENCY_KEYS,
  type CalibrationEntry,
  type CalibrationParams,
  type CalibrationTable,
} from '../perf/calibration.js';
import { searchPlans } from '../perf/plan-search.js';
import { throughputAtInteractivity, type WorkloadStats } from '../perf/scenarios.js';
import type { EngineSettings } from '../perf/types.js';
import { mapAccelerator, type MapResult } from '../validation/mapping.js';
import type { PublicDataItem } from '../validation/mlperf.js';
import { mapModelByRepoName } from '../validation/mlenergy.js';

export interface InferencexPoint {
  item: string;
  model: ModelArch;
  accelerator: Accelerator;
  precisionLabel: string;
  inputTokens: number;
  outputTokens: number;
  tokensPerSecondPerUser: number;
  /** Total (input + output) tok/s per GPU = tok/s per MW × all-in kW per GPU / 1000. */
  totalTokensPerSecondPerGpu: number;
}

/** `gpt-oss-120B MX4 1k/8k @ 90 tok/s/user - MI300X` → parts. */
const TITLE = /^(\S+)\s+(\S+)\s+(\d+)k\/(\d+)k\s+@\s+([\d.]+)\s+tok\/s\/user\s+-\s+(.+)$/;

/** All-in provisioned kW per GPU from InferenceX's constants, keyed by the catalog accelerator id. */
function allInKwPerGpu(items: readonly PublicDataItem[], catalog: Catalog): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of items) {
    if (
      i.category !== 'inferencex_assumption' ||
      !/all-in provisioned utility power per GPU/i.test(i.item)
    )
      continue;
    const name = i.item.split(' - ').pop() ?? '';
    const acc = mapAccelerator(name, catalog);
    if (acc.ok) out.set(acc.value.id, i.value);
  }
  return out;
}

export function inferencexPoints(
  items: readonly PublicDataItem[],
  catalog: Catalog,
): InferencexPoint[] {
  const kw = allInKwPerGpu(items, catalog);
  const points: InferencexPoint[] = [];
  for (const i of items) {
    if (
      i.category !== 'inferencex_result' ||
      !/per all-in provisioned utility MW/i.test(i.unit ?? '')
    )
      continue;
    const m = TITLE.exec(i.item.trim());
    if (!m) continue;
    const model = mapModelByRepoName(m[1]!, catalog);
    const acc: MapResult<Accelerator> = mapAccelerator(m[6]!, catalog);
    if (!model.ok || !acc.ok) continue;
    const perGpuKw = kw.get(acc.value.id);
    if (perGpuKw === undefined) continue;
    points.push({
      item: i.item,
      model: model.value,
      accelerator: acc.value,
      precisionLabel: m[2]!,
      inputTokens: Number(m[3]) * 1024,
      outputTokens: Number(m[4]) * 1024,
      tokensPerSecondPerUser: Number(m[5]),
      totalTokensPerSecondPerGpu: (i.value * perGpuKw) / 1000,
    });
  }
  return points;
}

/** Scale the efficiencies of `p` by k (each capped at 1). */
export function scaleEfficiencies(p: CalibrationParams, k: number): CalibrationParams {
  const out = { ...p };
  for (const key of EFFICIENCY_KEYS) out[key] = Math.min(1, p[key] * k);
  return out;
}

/** InferenceX random prompts are 80–100% of ISL (range ratio 0.8): mean 0.9·ISL. */
const INFERENCEX_INPUT_MEAN_RATIO = 0.9;

export function modelledPerGpu(
  point: InferencexPoint,
  catalog: Catalog,
  params: CalibrationParams,
): number | undefined {
  const engine: EngineSettings = {
    name: 'vllm',
    maxNumSeqs: 1024,
    maxNumBatchedTokens: 8192,
    blockSizeTokens: 16,
    gpuMemoryUtilization: 0.9,
    chunkedPrefill: true,
    prefixCaching: false,
    asyncScheduling: true,
  };
  const precision = resolvePrecision('mxfp4', point.accelerator, Boolean(point.model.moe));
  const workload: WorkloadStats = {
    input: {
      meanTokens: point.inputTokens * INFERENCEX_INPUT_MEAN_RATIO,
      tailTokens: point.inputTokens,
    },
    output: { meanTokens: point.outputTokens, tailTokens: point.outputTokens },
  };
  const gpus = Math.min(8, point.accelerator.scaleUpDomainSize.value);
  const r = searchPlans({
    deployment: {
      model: point.model,
      accelerator: point.accelerator,
      precision,
      precisionLabel: point.precisionLabel,
      engine,
    },
    catalog,
    // The probe table answers every chain lookup with the parameters under test.
    calibrationTable: new Map([
      ['default', { key: 'default', params, source: 'relative calibration probe' }],
    ]),
    gpus,
    domainSize: gpus,
    evaluate: ({ prepared, memory, calibration }) =>
      throughputAtInteractivity(
        { prepared, memory, calibration: calibration.params, workload },
        1 / point.tokensPerSecondPerUser,
      ),
    value: (x) => x.totalTokensPerSecond,
  });
  return r.best ? r.best.total / gpus : undefined;
}

export interface RelativeCalibration {
  entry: CalibrationEntry;
  k: number;
  reference: string;
  measuredRatio: number;
}

/**
 * For each accelerator generation with InferenceX points but no fitted entry, pair each of its
 * points with the NVIDIA point of the same scenario whose memory bandwidth is closest, and
 * solve (bisection) for the k that makes the modelled throughput ratio equal the published one.
 * The generation's entry is the reference's parameters with efficiencies × k (median k).
 */
export function calibrateRelative(
  items: readonly PublicDataItem[],
  catalog: Catalog,
  table: CalibrationTable,
): RelativeCalibration[] {
  const points = inferencexPoints(items, catalog);
  const scenarioKey = (p: InferencexPoint) =>
    `${p.model.id}|${p.inputTokens}|${p.outputTokens}|${p.tokensPerSecondPerUser}`;
  const out: RelativeCalibration[] = [];
  const targets = points.filter(
    (p) => !table.has(p.accelerator.generation) && !table.has(`${p.accelerator.id}/vllm`),
  );
  const byGeneration = new Map<string, InferencexPoint[]>();
  for (const t of targets)
    (
      byGeneration.get(t.accelerator.generation) ??
      byGeneration.set(t.accelerator.generation, []).get(t.accelerator.generation)!
    ).push(t);
  for (const [generation, ts] of [...byGeneration.entries()].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const solutions: { k: number; reference: string; ratio: number; base: CalibrationEntry }[] = [];
    for (const t of ts) {
      const bw = t.accelerator.memoryBandwidthBytesPerSecond.value;
      const refs = points
        .filter((p) => p !== t && scenarioKey(p) === scenarioKey(t) && !targets.includes(p))
        .sort(
          (a, b) =>
            Math.abs(a.accelerator.memoryBandwidthBytesPerSecond.value - bw) -
            Math.abs(b.accelerator.memoryBandwidthBytesPerSecond.value - bw),
        );
      const ref = refs[0];
      if (!ref) continue;
      // Class-free reference: k is a property of the hardware and its software stack, applied to
      // dense and MoE models alike.
      const base = resolveCalibration(table, ref.accelerator, 'vllm');
      const refModel = modelledPerGpu(ref, catalog, base.params);
      if (refModel === undefined) continue;
      const measuredRatio = t.totalTokensPerSecondPerGpu / ref.totalTokensPerSecondPerGpu;
      const ratioAt = (k: number): number =>
        (modelledPerGpu(t, catalog, scaleEfficiencies(base.params, k)) ?? 0) / refModel;
      const [kLo, kHi] = [0.05, 1.5];
      if (ratioAt(kHi) < measuredRatio || ratioAt(kLo) > measuredRatio) continue;
      solutions.push({
        k: bisectIncreasing((k) => ratioAt(k) - measuredRatio, kLo, kHi, { steps: 30 }),
        reference: `${ref.item} (calibration ${base.key})`,
        ratio: measuredRatio,
        base,
      });
    }
    if (solutions.length === 0) continue;
    solutions.sort((a, b) => a.k - b.k);
    const s = solutions[Math.floor(solutions.length / 2)]!;
    out.push({
      k: s.k,
      reference: s.reference,
      measuredRatio: s.ratio,
      entry: {
        key: generation,
        params: scaleEfficiencies(s.base.params, s.k),
        source: `relative: ${s.base.key} efficiencies × ${s.k.toFixed(3)}, reproducing the InferenceX per-GPU throughput ratio ${s.ratio.toFixed(3)} of ${ts.map((t) => t.item).join('; ')} against ${s.reference}`,
      },
    });
  }
  return out;
}
