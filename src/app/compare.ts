/**
 * Turn an estimate report or a simulation result into one side of `compareResults`
 * (compare/compare.ts): the metrics of one deployment (and, for estimates, one workload class),
 * each with its full basis. Pure.
 */
import type { ComparableSide } from '../compare/compare.js';
import type { Metric } from '../core/basis.js';
import { requireArg } from '../core/errors.js';
import { collectMetrics, type EstimateReport } from './estimate.js';
import type { SimResult } from './simulate.js';

export interface ComparableSelection {
  /** Deployment name; may be omitted when the result has exactly one. */
  deployment?: string;
  /** Workload class name (estimates); may be omitted when the deployment has exactly one. */
  className?: string;
  /** Include the throughput–interactivity frontier points, named `frontier c=<n>: <metric>`. */
  includeFrontier?: boolean;
  /** Side name; default `<scenario name> / <deployment>[ / <class>]`. */
  name?: string;
}

function pick<T extends { name: string }>(
  items: readonly T[],
  wanted: string | undefined,
  what: string,
  fn: string,
): T {
  if (wanted === undefined) {
    requireArg(
      items.length === 1,
      fn,
      `the result has ${items.length} ${what}s (${items.map((i) => i.name).join(', ')}): name one`,
    );
    return items[0]!;
  }
  const found = items.find((i) => i.name === wanted);
  requireArg(
    found !== undefined,
    fn,
    `no ${what} '${wanted}' (have: ${items.map((i) => i.name).join(', ')})`,
  );
  return found;
}

/**
 * The metrics of one deployment and class of an estimate report: throughput, latency,
 * utilization, power and energy (and, on request, the frontier), each with its basis.
 * @throws AifError E_INVALID_ARGUMENT when the selection is ambiguous or names nothing.
 */
export function estimateComparable(
  report: EstimateReport,
  selection: ComparableSelection = {},
): ComparableSide {
  const fn = 'estimateComparable';
  const d = pick(report.deployments, selection.deployment, 'deployment', fn);
  const classes = d.classes.map((c) => ({ ...c, name: c.className }));
  const c = pick(classes, selection.className, 'workload class', fn);
  const { frontier, ...rest } = c;
  const metrics: Metric[] = collectMetrics(rest);
  if (selection.includeFrontier)
    for (const f of frontier)
      for (const m of collectMetrics(f))
        metrics.push({ ...m, name: `frontier c=${f.concurrencyPerReplica}: ${m.name}` });
  return {
    name: selection.name ?? `${report.scenario.name} / ${d.name} / ${c.className}`,
    metrics,
  };
}

/**
 * The scorecard of one deployment of a simulation result (token goodput, throughput, tokens per
 * joule at each boundary, tokens per MW, utilization, SLO attainment, availability).
 * @throws AifError E_INVALID_ARGUMENT when the selection is ambiguous or names nothing.
 */
export function simComparable(
  result: SimResult,
  selection: Omit<ComparableSelection, 'className' | 'includeFrontier'> = {},
): ComparableSide {
  const d = pick(result.deployments, selection.deployment, 'deployment', 'simComparable');
  return {
    name: selection.name ?? `${result.scenario.name} / ${d.name} (simulated)`,
    metrics: collectMetrics(d.scorecard),
  };
}
