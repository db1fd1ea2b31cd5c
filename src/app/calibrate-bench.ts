/**
 * Use case `calibrate bench`: fit the performance model's parameters for one measured
 * deployment from `aifactory bench` JSON reports (DESIGN §4 "Calibration", §9).
 *
 * The scenario names what was measured (model, system/accelerator, precision, engine, plan,
 * replicas). Each bench stage becomes a `CalibrationObservation`: the mean prompt and output
 * tokens the endpoint actually served (Σ input ÷ ok requests from the report's throughput, Σ
 * output ÷ ok), the measured mean TTFT and TPOT (aifactory convention: TTFT from the intended
 * send time, TPOT = (E2E − TTFT)/(N − 1) per request), and the load: closed-loop clients ÷
 * replicas, or — for Poisson stages — the measured request rate ÷ replicas, which the model turns
 * into a running set exactly as `estimate` does (app/operating-point.ts). Constant-rate and
 * gamma stages are skipped with the reason: the steady-state model has no such arrivals.
 *
 * Which parameters the stages can identify is decided from the data, not fixed: for each
 * candidate (memory η, host overhead a, GEMM η, request overhead) the elasticity of the log
 * predictions (ln TTFT, ln TPOT of every stage) to the parameter (d ln pred / d ln param) is
 * taken at the start entry by central differences; a candidate is fitted when it moves the
 * predictions (rms elasticity ≥ 0.02) and its column is not collinear with those already chosen
 * (≥ 30% of its norm orthogonal to them; Gram–Schmidt), at most one parameter per measured
 * figure. Decode-dominated TPOT at several batch sizes separates memory η (bytes grow with the
 * batch's KV) from the fixed host time; prefill-dominated TTFT identifies GEMM η; TTFT at
 * several loads separates request overhead from the prefill span.
 *
 * Fit: `fitParamSubset` on the mean over stages of |ln(pred TTFT / meas)| + |ln(pred TPOT /
 * meas)|, started from (and pulled towards, by a weak prior) the entry the fallback chain gives
 * now. Fit error: in-sample APE of TTFT and TPOT per stage and their MAPE. Pure.
 */
import { z } from 'zod';
import type { Catalog } from '../catalog/catalog.js';
import type { Accelerator, ModelArch } from '../catalog/types.js';
import { AifError, ERROR_CODES, type ErrorIssue } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import {
  calibrationChain,
  modelClassOf,
  resolveCalibration,
  type CalibrationEntry,
  type CalibrationParams,
  type CalibrationTable,
  type RequiredParamKey,
} from '../perf/calibration.js';
import { fitParamSubset, type CalibrationObservation } from '../perf/calibrate.js';
import {
  zodIssues,
  type CalibrationFile,
  type CalibrationFileEntry,
} from '../perf/calibration-file.js';
import { prepareDeployment, type PreparedDeployment } from '../perf/costs.js';
import { memoryFit, type MemoryFit } from '../perf/memory.js';
import { gpusPerReplica, type ParallelPlan } from '../perf/types.js';
import { resolveScenario, type Scenario } from '../scenario/index.js';
import { choosePlan, chosenDeployment } from './estimate.js';
import { operatingPoint, type OperatingPoint } from './operating-point.js';
import { classShape, type ClassShape } from './workload-shape.js';

type ParamKey = RequiredParamKey;

// ---------------------------------------------------------------------------------------------
// The part of the bench report this reads (measure/loadgen/report.ts `BenchReport`; app may not
// import measure, so the fields are restated here and validated).
// ---------------------------------------------------------------------------------------------

const num = z.number().finite();
const nullableSeconds = num.nonnegative().nullable();
const summary = z.object({ count: z.number().int().nonnegative(), meanSeconds: nullableSeconds });

const BenchStageSchema = z.object({
  stage: z.number().int().nonnegative(),
  label: z.string(),
  offeredLoad: num.nullable(),
  offeredLoadUnit: z.enum(['concurrency', 'requests/s', 'scenario']),
  windowSeconds: num.nonnegative(),
  counts: z.object({
    requests: z.number().int().nonnegative(),
    ok: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
  }),
  throughput: z.object({
    requestsPerSecond: num.nonnegative(),
    inputTokensPerSecond: num.nonnegative(),
    outputTokensPerSecond: num.nonnegative(),
  }),
  latency: z.object({ ttft: summary, perRequestGap: summary, e2e: summary }),
  tokens: z.object({ outputTokens: num.nonnegative() }),
  flags: z.array(z.string()),
});

