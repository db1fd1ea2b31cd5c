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

  it('skips disaggregated rows and impossible layouts with their reasons', () => {
    const disagg = siliconCase(row({ mode: 'disagg' }), catalog);
    expect('skipped' in disagg && disagg.reason).toMatch(/disaggregated/);
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
