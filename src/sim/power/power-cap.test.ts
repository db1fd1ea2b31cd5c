import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  capFractionForThroughput,
  DEFAULT_POWER_CAP_CURVE,
  exponentFromCapMeasurement,
  FIT_IDLE_FRACTION,
  META_GB200_PROVISIONED_CAP_FRACTION,
  POWER_CAP_CURVES,
  powerCapSlowdown,
  SAMSI_POWER_CAP_POINT,
} from './power-cap.js';

const H100_IDLE_FRACTION = 80 / 700; // catalog h100-sxm: round(700 × 80.3/700) = 80 W
const curves = Object.values(POWER_CAP_CURVES);

describe('power cap curve', () => {
  it('fits the llm-inference exponent to the published 250 W → 175 W point: α ≈ 6.0', () => {
    // uncapped draw 175·1.065/0.77 = 242.05 W; idle 250·80.3/700 = 28.68 W
    // α = ln(213.37/146.32)/ln(1.065) = 0.3772/0.0630 ≈ 5.99
    expect(DEFAULT_POWER_CAP_CURVE.name).toBe('llm-inference');
    expect(DEFAULT_POWER_CAP_CURVE.exponent).toBeGreaterThan(5.9);
    expect(DEFAULT_POWER_CAP_CURVE.exponent).toBeLessThan(6.1);
    expect(FIT_IDLE_FRACTION.value).toBeCloseTo(80.3 / 700, 12);
  });

  it('reproduces the fitted point: 6.5% slowdown and 23% less energy at 175 of 250 W', () => {
    const limit = SAMSI_POWER_CAP_POINT.uncappedLimitWatts.value;
    const naturalFraction = (175 * 1.065) / 0.77 / limit;
    const i = FIT_IDLE_FRACTION.value;
    const r = powerCapSlowdown({
      capFraction: 175 / limit,
      activityLoad: (naturalFraction - i) / (1 - i),
      idleFraction: i,
    });
    expect(r.slowdownFactor).toBeCloseTo(1.065, 10);
    // energy ratio = (capped power × stretched time) / (natural power × time)
    expect((r.powerFraction * r.slowdownFactor) / r.naturalPowerFraction).toBeCloseTo(0.77, 10);
  });

  it('computes the dvfs-cubic slowdown in closed form: halving dynamic power costs 2^(1/3)', () => {
    const r = powerCapSlowdown({
      capFraction: 0.5,
      activityLoad: 1,
      idleFraction: 0,
      curve: POWER_CAP_CURVES['dvfs-cubic'],
    });
    expect(r.slowdownFactor).toBeCloseTo(Math.cbrt(2), 14);
    expect(r.throughputFraction).toBeCloseTo(1 / Math.cbrt(2), 14);
    expect([r.powerFraction, r.cappedLoad, r.capped]).toEqual([0.5, 0.5, true]);
  });

  it('costs a fully loaded H100 under 5% (llm-inference) and under 10% (dvfs-cubic) at 80% of TDP', () => {
    const at = (curve = DEFAULT_POWER_CAP_CURVE) =>
      powerCapSlowdown({
        capFraction: META_GB200_PROVISIONED_CAP_FRACTION.value,
        activityLoad: 1,
        idleFraction: H100_IDLE_FRACTION,
        curve,
      }).slowdownFactor;
    // (0.8857/0.6857)^(1/6) ≈ 1.044; (…)^(1/3) ≈ 1.089
    expect(at()).toBeCloseTo(1.044, 3);
    expect(at(POWER_CAP_CURVES['dvfs-cubic'])).toBeCloseTo(1.089, 3);
  });

  it('never slows a board whose natural draw is at or below the cap', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (idle, load, headroom) => {
          const natural = idle + (1 - idle) * load;
          const cap = natural + headroom * (1.5 - natural);
          if (!(cap > idle)) return;
          for (const curve of curves) {
            const r = powerCapSlowdown({
              capFraction: cap,
              activityLoad: load,
              idleFraction: idle,
              curve,
            });
            expect(r.slowdownFactor).toBe(1);
            expect(r.powerFraction).toBe(natural);
          }
        },
      ),
      { seed: 6, numRuns: 500 },
    );
  });

  it('never speeds up as the cap is lowered, and never draws more than the cap', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1e-6, max: 1, noNaN: true }),
        fc.double({ min: 1e-6, max: 1, noNaN: true }),
        (idle, load, a, b) => {
          const [hi, lo] = [Math.max(a, b), Math.min(a, b)].map((x) => idle + x * (1.2 - idle));
          for (const curve of curves) {
            const rHi = powerCapSlowdown({
              capFraction: hi!,
              activityLoad: load,
              idleFraction: idle,
              curve,
            });
            const rLo = powerCapSlowdown({
              capFraction: lo!,
              activityLoad: load,
              idleFraction: idle,
              curve,
            });
            expect(rLo.slowdownFactor).toBeGreaterThanOrEqual(rHi.slowdownFactor);
            expect(rLo.slowdownFactor).toBeGreaterThanOrEqual(1);
            expect(rLo.powerFraction).toBeLessThanOrEqual(lo! + 1e-15);
          }
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });

  it('inverts the curve: the cap for a throughput fraction gives that fraction back', () => {
    const input = { activityLoad: 0.9, idleFraction: H100_IDLE_FRACTION };
    const cap = capFractionForThroughput(0.95, input);
    expect(powerCapSlowdown({ ...input, capFraction: cap }).throughputFraction).toBeCloseTo(
      0.95,
      12,
    );
  });

  it('refuses a cap at or below idle power', () => {
    expect(() =>
      powerCapSlowdown({ capFraction: 0.1, activityLoad: 1, idleFraction: 0.1 }),
    ).toThrow(/capFraction must exceed idleFraction/);
  });

  it('refuses a measurement whose capped run did not save energy per unit of slowdown', () => {
    expect(() =>
      exponentFromCapMeasurement({
        capWatts: 175,
        idleWatts: 30,
        latencyRatio: 1.1,
        energyRatio: 1.2,
      }),
    ).toThrow(/uncapped draw > cap > idle/);
  });

  it('labels each curve with its provenance', () => {
    expect(POWER_CAP_CURVES['llm-inference'].ref.provenance).toBe('derived');
    expect(POWER_CAP_CURVES['dvfs-cubic'].ref.provenance).toBe('assumption');
  });
});
