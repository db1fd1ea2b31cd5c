/**
 * Deployments from the real catalog for the perf tests (not catalog data itself).
 */
import { defaultCatalog, getAccelerator, getModel } from '../catalog/catalog.js';
import { resolvePrecision } from '../catalog/precisions.js';
import type { CalibrationParams } from './calibration.js';
import { IDEAL_CALIBRATION } from './roofline-bound.js';
import { prepareDeployment } from './costs.js';
import type { Deployment, ParallelPlan } from './types.js';

export const catalog = defaultCatalog();

export function deployment(
  modelId: string,
  acceleratorId: string,
  precision: string,
  parallel: Partial<ParallelPlan> = {},
): Deployment {
  const model = getModel(catalog, modelId);
  const accelerator = getAccelerator(catalog, acceleratorId);
  return {
    model,
    accelerator,
    precision: resolvePrecision(precision, accelerator, Boolean(model.moe)),
    precisionLabel: precision,
    parallel: { tp: 1, pp: 1, ep: 1, attnDp: 1, ...parallel },
    engine: {
      name: 'vllm',
      maxNumSeqs: 256,
      maxNumBatchedTokens: 8192,
      blockSizeTokens: 16,
      gpuMemoryUtilization: 0.9,
      chunkedPrefill: true,
      prefixCaching: false,
      asyncScheduling: false,
    },
  };
}

export const prepared = (d: Deployment) => prepareDeployment(d, catalog.formats);

/** Every efficiency 1 and every overhead 0: the pure roofline. */
export const IDEAL: CalibrationParams = IDEAL_CALIBRATION.params;
