/**
 * A stored sweep's SweepResult (`GET /api/runs/:id` of a `sweep` run): the points table's
 * columns and rows, the Pareto scatter (cost per 1M output tokens — or the objective — against
 * goodput, the Pareto set highlighted, infeasible points grey), and for a capacity search the
 * bisection rounds (each rate tried, feasible or not, round by round). Pure: the figures are
 * the engine's, nothing is recomputed here.
 */
import { BASIS_ORDER } from '../scorecard.js';
import type { EChartsOption } from 'echarts';
import { fmtNum, fmtValue } from '../format.js';
import type { Basis, SweepPointResult, SweepResult } from '../types.js';
import {
  asOption,
  asParams,
  baseOption,
  escapeHtml,
  logBounds,
  PALETTE,
  valueAxis,
} from './common.js';

/** The x axis of the Pareto scatter. */
export const GOODPUT = 'goodputTokensPerSecond';
const COST = 'costUsdPerMillionOutputTokens';
/** Infeasible points. */
export const INFEASIBLE_GREY = '#94a3b8';

/** An axis value as text (numbers formatted, mappings as JSON). */
export const showValue = (v: unknown): string =>
  typeof v === 'number' ? fmtNum(v) : typeof v === 'string' ? v : JSON.stringify(v);

/** A metric's value with its unit (`metricUnits`), `—` when absent. */
export const metricText = (r: SweepResult, p: SweepPointResult, metric: string): string =>
  fmtValue(p.metrics.values[metric] ?? null, r.metricUnits[metric] ?? '');

/** A metric in a table cell whose header gives the unit: latencies and shares formatted, else the number. */
export function metricCell(r: SweepResult, p: SweepPointResult, metric: string): string {
  const unit = r.metricUnits[metric] ?? '';
  const v = p.metrics.values[metric] ?? null;
  return unit === 's' || unit === 'fraction' ? fmtValue(v, unit) : fmtNum(v);
}

export interface SweepColumns {
  /** Axis paths whose value differs between points: the table's axis columns. */
  varying: string[];
  /** Axis paths with one value over every point (settings such as the simulated time). */
  fixed: { path: string; value: unknown }[];
  /** Metrics shown per point: the objective, the constraints' and the Pareto objectives'. */
  metrics: string[];
}

/** Columns of the points table (the CLI summary's choice). */
export function sweepColumns(r: SweepResult): SweepColumns {
  const paths = [...new Set(r.points.flatMap((p) => p.assignments.map((a) => a.path)))];
  const valueAt = (p: SweepPointResult, path: string) =>
    JSON.stringify(p.assignments.find((a) => a.path === path)?.value ?? null);
  const isFixed = (path: string) =>
    r.points.length > 1 && new Set(r.points.map((p) => valueAt(p, path))).size === 1;
  return {
    varying: paths.filter((p) => !isFixed(p)),
    fixed: paths.filter(isFixed).map((path) => ({
      path,
      value: r.points[0]!.assignments.find((a) => a.path === path)!.value,
    })),
    metrics: [
      ...new Set([
        r.objective.metric,
        ...r.constraints.map((c) => c.metric),
        ...r.pareto.objectives.map((o) => o.metric),
      ]),
    ],
  };
}

/** Basis fields in the order the summary shows them; `source` (long) goes in a tooltip. */
const BASIS_SHOWN = BASIS_ORDER.filter((k) => k !== 'source');

/** A basis field's value in words. */
export function basisFieldText(field: keyof Basis, v: unknown): string {
  if (field === 'slo')
    return v === 'none'
      ? 'none'
      : Object.entries(v as Record<string, number>)
          .map(
            ([k, x]) =>
              `${k.replace(/Seconds$/, '').replace(/P99$/, ' p99')} ≤ ${fmtValue(x, 's')}`,
          )
          .join(', ');
  if (field === 'energyPriceUsdPerKwh') return `${fmtNum(v as number)} USD/kWh`;
  return String(v);
}

