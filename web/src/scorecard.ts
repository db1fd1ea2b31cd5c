/**
 * Scorecard presentation: which basis fields all metrics share (shown once) and which vary
 * (shown as columns), and the latency percentile rows of a run. Pure.
 */
import type { Basis, LatencySummary, Metric, SimDeploymentResult } from './types.js';

export type BasisKey = keyof Basis;

/** Every basis field, in the order the dashboard shows them. */
export const BASIS_ORDER: readonly BasisKey[] = [
  'model',
  'precision',
  'workload',
  'slo',
  'utilization',
  'boundary',
  'powerKind',
  'currencyYear',
  'provenance',
  'energyPriceUsdPerKwh',
  'source',
];

const keyOf = (v: unknown): string => (v === undefined ? '' : JSON.stringify(v));

/** Basis fields equal on every metric (`common`) and those that differ (`varying`), in a fixed order. */
export function splitBasis(metrics: readonly Metric[]): {
  common: BasisKey[];
  varying: BasisKey[];
} {
  const common: BasisKey[] = [];
  const varying: BasisKey[] = [];
  for (const k of BASIS_ORDER) {
    const values = new Set(metrics.map((m) => keyOf(m.basis[k])));
    if (values.size === 1 && values.has('')) continue; // absent everywhere
    (values.size === 1 ? common : varying).push(k);
  }
  return { common, varying };
}

export const LATENCY_KINDS = ['ttft', 'tpot', 'itl', 'e2e', 'queueing'] as const;
export type LatencyKind = (typeof LATENCY_KINDS)[number];

export const LATENCY_LABEL: Record<LatencyKind, string> = {
  ttft: 'TTFT',
  tpot: 'TPOT',
  itl: 'ITL',
  e2e: 'E2E',
  queueing: 'queueing',
};

export const PERCENTILES: [keyof LatencySummary, string][] = [
  ['meanSeconds', 'mean'],
  ['p50Seconds', 'p50'],
  ['p90Seconds', 'p90'],
  ['p95Seconds', 'p95'],
  ['p99Seconds', 'p99'],
  ['p999Seconds', 'p99.9'],
  ['maxSeconds', 'max'],
];

export interface LatencyRow {
  className: string;
  kind: LatencyKind;
  summary: LatencySummary;
  /** The class's p99 target for this latency and whether the measured p99 meets it. */
  target?: { seconds: number; met: boolean | null };
}

/** Latency rows of each class (then `all classes` when there are several). */
export function latencyRows(d: SimDeploymentResult): LatencyRow[] {
  const rows: LatencyRow[] = [];
  for (const c of d.metrics.classes) {
    for (const kind of LATENCY_KINDS) {
      const check =
        kind === 'ttft' || kind === 'tpot' || kind === 'e2e' ? c.slo.measuredP99[kind] : undefined;
      rows.push({
        className: c.name,
        kind,
        summary: c[kind],
        ...(check ? { target: { seconds: check.targetSeconds, met: check.met } } : {}),
      });
    }
  }
  if (d.metrics.classes.length > 1)
    for (const kind of LATENCY_KINDS)
      rows.push({ className: 'all classes', kind, summary: d.metrics.total[kind] });
  return rows;
}
