import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { prepareSweep, type PreparedSweep, type SweepPoint } from './points.js';
import { parseSweepSpecYaml } from './spec.js';
import {
  arithmeticBisection,
  geometricBisection,
  startStrategy,
  type PointEvaluation,
  type StrategyRun,
} from './strategies.js';

const BASE = parseYaml(readFileSync('examples/chat-fleet-h100.yaml', 'utf8')) as Record<
  string,
  unknown
>;
const RATE = 'workload.classes.0.arrivals.requestsPerSecond';

function capacitySweep(
  tolerance: string,
  low: number,
  high: number,
  axes = '',
  maxIterations = 60,
): PreparedSweep {
  const text = `name: capacity
baseFile: b.yaml
seed: 1
${axes ? `axes:\n${axes}\n` : ''}strategy: { kind: capacity, path: ${RATE}, low: ${low}, high: ${high}, ${tolerance}, maxIterations: ${maxIterations} }
objective: { maximize: goodputTokensPerSecond }
constraints: [{ metric: ttftP99Seconds, max: 2 }]
`;
  return prepareSweep(parseSweepSpecYaml(text, 's.yaml'), BASE, { engineVersion: 'e' });
}

const rateOf = (p: SweepPoint): number => p.assignments.at(-1)!.value as number;

/**
 * Run a strategy against a synthetic monotone feasibility (feasible ⇔ feasibleAt(point)),
 * the way the driver does: evaluate each batch, then ask for the next.
 */
function drive(run: StrategyRun, feasibleAt: (p: SweepPoint) => boolean) {
  const evaluated = new Map<string, PointEvaluation>();
  let batches = 0;
  for (let b = run.next(evaluated); b; b = run.next(evaluated)) {
    batches++;
    for (const p of b)
      evaluated.set(p.key, {
        point: p,
        metrics: { values: {}, absent: {}, bases: [] },
        feasible: feasibleAt(p),
        violations: [],
        warnings: [],
      });
    if (batches > 1000) throw new Error('no end');
  }
  return { batches, summary: run.summary(evaluated), evaluated };
}

// Thresholds away from the ends, tolerances whose ratio is not within 1e-6 of a power of two
// (there the closed form's ceiling and the float comparison may disagree by one round).
const awayFromPowerOfTwo = (x: number): boolean =>
  Math.abs(Math.log2(x) - Math.round(Math.log2(x))) > 1e-6;

