/**
 * Parallel-plan search: a deployment's plan (TP, EP, attention-DP, replicas) is searched for the
 * best objective that fits memory and the latency limits, as benchmark submitters do — never
 * set per benchmark item (DESIGN §4). Candidates stay inside one scale-up domain.
 */
import type { Catalog } from '../catalog/catalog.js';
import { resolveCalibration, type CalibrationEntry, type CalibrationTable } from './calibration.js';
import { prepareDeployment, type PreparedDeployment } from './costs.js';
import { memoryFit, type MemoryFit } from './memory.js';
import { gpusPerReplica, type Deployment, type ParallelPlan } from './types.js';

const powersOfTwoUpTo = (n: number): number[] => {
  const out: number[] = [];
  for (let x = 1; x <= n; x *= 2) out.push(x);
  return out;
};

/**
 * Candidate plans for `gpus` GPUs in domains of `domainSize`: TP = 1, 2, 4, … within a domain;
 * for MoE models also EP = TP (experts spread over the TP group) and DeepSeek-style
 * attention-DP (TP 1 for attention, EP across the DP ranks). Pipeline parallelism is not
 * searched (pp = 1): inside one scale-up domain TP/EP dominate for serving.
 */
export function candidatePlans(
  deployment: Omit<Deployment, 'parallel'>,
  gpus: number,
  domainSize: number,
): ParallelPlan[] {
  const limit = Math.min(gpus, domainSize);
  const plans: ParallelPlan[] = [];
  const isMoe = Boolean(deployment.model.moe);
  for (const t of powersOfTwoUpTo(limit)) {
    plans.push({ tp: t, pp: 1, ep: 1, attnDp: 1 });
    if (isMoe && t > 1) {
      plans.push({ tp: t, pp: 1, ep: t, attnDp: 1 });
      plans.push({ tp: 1, pp: 1, ep: t, attnDp: t });
    }
  }
  return plans;
}

export interface EvaluatedPlan<T> {
  plan: ParallelPlan;
  replicas: number;
  prepared: PreparedDeployment;
  memory: MemoryFit;
  calibration: CalibrationEntry;
  /** Objective per replica (undefined = infeasible: latency limits or memory). */
  result?: T;
  /** Objective total over all replicas. */
  total: number;
  infeasibleReason?: string;
}

export interface PlanSearchOptions<T> {
  deployment: Omit<Deployment, 'parallel'>;
  catalog: Catalog;
  calibrationTable: CalibrationTable;
  /** GPUs available (whole system or cluster). */
  gpus: number;
  /** GPUs per scale-up domain. */
  domainSize: number;
  /** Per-replica objective; return undefined when the plan cannot meet the scenario's limits. */
  evaluate: (x: {
    prepared: PreparedDeployment;
    memory: MemoryFit;
    calibration: CalibrationEntry;
  }) => T | undefined;
  value: (result: T) => number;
}

export function searchPlans<T>(o: PlanSearchOptions<T>): {
  best?: EvaluatedPlan<T>;
  evaluated: EvaluatedPlan<T>[];
} {
  const calibration = resolveCalibration(
    o.calibrationTable,
    o.deployment.accelerator,
    o.deployment.engine.name,
    o.deployment.model,
  );
  const evaluated: EvaluatedPlan<T>[] = [];
  for (const plan of candidatePlans(o.deployment, o.gpus, o.domainSize)) {
    const replicas = Math.floor(o.gpus / gpusPerReplica(plan));
    const prepared = prepareDeployment({ ...o.deployment, parallel: plan }, o.catalog.formats);
    const memory = memoryFit(prepared);
    const e: EvaluatedPlan<T> = { plan, replicas, prepared, memory, calibration, total: 0 };
    if (!memory.fits) {
      e.infeasibleReason = memory.reason ?? 'does not fit in memory';
    } else {
      const result = o.evaluate({ prepared, memory, calibration });
      if (result === undefined) e.infeasibleReason = 'cannot meet the latency limits';
      else {
        e.result = result;
        e.total = o.value(result) * replicas;
      }
    }
    evaluated.push(e);
  }
  let best: EvaluatedPlan<T> | undefined;
  for (const e of evaluated)
    if (e.result !== undefined && (!best || e.total > best.total)) best = e;
  return best ? { best, evaluated } : { evaluated };
}
