import { describe, expect, it } from 'vitest';
import { getSystem } from '../catalog/catalog.js';
import { DEFAULT_CALIBRATION } from './calibration.js';
import { memoryFit } from './memory.js';
import {
  acceleratorPowerWatts,
  activityLoad,
  replicaPower,
  scaleActivity,
  tokensPerJoule,
  tokensPerMegawatt,
} from './power.js';
import { steadyState } from './steady-state.js';
import { catalog, deployment, prepared } from './test-support.js';

const p = prepared(deployment('llama-3.1-70b', 'h100-sxm', 'fp8', { tp: 2 }));
const idle = { computeBoundShare: 0, memoryBoundShare: 0, otherBusyShare: 0 };

describe('power model', () => {
  it('draws idle power with no activity and TDP when compute-bound all the time', () => {
    const acc = p.deployment.accelerator;
    expect(acceleratorPowerWatts(p, idle)).toBe(acc.idleWatts.value);
    expect(acceleratorPowerWatts(p, { ...idle, computeBoundShare: 1 })).toBe(acc.tdpWatts.value);
  });

  it('puts memory-bound decode at about half the dynamic range (Splitwise: H100 decode ~380 W)', () => {
    const decode = acceleratorPowerWatts(p, { ...idle, memoryBoundShare: 1 });
    expect(decode).toBeGreaterThan(350);
    expect(decode).toBeLessThan(420);
  });

  it('derives shares from the iterations: small-batch decode is memory-bound, heavy prefill compute-bound', () => {
    const m = memoryFit(p);
    const run = (isl: number, osl: number, b: number) =>
      steadyState({
        prepared: p,
        calibration: DEFAULT_CALIBRATION.params,
        memory: m,
        request: { inputTokens: isl, outputTokens: osl },
        concurrency: b,
        arrivals: 'closed-loop',
      }).activity;
    const decode = run(100, 2000, 4);
    const prefill = run(8000, 2, 64);
    expect(decode.memoryBoundShare).toBeGreaterThan(decode.computeBoundShare);
    expect(prefill.computeBoundShare).toBeGreaterThan(prefill.memoryBoundShare);
    for (const a of [decode, prefill])
      expect(a.computeBoundShare + a.memoryBoundShare + a.otherBusyShare).toBeLessThanOrEqual(
        1 + 1e-9,
      );
    expect(activityLoad(prefill)).toBeGreaterThan(activityLoad(decode));
  });

  it('scales activity with the share of capacity a replica carries', () => {
    const a = { computeBoundShare: 0.4, memoryBoundShare: 0.4, otherBusyShare: 0.2 };
    expect(activityLoad(scaleActivity(a, 0.5))).toBeCloseTo(activityLoad(a) / 2, 12);
  });

  it('orders tokens per joule chip ≥ node ≥ facility and labels every boundary', () => {
    const power = replicaPower(
      p,
      { computeBoundShare: 0.3, memoryBoundShare: 0.5, otherBusyShare: 0.1 },
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
