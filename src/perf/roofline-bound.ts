/**
 * Roofline upper bound on Offline output tokens/s: the same per-iteration model with every
 * efficiency at 1 and every overhead at 0, at the best plan and batch that fit memory. A
 * published result above it cannot have run at the stated precision (DESIGN §4: η > 1 is a
 * defect to report, never absorb).
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Accelerator, ModelArch, PrecisionPlan } from '../catalog/types.js';
import { DEFAULT_CALIBRATION, type CalibrationEntry } from './calibration.js';
import { searchPlans } from './plan-search.js';
import { offlineThroughput, type WorkloadStats } from './scenarios.js';

export const IDEAL_CALIBRATION: CalibrationEntry = {
  key: 'ideal',
  source: 'roofline bound: η = 1, no overheads',
  params: {
    ...DEFAULT_CALIBRATION.params,
    gemmComputeEfficiency: 1,
    gemmHalfEfficiencyTokens: 0,
    moeHalfEfficiencyTokensPerExpert: 0,
    memoryEfficiency: 1,
    attentionComputeEfficiency: 1,
    commEfficiency: 1,
    collectiveLatencySeconds: 0,
    layerOverheadSeconds: 0,
    hostOverheadSeconds: 0,
    hostOverheadPerSeqSeconds: 0,
    requestOverheadSeconds: 0,
    closedLoopBurstFraction: 0,
  },
};

export function rooflineOfflineBound(o: {
  catalog: Catalog;
  accelerator: Accelerator;
  model: ModelArch;
  precision: PrecisionPlan;
  gpus: number;
  workload: WorkloadStats;
}): number | undefined {
  const r = searchPlans({
    deployment: {
      model: o.model,
      accelerator: o.accelerator,
      precision: o.precision,
      precisionLabel: 'bound',
      engine: {
        name: 'ideal',
        maxNumSeqs: 8192,
        maxNumBatchedTokens: 16384,
        blockSizeTokens: 16,
        gpuMemoryUtilization: 0.95,
        chunkedPrefill: true,
        prefixCaching: false,
        asyncScheduling: true,
      },
    },
    catalog: o.catalog,
    calibrationTable: new Map([['default', IDEAL_CALIBRATION]]),
    gpus: o.gpus,
    domainSize: o.accelerator.scaleUpDomainSize.value,
    evaluate: ({ prepared, memory, calibration }) =>
      offlineThroughput(
        {
          prepared,
          memory,
          calibration: calibration.params,
          workload: {
            ...o.workload,
            output: { ...o.workload.output, tailTokens: o.workload.output.meanTokens },
          },
        },
        { numSamples: 1, minDurationSeconds: 1e9 },
      ),
    value: (x) => x.outputTokensPerSecond,
  });
  return r.best?.total;
}
