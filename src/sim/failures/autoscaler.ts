/**
 * Autoscaling policies: pure decision functions over plain observations. The simulation calls
 * `decide` every `evaluateEverySeconds` and applies the action: a scale-out adds replicas that
 * become available at `readyAtSeconds` (after the cold start: model load, engine start), a
 * scale-in removes the named idle replicas at once. A policy is chosen from
 * `AUTOSCALER_POLICIES` by name (STYLE: registry, no `if` chain on names).
 */
import { requireArg } from '../../core/errors.js';

/** `serving`: routable; `starting`: cold-starting after a scale-out or swap; `failed`: down. */
export type ReplicaServingState = 'serving' | 'starting' | 'failed';

export interface AutoscalerReplica {
  index: number;
  state: ReplicaServingState;
  /** Requests routed to it and not finished; 0 = idle. */
  numOutstandingRequests: number;
}

export interface AutoscalerObservation {
  nowSeconds: number;
  /**
   * Current load in the units of the policy's target: e.g. Σ over replicas of busy-time share
   * (target 0.7), outstanding requests (target = requests per replica), or tok/s.
   */
  load: number;
  /** Every provisioned replica (serving, starting or failed). */
  replicas: readonly AutoscalerReplica[];
  /** Time of the last scale-out or scale-in the simulation applied, if any. */
  lastScaleSeconds?: number;
}

export type AutoscalerAction =
  | { kind: 'hold' }
  | { kind: 'scale-out'; scaleOut: number; readyAtSeconds: number }
  | { kind: 'scale-in'; scaleIn: readonly number[] };

export interface AutoscalerPolicy {
  readonly name: string;
  /** How often the simulation evaluates the policy, seconds (Infinity: never). */
  readonly evaluateEverySeconds: number;
  /**
   * Most replicas the policy may provision at once: the simulation holds this many slots (the
   * rest of them off). Undefined: the fleet as provisioned (the policy never scales out).
   */
  readonly maxReplicas?: number;
  decide(observation: AutoscalerObservation): AutoscalerAction;
}

export interface TargetUtilizationConfig {
  /** Load one replica should carry, in the observation's load units (> 0). */
  targetLoadPerReplica: number;
  minReplicas: number;
  maxReplicas: number;
  evaluateEverySeconds: number;
  /** Time from a scale-out decision until the new replicas serve, seconds. */
  coldStartSeconds: number;
  /** No scale-in until this long after the last scaling action, seconds. */
  scaleInCooldownSeconds: number;
}

const HOLD: AutoscalerAction = { kind: 'hold' };

/** Relative slack so that e.g. 2.1 / 0.7 = 3.0000000000000004 asks for 3 replicas, not 4. */
const CEIL_RELATIVE_TOLERANCE = 1e-9;

/**
 * Replicas wanted for a load: ceil(load / target), within [min, max]. A load within a
 * relative 1e-9 above a multiple of the target rounds down to it.
 * @example desiredReplicas(2.1, { targetLoadPerReplica: 0.7, minReplicas: 1, maxReplicas: 8 }) === 3
 */
export function desiredReplicas(
  load: number,
  c: Pick<TargetUtilizationConfig, 'targetLoadPerReplica' | 'minReplicas' | 'maxReplicas'>,
): number {
  const ratio = Math.max(0, load) / c.targetLoadPerReplica;
  const wanted = Math.ceil(ratio - CEIL_RELATIVE_TOLERANCE * Math.max(1, ratio));
  return Math.min(c.maxReplicas, Math.max(c.minReplicas, wanted));
}

/** Never scales: the fleet size stays as provisioned. */
export function createNoAutoscaler(): AutoscalerPolicy {
  return {
    name: 'none',
    evaluateEverySeconds: Number.POSITIVE_INFINITY,
    decide: () => HOLD,
  };
}

