import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AifError, ERROR_CODES } from '../core/errors.js';
import { formatIssues, locateIssues, parseScenarioObject, parseScenarioYaml } from './parse.js';

/** A valid scenario; line numbers below refer to this text. */
const VALID = [
  'name: test', // 1
  'seed: 1', // 2
  'deployments:', // 3
  '  - name: d', // 4
  '    model: test-dense', // 5
  '    system: test-node-8', // 6
  '    precision: fp8', // 7
  '    parallelism: { tp: 4 }', // 8
  '    replicas: 2', // 9
  '    engine: { name: vllm }', // 10
  'workload:', // 11
  '  classes:', // 12
  '    - name: chat', // 13
  '      kind: request', // 14
  '      arrivals: { process: poisson, requestsPerSecond: 2 }', // 15
  '      inputTokens: 1000', // 16
  '      outputTokens: { dist: lognormal, median: 129, p90: 424 }', // 17
  '      slo: { ttftP99Seconds: 2 }', // 18
  '',
].join('\n');

const edit = (line: number, text: string): string => {
  const lines = VALID.split('\n');
  lines[line - 1] = text;
  return lines.join('\n');
};

function parseError(text: string): AifError {
  try {
    parseScenarioYaml(text, 'test.yaml');
  } catch (e) {
    if (e instanceof AifError) return e;
    throw e;
  }
  throw new Error('expected parseScenarioYaml to throw');
}

