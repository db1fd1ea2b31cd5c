/**
 * From the scenario's workload classes (src/scenario/schema.ts, which `sim` may not import) to
 * the specs the sources take. Typed structurally: a validated scenario's `workload.classes[i]`
 * fits `ScenarioClassLike`. Rates written `requestsPerSecond` / `sessionsPerSecond` become
 * `ratePerSecond`; processes the sources know but the schema does not yet offer (diurnal,
 * trace) pass through unchanged, as do session fields beyond the schema's (system prompt,
 * sub-agents, compaction).
 */
import type { DistributionSpec } from '../../core/distributions.js';
import type { DiurnalArrivalSpec, TraceArrivalSpec } from './arrivals.js';
import type { ClassArrivalSpec, ClosedLoopSpec, SessionSpec, WorkloadClassSpec } from './spec.js';
import type { NamedClassSpec } from './sources.js';

/** Open-loop arrivals as the scenario writes them. */
export interface ScenarioRateArrivals {
  process: 'poisson' | 'gamma';
  requestsPerSecond?: number;
  sessionsPerSecond?: number;
  cv?: number;
}

/** Diurnal arrivals as the scenario writes them: a mean rate and a profile in equal slices. */
export interface ScenarioDiurnalArrivals {
  process: 'diurnal';
  requestsPerSecond?: number;
  sessionsPerSecond?: number;
  hourlyMultipliers: readonly number[];
  periodSeconds?: number;
}

export type ScenarioArrivalsLike =
  | ScenarioRateArrivals
  | ScenarioDiurnalArrivals
  | ClosedLoopSpec
  | DiurnalArrivalSpec
  | TraceArrivalSpec;

export type ScenarioClassLike =
  | {
      name: string;
      kind: 'request';
      arrivals: ScenarioArrivalsLike;
      inputTokens: DistributionSpec;
      outputTokens: DistributionSpec;
      cachedPrefixFraction?: number;
      priority?: number;
    }
  | {
      name: string;
      kind: 'agent-session';
      arrivals: ScenarioArrivalsLike;
      session: SessionSpec;
      priority?: number;
    };

const isRateArrivals = (a: ScenarioArrivalsLike): a is ScenarioRateArrivals =>
  a.process === 'poisson' || a.process === 'gamma';

/**
 * The arrival spec of scenario arrivals. Poisson and gamma take their one rate (requests or
 * sessions per second) as `ratePerSecond`; gamma without `cv` is Poisson-like (cv 1).
 * @throws RangeError when a poisson/gamma arrival states no rate (the schema prevents it).
 */
export function arrivalSpecFromScenario(a: ScenarioArrivalsLike): ClassArrivalSpec {
  if ('hourlyMultipliers' in a) {
    const meanRatePerSecond = a.requestsPerSecond ?? a.sessionsPerSecond;
    if (meanRatePerSecond === undefined)
      throw new RangeError('arrivalSpecFromScenario: diurnal arrivals need a rate');
    // Plain multipliers are equal, piecewise-constant slots of the period (24 = hourly).
    return {
      process: 'diurnal',
      meanRatePerSecond,
      profile: a.hourlyMultipliers,
      ...(a.periodSeconds === undefined ? {} : { periodSeconds: a.periodSeconds }),
    };
  }
  if (!isRateArrivals(a)) return a;
  const ratePerSecond = a.requestsPerSecond ?? a.sessionsPerSecond;
  if (ratePerSecond === undefined)
    throw new RangeError(`arrivalSpecFromScenario: ${a.process} arrivals need a rate`);
  return a.process === 'poisson'
    ? { process: 'poisson', ratePerSecond }
    : { process: 'gamma', ratePerSecond, cv: a.cv ?? 1 };
}

/** The named class spec of one scenario workload class (SLOs are the metrics' business). */
export function classSpecFromScenario(c: ScenarioClassLike): NamedClassSpec {
  const arrivals = arrivalSpecFromScenario(c.arrivals);
  const spec: WorkloadClassSpec =
    c.kind === 'request'
      ? {
          kind: 'request',
          arrivals,
          inputTokens: c.inputTokens,
          outputTokens: c.outputTokens,
          ...(c.cachedPrefixFraction === undefined
            ? {}
            : { cachedPrefixFraction: c.cachedPrefixFraction }),
          ...(c.priority === undefined ? {} : { priority: c.priority }),
        }
      : {
          kind: 'agent-session',
          arrivals,
          session: c.session,
          ...(c.priority === undefined ? {} : { priority: c.priority }),
        };
  return { name: c.name, spec };
}