export interface SweepBasisView {
  /** Fields (with their value) that every shown metric shares at every point. */
  shared: [keyof Basis, string][];
  /** Per shown metric: its other shared fields, and the fields that vary over the points. */
  metrics: {
    metric: string;
    points: number;
    common: [keyof Basis, string][];
    /** The shared source, when the points share one (for a tooltip). */
    source?: string;
    varies: string[];
    incomparable: string[];
  }[];
}

/** The basis of the shown metrics (`SweepResult.basis`): what every point shares, what varies. */
export function sweepBasis(r: SweepResult, metrics: readonly string[]): SweepBasisView {
  const withPoints = metrics.map((m) => r.basis[m]).filter((b) => b !== undefined && b.points > 0);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const sharedFields = BASIS_SHOWN.filter(
    (f) =>
      withPoints.length > 0 &&
      withPoints.every(
        (b) => b!.common[f] !== undefined && same(b!.common[f], withPoints[0]!.common[f]),
      ),
  );
  return {
    shared: sharedFields.map((f) => [f, basisFieldText(f, withPoints[0]!.common[f])]),
    metrics: metrics.map((metric) => {
      const b = r.basis[metric];
      if (!b) return { metric, points: 0, common: [], varies: [], incomparable: [] };
      return {
        metric,
        points: b.points,
        common: BASIS_SHOWN.filter(
          (f) => !sharedFields.includes(f) && b.common[f] !== undefined,
        ).map((f): [keyof Basis, string] => [f, basisFieldText(f, b.common[f])]),
        ...(b.common.source !== undefined ? { source: b.common.source } : {}),
        varies: b.varies,
        incomparable: b.incomparable,
      };
    }),
  };
}

/** Column titles of axis paths: the last segment, or the whole path where two would clash. */
export function axisTitles(paths: readonly string[]): string[] {
  const last = paths.map((p) => p.split('.').at(-1)!);
  return paths.map((p, i) => (last.filter((x) => x === last[i]).length > 1 ? p : last[i]!));
}

export interface SweepRow {
  point: SweepPointResult;
  chosen: boolean;
  pareto: boolean;
}

/** The points best first: feasible before infeasible, then by the objective, then by job key. */
export function sweepRows(r: SweepResult): SweepRow[] {
  const pareto = new Set(r.pareto.keys);
  const o = r.objective;
  const sign = o.sense === 'maximize' ? -1 : 1;
  return [...r.points]
    .sort((a, b) => {
      if (a.feasible !== b.feasible) return a.feasible ? -1 : 1;
      const va = a.metrics.values[o.metric];
      const vb = b.metrics.values[o.metric];
      if (va !== vb) return va === undefined ? 1 : vb === undefined ? -1 : sign * (va - vb);
      return a.key < b.key ? -1 : 1;
    })
    .map((point) => ({
      point,
      chosen: point.key === r.chosen?.key,
      pareto: pareto.has(point.key),
    }));
}

/** Why a point is not feasible, in one line (empty when it is). */
export function infeasibleReason(p: SweepPointResult): string {
  if (p.error) return `failed: ${p.error.message.split('\n')[0]}`;
  return p.violations
    .map(
      (v) =>
        `${v.metric} ${v.bound === 'max' ? '>' : '<'} ${fmtNum(v.limit)}${v.absent ? ' (absent)' : ''}`,
    )
    .join(', ');
}

/**
 * The metrics of the Pareto scatter: goodput across, and up the cost per 1M output tokens — or,
 * when no point has it (no economics section), the objective or another Pareto objective.
 */
export function paretoAxes(r: SweepResult): { x: string; y: string } {
  const has = (m: string) => r.points.some((p) => p.metrics.values[m] !== undefined);
  const y =
    [COST, r.objective.metric, ...r.pareto.objectives.map((o) => o.metric)].find(
      (m) => m !== GOODPUT && has(m),
    ) ?? r.objective.metric;
  return { x: GOODPUT, y };
}

