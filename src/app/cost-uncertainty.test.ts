import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parseScenarioYaml } from '../scenario/index.js';
import { costFromEstimate } from './cost.js';
import { costModel, costUncertainty } from './cost-uncertainty.js';
import { estimateScenario } from './estimate.js';

const catalog = defaultCatalog();
const scenario = parseScenarioYaml(
  readFileSync('examples/chat-fleet-h100.yaml', 'utf8'),
  'chat-fleet-h100.yaml',
);
const report = costFromEstimate(estimateScenario(scenario, catalog, BUILTIN_CALIBRATION), {
  scenario,
  catalog,
});
const point = report.deployments[0]!.points[0]!;
const model = costModel(point);

describe('cost model for sensitivity and Monte Carlo', () => {
  it('reproduces the report’s figures exactly at the base inputs', () => {
    const r = costUncertainty(point, { seed: 1 });
    expect(r.base.tcoUsdPerHour).toBe(point.tco.usdPerHour);
    expect(r.base.usdPerMillionOutput).toBe(point.costPerToken.usdPerMillion.output.value);
    expect(r.base.usdPerMillionBlended).toBe(point.costPerToken.usdPerMillion.blended.value);
  });

  it('cost per token rises with energy price and capex and falls with throughput (property)', () => {
    const factor = fc.double({ min: 0.5, max: 2, noNaN: true });
    fc.assert(
      fc.property(factor, factor, (lo, hi) => {
        fc.pre(hi > lo * 1.001);
        const at = (k: string, v: number) => model({ [k]: v }).usdPerMillionOutput;
        expect(at('energyPriceFactor', hi)).toBeGreaterThan(at('energyPriceFactor', lo));
        expect(at('capexFactor', hi)).toBeGreaterThan(at('capexFactor', lo));
        expect(at('throughputFactor', hi)).toBeLessThan(at('throughputFactor', lo));
      }),
    );
  });

  it('halving throughput doubles the cost per token (cost is spread over the tokens served)', () => {
    const base = model({}).usdPerMillionOutput;
    expect(model({ throughputFactor: 0.5 }).usdPerMillionOutput).toBeCloseTo(2 * base, 9);
    // The hourly cost does not depend on throughput.
    expect(model({ throughputFactor: 0.5 }).tcoUsdPerHour).toBe(model({}).tcoUsdPerHour);
  });

  it('tornado: bars sorted by swing, each the model at the input’s low and high', () => {
    const r = costUncertainty(point, { seed: 1, tornadoPct: 20 });
    const bars = r.tornado!.usdPerMillionOutput.bars;
    expect(bars.length).toBe(6); // annuity: cost of capital is varied too
    for (let i = 1; i < bars.length; i++)
      expect(bars[i - 1]!.swing).toBeGreaterThanOrEqual(bars[i]!.swing);
    const capex = bars.find((b) => b.input === 'capexFactor')!;
    expect(capex.lowInput).toBeCloseTo(0.8, 12);
    expect(capex.highOutput).toBe(model({ capexFactor: 1.2 }).usdPerMillionOutput);
  });

  it('Monte Carlo with a fixed seed is reproducible, ordered, and differs with another seed', () => {
    const uncertainty = scenario.economics!.uncertainty!;
    const a = costUncertainty(point, { seed: 7, uncertainty, samples: 500 });
    const b = costUncertainty(point, { seed: 7, uncertainty, samples: 500 });
    const c = costUncertainty(point, { seed: 8, uncertainty, samples: 500 });
    expect(JSON.stringify(a.monteCarlo)).toBe(JSON.stringify(b.monteCarlo));
    expect(JSON.stringify(a.monteCarlo)).not.toBe(JSON.stringify(c.monteCarlo));
    const o = a.monteCarlo!.outputs.usdPerMillionOutput;
    expect(o.p10).toBeLessThanOrEqual(o.p50);
    expect(o.p50).toBeLessThanOrEqual(o.p90);
    // Throughput can only fall (to 0.7) more than rise (to 1.05) and capex rise more than fall:
    // the median cost sits above the base.
    expect(o.p50).toBeGreaterThan(a.base.usdPerMillionOutput);
  });
});
