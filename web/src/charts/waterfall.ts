/**
 * Waterfalls: the hourly TCO of a deployment (POST /api/cost: `tco.waterfall`) and power from
 * chip to node to facility (an estimate's power report, or a run's mean power at each
 * boundary). Drawn as stacked bars: an invisible base carries each step to where the previous
 * one ended; the totals are full bars.
 */
import type { EChartsOption } from 'echarts';
import type { OperatingPointCost, PowerReport, SimDeploymentResult } from '../types.js';
import { fmtUsd, fmtWatts, fmtNum } from '../format.js';
import {
  asOption,
  asParams,
  baseOption,
  categoryAxis,
  escapeHtml,
  PALETTE,
  valueAxis,
} from './common.js';

export interface WaterfallStep {
  label: string;
  /** The step's size (a part), or the running total when `total` is set. */
  value: number;
  total?: boolean;
  note?: string;
}

export interface WaterfallBar {
  label: string;
  base: number;
  value: number;
  total: boolean;
  note?: string;
}

/** Bars of a waterfall: each part starts where the running sum stood; totals start at 0. */
export function waterfallBars(steps: readonly WaterfallStep[]): WaterfallBar[] {
  let running = 0;
  return steps.map((s) => {
    if (s.total) {
      running = s.value;
      return {
        label: s.label,
        base: 0,
        value: s.value,
        total: true,
        ...(s.note ? { note: s.note } : {}),
      };
    }
    const base = s.value >= 0 ? running : running + s.value;
    running += s.value;
    return {
      label: s.label,
      base,
      value: Math.abs(s.value),
      total: false,
      ...(s.note ? { note: s.note } : {}),
    };
  });
}

export function waterfallOption(
  title: string,
  subtitle: string,
  steps: readonly WaterfallStep[],
  unit: { axis: string; format: (v: number) => string },
): EChartsOption {
  const bars = waterfallBars(steps);
  return asOption({
    ...baseOption(title, subtitle),
    legend: { show: false },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      formatter: (raw: unknown) => {
        const i = asParams(raw)[0]?.dataIndex;
        const b = i !== undefined ? bars[i] : undefined;
        if (!b) return '';
        return `<b>${escapeHtml(b.label)}</b>: ${unit.format(b.value)}${b.note ? `<br/><span style="color:#64748b">${escapeHtml(b.note)}</span>` : ''}`;
      },
    },
    xAxis: {
      ...categoryAxis(
        '',
        bars.map((b) => b.label),
      ),
      axisLabel: {
        interval: 0,
        fontSize: 11,
        lineHeight: 14,
        color: '#64748b',
        width: 96,
        overflow: 'break',
      },
    },
    yAxis: valueAxis(unit.axis, { formatter: unit.format }),
    grid: { left: 72, right: 24, top: 64, bottom: 48 },
    series: [
      {
        type: 'bar',
        name: 'base',
        stack: 'w',
        silent: true,
        itemStyle: { color: 'transparent', borderColor: 'transparent' },
        emphasis: { disabled: true },
        data: bars.map((b) => b.base),
      },
      {
        type: 'bar',
        name: title,
        stack: 'w',
        barMaxWidth: 56,
        label: {
          show: true,
          position: 'top',
          fontSize: 11,
          color: '#334155',
          formatter: (p: { dataIndex: number }) => unit.format(bars[p.dataIndex]?.value ?? 0),
        },
        data: bars.map((b, i) => ({
          value: b.value,
          itemStyle: { color: b.total ? '#334155' : PALETTE[i % PALETTE.length] },
        })),
      },
    ],
  });
}

/** TCO per hour of one operating point: each waterfall item, then the total. */
export function costWaterfallSteps(point: OperatingPointCost): WaterfallStep[] {
  return [
    ...point.tco.waterfall.map((w) => ({ label: w.item, value: w.usdPerHour, note: w.derivation })),
    {
      label: 'total',
      value: point.tco.usdPerHour,
      total: true,
      note: `${fmtUsd(point.tco.usdPerGpuHour)} per GPU-hour`,
    },
  ];
}