const axisName = (r: SweepResult, metric: string) =>
  `${metric}${r.metricUnits[metric] ? ` (${r.metricUnits[metric]})` : ''}`;

/** Short text of a point's varying axis values (`hgx-h200-8gpu, maxNumSeqs 56`). */
export function pointLabel(
  r: SweepResult,
  p: SweepPointResult,
  varying?: readonly string[],
): string {
  const paths = varying ?? sweepColumns(r).varying;
  const titles = axisTitles(paths);
  return (
    paths
      .map((path, i) => {
        const a = p.assignments.find((x) => x.path === path);
        return a ? `${titles[i]} ${showValue(a.value)}` : '';
      })
      .filter(Boolean)
      .join(', ') || 'the only point'
  );
}

/** Pareto scatter: cost per 1M output tokens (or the objective) against goodput. */
export function sweepParetoOption(r: SweepResult): EChartsOption {
  const { x, y } = paretoAxes(r);
  const { varying } = sweepColumns(r);
  const pareto = new Set(r.pareto.keys);
  const plotted = r.points.filter(
    (p) => p.metrics.values[x] !== undefined && p.metrics.values[y] !== undefined,
  );
  const left = r.points.length - plotted.length;
  const lacking = [x, y].filter((m) =>
    r.points.some((p) => !plotted.includes(p) && p.metrics.values[m] === undefined),
  );
  const groups: { name: string; points: SweepPointResult[]; style: Record<string, unknown> }[] = [
    {
      name: 'Pareto set',
      points: plotted.filter((p) => pareto.has(p.key)),
      style: { color: PALETTE[0], symbolSize: 13, z: 3 },
    },
    {
      name: 'feasible',
      points: plotted.filter((p) => p.feasible && !pareto.has(p.key)),
      style: { color: PALETTE[5], symbolSize: 9, z: 2 },
    },
    {
      name: 'infeasible',
      points: plotted.filter((p) => !p.feasible),
      style: { color: INFEASIBLE_GREY, symbolSize: 9, opacity: 0.7, z: 1 },
    },
    {
      name: 'chosen',
      points: plotted.filter((p) => p.key === r.chosen?.key),
      style: { color: PALETTE[2], symbolSize: 20, symbol: 'diamond', z: 4, hollow: true },
    },
  ];
  const isUsd = (m: string) => /^USD\b/.test(r.metricUnits[m] ?? '');
  return asOption({
    ...baseOption(
      `Pareto set — ${y} vs ${x}`,
      `Pareto over ${r.pareto.objectives.map((o) => `${o.metric} ${o.sense === 'minimize' ? '↓' : '↑'}`).join(', ')}; grey: infeasible${left ? `; ${left} point${left === 1 ? '' : 's'} without ${lacking.join(' or ')} not plotted` : ''}`,
    ),
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (raw: unknown) => {
        const t = asParams(raw)[0];
        const p =
          t?.seriesIndex !== undefined && t.dataIndex !== undefined
            ? groups[t.seriesIndex]?.points[t.dataIndex]
            : undefined;
        if (!p) return '';
        return [
          `<b>${escapeHtml(pointLabel(r, p, varying))}</b>${p.key === r.chosen?.key ? ' — chosen' : ''}${pareto.has(p.key) ? ' — Pareto set' : ''}`,
          `${escapeHtml(x)}: <b>${metricText(r, p, x)}</b>`,
          `${escapeHtml(y)}: <b>${metricText(r, p, y)}</b>`,
          ...(r.objective.metric !== x && r.objective.metric !== y
            ? [`${escapeHtml(r.objective.metric)}: <b>${metricText(r, p, r.objective.metric)}</b>`]
            : []),
          p.feasible ? 'feasible' : `infeasible: ${escapeHtml(infeasibleReason(p))}`,
          `<span style="color:#94a3b8">${escapeHtml(p.key)}</span>`,
        ].join('<br/>');
      },
    },
    xAxis: valueAxis(axisName(r, x), { position: 'bottom' }),
    yAxis: valueAxis(axisName(r, y), {
      nameGap: 56,
      ...(isUsd(y) ? { formatter: (v: number) => `$${fmtNum(v)}` } : {}),
    }),
    series: groups.map((g) => ({
      type: 'scatter',
      name: g.name,
      symbol: g.style.symbol ?? 'circle',
      symbolSize: g.style.symbolSize,
      z: g.style.z,
      itemStyle: g.style.hollow
        ? { color: 'rgba(0,0,0,0)', borderColor: g.style.color, borderWidth: 2.5 }
        : { color: g.style.color, opacity: g.style.opacity ?? 1 },
      data: g.points.map((p) => [p.metrics.values[x]!, p.metrics.values[y]!]),
    })),
  });
}

