import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import {
  mapModelByRepoName,
  parseMlenergyTitle,
  validateMlenergy,
  type MlenergyCase,
} from './mlenergy.js';
import type { PublicDataItem } from './mlperf.js';

const catalog = defaultCatalog();
const UNIT = 'J per output token (GPU-only)';
const TAIL =
  'vLLM 0.11.1; steady-state GPU energy (Zeus/NVML) / output tokens; excludes CPU, DRAM, network, facility/PUE.';

// Copied from the `ml_energy` items of ../shared/reference/public-data.json (ML.ENERGY
// Leaderboard v3.0 data, ml-energy/leaderboard public/data/tasks/*.json, commit 0cd52da).
const LLAMA_8B_H100: PublicDataItem = {
  category: 'ml_energy',
  item: 'ML.ENERGY v3.0 min-energy config: Llama-3.1-8B-Instruct on 1xH100 (lm-arena-chat)',
  value: 0.0702,
  unit: UNIT,
  notes: `num_gpus=1; max_num_seqs=512; output_throughput=9806 tok/s; avg_GPU_power=688 W (sum over GPUs); median_ITL=47.4 ms; weights=bf16; ${TAIL}`,
};
const LLAMA_70B_B200: PublicDataItem = {
  category: 'ml_energy',
  item: 'ML.ENERGY v3.0 min-energy config: Llama-3.1-70B-Instruct on 2xB200 (lm-arena-chat)',
  value: 0.1887,
  unit: UNIT,
  notes: `num_gpus=2; max_num_seqs=2048; output_throughput=10108 tok/s; avg_GPU_power=1907 W (sum over GPUs); median_ITL=140.5 ms; weights=bf16; ${TAIL}`,
};
const GPT_OSS_20B_B200: PublicDataItem = {
  category: 'ml_energy',
  item: 'ML.ENERGY v3.0 min-energy config: gpt-oss-20b on 1xB200 (gpqa)',
  value: 0.0284,
  unit: UNIT,
  notes: `num_gpus=1; max_num_seqs=4096; output_throughput=21502 tok/s; avg_GPU_power=612 W (sum over GPUs); median_ITL=247.0 ms; weights=mxfp4; ${TAIL}`,
};
// A blog summary figure from the same file: no configuration stated.
const BLOG_SUMMARY: PublicDataItem = {
  category: 'ml_energy',
  item: 'ML.ENERGY: Qwen3 32B 1xB200 energy/token, chat at max batch 512',
  value: 0.151,
  unit: 'J per output token',
  notes: 'Problem solving 0.312 J/token at max batch 128; energy/response 95 J vs 2,192 J.',
};
// Hand-written: a real item's configuration with a model the catalog does not hold.
const UNKNOWN_MODEL: PublicDataItem = {
  ...LLAMA_8B_H100,
  item: 'ML.ENERGY v3.0 min-energy config: Phi-4-mini-instruct on 1xH100 (lm-arena-chat)',
};

type Predicted = Extract<MlenergyCase, { predicted: unknown }>;
const predicted = (cases: MlenergyCase[]): Predicted[] =>
  cases.filter((c): c is Predicted => 'predicted' in c);

