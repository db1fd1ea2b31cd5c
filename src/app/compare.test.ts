import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { compareResults } from '../compare/compare.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parseScenarioYaml } from '../scenario/index.js';
import { estimateComparable } from './compare.js';
import { estimateScenario } from './estimate.js';

const catalog = defaultCatalog();
const estimate = (system: string, precision: string) =>
  estimateScenario(
    parseScenarioYaml(
      `
name: ${system} ${precision}
seed: 1
site: { pue: 1.25 }
deployments:
  - { name: d, model: llama-3.1-70b, system: ${system}, precision: ${precision}, parallelism: { tp: 4 }, replicas: 1, engine: { name: vllm } }
workload:
  classes:
    - name: chat
      kind: request
      arrivals: { process: closed-loop, concurrency: 16 }
      inputTokens: 1024
      outputTokens: 256
      slo: { tpotP99Seconds: 0.1 }
`,
      't.yaml',
    ),
    catalog,
    BUILTIN_CALIBRATION,
  );

describe('estimateComparable', () => {
  it('turns an estimate into named metrics that compare with another estimate', () => {
    const a = estimateComparable(estimate('hgx-h200-8gpu', 'fp8'));
    const b = estimateComparable(estimate('hgx-h100-8gpu', 'fp8'));
    expect(a.name).toBe('hgx-h200-8gpu fp8 / d / chat');
    const r = compareResults(a, b, { metrics: ['output tok/s per GPU'] });
    expect(r.pairs).toHaveLength(1);
    // same model, precision, workload and SLO; utilization differs (a different busy set), so
    // the comparison needs it assumed equal
    const p = r.pairs[0]!;
    expect(p.differences.map((d) => d.field)).toContain('source');
    const assumed = compareResults(a, b, {
      metrics: ['output tok/s per GPU'],
      assumeEqual: ['utilization'],
    });
    expect(assumed.pairs[0]!.verdict?.better).toBe('a');
  });

  it('refuses tokens per joule between bf16 and fp8 estimates', () => {
    const a = estimateComparable(estimate('hgx-h200-8gpu', 'bf16'));
    const b = estimateComparable(estimate('hgx-h200-8gpu', 'fp8'));
    const r = compareResults(a, b);
    const tpj = r.pairs.find((p) => p.name === 'output tokens per joule [facility]')!;
    expect(tpj.refusal).toContain('precision (a: bf16, b: fp8)');
  });

  it('adds frontier points on request', () => {
    const s = estimateComparable(estimate('hgx-h200-8gpu', 'fp8'), { includeFrontier: true });
    expect(s.metrics.some((m) => m.name.startsWith('frontier c=1: '))).toBe(true);
  });
});
