/**
 * The flat metric record of one sweep point: from a serving-twin result (`app/simulate.ts`
 * `SimResult`) and, when the scenario prices its hardware, the run's cost (`app/cost.ts`
 * `costFromRun`), one number per metric id — or the reason it is absent. Objectives,
 * constraints and the Pareto set read these ids, so each is defined once here with its unit and
 * source (docs/sweeps.md lists them).
 *
 * Several deployments: rates, power and hourly cost add up over the deployments (they run over
 * the same measurement window); a latency percentile is the largest of the deployments' pooled
 * percentiles — an upper bound of the fleet-wide percentile, since if every deployment has at
 * least a share q of its requests at or below x, so does their union (exact for one deployment).
 *
 * Never a made-up price: without an `economics` section the money metrics are absent, with the
 * reason, instead of taking `costFromRun`'s owned-hardware default.
 *
 * No number without its basis: every value comes with its `Basis` (`bases`, the metrics that
 * share one grouped) — the SimResult scorecard's basis of the same figure (model, precision,
 * workload, SLOs, utilization, boundary, provenance, source), or for money the cost report's
 * (currency-year, the utilization the cost holds at) with the energy price and the provenance
 * of every price input (scenario or sourced default) added. Each definition declares the
 * boundary its basis states and whether it is money. `basis.ts` combines deployments and
 * summarizes a sweep.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Basis } from '../core/basis.js';
import { isAifError } from '../core/errors.js';
import { canonicalJson } from '../core/hash.js';
import { costFromRun, type CostReport, type DeploymentCost } from '../app/cost.js';
import type { SimDeploymentResult, SimResult } from '../app/simulate.js';
import type { Scenario } from '../scenario/index.js';
import type { LatencySummary } from '../sim/metrics/index.js';
import { fleetBasis } from './basis.js';

/** Which direction of a metric is better, for documentation and defaults. */
export type MetricSense = 'higher-is-better' | 'lower-is-better';

/** A metric that could not be computed for a point: why. */
export interface AbsentMetric {
  absent: string;
}

/** What a metric is computed from. */
export interface MetricContext {
  result: SimResult;
  scenario: Scenario;
  /** The run's cost report, or why there is none (computed once, on first use). */
  cost(): CostReport | AbsentMetric;
}

export interface SweepMetricDefinition {
  id: string;
  unit: string;
  sense: MetricSense;
  description: string;
  /** Where the number comes from (result field, formula). */
  source: string;
  /** The accounting boundary of the value (its basis states the same). */
  boundary: Basis['boundary'];
  /** Money: the basis carries the cost report's currency-year and the prices' provenance. */
  money: boolean;
  extract(ctx: MetricContext): number | AbsentMetric;
  /** The basis of the value: the SimResult scorecard's, or the cost report's (money). */
  basis(ctx: MetricContext): Basis | AbsentMetric;
}

/** Metrics of one point whose values hold at one basis. */
export interface BasisGroup {
  /** Metric ids, in registry order. */
  metrics: string[];
  basis: Basis;
}

/**
 * A point's metrics: values by id, the reason for every id without a value, and the basis of
 * every value — the metrics that share a basis grouped (most share one: the groups keep the
 * JSON small), groups in the registry order of their first metric. `basisOf` looks one up.
 */
export interface PointMetrics {
  values: Record<string, number>;
  absent: Record<string, string>;
  bases: BasisGroup[];
}

/** The basis of a metric's value at a point, or undefined when the metric is absent there. */
export const basisOf = (metrics: PointMetrics, id: string): Basis | undefined =>
  metrics.bases.find((g) => g.metrics.includes(id))?.basis;

const isAbsent = (x: unknown): x is AbsentMetric =>
  x !== null && typeof x === 'object' && 'absent' in x;

const sum = (ds: readonly SimDeploymentResult[], f: (d: SimDeploymentResult) => number): number =>
  ds.reduce((a, d) => a + f(d), 0);

/** Σ output tok/s ÷ Σ mean power drawn at `boundary` (tok/J), or absent when none was drawn. */
function tokensPerJouleAt(
  ds: readonly SimDeploymentResult[],
  boundary: 'chip' | 'facility',
): number | { absent: string } {
  const watts = sum(ds, (d) => d.energy.meanPowerWatts[boundary]);
  return watts > 0
    ? sum(ds, (d) => d.metrics.total.outputTokensPerSecond) / watts
    : { absent: `no ${boundary} power drawn` };
}

