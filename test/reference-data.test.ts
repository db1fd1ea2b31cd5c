import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../src/catalog/catalog.js';
import { BUILTIN_CALIBRATION } from '../src/perf/calibration-data.js';
import { validateMlperf, type PublicDataItem } from '../src/validation/mlperf.js';
import { validateSilicon, type SiliconRow } from '../src/validation/silicon.js';
import {
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
    const r = validateSilicon(rows, catalog, BUILTIN_CALIBRATION);
    expect(r.summary.overall.rows).toBeGreaterThan(2300);
    expect(r.summary.overall.tpotMapePct).toBeLessThan(20);
    expect(r.summary.overall.ttftMapePct).toBeLessThan(30);
  });

  it('predicts every visible MLPerf item (held out) with median |error| under 17% Offline, 20% Server and 40% Interactive', () => {
    const r = validateMlperf(items, catalog, BUILTIN_CALIBRATION);
    expect(r.summary.failures).toBe(0);
    expect(r.summary.skipped).toBe(0);
    expect(r.summary.byScenario.Offline!.medianAbsErrorPct).toBeLessThan(17);
    expect(r.summary.byScenario.Server!.medianAbsErrorPct).toBeLessThan(20);
    expect(r.summary.byScenario.Interactive!.medianAbsErrorPct).toBeLessThan(40);
  });

  it('predicts the KV-cache blocks vLLM logged on the RTX 4090 within 10%, its saturated throughput within 20% and median TPOT within 25% (held out)', () => {
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
    expect(Math.abs(c.errorPct.outputTokensPerSecond)).toBeLessThan(20);
    expect(Math.abs(c.errorPct.medianTpotMs)).toBeLessThan(25);
  });
});
