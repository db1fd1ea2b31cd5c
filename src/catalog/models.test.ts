import { describe, expect, it } from 'vitest';
import { MODELS } from './models.js';
import { SPECULATIVE_ASSUMPTIONS } from './speculative.js';

/**
 * Hugging Face ids the reference data names (shared/reference: aiconfigurator-silicon
 * measured-ttft-tpot.csv `model_path`, vllm-traces meta.json `model`, the ML.ENERGY items of
 * public-data.json) plus the checkpoints the MLPerf llama2-70b, mixtral-8x7b and llama3.1
 * tasks run, each with the catalog id it must map to.
 */
const REFERENCE_HF_IDS: Record<string, string> = {
  'MiniMaxAI/MiniMax-M2.5': 'minimax-m2.5',
  'Qwen/Qwen3-235B-A22B-FP8': 'qwen3-235b-a22b',
  'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8': 'qwen3-235b-a22b',
  'Qwen/Qwen3-235B-A22B-Thinking-2507-FP8': 'qwen3-235b-a22b',
  'Qwen/Qwen3-30B-A3B-Instruct-2507': 'qwen3-30b-a3b',
  'Qwen/Qwen3-32B': 'qwen3-32b',
  'nvidia/Qwen3-32B-NVFP4': 'qwen3-32b',
  'Qwen/Qwen3.5-397B-A17B': 'qwen3.5-397b-a17b',
  'deepseek-ai/DeepSeek-R1': 'deepseek-r1',
  'deepseek-ai/DeepSeek-R1-0528': 'deepseek-r1',
  'nvidia/DeepSeek-R1-NVFP4': 'deepseek-r1',
  'deepseek-ai/DeepSeek-V3': 'deepseek-v3',
  'deepseek-ai/DeepSeek-V3.1': 'deepseek-v3.1',
  'nvidia/DeepSeek-V3.1-NVFP4': 'deepseek-v3.1',
  'meta-llama/Llama-3.1-8B': 'llama-3.1-8b',
  'meta-llama/Llama-3.1-8B-Instruct': 'llama-3.1-8b',
  'nvidia/Llama-3.1-8B-Instruct-FP8': 'llama-3.1-8b',
  'meta-llama/Llama-3.1-70B': 'llama-3.1-70b',
  'meta-llama/Llama-3.1-70B-Instruct': 'llama-3.1-70b',
  'meta-llama/Llama-3.3-70B-Instruct': 'llama-3.3-70b',
  'meta-llama/Llama-3.1-405B-Instruct': 'llama-3.1-405b',
  'meta-llama/Llama-3.1-405B-Instruct-FP8': 'llama-3.1-405b',
  'meta-llama/Llama-2-70b-chat-hf': 'llama-2-70b',
  'mistralai/Mixtral-8x7B-Instruct-v0.1': 'mixtral-8x7b',
  'moonshotai/Kimi-K2.5': 'kimi-k2.5',
  'openai/gpt-oss-120b': 'gpt-oss-120b',
  'openai/gpt-oss-20b': 'gpt-oss-20b',
  'zhipuai/GLM-5': 'glm-5',
};

const EXPECTED_IDS = [
  'llama-2-70b',
  'llama-3.1-8b',
  'llama-3.1-70b',
  'llama-3.3-70b',
  'llama-3.1-405b',
  'mixtral-8x7b',
  'deepseek-v3',
  'deepseek-v3.1',
  'deepseek-r1',
  'kimi-k2.5',
  'glm-5',
  'gpt-oss-120b',
  'gpt-oss-20b',
  'qwen3-32b',
  'qwen3-30b-a3b',
  'qwen3-235b-a22b',
  'qwen3.5-397b-a17b',
  'minimax-m2.5',
];