/** The largest of the deployments' pooled percentiles (see the module note). */
function worstPercentile(
  result: SimResult,
  pick: (m: SimDeploymentResult['metrics']['total']) => LatencySummary,
  field: 'p50Seconds' | 'p99Seconds',
): number | AbsentMetric {
  const xs = result.deployments
    .map((d) => pick(d.metrics.total)[field])
    .filter((x): x is number => x !== null);
  return xs.length
    ? Math.max(...xs)
    : { absent: 'no request completed inside the measurement window' };
}

/**
 * Definition parts of a figure whose basis is the scorecard's basis of the figure `name` at
 * `boundary`, in every deployment (combined over deployments: `basis.ts`).
 */
const fromScorecard = (
  name: string,
  boundary: Basis['boundary'],
): Pick<SweepMetricDefinition, 'boundary' | 'money' | 'basis'> => ({
  boundary,
  money: false,
  basis: ({ result }) => {
    const parts: { name: string; basis: Basis }[] = [];
    for (const d of result.deployments) {
      const m = d.scorecard.find((x) => x.name === name && x.basis.boundary === boundary);
      if (!m) return { absent: `no basis: ${d.name}'s scorecard has no ${name} at ${boundary}` };
      parts.push({ name: d.name, basis: m.basis });
    }
    return parts.length ? fleetBasis(parts) : { absent: 'no basis: the run has no deployment' };
  },
});

const inputText = (v: unknown): string =>
  typeof v === 'number' || typeof v === 'string' ? String(v) : JSON.stringify(v);

/**
 * A cost basis with what the sweep keeps of the cost report: the energy price (when the cost
 * includes energy) and every price input with its provenance (scenario or sourced default;
 * `aifactory cost --run` lists the defaults' sources).
 */
function priced(basis: Basis, d: DeploymentCost): Basis {
  const energy = d.inputs.find(
    (i) => /(^|\.)energyPriceUsdPerKwh$/.test(i.path) && typeof i.value === 'number',
  );
  const prices = d.inputs
    .map(
      (i) =>
        `${i.path} = ${inputText(i.value)}${i.unit ? ` ${i.unit}` : ''} (${i.source === 'scenario' ? 'scenario' : 'default'})`,
    )
    .join(', ');
  return {
    ...basis,
    source: `${basis.source}; prices: ${prices || 'none'}`,
    ...(energy ? { energyPriceUsdPerKwh: energy.value as number } : {}),
  };
}

/** Definition parts of a money figure whose basis is the cost report's `pick` of each deployment. */
const fromCost = (
  pick: (p: DeploymentCost['points'][number]) => Basis,
): Pick<SweepMetricDefinition, 'boundary' | 'money' | 'basis'> => ({
  boundary: 'facility',
  money: true,
  basis: (ctx) => {
    const cost = ctx.cost();
    if (isAbsent(cost)) return cost;
    const parts: { name: string; basis: Basis }[] = [];
    for (const d of cost.deployments) {
      const p = d.points[0];
      if (!p) return { absent: `no basis: the cost of ${d.name} has no operating point` };
      parts.push({ name: d.name, basis: priced(pick(p), d) });
    }
    return parts.length ? fleetBasis(parts) : { absent: 'no basis: the run has no deployment' };
  },
});

const percentileMetric = (
  id: string,
  name: string,
  key: 'ttft' | 'tpot' | 'e2e',
  field: 'p50Seconds' | 'p99Seconds',
): SweepMetricDefinition => ({
  id,
  unit: 's',
  sense: 'lower-is-better',
  description: `${name} ${field === 'p50Seconds' ? 'median (p50)' : '99th percentile'} over all classes (requests arriving in the measurement window; largest over deployments)`,
  source: `SimResult.deployments[].metrics.total.${key}.${field} (sim/metrics/recorder.ts, hdr histogram, ≤ 0.1% high)`,
  extract: ({ result }) => worstPercentile(result, (t) => t[key], field),
  // Pooled over every class: the deployment's basis (all its classes), as its output throughput.
  ...fromScorecard('output throughput', 'n/a'),
});

const NO_ECONOMICS =
  'the scenario has no economics section: no price is assumed (state economics: to price the run)';

/** Σ hourly all-in cost of the deployments (USD/hour), or why there is none. */
function usdPerHour(ctx: MetricContext): number | AbsentMetric {
  const cost = ctx.cost();
  if (isAbsent(cost)) return cost;
  return cost.deployments.reduce((a, d) => a + (d.points[0]?.usdPerHour.value ?? 0), 0);
}

const goodput = (r: SimResult): number =>
  sum(r.deployments, (d) => d.metrics.total.tokenGoodputTokensPerSecond);

