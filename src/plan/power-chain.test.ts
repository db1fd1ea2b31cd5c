import { describe, expect, it } from 'vitest';
import { defaultCatalog, getAccelerator, getSystem } from '../catalog/catalog.js';
import { POWER_CAP_CURVES } from '../sim/power/power-cap.js';
import { systemPowerChain, chainThroughputFractionAt } from './power-chain.js';
import { CAP_CURVES, cappedThroughputFraction } from './power-chain-cap.js';
import {
  PROVISIONING_POLICIES,
  RAPS_CONVERSION_STAGES,
  type ProvisioningPolicy,
} from './power-chain-policy.js';

const catalog = defaultCatalog();
const chainFor = (systemId: string, policy: ProvisioningPolicy) => {
  const system = getSystem(catalog, systemId);
  return systemPowerChain({
    system,
    accelerator: getAccelerator(catalog, system.acceleratorId),
    policy,
  });
};

describe('power chain', () => {
  it('adds up an HGX H100 at nameplate: 8 × 700 + 4,600 host + 912 network = 11,112 W (SemiAnalysis DGX H100 with network)', () => {
    const c = chainFor('hgx-h100-8gpu', PROVISIONING_POLICIES.nameplate);
    expect(c.acceleratorsW).toBe(5600);
    expect(c.hostW).toBe(4600);
    expect(c.networkW).toBe(912);
    expect(c.budgetW).toBeCloseTo(11112, 9);
    expect(c.worstCaseThroughputFraction).toBe(1);
  });

  it('adds up a GB200 NVL72 rack at nameplate: 86,400 + 30,000 + 11,808 = 128,208 W', () => {
    const c = chainFor('gb200-nvl72', PROVISIONING_POLICIES.nameplate);
    expect(c.acceleratorsW).toBe(86400);
    expect(c.hostW).toBe(30000);
    expect(c.networkW).toBe(11808);
    expect(c.budgetW).toBeCloseTo(128208, 9);
  });

  it('provisions GB200 at 960 W per GPU under the Meta policy: 69,120 + 41,808 = 110,928 W, capped throughput < 1', () => {
    const c = chainFor('gb200-nvl72', PROVISIONING_POLICIES['meta-gb200-80pct']);
    expect(c.acceleratorsW).toBeCloseTo(69120, 9);
    expect(c.budgetW).toBeCloseTo(110928, 9);
    expect(c.worstCaseGpuCapW).toBeCloseTo(960, 9);
    expect(c.worstCaseThroughputFraction).toBeGreaterThan(0.9);
    expect(c.worstCaseThroughputFraction).toBeLessThan(1);
  });

  it('oversubscribes 1.3× (POLCA) by capping GPUs to (11,112/1.3 − 5,512)/8 W when all run flat out', () => {
    const c = chainFor('hgx-h100-8gpu', PROVISIONING_POLICIES['polca-oversubscribed']);
    expect(c.budgetW).toBeCloseTo(11112 / 1.3, 9);
    expect(c.worstCaseGpuCapW).toBeCloseTo((11112 / 1.3 - 5512) / 8, 9);
    const acc = getAccelerator(catalog, 'h100-sxm');
    const i = acc.idleWatts.value / 700;
    const expected = Math.pow(
      (c.worstCaseGpuCapW / 700 - i) / (1 - i),
      1 / CAP_CURVES['llm-inference'].exponent,
    );
    expect(c.worstCaseThroughputFraction).toBeCloseTo(expected, 12);
    // At 40% activity the natural draw is below the cap: no loss.
    expect(
      chainThroughputFractionAt({
        chain: c,
        accelerator: acc,
        policy: PROVISIONING_POLICIES['polca-oversubscribed'],
        activityLoad: 0.4,
      }),
    ).toBe(1);
  });

  it('divides by in-rack conversion efficiencies when stages are given: ÷ (0.96 × 0.98)', () => {
    const c = chainFor('hgx-h100-8gpu', {
      ...PROVISIONING_POLICIES.nameplate,
      name: 'dc-stated',
      conversionStages: RAPS_CONVERSION_STAGES,
    });
    expect(c.provisionedW).toBeCloseTo(11112 / (0.96 * 0.98), 9);
    expect(c.conversionLossW).toBeCloseTo(11112 / (0.96 * 0.98) - 11112, 9);
  });

  it('refuses oversubscription that leaves accelerators at or below idle', () => {
    expect(() =>
      chainFor('hgx-h100-8gpu', {
        ...PROVISIONING_POLICIES.nameplate,
        name: 'too-much',
        oversubscriptionRatio: { value: 3, ref: { source: 'test' } },
      }),
    ).toThrow(/lower the oversubscription/);
  });

  it('uses the same cap exponent as the serving twin (sim/power/power-cap.ts)', () => {
    expect(CAP_CURVES['llm-inference'].exponent).toBeCloseTo(
      POWER_CAP_CURVES['llm-inference'].exponent,
      12,
    );
  });

  it('keeps 0.5^(1/3) of throughput at half TDP on the cubic curve', () => {
    expect(
      cappedThroughputFraction({
        capFraction: 0.5,
        activityLoad: 1,
        idleFraction: 0,
        curve: CAP_CURVES['dvfs-cubic'],
      }),
    ).toBeCloseTo(0.5 ** (1 / 3), 12);
  });
});
