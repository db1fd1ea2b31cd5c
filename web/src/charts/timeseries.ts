/**
 * Time-series charts of a run (SimResult deployment `timeSeries`): load, KV-cache occupancy,
 * chip power and replicas up over simulated time. Gauges are time-weighted means per interval
 * and counters are per-second rates; each point sits at its interval's midpoint. The warm-up
 * (excluded from every scorecard figure) is shaded.
 */
import type { EChartsOption } from 'echarts';
import type { SimDeploymentResult, TimeSeriesResult } from '../types.js';
import { fmtNum, fmtPercent, fmtSeconds, fmtSi, fmtWatts } from '../format.js';
import { asOption, asParams, baseOption, valueAxis } from './common.js';

export type Point = [number, number];

const NICE_STEPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** The smallest 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k at or above x (axis tops). */
export function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of NICE_STEPS) if (m * p >= x - 1e-12 * p) return m * p;
  return 10 * p;
}

/** `[t, value]` pairs at interval midpoints (seconds of simulated time). */
export function seriesPoints(ts: TimeSeriesResult, values: readonly number[]): Point[] {
  return values.map((v, i) => [ts.startSeconds + (i + 0.5) * ts.intervalSeconds, v]);
}

const timeAxis = (ts: TimeSeriesResult) => ({
  ...valueAxis('simulated time (s)', {
    position: 'bottom',
    formatter: (v: number) => fmtNum(v),
  }),
  min: ts.startSeconds,
  max: ts.endSeconds,
});

const warmupArea = (warmupSeconds: number, ts: TimeSeriesResult) =>
  warmupSeconds > ts.startSeconds
    ? {
        silent: true,
        itemStyle: { color: 'rgba(148,163,184,0.14)' },
        label: { show: true, position: 'insideTop' as const, color: '#94a3b8', fontSize: 10 },
        data: [[{ name: 'warm-up', xAxis: ts.startSeconds }, { xAxis: warmupSeconds }]],
      }
    : undefined;

function timeTooltip(format: (seriesName: string, v: number) => string) {
  return {
    trigger: 'axis' as const,
    confine: true,
    formatter: (raw: unknown) => {
      const ps = asParams(raw);
      const t = (ps[0]?.value as Point | undefined)?.[0];
      const head = t === undefined ? '' : `t = ${fmtSeconds(t)}`;
      return [
        head,
        ...ps.map((p) => {
          const v = (p.value as Point)[1];
          return `${p.marker ?? ''}${p.seriesName ?? ''}: <b>${format(p.seriesName ?? '', v)}</b>`;
        }),
      ].join('<br/>');
    },
  };
}

const line = (name: string, data: Point[], extra: Record<string, unknown> = {}) => ({
  type: 'line' as const,
  name,
  data,
  showSymbol: false,
  lineStyle: { width: 1.6 },
  emphasis: { focus: 'series' as const },
  ...extra,
});

const LOAD_GAUGES: [key: string, label: string][] = [
  ['inSystemRequests', 'requests in system'],
  ['runningRequests', 'running'],
  ['waitingRequests', 'waiting'],
];

/** Requests in system / running / waiting (left axis) and output tok/s (right axis). */
export function loadChartOption(ts: TimeSeriesResult, warmupSeconds: number): EChartsOption {
  const series: NonNullable<EChartsOption['series']> & unknown[] = [];
  for (const [key, label] of LOAD_GAUGES) {
    const v = ts.series[key];
    if (v) series.push(line(label, seriesPoints(ts, v), { yAxisIndex: 0 }));
  }
  const out = ts.ratesPerSecond.outputTokens;
  if (out)
    series.push(
      line('output tok/s', seriesPoints(ts, out), {
        yAxisIndex: 1,
        lineStyle: { width: 1.2, type: 'dashed' },
      }),
    );
  const area = warmupArea(warmupSeconds, ts);
  if (area && series[0]) (series[0] as Record<string, unknown>).markArea = area;
  return asOption({
    ...baseOption(
      'Load',
      `per ${fmtSeconds(ts.intervalSeconds)} interval (time-weighted mean; tok/s = rate)`,
    ),
    tooltip: timeTooltip((name, v) => (name === 'output tok/s' ? `${fmtNum(v)} tok/s` : fmtNum(v))),
    xAxis: timeAxis(ts),
    yAxis: [
      valueAxis('requests'),
      { ...valueAxis('output tok/s', { position: 'right' }), splitLine: { show: false } },
    ],
    grid: { left: 64, right: 64, top: 64, bottom: 44 },
    series,
  });
}