describe('parseScenarioYaml', () => {
  it.each(['examples/llama70b-fp8-h100.yaml', 'examples/deepseek-r1-fp4-gb200.yaml'])(
    'parses the example %s',
    (file) => {
      const s = parseScenarioYaml(readFileSync(file, 'utf8'), file);
      expect(s.deployments.length).toBeGreaterThan(0);
      expect(s.workload.classes.length).toBeGreaterThan(0);
    },
  );

  it('turns a bare number into a fixed distribution', () => {
    const s = parseScenarioYaml(VALID, 'test.yaml');
    const c = s.workload.classes[0];
    expect(c?.kind === 'request' && c.inputTokens).toEqual({ dist: 'fixed', value: 1000 });
  });

  it('lets a deployment reuse another through a YAML merge key', () => {
    const text = VALID.replace('  - name: d', '  - &base\n    name: d').replace(
      'workload:',
      '  - <<: *base\n    name: d2\n    replicas: 3\nworkload:',
    );
    const s = parseScenarioYaml(text, 'test.yaml');
    expect(s.deployments.map((d) => [d.name, d.model, d.replicas])).toEqual([
      ['d', 'test-dense', 2],
      ['d2', 'test-dense', 3],
    ]);
  });

  it('reports an unknown key with its line and column and the closest known field', () => {
    const e = parseError(edit(9, '    replicaz: 2'));
    const issue = e.issues.find((i) => i.path === 'deployments.0.replicaz');
    expect(e.code).toBe(ERROR_CODES.SCENARIO_INVALID);
    expect(issue).toMatchObject({ line: 9, column: 5, file: 'test.yaml', value: 2 });
    expect(issue?.message).toContain("did you mean 'replicas'?");
  });

  it('reports a wrong type with path, value as written, expected words and line', () => {
    const e = parseError(edit(8, '    parallelism: { tp: eight }'));
    expect(e.issues).toContainEqual({
      path: 'deployments.0.parallelism.tp',
      message: 'wrong type',
      value: 'eight',
      expected: 'a positive integer',
      file: 'test.yaml',
      line: 8,
      column: 24,
    });
  });

  it('reports a missing required field at the position of its parent map', () => {
    const e = parseError(edit(18, '      sla: { ttftP99Seconds: 2 }'));
    const missing = e.issues.find((i) => i.path === 'workload.classes.0.slo');
    expect(missing?.message).toBe("missing required field 'slo'");
    expect(missing).toMatchObject({ line: 13, column: 7 });
  });

  it('reports a field missing inside a distribution at the distribution', () => {
    const e = parseError(edit(17, '      outputTokens: { dist: lognormal, median: 129 }'));
    expect(e.issues).toEqual([
      expect.objectContaining({
        path: 'workload.classes.0.outputTokens.p90',
        line: 17,
        column: 21,
        expected: 'a number ≥ 1',
      }),
    ]);
  });

  it('names the accepted engines and suggests the closest one for a misspelt engine', () => {
    const e = parseError(edit(10, '    engine: { name: vlm }'));
    expect(e.issues).toEqual([
      expect.objectContaining({
        path: 'deployments.0.engine.name',
        value: 'vlm',
        expected: 'one of: vllm, trtllm, sglang, generic',
        message: "not an accepted value (did you mean 'vllm'?)",
      }),
    ]);
  });

  it('reports a value that fits no form of a union against the union as a whole', () => {
    const e = parseError(edit(8, '    parallelism: manual'));
    expect(e.issues).toEqual([
      expect.objectContaining({
        path: 'deployments.0.parallelism',
        value: 'manual',
        expected: "'auto' or a mapping {tp, pp?, ep?, attnDp?}",
        line: 8,
      }),
    ]);
  });

  it('reports every problem at once, in file order', () => {
    const text = edit(2, 'seed: -1')
      .replace('replicas: 2', 'replicas: 0')
      .replace('median: 129', 'median: 500');
    const e = parseError(text);
    expect(e.issues.map((i) => [i.path, i.line])).toEqual([
      ['seed', 2],
      ['deployments.0.replicas', 9],
      ['workload.classes.0.outputTokens.p90', 17],
    ]);
  });

  it('reports cross-field problems together with field problems', () => {
    const e = parseError(edit(9, '    systems: 1\n    replicas: 1').replace('tp: 4', 'tp: 0'));
    expect(e.issues.map((i) => i.path)).toEqual([
      'deployments.0.parallelism.tp',
      'deployments.0.systems',
    ]);
  });

  it('rejects giving both replicas and systems', () => {
    const e = parseError(edit(9, '    replicas: 2\n    systems: 1'));
    expect(e.issues).toEqual([
      expect.objectContaining({
        path: 'deployments.0.systems',
        expected: 'exactly one of: replicas, systems',
      }),
    ]);
  });

  it('rejects a request class that arrives in sessions per second', () => {
    const e = parseError(edit(15, '      arrivals: { process: poisson, sessionsPerSecond: 2 }'));
    expect(e.issues).toEqual([
      expect.objectContaining({
        path: 'workload.classes.0.arrivals.sessionsPerSecond',
        expected: 'requestsPerSecond',
      }),
    ]);
  });

  it('rejects two deployments with the same name', () => {
    const twice = VALID.replace(
      'workload:',
      [
        '  - name: d',
        '    model: test-dense',
        '    system: test-node-8',
        '    precision: fp8',
        '    parallelism: auto',
        '    replicas: 1',
        '    engine: { name: sglang }',
        'workload:',
      ].join('\n'),
    );
    const e = parseError(twice);
    expect(e.issues).toEqual([expect.objectContaining({ path: 'deployments.1.name', line: 11 })]);
  });

  it('gives a YAML syntax error E_SCENARIO_YAML with its line', () => {
    const e = parseError(edit(15, '      arrivals: { process: poisson, requestsPerSecond: 2'));
    expect(e.code).toBe(ERROR_CODES.SCENARIO_YAML);
    expect(e.issues[0]).toMatchObject({ file: 'test.yaml', line: expect.any(Number) });
    expect(e.issues[0]?.line).toBeGreaterThanOrEqual(15);
  });

  it('treats a duplicate key as a YAML error', () => {
    const e = parseError(edit(9, '    replicas: 2\n    replicas: 3'));
    expect(e.code).toBe(ERROR_CODES.SCENARIO_YAML);
    expect(e.issues[0]?.line).toBe(10);
  });

  it('formats each issue as file:line:col path: message (got X, expected Y)', () => {
    const e = parseError(edit(8, '    parallelism: { tp: eight }'));
    expect(e.message).toContain(
      "test.yaml:8:24 deployments.0.parallelism.tp: wrong type (got 'eight', expected a positive integer)",
    );
  });
});

describe('parseScenarioObject', () => {
  it('validates plain data and reports paths without positions', () => {
    const obj = { name: 'x', seed: 1, deployments: [], workload: { classes: [] } };
    expect(() => parseScenarioObject(obj, 'request body')).toThrow(AifError);
    try {
      parseScenarioObject(obj, 'request body');
    } catch (e) {
      const issues = (e as AifError).issues;
      expect(issues.map((i) => i.path)).toEqual(['deployments', 'workload.classes']);
      expect(issues[0]).toMatchObject({
        file: 'request body',
        value: [],
        expected: 'a non-empty list of deployments',
      });
      expect(issues[0]?.line).toBeUndefined();
    }
  });
});

describe('formatIssues', () => {
  it('writes (root) for the root path and leaves out a position it does not have', () => {
    expect(
      formatIssues([
        { path: '', message: 'wrong type', value: null, expected: 'a scenario', file: 'a.json' },
      ]),
    ).toBe('a.json (root): wrong type (got null, expected a scenario)');
  });
});

