/**
 * Throughput–interactivity frontiers: output tok/s per GPU against tok/s per user (1/TPOT),
 * one curve per system (POST /api/frontier) or per workload class (an estimate's
 * `frontier`), with cost per 1M output tokens and tokens/s per MW along the same x axis.
 */
import type { EChartsOption } from 'echarts';
import type { ClassEstimate, FrontierApiPoint } from '../types.js';
import { fmtNum, fmtUsd } from '../format.js';
import { asOption, asParams, baseOption, escapeHtml, valueAxis } from './common.js';

/** A finite number, else null. */
export const numberOf = (x: number | null | undefined): number | null =>
  typeof x === 'number' && Number.isFinite(x) ? x : null;

export interface FrontierRow {
  systemId: string;
  plan: string;
  concurrencyPerReplica: number;
  perUser: number;
  perGpu: number;
  costPerMillion: number | null;
  perMw: number | null;
}

/** API points grouped by system, each curve sorted by tok/s per user. */
export function frontierCurves(points: readonly FrontierApiPoint[]): Map<string, FrontierRow[]> {
  const out = new Map<string, FrontierRow[]>();
  for (const p of points) {
    const perUser = numberOf(p.tokensPerSecondPerUser);
    const perGpu = numberOf(p.outputTokensPerSecondPerGpu);
    if (perUser === null || perGpu === null) continue;
    const row: FrontierRow = {
      systemId: p.systemId,
      plan: p.plan,
      concurrencyPerReplica: p.concurrencyPerReplica,
      perUser,
      perGpu,
      costPerMillion: numberOf(p.costPerMillionOutputTokensUsd),
      perMw: numberOf(p.tokensPerSecondPerMw),
    };
    const list = out.get(p.systemId) ?? [];
    list.push(row);
    out.set(p.systemId, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.perUser - b.perUser);
  return out;
}

const xAxisPerUser = () =>
  valueAxis('output tok/s per user (1/TPOT)', { position: 'bottom', formatter: (v) => fmtNum(v) });

function rowTooltip(curves: Map<string, FrontierRow[]>) {
  const names = [...curves.keys()];
  return {
    trigger: 'item' as const,
    confine: true,
    formatter: (raw: unknown) => {
      const p = asParams(raw)[0];
      if (!p || p.seriesIndex === undefined || p.dataIndex === undefined) return '';
      const sys = names[p.seriesIndex % names.length];
      const row = sys ? curves.get(sys)?.[p.dataIndex] : undefined;
      if (!row) return '';
      return [
        `<b>${escapeHtml(row.systemId)}</b> — ${escapeHtml(row.plan)}, concurrency ${row.concurrencyPerReplica}/replica`,
        `tok/s per user: <b>${fmtNum(row.perUser)}</b>`,
        `tok/s per GPU: <b>${fmtNum(row.perGpu)}</b>`,
        `cost per 1M output tokens: <b>${row.costPerMillion === null ? '—' : fmtUsd(row.costPerMillion)}</b>`,
        `tok/s per MW: <b>${row.perMw === null ? '—' : fmtNum(row.perMw)}</b>`,
      ].join('<br/>');
    },
  };
}

const curveSeries = (name: string, data: [number, number | null][]) => ({
  type: 'line' as const,
  name,
  data,
  symbol: 'circle',
  symbolSize: 6,
  connectNulls: false,
  lineStyle: { width: 2 },
  emphasis: { focus: 'series' as const },
});

/** Main frontier: tok/s per GPU vs tok/s per user, a curve per system. */
export function frontierOption(curves: Map<string, FrontierRow[]>): EChartsOption {
  return asOption({
    ...baseOption(
      'Throughput vs interactivity',
      "the planner's plan per system, concurrency swept; hover a point for cost and tok/s per MW",
    ),
    tooltip: rowTooltip(curves),
    xAxis: xAxisPerUser(),
    yAxis: valueAxis('output tok/s per GPU'),
    series: [...curves].map(([sys, rows]) =>
      curveSeries(
        sys,
        rows.map((r) => [r.perUser, r.perGpu]),
      ),
    ),
  });
}

/** Cost per 1M output tokens along each frontier. */
export function frontierCostOption(curves: Map<string, FrontierRow[]>): EChartsOption {
  return asOption({
    ...baseOption('Cost per 1M output tokens', 'along the frontier'),
    tooltip: rowTooltip(curves),
    xAxis: xAxisPerUser(),
    yAxis: valueAxis('USD per 1M output tokens', { formatter: (v) => fmtUsd(v) }),
    series: [...curves].map(([sys, rows]) =>
      curveSeries(
        sys,
        rows.map((r) => [r.perUser, r.costPerMillion]),
      ),
    ),
  });
}

/** Output tok/s per MW along each frontier. */
export function frontierPerMwOption(curves: Map<string, FrontierRow[]>): EChartsOption {
  return asOption({
    ...baseOption('Tokens per MW', 'output tok/s per MW of facility power, along the frontier'),
    tooltip: rowTooltip(curves),
    xAxis: xAxisPerUser(),
    yAxis: valueAxis('output tok/s per MW'),
    series: [...curves].map(([sys, rows]) =>
      curveSeries(
        sys,
        rows.map((r) => [r.perUser, r.perMw]),
      ),
    ),
  });
}

/** An estimate's frontier for one class: tok/s per GPU vs per user, concurrency in the tooltip. */
export function estimateFrontierOption(
  cls: ClassEstimate,
  operating?: { perUser: number; perGpu: number },
): EChartsOption {
  const pts = [...cls.frontier].sort(
    (a, b) => a.outputTokensPerSecondPerUser.value - b.outputTokensPerSecondPerUser.value,
  );
  return asOption({
    ...baseOption(
      `Frontier — ${cls.className}`,
      pts[0] ? pts[0].outputTokensPerSecondPerGpu.basis.source : undefined,
    ),
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (raw: unknown) => {
        const p = asParams(raw)[0];
        if (p?.seriesIndex === 1) return 'operating point of the estimate';
        const f = p?.dataIndex !== undefined ? pts[p.dataIndex] : undefined;
        if (!f) return '';
        return [
          `concurrency ${f.concurrencyPerReplica}/replica (${fmtNum(f.runningSeqs)} running)`,
          `tok/s per user: <b>${fmtNum(f.outputTokensPerSecondPerUser.value)}</b>`,
          `tok/s per GPU: <b>${fmtNum(f.outputTokensPerSecondPerGpu.value)}</b>`,
          `TTFT ${fmtNum(f.ttftSeconds.value * 1000)} ms, TPOT ${fmtNum(f.tpotSeconds.value * 1000)} ms`,
          `limited by: ${escapeHtml(f.limitedBy)}`,
        ].join('<br/>');
      },
    },
    xAxis: xAxisPerUser(),
    yAxis: valueAxis('output tok/s per GPU'),
    series: [
      curveSeries(
        'frontier',
        pts.map((f) => [f.outputTokensPerSecondPerUser.value, f.outputTokensPerSecondPerGpu.value]),
      ),
      ...(operating
        ? [
            {
              type: 'scatter',
              name: 'operating point',
              symbol: 'diamond',
              symbolSize: 12,
              data: [[operating.perUser, operating.perGpu]],
            },
          ]
        : []),
    ],
  });
}