/**
 * Target utilization (as Kubernetes' HPA): desired = clamp(ceil(load / target), min, max).
 * Counted capacity = serving + starting replicas (starting ones are already on their way, so
 * a cold start does not trigger repeated scale-outs; failed ones are not counted, so the
 * policy replaces lost capacity).
 * - desired > counted: scale out by desired − counted, but keep every provisioned replica
 *   (serving + starting + failed) ≤ max; the new ones are ready at now + coldStartSeconds.
 * - desired < counted: only when now − lastScaleSeconds ≥ scaleInCooldownSeconds, remove up
 *   to counted − desired *idle serving* replicas, highest index first (the newest).
 * @throws AifError(E_INVALID_ARGUMENT) for a target ≤ 0, min/max that are not integers with
 *   0 ≤ min ≤ max, or negative times.
 */
export function createTargetUtilizationAutoscaler(c: TargetUtilizationConfig): AutoscalerPolicy {
  const fn = 'createTargetUtilizationAutoscaler';
  requireArg(
    c.targetLoadPerReplica > 0 && Number.isFinite(c.targetLoadPerReplica),
    fn,
    'targetLoadPerReplica must be finite and > 0',
  );
  requireArg(
    Number.isInteger(c.minReplicas) &&
      Number.isInteger(c.maxReplicas) &&
      c.minReplicas >= 0 &&
      c.maxReplicas >= c.minReplicas,
    fn,
    `requires integers 0 ≤ minReplicas ≤ maxReplicas, got ${c.minReplicas}, ${c.maxReplicas}`,
  );
  for (const k of ['evaluateEverySeconds', 'coldStartSeconds', 'scaleInCooldownSeconds'] as const)
    requireArg(c[k] >= 0, fn, `${k} must be ≥ 0, got ${c[k]}`);
  requireArg(c.evaluateEverySeconds > 0, fn, 'evaluateEverySeconds must be > 0');

  return {
    name: 'target-utilization',
    evaluateEverySeconds: c.evaluateEverySeconds,
    maxReplicas: c.maxReplicas,
    decide(obs) {
      const desired = desiredReplicas(obs.load, c);
      let counted = 0;
      for (const r of obs.replicas) if (r.state !== 'failed') counted++;
      if (desired > counted) {
        const room = c.maxReplicas - obs.replicas.length;
        const scaleOut = Math.min(desired - counted, room);
        return scaleOut > 0
          ? { kind: 'scale-out', scaleOut, readyAtSeconds: obs.nowSeconds + c.coldStartSeconds }
          : HOLD;
      }
      if (desired < counted) {
        if (
          obs.lastScaleSeconds !== undefined &&
          obs.nowSeconds - obs.lastScaleSeconds < c.scaleInCooldownSeconds
        )
          return HOLD;
        const idle = obs.replicas
          .filter((r) => r.state === 'serving' && r.numOutstandingRequests === 0)
          .map((r) => r.index)
          .sort((a, b) => b - a);
        const scaleIn = idle.slice(0, counted - desired);
        return scaleIn.length > 0 ? { kind: 'scale-in', scaleIn } : HOLD;
      }
      return HOLD;
    },
  };
}

/** The policy registry: name → factory of its config. */
export const AUTOSCALER_POLICIES = {
  none: (_config: Record<string, never> = {}) => createNoAutoscaler(),
  'target-utilization': (config: TargetUtilizationConfig) =>
    createTargetUtilizationAutoscaler(config),
} as const satisfies Record<string, (config: never) => AutoscalerPolicy>;

export type AutoscalerPolicyName = keyof typeof AUTOSCALER_POLICIES;
export type AutoscalerConfig<K extends AutoscalerPolicyName> = Parameters<
  (typeof AUTOSCALER_POLICIES)[K]
>[0];

/** Create a policy by its registry name. */
export function createAutoscaler<K extends AutoscalerPolicyName>(
  name: K,
  config: AutoscalerConfig<K>,
): AutoscalerPolicy {
  const factory = AUTOSCALER_POLICIES[name] as (c: AutoscalerConfig<K>) => AutoscalerPolicy;
  return factory(config);
}
