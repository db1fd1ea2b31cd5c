import { describe, expect, it } from 'vitest';
import {
  AUTOSCALER_POLICIES,
  createAutoscaler,
  desiredReplicas,
  type AutoscalerObservation,
  type AutoscalerReplica,
  type TargetUtilizationConfig,
} from './autoscaler.js';

const config: TargetUtilizationConfig = {
  targetLoadPerReplica: 0.7,
  minReplicas: 2,
  maxReplicas: 6,
  evaluateEverySeconds: 30,
  coldStartSeconds: 120,
  scaleInCooldownSeconds: 300,
};
const policy = createAutoscaler('target-utilization', config);

const serving = (index: number, numOutstandingRequests = 1): AutoscalerReplica => ({
  index,
  state: 'serving',
  numOutstandingRequests,
});
const observe = (
  load: number,
  replicas: AutoscalerReplica[],
  extra: Partial<AutoscalerObservation> = {},
): AutoscalerObservation => ({ nowSeconds: 1000, load, replicas, ...extra });

describe('autoscaler policies', () => {
  it('asks for ceil(load / target) replicas, not one more from rounding (2.1 / 0.7 = 3)', () => {
    expect(desiredReplicas(2.1, config)).toBe(3);
    expect(desiredReplicas(2.11, config)).toBe(4);
  });

  it('keeps the desired count within min and max', () => {
    expect(desiredReplicas(0, config)).toBe(2);
    expect(desiredReplicas(100, config)).toBe(6);
  });

  it('scales out to the desired count with the new replicas ready after the cold start', () => {
    const action = policy.decide(observe(2.8, [serving(0), serving(1)]));
    expect(action).toEqual({ kind: 'scale-out', scaleOut: 2, readyAtSeconds: 1120 });
  });

  it('counts cold-starting replicas as capacity, so a cold start does not trigger another scale-out', () => {
    const action = policy.decide(
      observe(2.8, [
        serving(0),
        serving(1),
        { index: 2, state: 'starting', numOutstandingRequests: 0 },
        { index: 3, state: 'starting', numOutstandingRequests: 0 },
      ]),
    );
    expect(action).toEqual({ kind: 'hold' });
  });

  it('replaces failed replicas but keeps every provisioned replica within max', () => {
    const failed = (index: number): AutoscalerReplica => ({
      index,
      state: 'failed',
      numOutstandingRequests: 0,
    });
    const action = policy.decide(
      observe(4.2, [serving(0), serving(1), serving(2), failed(3), failed(4)]),
    );
    // desired 6, counted 3, but only 6 − 5 = 1 more may be provisioned
    expect(action).toEqual({ kind: 'scale-out', scaleOut: 1, readyAtSeconds: 1120 });
  });

  it('scales in only idle serving replicas, newest first', () => {
    const action = policy.decide(
      observe(1.4, [serving(0, 0), serving(1, 3), serving(2, 0), serving(3, 0), serving(4, 2)]),
    );
    // desired 2, counted 5: remove up to 3 idle ones → 3, 2, 0
    expect(action).toEqual({ kind: 'scale-in', scaleIn: [3, 2, 0] });
  });

  it('removes fewer replicas than wanted when too few are idle', () => {
    const action = policy.decide(observe(1.4, [serving(0), serving(1), serving(2, 0), serving(3)]));
    expect(action).toEqual({ kind: 'scale-in', scaleIn: [2] });
  });

  it('holds a scale-in until the cool-down since the last scaling action has passed', () => {
    const replicas = [serving(0, 0), serving(1, 0), serving(2, 0)];
    expect(policy.decide(observe(0.7, replicas, { lastScaleSeconds: 800 }))).toEqual({
      kind: 'hold',
    });
    expect(policy.decide(observe(0.7, replicas, { lastScaleSeconds: 700 }))).toEqual({
      kind: 'scale-in',
      scaleIn: [2],
    });
  });

  it('never scales with the none policy', () => {
    const none = createAutoscaler('none', {});
    expect(none.evaluateEverySeconds).toBe(Number.POSITIVE_INFINITY);
    expect(none.decide(observe(100, [serving(0)]))).toEqual({ kind: 'hold' });
  });

  it('registers each policy under its own name', () => {
    expect(Object.keys(AUTOSCALER_POLICIES)).toEqual(['none', 'target-utilization']);
    expect(createAutoscaler('none', {}).name).toBe('none');
    expect(policy.name).toBe('target-utilization');
    expect(policy.evaluateEverySeconds).toBe(30);
  });

  it('refuses a zero target and min above max', () => {
    expect(() =>
      createAutoscaler('target-utilization', { ...config, targetLoadPerReplica: 0 }),
    ).toThrow(/targetLoadPerReplica must be finite and > 0/);
    expect(() => createAutoscaler('target-utilization', { ...config, minReplicas: 7 })).toThrow(
      /0 ≤ minReplicas ≤ maxReplicas/,
    );
  });
});
