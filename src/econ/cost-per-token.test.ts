import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  costPerToken,
  TOKEN_KINDS,
  type CostPerTokenInput,
  type CostSplit,
} from './cost-per-token.js';
import { computeTco } from './tco.js';

const BASIS = {
  model: 'm',
  precision: 'fp8',
  workload: 'chat',
  slo: 'none' as const,
  utilization: 'busy 80%',
  source: 'test',
};
/** 36 USD/h over 3000 uncached + 1000 cached input and 1000 output tok/s. */
const BASE: CostPerTokenInput = {
  usdPerHour: 36,
  currencyYear: 'USD-2026',
  tokensPerSecond: { uncachedInput: 3000, cachedInput: 1000, output: 1000 },
  split: { rule: 'total-tokens' },
  basis: BASIS,
};

describe('cost per token', () => {
  it('prices every token alike under total-tokens', () => {
    // 36 USD/h ÷ (5000 tok/s × 3600 s / 1e6) = 36 / 18 = 2 USD per 1M tokens, every kind
    const r = costPerToken(BASE);
    for (const k of [...TOKEN_KINDS, 'blended'] as const)
      expect(r.usdPerMillion[k].value).toBeCloseTo(2, 12);
  });

  it('prices by an API-sheet ratio', () => {
    // Σ w·N = 1·3000 + 0.1·1000 + 4·1000 = 7100; per 1M = w × 36e6 / (3600 × 7100) = w × 1.408451
    const r = costPerToken({
      ...BASE,
      split: { rule: 'price-ratio', ratio: { uncachedInput: 1, cachedInput: 0.1, output: 4 } },
    });
    expect(r.usdPerMillion.uncachedInput.value).toBeCloseTo(1.408451, 6);
    expect(r.usdPerMillion.cachedInput.value).toBeCloseTo(0.1408451, 7);
    expect(r.usdPerMillion.output.value).toBeCloseTo(5.633803, 6);
    expect(r.usdPerMillion.blended.value).toBeCloseTo(2, 12);
  });

  it('charges each kind the accelerator time it takes', () => {
    // prefill 1e-4 s/token × 3000 = 0.3 s/s, decode 7e-4 × 1000 = 0.7 s/s ⇒ output carries 70% of the cost:
    // 0.7 × 36 USD/h / (1000 × 3600 / 1e6) = 25.2 / 3.6 = 7 USD per 1M output tokens
    const r = costPerToken({
      ...BASE,
      split: {
        rule: 'accelerator-time',
        acceleratorSecondsPerToken: { uncachedInput: 1e-4, cachedInput: 0, output: 7e-4 },
      },
    });
    expect(r.costShare.output).toBeCloseTo(0.7, 12);
    expect(r.usdPerMillion.output.value).toBeCloseTo(7, 10);
    expect(r.usdPerMillion.cachedInput.value).toBe(0);
  });

  it('names the rule, currency-year and utilization in every metric', () => {
    const r = costPerToken({ ...BASE, outputGoodputTokensPerSecond: 800 });
    const m = r.usdPerMillion.output;
    expect(m.name).toContain('total-tokens');
    expect(m.basis.source).toContain('total-tokens');
    expect(m.basis.currencyYear).toBe('USD-2026');
    expect(m.basis.provenance).toBe('modeled');
    expect(m.basis.utilization).toContain('busy 80%');
    expect(m.basis.utilization).toContain('goodput 80%');
  });

  it('prices a request and a session from the per-kind prices', () => {
    // total-tokens at 2 USD/1M: 2000 + 500 + 500 tokens = 3000 tokens = 0.006 USD; a 10× session 0.06 USD
    const t = { uncachedInput: 2000, cachedInput: 500, output: 500 };
    const r = costPerToken({
      ...BASE,
      tokensPerRequest: t,
      tokensPerSession: { uncachedInput: 20_000, cachedInput: 5000, output: 5000 },
    });
    expect(r.usdPerRequest!.value).toBeCloseTo(0.006, 12);
    expect(r.usdPerSession!.value).toBeCloseTo(0.06, 12);
  });

  const split = fc.oneof(
    fc.constant<CostSplit>({ rule: 'total-tokens' }),
    fc
      .tuple(
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
      )
      .map(([a, b, c]): CostSplit => ({
        rule: 'price-ratio',
        ratio: { uncachedInput: a, cachedInput: b, output: c },
      })),
    fc
      .tuple(
        fc.double({ min: 1e-6, max: 1e-2, noNaN: true }),
        fc.double({ min: 0, max: 1e-3, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e-2, noNaN: true }),
      )
      .map(([a, b, c]): CostSplit => ({
        rule: 'accelerator-time',
        acceleratorSecondsPerToken: { uncachedInput: a, cachedInput: b, output: c },
      })),
  );
  const rates = fc.record({
    uncachedInput: fc.double({ min: 1, max: 1e6, noNaN: true }),
    cachedInput: fc.double({ min: 0, max: 1e6, noNaN: true }),
    output: fc.double({ min: 1, max: 1e6, noNaN: true }),
  });

  it('recovers the hourly cost from the prices of the good tokens', () => {
    fc.assert(
      fc.property(
        split,
        rates,
        fc.double({ min: 0.01, max: 1e5, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (s, n, usd, g) => {
          const r = costPerToken({
            ...BASE,
            usdPerHour: usd,
            tokensPerSecond: n,
            split: s,
            outputGoodputTokensPerSecond: g * n.output,
          });
          const recovered = TOKEN_KINDS.reduce(
            (a, k) => a + (r.usdPerMillion[k].value * r.goodputShare * n[k] * 3600) / 1e6,
            0,
          );
          expect(recovered / usd).toBeCloseTo(1, 9);
        },
      ),
    );
  });

  /** Cost per 1M output tokens of 8 GPUs at utilization u: tokens ∝ u, power idle → peak with u. */
  const outputPrice = (o: {
    capexUsd: number;
    priceUsdPerKwh: number;
    utilization: number;
    goodput: number;
    s: CostSplit;
  }) => {
    const watts = 8 * (100 + (700 - 100) * o.utilization) * 1.3;
    const tco = computeTco({
      currencyYear: 'USD-2026',
      numGpus: 8,
      amortization: 'annuity',
      costOfCapital: 0.08,
      capex: [{ item: 'systems', capexUsd: o.capexUsd, lifeYears: 4, maintained: true }],
      energy: { facilityPowerWatts: watts, priceUsdPerKwh: o.priceUsdPerKwh },
    });
    const out = 20_000 * o.utilization;
    return costPerToken({
      ...BASE,
      usdPerHour: tco.usdPerHour,
      tokensPerSecond: { uncachedInput: 3 * out, cachedInput: out, output: out },
      outputGoodputTokensPerSecond: o.goodput * out,
      split: o.s,
    }).usdPerMillion.output.value;
  };
  const point = fc.record({
    capexUsd: fc.double({ min: 1e4, max: 1e7, noNaN: true }),
    priceUsdPerKwh: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
    utilization: fc.double({ min: 0.01, max: 0.9, noNaN: true }),
    goodput: fc.double({ min: 0.05, max: 0.9, noNaN: true }),
    s: split,
  });

  it('rises with the energy price and with capex', () => {
    fc.assert(
      fc.property(
        point,
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        fc.double({ min: 100, max: 1e6, noNaN: true }),
        (p, dPrice, dCapex) => {
          const base = outputPrice(p);
          expect(outputPrice({ ...p, priceUsdPerKwh: p.priceUsdPerKwh + dPrice })).toBeGreaterThan(
            base,
          );
          expect(outputPrice({ ...p, capexUsd: p.capexUsd + dCapex })).toBeGreaterThan(base);
        },
      ),
    );
  });

  it('falls with utilization and with goodput', () => {
    fc.assert(
      fc.property(point, fc.double({ min: 0.01, max: 0.1, noNaN: true }), (p, d) => {
        const base = outputPrice(p);
        expect(outputPrice({ ...p, utilization: p.utilization + d })).toBeLessThan(base);
        expect(outputPrice({ ...p, goodput: p.goodput + d })).toBeLessThan(base);
      }),
    );
  });

  it('refuses goodput above output and weights that zero every token', () => {
    expect(() => costPerToken({ ...BASE, outputGoodputTokensPerSecond: 1001 })).toThrow(/goodput/);
    expect(() =>
      costPerToken({
        ...BASE,
        split: { rule: 'price-ratio', ratio: { uncachedInput: 0, cachedInput: 0, output: 0 } },
      }),
    ).toThrow(/zero weight/);
  });
});
