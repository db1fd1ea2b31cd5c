import { describe, expect, it } from 'vitest';
import {
  attentionFlopsPerKeyPerLayer,
  attentionFlopsPerToken,
  attentionFlopsPerTokenPerContextToken,
  attentionLayerParams,
  countParams,
  linearAttentionStateFlopsPerToken,
} from './model-params.js';
import { MODELS } from './models.js';
import type { ModelArch } from './types.js';

const model = (id: string): ModelArch => {
  const m = MODELS.find((x) => x.id === id);
  if (!m) throw new Error(`no model ${id}`);
  return m;
};

const B = 1e9;

/**
 * Published parameter counts. `withEmbedding` says whether the publisher's "active" figure
 * includes the input embedding (our `activeParamsPerToken` never does; see ParamCounts).
 * `tol` is 2 % unless the published figure is rounded more coarsely than that.
 */
interface Published {
  id: string;
  total: number;
  active?: number;
  withEmbedding?: boolean;
  tol?: number;
  activeTol?: number;
  source: string;
}

const PUBLISHED: Published[] = [
  // Hugging Face model page "Model size" (safetensors total): 8.03B / 70.6B / 406B.
  { id: 'llama-3.1-8b', total: 8.03 * B, source: 'huggingface.co/meta-llama/Llama-3.1-8B' },
  { id: 'llama-3.1-70b', total: 70.6 * B, source: 'huggingface.co/meta-llama/Llama-3.1-70B' },
  {
    id: 'llama-3.3-70b',
    total: 70.6 * B,
    source: 'huggingface.co/meta-llama/Llama-3.3-70B-Instruct',
  },
  { id: 'llama-3.1-405b', total: 405.9 * B, source: 'huggingface.co/meta-llama/Llama-3.1-405B' },
  // Hugging Face model page of meta-llama/Llama-2-70b-hf: 69.0B.
  { id: 'llama-2-70b', total: 69.0 * B, source: 'huggingface.co/meta-llama/Llama-2-70b-hf' },
  // Mistral AI, "Mixtral of experts" (mistral.ai/news/mixtral-of-experts, arXiv:2401.04088):
  // 46.7B total, 12.9B used per token (embedding included).
  {
    id: 'mixtral-8x7b',
    total: 46.7 * B,
    active: 12.9 * B,
    withEmbedding: true,
    source: 'arXiv:2401.04088',
  },
  // DeepSeek-V3 Technical Report (arXiv:2412.19437): 671B total, 37B activated, MTP excluded.
  // (deepseek-ai/DeepSeek-V3 README_WEIGHTS.md gives 36.7B activated; our count 36.63B.)
  { id: 'deepseek-v3', total: 671 * B, active: 37 * B, source: 'arXiv:2412.19437' },
  {
    id: 'deepseek-v3.1',
    total: 671 * B,
    active: 37 * B,
    source: 'huggingface.co/deepseek-ai/DeepSeek-V3.1',
  },
  {
    id: 'deepseek-r1',
    total: 671 * B,
    active: 37 * B,
    source: 'huggingface.co/deepseek-ai/DeepSeek-R1',
  },
  // OpenAI gpt-oss model card (arXiv:2508.10925, Table 1): 116.83B total, 5.13B active;
  // 20.91B / 3.61B. Active excludes the embedding, includes the unembedding.
  { id: 'gpt-oss-120b', total: 116.83 * B, active: 5.13 * B, source: 'arXiv:2508.10925' },
  { id: 'gpt-oss-20b', total: 20.91 * B, active: 3.61 * B, source: 'arXiv:2508.10925' },
  // Qwen3 model cards: "Number of Parameters: 32.8B"; "30.5B in total and 3.3B activated";
  // "235B in total and 22B activated" (Qwen counts the embedding in activated parameters).
  { id: 'qwen3-32b', total: 32.8 * B, source: 'huggingface.co/Qwen/Qwen3-32B' },
  {
    id: 'qwen3-30b-a3b',
    total: 30.5 * B,
    active: 3.3 * B,
    withEmbedding: true,
    source: 'huggingface.co/Qwen/Qwen3-30B-A3B',
  },
  {
    id: 'qwen3-235b-a22b',
    total: 235 * B,
    active: 22 * B,
    withEmbedding: true,
    source: 'huggingface.co/Qwen/Qwen3-235B-A22B',
  },
  // Qwen3.5 model card: 397B total, 17B activated.
  {
    id: 'qwen3.5-397b-a17b',
    total: 397 * B,
    active: 17 * B,
    withEmbedding: true,
    source: 'huggingface.co/Qwen/Qwen3.5-397B-A17B',
  },
  // Moonshot AI, Kimi K2 (arXiv:2507.20534, model card): 1.04T total, 32B activated; Kimi K2.5
  // keeps the K2 language model. Active excludes the embedding (ours: 31.7B).
  { id: 'kimi-k2.5', total: 1.04e12, active: 32 * B, source: 'arXiv:2507.20534' },
  // MiniMax-M2 model card: "230 billion total parameters with 10 billion active"; both figures
  // are rounded to 2 and 1 significant digits, so the active check allows the rounding (±5 %).
  {
    id: 'minimax-m2.5',
    total: 230 * B,
    active: 10 * B,
    activeTol: 0.05,
    source: 'huggingface.co/MiniMaxAI/MiniMax-M2',
  },
  // Z.ai GLM-5 release (huggingface.co/zai-org/GLM-5): 744B total, 40B active.
  { id: 'glm-5', total: 744 * B, active: 40 * B, source: 'huggingface.co/zai-org/GLM-5' },
];