/** The metric registry, in report order. */
export const SWEEP_METRICS: readonly SweepMetricDefinition[] = [
  {
    id: 'goodputTokensPerSecond',
    unit: 'tok/s',
    sense: 'higher-is-better',
    description:
      'token goodput: output tokens of requests that met every SLO of their class ÷ window',
    source: 'Σ SimResult.deployments[].metrics.total.tokenGoodputTokensPerSecond',
    ...fromScorecard('token goodput', 'n/a'),
    extract: ({ result }) => goodput(result),
  },
  {
    id: 'outputTokensPerSecond',
    unit: 'tok/s',
    sense: 'higher-is-better',
    description: 'output tokens of every request arriving in the window ÷ window',
    source: 'Σ SimResult.deployments[].metrics.total.outputTokensPerSecond',
    ...fromScorecard('output throughput', 'n/a'),
    extract: ({ result }) => sum(result.deployments, (d) => d.metrics.total.outputTokensPerSecond),
  },
  {
    id: 'goodputRequestsPerSecond',
    unit: 'req/s',
    sense: 'higher-is-better',
    description: 'requests meeting every SLO of their class ÷ window',
    source: 'Σ SimResult.deployments[].metrics.total.goodputRequestsPerSecond',
    ...fromScorecard('token goodput', 'n/a'),
    extract: ({ result }) =>
      sum(result.deployments, (d) => d.metrics.total.goodputRequestsPerSecond),
  },
  percentileMetric('ttftP50Seconds', 'time to first token', 'ttft', 'p50Seconds'),
  percentileMetric('ttftP99Seconds', 'time to first token', 'ttft', 'p99Seconds'),
  percentileMetric('tpotP50Seconds', 'time per output token', 'tpot', 'p50Seconds'),
  percentileMetric('tpotP99Seconds', 'time per output token', 'tpot', 'p99Seconds'),
  percentileMetric('e2eP99Seconds', 'end-to-end latency', 'e2e', 'p99Seconds'),
  {
    id: 'sloAttainment',
    unit: 'fraction',
    sense: 'higher-is-better',
    description:
      'requests meeting every SLO of their class ÷ (completed + dropped), all classes and deployments pooled',
    source: 'Σ metrics.total.numMetSlo ÷ Σ (numCompleted + numDropped)',
    ...fromScorecard('SLO attainment', 'n/a'),
    extract: ({ result }) => {
      const all = sum(
        result.deployments,
        (d) => d.metrics.total.numCompleted + d.metrics.total.numDropped,
      );
      return all > 0
        ? sum(result.deployments, (d) => d.metrics.total.numMetSlo) / all
        : { absent: 'no request arrived in the measurement window' };
    },
  },
  {
    id: 'tokensPerJouleFacility',
    unit: 'tok/J',
    sense: 'higher-is-better',
    description:
      'output tokens per joule at the facility boundary, power drawn (node power × site.pue; PUE 1 when the scenario states none, listed in the run’s defaultsApplied)',
    source: 'Σ outputTokensPerSecond ÷ Σ energy.meanPowerWatts.facility',
    ...fromScorecard('tokens per joule', 'facility'),
    extract: ({ result }) => tokensPerJouleAt(result.deployments, 'facility'),
  },
  {
    id: 'tokensPerJouleChip',
    unit: 'tok/J',
    sense: 'higher-is-better',
    description: 'output tokens per joule at the chip boundary, power drawn',
    source: 'Σ outputTokensPerSecond ÷ Σ energy.meanPowerWatts.chip',
    ...fromScorecard('tokens per joule', 'chip'),
    extract: ({ result }) => tokensPerJouleAt(result.deployments, 'chip'),
  },
  {
    id: 'meanPowerWattsFacility',
    unit: 'W',
    sense: 'lower-is-better',
    description: 'mean facility power drawn over the measurement window (node power × site.pue)',
    source: 'Σ SimResult.deployments[].energy.meanPowerWatts.facility',
    ...fromScorecard('tokens per joule', 'facility'),
    extract: ({ result }) => sum(result.deployments, (d) => d.energy.meanPowerWatts.facility),
  },
  {
    id: 'gpus',
    unit: 'GPUs',
    sense: 'lower-is-better',
    description: 'GPUs the deployments hold (autoscaled: maxReplicas worth)',
    source: 'Σ SimResult.deployments[].plan.gpus',
    ...fromScorecard('output throughput', 'n/a'),
    extract: ({ result }) => sum(result.deployments, (d) => d.plan.gpus),
  },
  {
    id: 'usdPerHour',
    unit: 'USD/hour',
    sense: 'lower-is-better',
    description:
      'all-in cost of the deployments per hour at the run’s drawn power (economics section; unstated inputs from sourced defaults, listed by `aifactory cost`)',
    source: 'Σ costFromRun(...).deployments[].points[0].usdPerHour (app/cost.ts, econ/tco.ts)',
    ...fromCost((p) => p.usdPerHour.basis),
    extract: usdPerHour,
  },
  {
    id: 'costUsdPerMillionOutputTokens',
    unit: 'USD/1M tokens',
    sense: 'lower-is-better',
    description:
      'cost per 1M good output tokens: the output tokens’ share of the hourly cost under the scenario’s split rule ÷ token goodput',
    source:
      'Σ_d costShare.output_d × usdPerHour_d × 1e6 ÷ (3600 × Σ_d goodput_d) (econ/cost-per-token.ts; one deployment: its `cost per 1M output tokens`)',
    ...fromCost((p) => p.costPerToken.usdPerMillion.output.basis),
    extract: (ctx) => {
      const cost = ctx.cost();
      if (isAbsent(cost)) return cost;
      const good = goodput(ctx.result);
      if (!(good > 0))
        return { absent: 'no request met its SLOs: the cost per good output token is unbounded' };
      const outputUsdPerHour = cost.deployments.reduce((a, d) => {
        const p = d.points[0];
        return a + (p ? p.costPerToken.costShare.output * p.usdPerHour.value : 0);
      }, 0);
      return (outputUsdPerHour * 1e6) / (3600 * good);
    },
  },
  {
    id: 'goodputTokensPerUsd',
    unit: 'tok/USD',
    sense: 'higher-is-better',
    description:
      'goodput per dollar: token goodput ÷ all-in cost per hour × 3600 s/hour (good output tokens bought by one USD)',
    source: 'goodputTokensPerSecond × 3600 ÷ usdPerHour',
    ...fromCost((p) => p.usdPerHour.basis),
    extract: (ctx) => {
      const c = usdPerHour(ctx);
      if (isAbsent(c)) return c;
      return c > 0 ? (goodput(ctx.result) * 3600) / c : { absent: 'the hourly cost is zero' };
    },
  },
];

