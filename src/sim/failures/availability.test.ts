import { describe, expect, it } from 'vitest';
import { distributionMean } from '../../core/distributions.js';
import { createRng } from '../../core/rng.js';
import { createAvailabilityTracker } from './availability.js';
import { createFailureProcess } from './process.js';

/**
 * Hand-made timeline, 3 replicas, at least 2 needed, window [0, 100] s:
 * t=10 r0 down, t=20 r1 down, t=30 r0 up, t=50 SLOs missed, t=60 SLOs met, t=70 r1 up,
 * t=80 r2 down. numUp: 3 (0–10), 2 (10–20), 1 (20–30), 2 (30–70), 3 (70–80), 2 (80–100).
 */
function handTimeline() {
  const t = createAvailabilityTracker({ numReplicas: 3, minReplicasUp: 2 });
  t.setUp(0, false, 10);
  t.setUp(1, false, 20);
  t.setUp(0, true, 30);
  t.setSlosMet(false, 50);
  t.setSlosMet(true, 60);
  t.setUp(1, true, 70);
  t.setUp(2, false, 80);
  return t;
}

describe('createAvailabilityTracker', () => {
  it('integrates the capacity fraction exactly: 210 replica-seconds of 300', () => {
    expect(handTimeline().report(100).meanCapacityFraction).toBe(0.7);
  });

  it('counts the time with at least the minimum replicas up: 90 of 100 s', () => {
    expect(handTimeline().report(100).capacityAvailability).toBe(0.9);
  });

  it('ANDs the SLO signal into service availability: 80 of 100 s', () => {
    expect(handTimeline().report(100).serviceAvailability).toBe(0.8);
  });

  it('reports per-replica availability, failures, repairs, observed MTBF and MTTR', () => {
    const r = handTimeline().report(100);
    expect(r.replicas.map((x) => [x.upSeconds, x.numFailures, x.numRepairs])).toEqual([
      [80, 1, 1],
      [50, 1, 1],
      [80, 1, 0],
    ]);
    expect(r.replicas.map((x) => x.availability)).toEqual([0.8, 0.5, 0.8]);
    expect(r.replicas.map((x) => x.observedMttrSeconds)).toEqual([20, 50, undefined]);
    expect(r.replicas.map((x) => x.observedMtbfSeconds)).toEqual([80, 50, 80]);
  });

  it('pools fleet MTBF (210 up-seconds / 3 failures) and MTTR (70 s / 2 repairs)', () => {
    const r = handTimeline().report(100);
    expect([r.numFailures, r.numRepairs]).toEqual([3, 2]);
    expect(r.observedMtbfSeconds).toBe(70);
    expect(r.observedMttrSeconds).toBe(35);
  });

  it('records the number of replicas up after every change', () => {
    expect(handTimeline().report(100).capacitySteps).toEqual([
      { atSeconds: 0, numUp: 3 },
      { atSeconds: 10, numUp: 2 },
      { atSeconds: 20, numUp: 1 },
      { atSeconds: 30, numUp: 2 },
      { atSeconds: 70, numUp: 3 },
      { atSeconds: 80, numUp: 2 },
    ]);
  });

  it('merges changes at the same instant into one capacity step', () => {
    const t = createAvailabilityTracker({ numReplicas: 2, minReplicasUp: 1 });
    t.setUp(0, false, 5);
    t.setUp(1, false, 5);
    expect(t.report(10).capacitySteps).toEqual([
      { atSeconds: 0, numUp: 2 },
      { atSeconds: 5, numUp: 0 },
    ]);
  });

  it('reports mid-run without changing what it reports later', () => {
    const t = handTimeline();
    const early = t.report(90);
    expect(early.capacityAvailability).toBeCloseTo(80 / 90, 15);
    expect(t.report(100)).toEqual(handTimeline().report(100));
  });

  it('ignores setting a replica to the state it is already in', () => {
    const t = createAvailabilityTracker({ numReplicas: 1, minReplicasUp: 1 });
    t.setUp(0, true, 5);
    t.setUp(0, false, 10);
    t.setUp(0, false, 12);
    const r = t.report(20);
    expect([r.numFailures, r.replicas[0]!.upSeconds]).toEqual([1, 10]);
  });

  it('does not count a replica that starts down and comes up as a repair', () => {
    const t = createAvailabilityTracker({ numReplicas: 1, minReplicasUp: 1, initiallyUp: false });
    t.setUp(0, true, 30);
    const r = t.report(100);
    expect([r.numRepairs, r.capacityAvailability]).toEqual([0, 0.7]);
  });

  it('refuses time going backwards and unknown replicas', () => {
    const t = createAvailabilityTracker({ numReplicas: 2, minReplicasUp: 1 });
    t.setUp(0, false, 10);
    expect(() => t.setUp(1, false, 9)).toThrow(/time must be finite and ≥ 10/);
    expect(() => t.setUp(2, false, 11)).toThrow(/no replica 2/);
    expect(() => createAvailabilityTracker({ numReplicas: 2, minReplicasUp: 3 })).toThrow(
      /minReplicasUp must be an integer in \[0, 2\]/,
    );
  });

  it('converges to MTBF/(MTBF + MTTR) for one replica over 20,000 failure–repair cycles (±0.006)', () => {
    const repairHours = { dist: 'lognormal', median: 4, p90: 24 } as const;
    const mttrHours = distributionMean(repairHours); // ≈ 10.63 h
    const mtbfHours = 100;
    const p = createFailureProcess({
      acceleratorsPerReplica: 1,
      mtbfHours,
      repairHours,
      rng: createRng(2024, 'availability'),
    });
    const t = createAvailabilityTracker({ numReplicas: 1, minReplicasUp: 1 });
    let now = 0;
    for (let i = 0; i < 20000; i++) {
      now += p.nextFailureDelaySeconds();
      t.setUp(0, false, now);
      now += p.repairDelaySeconds();
      t.setUp(0, true, now);
    }
    const r = t.report(now);
    // A = 100 / 110.63 ≈ 0.904; delta-method σ of the estimate ≈ 0.0017 ⇒ 0.006 ≈ 3.5σ
    expect(Math.abs(r.capacityAvailability - mtbfHours / (mtbfHours + mttrHours))).toBeLessThan(
      0.006,
    );
    // relative σ: MTBF 0.7%, MTTR ≈ 1.7% (lognormal CV ≈ 2.46)
    expect(Math.abs(r.observedMtbfSeconds! / 3600 / mtbfHours - 1)).toBeLessThan(0.03);
    expect(Math.abs(r.observedMttrSeconds! / 3600 / mttrHours - 1)).toBeLessThan(0.07);
  });
});
