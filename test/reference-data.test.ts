import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { MLPERF_LLM_TASKS } from '../src/catalog/benchmarks.js';
import { defaultCatalog } from '../src/catalog/catalog.js';
import { quantile } from '../src/core/stats.js';
import { BUILTIN_CALIBRATION } from '../src/perf/calibration-data.js';
import { validateMlperf, type PublicDataItem } from '../src/validation/mlperf.js';
import { fitTokenLengths, normalQuantile } from '../src/validation/mlperf-twin.js';
import { validateSilicon, type SiliconRow } from '../src/validation/silicon.js';
import { replayVllmTrace } from '../src/validation/vllm-replay.js';
import {
  parseSimulatorConfig,
  vllmTraceCase,
  type VllmTraceMeta,
  type VllmTraceRequest,
} from '../src/validation/vllm-trace.js';

// Regression guards on the published measurements copied into data/reference/. Thresholds are
// the figures this tree reaches plus a small margin, so a change that degrades the model fails
// here; the figures themselves are printed by `aifactory validate …` (see README).
const catalog = defaultCatalog();
const items = (
  JSON.parse(readFileSync('data/reference/public-data.json', 'utf8')) as { items: PublicDataItem[] }
).items;

describe('validation against published measurements', () => {
  it('keeps silicon TPOT MAPE under 20% and TTFT MAPE under 30% (in-sample, 2,334 aggregated rows)', () => {
    const rows = parseCsv(
      readFileSync('data/reference/aiconfigurator-silicon/measured-ttft-tpot.csv', 'utf8'),
      { columns: true },
    ) as SiliconRow[];
    const r = validateSilicon(
      rows.filter((x) => x.mode === 'agg'),
      catalog,
      BUILTIN_CALIBRATION,
    );
    expect(r.summary.overall.rows).toBeGreaterThan(2300);
    expect(r.summary.overall.tpotMapePct).toBeLessThan(20);
    expect(r.summary.overall.ttftMapePct).toBeLessThan(30);
  });

  it('simulates the disaggregated silicon rows with worker counts (held out): median TPOT error under 20%', () => {
    // Every third such row keeps the test short; `validate silicon` runs all 185 (TPOT median
    // APE 16.0%, TTFT median 80%: prefill queueing under closed-loop load, see silicon-disagg.ts).
    const rows = (
      parseCsv(
        readFileSync('data/reference/aiconfigurator-silicon/measured-ttft-tpot.csv', 'utf8'),
        {
          columns: true,
        },
      ) as SiliconRow[]
    ).filter((x) => x.mode === 'disagg' && x.prefill_num_workers);
    const r = validateSilicon(
      rows.filter((_, i) => i % 3 === 0),
      catalog,
      BUILTIN_CALIBRATION,
    );
    const d = r.summary.disaggregated!;
    expect(d.rows).toBeGreaterThan(55);
    expect(d.tpotMedianApePct).toBeLessThan(20);
    expect(Number.isFinite(d.ttftMedianApePct)).toBe(true);
    // ~35 s on a quiet 2-core machine, 105 s seen on a loaded one: the limit is for hangs only.
  }, 300_000);

  it('predicts every visible MLPerf item (held out) with median |error| within the issue targets: ≤ 15% Offline, ≤ 25% Server+Interactive (serving twin)', () => {
    // Server/Interactive run the serving-twin rate search (≈ 25 s on 2 cores); measured medians
    // 12.2% Offline, 14.3% Server, 35.3% Interactive, 23.5% Server+Interactive. The 12
    // Interactive items alone stay above 25%: see docs/calibration.md.
    const r = validateMlperf(items, catalog, BUILTIN_CALIBRATION);
    expect(r.summary.failures).toBe(0);
    expect(r.summary.skipped).toBe(0);
    expect(r.summary.byScenario.Offline!.medianAbsErrorPct).toBeLessThanOrEqual(15);
    expect(r.summary.byScenario.Server!.medianAbsErrorPct).toBeLessThan(16);
    expect(r.summary.byScenario.Interactive!.medianAbsErrorPct).toBeLessThan(38);
    expect(r.summary.byScenario['Server+Interactive']!.medianAbsErrorPct).toBeLessThanOrEqual(25);
  }, 180_000);

  it("fits the MLPerf output lengths the twin draws to the benchmarks' own outputs (TEST06 logs): every quantile p5…p95 within 15% (worst: Mixtral p95, −13.7%)", () => {
    const runs = (
      JSON.parse(readFileSync('data/reference/mlperf-test06-output-lengths.json', 'utf8')) as {
        runs: { benchmark: string; outputTokenCounts: number[] }[];
      }
    ).runs;
    for (const id of ['llama2-70b-99', 'mixtral-8x7b']) {
      const counts = runs.filter((r) => r.benchmark === id).flatMap((r) => r.outputTokenCounts);
      const output = MLPERF_LLM_TASKS.find((t) => t.id === id)!.output;
      // The table's quantiles are this file's, recomputed (no drift between data and catalog).
      expect(output.publishedSample!.size).toBe(counts.length);
      for (const [p, x] of output.publishedSample!.quantiles)
        expect(quantile(counts, p)).toBeCloseTo(x, 6);
      const fitted = fitTokenLengths(output)!;
      for (const [p, x] of output.publishedSample!.quantiles)
        expect(Math.abs(fitted.sample(normalQuantile(p)) / x - 1)).toBeLessThan(0.15);
    }
  });

  it('predicts the KV-cache blocks vLLM logged on the RTX 4090 within 10% (held out), its whole-run throughput within 25% and median TPOT within 25% analytically (the 4090 entry is fitted on this run by the twin replay)', () => {
    const dir = 'data/reference/vllm-traces/RTX4090_Llama-3.1-8B';
    const meta = JSON.parse(readFileSync(`${dir}/meta.json`, 'utf8')) as VllmTraceMeta;
    const requests = readFileSync(`${dir}/requests.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as VllmTraceRequest);
    const c = vllmTraceCase(
      'RTX4090_Llama-3.1-8B',
      meta,
      requests,
      catalog,
      BUILTIN_CALIBRATION,
      'RTX4090',
    );
    if ('skipped' in c) throw new Error(c.reason);
    expect(Math.abs(c.errorPct.kvBlocks!)).toBeLessThan(10);
    expect(Math.abs(c.errorPct.outputTokensPerSecond)).toBeLessThan(25);
    expect(Math.abs(c.errorPct.medianTpotMs)).toBeLessThan(25);
  });

  it.each([
    // [run, |TPOT error of mean| bound, |TTFT error of mean| bound]: the 10% / 25%.
    ['RTX4090_Llama-3.1-8B', 10, 25], // in-sample: rtx-4090/vllm is fitted on this run
    ['RTXPRO6000_Llama-3.1-8B', 10, 25], // held out
    ['RTXPRO6000_Qwen3-32B', 10, 25], // held out
  ])(
    'replays %s through the serving twin with mean TPOT within %i% and mean TTFT within %i%',
    (name, tpotBound, ttftBound) => {
      const dir = `data/reference/vllm-traces/${name}`;
      const meta = JSON.parse(readFileSync(`${dir}/meta.json`, 'utf8')) as VllmTraceMeta;
      const requests = readFileSync(`${dir}/requests.jsonl`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as VllmTraceRequest);
      const config = parseSimulatorConfig(
        JSON.parse(readFileSync(`${dir}/simulator-config.json`, 'utf8')),
        `${dir}/simulator-config.json`,
      );
      const r = replayVllmTrace(
        name,
        meta,
        requests,
        catalog,
        BUILTIN_CALIBRATION,
        config.gpu ?? name,
        [],
        config.hardware,
      );
      if ('skipped' in r) throw new Error(r.reason);
      expect(r.requests).toHaveLength(300);
      expect(Math.abs(r.summary.tpotMs.errorOfMeanPct)).toBeLessThan(tpotBound);
      expect(Math.abs(r.summary.ttftMs.errorOfMeanPct)).toBeLessThan(ttftBound);
    },
  );
});