export const METRIC_IDS: readonly string[] = SWEEP_METRICS.map((m) => m.id);

const BY_ID: ReadonlyMap<string, SweepMetricDefinition> = new Map(
  SWEEP_METRICS.map((m) => [m.id, m]),
);

/** The definition of a metric id, or undefined. */
export const metricDefinition = (id: string): SweepMetricDefinition | undefined => BY_ID.get(id);

/** The run's cost, or why there is none (no economics section; cost inputs missing). */
function costOf(
  result: SimResult,
  scenario: Scenario,
  catalog: Catalog,
): CostReport | AbsentMetric {
  if (!scenario.economics) return { absent: NO_ECONOMICS };
  try {
    return costFromRun(result, { scenario, catalog });
  } catch (e) {
    if (isAifError(e))
      return {
        absent: `no cost: ${[e.message.split('\n')[0], ...e.issues.map((i) => `${i.path}: ${i.message}`)].join('; ')}`,
      };
    throw e;
  }
}

/**
 * Every registered metric of one point, each value with its basis. Non-finite values are
 * reported absent, and so is a value whose basis cannot be stated (no number without its basis).
 * @param scenario the point's scenario (its economics and site sections price the run).
 */
export function pointMetrics(
  result: SimResult,
  scenario: Scenario,
  catalog: Catalog,
): PointMetrics {
  let cost: CostReport | AbsentMetric | undefined;
  const ctx: MetricContext = {
    result,
    scenario,
    cost: () => (cost ??= costOf(result, scenario, catalog)),
  };
  const values: Record<string, number> = {};
  const absent: Record<string, string> = {};
  const bases: (BasisGroup & { key: string })[] = [];
  for (const m of SWEEP_METRICS) {
    const v = m.extract(ctx);
    if (isAbsent(v)) absent[m.id] = v.absent;
    else if (!Number.isFinite(v)) absent[m.id] = `not a finite number (${v})`;
    else {
      const b = m.basis(ctx);
      if (isAbsent(b)) absent[m.id] = b.absent;
      else {
        values[m.id] = v;
        const key = canonicalJson(b);
        const group = bases.find((g) => g.key === key);
        if (group) group.metrics.push(m.id);
        else bases.push({ key, metrics: [m.id], basis: b });
      }
    }
  }
  return { values, absent, bases: bases.map(({ metrics, basis }) => ({ metrics, basis })) };
}
