import { describe, expect, it } from 'vitest';
import { getSystem } from '../../catalog/catalog.js';
import { activityLoad, replicaPower, type Activity } from '../../perf/power.js';
import { catalog, deployment, prepared } from '../../perf/test-support.js';
import { POWER_CAP_CURVES, powerCapSlowdown } from './power-cap.js';
import { energyAtBoundaries, replicaIdlePower, replicaIterationPower } from './replica-power.js';

const p = prepared(deployment('llama-3.1-70b', 'h100-sxm', 'fp8', { tp: 8 }));
const system = getSystem(catalog, 'hgx-h100-8gpu');
const prefill: Activity = { computeBoundShare: 0.9, memoryBoundShare: 0.05, otherBusyShare: 0.05 };
const decode: Activity = { computeBoundShare: 0.05, memoryBoundShare: 0.85, otherBusyShare: 0.1 };
const acc = p.deployment.accelerator;

describe('replica power with caps', () => {
  it('equals perf/power.ts exactly when uncapped', () => {
    const r = replicaIterationPower({ prepared: p, activity: prefill, system, pue: 1.25 });
    expect(r.power).toEqual(replicaPower(p, prefill, system, 1.25));
    expect([r.slowdownFactor, r.capped]).toEqual([1, false]);
  });

  it('draws exactly the cap per board and stretches the iteration by the curve', () => {
    const capWatts = 500;
    const r = replicaIterationPower({
      prepared: p,
      activity: prefill,
      system,
      pue: 1.25,
      capWatts,
    });
    expect(r.acceleratorWatts).toBeCloseTo(capWatts, 9);
    expect(r.power.chipWatts).toBeCloseTo(capWatts * 8, 9);
    const expected = powerCapSlowdown({
      capFraction: capWatts / acc.tdpWatts.value,
      activityLoad: activityLoad(prefill),
      idleFraction: acc.idleWatts.value / acc.tdpWatts.value,
    }).slowdownFactor;
    expect(r.slowdownFactor).toBe(expected);
    expect(r.slowdownFactor).toBeGreaterThan(1);
  });

  it('lowers node and facility power with the boards, keeping facility = node × PUE', () => {
    const r = replicaIterationPower({
      prepared: p,
      activity: prefill,
      system,
      pue: 1.25,
      capWatts: 500,
    });
    expect(r.power.nodeWatts).toBeLessThan(r.uncapped.nodeWatts);
    expect(r.power.nodeWatts).toBeGreaterThan(r.power.chipWatts);
    expect(r.power.facilityWatts).toBeCloseTo(r.power.nodeWatts * 1.25, 9);
  });

  it('leaves memory-bound decode untouched by a cap above its natural draw', () => {
    const natural = replicaPower(p, decode, system, 1.2).chipWatts / 8;
    const r = replicaIterationPower({
      prepared: p,
      activity: decode,
      system,
      pue: 1.2,
      capWatts: natural + 1,
      curve: POWER_CAP_CURVES['dvfs-cubic'],
    });
    expect([r.slowdownFactor, r.capped]).toEqual([1, false]);
  });

  it('spends less energy per capped prefill iteration than uncapped with the default curve', () => {
    const r = replicaIterationPower({
      prepared: p,
      activity: prefill,
      system,
      pue: 1.25,
      capWatts: 500,
    });
    const capped = energyAtBoundaries(r.power, 0.1 * r.slowdownFactor);
    const uncapped = energyAtBoundaries(r.uncapped, 0.1);
    expect(capped.chipJoules).toBeLessThan(uncapped.chipJoules);
    expect(capped.facilityJoules).toBeCloseTo(capped.nodeJoules * 1.25, 9);
  });

  it('gives idle power: boards at idle plus the host at idle and the network share', () => {
    const idle = replicaIdlePower({ prepared: p, system, pue: 1.3 });
    expect(idle.chipWatts).toBe(acc.idleWatts.value * 8);
    expect(idle.nodeWatts).toBeCloseTo(
      idle.chipWatts + system.hostIdlePowerWatts.value + system.networkPowerWatts.value,
      9,
    );
    expect(idle.facilityWatts).toBeCloseTo(idle.nodeWatts * 1.3, 9);
  });

  it('refuses a cap at or below idle power and a PUE below 1', () => {
    expect(() =>
      replicaIterationPower({
        prepared: p,
        activity: prefill,
        pue: 1.2,
        capWatts: acc.idleWatts.value,
      }),
    ).toThrow(/capFraction must exceed idleFraction/);
    expect(() => replicaIterationPower({ prepared: p, activity: prefill, pue: 0.9 })).toThrow(
      /pue must be ≥ 1/,
    );
  });
});