export const BenchReportSubsetSchema = z.object({
  kind: z.literal('aifactory.bench'),
  version: z.literal(1),
  target: z.object({ baseUrl: z.string(), api: z.string(), model: z.string().min(1) }),
  convention: z.string(),
  stages: z.array(BenchStageSchema),
});

export type BenchReportSubset = z.output<typeof BenchReportSubsetSchema>;
type BenchStage = BenchReportSubset['stages'][number];

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface BenchReportInput {
  /** File name, for errors and provenance. */
  file: string;
  /** The parsed JSON of an `aifactory bench --report` file. */
  data: unknown;
}

export interface CalibrateBenchOptions {
  /** Deployment of the scenario that was measured (default: the only one). */
  deployment?: string;
  /** Name the endpoint serves the scenario's model under, when it is neither its id nor an hfId. */
  servedModel?: string;
  /** ISO 8601 time of the calibration (the edge supplies the clock). */
  createdAt: string;
  scenarioFile?: string;
  command?: string;
  toolVersion?: string;
  /** Nelder–Mead iterations per simplex (default 300). */
  maxIterations?: number;
  /** Weight of the prior towards the start entry (default `BENCH_PRIOR_WEIGHT`). */
  priorWeight?: number;
  /** Fit exactly these parameters instead of the identifiable subset. */
  params?: readonly ParamKey[];
}

/** What the measured deployment is, resolved as `estimate` resolves it. */
export interface BenchDeployment {
  name: string;
  model: ModelArch;
  accelerator: Accelerator;
  engine: string;
  precision: string;
  plan: ParallelPlan;
  planChosenBy: 'scenario' | 'planner';
  replicas: number;
  prepared: PreparedDeployment;
  memory: MemoryFit;
  /** Calibration chain keys, most specific first. */
  chain: string[];
  /** The classes' mean request and arrivals (cached share, think time). */
  shapes: ClassShape[];
}

export interface BenchStageObservation {
  file: string;
  stage: number;
  label: string;
  arrivals: 'closed-loop' | 'poisson';
  /** Closed loop: clients fleet-wide. Poisson: measured ok requests per second fleet-wide. */
  load: number;
  observation: CalibrationObservation;
  notes: string[];
}

export interface StageFit {
  file: string;
  stage: number;
  label: string;
  measured: { ttftSeconds: number; tpotSeconds: number };
  before: { ttftSeconds: number; tpotSeconds: number };
  after: { ttftSeconds: number; tpotSeconds: number };
  ttftErrorPct: number;
  tpotErrorPct: number;
  /** At the start entry: what the stage's TPOT and TTFT are made of. */
  regime: {
    tpotMemoryBoundShare: number;
    tpotComputeBoundShare: number;
    /** Host time not hidden behind device work (engines with asynchronous scheduling overlap it). */
    tpotHostShare: number;
    ttftPrefillShare: number;
  };
}

export interface ParamDecision {
  param: ParamKey;
  fitted: boolean;
  /** rms elasticity d ln(prediction) / d ln(parameter) over the TTFT rows and over the TPOT rows. */
  sensitivity: Record<string, number>;
  /** Share of the column orthogonal to the parameters chosen before it (1 = independent). */
  independence: number;
  reason: string;
}