export function costWaterfallOption(
  point: OperatingPointCost,
  currencyYear: string,
): EChartsOption {
  return waterfallOption(
    'TCO per hour',
    `${point.name} — ${currencyYear}, ${point.tco.numGpus} GPUs, ${point.tco.amortization} amortization`,
    costWaterfallSteps(point),
    { axis: `${currencyYear} per hour`, format: (v) => fmtUsd(v) },
  );
}

/** Power at chip, node, facility (and provisioned, when known). */
export interface PowerLevels {
  chip: number;
  node: number;
  facility?: number;
  provisioned?: number;
  pue?: number;
}

export function powerWaterfallSteps(p: PowerLevels): WaterfallStep[] {
  const steps: WaterfallStep[] = [
    { label: 'chips', value: p.chip, note: 'accelerator board power drawn' },
    {
      label: '+ host & network',
      value: p.node - p.chip,
      note: "the systems' host and network share",
    },
    { label: 'node', value: p.node, total: true },
  ];
  if (p.facility !== undefined) {
    steps.push(
      {
        label: '+ cooling & losses',
        value: p.facility - p.node,
        note:
          p.pue !== undefined ? `PUE ${fmtNum(p.pue)}: facility = node × PUE` : 'facility overhead',
      },
      { label: 'facility', value: p.facility, total: true },
    );
    if (p.provisioned !== undefined)
      steps.push(
        {
          label: '+ headroom',
          value: p.provisioned - p.facility,
          note: 'nameplate (TDP) minus drawn, × PUE',
        },
        { label: 'provisioned', value: p.provisioned, total: true },
      );
  }
  return steps;
}

/** Power levels of an estimate's power report (per replica). */
export function powerLevelsFromEstimate(power: PowerReport): PowerLevels {
  return {
    chip: power.chipWattsPerReplica.value,
    node: power.nodeWattsPerReplica.value,
    ...(power.facilityWattsPerReplica ? { facility: power.facilityWattsPerReplica.value } : {}),
    ...(power.provisionedFacilityWattsPerReplica
      ? { provisioned: power.provisionedFacilityWattsPerReplica.value }
      : {}),
    ...(power.pue ? { pue: power.pue.value } : {}),
  };
}

/** Power levels of a run's deployment (window means, whole deployment). */
export function powerLevelsFromRun(energy: SimDeploymentResult['energy']): PowerLevels {
  return {
    chip: energy.meanPowerWatts.chip,
    node: energy.meanPowerWatts.node,
    facility: energy.meanPowerWatts.facility,
    pue: energy.pue,
  };
}

export function powerWaterfallOption(levels: PowerLevels, subtitle: string): EChartsOption {
  return waterfallOption('Power: chip → node → facility', subtitle, powerWaterfallSteps(levels), {
    axis: 'power (W)',
    format: (v) => fmtWatts(v),
  });
}

/** Cost per 1M tokens by kind (uncached input, cached input, output, blended). */
export function costPerTokenOption(point: OperatingPointCost, currencyYear: string): EChartsOption {
  const kinds = Object.entries(point.costPerToken.usdPerMillion);
  return asOption({
    ...baseOption('Cost per 1M tokens', `split rule: ${point.costPerToken.rule}`),
    legend: { show: false },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (raw: unknown) => {
        const i = asParams(raw)[0]?.dataIndex;
        const k = i !== undefined ? kinds[i] : undefined;
        return k ? `<b>${escapeHtml(k[1].name)}</b><br/>${fmtUsd(k[1].value)} per 1M tokens` : '';
      },
    },
    xAxis: categoryAxis(
      '',
      kinds.map(([k]) => k),
    ),
    yAxis: valueAxis(`${currencyYear} per 1M tokens`, { formatter: (v) => fmtUsd(v) }),
    grid: { left: 72, right: 24, top: 64, bottom: 36 },
    series: [
      {
        type: 'bar',
        name: 'USD per 1M tokens',
        barMaxWidth: 56,
        label: {
          show: true,
          position: 'top',
          fontSize: 11,
          formatter: (p: { value: number }) => fmtUsd(p.value),
        },
        data: kinds.map(([, m], i) => ({
          value: m.value,
          itemStyle: { color: PALETTE[i % PALETTE.length] },
        })),
      },
    ],
  });
}
