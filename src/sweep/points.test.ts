import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { defaultCatalog } from '../catalog/catalog.js';
import { AifError } from '../core/errors.js';
import { canonicalJson, contentHash } from '../core/hash.js';
import { ScenarioSchema, locateIssues } from '../scenario/index.js';
import { gridValues, makePoint, prepareSweep, type PreparedSweep } from './points.js';
import { parseSweepSpecYaml } from './spec.js';
import { startStrategy } from './strategies.js';

const BASE = parseYaml(readFileSync('examples/chat-fleet-h100.yaml', 'utf8')) as Record<
  string,
  unknown
>;
const catalog = defaultCatalog();
const ENGINE = 'engine-test';

const specText = (axes: string, strategy = '{ kind: grid }', seed = 5) => `name: t
baseFile: base.yaml
seed: ${seed}
axes:
${axes}
strategy: ${strategy}
objective: { maximize: goodputTokensPerSecond }
`;

const prepare = (text: string, options: { catalog?: boolean } = {}): PreparedSweep =>
  prepareSweep(parseSweepSpecYaml(text, 's.yaml'), BASE, {
    engineVersion: ENGINE,
    ...(options.catalog ? { catalog } : {}),
  });

function errorOf(f: () => unknown): AifError {
  try {
    f();
  } catch (e) {
    if (e instanceof AifError) return e;
    throw e;
  }
  throw new Error('expected an AifError');
}

/** The points of the first batch of the spec's strategy. */
const firstBatch = (prep: PreparedSweep) => startStrategy(prep).next(new Map()) ?? [];