describe('locateIssues', () => {
  it('adds the YAML position of each path to issues raised after parsing', () => {
    const err = new AifError(ERROR_CODES.CATALOG_UNKNOWN_ID, 'unknown model', [
      { path: 'deployments.0.model', message: "unknown model 'x'" },
    ]);
    const located = locateIssues(err, VALID, 'test.yaml');
    expect(located.code).toBe(ERROR_CODES.CATALOG_UNKNOWN_ID);
    expect(located.issues[0]).toMatchObject({ file: 'test.yaml', line: 5, column: 12 });
  });
});

describe('deployment autoscaler', () => {
  /** VALID with `replicas: <replicas>` and the autoscaler mapping given after the engine. */
  const withAutoscaler = (autoscaler: string, replicas = '2'): string =>
    edit(9, `    replicas: ${replicas}`).replace(
      '    engine: { name: vllm }',
      `    engine: { name: vllm }\n    autoscaler: ${autoscaler}`,
    );

  it('parses an autoscaler and leaves unstated fields for resolution', () => {
    const s = parseScenarioYaml(
      withAutoscaler(
        '{ maxReplicas: 4, targetOutstandingRequestsPerReplica: 8, coldStartSeconds: 90 }',
      ),
      'test.yaml',
    );
    expect(s.deployments[0]?.autoscaler).toEqual({
      maxReplicas: 4,
      targetOutstandingRequestsPerReplica: 8,
      coldStartSeconds: 90,
    });
  });

  it('requires the cold start, since no default fits every model and storage', () => {
    const e = parseError(
      withAutoscaler('{ maxReplicas: 4, targetOutstandingRequestsPerReplica: 8 }'),
    );
    expect(e.issues).toContainEqual(
      expect.objectContaining({
        path: 'deployments.0.autoscaler.coldStartSeconds',
        message: "missing required field 'coldStartSeconds'",
        expected: 'a number ≥ 0',
      }),
    );
  });

  it('names the field, the value and the range when the initial replicas lie outside min…max', () => {
    const e = parseError(
      withAutoscaler(
        '{ minReplicas: 3, maxReplicas: 4, targetOutstandingRequestsPerReplica: 8, coldStartSeconds: 90 }',
      ),
    );
    expect(e.issues).toContainEqual(
      expect.objectContaining({
        path: 'deployments.0.replicas',
        value: 2,
        message: "the initial 2 replicas lie outside the autoscaler's range 3…4",
        expected: 'an integer in [minReplicas, maxReplicas] = [3, 4]',
      }),
    );
  });

  it('refuses maxReplicas below minReplicas', () => {
    const e = parseError(
      withAutoscaler(
        '{ minReplicas: 3, maxReplicas: 2, targetOutstandingRequestsPerReplica: 8, coldStartSeconds: 90 }',
      ),
    );
    expect(e.issues).toContainEqual(
      expect.objectContaining({
        path: 'deployments.0.autoscaler.maxReplicas',
        value: 2,
        expected: 'an integer ≥ minReplicas (3)',
      }),
    );
  });

  it('refuses a non-positive target with the expected words', () => {
    const e = parseError(
      withAutoscaler(
        '{ maxReplicas: 4, targetOutstandingRequestsPerReplica: 0, coldStartSeconds: 90 }',
      ),
    );
    expect(e.issues).toContainEqual(
      expect.objectContaining({
        path: 'deployments.0.autoscaler.targetOutstandingRequestsPerReplica',
        value: 0,
        expected: 'a number > 0',
      }),
    );
  });

  it('asks for the initial replicas rather than systems', () => {
    const e = parseError(
      withAutoscaler(
        '{ maxReplicas: 4, targetOutstandingRequestsPerReplica: 8, coldStartSeconds: 90 }',
      ).replace('    replicas: 2', '    systems: 1'),
    );
    expect(e.issues).toContainEqual(
      expect.objectContaining({
        path: 'deployments.0.replicas',
        expected: 'replicas: the count at t = 0',
      }),
    );
  });

  it('refuses an autoscaler on a disaggregated deployment', () => {
    const e = parseError(
      withAutoscaler(
        '{ maxReplicas: 4, targetOutstandingRequestsPerReplica: 8, coldStartSeconds: 90 }\n    disaggregation: { decode: { parallelism: { tp: 4 }, replicas: 1 } }',
      ),
    );
    expect(e.issues).toContainEqual(
      expect.objectContaining({
        path: 'deployments.0.autoscaler',
        expected: 'no autoscaler with disaggregation',
      }),
    );
  });
});
