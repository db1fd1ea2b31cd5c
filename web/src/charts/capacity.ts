/**
 * Capacity timeline of a plan (POST /api/plans): facility MW announced and procurable per
 * quarter — never summed — with the Monte Carlo P10–P90 band of procurable MW, and what the
 * procurable power serves against demand.
 */
import type { EChartsOption } from 'echarts';
import type { PlanReport } from '../types.js';
import { fmtNum, fmtUsd } from '../format.js';
import { asOption, baseOption, categoryAxis, valueAxis } from './common.js';

export function capacityOption(plan: PlanReport): EChartsOption {
  const periods = plan.timeline.map((t) => t.period);
  const mc = plan.monteCarlo?.periods;
  const series: Record<string, unknown>[] = [
    {
      type: 'line',
      name: 'announced MW',
      step: 'end',
      data: plan.timeline.map((t) => t.announcedMw),
      lineStyle: { width: 2, type: 'dashed' },
      symbol: 'none',
    },
    {
      type: 'line',
      name: 'procurable MW (as planned)',
      step: 'end',
      data: plan.timeline.map((t) => t.procurableMw),
      lineStyle: { width: 2.4 },
      symbol: 'circle',
      symbolSize: 5,
    },
  ];
  if (mc) {
    // P10–P90 band: an invisible P10 line and the P90−P10 difference stacked on it.
    series.push(
      {
        type: 'line',
        name: 'P10',
        stack: 'band',
        step: 'end',
        data: mc.map((p) => p.procurableMw.p10),
        lineStyle: { opacity: 0 },
        symbol: 'none',
        tooltip: { show: false },
      },
      {
        type: 'line',
        name: 'procurable P10–P90 (Monte Carlo)',
        stack: 'band',
        step: 'end',
        data: mc.map((p) => p.procurableMw.p90 - p.procurableMw.p10),
        lineStyle: { opacity: 0 },
        itemStyle: { color: 'rgba(37,99,235,0.35)' },
        areaStyle: { color: 'rgba(37,99,235,0.15)' },
        symbol: 'none',
      },
      {
        type: 'line',
        name: 'procurable P50 (Monte Carlo)',
        step: 'end',
        data: mc.map((p) => p.procurableMw.p50),
        lineStyle: { width: 1.6, type: 'dotted' },
        symbol: 'none',
      },
    );
  }
  const gates = plan.requiredGates.join(', ');
  return asOption({
    ...baseOption(
      'Announced vs procurable power',
      `facility MW per quarter; procurable = passed ${gates}; never summed`,
    ),
    legend: { top: 36, right: 0, data: series.map((s) => s.name).filter((n) => n !== 'P10') },
    grid: { left: 64, right: 24, top: 72, bottom: 44 },
    tooltip: {
      trigger: 'axis',
      confine: true,
      valueFormatter: (v: unknown) => `${fmtNum(Number(v))} MW`,
    },
    xAxis: categoryAxis('quarter', periods),
    yAxis: valueAxis('facility MW', { min: 0, formatter: (v) => fmtNum(v) }),
    series,
  });
}

/** Demand vs served output tok/s per quarter, with the cost per 1M output tokens. */
export function servedOption(plan: PlanReport): EChartsOption {
  const periods = plan.timeline.map((t) => t.period);
  return asOption({
    ...baseOption(
      'Demand and served tokens',
      `output tok/s per quarter; cost in ${plan.currencyYear} per 1M output tokens`,
    ),
    grid: { left: 64, right: 64, top: 64, bottom: 44 },
    tooltip: { trigger: 'axis', confine: true },
    xAxis: categoryAxis('quarter', periods),
    yAxis: [
      valueAxis('output tok/s'),
      {
        ...valueAxis('USD per 1M tokens', { position: 'right', formatter: (v) => fmtUsd(v) }),
        splitLine: { show: false },
      },
    ],
    series: [
      {
        type: 'bar',
        name: 'demand tok/s',
        data: plan.timeline.map((t) => t.demandTokensPerSecond),
        itemStyle: { color: '#cbd5e1' },
        barGap: '-100%',
        tooltip: { valueFormatter: (v: unknown) => `${fmtNum(Number(v))} tok/s` },
      },
      {
        type: 'bar',
        name: 'served tok/s',
        data: plan.timeline.map((t) => t.servedTokensPerSecond),
        barWidth: '40%',
        tooltip: { valueFormatter: (v: unknown) => `${fmtNum(Number(v))} tok/s` },
      },
      {
        type: 'line',
        name: 'USD per 1M output tokens',
        yAxisIndex: 1,
        data: plan.timeline.map((t) => t.usdPerMillionOutputTokens),
        connectNulls: false,
        tooltip: {
          valueFormatter: (v: unknown) =>
            v === null || v === undefined || v === '-' ? '—' : fmtUsd(Number(v)),
        },
      },
    ],
  });
}
