/**
 * `calibrate`: fit the calibration parameters of the performance model to measured TTFT/TPOT
 * by robust least squares on log errors, for every key of the fallback chain that has enough
 * observations (accelerator+engine → generation+engine → generation → vendor+engine → vendor →
 * default = all data pooled). Efficiencies are fitted through a logistic map, so they stay in
 * (0, 1); a value that ends at the upper bound (> 0.98) means the data want η ≥ 1 and is
 * flagged, never silently absorbed (DESIGN §4).
 */
import {
  DEFAULT_CALIBRATION,
  isProductLineKey,
  type CalibrationEntry,
  type CalibrationParams,
  type RequiredParamKey,
} from './calibration.js';
import type { PreparedDeployment } from './costs.js';
import type { MemoryFit } from './memory.js';
import { nelderMead } from './nelder-mead.js';
import { steadyState, type ArrivalKind, type RequestShape } from './steady-state.js';

export interface CalibrationObservation {
  prepared: PreparedDeployment;
  memory: MemoryFit;
  request: RequestShape;
  concurrency: number;
  arrivals: ArrivalKind;
  measuredTtftSeconds: number;
  measuredTpotSeconds: number;
  /** Keys of the fallback chain this observation belongs to, most specific first. */
  chain: string[];
  labels: { model: string; accelerator: string; engine: string };
}

type ParamKey = RequiredParamKey;

/** Parameters fitted and how each maps from the unconstrained optimiser space. */
const FITTED: { key: ParamKey; kind: 'fraction' | 'positive' }[] = [
  { key: 'gemmComputeEfficiency', kind: 'fraction' },
  { key: 'gemmHalfEfficiencyTokens', kind: 'positive' },
  { key: 'moeHalfEfficiencyTokensPerExpert', kind: 'positive' },
  { key: 'memoryEfficiency', kind: 'fraction' },
  { key: 'attentionComputeEfficiency', kind: 'fraction' },
  { key: 'commEfficiency', kind: 'fraction' },
  { key: 'collectiveLatencySeconds', kind: 'positive' },
  { key: 'layerOverheadSeconds', kind: 'positive' },
  { key: 'hostOverheadSeconds', kind: 'positive' },
  { key: 'hostOverheadPerSeqSeconds', kind: 'positive' },
  { key: 'requestOverheadSeconds', kind: 'positive' },
  { key: 'closedLoopBurstFraction', kind: 'fraction' },
];

const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));

function toParams(x: readonly number[], base: CalibrationParams): CalibrationParams {
  const p = { ...base };
  FITTED.forEach((f, i) => {
    p[f.key] = f.kind === 'fraction' ? logistic(x[i]!) : Math.exp(x[i]!);
  });
  return p;
}

function fromParams(p: CalibrationParams): number[] {
  return FITTED.map((f) => {
    const v = p[f.key];
    return f.kind === 'fraction'
      ? logit(Math.min(0.999, Math.max(1e-4, v)))
      : Math.log(Math.max(1e-9, v));
  });
}

/**
 * Loss of one prediction: the absolute percentage error the fit is judged by (MAPE), capped at
 * 300% so a handful of rows the model cannot represent do not steer the whole fit.
 */
const ape = (predicted: number, measured: number): number =>
  Math.min(3, Math.abs(predicted / measured - 1));

export interface FitErrors {
  rows: number;
  ttftMapePct: number;
  tpotMapePct: number;
}

export function predictObservation(
  o: CalibrationObservation,
  params: CalibrationParams,
): { ttftSeconds: number; tpotSeconds: number } {
  const ss = steadyState({
    prepared: o.prepared,
    calibration: params,
    memory: o.memory,
    request: o.request,
    concurrency: o.concurrency,
    arrivals: o.arrivals,
  });
  return { ttftSeconds: ss.ttftSeconds, tpotSeconds: ss.tpotSeconds };
}

export function fitErrors(
  obs: readonly CalibrationObservation[],
  params: (o: CalibrationObservation) => CalibrationParams,
): FitErrors {
  let t = 0;
  let d = 0;
  for (const o of obs) {
    const p = predictObservation(o, params(o));
    t += Math.abs(p.ttftSeconds - o.measuredTtftSeconds) / o.measuredTtftSeconds;
    d += Math.abs(p.tpotSeconds - o.measuredTpotSeconds) / o.measuredTpotSeconds;
  }
  const n = Math.max(1, obs.length);
  return { rows: obs.length, ttftMapePct: (100 * t) / n, tpotMapePct: (100 * d) / n };
}

/** Deterministic thinning to at most `max` rows (every k-th), to bound fitting time. */
function thin<T>(xs: readonly T[], max: number): T[] {
  if (xs.length <= max) return [...xs];
  const k = xs.length / max;
  return Array.from({ length: max }, (_, i) => xs[Math.floor(i * k)]!);
}

export interface FitOptions {
  /** Start values and prior centre (the parent key's fit, or the documented default). */
  start?: CalibrationParams;
  /**
   * Weight of a Gaussian prior pulling each parameter (in the optimiser's logit/log space)
   * towards `start` — hierarchical shrinkage, so a key with few or ambiguous rows stays near
   * its parent instead of trading one efficiency against another.
   */
  priorWeight?: number;
  maxEvaluations?: number;
  maxRows?: number;
}

