import { describe, expect, it } from 'vitest';
import { chatEstimate, frontier } from '../test-fixtures.js';
import {
  estimateFrontierOption,
  frontierCostOption,
  frontierCurves,
  frontierOption,
  frontierPerMwOption,
} from './frontier.js';

type S = { name: string; data: [number, number | null][] };

describe('frontier charts (POST /api/frontier)', () => {
  const report = frontier(['hgx-h100-8gpu', 'hgx-b200-8gpu']);
  const curves = frontierCurves(report.points);

  it('groups points by system, sorted by tok/s per user', () => {
    expect([...curves.keys()].sort()).toEqual(['hgx-b200-8gpu', 'hgx-h100-8gpu']);
    for (const [sys, rows] of curves) {
      expect(rows.length).toBe(report.points.filter((p) => p.systemId === sys).length);
      for (let i = 1; i < rows.length; i++)
        expect(rows[i]!.perUser).toBeGreaterThanOrEqual(rows[i - 1]!.perUser);
    }
  });

  it('plots tok/s per GPU, cost and tok/s per MW against tok/s per user, one curve per system', () => {
    const main = (frontierOption(curves) as { series: S[] }).series;
    const cost = (frontierCostOption(curves) as { series: S[] }).series;
    const mw = (frontierPerMwOption(curves) as { series: S[] }).series;
    expect(main.map((s) => s.name)).toEqual([...curves.keys()]);
    for (const p of report.points) {
      const i = [...curves.keys()].indexOf(p.systemId);
      expect(main[i]!.data).toContainEqual([
        p.tokensPerSecondPerUser,
        p.outputTokensPerSecondPerGpu,
      ]);
      expect(cost[i]!.data).toContainEqual([
        p.tokensPerSecondPerUser,
        p.costPerMillionOutputTokensUsd,
      ]);
      expect(mw[i]!.data).toContainEqual([p.tokensPerSecondPerUser, p.tokensPerSecondPerMw]);
    }
  });

  it("plots an estimate's frontier with its operating point", () => {
    const c = chatEstimate().deployments[0]!.classes[0]!;
    const s = (estimateFrontierOption(c, { perUser: 30, perGpu: 400 }) as { series: S[] }).series;
    expect(s[0]!.data).toHaveLength(c.frontier.length);
    expect(s[0]!.data).toContainEqual([
      c.frontier[0]!.outputTokensPerSecondPerUser.value,
      c.frontier[0]!.outputTokensPerSecondPerGpu.value,
    ]);
    expect(s[1]!.data).toEqual([[30, 400]]);
  });
});
