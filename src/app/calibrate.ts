/**
 * Use case: fit the calibration table from measured TTFT/TPOT (the silicon CSV) and report the
 * in-sample fit error and the held-out error (leave one model out, leave one accelerator out).
 * MLPerf results are never used here: they stay the held-out check of `validate mlperf`.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { CalibrationEntry } from '../perf/calibration.js';
import { fitCalibrationTable, fitErrors, fitParams, type CalibrationObservation, type FitErrors } from '../perf/calibrate.js';
import { siliconObservations, type SiliconRow } from '../validation/silicon.js';

export interface CalibrationRun {
  entries: CalibrationEntry[];
  fitErrors: Record<string, FitErrors>;
  atUpperBound: { key: string; param: string; value: number }[];
  heldOut: {
    leaveOneModelOut: Record<string, FitErrors>;
    leaveOneAcceleratorOut: Record<string, FitErrors>;
  };
  rowsUsed: number;
}

/** Held-out error: fit one pooled parameter set without the group, evaluate on the group. */
function leaveOneOut(
  obs: readonly CalibrationObservation[],
  label: (o: CalibrationObservation) => string,
  maxEvaluations: number,
): Record<string, FitErrors> {
  const groups = [...new Set(obs.map(label))].sort();
  const out: Record<string, FitErrors> = {};
  for (const g of groups) {
    const train = obs.filter((o) => label(o) !== g);
    const test = obs.filter((o) => label(o) === g);
    if (train.length === 0 || test.length === 0) continue;
    const params = fitParams(train, { maxEvaluations, maxRows: 200 });
    out[g] = fitErrors(test, () => params);
  }
  return out;
}

export function calibrateFromSilicon(
  rows: SiliconRow[],
  catalog: Catalog,
  options: { describe: string; maxEvaluations?: number; heldOut?: boolean },
): CalibrationRun {
  const obs = siliconObservations(rows, catalog);
  const maxEvaluations = options.maxEvaluations ?? 600;
  const table = fitCalibrationTable(obs, { describe: options.describe, maxEvaluations });
  const heldOut = options.heldOut === false
    ? { leaveOneModelOut: {}, leaveOneAcceleratorOut: {} }
    : {
        leaveOneModelOut: leaveOneOut(obs, (o) => o.labels.model, Math.min(maxEvaluations, 400)),
        leaveOneAcceleratorOut: leaveOneOut(obs, (o) => o.labels.accelerator, Math.min(maxEvaluations, 400)),
      };
  return { ...table, heldOut, rowsUsed: obs.length };
}
