/**
 * Engine defaults: what each serving engine does when a scenario leaves a setting unstated.
 * These are the only defaults `resolveScenario` may apply to engine settings, and every value
 * carries its source (non-negotiable 1): the engine's own code or documentation.
 *
 * Engines choose some defaults from the hardware they start on (GPU memory, device name,
 * parallel size), so each table is a function of an `EngineDefaultContext`, not a constant.
 * A table is chosen from the `ENGINE_DEFAULTS` registry by engine name — never an if chain.
 */
import { GIB } from '../core/units.js';
import type { Accelerator } from '../catalog/types.js';

export const ENGINE_NAMES = ['vllm', 'trtllm', 'sglang', 'generic'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** The engine settings that have defaults; names as in `perf/types.ts` `EngineSettings`. */
export interface EngineDefaultValues {
  maxNumSeqs: number;
  maxNumBatchedTokens: number;
  blockSizeTokens: number;
  gpuMemoryUtilization: number;
  chunkedPrefill: boolean;
  prefixCaching: boolean;
  asyncScheduling: boolean;
}
export type EngineSettingKey = keyof EngineDefaultValues;

/** Keys in a fixed order, so `defaultsApplied` lists them deterministically. */
export const ENGINE_SETTING_KEYS: readonly EngineSettingKey[] = [
  'maxNumSeqs',
  'maxNumBatchedTokens',
  'blockSizeTokens',
  'gpuMemoryUtilization',
  'chunkedPrefill',
  'prefixCaching',
  'asyncScheduling',
];

export interface DefaultValue<T> {
  value: T;
  /** Where the value comes from: file and symbol of the engine, or its documentation page. */
  source: string;
}

export type EngineDefaultTable = { [K in EngineSettingKey]: DefaultValue<EngineDefaultValues[K]> };

export interface EngineDefaultContext {
  accelerator: Accelerator;
  /** tp · pp of one replica; `undefined` while parallelism is `auto` (plan not chosen yet). */
  tpTimesPp: number | undefined;
  /** Attention data-parallel ranks; `undefined` while parallelism is `auto`. */
  attnDp: number | undefined;
  /** Drafter name when speculative decoding is on (some engines change defaults for it). */
  speculativeDrafter: string | undefined;
  /** Settings the scenario states: some engines derive one default from another setting. */
  stated: Partial<EngineDefaultValues>;
}

/**
 * What `gpuMemoryUtilization` is a fraction of, for an engine: `total` GPU memory (vLLM
 * `gpu_memory_utilization`, SGLang `mem_fraction_static`), or the memory `free-after-weights`
 * and buffers are allocated (TensorRT-LLM `kv_cache_free_gpu_memory_fraction`).
 */
export type MemoryFractionBasis = 'total' | 'free-after-weights';

export type KvAdmission = 'prompt' | 'full-reservation';

export interface EngineDefaults {
  name: EngineName;
  /** The engine version (or source revision) whose defaults the table reproduces. */
  basis: string;
  /** How the engine reads `gpuMemoryUtilization`, stated or defaulted. */
  memoryFractionOf: MemoryFractionBasis;
  /**
   * KV admission: `prompt` = a request is admitted when its prompt's blocks are free and KV
   * shortage later preempts running requests (vLLM, SGLang); `full-reservation` = blocks for
   * prompt + maximum output are reserved at admission, so shortage delays admission
   * (TensorRT-LLM's default GUARANTEED_NO_EVICT capacity scheduler).
   */
  kvAdmission: KvAdmission;
  kvAdmissionSource: string;
  defaults(ctx: EngineDefaultContext): EngineDefaultTable;
}

const memoryMib = (a: Accelerator): number => a.memoryBytes.value / 2 ** 20;

// ---------------------------------------------------------------------------------------------
// vLLM v1, `vllm serve` (UsageContext.OPENAI_API_SERVER)
// ---------------------------------------------------------------------------------------------
const VLLM_ARGS = 'vllm-project/vllm vllm/engine/arg_utils.py';
const VLLM_CACHE = 'vllm-project/vllm vllm/config/cache.py CacheConfig';
const VLLM_CONFIG = 'vllm-project/vllm vllm/config/vllm.py VllmConfig.__post_init__';

/** vLLM raises batch defaults on GPUs with ≥ 70 GiB that are not A100 (vLLM PR #17885). */
const vllmLargeGpu = (a: Accelerator): boolean =>
  a.memoryBytes.value >= 70 * GIB && !/a100/i.test(`${a.productLine} ${a.name} ${a.id}`);

/** Speculative methods that keep vLLM's async scheduling on (EagleModelTypes, NgramGPUTypes). */
const VLLM_ASYNC_DRAFTERS = /eagle|mtp|ngram/i;

const vllmDefaults: EngineDefaults = {
  name: 'vllm',
  basis: 'vLLM v1 engine (2026 releases), OpenAI-compatible server',
  memoryFractionOf: 'total',
  kvAdmission: 'prompt',
  kvAdmissionSource:
    'vllm-project/vllm vllm/v1/core/sched/scheduler.py: allocate_slots for the scheduled tokens; on failure preempt the lowest-priority running request (recompute)',
  defaults(ctx) {
    const large = vllmLargeGpu(ctx.accelerator);
    const tier = large ? 'GPU memory ≥ 70 GiB and not A100' : 'GPU memory < 70 GiB or an A100';
    const chunked = ctx.stated.chunkedPrefill ?? true;
    const batchedTokens = large ? 8192 : 2048;
    const batchedSource =
      `${VLLM_ARGS} EngineArgs.get_batch_defaults: max_num_batched_tokens ${batchedTokens} ` +
      `for OPENAI_API_SERVER (${tier})` +
      (chunked
        ? ''
        : '; with chunked prefill off vLLM uses max_model_len instead, which the catalog ' +
          'does not hold — state maxNumBatchedTokens to match your server');
    const seqsCap = large ? 1024 : 256;
    const batched = ctx.stated.maxNumBatchedTokens ?? batchedTokens;
    const spec = ctx.speculativeDrafter;
    const asyncOn = spec === undefined || VLLM_ASYNC_DRAFTERS.test(spec);
    return {
      maxNumSeqs: {
        value: Math.min(seqsCap, batched),
        source:
          `${VLLM_ARGS} EngineArgs.get_batch_defaults: max_num_seqs ${seqsCap} for ` +
          `OPENAI_API_SERVER (${tier}), capped at max_num_batched_tokens`,
      },
      maxNumBatchedTokens: { value: batchedTokens, source: batchedSource },
      blockSizeTokens: { value: 16, source: `${VLLM_CACHE}.DEFAULT_BLOCK_SIZE = 16` },
      gpuMemoryUtilization: {
        value: 0.92,
        source:
          `${VLLM_CACHE}.gpu_memory_utilization default 0.92 (docs.vllm.ai/en/stable/cli/serve, ` +
          '2026; releases up to v0.11 used 0.9): fraction of total GPU memory for weights, ' +
          'activations and KV cache',
      },
      chunkedPrefill: {
        value: true,
        source: `${VLLM_ARGS} EngineArgs._set_default_args: V1 enables chunked prefill for generative models`,
      },
      prefixCaching: {
        value: true,
        source: `${VLLM_CACHE}.enable_prefix_caching = True (V1 default)`,
      },
      asyncScheduling: {
        value: asyncOn,
        source: asyncOn
          ? `${VLLM_CONFIG}: async_scheduling None resolves to True when no option is incompatible`
          : `${VLLM_CONFIG}: async scheduling is disabled with '${spec ?? ''}' speculative ` +
            'decoding (only EAGLE/MTP and n-gram GPU drafters keep it)',
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// TensorRT-LLM LLM API / trtllm-serve, PyTorch backend
// ---------------------------------------------------------------------------------------------
const TRTLLM_ARGS = 'NVIDIA/TensorRT-LLM tensorrt_llm/llmapi/llm_args.py';

const trtllmDefaults: EngineDefaults = {
  name: 'trtllm',
  basis: 'TensorRT-LLM 1.x LLM API (PyTorch backend), trtllm-serve',
  memoryFractionOf: 'free-after-weights',
  kvAdmission: 'full-reservation',
  kvAdmissionSource:
    'NVIDIA/TensorRT-LLM tensorrt_llm/llmapi/llm_args.py SchedulerConfig.capacity_scheduler_policy = GUARANTEED_NO_EVICT',
  defaults() {
    return {
      maxNumSeqs: { value: 2048, source: `${TRTLLM_ARGS} BaseLlmArgs.max_batch_size = 2048` },
      maxNumBatchedTokens: {
        value: 8192,
        source: `${TRTLLM_ARGS} BaseLlmArgs.max_num_tokens = 8192`,
      },
      blockSizeTokens: {
        value: 32,
        source: `${TRTLLM_ARGS} KvCacheConfig.tokens_per_block = 32`,
      },
      gpuMemoryUtilization: {
        value: 0.9,
        source:
          `${TRTLLM_ARGS} KvCacheConfig.free_gpu_memory_fraction = 0.9 — NOTE: a fraction of the ` +
          'memory left free after weights and buffers are allocated, not of total GPU memory ' +
          '(vLLM PR #5158 discusses the difference)',
      },
      chunkedPrefill: {
        value: false,
        source: `${TRTLLM_ARGS} TorchLlmArgs.enable_chunked_prefill = False`,
      },
      prefixCaching: {
        value: true,
        source: `${TRTLLM_ARGS} KvCacheConfig.enable_block_reuse = True`,
      },
      asyncScheduling: {
        value: true,
        source: `${TRTLLM_ARGS} TorchLlmArgs.disable_overlap_scheduler = False (overlap scheduler on)`,
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// SGLang `sglang.launch_server`
// ---------------------------------------------------------------------------------------------
const SGLANG_ARGS = 'sgl-project/sglang python/sglang/srt/server_args.py ServerArgs';

/**
 * SGLang's `mem_fraction_static` default: (gpu_mem − reserved) / gpu_mem, gpu_mem in MiB,
 * reserved by memory tier and parallel size p = tp·pp, +2 GiB with speculative decoding,
 * +4 GiB with DP attention (ServerArgs._handle_mem_fraction_static).
 */
function sglangMemFraction(ctx: EngineDefaultContext): DefaultValue<number> {
  const gpuMem = memoryMib(ctx.accelerator);
  const p = ctx.tpTimesPp ?? 1;
  const gib = 1024;
  let reserved: number;
  let rule: string;
  if (gpuMem < 35 * gib) {
    reserved = (2.8 + p / 10) * gib;
    rule = '(2.8 + p/10) GiB below 35 GiB';
  } else if (gpuMem < 90 * gib) {
    reserved = (9.5 + p / 2) * gib;
    rule = '(9.5 + p/2) GiB below 90 GiB';
  } else if (gpuMem < 160 * gib) {
    reserved = (12 + p / 2) * gib;
    rule = '(12 + p/2) GiB below 160 GiB';
  } else {
    reserved = 32 * gib;
    rule = '32 GiB from 160 GiB';
  }
  if (ctx.speculativeDrafter !== undefined) reserved += 2 * gib;
  if ((ctx.attnDp ?? 1) > 1) reserved += 4 * gib;
  const value = Math.round(((gpuMem - reserved) / gpuMem) * 1000) / 1000;
  const pNote =
    ctx.tpTimesPp === undefined
      ? 'p = 1 because parallelism is auto (re-apply engine defaults once the plan is chosen)'
      : `p = tp·pp = ${p}`;
  return {
    value,
    source:
      `${SGLANG_ARGS}._handle_mem_fraction_static: (gpu_mem − reserved)/gpu_mem, reserved ${rule}` +
      `, ${pNote}` +
      (ctx.speculativeDrafter !== undefined ? ', +2 GiB for speculative decoding' : '') +
      ((ctx.attnDp ?? 1) > 1 ? ', +4 GiB for DP attention' : '') +
      '; fraction of total memory for weights and KV pool',
  };
}

function sglangChunk(ctx: EngineDefaultContext): DefaultValue<number> {
  const gpuMem = memoryMib(ctx.accelerator);
  const gib = 1024;
  const [value, tier] =
    gpuMem < 35 * gib
      ? [2048, 'below 35 GiB']
      : gpuMem < 160 * gib
        ? [8192, '35–160 GiB']
        : [16384, 'from 160 GiB'];
  return {
    value,
    source: `${SGLANG_ARGS}: chunked_prefill_size ${value} for GPU memory ${tier}`,
  };
}

const sglangDefaults: EngineDefaults = {
  name: 'sglang',
  basis: 'SGLang 0.5.x launch_server',
  memoryFractionOf: 'total',
  kvAdmission: 'prompt',
  kvAdmissionSource:
    'sgl-project/sglang schedule_policy.py PrefillAdder: admits while the prompt fits the token pool (with a new-token ratio estimate); retracts decodes when the pool runs out',
  defaults(ctx) {
    return {
      maxNumSeqs: {
        value: 4096,
        source:
          'sgl-project/sglang model_runner max_num_reqs = min(clamp(pool_tokens/context_len·512, ' +
          '2048, 4096), pool_tokens/2) when max_running_requests is unset; 4096 is its upper ' +
          'clamp — the KV pool binds first in practice',
      },
      maxNumBatchedTokens: sglangChunk(ctx),
      blockSizeTokens: {
        value: 1,
        source: `${SGLANG_ARGS}.page_size = 1 (some attention backends, e.g. trtllm_mla, force larger pages)`,
      },
      gpuMemoryUtilization: sglangMemFraction(ctx),
      chunkedPrefill: {
        value: true,
        source: `${SGLANG_ARGS}: chunked prefill on (chunked_prefill_size set; −1 disables)`,
      },
      prefixCaching: {
        value: true,
        source: `${SGLANG_ARGS}.disable_radix_cache = False (radix prefix cache on)`,
      },
      asyncScheduling: {
        value: true,
        source: `${SGLANG_ARGS}.disable_overlap_schedule = False (overlap scheduler on)`,
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// generic: an unnamed continuous-batching engine
// ---------------------------------------------------------------------------------------------
const genericDefaults: EngineDefaults = {
  name: 'generic',
  basis: 'assumption: a continuous-batching engine configured like vLLM v1',
  memoryFractionOf: 'total',
  kvAdmission: 'prompt',
  kvAdmissionSource: 'assumption (generic engine = vLLM v1 behaviour)',
  defaults(ctx) {
    const v = vllmDefaults.defaults(ctx);
    const relabel = <T>(d: DefaultValue<T>): DefaultValue<T> => ({
      value: d.value,
      source: `assumption (generic engine = vLLM v1 defaults): ${d.source}`,
    });
    return {
      maxNumSeqs: relabel(v.maxNumSeqs),
      maxNumBatchedTokens: relabel(v.maxNumBatchedTokens),
      blockSizeTokens: relabel(v.blockSizeTokens),
      gpuMemoryUtilization: relabel(v.gpuMemoryUtilization),
      chunkedPrefill: relabel(v.chunkedPrefill),
      prefixCaching: relabel(v.prefixCaching),
      asyncScheduling: relabel(v.asyncScheduling),
    };
  },
};

/** Registry of engine default tables, by engine name. */
export const ENGINE_DEFAULTS: Readonly<Record<EngineName, EngineDefaults>> = {
  vllm: vllmDefaults,
  trtllm: trtllmDefaults,
  sglang: sglangDefaults,
  generic: genericDefaults,
};

/** Scenario field name of each engine setting (`blockSizeTokens` is written `blockSize`). */
export const SCENARIO_ENGINE_FIELD: Readonly<Record<EngineSettingKey, string>> = {
  maxNumSeqs: 'maxNumSeqs',
  maxNumBatchedTokens: 'maxNumBatchedTokens',
  blockSizeTokens: 'blockSize',
  gpuMemoryUtilization: 'gpuMemoryUtilization',
  chunkedPrefill: 'chunkedPrefill',
  prefixCaching: 'prefixCaching',
  asyncScheduling: 'asyncScheduling',
};

/** The settings a scenario's `engine` mapping states (by scenario field name). */
export function statedEngineValues(
  engine: Readonly<Record<string, unknown>>,
): Partial<EngineDefaultValues> {
  const stated: Partial<EngineDefaultValues> = {};
  for (const key of ENGINE_SETTING_KEYS) {
    const v = engine[SCENARIO_ENGINE_FIELD[key]];
    if (v !== undefined) (stated as Record<string, unknown>)[key] = v;
  }
  return stated;
}

export interface EngineWithDefaults {
  settings: EngineDefaultValues & {
    name: EngineName;
    gpuMemoryUtilizationOf: MemoryFractionBasis;
    kvAdmission: KvAdmission;
  };
  /** Every setting taken from the engine table, with its source (nothing defaults silently). */
  applied: { key: EngineSettingKey; value: number | boolean; source: string }[];
}

/** Stated settings first, the rest from the engine's sourced defaults for this context. */
export function applyEngineDefaults(
  name: EngineName,
  ctx: Omit<EngineDefaultContext, 'stated'>,
  stated: Partial<EngineDefaultValues>,
): EngineWithDefaults {
  const engine = ENGINE_DEFAULTS[name];
  const table = engine.defaults({ ...ctx, stated });
  const values = { ...stated } as Record<EngineSettingKey, number | boolean>;
  const applied: EngineWithDefaults['applied'] = [];
  for (const key of ENGINE_SETTING_KEYS) {
    if (stated[key] !== undefined) continue;
    values[key] = table[key].value;
    applied.push({ key, value: table[key].value, source: table[key].source });
  }
  return {
    settings: {
      name,
      ...(values as unknown as EngineDefaultValues),
      gpuMemoryUtilizationOf: engine.memoryFractionOf,
      kvAdmission: engine.kvAdmission,
    },
    applied,
  };
}