/**
 * The bisection rounds of a capacity search: each value tried (y) by round (x), one line per
 * search, filled where the point met every constraint and hollow where it did not, the capacity
 * found as a dashed line. Null for a grid or random search.
 */
export function sweepCapacityOption(r: SweepResult): EChartsOption | null {
  const cap = r.search.capacity;
  if (!cap || r.strategy.kind !== 'capacity') return null;
  const strategy = r.strategy;
  const searches = cap.searches.filter((s) => Array.isArray(s.trials) && s.trials.length > 0);
  if (searches.length === 0) return null;
  const varying = sweepColumns(r).varying;
  const names = searches.map(
    (s, i) =>
      s.assignments
        .filter((a) => varying.includes(a.path))
        .map((a) => showValue(a.value))
        .join(', ') || (searches.length > 1 ? `search ${i + 1}` : 'search'),
  );
  const geometric = strategy.relativeTolerance !== undefined;
  const bounds = geometric
    ? logBounds(searches.flatMap((s) => s.trials.map((t) => t.value)))
    : undefined;
  const path = strategy.path;
  return asOption({
    ...baseOption(
      `Capacity search — ${path.split('.').at(-1)} by round`,
      `${cap.rule}; round 0 tries low and high; filled: feasible, hollow: infeasible; dashed: the capacity found`,
    ),
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (raw: unknown) => {
        const t = asParams(raw)[0];
        const s = t?.seriesIndex !== undefined ? searches[t.seriesIndex] : undefined;
        const trial = s && t?.dataIndex !== undefined ? s.trials[t.dataIndex] : undefined;
        if (!s || !trial) return '';
        return [
          `<b>${escapeHtml(names[t!.seriesIndex!]!)}</b> — round ${trial.round}`,
          `${escapeHtml(path)} = <b>${fmtNum(trial.value)}</b>`,
          trial.feasible ? 'feasible' : 'infeasible',
          `capacity found: ${s.capacity === null ? '— (' + s.status + ')' : fmtNum(s.capacity)}`,
        ].join('<br/>');
      },
    },
    xAxis: {
      ...valueAxis('round', { position: 'bottom', formatter: (v) => String(v) }),
      minInterval: 1,
    },
    yAxis: valueAxis(path, {
      nameGap: 52,
      ...(geometric && bounds ? { log: true, ...bounds } : {}),
    }),
    series: searches.map((s, i) => ({
      type: 'line',
      name: names[i],
      symbolSize: 10,
      lineStyle: { width: 1.5, opacity: 0.6 },
      data: s.trials.map((t) => ({
        value: [t.round, t.value],
        symbol: t.feasible ? 'circle' : 'emptyCircle',
      })),
      ...(s.capacity !== null
        ? {
            markLine: {
              symbol: 'none',
              silent: true,
              lineStyle: { type: 'dashed' },
              label: {
                formatter: `capacity ${fmtNum(s.capacity)}`,
                position: i % 2 ? 'insideEndBottom' : 'insideEndTop',
              },
              data: [{ yAxis: s.capacity }],
            },
          }
        : {}),
    })),
  });
}
