import { Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { issueRange, issuesToDiagnostics } from './lint.js';
import { latencyRows, LATENCY_KINDS, splitBasis } from './scorecard.js';
import { simResult } from './test-fixtures.js';

describe('scorecard presentation', () => {
  const d = simResult().deployments[0]!;

  it('shows shared basis fields once and the varying ones as columns', () => {
    const { common, varying } = splitBasis(d.scorecard);
    for (const k of common)
      expect(new Set(d.scorecard.map((m) => JSON.stringify(m.basis[k]))).size).toBe(1);
    for (const k of varying)
      expect(new Set(d.scorecard.map((m) => JSON.stringify(m.basis[k]))).size).toBeGreaterThan(1);
    expect(varying).toContain('boundary');
    expect([...common, ...varying]).toContain('source');
  });

  it('lists every latency of every class with its SLO check', () => {
    const rows = latencyRows(d);
    expect(rows).toHaveLength(d.metrics.classes.length * LATENCY_KINDS.length);
    const c = d.metrics.classes[0]!;
    const ttft = rows.find((r) => r.className === c.name && r.kind === 'ttft')!;
    expect(ttft.summary).toEqual(c.ttft);
    expect(ttft.target).toEqual({
      seconds: c.slo.measuredP99.ttft!.targetSeconds,
      met: c.slo.measuredP99.ttft!.met,
    });
    expect(rows.find((r) => r.kind === 'itl')!.target).toBeUndefined();
  });
});

describe('validation issues as lint diagnostics', () => {
  const doc = Text.of(['name: x', 'seed: 11', 'site:', '  pue: -1']);

  it('marks from the column to the end of the line', () => {
    expect(issueRange(doc, { path: 'site.pue', message: 'too small', line: 4, column: 8 })).toEqual(
      {
        from: doc.line(4).from + 7,
        to: doc.line(4).to,
      },
    );
  });

  it('puts issues without a position on the first line, and clamps lines past the end', () => {
    expect(issueRange(doc, { path: '', message: 'x' })).toEqual({ from: 0, to: doc.line(1).to });
    const [d] = issuesToDiagnostics(doc, [
      { path: 'a', message: 'b', line: 99, column: 1, value: -1, expected: '> 0' },
    ]);
    expect(d).toMatchObject({
      from: doc.line(4).from,
      severity: 'error',
      message: 'a: b (got -1, expected > 0)',
    });
  });
});