/** KV-cache occupancy (share of the KV blocks in use), with its window mean and max. */
export function kvChartOption(
  ts: TimeSeriesResult,
  warmupSeconds: number,
  summary?: { kvOccupancyMean?: number; kvOccupancyMax?: number },
): EChartsOption {
  const v = ts.series.kvOccupancy ?? [];
  const marks: { name: string; yAxis: number }[] = [];
  if (summary?.kvOccupancyMean !== undefined)
    marks.push({ name: 'window mean', yAxis: summary.kvOccupancyMean });
  const area = warmupArea(warmupSeconds, ts);
  return asOption({
    ...baseOption('KV-cache occupancy', 'share of KV blocks in use, mean per interval'),
    tooltip: timeTooltip((_n, x) => fmtPercent(x)),
    xAxis: timeAxis(ts),
    yAxis: valueAxis('occupancy (%)', { formatter: (x) => `${Math.round(x * 100)}%`, min: 0 }),
    series: [
      line('KV occupancy', seriesPoints(ts, v), {
        areaStyle: { opacity: 0.12 },
        ...(marks.length
          ? {
              markLine: {
                symbol: 'none',
                lineStyle: { type: 'dotted', color: '#64748b' },
                label: {
                  position: 'insideEndTop',
                  formatter: (p: { name?: string; value?: unknown }) =>
                    `${p.name} ${fmtPercent(Number(p.value))}`,
                  fontSize: 10,
                },
                data: marks,
              },
            }
          : {}),
        ...(area ? { markArea: area } : {}),
      }),
    ],
  });
}

/**
 * Chip power over time (W, all the deployment's GPUs), with the window means at chip, node and
 * facility boundaries as reference lines (the twin records chip power per interval; node and
 * facility are window means from the energy meter).
 */
export function powerChartOption(
  ts: TimeSeriesResult,
  warmupSeconds: number,
  energy?: SimDeploymentResult['energy'],
): EChartsOption {
  const v = ts.series.chipPowerWatts ?? [];
  const marks = energy
    ? [
        { name: 'chip mean', yAxis: energy.meanPowerWatts.chip },
        { name: 'node mean', yAxis: energy.meanPowerWatts.node },
        {
          name: `facility mean (PUE ${fmtNum(energy.pue)})`,
          yAxis: energy.meanPowerWatts.facility,
        },
      ]
    : [];
  const area = warmupArea(warmupSeconds, ts);
  // The axis reaches the highest reference line, so facility and node means stay in view.
  const top = Math.max(0, ...v, ...marks.map((m) => m.yAxis));
  return asOption({
    ...baseOption('Power', 'chip power drawn per interval; window means at chip, node, facility'),
    tooltip: timeTooltip((_n, x) => fmtWatts(x)),
    xAxis: timeAxis(ts),
    yAxis: valueAxis('power (W)', {
      formatter: (x) => `${fmtSi(x)}W`,
      min: 0,
      max: niceCeil(top * 1.05),
    }),
    series: [
      line('chip power', seriesPoints(ts, v), {
        areaStyle: { opacity: 0.1 },
        ...(marks.length
          ? {
              markLine: {
                symbol: 'none',
                lineStyle: { type: 'dashed', color: '#94a3b8' },
                label: {
                  position: 'insideEndTop',
                  fontSize: 10,
                  color: '#475569',
                  formatter: (p: { name?: string; value?: unknown }) =>
                    `${p.name}: ${fmtWatts(Number(p.value))}`,
                },
                data: marks,
              },
            }
          : {}),
        ...(area ? { markArea: area } : {}),
      }),
    ],
  });
}

/** Replicas serving (and provisioned, with an autoscaler) over time; null when constant. */
export function replicasChartOption(
  ts: TimeSeriesResult,
  warmupSeconds: number,
): EChartsOption | null {
  const up = ts.series.replicasUp;
  const prov = ts.series.provisionedReplicas;
  if (!up) return null;
  const varies = (a: readonly number[] | undefined) =>
    !!a && a.length > 0 && Math.max(...a) - Math.min(...a) > 1e-9;
  if (!varies(up) && !varies(prov)) return null;
  const area = warmupArea(warmupSeconds, ts);
  return asOption({
    ...baseOption('Replicas', 'time-weighted mean per interval'),
    tooltip: timeTooltip((_n, x) => fmtNum(x)),
    xAxis: timeAxis(ts),
    yAxis: valueAxis('replicas', { min: 0, formatter: (x) => fmtNum(x) }),
    series: [
      line('replicas up', seriesPoints(ts, up), area ? { markArea: area } : {}),
      ...(prov
        ? [
            line('provisioned', seriesPoints(ts, prov), {
              lineStyle: { type: 'dashed', width: 1.2 },
            }),
          ]
        : []),
    ],
  });
}