describe('capacity search', () => {
  it('arithmetic bisection brackets the threshold in ⌈log2((high − low)/tol)⌉ rounds', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1.01, max: 99.99, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        (threshold, tol) => {
          const low = 1;
          const high = 100;
          fc.pre(awayFromPowerOfTwo((high - low) / tol));
          const prep = capacitySweep(`absoluteTolerance: ${tol}`, low, high);
          const { batches, summary } = drive(startStrategy(prep), (p) => rateOf(p) <= threshold);
          const expected = Math.ceil(Math.log2((high - low) / tol));
          const s = summary.capacity!.searches[0]!;
          expect(s.status).toBe('bracketed');
          expect(s.rounds).toBe(expected);
          expect(summary.capacity!.roundsToTolerance).toBe(expected);
          expect(batches).toBe(expected + 1); // + the bracket round (low and high)
          expect(s.converged).toBe(true);
          expect(s.lowerBound!).toBeLessThanOrEqual(threshold);
          expect(s.upperBound!).toBeGreaterThan(threshold);
          expect(s.upperBound! - s.lowerBound!).toBeLessThanOrEqual(tol);
          expect(s.capacity).toBe(s.lowerBound);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('geometric bisection reaches high/low ≤ 1 + r in ⌈log2(ln(high/low)/ln(1 + r))⌉ rounds', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.51, max: 63.9, noNaN: true }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        (threshold, r) => {
          const low = 0.5;
          const high = 64;
          fc.pre(awayFromPowerOfTwo(Math.log(high / low) / Math.log1p(r)));
          const prep = capacitySweep(`relativeTolerance: ${r}`, low, high);
          const { summary } = drive(startStrategy(prep), (p) => rateOf(p) <= threshold);
          const s = summary.capacity!.searches[0]!;
          expect(s.rounds).toBe(Math.ceil(Math.log2(Math.log(high / low) / Math.log1p(r))));
          expect(s.lowerBound!).toBeLessThanOrEqual(threshold);
          expect(s.upperBound!).toBeGreaterThan(threshold);
          expect(s.upperBound! / s.lowerBound!).toBeLessThanOrEqual(1 + r);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reports a threshold outside [low, high] after the bracket round', () => {
    const prep = capacitySweep('absoluteTolerance: 0.1', 2, 8);
    const below = drive(startStrategy(prep), () => false);
    expect(below.batches).toBe(1);
    expect(below.summary.capacity!.searches[0]).toMatchObject({
      status: 'below-low',
      capacity: null,
      capacityKey: null,
      lowerBound: null,
      upperBound: 2,
    });
    const above = drive(startStrategy(prep), () => true);
    expect(above.batches).toBe(1);
    const s = above.summary.capacity!.searches[0]!;
    expect(s).toMatchObject({ status: 'at-or-above-high', capacity: 8, upperBound: null });
    expect(
      rateOf([...above.evaluated.values()].find((e) => e.point.key === s.capacityKey)!.point),
    ).toBe(8);
  });

  it('lists the values tried, round by round, as the batches proposed them', () => {
    const prep = capacitySweep('absoluteTolerance: 1', 1, 100);
    const proposed: SweepPoint[][] = [];
    const run = startStrategy(prep);
    const recording: StrategyRun = {
      next: (e) => {
        const b = run.next(e);
        if (b) proposed.push(b);
        return b;
      },
      summary: (e) => run.summary(e),
    };
    const { summary } = drive(recording, (p) => rateOf(p) <= 37);
    const s = summary.capacity!.searches[0]!;
    expect(s.trials.map((t) => t.round)).toEqual(proposed.flatMap((b, i) => b.map(() => i)));
    expect(s.trials.map((t) => [t.value, t.key])).toEqual(
      proposed.flat().map((p) => [rateOf(p), p.key]),
    );
    for (const t of s.trials) expect(t.feasible).toBe(t.value <= 37);
    expect(s.trials.at(-1)!.round).toBe(s.rounds);
    const tried = (ok: boolean) => s.trials.filter((t) => t.feasible === ok).map((t) => t.value);
    expect(s.lowerBound).toBe(Math.max(...tried(true)));
    expect(s.upperBound).toBe(Math.min(...tried(false)));
  });

  it('stops at maxIterations and says it did not converge', () => {
    const prep = capacitySweep('absoluteTolerance: 0.001', 1, 100, '', 4);
    const { summary } = drive(startStrategy(prep), (p) => rateOf(p) <= 37);
    const s = summary.capacity!.searches[0]!;
    expect(s.rounds).toBe(4);
    expect(s.converged).toBe(false);
    expect(s.upperBound! - s.lowerBound!).toBeCloseTo(99 / 16, 12);
  });

  it('runs one search per combination of the other axes, all in the same batches', () => {
    const axes = '  - { path: deployments.0.system, values: [hgx-h100-8gpu, hgx-h200-8gpu] }';
    const prep = capacitySweep('absoluteTolerance: 1', 1, 65, axes);
    // H200 sustains twice the rate in this synthetic model.
    const threshold = (p: SweepPoint) =>
      p.scenario.deployments[0]!.system === 'hgx-h200-8gpu' ? 40 : 20;
    const { batches, summary } = drive(startStrategy(prep), (p) => rateOf(p) <= threshold(p));
    const [h100, h200] = summary.capacity!.searches;
    expect(h100!.assignments).toEqual([{ path: 'deployments.0.system', value: 'hgx-h100-8gpu' }]);
    expect(h100!.lowerBound! <= 20 && h100!.upperBound! > 20).toBe(true);
    expect(h200!.lowerBound! <= 40 && h200!.upperBound! > 40).toBe(true);
    expect(batches).toBe(1 + Math.ceil(Math.log2(64 / 1)));
  });

  it('closed forms of the two rules', () => {
    expect(arithmeticBisection(0.5).roundsToTolerance(0, 10)).toBe(5); // 10/0.5 = 20 → ⌈4.32⌉
    expect(geometricBisection(0.01).roundsToTolerance(1, 1024)).toBe(
      Math.ceil(Math.log2(Math.log(1024) / Math.log(1.01))),
    ); // ln 1024 / ln 1.01 ≈ 696.6 → 10
    expect(geometricBisection(0.01).roundsToTolerance(1, 1024)).toBe(10);
    expect(arithmeticBisection(2).roundsToTolerance(0, 1)).toBe(0);
  });
});

describe('grid and random strategies', () => {
  it('propose one batch and are done', () => {
    const text = `name: g
baseFile: b.yaml
seed: 1
axes: [{ path: deployments.0.engine.maxNumSeqs, values: [8, 16] }]
strategy: { kind: grid }
objective: { maximize: goodputTokensPerSecond }
`;
    for (const strategy of ['{ kind: grid }', '{ kind: random, samples: 5 }']) {
      const prep = prepareSweep(
        parseSweepSpecYaml(text.replace('{ kind: grid }', strategy), 's.yaml'),
        BASE,
        {
          engineVersion: 'e',
        },
      );
      const { batches, summary } = drive(startStrategy(prep), () => true);
      expect(batches).toBe(1);
      expect(summary.batches).toBe(1);
    }
  });
});