describe('countParams', () => {
  it.each(PUBLISHED)('matches the published total parameter count of $id', (p) => {
    const c = countParams(model(p.id));
    expect(Math.abs(c.totalParams / p.total - 1)).toBeLessThan(p.tol ?? 0.02);
  });

  it.each(PUBLISHED.filter((p) => p.active !== undefined))(
    'matches the published active parameter count of $id',
    (p) => {
      const c = countParams(model(p.id));
      const ours = c.activeParamsPerToken + (p.withEmbedding ? c.embedding : 0);
      expect(Math.abs(ours / (p.active ?? 0) - 1)).toBeLessThan(p.activeTol ?? 0.02);
    },
  );

  it('reproduces the exact Llama 3.1 8B checkpoint size (8,030,261,248 weights)', () => {
    // huggingface.co/meta-llama/Llama-3.1-8B safetensors metadata total.
    expect(countParams(model('llama-3.1-8b')).totalParams).toBe(8_030_261_248);
  });

  it('reproduces the GLM-5.1 checkpoint total once the unmodelled indexer and router biases are added', () => {
    // A stored tensor inventory of zai-org/GLM-5.1 (same config as GLM-5; 282 safetensors shards)
    // sums to 753,864,139,008 weights, including 79 layers (78 + MTP) of DSA indexer
    // (4096·2048 + 128·6144 + 2·128 + 32·6144 = 9,371,904 each) and 76 fp32 router biases of 256.
    const c = countParams(model('glm-5'));
    expect(c.totalParams + c.mtp + 79 * 9_371_904 + 76 * 256).toBe(753_864_139_008);
  });

  it('sizes the DeepSeek-V3 MTP module near the published 11.5B unique weights', () => {
    // deepseek-ai/DeepSeek-V3 README_WEIGHTS.md: MTP "11.5B unique parameters".
    expect(Math.abs(countParams(model('deepseek-v3')).mtp / (11.5 * B) - 1)).toBeLessThan(0.02);
  });

  it('reports no MTP weights for models that ship none', () => {
    expect(countParams(model('kimi-k2.5')).mtp).toBe(0);
    expect(countParams(model('minimax-m2.5')).mtpActivePerToken).toBe(0);
  });

  it('makes the total the sum of its components', () => {
    for (const m of MODELS) {
      const c = countParams(m);
      const sum =
        c.embedding +
        c.lmHead +
        c.attention +
        c.linearAttention +
        c.denseMlp +
        c.routedExperts +
        c.sharedExperts +
        c.router +
        c.norms;
      expect(c.totalParams, m.id).toBe(sum);
    }
  });

  it('counts tied embeddings once but still charges the LM head to every token', () => {
    const untied = model('llama-3.1-8b');
    const tied: ModelArch = { ...untied, tieWordEmbeddings: true };
    const a = countParams(untied);
    const b = countParams(tied);
    expect(b.lmHead).toBe(0);
    expect(a.totalParams - b.totalParams).toBe(untied.vocabSize * untied.hiddenSize);
    expect(b.activeParamsPerToken).toBe(a.activeParamsPerToken);
  });

  it('counts a plain (non-gated) MLP as two matrices instead of three', () => {
    const gated = model('llama-3.1-8b');
    const plain: ModelArch = { ...gated, gatedMlp: false };
    expect(countParams(plain).denseMlp / countParams(gated).denseMlp).toBeCloseTo(2 / 3, 12);
  });

  it('activates only numActiveExperts routed experts per MoE layer', () => {
    const c = countParams(model('mixtral-8x7b'));
    expect(c.activeRoutedExperts / c.routedExperts).toBe(2 / 8);
    expect(c.activeParamsPerToken).toBeLessThan(c.totalParams / 3);
  });

  it('keeps dense models free of expert, router and linear-attention weights', () => {
    const c = countParams(model('qwen3-32b'));
    expect([c.routedExperts, c.sharedExperts, c.router, c.linearAttention]).toEqual([0, 0, 0, 0]);
  });

  it('gives every catalogued model positive component counts where the architecture has them', () => {
    for (const m of MODELS) {
      const c = countParams(m);
      expect(c.totalParams, m.id).toBeGreaterThan(0);
      expect(c.activeParamsPerToken, m.id).toBeGreaterThan(0);
      expect(c.activeParamsPerToken, m.id).toBeLessThanOrEqual(c.totalParams);
      expect(c.embedding, m.id).toBeGreaterThan(0);
      expect(c.attention, m.id).toBeGreaterThan(0);
      expect(c.norms, m.id).toBeGreaterThan(0);
      if (m.moe) {
        expect(c.routedExperts, m.id).toBeGreaterThan(0);
        expect(c.activeRoutedExperts, m.id).toBeGreaterThan(0);
        expect(c.router, m.id).toBeGreaterThan(0);
      } else {
        expect(c.denseMlp, m.id).toBeGreaterThan(0);
      }
      if (m.layers.linear) expect(c.linearAttention, m.id).toBeGreaterThan(0);
      if (m.mtpLayers) expect(c.mtp, m.id).toBeGreaterThan(0);
    }
  });
});

