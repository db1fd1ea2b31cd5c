import { describe, expect, it } from 'vitest';
import { AifError, ERROR_CODES } from '../core/errors.js';
import { parseSweepSpecYaml, type SweepSpec } from './spec.js';

const GOOD = `name: t
baseFile: base.yaml
seed: 7
axes:
  - path: deployments.0.system
    values: [hgx-h100-8gpu, hgx-h200-8gpu]
  - path: deployments.0.engine.maxNumSeqs
    range: { from: 16, to: 64, step: 16 }
  - path: workload.classes.0.arrivals.requestsPerSecond
    distribution: { kind: loguniform, min: 1, max: 10 }
    samples: 3
strategy: { kind: grid }
objective: { maximize: goodputTokensPerUsd }
constraints:
  - { metric: ttftP99Seconds, max: 2 }
`;

/** The AifError `f` throws (the test fails when it throws none). */
function errorOf(f: () => unknown): AifError {
  try {
    f();
  } catch (e) {
    if (e instanceof AifError) return e;
    throw e;
  }
  throw new Error('expected an AifError');
}

describe('sweep spec parsing', () => {
  it('reads axes, strategy, objective and constraints into their normal forms', () => {
    const s: SweepSpec = parseSweepSpecYaml(GOOD, 'good.yaml');
    expect(s.axes.map((a) => a.source.kind)).toEqual(['values', 'range', 'distribution']);
    expect(s.axes[1]!.source).toEqual({ kind: 'range', from: 16, to: 64, step: 16 });
    expect(s.axes[2]!.source).toEqual({
      kind: 'distribution',
      distribution: { kind: 'loguniform', min: 1, max: 10 },
      samples: 3,
    });
    expect(s.objective).toEqual({ metric: 'goodputTokensPerUsd', sense: 'maximize' });
    expect(s.constraints).toEqual([{ metric: 'ttftP99Seconds', max: 2 }]);
    expect(s.baseFile).toBe('base.yaml');
  });

  it('reports every problem with file, line, column, path, value and expectation', () => {
    const text = `name: t
baseFile: base.yaml
seed: 7
axs: []
axes:
  - path: deployments.0.system
    values: [a]
    range: { from: 1, to: 2, step: -1 }
strategy: { kind: grid }
objective: { maximize: goodputPerDollar }
`;
    const e = errorOf(() => parseSweepSpecYaml(text, 'bad.yaml'));
    expect(e.code).toBe(ERROR_CODES.SCENARIO_INVALID);
    const by = Object.fromEntries(e.issues.map((i) => [i.path, i]));
    expect(by['axs']).toMatchObject({
      line: 4,
      file: 'bad.yaml',
      message: "unknown field 'axs' (did you mean 'axes'?)",
    });
    expect(by['axes.0.range.step']).toMatchObject({ line: 8, value: -1, expected: 'a number > 0' });
    expect(by['axes.0.range']).toMatchObject({
      line: 8,
      message: 'give one of values, range, distribution, not values and range',
    });
    expect(by['objective.maximize']).toMatchObject({
      line: 10,
      column: 24,
      value: 'goodputPerDollar',
    });
    expect(by['objective.maximize']!.expected).toContain('goodputTokensPerUsd');
    expect(e.message).toContain('bad.yaml:10:24 objective.maximize');
  });

  it('needs exactly one of base and baseFile', () => {
    const both = GOOD.replace('baseFile: base.yaml', 'baseFile: base.yaml\nbase: { name: x }');
    expect(errorOf(() => parseSweepSpecYaml(both, 's.yaml')).issues.map((i) => i.path)).toEqual([
      'baseFile',
    ]);
    const none = GOOD.replace('baseFile: base.yaml\n', '');
    expect(errorOf(() => parseSweepSpecYaml(none, 's.yaml')).issues[0]).toMatchObject({
      path: '',
      message: 'no base scenario',
    });
  });

  it('refuses overlapping axes and a grid over an unsampled distribution', () => {
    const text = `name: t
baseFile: b.yaml
seed: 1
axes:
  - { path: deployments.0.engine, values: [{ name: vllm }] }
  - { path: deployments.0.engine.maxNumSeqs, values: [8] }
  - { path: site.pue, distribution: { kind: uniform, min: 1.1, max: 1.4 } }
strategy: { kind: grid }
objective: { minimize: ttftP99Seconds }
`;
    const issues = errorOf(() => parseSweepSpecYaml(text, 's.yaml')).issues;
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ['axes.1.path', 6],
      ['axes.2.samples', 7],
    ]);
    expect(issues[0]!.message).toBe('overlaps axis 0 (deployments.0.engine)');
  });

  it('checks a capacity search: its bounds, one tolerance, constraints, a path apart from the axes', () => {
    const text = `name: t
baseFile: b.yaml
seed: 1
axes:
  - { path: workload.classes.0.arrivals, values: [{ process: poisson, requestsPerSecond: 1 }] }
strategy:
  kind: capacity
  path: workload.classes.0.arrivals.requestsPerSecond
  low: 10
  high: 5
  relativeTolerance: 0.05
  absoluteTolerance: 0.5
  maxIterations: 20
objective: { maximize: goodputTokensPerSecond }
`;
    const issues = errorOf(() => parseSweepSpecYaml(text, 's.yaml')).issues;
    expect(issues.map((i) => i.path).sort()).toEqual([
      'axes.0.path',
      'constraints',
      'strategy.absoluteTolerance',
      'strategy.high',
    ]);
  });

  it('names an unknown strategy kind with the known ones', () => {
    const e = errorOf(() => parseSweepSpecYaml(GOOD.replace('kind: grid', 'kind: grdi'), 's.yaml'));
    expect(e.issues[0]).toMatchObject({ path: 'strategy.kind', line: 12 });
    expect(e.issues[0]!.expected).toContain('grid | random | capacity');
  });

  it('reports YAML syntax errors with their position', () => {
    const e = errorOf(() => parseSweepSpecYaml('name: [unclosed\nseed: 1\n', 's.yaml'));
    expect(e.code).toBe(ERROR_CODES.SCENARIO_YAML);
    expect(e.issues[0]!.line).toBeGreaterThan(0);
  });
});
