import { describe, expect, it } from 'vitest';
import { distributionMean } from '../../core/distributions.js';
import {
  ACCELERATOR_MTBF_HOURS,
  ALL_CAUSE_MTBF_HOURS_PER_GPU,
  DEFAULT_REPAIR_HOURS,
  DEFAULT_SPARE_SWAP_SECONDS,
  DEFAULT_WEIBULL_SHAPE,
  gpuAttributedInterruptions,
  HPC_WEIBULL_SHAPE,
  LLAMA3_INTERRUPTIONS,
  NODE_MTBF_HOURS,
} from './defaults.js';

// Hand arithmetic: 16,384 GPUs × 54 days × 24 h = 21,233,664 GPU-hours.
describe('failure defaults', () => {
  it('attributes 268 of the 419 Llama 3 interruptions (64.0%) to the accelerator', () => {
    expect(gpuAttributedInterruptions()).toBe(268);
    expect(gpuAttributedInterruptions() / 419).toBeCloseTo(0.6396, 4);
  });

  it('leaves 8 interruptions in causes the reference does not itemise', () => {
    const listed = Object.values(LLAMA3_INTERRUPTIONS.unexpectedByCause).reduce(
      (s, c) => s + c.value,
      0,
    );
    expect(listed).toBe(411);
  });

  it('derives an accelerator MTBF of about 79,230 hours per GPU', () => {
    expect(ACCELERATOR_MTBF_HOURS.value).toBeCloseTo(79230.0896, 3);
    expect(ACCELERATOR_MTBF_HOURS.ref.provenance).toBe('derived');
  });

  it('derives an all-cause MTBF of about 50,677 hours per GPU', () => {
    expect(ALL_CAUSE_MTBF_HOURS_PER_GPU.value).toBeCloseTo(50677.0024, 3);
  });

  it('derives a node MTBF of about 17,578 hours from the 151 non-GPU interruptions on 8-GPU nodes', () => {
    expect(NODE_MTBF_HOURS.value).toBeCloseTo(17577.5364, 3);
  });

  it('splits the all-cause rate exactly into the accelerator and node components', () => {
    const perGpuRate =
      1 / ACCELERATOR_MTBF_HOURS.value +
      1 / (NODE_MTBF_HOURS.value * LLAMA3_INTERRUPTIONS.gpusPerNode.value);
    expect(perGpuRate).toBeCloseTo(1 / ALL_CAUSE_MTBF_HOURS_PER_GPU.value, 15);
  });

  it('states the repair-time distribution as an assumption with a mean of about 10.6 hours', () => {
    expect(DEFAULT_REPAIR_HOURS.value).toEqual({ dist: 'lognormal', median: 4, p90: 24 });
    expect(DEFAULT_REPAIR_HOURS.ref.provenance).toBe('assumption');
    expect(distributionMean(DEFAULT_REPAIR_HOURS.value)).toBeCloseTo(10.63, 2);
  });

  it('gives every default a source', () => {
    for (const d of [
      ACCELERATOR_MTBF_HOURS,
      ALL_CAUSE_MTBF_HOURS_PER_GPU,
      NODE_MTBF_HOURS,
      DEFAULT_REPAIR_HOURS,
      DEFAULT_SPARE_SWAP_SECONDS,
      DEFAULT_WEIBULL_SHAPE,
      HPC_WEIBULL_SHAPE,
    ])
      expect(d.ref.source.length).toBeGreaterThan(0);
  });
});