export interface BenchCalibration {
  /** The calibration file to write (one entry). */
  file: CalibrationFile;
  entry: CalibrationFileEntry;
  start: CalibrationEntry;
  deployment: { name: string; key: string; plan: string; planChosenBy: string; replicas: number };
  decisions: ParamDecision[];
  stages: StageFit[];
  skipped: { file: string; stage: number | null; label: string; reason: string }[];
  before: { ttftMapePct: number; tpotMapePct: number };
  after: { ttftMapePct: number; tpotMapePct: number };
  /** Fitted efficiencies at the upper bound (the data want η ≥ 1): a model or data defect. */
  atUpperBound: { param: ParamKey; value: number }[];
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

const refuse = (file: string, message: string, issues: ErrorIssue[]): AifError =>
  new AifError(
    ERROR_CODES.INPUT_FORMAT,
    `calibrate bench: ${file}: ${message}`,
    issues.map((i) => ({ ...i, file })),
  );

// ---------------------------------------------------------------------------------------------
// The measured deployment
// ---------------------------------------------------------------------------------------------

const planLabel = (p: ParallelPlan): string => `tp${p.tp} pp${p.pp} ep${p.ep} dp${p.attnDp}`;

/** Resolve the scenario's deployment as `estimate` does (plan searched when `auto`). */
export function benchDeployment(
  scenario: Scenario,
  catalog: Catalog,
  table: CalibrationTable,
  name?: string,
): BenchDeployment {
  const resolved = resolveScenario(scenario, catalog);
  const names = resolved.deployments.map((d) => d.name);
  const r =
    name === undefined
      ? resolved.deployments.length === 1
        ? resolved.deployments[0]
        : undefined
      : resolved.deployments.find((d) => d.name === name);
  if (!r)
    throw new AifError(
      ERROR_CODES.INVALID_ARGUMENT,
      name === undefined
        ? `calibrate bench: the scenario has ${names.length} deployments; name the one measured`
        : `calibrate bench: no deployment '${name}' in the scenario`,
      [
        {
          path: 'deployments',
          message: 'which deployment was measured',
          ...(name !== undefined ? { value: name } : {}),
          expected: `--deployment with one of: ${names.join(', ')}`,
        },
      ],
    );
  if (r.decode)
    throw new AifError(
      ERROR_CODES.INVALID_ARGUMENT,
      `calibrate bench: deployment '${r.name}' is disaggregated (prefill/decode pools); the steady-state fit covers aggregated serving only`,
      [
        {
          path: `${r.path}.decode`,
          message: 'disaggregated deployment',
          expected: 'no decode pool',
        },
      ],
    );
  const index = Number(r.path.split('.')[1]);
  const config = scenario.deployments[index]!;
  const chosen = choosePlan(r, config, scenario, catalog, table);
  const deployment = chosenDeployment(r, chosen, []);
  const prepared = prepareDeployment(deployment, catalog.formats);
  const memory = memoryFit(prepared);
  if (!memory.fits)
    throw new AifError(
      ERROR_CODES.MEMORY_DOES_NOT_FIT,
      `calibrate bench: deployment '${r.name}' does not fit in memory (${memory.reason ?? 'no KV room'}): it cannot be what was measured`,
      [{ path: r.path, message: memory.reason ?? 'does not fit in memory' }],
    );
  const spec = r.deployment;
  return {
    name: r.name,
    model: spec.model,
    accelerator: spec.accelerator,
    engine: chosen.engine.name,
    precision: spec.precisionLabel,
    plan: chosen.plan,
    planChosenBy: spec.parallel === 'auto' ? 'planner' : 'scenario',
    replicas: chosen.replicas,
    prepared,
    memory,
    chain: calibrationChain(spec.accelerator, chosen.engine.name, modelClassOf(spec.model)),
    shapes: scenario.workload.classes.map((c) => classShape(c, chosen.engine.prefixCaching)),
  };
}

/** Does the served model name denote the scenario's model? */
function modelMatches(served: string, model: ModelArch, alias: string | undefined): boolean {
  const s = served.trim().toLowerCase();
  const names = [model.id, ...model.hfIds, ...model.hfIds.map((h) => h.split('/').pop() ?? h)];
  if (alias !== undefined) names.push(alias);
  return names.some((n) => n.toLowerCase() === s);
}

function catalogModelNamed(served: string, catalog: Catalog): ModelArch | undefined {
  const s = served.trim().toLowerCase();
  for (const m of catalog.models.values())
    if (
      m.id === s ||
      m.hfIds.some((h) => h.toLowerCase() === s || (h.split('/').pop() ?? h).toLowerCase() === s)
    )
      return m;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Stages → observations
// ---------------------------------------------------------------------------------------------

const PROCESS_RE = /^(constant|poisson|gamma)\b/;

interface StageLoad {
  arrivals: 'closed-loop' | 'poisson';
  load: number;
}

function stageLoad(s: BenchStage, shapes: readonly ClassShape[]): StageLoad | { skip: string } {
  if (s.offeredLoadUnit === 'concurrency') {
    if (s.offeredLoad === null || !(s.offeredLoad > 0))
      return { skip: 'closed-loop stage without its concurrency (offeredLoad)' };
    return { arrivals: 'closed-loop', load: s.offeredLoad };
  }
  if (s.offeredLoadUnit === 'requests/s') {
    const process = PROCESS_RE.exec(s.label)?.[1];
    if (process === 'poisson') return { arrivals: 'poisson', load: s.throughput.requestsPerSecond };
    return {
      skip: `open-loop ${process ?? 'unknown'} arrivals: the steady-state model has closed-loop and Poisson arrivals only`,
    };
  }
  // The scenario's own arrivals: usable when one class sets them and the model has them.
  if (s.label === 'trace replay')
    return { skip: 'trace replay: arrivals and lengths of a trace, not a steady state' };
  if (shapes.length !== 1)
    return { skip: `scenario arrivals of ${shapes.length} classes: a mixed steady state` };
  const shape = shapes[0]!;
  if (shape.arrivals === 'closed-loop')
    return { arrivals: 'closed-loop', load: shape.closedLoopClients ?? 1 };
  if (shape.arrivals === 'poisson')
    return { arrivals: 'poisson', load: s.throughput.requestsPerSecond };
  return {
    skip: `scenario ${shape.arrivals} arrivals: the steady-state model has closed-loop and Poisson arrivals only`,
  };
}

/** The classes' mean cached-prefix share of the prompt and think time (equal weights). */
function classMeans(shapes: readonly ClassShape[]): { cachedShare: number; thinkSeconds: number } {
  const n = Math.max(1, shapes.length);
  let cached = 0;
  let think = 0;
  for (const s of shapes) {
    cached += s.request.inputTokens > 0 ? s.request.cachedInputTokens / s.request.inputTokens : 0;
    think += s.thinkSeconds;
  }
  return { cachedShare: cached / n, thinkSeconds: think / n };
}

/** The operating point a stage's observation stands for, under `params`. */
export function stagePoint(
  d: Pick<BenchDeployment, 'prepared' | 'memory' | 'replicas'>,
  o: Pick<BenchStageObservation, 'arrivals' | 'load'> & {
    request: CalibrationObservation['request'];
  },
  params: CalibrationParams,
  thinkSeconds = 0,
): OperatingPoint {
  const shape: ClassShape = {
    className: 'bench',
    kind: 'request',
    request: {
      inputTokens: o.request.inputTokens,
      outputTokens: o.request.outputTokens,
      cachedInputTokens: o.request.cachedInputTokens ?? 0,
    },
    arrivals: o.arrivals,
    ...(o.arrivals === 'closed-loop'
      ? { closedLoopClients: o.load }
      : { offeredRequestsPerSecond: o.load }),
    thinkSeconds: o.arrivals === 'closed-loop' ? thinkSeconds : 0,
    slo: {},
    derivation: [],
  };
  return operatingPoint(
    { prepared: d.prepared, memory: d.memory, calibration: params },
    shape,
    d.replicas,
  );
}

function observe(
  reports: readonly { file: string; report: BenchReportSubset }[],
  d: BenchDeployment,
  start: CalibrationParams,
): { observations: BenchStageObservation[]; skipped: BenchCalibration['skipped'] } {
  const observations: BenchStageObservation[] = [];
  const skipped: BenchCalibration['skipped'] = [];
  const { cachedShare, thinkSeconds } = classMeans(d.shapes);
  for (const { file, report } of reports) {
    const before = observations.length;
    report.stages.forEach((s) => {
      const skip = (reason: string) =>
        skipped.push({ file, stage: s.stage, label: s.label, reason });
      const ttft = s.latency.ttft.meanSeconds;
      const tpot = s.latency.perRequestGap.meanSeconds;
      if (s.counts.ok === 0) return skip('no ok requests');
      if (ttft === null || !(ttft > 0)) return skip('no measured TTFT');
      if (tpot === null || !(tpot > 0) || s.latency.perRequestGap.count === 0)
        return skip('no measured TPOT (every request produced fewer than 2 tokens)');
      if (!(s.throughput.requestsPerSecond > 0))
        return skip('no request rate (empty measurement window)');
      const load = stageLoad(s, d.shapes);
      if ('skip' in load) return skip(load.skip);
      const inputTokens = s.throughput.inputTokensPerSecond / s.throughput.requestsPerSecond;
      const outputTokens = s.tokens.outputTokens / s.counts.ok;
      if (!(inputTokens >= 1) || !(outputTokens >= 2))
        return skip(
          `mean lengths ${inputTokens.toFixed(1)} in / ${outputTokens.toFixed(1)} out tokens: too short to time`,
        );
      const request = {
        inputTokens,
        outputTokens,
        cachedInputTokens: cachedShare * inputTokens,
      };
      const point = stagePoint(d, { ...load, request }, start, thinkSeconds);
      const notes: string[] = [];
      if (s.counts.failed > 0)
        notes.push(`${s.counts.failed} of ${s.counts.requests} requests failed (not in the means)`);
      for (const f of s.flags) if (f.startsWith('dispatch-lag')) notes.push(f);
      if (point.capacityExceeded) notes.push('the model puts this rate above capacity');
      observations.push({
        file,
        stage: s.stage,
        label: s.label,
        arrivals: load.arrivals,
        load: load.load,
        notes,
        observation: {
          prepared: d.prepared,
          memory: d.memory,
          request,
          concurrency: point.concurrencyPerReplica,
          arrivals: load.arrivals,
          measuredTtftSeconds: ttft,
          measuredTpotSeconds: tpot,
          chain: d.chain,
          labels: { model: d.model.id, accelerator: d.accelerator.id, engine: d.engine },
        },
      });
    });
    if (observations.length === before) {
      const noOk = report.stages.every((s) => s.counts.ok === 0);
      throw refuse(
        file,
        noOk ? 'no ok requests in any stage' : 'no stage the steady-state model can use',
        noOk
          ? [
              {
                path: 'stages.*.counts.ok',
                message: 'every stage has 0 ok requests',
                value: 0,
                expected: 'at least one stage with successful requests',
              },
            ]
          : report.stages.map((s, i) => ({
              path: `stages.${i}`,
              message: skipped.find((k) => k.file === file && k.stage === s.stage)?.reason ?? '',
              value: s.label,
              expected: 'a closed-loop (--concurrency) or Poisson (--rate) stage with ok requests',
            })),
      );
    }
  }
  return { observations, skipped };
}

// ---------------------------------------------------------------------------------------------
// Identifiability
// ---------------------------------------------------------------------------------------------

export interface IdentifiabilityOptions {
  /** rms elasticity d ln(prediction)/d ln(param) below which a parameter does not move the data (default 0.02). */
  minSensitivity?: number;
  /** Share of a column orthogonal to the chosen ones below which it is collinear (default 0.3). */
  minIndependence?: number;
}

/**
 * Choose, in priority order, the candidates the rows can identify (see the file comment).
 * `predictLog` returns the log prediction of every row; `rowQuantity` names each row's
 * quantity (e.g. `ttft`, `tpot`) for the per-quantity sensitivity in the decisions.
 */
export function selectIdentifiable(
  predictLog: (params: CalibrationParams) => number[],
  rowQuantity: readonly string[],
  start: CalibrationParams,
  candidates: readonly ParamKey[],
  options: IdentifiabilityOptions = {},
): ParamDecision[] {
  const minS = options.minSensitivity ?? 0.02;
  const minI = options.minIndependence ?? 0.3;
  const h = 0.05;
  // Elasticities (d ln prediction / d ln parameter): scale-free, so an efficiency near 1 and an
  // overhead of microseconds are judged alike (the optimiser's logit would hide an η of 0.96).
  const rows = rowQuantity.length;
  const quantities = [...new Set(rowQuantity)];
  const chosen: number[][] = [];
  const out: ParamDecision[] = [];
  for (const k of candidates) {
    const up = predictLog({ ...start, [k]: start[k] * Math.exp(h) });
    const down = predictLog({ ...start, [k]: start[k] * Math.exp(-h) });
    const col = up.map((u, i) => (u - down[i]!) / (2 * h));
    const rms = (idx: number[]): number =>
      idx.length ? Math.sqrt(idx.reduce((a, i) => a + col[i]! ** 2, 0) / idx.length) : 0;
    const sensitivity: Record<string, number> = {};
    for (const q of quantities)
      sensitivity[q] = rms(rowQuantity.flatMap((r, i) => (r === q ? [i] : [])));
    const all = rms(col.map((_, i) => i));
    let resid = [...col];
    for (const q of chosen) {
      const dot = resid.reduce((a, v, i) => a + v * q[i]!, 0);
      resid = resid.map((v, i) => v - dot * q[i]!);
    }
    const norm = Math.sqrt(col.reduce((a, v) => a + v * v, 0));
    const rnorm = Math.sqrt(resid.reduce((a, v) => a + v * v, 0));
    const independence = norm > 0 ? rnorm / norm : 0;
    const sens = quantities.map((q) => `${q} ${sensitivity[q]!.toFixed(3)}`).join(', ');
    let reason: string;
    let fitted = false;
    if (all < minS)
      reason = `does not move the measured figures (rms sensitivity ${all.toFixed(3)} < ${minS}: ${sens})`;
    else if (independence < minI)
      reason = `collinear with ${out
        .filter((o) => o.fitted)
        .map((o) => o.param)
        .join(
          ', ',
        )} on these stages (only ${(independence * 100).toFixed(0)}% independent): kept at the start value`;
    else if (chosen.length >= rows)
      reason = `no measured figure left to identify it (${rows} figures, ${chosen.length} parameters)`;
    else {
      fitted = true;
      reason = `identified (sensitivity ${sens}; ${(independence * 100).toFixed(0)}% independent of the parameters before it)`;
      chosen.push(resid.map((v) => v / rnorm));
    }
    out.push({ param: k, fitted, sensitivity, independence, reason });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fit
// ---------------------------------------------------------------------------------------------

/**
 * Prior weight towards the start entry, per squared unit of logit/log: 1e-4 costs as much as a
 * 0.08% error for moving η from 0.96 to 0.6 — the data decide; the identifiability gate, not
 * the prior, keeps unidentifiable parameters at their start values.
 */
export const BENCH_PRIOR_WEIGHT = 1e-4;

/** Candidates in priority order: what decode-dominated TPOT, then prefill-dominated TTFT, identify. */
export const BENCH_CANDIDATES: readonly ParamKey[] = [
  'memoryEfficiency',
  'hostOverheadSeconds',
  'gemmComputeEfficiency',
  'requestOverheadSeconds',
];

const apePct = (predicted: number, measured: number): number =>
  (100 * (predicted - measured)) / measured;
const mean = (xs: readonly number[]): number =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
const sig = (x: number): number => (Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(6)) : x);

const FRACTION_KEYS: ReadonlySet<ParamKey> = new Set<ParamKey>([
  'gemmComputeEfficiency',
  'memoryEfficiency',
  'attentionComputeEfficiency',
  'commEfficiency',
  'closedLoopBurstFraction',
]);

/** The optimiser's coordinate of a parameter: logit for fractions, log for positive quantities. */
const coordinate = (k: ParamKey, v: number): number => {
  if (!FRACTION_KEYS.has(k)) return Math.log(Math.max(1e-9, v));
  const p = Math.min(0.999, Math.max(1e-4, v));
  return Math.log(p / (1 - p));
};

/**
 * `fitParamSubset` from several deterministic starts (the chain entry, and efficiencies × 0.6 /
 * × 0.8 crossed with overheads × 0.5 / × 2), keeping the lowest objective: the per-class
 * rooflines make the loss kinked (an op class switches from compute- to memory-bound), and one
 * simplex stalls in the valley where a fixed overhead trades against an efficiency. The prior
 * (weight × squared distance in logit/log space) always pulls towards the chain entry.
 */
export function multiStartFit(
  loss: (p: CalibrationParams) => number,
  start: CalibrationParams,
  keys: readonly ParamKey[],
  opts: { maxIterations: number; priorWeight: number },
): CalibrationParams {
  const x0 = keys.map((k) => coordinate(k, start[k]));
  const objective = (p: CalibrationParams): number =>
    loss(p) +
    opts.priorWeight * keys.reduce((a, k, i) => a + (coordinate(k, p[k]) - x0[i]!) ** 2, 0);
  const starts: CalibrationParams[] = [start];
  for (const eff of [0.6, 0.8])
    for (const over of [0.5, 2]) {
      const p = { ...start };
      for (const k of keys)
        p[k] = FRACTION_KEYS.has(k) ? Math.min(0.99, start[k] * eff) : start[k] * over;
      starts.push(p);
    }
  let best = start;
  let bestValue = Infinity;
  for (const s of starts) {
    const p = fitParamSubset(objective, s, keys, {
      maxIterations: opts.maxIterations,
      priorWeight: 0,
    });
    const v = objective(p);
    if (v < bestValue - 1e-12) {
      best = p;
      bestValue = v;
    }
  }
  return best;
}

/** Fit one calibration entry for the scenario's deployment from bench reports. Deterministic. */
export function calibrateFromBench(
  scenario: Scenario,
  reports: readonly BenchReportInput[],
  catalog: Catalog,
  base: CalibrationTable,
  options: CalibrateBenchOptions,
): BenchCalibration {
  if (reports.length === 0)
    throw new AifError(ERROR_CODES.INVALID_ARGUMENT, 'calibrate bench: no report given');
  const d = benchDeployment(scenario, catalog, base, options.deployment);
  const parsed = reports.map(({ file, data }) => {
    const r = BenchReportSubsetSchema.safeParse(data);
    if (!r.success)
      throw refuse(file, 'not an aifactory bench report', zodIssues(r.error.issues, data));
    const report = r.data;
    if (report.convention !== 'aifactory')
      throw refuse(file, `metrics under the '${report.convention}' convention`, [
        {
          path: 'convention',
          message: 'TTFT/TPOT must follow the aifactory definitions the model predicts',
          value: report.convention,
          expected: "'aifactory' (re-run `aifactory bench` without --convention)",
        },
      ]);
    if (!modelMatches(report.target.model, d.model, options.servedModel)) {
      const other = catalogModelNamed(report.target.model, catalog);
      throw refuse(
        file,
        other
          ? `measured model ${other.id}, but deployment '${d.name}' runs ${d.model.id}`
          : `served model '${report.target.model}' is not the scenario's model ${d.model.id}`,
        [
          {
            path: 'target.model',
            message: 'the measured model must be the deployment’s model',
            value: report.target.model,
            expected: `${d.model.id} or one of its hfIds (${d.model.hfIds.join(', ') || 'none'}), or --served-model ${report.target.model} if the endpoint serves ${d.model.id} under that name`,
          },
        ],
      );
    }
    return { file, report };
  });

  const start = resolveCalibration(base, d.accelerator, d.engine, d.model);
  const { observations, skipped } = observe(parsed, d, start.params);
  if (!observations.some((o) => o.arrivals === 'closed-loop'))
    throw refuse(
      parsed.map((p) => p.file).join(', '),
      'no closed-loop stage: the fit needs closed-loop stages (Poisson stages only add to them; their TTFT rests on the M/D/1 queueing approximation)',
      [
        {
          path: 'stages.*.offeredLoadUnit',
          message: 'no usable stage with offeredLoadUnit "concurrency"',
          value: [...new Set(parsed.flatMap((p) => p.report.stages.map((s) => s.offeredLoadUnit)))],
          expected: 'stages from `aifactory bench --concurrency 1,4,16,…`',
        },
      ],
    );

  const { thinkSeconds } = classMeans(d.shapes);
  const predict = (o: BenchStageObservation, params: CalibrationParams) => {
    const p = stagePoint(
      d,
      { arrivals: o.arrivals, load: o.load, request: o.observation.request },
      params,
      thinkSeconds,
    );
    return p.state;
  };
  const predictLog = (params: CalibrationParams): number[] =>
    observations.flatMap((o) => {
      const s = predict(o, params);
      return [Math.log(s.ttftSeconds), Math.log(s.tpotSeconds)];
    });
  const rowQuantity = observations.flatMap(() => ['ttft', 'tpot']);
  const decisions = options.params
    ? options.params.map<ParamDecision>((param) => ({
        param,
        fitted: true,
        sensitivity: {},
        independence: 1,
        reason: 'requested',
      }))
    : selectIdentifiable(predictLog, rowQuantity, start.params, BENCH_CANDIDATES);
  const keys = decisions.filter((x) => x.fitted).map((x) => x.param);
  const loss = (params: CalibrationParams): number =>
    mean(
      observations.map((o) => {
        const s = predict(o, params);
        return (
          Math.abs(Math.log(s.ttftSeconds / o.observation.measuredTtftSeconds)) +
          Math.abs(Math.log(s.tpotSeconds / o.observation.measuredTpotSeconds))
        );
      }),
    );
  const fittedParams =
    keys.length > 0
      ? multiStartFit(loss, start.params, keys, {
          maxIterations: options.maxIterations ?? 300,
          priorWeight: options.priorWeight ?? BENCH_PRIOR_WEIGHT,
        })
      : { ...start.params };
  const params = Object.fromEntries(
    Object.entries(fittedParams).map(([k, v]) => [k, sig(v as number)]),
  ) as unknown as CalibrationParams;

  const stages: StageFit[] = observations.map((o) => {
    const b = predict(o, start.params);
    const a = predict(o, params);
    const m = {
      ttftSeconds: o.observation.measuredTtftSeconds,
      tpotSeconds: o.observation.measuredTpotSeconds,
    };
    const td = b.decodeStep;
    return {
      file: o.file,
      stage: o.stage,
      label: o.label,
      measured: m,
      before: { ttftSeconds: sig(b.ttftSeconds), tpotSeconds: sig(b.tpotSeconds) },
      after: { ttftSeconds: sig(a.ttftSeconds), tpotSeconds: sig(a.tpotSeconds) },
      ttftErrorPct: sig(apePct(a.ttftSeconds, m.ttftSeconds)),
      tpotErrorPct: sig(apePct(a.tpotSeconds, m.tpotSeconds)),
      regime: {
        tpotMemoryBoundShare: sig(td.memoryBoundSeconds / td.seconds),
        tpotComputeBoundShare: sig(td.computeBoundSeconds / td.seconds),
        tpotHostShare: sig((td.seconds - td.deviceSeconds) / td.seconds),
        ttftPrefillShare: sig(b.prefillSpanSeconds / b.ttftSeconds),
      },
    };
  });
  const mape = (f: (s: StageFit) => [number, number]) =>
    sig(mean(stages.map((s) => Math.abs(apePct(...f(s))))));
  const before = {
    ttftMapePct: mape((s) => [s.before.ttftSeconds, s.measured.ttftSeconds]),
    tpotMapePct: mape((s) => [s.before.tpotSeconds, s.measured.tpotSeconds]),
  };
  const after = {
    ttftMapePct: mape((s) => [s.after.ttftSeconds, s.measured.ttftSeconds]),
    tpotMapePct: mape((s) => [s.after.tpotSeconds, s.measured.tpotSeconds]),
  };
  const atUpperBound = keys
    .filter((k) => FRACTION_KEYS.has(k) && k !== 'closedLoopBurstFraction' && params[k] > 0.98)
    .map((param) => ({ param, value: params[param] }));

  const key = d.chain[0]!;
  const files = parsed.map((p) => p.file);
  const endpoints = [
    ...new Map(
      parsed.map((p) => [
        `${p.report.target.baseUrl} ${p.report.target.model}`,
        {
          baseUrl: p.report.target.baseUrl,
          api: p.report.target.api,
          model: p.report.target.model,
        },
      ]),
    ).values(),
  ];
  const plan = planLabel(d.plan);
  const entry: CalibrationFileEntry = {
    key,
    params,
    source: `fit on ${observations.length} bench stages of ${d.model.id} ${d.precision} on ${d.accelerator.id} (${d.engine}, ${plan}, ${d.replicas} replica${d.replicas === 1 ? '' : 's'}): ${keys.length ? keys.join(', ') : 'nothing identifiable'} fitted, the rest from ${start.key}; in-sample MAPE TTFT ${after.ttftMapePct.toFixed(1)}%, TPOT ${after.tpotMapePct.toFixed(1)}%`,
    numRows: observations.length,
    startedFrom: start.key,
    fitted: keys,
    fitError: {
      rows: observations.length,
      ttftMapePct: after.ttftMapePct,
      tpotMapePct: after.tpotMapePct,
      perRow: stages.flatMap((s) => [
        {
          label: `${s.file} stage ${s.stage} (${s.label})`,
          quantity: 'mean TTFT',
          measuredSeconds: s.measured.ttftSeconds,
          predictedSeconds: s.after.ttftSeconds,
          errorPct: s.ttftErrorPct,
        },
        {
          label: `${s.file} stage ${s.stage} (${s.label})`,
          quantity: 'mean TPOT',
          measuredSeconds: s.measured.tpotSeconds,
          predictedSeconds: s.after.tpotSeconds,
          errorPct: s.tpotErrorPct,
        },
      ]),
    },
  };
  const notes = [
    ...skipped.map(
      (s) =>
        `skipped ${s.file}${s.stage !== null ? ` stage ${s.stage}` : ''} (${s.label}): ${s.reason}`,
    ),
    ...observations.flatMap((o) => o.notes.map((n) => `${o.file} stage ${o.stage}: ${n}`)),
    ...decisions.filter((x) => !x.fitted).map((x) => `${x.param} not fitted: ${x.reason}`),
    ...atUpperBound.map(
      (u) =>
        `${u.param} ended at ${u.value} (upper bound): the data want η ≥ 1 — a model or data defect, not hardware beating its datasheet`,
    ),
    'fit error is in-sample (the stages the entry was fitted on); the key carries no precision: the entry applies to every precision of this accelerator, engine and model class',
  ];
  if (d.planChosenBy === 'planner')
    notes.push(
      `the scenario leaves the plan to the planner, which chose ${plan}: state the measured plan in the scenario if it differs`,
    );
  const file: CalibrationFile = {
    kind: 'aifactory.calibration',
    version: 1,
    provenance: {
      method: 'bench',
      files,
      createdAt: options.createdAt,
      ...(options.command !== undefined ? { command: options.command } : {}),
      ...(options.toolVersion !== undefined ? { toolVersion: options.toolVersion } : {}),
      catalogVersion: catalog.version,
      endpoints,
      scenario: {
        ...(options.scenarioFile !== undefined ? { file: options.scenarioFile } : {}),
        name: scenario.name,
        hash: contentHash(scenario),
      },
      deployment: {
        name: d.name,
        model: d.model.id,
        accelerator: d.accelerator.id,
        precision: d.precision,
        engine: d.engine,
        plan,
        replicas: d.replicas,
        gpusPerReplica: gpusPerReplica(d.plan),
      },
      notes,
    },
    entries: [entry],
  };
  return {
    file,
    entry,
    start,
    deployment: {
      name: d.name,
      key,
      plan,
      planChosenBy: d.planChosenBy,
      replicas: d.replicas,
    },
    decisions,
    stages,
    skipped,
    before,
    after,
    atUpperBound,
  };
}
