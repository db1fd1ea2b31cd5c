import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parseScenarioYaml, type Scenario } from '../scenario/index.js';
import { renderCostReport } from '../cli/cost-text.js';
import { costFromEstimate, costFromRun } from './cost.js';
import { estimateScenario } from './estimate.js';
import { simulateScenario } from './simulate.js';

const catalog = defaultCatalog();
const FILE = 'examples/llama70b-fp8-h100.yaml';
const baseYaml = readFileSync(FILE, 'utf8');
const withEconomics = (economics: string): Scenario =>
  parseScenarioYaml(`${baseYaml}\neconomics: ${economics}\n`, FILE);
const costOf = (economics: string) => {
  const scenario = withEconomics(economics);
  return costFromEstimate(estimateScenario(scenario, catalog, BUILTIN_CALIBRATION), {
    scenario,
    catalog,
  });
};

describe('cost from an estimate', () => {
  const report = costOf('{ ownership: own, depreciationYears: 5, costOfCapital: 0.08 }');
  const point = report.deployments[0]!.points[0]!;

  it('sums the waterfall to the hourly cost and spreads it over the GPUs', () => {
    const sum = point.tco.waterfall.reduce((a, w) => a + w.usdPerHour, 0);
    expect(sum).toBe(point.tco.usdPerHour);
    expect(point.usdPerGpuHour.value).toBe(point.tco.usdPerHour / 8);
    expect(point.tco.waterfall.map((w) => w.item)).toEqual([
      'systems',
      'energy',
      'maintenance',
      'colocation',
    ]);
  });

  it('amortizes the catalog system price as an annuity at the stated cost of capital', () => {
    // DGX H100 270,000 USD × CRF(0.08, 5) 0.2504565 / 8760 = 7.719551 USD/hour
    const systems = point.tco.waterfall.find((w) => w.item === 'systems')!;
    expect(systems.usdPerHour).toBeCloseTo(7.719551, 5);
  });

  it("prices energy at the region's sourced tariff and the scenario's PUE", () => {
    const energy = point.tco.waterfall.find((w) => w.item === 'energy')!;
    // us-va 0.0892 USD/kWh × facility power drawn (site.pue 1.25 applied by the estimate)
    expect(energy.usdPerHour).toBeCloseTo((point.facilityPowerWatts / 1000) * 0.0892, 9);
    expect(report.defaultsApplied.map((d) => d.path)).toEqual(
      expect.arrayContaining([
        'site.energyPriceUsdPerKwh',
        'economics.systemCapexUsd',
        'economics.colocationUsdPerKwMonth',
        'economics.maintenanceShareOfCapexPerYear',
        'economics.currencyYear',
      ]),
    );
  });

  it('reports cost per 1M tokens of each kind with the split rule in the basis', () => {
    const c = point.costPerToken;
    expect(c.rule).toBe('accelerator-time');
    expect(c.usdPerMillion.output.basis.source).toContain('accelerator-time');
    expect(c.usdPerMillion.output.basis.currencyYear).toBe('USD-2026');
    expect(c.usdPerMillion.output.value).toBeGreaterThan(c.usdPerMillion.uncachedInput.value);
    expect(c.usdPerRequest!.value).toBeGreaterThan(0);
  });

  it('lists omitted cost items as assumptions rather than inventing them', () => {
    expect(report.assumptions.join('\n')).toMatch(/networking capex is NOT included/);
    expect(report.assumptions.join('\n')).toMatch(/staff cost is NOT included/);
  });

  it('costs more per token at a higher energy price', () => {
    const cheap = costOf('{ ownership: own, energyPriceUsdPerKwh: 0.05 }').deployments[0]!
      .points[0]!;
    const dear = costOf('{ ownership: own, energyPriceUsdPerKwh: 0.15 }').deployments[0]!
      .points[0]!;
    expect(dear.costPerToken.usdPerMillion.output.value).toBeGreaterThan(
      cheap.costPerToken.usdPerMillion.output.value,
    );
  });

  it('charges the sourced on-demand price when renting, and nothing else', () => {
    // H100 on-demand 4.25 USD/GPU-hour (hyperscaler range 3.50–5.00 midpoint); no staff or software stated
    const rent = costOf('{ ownership: rent, depreciationYears: 5 }');
    const p = rent.deployments[0]!.points[0]!;
    expect(p.usdPerGpuHour.value).toBeCloseTo(4.25, 12);
    expect(rent.notUsed).toEqual(['economics.depreciationYears (not used when ownership is rent)']);
  });

  it('uses a price-ratio split stated in the scenario', () => {
    const r = costOf(
      '{ ownership: own, costSplit: { rule: price-ratio, ratio: { uncachedInput: 1, cachedInput: 0.1, output: 4 } } }',
    );
    const c = r.deployments[0]!.points[0]!.costPerToken;
    expect(c.rule).toBe('price-ratio');
    expect(c.usdPerMillion.output.value / c.usdPerMillion.uncachedInput.value).toBeCloseTo(4, 12);
  });

  it('renders the waterfall, the GPU-hour price and the split rule as text', () => {
    const text = renderCostReport(report);
    expect(text).toMatch(/Cost waterfall/);
    expect(text).toMatch(/USD per GPU-hour/);
    expect(text).toMatch(/split rule accelerator-time/);
    expect(text).toMatch(/basis: modeled; llama-3.1-70b fp8/);
  });
});

describe('cost from a run', () => {
  it('counts only token goodput and sums the waterfall exactly', () => {
    const scenario = parseScenarioYaml(
      `${baseYaml}\nsimulation: { durationSeconds: 60, warmupSeconds: 10 }\neconomics: { ownership: own }\n`,
      FILE,
    );
    const run = simulateScenario(scenario, catalog, BUILTIN_CALIBRATION, { toolVersion: 'test' });
    const report = costFromRun(run, { scenario, catalog });
    const p = report.deployments[0]!.points[0]!;
    expect(p.tco.waterfall.reduce((a, w) => a + w.usdPerHour, 0)).toBe(p.tco.usdPerHour);
    const t = run.deployments[0]!.metrics.total;
    expect(p.costPerToken.goodputShare).toBeCloseTo(
      t.tokenGoodputTokensPerSecond / t.outputTokensPerSecond,
      12,
    );
    expect(report.from).toBe('run');
  });
});
