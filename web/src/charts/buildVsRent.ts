/**
 * Build vs rent (POST /api/build-vs-rent): NPV against the owned fraction of peak demand (with
 * the MILP optimum), the load-duration split of each period's demand blocks by source, and the
 * ranking of pure strategies against the optimum.
 */
import type { EChartsOption } from 'echarts';
import type { BuildVsRentResult } from '../types.js';
import { fmtNum, fmtPercent, fmtUsd } from '../format.js';
import {
  asOption,
  asParams,
  baseOption,
  categoryAxis,
  escapeHtml,
  logBounds,
  valueAxis,
} from './common.js';

type Report = BuildVsRentResult['report'];

export function costVsOwnedOption(r: Report): EChartsOption {
  const pts = r.costVsOwnedFraction.points;
  return asOption({
    ...baseOption(
      'NPV vs owned fraction',
      `${r.costVsOwnedFraction.currencyYear}, cost of the whole horizon; the rest rented at the cheapest mix`,
    ),
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (raw: unknown) => {
        const p = asParams(raw)[0];
        const v = p?.value as [number, number] | undefined;
        if (!v) return '';
        return `${escapeHtml(p?.seriesName ?? '')}<br/>owned ${fmtPercent(v[0], 0)} of peak: <b>${fmtUsd(v[1])}</b>`;
      },
    },
    xAxis: valueAxis('owned capacity, share of peak demand', {
      position: 'bottom',
      min: 0,
      max: 1,
      formatter: (v) => `${Math.round(v * 100)}%`,
    }),
    yAxis: valueAxis(`NPV (${r.costVsOwnedFraction.currencyYear})`, {
      formatter: (v) => fmtUsd(v),
    }),
    grid: { left: 72, right: 24, top: 64, bottom: 44 },
    series: [
      {
        type: 'line',
        name: 'NPV (feasible)',
        data: pts.map((p) => [p.ownedFraction, p.feasible ? p.npvUsd : null]),
        symbol: 'circle',
        symbolSize: 6,
        lineStyle: { width: 2 },
      },
      {
        type: 'scatter',
        name: 'infeasible',
        data: pts.filter((p) => !p.feasible).map((p) => [p.ownedFraction, p.npvUsd]),
        itemStyle: { color: '#dc2626' },
        symbol: 'triangle',
      },
      {
        type: 'scatter',
        name: 'MILP optimum',
        symbol: 'diamond',
        symbolSize: 14,
        itemStyle: { color: '#16a34a' },
        data: [[r.optimum.mix.ownedFractionOfPeak, r.optimum.npv.value]],
      },
    ],
  });
}

export const SOURCE_ORDER = ['owned', 'reserved'];

/** Stacked bars per load-duration block: owned, reserved, each hourly option; demand as a line. */
export function loadDurationOption(r: Report): EChartsOption {
  const rows = r.loadDuration;
  const options = [...new Set(rows.flatMap((x) => Object.keys(x.rentedReplicasByOption)))];
  const labels = rows.map((x) => `P${x.period + 1}·${x.block + 1}`);
  const bar = (name: string, data: number[]) => ({
    type: 'bar',
    name,
    stack: 'served',
    data,
    barCategoryGap: '15%',
  });
  return asOption({
    ...baseOption(
      'Load-duration split',
      `per period (${r.horizon.periodMonths} months), ${r.horizon.blocksPerPeriod} demand blocks from peak to trough: replicas by source`,
    ),
    grid: { left: 64, right: 24, top: 72, bottom: 48 },
    legend: { top: 36, right: 0 },
    tooltip: {
      trigger: 'axis',
      confine: true,
      axisPointer: { type: 'shadow' },
      formatter: (raw: unknown) => {
        const ps = asParams(raw);
        const i = ps[0]?.dataIndex;
        const row = i !== undefined ? rows[i] : undefined;
        if (!row) return '';
        return [
          `period ${row.period + 1}, block ${row.block + 1}: ${fmtNum(row.hours)} h`,
          ...ps.map(
            (p) =>
              `${p.marker ?? ''}${escapeHtml(p.seriesName ?? '')}: <b>${fmtNum(Number(p.value))}</b> replicas`,
          ),
        ].join('<br/>');
      },
    },
    xAxis: {
      ...categoryAxis(`period (${r.horizon.blocksPerPeriod} blocks each, peak → trough)`, labels),
      axisLabel: {
        interval: 0,
        fontSize: 11,
        color: '#64748b',
        formatter: (_: string, i: number) =>
          rows[i]?.block === 0 ? `P${(rows[i]?.period ?? 0) + 1}` : '',
      },
      axisTick: { interval: (i: number) => rows[i]?.block === 0 },
    },
    yAxis: valueAxis('replicas', { min: 0, formatter: (v) => fmtNum(v) }),
    series: [
      bar(
        'owned',
        rows.map((x) => x.ownedReplicas),
      ),
      bar(
        'reserved',
        rows.map((x) => x.reservedReplicas),
      ),
      ...options.map((o) =>
        bar(
          o,
          rows.map((x) => x.rentedReplicasByOption[o] ?? 0),
        ),
      ),
      {
        type: 'line',
        name: 'demand',
        data: rows.map((x) => x.demandReplicas),
        symbol: 'none',
        step: 'middle',
        lineStyle: { color: '#0f172a', width: 1.4 },
        itemStyle: { color: '#0f172a' },
      },
    ],
  });
}

/** NPV of each strategy, cheapest first. */
export function rankingOption(r: Report): EChartsOption {
  const rows = r.ranking;
  return asOption({
    ...baseOption('Strategies by NPV', `${r.currencyYear}; log scale`),
    legend: { show: false },
    grid: { left: 140, right: 72, top: 56, bottom: 44 },
    tooltip: {
      trigger: 'item',
      formatter: (raw: unknown) => {
        const i = asParams(raw)[0]?.dataIndex;
        const o = i !== undefined ? rows[i] : undefined;
        return o
          ? `<b>${escapeHtml(o.name)}</b>: ${fmtUsd(o.npv.value)}<br/>${escapeHtml(o.description)}${o.feasible ? '' : '<br/>infeasible'}`
          : '';
      },
    },
    yAxis: {
      ...categoryAxis(
        '',
        rows.map((o) => o.name),
      ),
      inverse: true,
    },
    xAxis: valueAxis(`NPV (${r.currencyYear}, log)`, {
      log: true,
      position: 'bottom',
      formatter: (v) => fmtUsd(v),
      ...logBounds(rows.map((o) => o.npv.value)),
    }),
    series: [
      {
        type: 'bar',
        name: 'NPV',
        barMaxWidth: 18,
        label: {
          show: true,
          position: 'right',
          fontSize: 11,
          formatter: (p: { value: number }) => fmtUsd(p.value),
        },
        data: rows.map((o) => ({
          value: o.npv.value,
          itemStyle: {
            color: o.name === r.cheapest ? '#16a34a' : o.feasible ? '#94a3b8' : '#fca5a5',
          },
        })),
      },
    ],
  });
}
