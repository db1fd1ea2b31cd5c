import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { simulateScenario, type SimResult } from '../app/simulate.js';
import { defaultCatalog } from '../catalog/catalog.js';
import { createRng } from '../core/rng.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { ScenarioSchema } from '../scenario/index.js';
import { dominates } from './pareto.js';
import { prepareSweep, type PreparedSweep, type SweepPoint } from './points.js';
import { runSweep, type EvaluatePoints, type PointOutcome, type SweepPointResult } from './run.js';
import { parseSweepSpecYaml } from './spec.js';

const catalog = defaultCatalog();
const BASE = {
  ...(parseYaml(readFileSync('examples/chat-fleet-h100.yaml', 'utf8')) as Record<string, unknown>),
  simulation: { durationSeconds: 20, warmupSeconds: 5 },
};

const GRID = `name: tiny grid
baseFile: b.yaml
seed: 3
axes:
  - { path: deployments.0.system, values: [hgx-h100-8gpu, hgx-h200-8gpu] }
  - { path: deployments.0.engine.maxNumSeqs, values: [16, 128] }
strategy: { kind: grid }
objective: { maximize: goodputTokensPerUsd }
constraints: [{ metric: ttftP99Seconds, max: 2 }]
`;

const prep = (text: string): PreparedSweep =>
  prepareSweep(parseSweepSpecYaml(text, 's.yaml'), BASE, { engineVersion: 'e', catalog });

/** Simulations are memoised by job key: the tests below evaluate the same points repeatedly. */
const sims = new Map<string, string>();
const simulate = (p: SweepPoint): string => {
  let json = sims.get(p.key);
  if (json === undefined) {
    json = JSON.stringify(
      simulateScenario(p.scenario, catalog, BUILTIN_CALIBRATION, { toolVersion: 't' }),
    );
    sims.set(p.key, json);
  }
  return json;
};

const inOrder: EvaluatePoints = async (ps) => ps.map((p) => ({ resultJson: simulate(p) }));

/** Results that complete in a seeded random order (as a worker pool's would). */
const shuffled =
  (seed: number): EvaluatePoints =>
  async (ps) => {
    const rng = createRng(seed, 'test/completion-order');
    const order = ps.map((_, i) => i).sort(() => rng.next() - 0.5);
    const settle: ((o: PointOutcome) => void)[] = [];
    const promises = ps.map(
      (_, i) => new Promise<PointOutcome>((resolve) => (settle[i] = resolve)),
    );
    for (const i of order) {
      await Promise.resolve();
      settle[i]!({ resultJson: simulate(ps[i]!) });
    }
    return Promise.all(promises);
  };

