import { describe, expect, it } from 'vitest';
import { getSystem } from '../catalog/catalog.js';
import { acceleratorPowerWatts, replicaPower, tokensPerJoule, tokensPerMegawatt } from './power.js';
import { catalog, deployment, prepared } from './test-support.js';

const p = prepared(deployment('llama-3.1-70b', 'h100-sxm', 'fp8', { tp: 2 }));

describe('power model', () => {
  it('draws idle power at no activity and at most TDP at any activity', () => {
    const acc = p.deployment.accelerator;
    expect(acceleratorPowerWatts(p, { computeUtilization: 0, memoryUtilization: 0 })).toBe(
      acc.idleWatts.value,
    );
    expect(acceleratorPowerWatts(p, { computeUtilization: 1, memoryUtilization: 1 })).toBe(
      acc.tdpWatts.value,
    );
  });

  it('puts memory-bound decode well under TDP and compute-bound prefill at TDP (Splitwise)', () => {
    const decode = acceleratorPowerWatts(p, { computeUtilization: 0.05, memoryUtilization: 0.8 });
    const prefill = acceleratorPowerWatts(p, { computeUtilization: 0.7, memoryUtilization: 0.1 });
    expect(decode).toBeLessThan(0.7 * p.deployment.accelerator.tdpWatts.value);
    expect(prefill).toBe(p.deployment.accelerator.tdpWatts.value);
  });

  it('orders tokens per joule chip ≥ node ≥ facility and labels every boundary', () => {
    const power = replicaPower(
      p,
      { computeUtilization: 0.3, memoryUtilization: 0.5 },
      getSystem(catalog, 'hgx-h100-8gpu'),
      1.3,
    );
    const rows = tokensPerJoule(1000, power);
    expect(rows.map((r) => r.boundary)).toEqual(['chip', 'node', 'facility']);
    expect(rows[0]!.tokensPerJoule).toBeGreaterThan(rows[1]!.tokensPerJoule);
    expect(rows[1]!.tokensPerJoule).toBeGreaterThan(rows[2]!.tokensPerJoule);
    expect(rows[2]!.joulesPerToken * rows[2]!.tokensPerJoule).toBeCloseTo(1, 12);
  });

  it('converts to tokens per MW', () => {
    expect(tokensPerMegawatt(1000, 2e6)).toBe(500);
  });
});
