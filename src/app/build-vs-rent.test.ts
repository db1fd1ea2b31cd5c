import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { LpSolver } from '../core/lp.js';
import { createHighsSolver } from '../solver/highs.js';
import { runBuildVsRent } from './build-vs-rent.js';

let solver: LpSolver;
beforeAll(async () => {
  solver = await createHighsSolver();
});

const example = 'examples/build-vs-rent-coding-agents.yaml';

describe('runBuildVsRent', () => {
  it('analyses the coding-agent example: the optimum beats every pure option', () => {
    const { report } = runBuildVsRent(parse(readFileSync(example, 'utf8')), example, solver);
    expect(report.cheapest).toBe('optimum');
    for (const o of report.ranking)
      expect(report.optimum.npv.value).toBeLessThanOrEqual(o.npv.value + 1e-6);
    expect(report.optimum.npv.basis.currencyYear).toBe('USD-2026');
    expect(report.breakEven?.utilization.value).toBeGreaterThan(0);
  });

  it('lists the defaults it applied with their sources', () => {
    const obj = parse(readFileSync(example, 'utf8')) as Record<string, unknown>;
    delete obj['onDemand'];
    const { defaultsApplied } = runBuildVsRent(obj, example, solver);
    expect(defaultsApplied.find((d) => d.field === 'onDemand.usdPerGpuHour')).toMatchObject({
      value: 2.79,
    });
  });
});