describe('attentionLayerParams', () => {
  it('counts GQA q, k, v, o projections', () => {
    // Llama 3.1 8B: 4096·4096 + 2·4096·1024 + 4096·4096.
    expect(attentionLayerParams(model('llama-3.1-8b').attention, 4096).weights).toBe(41_943_040);
  });

  it('counts MLA with a low-rank query through q_a and q_b', () => {
    // DeepSeek-V3: 7168·1536 + 1536·128·192 + 7168·576 + 512·128·256 + 128·128·7168.
    const a = attentionLayerParams(model('deepseek-v3').attention, 7168);
    expect(a.weights).toBe(187_105_280);
    expect(a.norms).toBe(1536 + 512);
  });

  it('counts MLA without a low-rank query (qLoraRank 0) through a single q_proj', () => {
    // DeepSeek-V2-Lite shape: hidden 2048, 16 heads, q_lora_rank null.
    const a = attentionLayerParams(
      {
        kind: 'mla',
        numHeads: 16,
        qLoraRank: 0,
        kvLoraRank: 512,
        qkNopeHeadDim: 128,
        qkRopeHeadDim: 64,
        vHeadDim: 128,
      },
      2048,
    );
    expect(a.weights).toBe(2048 * 16 * 192 + 2048 * 576 + 512 * 16 * 256 + 16 * 128 * 2048);
    expect(a.norms).toBe(512);
  });
});

describe('attention FLOPs', () => {
  it('charges GQA 4·heads·headDim per key per layer (QKᵀ and PV)', () => {
    // Llama 3.1 8B: 32 layers · 4 · 32 · 128.
    expect(attentionFlopsPerTokenPerContextToken(model('llama-3.1-8b'))).toBe(524_288);
  });

  it('charges absorbed MLA on the 576-wide latent key and 512-wide latent value', () => {
    // DeepSeek-V3: 61 · (2·128·576 + 2·128·512).
    expect(attentionFlopsPerTokenPerContextToken(model('deepseek-v3'))).toBe(61 * 278_528);
  });

  it('charges expanded MLA on per-head 192-wide keys and 128-wide values', () => {
    expect(attentionFlopsPerKeyPerLayer(model('deepseek-v3').attention, 'expanded')).toBe(81_920);
  });

  it('caps sliding-window layers at their window', () => {
    const m = model('gpt-oss-120b');
    const perKey = attentionFlopsPerKeyPerLayer(m.attention);
    expect(attentionFlopsPerToken(m, 10_000)).toBe(18 * perKey * 10_000 + 18 * perKey * 128);
    expect(attentionFlopsPerToken(m, 64)).toBe(36 * perKey * 64);
  });

  it('caps DSA layers at the top-k selected keys', () => {
    const m = model('glm-5');
    expect(attentionFlopsPerToken(m, 100_000)).toBe(attentionFlopsPerToken(m, 2048));
    expect(attentionFlopsPerToken(m, 1000)).toBeLessThan(attentionFlopsPerToken(m, 2048));
  });

  it('excludes linear-attention layers from per-key attention and costs their state separately', () => {
    const m = model('qwen3.5-397b-a17b');
    expect(attentionFlopsPerTokenPerContextToken(m)).toBe(15 * 4 * 32 * 256);
    expect(linearAttentionStateFlopsPerToken(m)).toBeGreaterThan(0);
    expect(linearAttentionStateFlopsPerToken(model('llama-3.1-70b'))).toBe(0);
  });
});