export function fitParams(
  obs: readonly CalibrationObservation[],
  opts: FitOptions = {},
): CalibrationParams {
  const start = opts.start ?? DEFAULT_CALIBRATION.params;
  const rows = thin(obs, opts.maxRows ?? 250);
  const x0 = fromParams(start);
  const prior = opts.priorWeight ?? 0.002;
  const objective = (x: number[]): number => {
    const params = toParams(x, start);
    let loss = 0;
    for (let i = 0; i < x.length; i++) loss += prior * (x[i]! - x0[i]!) ** 2 * rows.length;
    for (const o of rows) {
      const p = predictObservation(o, params);
      loss += ape(p.tpotSeconds, o.measuredTpotSeconds);
      loss += ape(p.ttftSeconds, o.measuredTtftSeconds);
    }
    return loss / rows.length;
  };
  const maxIterations = opts.maxEvaluations ?? 600;
  // Restart the simplex from the best point found: Nelder–Mead stalls on kinked objectives.
  let r = nelderMead(objective, fromParams(start), { step: 0.6, maxIterations });
  for (let restart = 0; restart < 2; restart++) {
    const next = nelderMead(objective, r.x, { step: 0.3, maxIterations });
    if (next.value >= r.value - 1e-6) break;
    r = next;
  }
  return toParams(r.x, start);
}

export interface CalibrationFitReport {
  entries: CalibrationEntry[];
  /** Per key: in-sample error of the fitted entry on its own rows. */
  fitErrors: Record<string, FitErrors>;
  /** Efficiencies that ended at the upper bound (data want η ≥ 1): a defect to investigate. */
  atUpperBound: { key: string; param: string; value: number }[];
}

/**
 * Fit every chain key with at least `minRows` observations, most general first, each started
 * from its parent's fit. `describe` labels the source of the entries.
 */
export function fitCalibrationTable(
  obs: readonly CalibrationObservation[],
  options: { minRows?: number; maxEvaluations?: number; maxRows?: number; describe: string },
): CalibrationFitReport {
  const minRows = options.minRows ?? 25;
  const byKey = new Map<string, CalibrationObservation[]>();
  for (const o of obs) {
    for (const k of o.chain) {
      if (k === 'default' || isProductLineKey(k)) continue;
      (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(o);
    }
  }
  // Depth of a key = its position from the general end of the chain, so parents fit first.
  const depth = (k: string): number => {
    const c = obs.find((o) => o.chain.includes(k))!.chain;
    return c.length - c.indexOf(k);
  };
  const fitted = new Map<string, CalibrationEntry>();
  const fitOpts = {
    maxEvaluations: options.maxEvaluations ?? 600,
    maxRows: options.maxRows ?? 250,
  };
  const defaultParams = fitParams(obs, { ...fitOpts });
  fitted.set('default', {
    key: 'default',
    params: defaultParams,
    source: `fit on all ${obs.length} rows of ${options.describe}`,
    numRows: obs.length,
  });
  const keys = [...byKey.keys()]
    .filter((k) => byKey.get(k)!.length >= minRows)
    .sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  for (const key of keys) {
    const rows = byKey.get(key)!;
    const chain = rows[0]!.chain;
    const parentKey = chain.slice(chain.indexOf(key) + 1).find((k) => fitted.has(k)) ?? 'default';
    const params = fitParams(rows, { ...fitOpts, start: fitted.get(parentKey)!.params });
    fitted.set(key, {
      key,
      params,
      source: `fit on ${rows.length} rows of ${options.describe}`,
      numRows: rows.length,
    });
  }
  const entries = [...fitted.values()].sort((a, b) => a.key.localeCompare(b.key));
  const errors: Record<string, FitErrors> = {};
  for (const e of entries) {
    const rows = e.key === 'default' ? obs : byKey.get(e.key)!;
    errors[e.key] = fitErrors(rows, () => e.params);
  }
  const atUpperBound: CalibrationFitReport['atUpperBound'] = [];
  for (const e of entries) {
    for (const f of FITTED) {
      if (f.kind === 'fraction' && f.key !== 'closedLoopBurstFraction' && e.params[f.key] > 0.98) {
        atUpperBound.push({ key: e.key, param: f.key, value: e.params[f.key] });
      }
    }
  }
  return { entries, fitErrors: errors, atUpperBound };
}

/**
 * Fit a subset of the calibration parameters against any loss of the whole parameter set (e.g.
 * a replay of measured runs through the serving twin), from `start`, with the same transforms
 * as `fitParams` (logit for efficiencies, log for positive quantities) and a Gaussian prior of
 * weight `priorWeight` towards `start` in that space. Nelder–Mead with one restart.
 */
export function fitParamSubset(
  loss: (params: CalibrationParams) => number,
  start: CalibrationParams,
  keys: readonly ParamKey[],
  opts: { priorWeight?: number; maxIterations?: number } = {},
): CalibrationParams {
  const kinds = keys.map((k) => FITTED.find((f) => f.key === k)!.kind);
  const x0 = keys.map((k, i) =>
    kinds[i] === 'fraction'
      ? logit(Math.min(0.999, Math.max(1e-4, start[k])))
      : Math.log(Math.max(1e-9, start[k])),
  );
  const toSubset = (x: readonly number[]): CalibrationParams => {
    const p = { ...start };
    keys.forEach((k, i) => {
      p[k] = kinds[i] === 'fraction' ? logistic(x[i]!) : Math.exp(x[i]!);
    });
    return p;
  };
  const prior = opts.priorWeight ?? 0.01;
  const objective = (x: number[]): number => {
    let penalty = 0;
    for (let i = 0; i < x.length; i++) penalty += prior * (x[i]! - x0[i]!) ** 2;
    return loss(toSubset(x)) + penalty;
  };
  const maxIterations = opts.maxIterations ?? 150;
  let r = nelderMead(objective, x0, { step: 0.5, maxIterations });
  const again = nelderMead(objective, r.x, { step: 0.2, maxIterations });
  if (again.value < r.value) r = again;
  return toSubset(r.x);
}
