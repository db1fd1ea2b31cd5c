import { describe, expect, it } from 'vitest';
import {
  ENGINE_DEFAULTS,
  ENGINE_NAMES,
  ENGINE_SETTING_KEYS,
  type EngineDefaultContext,
} from './engine-defaults.js';
import { BIG_GPU, RACK_GPU, SMALL_GPU } from './test-fixtures.js';

const ctx = (over: Partial<EngineDefaultContext> = {}): EngineDefaultContext => ({
  accelerator: BIG_GPU,
  tpTimesPp: 1,
  attnDp: 1,
  speculativeDrafter: undefined,
  stated: {},
  ...over,
});

describe('ENGINE_DEFAULTS', () => {
  it.each(ENGINE_NAMES)('gives %s a value and a source for every setting', (name) => {
    const table = ENGINE_DEFAULTS[name].defaults(ctx());
    for (const key of ENGINE_SETTING_KEYS) {
      expect(table[key].source.length, key).toBeGreaterThan(10);
      expect(table[key].value, key).toBeDefined();
    }
  });

  it('gives vLLM its large-GPU batch defaults on an 80 GiB GPU (arg_utils get_batch_defaults)', () => {
    const t = ENGINE_DEFAULTS.vllm.defaults(ctx());
    expect([t.maxNumSeqs.value, t.maxNumBatchedTokens.value]).toEqual([1024, 8192]);
  });

  it('gives vLLM its small-GPU batch defaults below 70 GiB', () => {
    const t = ENGINE_DEFAULTS.vllm.defaults(ctx({ accelerator: SMALL_GPU }));
    expect([t.maxNumSeqs.value, t.maxNumBatchedTokens.value]).toEqual([256, 2048]);
  });

  it('caps vLLM max_num_seqs at a stated max_num_batched_tokens', () => {
    const t = ENGINE_DEFAULTS.vllm.defaults(ctx({ stated: { maxNumBatchedTokens: 512 } }));
    expect(t.maxNumSeqs.value).toBe(512);
  });

  it('turns vLLM async scheduling off for a draft-model drafter but not for MTP', () => {
    expect(
      ENGINE_DEFAULTS.vllm.defaults(ctx({ speculativeDrafter: 'draft-model' })).asyncScheduling
        .value,
    ).toBe(false);
    expect(
      ENGINE_DEFAULTS.vllm.defaults(ctx({ speculativeDrafter: 'mtp' })).asyncScheduling.value,
    ).toBe(true);
  });

  it("computes SGLang's mem_fraction_static from memory and tp·pp", () => {
    // 80 GiB = 81920 MiB; reserved (9.5 + 8/2) GiB = 13824 MiB → (81920 − 13824) / 81920 = 0.831
    expect(ENGINE_DEFAULTS.sglang.defaults(ctx({ tpTimesPp: 8 })).gpuMemoryUtilization.value).toBe(
      0.831,
    );
    // 186 GiB: reserved 32 GiB, +4 GiB for DP attention → (186 − 36) / 186 = 0.806
    expect(
      ENGINE_DEFAULTS.sglang.defaults(ctx({ accelerator: RACK_GPU, attnDp: 4 }))
        .gpuMemoryUtilization.value,
    ).toBe(0.806);
  });

  it('picks SGLang chunked_prefill_size by memory tier', () => {
    expect(ENGINE_DEFAULTS.sglang.defaults(ctx()).maxNumBatchedTokens.value).toBe(8192);
    expect(
      ENGINE_DEFAULTS.sglang.defaults(ctx({ accelerator: RACK_GPU })).maxNumBatchedTokens.value,
    ).toBe(16384);
  });

  it('records that TensorRT-LLM reads its memory fraction against memory free after weights', () => {
    expect(ENGINE_DEFAULTS.trtllm.memoryFractionOf).toBe('free-after-weights');
    expect(ENGINE_DEFAULTS.vllm.memoryFractionOf).toBe('total');
  });
});
