import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { siliconCase, validateSilicon, type SiliconRow } from './silicon.js';

const catalog = defaultCatalog();

/** Rows in the shape of aiconfigurator-silicon/measured-ttft-tpot.csv (values from that file). */
const row = (over: Partial<SiliconRow>): SiliconRow => ({
  id: 'r1',
  backend: 'trtllm',
  model_path: 'meta-llama/Llama-3.1-70B',
  system: 'h200_sxm',
  precision: 'fp8',
  mode: 'agg',
  isl: '8192',
  osl: '1024',
  gemm_quant_mode: 'fp8',
  moe_quant_mode: 'fp8',
  batch_size: '16',
  tp_size: '8',
  pp_size: '1',
  attention_dp_size: '1',
  moe_tp_size: '1',
  moe_ep_size: '1',
  silicon_ttft_ms: '511.7',
  silicon_tpot_ms: '11.26',
  ...over,
});

describe('silicon validation', () => {
  it('maps a row to a deployment with total concurrency = batch_size × attention_dp_size', () => {
    const c = siliconCase(
      row({
        model_path: 'deepseek-ai/DeepSeek-R1',
        system: 'b200_sxm',
        tp_size: '1',
        attention_dp_size: '8',
        moe_ep_size: '8',
        batch_size: '32',
        gemm_quant_mode: 'nvfp4',
        moe_quant_mode: 'nvfp4',
      }),
      catalog,
    );
    expect('skipped' in c).toBe(false);
    if ('skipped' in c) return;
    expect(c.concurrency).toBe(256);
    expect(c.deployment.parallel).toEqual({ tp: 1, pp: 1, ep: 8, attnDp: 8 });
    expect(c.deployment.precision.experts).toBe('nvfp4');
  });

  it('maps a disaggregated row to prefill and decode pools; skips one without worker counts', () => {
    // From the file: Kimi-K2.5 on GB200, TRT-LLM, 1 prefill worker (attention DP 4, EP 4, batch 1)
    // and 4 decode workers (TP 8, EP 8, batch 48): 192 clients.
    const c = siliconCase(
      row({
        mode: 'disagg',
        model_path: 'moonshotai/Kimi-K2.5',
        system: 'gb200',
        isl: '1024',
        osl: '1024',
        gemm_quant_mode: 'nvfp4',
        moe_quant_mode: 'nvfp4',
        batch_size: '',
        tp_size: '',
        silicon_data_source: 'db-dump; config_id=759; silicon_concurrency=192',
        prefill_batch_size: '1',
        prefill_num_workers: '1',
        prefill_tp_size: '1',
        prefill_pp_size: '1',
        prefill_attention_dp_size: '4',
        prefill_moe_ep_size: '4',
        decode_batch_size: '48',
        decode_num_workers: '4',
        decode_tp_size: '8',
        decode_pp_size: '1',
        decode_attention_dp_size: '1',
        decode_moe_ep_size: '8',
      }),
      catalog,
    );
    expect('skipped' in c).toBe(false);
    if ('skipped' in c) return;
    expect(c.concurrency).toBe(192);
    expect(c.deployment.parallel).toEqual({ tp: 1, pp: 1, ep: 4, attnDp: 4 });
    expect(c.deployment.engine.maxNumSeqs).toBe(1);
    expect(c.disagg?.decode.parallel).toEqual({ tp: 8, pp: 1, ep: 8, attnDp: 1 });
    expect(c.disagg?.decode.engine.maxNumSeqs).toBe(48);
    expect(c.disagg?.numPrefillWorkers).toBe(1);
    expect(c.disagg?.numDecodeWorkers).toBe(4);
    const disagg = siliconCase(row({ mode: 'disagg' }), catalog);
    expect('skipped' in disagg && disagg.reason).toMatch(/pool sizes are not given/);
  });

  it('skips impossible layouts with their reasons', () => {
    const wide = siliconCase(
      row({ model_path: 'deepseek-ai/DeepSeek-R1', system: 'gb200', tp_size: '36' }),
      catalog,
    );
    expect('skipped' in wide && wide.reason).toMatch(/does not divide the 128 attention heads/);
    const unknown = siliconCase(row({ model_path: 'acme/Unknown-1B' }), catalog);
    expect('skipped' in unknown && unknown.reason).toMatch(/not in the catalog/);
  });

  it('reports one entry per row and MAPE computed from those entries', () => {
    const rep = validateSilicon(
      [
        row({}),
        row({ id: 'r2', batch_size: '64', silicon_ttft_ms: '1132.4', silicon_tpot_ms: '27.98' }),
        row({ id: 'r3', mode: 'disagg' }),
      ],
      catalog,
      BUILTIN_CALIBRATION,
    );
    expect(rep.rows.map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
    const done = rep.rows.filter(
      (r): r is Extract<typeof r, { predictedTpotMs: number }> => 'predictedTpotMs' in r,
    );
    const mape =
      (100 *
        done.reduce(
          (a, r) => a + Math.abs(r.predictedTpotMs - r.measuredTpotMs) / r.measuredTpotMs,
          0,
        )) /
      done.length;
    expect(rep.summary.overall.tpotMapePct).toBeCloseTo(mape, 9);
    expect(rep.summary.skipped).toBe(1);
  });
});