describe('runSweep', () => {
  it('gives byte-identical JSON whatever the completion order', async () => {
    const a = JSON.stringify(await runSweep(prep(GRID), inOrder, { catalog }));
    for (const seed of [1, 2, 3])
      expect(JSON.stringify(await runSweep(prep(GRID), shuffled(seed), { catalog }))).toBe(a);
  });

  it('reports points in job-key order, the best feasible objective, and the Pareto set', async () => {
    const r = await runSweep(prep(GRID), inOrder, { catalog });
    expect(r.counts).toEqual({
      points: 4,
      feasible: r.points.filter((p) => p.feasible).length,
      failed: 0,
      batches: 1,
    });
    const keys = r.points.map((p) => p.key);
    expect(keys).toEqual([...keys].sort());
    for (const p of r.points) {
      const ttft = p.metrics.values.ttftP99Seconds!;
      expect(p.feasible).toBe(ttft <= 2);
      expect(p.violations).toEqual(
        ttft <= 2 ? [] : [{ metric: 'ttftP99Seconds', bound: 'max', limit: 2, value: ttft }],
      );
    }
    // Brute force: the largest goodput per dollar among feasible points.
    const feasible = r.points.filter((p) => p.feasible);
    expect(feasible.length).toBeGreaterThan(0);
    const best = Math.max(...feasible.map((p) => p.metrics.values.goodputTokensPerUsd!));
    expect(r.chosen!.value).toBe(best);
    expect(r.chosen!.key).toBe(
      feasible.find((p) => p.metrics.values.goodputTokensPerUsd === best)!.key,
    );
    // Brute force Pareto over the feasible points.
    const objectives = r.pareto.objectives.map((o) => ({
      sense: o.sense,
      value: (p: SweepPointResult) => p.metrics.values[o.metric]!,
    }));
    const front = feasible
      .filter((p) => !feasible.some((q) => dominates(q, p, objectives)))
      .map((p) => p.key);
    expect(r.pareto.keys).toEqual(front);
    expect(r.specHash).toMatch(/^fnv1a64:/);
    expect(r.search).toEqual({ kind: 'grid', batches: 1 });
  });

  it('records a point whose simulation failed as infeasible, with the error, and goes on', async () => {
    const p = prep(GRID);
    let failedKey = '';
    const failing: EvaluatePoints = async (ps) => {
      failedKey = ps[0]!.key;
      return ps.map((x, i) =>
        i === 0
          ? {
              error: {
                code: 'E_MEMORY_DOES_NOT_FIT',
                message: 'deployment chat-tp4 does not fit\nmore',
              },
            }
          : { resultJson: simulate(x) },
      );
    };
    const r = await runSweep(p, failing, { catalog });
    const failed = r.points.find((x) => x.key === failedKey)!;
    expect(r.counts.failed).toBe(1);
    expect(failed.feasible).toBe(false);
    expect(failed.error).toEqual({
      code: 'E_MEMORY_DOES_NOT_FIT',
      message: 'deployment chat-tp4 does not fit\nmore',
    });
    expect(failed.metrics.values).toEqual({});
    expect(failed.metrics.absent.goodputTokensPerSecond).toBe(
      'the simulation failed: deployment chat-tp4 does not fit',
    );
    expect(failed.violations[0]).toMatchObject({
      metric: 'ttftP99Seconds',
      absent: expect.stringContaining('failed'),
    });
    expect(r.points).toHaveLength(4);
  });

  it('refuses a result that answers another point (an executor defect)', async () => {
    const swapped: EvaluatePoints = async (ps) =>
      ps.map((_, i) => ({ resultJson: simulate(ps[(i + 1) % ps.length]!) }));
    await expect(runSweep(prep(GRID), swapped, { catalog })).rejects.toThrow(
      /is not its simulation/,
    );
    const short: EvaluatePoints = async (ps) =>
      ps.slice(1).map((x) => ({ resultJson: simulate(x) }));
    await expect(runSweep(prep(GRID), short, { catalog })).rejects.toThrow(
      /3 outcomes for 4 points/,
    );
  });

  it('chooses nothing, and says why, when no point meets the constraints', async () => {
    const r = await runSweep(prep(GRID.replace('max: 2', 'max: 0.000001')), inOrder, { catalog });
    expect(r.chosen).toBeNull();
    expect(r.chosenReason).toBe('no point meets every constraint');
    expect(r.pareto.keys).toEqual([]);
  });

  it('drives a capacity search to the closed-form number of rounds on a monotone synthetic metric', async () => {
    // Template: one real result; its p99 TTFT is replaced by rate/10 s, so p99 ≤ 2 s ⇔ rate ≤ 20.
    const template = JSON.parse(
      JSON.stringify(
        simulateScenario(
          ScenarioSchema.parse({ ...BASE, simulation: { durationSeconds: 10, warmupSeconds: 2 } }),
          catalog,
          BUILTIN_CALIBRATION,
          { toolVersion: 't' },
        ),
      ),
    ) as SimResult;
    const synthetic: EvaluatePoints = async (ps) =>
      ps.map((p) => {
        const rate = p.assignments.at(-1)!.value as number;
        const r = structuredClone(template);
        r.scenario = { ...r.scenario, hash: p.scenarioHash, seed: p.seed };
        r.deployments[0]!.metrics.total.ttft.p99Seconds = rate / 10;
        return { resultJson: JSON.stringify(r) };
      });
    const text = `name: capacity
baseFile: b.yaml
seed: 3
strategy: { kind: capacity, path: workload.classes.0.arrivals.requestsPerSecond, low: 1, high: 50, absoluteTolerance: 0.25, maxIterations: 30 }
objective: { maximize: goodputTokensPerSecond }
constraints: [{ metric: ttftP99Seconds, max: 2 }]
`;
    const r = await runSweep(prep(text), synthetic, { catalog });
    const rounds = Math.ceil(Math.log2(49 / 0.25)); // 8
    expect(r.counts.batches).toBe(1 + rounds);
    expect(r.counts.points).toBe(2 + rounds);
    const s = r.search.capacity!.searches[0]!;
    expect(s.rounds).toBe(rounds);
    expect(s.lowerBound! <= 20 && s.upperBound! > 20 && s.upperBound! - s.lowerBound! <= 0.25).toBe(
      true,
    );
    // Every feasible point has the template's goodput: the tie goes to the smallest job key.
    const feasibleKeys = r.points.filter((p) => p.feasible).map((p) => p.key);
    expect(r.chosen!.key).toBe(feasibleKeys[0]);
  });
});
