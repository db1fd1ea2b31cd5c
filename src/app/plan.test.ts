import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultCatalog } from '../catalog/catalog.js';
import { AifError } from '../core/errors.js';
import type { LpSolver } from '../core/lp.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parsePlanObject, type PlanFile } from '../scenario/plan-schema.js';
import { createHighsSolver } from '../solver/highs.js';
import { planCapacity, type PlanReport } from './plan.js';

const catalog = defaultCatalog();
const load = (f: string): PlanFile =>
  parsePlanObject(parse(readFileSync(`examples/${f}`, 'utf8')), f);
let solver: LpSolver;
beforeAll(async () => {
  solver = await createHighsSolver();
});
const run = (file: PlanFile): PlanReport =>
  planCapacity(file, catalog, BUILTIN_CALIBRATION, solver);
/** The Virginia example without its Monte Carlo (faster; the timeline is deterministic). */
const virginia = (): PlanFile => ({ ...load('plan-100mw-virginia.yaml'), monteCarloSamples: 0 });

describe('plan: the 100 MW Virginia example', () => {
  const r = (() => {
    let report: PlanReport | undefined;
    return () => (report ??= run(load('plan-100mw-virginia.yaml')));
  })();

  it('keeps announced and procurable apart, announced ≥ procurable, served ≤ demand', () => {
    for (const t of r().timeline) {
      expect(t.announcedMw).toBeGreaterThanOrEqual(t.procurableMw);
      expect(t.servedTokensPerSecond).toBeLessThanOrEqual(t.demandTokensPerSecond * (1 + 1e-9));
      if (t.procurableMwPercentiles) {
        expect(t.procurableMwPercentiles.p10).toBeLessThanOrEqual(t.procurableMwPercentiles.p50);
        expect(t.procurableMwPercentiles.p90).toBeLessThanOrEqual(t.procurableMw + 1e-9);
      }
    }
    // Nothing serves before the site is procurable (2027-Q4) and systems arrive (lead times).
    expect(r().timeline[0]!.servedTokensPerSecond).toBe(0);
    expect(r().timeline.at(-1)!.servedTokensPerSecond).toBeCloseTo(4e6, 0);
  });

  it('fits systems at the full envelope by power and reads tokens/s at the SLO', () => {
    const site = r().sites[0]!;
    // 100 MW × 4/5 (N+1) ÷ design-day PUE ⇒ usable IT MW.
    expect(site.usableItMwAtFullEnvelope).toBeCloseTo((100 * 0.8) / site.designDayPue, 6);
    const nvl = site.fullBuild.find((b) => b.systemId === 'gb200-nvl72')!;
    expect(nvl.binding).toBe('power');
    expect(nvl.systems).toBeGreaterThan(400);
    const cap = r().capacity.find((c) => c.systemId === 'gb200-nvl72')!;
    expect(nvl.tokensPerSecondByWorkload['coding-agent']).toBeCloseTo(
      nvl.systems * cap.tokensPerSecondPerSystem,
      6,
    );
  });

  it('is reproducible with the same seed', () => {
    expect(JSON.stringify(run(load('plan-100mw-virginia.yaml')))).toBe(JSON.stringify(r()));
  });
});

describe('plan: properties', () => {
  const served = (r: PlanReport) => r.timeline.map((t) => t.servedTokensPerSecond);

  it('a stricter gate list never raises what is served', () => {
    const loose = run({ ...virginia(), require: ['site-control'] });
    const strict = run({
      ...virginia(),
      require: ['power-confirmed', 'permitted', 'financed', 'under-construction'],
    });
    served(strict).forEach((s, i) => expect(s).toBeLessThanOrEqual(served(loose)[i]! + 1e-6));
  });

  it('more power never lowers the capacity at the full envelope', () => {
    const base = run(virginia());
    const more = virginia();
    more.sites = more.sites.map((s) => ({ ...s, powerEnvelopeMw: s.powerEnvelopeMw * 1.2 }));
    const bigger = run(more);
    base.sites[0]!.fullBuild.forEach((b, i) =>
      expect(bigger.sites[0]!.fullBuild[i]!.systems).toBeGreaterThanOrEqual(b.systems),
    );
  });

  it('an installed base drawing on the envelope takes its MW from the usable IT power', () => {
    const base = run(virginia());
    const f = virginia();
    f.sites = f.sites.map((s) => ({ ...s, installedBase: [{ from: '2026-Q1', itMw: 20 }] }));
    const drawn = run(f);
    expect(drawn.sites[0]!.usableItMwAtFullEnvelope).toBeCloseTo(
      base.sites[0]!.usableItMwAtFullEnvelope - 20,
      6,
    );
    expect(drawn.sites[0]!.fullBuild[0]!.systems).toBeLessThan(
      base.sites[0]!.fullBuild[0]!.systems,
    );
  });

  it('a demand restricted to a latency region no site is in goes unserved, with the reason', () => {
    const f = virginia();
    f.demand = f.demand.map((d) => ({ ...d, allowedLatencyRegions: ['eu-west'] }));
    f.sites = f.sites.map((s) => ({ ...s, latencyRegion: 'us-east' }));
    const r = run(f);
    expect(r.timeline.every((t) => t.servedTokensPerSecond === 0)).toBe(true);
    expect(r.placement.unserved.some((u) => u.reason === 'latency')).toBe(true);
  });

  it('a sovereign constraint never lowers cost (objective incl. unserved penalty)', () => {
    const eu = { ...load('plan-eu-sovereign.yaml'), monteCarloSamples: 0 };
    const sovereign = run(eu);
    const open = run({ ...eu, demand: eu.demand.map((d) => ({ ...d, sovereign: false })) });
    expect(sovereign.placement.objectiveValueUsd).toBeGreaterThanOrEqual(
      open.placement.objectiveValueUsd * (1 - 1e-9),
    );
    // The sovereign EU demand is unserved until an EU site is procurable, and says why.
    expect(sovereign.placement.messages.some((m) => /sovereign demand eu-coding/.test(m))).toBe(
      true,
    );
  });
});

describe('plan: bad input', () => {
  it('names the field, the value and the expectation', () => {
    const obj = parse(readFileSync('examples/plan-100mw-virginia.yaml', 'utf8')) as Record<
      string,
      unknown
    >;
    try {
      parsePlanObject({ ...obj, horizon: { start: '2027-Q5', end: '2029-Q4' } }, 'p.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AifError);
      const i = (e as AifError).issues[0]!;
      expect(i.path).toBe('horizon.start');
      expect(i.value).toBe('2027-Q5');
      expect(i.expected).toMatch(/YYYY-Qn/);
    }
  });

  it('refuses an unknown region listing the known ones', () => {
    const f = virginia();
    f.sites = f.sites.map((s) => ({ ...s, region: 'atlantis' }));
    expect(() => run(f)).toThrow(/atlantis/);
  });
});
