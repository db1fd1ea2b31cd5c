import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokensPerJoule } from '../../perf/power.js';
import {
  EnergyMeter,
  energyAtBoundaries,
  facilityEnergyJoules,
  tokensPerJouleAt,
} from './energy.js';

describe('EnergyMeter', () => {
  it('integrates piecewise-constant power as a sum of rectangles', () => {
    // 50 W on [0, 10), 100 W on [10, 20): 500 + 1000 J.
    const m = new EnergyMeter({ initialPowerWatts: 50 });
    m.setPowerWatts(100, 10);
    expect(m.energyJoules(20)).toBe(1500);
    expect(m.energyJoules(10)).toBe(500);
    expect(m.powerWatts).toBe(100);
  });

  it('keeps totals at checkpoints so a window after warm-up can be read later', () => {
    // 200 W on [0, 5), 400 W on [5, 15), 0 W after; window [10, 20) holds 400·5 = 2000 J.
    const m = new EnergyMeter({ initialPowerWatts: 200, checkpointsSeconds: [20, 10] });
    m.setPowerWatts(400, 5);
    m.setPowerWatts(0, 15);
    m.setPowerWatts(0, 30);
    expect(m.energyBetweenJoules(10, 20)).toBe(2000);
    expect(m.meanPowerWatts(10, 20)).toBe(200);
    expect(m.energyJoules(0)).toBe(0);
  });

  it('refuses a time before the last change that is not a checkpoint', () => {
    const m = new EnergyMeter();
    m.setPowerWatts(10, 5);
    expect(() => m.energyJoules(3)).toThrow(/precedes the last power change .* not a checkpoint/);
    expect(() => m.setPowerWatts(10, 4)).toThrow(/≥ the last change/);
    expect(() => m.setPowerWatts(-1, 6)).toThrow(/power must be finite and ≥ 0 W/);
  });

  const stepFunction = fc.array(
    fc.record({
      dt: fc.double({ min: 0, max: 100, noNaN: true }),
      watts: fc.double({ min: 0, max: 2000, noNaN: true }),
    }),
    { minLength: 1, maxLength: 60 },
  );

  it('equals the sum of rectangles of a random step function', () => {
    fc.assert(
      fc.property(stepFunction, (steps) => {
        const m = new EnergyMeter();
        let t = 0;
        let watts = 0;
        let rectangles = 0;
        for (const s of steps) {
          rectangles += watts * s.dt;
          t += s.dt;
          m.setPowerWatts(s.watts, t);
          watts = s.watts;
        }
        rectangles += watts * 10;
        expect(m.energyJoules(t + 10)).toBeCloseTo(rectangles, 6);
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it('is additive over a split of the interval: E(a, c) = E(a, b) + E(b, c)', () => {
    fc.assert(
      fc.property(
        stepFunction,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (steps, u, v, w) => {
          const span = steps.reduce((acc, s) => acc + s.dt, 0) + 1;
          const [a, b, c] = [u * span, v * span, w * span].sort((x, y) => x - y) as [
            number,
            number,
            number,
          ];
          const m = new EnergyMeter({ checkpointsSeconds: [a, b, c] });
          let t = 0;
          for (const s of steps) m.setPowerWatts(s.watts, (t += s.dt));
          m.setPowerWatts(0, span);
          const whole = m.energyBetweenJoules(a, c);
          expect(m.energyBetweenJoules(a, b) + m.energyBetweenJoules(b, c)).toBeCloseTo(whole, 6);
          expect(whole).toBeGreaterThanOrEqual(0);
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });
});

describe('energy at named boundaries', () => {
  it('gives facility energy as IT · PUE plus fixed overheads', () => {
    expect(facilityEnergyJoules({ itEnergyJoules: 1000, pue: 1.25 })).toBe(1250);
    expect(
      facilityEnergyJoules({
        itEnergyJoules: 1000,
        pue: 1.5,
        overheadWatts: 10,
        durationSeconds: 20,
      }),
    ).toBe(1700);
    expect(() => facilityEnergyJoules({ itEnergyJoules: 1, pue: 0.9 })).toThrow(/pue must be ≥ 1/);
  });

  it('labels chip, node and facility energy', () => {
    expect(
      energyAtBoundaries({ chipEnergyJoules: 700, nodeEnergyJoules: 1000, pue: 1.2 }),
    ).toStrictEqual([
      { boundary: 'chip', energyJoules: 700 },
      { boundary: 'node', energyJoules: 1000 },
      { boundary: 'facility', energyJoules: 1200 },
    ]);
    expect(() => energyAtBoundaries({ chipEnergyJoules: 2, nodeEnergyJoules: 1, pue: 1 })).toThrow(
      /chip .* ≤ node/,
    );
  });

  it('gives tokens per joule with its boundary and mean power', () => {
    expect(
      tokensPerJouleAt({
        outputTokens: 500,
        windowSeconds: 10,
        energy: { boundary: 'chip', energyJoules: 1000 },
      }),
    ).toStrictEqual({
      boundary: 'chip',
      energyJoules: 1000,
      windowSeconds: 10,
      meanPowerWatts: 100,
      outputTokens: 500,
      tokensPerJoule: 0.5,
      joulesPerToken: 2,
    });
    const none = tokensPerJouleAt({
      outputTokens: 0,
      windowSeconds: 1,
      energy: { boundary: 'node', energyJoules: 1 },
    });
    expect(none.joulesPerToken).toBeNull();
    expect(() =>
      tokensPerJouleAt({
        outputTokens: 1,
        windowSeconds: 1,
        energy: { boundary: 'node', energyJoules: 0 },
      }),
    ).toThrow(/energy at node must be > 0 J/);
  });

  it('agrees with the analytical tokensPerJoule at constant power', () => {
    // 2000 tok/s at 5 kW chip, 6 kW node, PUE 1.3, over 60 s.
    const analytical = tokensPerJoule(2000, {
      chipWatts: 5000,
      nodeWatts: 6000,
      facilityWatts: 7800,
      pue: 1.3,
    });
    const energies = energyAtBoundaries({
      chipEnergyJoules: 5000 * 60,
      nodeEnergyJoules: 6000 * 60,
      pue: 1.3,
    });
    energies.forEach((energy, i) => {
      const simulated = tokensPerJouleAt({ outputTokens: 2000 * 60, windowSeconds: 60, energy });
      expect(simulated.boundary).toBe(analytical[i]!.boundary);
      expect(simulated.tokensPerJoule).toBeCloseTo(analytical[i]!.tokensPerJoule, 12);
      expect(simulated.meanPowerWatts).toBeCloseTo(analytical[i]!.watts, 9);
    });
  });
});
