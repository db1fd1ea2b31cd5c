import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { vllmTraceCase, type VllmTraceMeta, type VllmTraceRequest } from './vllm-trace.js';

const catalog = defaultCatalog();
// Shaped like data/reference/vllm-traces/RTX4090_Llama-3.1-8B/meta.json.
const meta: VllmTraceMeta = {
  model: 'meta-llama/Llama-3.1-8B',
  engine_kwargs: {
    tensor_parallel_size: 1,
    max_num_seqs: 256,
    max_num_batched_tokens: 2048,
    dtype: 'bfloat16',
  },
  kv_cache: { num_gpu_blocks: 2588, block_size: 16, gpu_memory_utilization: 0.9 },
  hardware: { device_name: 'NVIDIA GeForce RTX 4090' },
};
const requests: VllmTraceRequest[] = [
  { input_toks: 1000, output_toks: 11, queued_ts: 0, first_token_ts: 1, last_token_ts: 1.5 },
  { input_toks: 500, output_toks: 21, queued_ts: 0.5, first_token_ts: 2, last_token_ts: 3 },
];

describe('vLLM trace validation', () => {
  it('measures TPOT per request as (last − first)/(n − 1) and compares KV blocks with the engine log', () => {
    const c = vllmTraceCase('t', meta, requests, catalog, BUILTIN_CALIBRATION, 'RTX4090_x');
    if ('skipped' in c) throw new Error(c.reason);
    expect(c.measured.medianTpotMs).toBeCloseTo(50, 9); // median of 50 ms and 50 ms
    expect(c.measured.kvBlocks).toBe(2588);
    expect(c.errorPct.kvBlocks).toBeCloseTo((100 * (c.predicted.kvBlocks! - 2588)) / 2588, 9);
    expect(c.basis.accelerator).toBe('rtx-4090');
  });

  it('uses the saturated seconds of the timeseries for throughput when given', () => {
    const ticks = [
      { gen_throughput: 100, running: 5, waiting: 0 },
      { gen_throughput: 1000, running: 30, waiting: 4 },
      { gen_throughput: 1200, running: 30, waiting: 2 },
    ];
    const c = vllmTraceCase('t', meta, requests, catalog, BUILTIN_CALIBRATION, 'x', ticks);
    expect('measured' in c && c.measured.outputTokensPerSecond).toBe(1100);
  });

  it('skips a run whose model is not in the catalog', () => {
    const c = vllmTraceCase(
      't',
      { ...meta, model: 'acme/Nope-1B' },
      requests,
      catalog,
      BUILTIN_CALIBRATION,
      'x',
    );
    expect('skipped' in c && c.reason).toMatch(/not in the catalog/);
  });
});
