/**
 * Shared pieces of every chart option: palette, typography, grid, axes with units, tooltips.
 * Builders in this folder are pure functions from API JSON to ECharts options (no DOM, no
 * echarts runtime), so they are unit-tested in Node and reused by the HTML report.
 */
import type { EChartsOption } from 'echarts';
import { fmtSi } from '../format.js';

export const PALETTE = [
  '#2563eb',
  '#16a34a',
  '#d97706',
  '#dc2626',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#475569',
];

export const INK = '#1e293b';
export const MUTED = '#64748b';
export const GRID_LINE = '#e2e8f0';
const FONT = "Inter, 'Segoe UI', system-ui, -apple-system, sans-serif";

/** An axis as the builders write it (checked by ECharts at run time, by tests here). */
export type AxisOption = Record<string, unknown>;

/** Type an option object built from loose parts (axes, series) as an ECharts option. */
export const asOption = (o: Record<string, unknown>): EChartsOption => o as EChartsOption;

/** Options every chart starts from: no animation (reproducible screenshots), compact grid. */
export function baseOption(title?: string, subtitle?: string): EChartsOption {
  return {
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily: FONT, color: INK },
    ...(title
      ? {
          title: {
            text: title,
            ...(subtitle ? { subtext: subtitle } : {}),
            left: 0,
            top: 0,
            textStyle: { fontSize: 13, fontWeight: 600, color: INK },
            subtextStyle: { fontSize: 11, color: MUTED },
          },
        }
      : {}),
    grid: { left: 64, right: 24, top: subtitle ? 64 : 48, bottom: 44, containLabel: false },
    tooltip: { trigger: 'axis', confine: true, textStyle: { fontSize: 12 } },
    legend: {
      top: subtitle ? 36 : 22,
      right: 0,
      textStyle: { fontSize: 11, color: MUTED },
      itemHeight: 8,
    },
  };
}

/** A value axis titled with its quantity and unit, labels in compact SI form unless given. */
export function valueAxis(
  name: string,
  opts: {
    formatter?: (v: number) => string;
    position?: 'left' | 'right' | 'bottom' | 'top';
    min?: number;
    max?: number;
    log?: boolean;
    nameGap?: number;
  } = {},
): AxisOption {
  const formatter = opts.formatter ?? ((v: number) => fmtSi(v));
  return {
    type: opts.log ? 'log' : 'value',
    name,
    nameLocation: 'middle',
    nameGap: opts.nameGap ?? (opts.position === 'bottom' || opts.position === 'top' ? 28 : 48),
    nameTextStyle: { color: MUTED, fontSize: 11 },
    ...(opts.position ? { position: opts.position } : {}),
    ...(opts.min !== undefined ? { min: opts.min } : {}),
    ...(opts.max !== undefined ? { max: opts.max } : {}),
    axisLabel: { color: MUTED, fontSize: 11, formatter: (v: number) => formatter(v) },
    splitLine: { lineStyle: { color: GRID_LINE } },
    axisLine: { show: false },
  };
}

export function categoryAxis(
  name: string,
  data: string[],
  opts: { rotate?: number } = {},
): AxisOption {
  return {
    type: 'category' as const,
    name,
    nameLocation: 'middle' as const,
    nameGap: opts.rotate ? 48 : 28,
    nameTextStyle: { color: MUTED, fontSize: 11 },
    data,
    axisLabel: { color: MUTED, fontSize: 11, ...(opts.rotate ? { rotate: opts.rotate } : {}) },
    axisTick: { alignWithLabel: true },
    axisLine: { lineStyle: { color: '#cbd5e1' } },
  };
}

/** Tooltip parameter as ECharts passes it to a formatter (the fields the builders read). */
export interface TooltipParam {
  seriesName?: string;
  name?: string;
  value?: unknown;
  data?: unknown;
  marker?: string;
  dataIndex?: number;
  seriesIndex?: number;
  axisValueLabel?: string;
}

export const asParams = (p: unknown): TooltipParam[] =>
  (Array.isArray(p) ? p : [p]) as TooltipParam[];

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );

/** Log-axis bounds: the powers of ten around the positive finite values (undefined when none). */
export function logBounds(values: readonly number[]): { min: number; max: number } | undefined {
  const pos = values.filter((v) => Number.isFinite(v) && v > 0);
  if (!pos.length) return undefined;
  const lo = 10 ** Math.floor(Math.log10(Math.min(...pos)));
  let hi = 10 ** Math.ceil(Math.log10(Math.max(...pos)));
  if (hi <= lo) hi = lo * 10;
  return { min: lo, max: hi };
}