describe('MODELS', () => {
  it('catalogues exactly the models the reference data needs, each once', () => {
    expect(MODELS.map((m) => m.id).sort()).toEqual([...EXPECTED_IDS].sort());
  });

  it('uses kebab-case ids', () => {
    for (const m of MODELS) expect(m.id).toMatch(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/);
  });

  it('maps every Hugging Face id in the reference data to the right architecture', () => {
    for (const [hfId, id] of Object.entries(REFERENCE_HF_IDS)) {
      const found = MODELS.filter((m) => m.hfIds.includes(hfId)).map((m) => m.id);
      expect(found, hfId).toEqual([id]);
    }
  });

  it('never lists one Hugging Face id under two models', () => {
    const all = MODELS.flatMap((m) => m.hfIds);
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id).toMatch(/^[\w.-]+\/[\w.-]+$/);
  });

  it('cites a source for every model', () => {
    for (const m of MODELS) {
      expect(m.ref.source.length, m.id).toBeGreaterThan(20);
      expect(m.ref.provenance, m.id).toBe('published-config');
    }
  });

  it('has a layer mix that sums to numLayers', () => {
    for (const m of MODELS) {
      const sum =
        m.layers.full + (m.layers.slidingWindow?.layers ?? 0) + (m.layers.linear?.layers ?? 0);
      expect(sum, m.id).toBe(m.numLayers);
    }
  });

  it('has positive dimensions and consistent attention and MoE shapes', () => {
    for (const m of MODELS) {
      for (const v of [m.numLayers, m.hiddenSize, m.vocabSize, m.intermediateSize]) {
        expect(v, m.id).toBeGreaterThan(0);
      }
      const a = m.attention;
      if (a.kind === 'gqa') {
        expect(a.numHeads % a.numKvHeads, m.id).toBe(0);
      } else {
        expect(a.kvLoraRank, m.id).toBeGreaterThan(0);
        expect(a.qLoraRank, m.id).toBeGreaterThanOrEqual(0);
      }
      if (m.moe) {
        expect(m.moe.numActiveExperts, m.id).toBeLessThanOrEqual(m.moe.numExperts);
        expect(m.moe.numDenseLayers, m.id).toBeLessThan(m.numLayers);
        expect(m.moe.expertIntermediateSize, m.id).toBeGreaterThan(0);
      }
      if (m.layers.sparseTopKTokens !== undefined) {
        expect(m.layers.sparseTopKTokens, m.id).toBeGreaterThan(0);
      }
    }
  });

  it('gives Gated DeltaNet layers the bf16 recurrent state numValueHeads·dk·dv·2', () => {
    for (const m of MODELS) {
      const l = m.layers.linear;
      if (!l) continue;
      expect(l.stateBytesPerLayer, m.id).toBe(l.numValueHeads * l.keyHeadDim * l.valueHeadDim * 2);
    }
  });

  it('marks MLA models as MLA and gpt-oss as alternating 128-token sliding and full layers', () => {
    for (const id of ['deepseek-v3', 'deepseek-v3.1', 'deepseek-r1', 'kimi-k2.5', 'glm-5']) {
      expect(MODELS.find((m) => m.id === id)?.attention.kind, id).toBe('mla');
    }
    for (const id of ['gpt-oss-120b', 'gpt-oss-20b']) {
      const m = MODELS.find((x) => x.id === id);
      expect(m?.layers.slidingWindow?.windowTokens, id).toBe(128);
      expect(m?.layers.slidingWindow?.layers, id).toBe(m?.layers.full);
    }
  });
});

describe('SPECULATIVE_ASSUMPTIONS', () => {
  it('refers only to catalogued models, with a cited source', () => {
    const ids = new Set(MODELS.map((m) => m.id));
    for (const s of SPECULATIVE_ASSUMPTIONS) {
      expect(ids.has(s.modelId), s.modelId).toBe(true);
      expect(s.ref.source.length, s.modelId).toBeGreaterThan(20);
    }
  });

  it('keeps every mean acceptance length between 1 and draftTokens + 1 (bonus token included)', () => {
    for (const s of SPECULATIVE_ASSUMPTIONS) {
      expect(Number.isInteger(s.draftTokens) && s.draftTokens >= 1, s.modelId).toBe(true);
      expect(s.meanAcceptanceLength, s.modelId).toBeGreaterThanOrEqual(1);
      expect(s.meanAcceptanceLength, s.modelId).toBeLessThanOrEqual(s.draftTokens + 1);
    }
  });

  it('holds at most one assumption per model, drafter and draft length', () => {
    const keys = SPECULATIVE_ASSUMPTIONS.map((s) => `${s.modelId}|${s.drafter}|${s.draftTokens}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