describe('sweep points', () => {
  it('expands a grid as the cartesian product, first axis varying slowest', () => {
    const prep = prepare(
      specText(`  - { path: deployments.0.system, values: [hgx-h100-8gpu, hgx-h200-8gpu] }
  - { path: deployments.0.engine.maxNumSeqs, values: [16, 32, 64] }`),
    );
    const points = firstBatch(prep);
    expect(points.map((p) => p.assignments.map((a) => a.value))).toEqual([
      ['hgx-h100-8gpu', 16],
      ['hgx-h100-8gpu', 32],
      ['hgx-h100-8gpu', 64],
      ['hgx-h200-8gpu', 16],
      ['hgx-h200-8gpu', 32],
      ['hgx-h200-8gpu', 64],
    ]);
    const p = points[4]!;
    expect(p.scenario.deployments[0]!.system).toBe('hgx-h200-8gpu');
    expect(p.scenario.deployments[0]!.engine?.maxNumSeqs).toBe(32);
    // The sweep's seed replaces the base's (11 in the example).
    expect(p.seed).toBe(5);
    expect(p.scenario.seed).toBe(5);
    expect(p.assignments[1]!.origin).toBe('axes.1.values.1');
  });

  it('keys a point by the content hash of {scenario, seed, engineVersion}', () => {
    const prep = prepare(specText('  - { path: deployments.0.engine.maxNumSeqs, values: [16] }'));
    const p = firstBatch(prep)[0]!;
    expect(p.key).toBe(contentHash({ scenario: p.scenario, seed: 5, engineVersion: ENGINE }));
    expect(p.scenarioHash).toBe(contentHash(p.scenario));
    const other = prepareSweep(prep.spec, BASE, { engineVersion: 'another engine' });
    expect(makePoint(other, p.assignments).key).not.toBe(p.key);
    expect(makePoint(prep, p.assignments).key).toBe(p.key);
  });

  it('gives a job the scenario the job handler parses back unchanged (same hash in the result)', () => {
    const p = firstBatch(prepare(specText('  - { path: site.pue, values: [1.3] }')))[0]!;
    const again = ScenarioSchema.parse(JSON.parse(JSON.stringify(p.scenario)));
    expect(canonicalJson(again)).toBe(canonicalJson(p.scenario));
  });

  it('steps a range without binary-fraction noise, rounding and merging integer steps', () => {
    const prep = prepare(
      specText(`  - { path: site.pue, range: { from: 1.1, to: 1.5, step: 0.1 } }
  - { path: deployments.0.engine.maxNumSeqs, range: { from: 1, to: 3, step: 0.4 }, integer: true }`),
    );
    expect(gridValues(prep, 0).map((a) => a.value)).toEqual([1.1, 1.2, 1.3, 1.4, 1.5]);
    // 1, 1.4, 1.8, 2.2, 2.6, 3 → 1, 1, 2, 2, 3, 3 → 1, 2, 3
    expect(gridValues(prep, 1).map((a) => a.value)).toEqual([1, 2, 3]);
  });

  it('draws a distribution axis from a named seeded stream: reproducible, inside its support', () => {
    const axis =
      '  - { path: site.pue, distribution: { kind: loguniform, min: 1.1, max: 1.6 }, samples: 50 }';
    const a = gridValues(prepare(specText(axis)), 0).map((x) => x.value as number);
    const b = gridValues(prepare(specText(axis)), 0).map((x) => x.value as number);
    const c = gridValues(prepare(specText(axis, '{ kind: grid }', 6)), 0).map(
      (x) => x.value as number,
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const x of a) expect(x >= 1.1 && x <= 1.6).toBe(true);
  });

  it('draws random points per axis stream: adding an axis leaves the other axis’s draws alone', () => {
    const one = `  - { path: site.pue, distribution: { kind: uniform, min: 1.1, max: 1.6 } }`;
    const two = `${one}
  - { path: deployments.0.engine.maxNumSeqs, distribution: { kind: triangular, min: 8, mode: 64, max: 256 }, integer: true }`;
    const random = '{ kind: random, samples: 20 }';
    const p1 = firstBatch(prepare(specText(one, random)));
    const p2 = firstBatch(prepare(specText(two, random)));
    expect(p1).toHaveLength(20);
    expect(p2.map((p) => p.assignments[0]!.value)).toEqual(p1.map((p) => p.assignments[0]!.value));
    for (const p of p2) {
      const n = p.assignments[1]!.value as number;
      expect(Number.isInteger(n) && n >= 8 && n <= 256).toBe(true);
    }
  });

  it('evaluates a random point drawn twice once', () => {
    const points = firstBatch(
      prepare(
        specText(
          '  - { path: deployments.0.engine.maxNumSeqs, values: [16, 32] }',
          '{ kind: random, samples: 30 }',
        ),
      ),
    );
    expect(points.map((p) => p.assignments[0]!.value).sort()).toEqual([16, 32]);
  });

  it('takes replications from a seed axis', () => {
    const points = firstBatch(prepare(specText('  - { path: seed, values: [1, 2, 3] }')));
    expect(points.map((p) => p.seed)).toEqual([1, 2, 3]);
    expect(new Set(points.map((p) => p.key)).size).toBe(3);
  });

  it('names the axis of a path the base lacks, at the axis’s line', () => {
    const text = specText(`  - { path: deployments.0.system, values: [hgx-h200-8gpu] }
  - { path: deployments.3.system, values: [hgx-h200-8gpu] }
  - { path: deployments.0.engine.maxNumSeq, values: [8] }
  - { path: site.nothing.pue, values: [1] }`);
    const e = errorOf(() => prepare(text));
    expect(e.issues.map((i) => i.path)).toEqual(['axes.1.path', 'axes.2.path', 'axes.3.path']);
    expect(e.issues[0]!.message).toContain('deployments has 1 items: no index 3');
    expect(e.issues[1]!.message).toContain("unknown field 'maxNumSeq'");
    expect(e.issues[2]!.message).toContain('site.nothing is not stated in the base scenario');
    const located = locateIssues(e, text, 's.yaml');
    expect(located.issues.map((i) => i.line)).toEqual([6, 7, 8]);
  });

  it('names the axis value the scenario schema refuses, with the scenario’s expectation', () => {
    const text = specText('  - { path: deployments.0.engine.maxNumSeqs, values: [16, -1, 0.5] }');
    const e = errorOf(() => prepare(text));
    expect(e.issues.map((i) => [i.path, i.value])).toEqual([
      ['axes.0.values.1', -1],
      ['axes.0.values.2', 0.5],
    ]);
    expect(e.issues[0]!.message).toContain(
      'deployments.0.engine.maxNumSeqs = -1 makes the scenario invalid',
    );
    expect(e.issues[0]!.expected).toBe('deployments.0.engine.maxNumSeqs: a positive integer');
    const located = locateIssues(e, text, 's.yaml');
    expect(located.issues[0]).toMatchObject({ line: 5, column: 59 });
  });

  it('checks axis values against the catalog when given one', () => {
    const text = specText(
      '  - { path: deployments.0.system, values: [hgx-h200-8gpu, hgx-h300-8gpu] }',
    );
    expect(() => prepare(text)).not.toThrow();
    const e = errorOf(() => prepare(text, { catalog: true }));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]).toMatchObject({ path: 'axes.0.values.1', value: 'hgx-h300-8gpu' });
  });

  it('checks the capacity search’s bounds on its path', () => {
    const text = `name: t
baseFile: base.yaml
seed: 1
strategy: { kind: capacity, path: workload.classes.0.arrivals.ratePerSecond, low: 1, high: 4, absoluteTolerance: 0.5, maxIterations: 10 }
objective: { maximize: goodputTokensPerSecond }
constraints: [{ metric: ttftP99Seconds, max: 2 }]
`;
    const e = errorOf(() => prepare(text));
    expect(e.issues.map((i) => i.path)).toEqual(['strategy.path']);
    expect(e.issues[0]!.message).toContain("unknown field 'ratePerSecond'");
  });

  it('reports base problems under base. for an inline base', () => {
    const spec = parseSweepSpecYaml(specText('  - { path: site.pue, values: [1.2] }'), 's.yaml');
    const bad = { ...BASE, name: 42 };
    const e = errorOf(() => prepareSweep(spec, bad, { engineVersion: ENGINE }));
    expect(e.issues.map((i) => i.path)).toEqual(['base.name']);
  });

  it('hashes the spec with its base inline, so the hash changes with the base', () => {
    const spec = parseSweepSpecYaml(specText('  - { path: site.pue, values: [1.2] }'), 's.yaml');
    const a = prepareSweep(spec, BASE, { engineVersion: ENGINE });
    const b = prepareSweep(spec, { ...BASE, name: 'other' }, { engineVersion: ENGINE });
    expect(a.specHash).not.toBe(b.specHash);
    expect(prepareSweep(spec, BASE, { engineVersion: ENGINE }).specHash).toBe(a.specHash);
  });
});