describe('validateMlenergy', () => {
  const configured = [LLAMA_8B_H100, LLAMA_70B_B200, GPT_OSS_20B_B200];

  it('reports one predicted case per configured item, with finite predictions and errors', () => {
    const r = validateMlenergy(configured, catalog, BUILTIN_CALIBRATION);
    expect(r.cases).toHaveLength(3);
    const done = predicted(r.cases);
    expect(done.map((c) => c.item)).toEqual(configured.map((i) => i.item));
    for (const c of done) {
      for (const k of [
        'avgGpuPowerWatts',
        'outputTokensPerSecond',
        'joulesPerOutputToken',
      ] as const) {
        expect(Number.isFinite(c.predicted[k]) && c.predicted[k] > 0).toBe(true);
        expect(Number.isFinite(c.errorPct[k])).toBe(true);
        expect(c.errorPct[k]).toBeCloseTo(
          (100 * (c.predicted[k] - c.published[k])) / c.published[k],
          9,
        );
      }
    }
    expect(r.summary.n).toBe(3);
    expect(r.summary.skipped).toBe(0);
    expect(Number.isFinite(r.summary.medianAbsErrorPct.power)).toBe(true);
    expect(Number.isFinite(r.summary.medianAbsErrorPct.throughput)).toBe(true);
    expect(Number.isFinite(r.summary.medianAbsErrorPct.joulesPerToken)).toBe(true);
  });

  it('reads the published power, throughput and J/token from the item', () => {
    const [c] = predicted(validateMlenergy([LLAMA_8B_H100], catalog, BUILTIN_CALIBRATION).cases);
    expect(c!.published).toEqual({
      avgGpuPowerWatts: 688,
      outputTokensPerSecond: 9806,
      joulesPerOutputToken: 0.0702,
    });
  });

  it('predicts J per output token as predicted power divided by predicted throughput, exactly', () => {
    for (const c of predicted(validateMlenergy(configured, catalog, BUILTIN_CALIBRATION).cases)) {
      expect(c.predicted.joulesPerOutputToken).toBe(
        c.predicted.avgGpuPowerWatts / c.predicted.outputTokensPerSecond,
      );
    }
  });

  it("keeps predicted power between idle and TDP summed over the item's GPUs", () => {
    for (const c of predicted(validateMlenergy(configured, catalog, BUILTIN_CALIBRATION).cases)) {
      const acc = catalog.accelerators.get(c.basis.accelerator)!;
      expect(c.predicted.avgGpuPowerWatts).toBeGreaterThanOrEqual(
        acc.idleWatts.value * c.basis.gpus,
      );
      expect(c.predicted.avgGpuPowerWatts).toBeLessThanOrEqual(
        acc.tdpWatts.value * c.basis.gpus + 1e-9,
      );
    }
  });

  it('states the basis: mapped model and GPU, GPU count, precision, task, concurrency = max_num_seqs, chip boundary', () => {
    const [llama, llama70, oss] = predicted(
      validateMlenergy(configured, catalog, BUILTIN_CALIBRATION).cases,
    );
    expect(llama!.basis).toMatchObject({
      model: 'llama-3.1-8b',
      accelerator: 'h100-sxm',
      gpus: 1,
      concurrency: 512,
      boundary: 'chip',
    });
    expect(llama!.basis.task).toMatch(/^lm-arena-chat/);
    expect(llama!.basis.precision).toMatch(/^bf16/);
    expect(llama70!.basis).toMatchObject({
      accelerator: 'b200',
      gpus: 2,
      concurrency: 2048,
      plan: 'tp2 pp1 ep1 dp1',
    });
    expect(oss!.basis).toMatchObject({
      model: 'gpt-oss-20b',
      accelerator: 'b200',
      concurrency: 4096,
    });
    expect(oss!.basis.task).toMatch(/^gpqa/);
    expect(oss!.basis.precision).toMatch(/^mxfp4/);
    expect(
      oss!.basis.calibration === 'default' || BUILTIN_CALIBRATION.has(oss!.basis.calibration),
    ).toBe(true);
    expect(oss!.basis.assumptions.join(' ')).toMatch(/saturation/);
    expect(oss!.basis.assumptions.join(' ')).toMatch(/expert parallelism off/);
  });

  it('skips a blog summary item that states no configuration, with the reason', () => {
    const r = validateMlenergy([BLOG_SUMMARY, LLAMA_8B_H100], catalog, BUILTIN_CALIBRATION);
    expect(r.cases[0]).toEqual({
      item: BLOG_SUMMARY.item,
      skipped: true,
      reason: 'no configuration stated',
    });
    expect(r.summary).toMatchObject({ n: 1, skipped: 1 });
  });

  it('skips an item naming a model not in the catalog, with the model in the reason', () => {
    const [c] = validateMlenergy([UNKNOWN_MODEL], catalog, BUILTIN_CALIBRATION).cases;
    expect(c).toMatchObject({ skipped: true });
    expect((c as { reason: string }).reason).toMatch(/Phi-4-mini-instruct.*not in the catalog/);
  });

  it('skips an item whose GPU is not in the catalog', () => {
    const item = { ...LLAMA_8B_H100, item: LLAMA_8B_H100.item.replace('1xH100', '1xA100') };
    const [c] = validateMlenergy([item], catalog, BUILTIN_CALIBRATION).cases;
    expect(c).toMatchObject({ skipped: true });
    expect((c as { reason: string }).reason).toMatch(/A100/);
  });

  it('ignores items of other categories and gives NaN medians when nothing was predicted', () => {
    const r = validateMlenergy(
      [{ ...LLAMA_8B_H100, category: 'mlperf_inference_result' }, BLOG_SUMMARY],
      catalog,
      BUILTIN_CALIBRATION,
    );
    expect(r.cases).toHaveLength(1);
    expect(r.summary.n).toBe(0);
    expect(Number.isNaN(r.summary.medianAbsErrorPct.power)).toBe(true);
  });
});

describe('parseMlenergyTitle and mapModelByRepoName', () => {
  it('reads model, GPU count, GPU and task from a leaderboard item title', () => {
    expect(parseMlenergyTitle(LLAMA_70B_B200.item)).toEqual({
      model: 'Llama-3.1-70B-Instruct',
      count: 2,
      gpu: 'B200',
      task: 'lm-arena-chat',
    });
    expect(parseMlenergyTitle(BLOG_SUMMARY.item)).toBeUndefined();
  });

  it('maps a repo name to the catalog model listing it in hfIds, case-insensitively', () => {
    const m = mapModelByRepoName('llama-3.1-8b-instruct', catalog);
    expect(m.ok && m.value.id).toBe('llama-3.1-8b');
    expect(mapModelByRepoName('Qwen3-235B-A22B-Thinking-2507-FP8', catalog)).toMatchObject({
      ok: true,
      value: { id: 'qwen3-235b-a22b' },
    });
  });
});
