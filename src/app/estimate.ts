/**
 * Use case `estimate`: the analytical steady state of every deployment of a scenario for every
 * workload class — memory fit, plan, throughput, latency, the utilization set, the
 * throughput–interactivity frontier, power and energy at named boundaries (DESIGN §3, §4, §6).
 * Pure: the CLI reads the files and prints; this returns data. Every figure is a `Metric` with
 * its full `Basis`; every value the scenario did not state is in `defaultsApplied`; every
 * approximation is in `assumptions` (report-wide) or a class's `derivation`.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { System } from '../catalog/types.js';
import type { Basis, Metric, PowerKind, SloBasis } from '../core/basis.js';
import { AifError, ERROR_CODES, type ErrorIssue } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import { GIGA } from '../core/units.js';
import {
  resolveCalibration,
  type CalibrationEntry,
  type CalibrationTable,
} from '../perf/calibration.js';
import { prepareDeployment } from '../perf/costs.js';
import { memoryFit, type MemoryFit } from '../perf/memory.js';
import { searchPlans } from '../perf/plan-search.js';
import {
  POWER_MODEL,
  replicaPower,
  scaleActivity,
  tokensPerMegawatt,
  type Activity,
} from '../perf/power.js';
import {
  gpusPerReplica,
  type Deployment,
  type EngineSettings,
  type ParallelPlan,
} from '../perf/types.js';
import {
  applyEngineDefaults,
  ENGINE_DEFAULTS,
  replicasFromSystems,
  resolveScenario,
  SCENARIO_ENGINE_FIELD,
  statedEngineValues,
  type DefaultApplied,
  type DeploymentConfig,
  type ResolvedDeployment,
  type Scenario,
  type Site,
  type Slo,
} from '../scenario/index.js';
import {
  frontierConcurrencies,
  operatingPoint,
  sloCapacity,
  steadyAt,
  type OperatingPoint,
  type PerfContext,
} from './operating-point.js';
import { classShape, type ClassShape } from './workload-shape.js';
import { contextWindowTokens } from '../catalog/context-windows.js';

// ---------------------------------------------------------------------------------------------
// Report types
// ---------------------------------------------------------------------------------------------

export interface MemoryReport {
  fits: boolean;
  /** Why it does not fit, in words. */
  reason?: string;
  /** What `gpuMemoryUtilization` is a fraction of for this engine. */
  gpuMemoryUtilization: number;
  gpuMemoryUtilizationOf: 'total' | 'free-after-weights';
  hbmGbPerGpu: Metric;
  usableGbPerGpu: Metric;
  weightsGbPerGpu: Metric;
  activationsGbPerGpu: Metric;
  reserveGbPerGpu: Metric;
  kvCacheGbPerGpu: Metric;
  /** Usable memory the engine leaves unallocated (free-after-weights engines keep a share back). */
  unallocatedGbPerGpu: Metric;
  maxKvTokensPerReplica: Metric;
}

export interface SloCheck {
  target: 'ttftP99Seconds' | 'tpotP99Seconds' | 'e2eP99Seconds';
  targetSeconds: number;
  /** The steady-state mean compared with the p99 target (approximation, see `note`). */
  estimateSeconds: number;
  met: boolean;
}

export interface FrontierPoint {
  concurrencyPerReplica: number;
  runningSeqs: number;
  limitedBy: 'none' | 'kv-cache' | 'max-num-seqs';
  outputTokensPerSecondPerGpu: Metric;
  /** Interactivity, 1/TPOT (DESIGN §3). */
  outputTokensPerSecondPerUser: Metric;
  ttftSeconds: Metric;
  tpotSeconds: Metric;
}

export interface PowerReport {
  /** The PUE used, and where it comes from; absent when the scenario states none. */
  pue?: { value: number; source: string };
  chipWattsPerReplica: Metric;
  nodeWattsPerReplica: Metric;
  facilityWattsPerReplica?: Metric;
  tokensPerJouleChip: Metric;
  tokensPerJouleNode: Metric;
  tokensPerJouleFacility?: Metric;
  /** Output tok/s per MW of facility power drawn. */
  tokensPerSecondPerMwDrawn?: Metric;
  /** Output tok/s per MW of provisioned (nameplate) facility power. */
  tokensPerSecondPerMwProvisioned?: Metric;
  provisionedFacilityWattsPerReplica?: Metric;
  notes: string[];
}

export interface ClassEstimate {
  className: string;
  kind: 'request' | 'agent-session';
  /** The mean request served, and how it was derived from the workload. */
  request: {
    meanInputTokens: Metric;
    meanCachedInputTokens: Metric;
    meanOutputTokens: Metric;
    derivation: string[];
  };
  concurrencyPerReplica: Metric;
  runningSeqsPerReplica: Metric;
  /** What limits the running set below the concurrency, if anything. */
  limitedBy: 'none' | 'kv-cache' | 'max-num-seqs';
  concurrencyDerivation: string;
  offeredRequestsPerSecondPerReplica?: Metric;
  capacityRequestsPerSecondPerReplica: Metric;
  capacityExceeded: boolean;
  throughput: {
    outputTokensPerSecondPerReplica: Metric;
    outputTokensPerSecondPerGpu: Metric;
    inputTokensPerSecondPerReplica: Metric;
    inputTokensPerSecondPerGpu: Metric;
    requestsPerSecondPerReplica: Metric;
    outputTokensPerSecondDeployment: Metric;
  };
  latency: {
    ttftSeconds: Metric;
    tpotSeconds: Metric;
    e2eSeconds: Metric;
  };
  slo: { checks: SloCheck[]; allMet: boolean; note: string };
  utilization: {
    mfu: Metric;
    mbu: Metric;
    kvOccupancy: Metric;
    busy: Metric;
  };
  power: PowerReport;
  frontier: FrontierPoint[];
}

export interface PlanCandidate {
  plan: string;
  feasible: boolean;
  /** Objective value: output tok/s per system (see `planSearch.objective`). */
  objective?: Metric;
  reason?: string;
}

export interface DeploymentEstimate {
  name: string;
  path: string;
  model: string;
  system: string;
  accelerator: string;
  precision: string;
  engine: EngineSettings;
  /** The engine's documented behaviour the model follows (not a setting: no default applied). */
  engineBehaviour: { basis: string; kvAdmission: string; kvAdmissionSource: string };
  calibration: { key: string; source: string };
  plan: ParallelPlan & {
    chosenBy: 'scenario' | 'planner';
    gpusPerReplica: number;
    replicas: number;
    gpus: number;
    systems: number;
  };
  planSearch?: {
    objective: string;
    gpusSearched: number;
    domainSize: number;
    candidates: PlanCandidate[];
  };
  memory: MemoryReport;
  classes: ClassEstimate[];
  warnings: string[];
}

export interface EstimateReport {
  kind: 'aifactory.estimate';
  scenario: { name: string; seed: number; hash: string };
  catalogVersion: string;
  method: string;
  defaultsApplied: DefaultApplied[];
  assumptions: string[];
  /** Parts of the scenario the analytical estimate does not use. */
  notUsed: string[];
  deployments: DeploymentEstimate[];
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Report values carry 6 significant digits: enough for any comparison, stable across refactors. */
const sig = (x: number): number => (Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(6)) : x);

const show = (x: number, digits = 0): string =>
  (Math.round(x * 10 ** digits) / 10 ** digits).toString();

const gb = (bytes: number): number => bytes / GIGA;

const sloBasis = (slo: Slo): SloBasis | 'none' => {
  const out: SloBasis = {};
  if (slo.ttftP99Seconds !== undefined) out.ttftP99Seconds = slo.ttftP99Seconds;
  if (slo.tpotP99Seconds !== undefined) out.tpotP99Seconds = slo.tpotP99Seconds;
  if (slo.e2eP99Seconds !== undefined) out.e2eP99Seconds = slo.e2eP99Seconds;
  return Object.keys(out).length ? out : 'none';
};

const planLabel = (p: ParallelPlan): string => `tp${p.tp} pp${p.pp} ep${p.ep} dp${p.attnDp}`;

/** Builds metrics that share everything but name, value, unit, boundary and power kind. */
function metricMaker(common: Omit<Basis, 'boundary' | 'powerKind'>) {
  return (
    name: string,
    value: number,
    unit: string,
    boundary: Basis['boundary'],
    powerKind?: PowerKind,
    overrides: Partial<Basis> = {},
  ): Metric => ({
    name,
    value: sig(value),
    unit,
    basis: { ...common, boundary, ...(powerKind ? { powerKind } : {}), ...overrides },
  });
}

/** PUE from `site.pue`, or from `site.pueCurve` at the IT load fraction (linear, clamped). */
function pueOf(
  site: Site | undefined,
  itLoadFraction: number,
): { value: number; source: string } | undefined {
  if (site?.pue !== undefined) return { value: site.pue, source: 'site.pue (scenario)' };
  const curve = site?.pueCurve;
  if (!curve || curve.length === 0) return undefined;
  const x = Math.min(1, Math.max(0, itLoadFraction));
  const first = curve[0]!;
  const last = curve[curve.length - 1]!;
  let value: number;
  if (x <= first.itLoadFraction) value = first.pue;
  else if (x >= last.itLoadFraction) value = last.pue;
  else {
    let i = 1;
    while (curve[i]!.itLoadFraction < x) i++;
    const a = curve[i - 1]!;
    const b = curve[i]!;
    value =
      a.pue + ((b.pue - a.pue) * (x - a.itLoadFraction)) / (b.itLoadFraction - a.itLoadFraction);
  }
  return {
    value,
    source: `site.pueCurve (scenario) at IT load ${show(x * 100, 1)}% of nameplate (linear between points, clamped at the ends)`,
  };
}

/**
 * Engine settings re-derived for a chosen plan: some engine defaults depend on tp·pp and
 * attention-DP (SGLang's memory fraction), which `resolveScenario` could not know while the
 * plan was `auto`. Stated settings stay as stated.
 */
function engineForPlan(
  config: DeploymentConfig,
  base: Omit<Deployment, 'parallel'>,
  plan: ParallelPlan,
  path: string,
): { engine: EngineSettings; defaults: DefaultApplied[] } {
  const { settings, applied } = applyEngineDefaults(
    config.engine.name,
    {
      accelerator: base.accelerator,
      tpTimesPp: plan.tp * plan.pp,
      attnDp: plan.attnDp,
      speculativeDrafter: config.speculative?.drafter,
    },
    statedEngineValues(config.engine as unknown as Record<string, unknown>),
  );
  const defaults: DefaultApplied[] = applied.map((a) => ({
    path: `${path}.engine.${SCENARIO_ENGINE_FIELD[a.key]}`,
    value: a.value,
    source: `${a.source} [applied for the planner's plan ${planLabel(plan)}]`,
  }));
  return { engine: { ...base.engine, ...settings }, defaults };
}

// ---------------------------------------------------------------------------------------------
// Per-class evaluation
// ---------------------------------------------------------------------------------------------

interface ClassEvaluation {
  shape: ClassShape;
  point: OperatingPoint;
  meetsSlo: boolean;
  checks: SloCheck[];
  outputTokensPerSecondPerReplica: number;
}

function sloChecks(shape: ClassShape, point: OperatingPoint): SloCheck[] {
  const s = point.state;
  const rows: [SloCheck['target'], number | undefined, number][] = [
    ['ttftP99Seconds', shape.slo.ttftP99Seconds, s.ttftSeconds],
    ['tpotP99Seconds', shape.slo.tpotP99Seconds, s.tpotSeconds],
    ['e2eP99Seconds', shape.slo.e2eP99Seconds, s.e2eSeconds],
  ];
  return rows
    .filter((r): r is [SloCheck['target'], number, number] => r[1] !== undefined)
    .map(([target, t, v]) => ({ target, targetSeconds: t, estimateSeconds: sig(v), met: v <= t }));
}

function evaluateClass(ctx: PerfContext, shape: ClassShape, replicas: number): ClassEvaluation {
  const point = operatingPoint(ctx, shape, replicas);
  const checks = sloChecks(shape, point);
  return {
    shape,
    point,
    checks,
    meetsSlo: checks.every((c) => c.met) && !point.capacityExceeded,
    outputTokensPerSecondPerReplica: point.state.outputTokensPerSecond * point.carriedFraction,
  };
}

// ---------------------------------------------------------------------------------------------
// Plan choice
// ---------------------------------------------------------------------------------------------

export interface ChosenPlan {
  plan: ParallelPlan;
  replicas: number;
  engine: EngineSettings;
  defaults: DefaultApplied[];
  search?: DeploymentEstimate['planSearch'];
}

const PLAN_OBJECTIVE =
  'max output tok/s per system = Σ over classes of a per-replica value × replicas per system — closed-loop classes: ' +
  'output tok/s at the class concurrency; open-arrival classes (whose carried rate the workload fixes): SLO-bounded ' +
  'capacity, the output tok/s at the largest running set still meeting the SLO (headroom) — among plans that fit memory, ' +
  'tile the system, carry the offered load and meet every class SLO at the operating point, with steady-state mean ' +
  'TTFT/TPOT/E2E standing in for the p99 targets (an optimistic approximation)';

function replicasFor(
  r: ResolvedDeployment,
  config: DeploymentConfig,
  system: System,
  gpr: number,
): number {
  if (typeof r.replicas === 'number') return r.replicas;
  return replicasFromSystems(config.systems ?? 1, system, gpr);
}

/**
 * The deployment a chosen plan makes of a resolved spec; the planner's defaults replace the
 * ones the resolver recorded at the same paths in `defaultsApplied` (mutated).
 */
export function chosenDeployment(
  r: ResolvedDeployment,
  chosen: ChosenPlan,
  defaultsApplied: DefaultApplied[],
): Deployment {
  if (chosen.defaults.length) {
    const replaced = new Set(chosen.defaults.map((d) => d.path));
    for (let i = defaultsApplied.length - 1; i >= 0; i--)
      if (replaced.has(defaultsApplied[i]!.path)) defaultsApplied.splice(i, 1);
    defaultsApplied.push(...chosen.defaults);
  }
  const spec = r.deployment;
  return {
    model: spec.model,
    accelerator: spec.accelerator,
    system: spec.system,
    precision: spec.precision,
    precisionLabel: spec.precisionLabel,
    parallel: chosen.plan,
    engine: chosen.engine,
    ...(spec.speculative ? { speculative: spec.speculative } : {}),
  };
}

export function choosePlan(
  r: ResolvedDeployment,
  config: DeploymentConfig,
  scenario: Scenario,
  catalog: Catalog,
  table: CalibrationTable,
): ChosenPlan {
  const spec = r.deployment;
  const base: Omit<Deployment, 'parallel'> = {
    model: spec.model,
    accelerator: spec.accelerator,
    system: spec.system,
    precision: spec.precision,
    precisionLabel: spec.precisionLabel,
    engine: spec.engine,
    ...(spec.speculative ? { speculative: spec.speculative } : {}),
  };
  if (spec.parallel !== 'auto') {
    const plan = spec.parallel;
    return {
      plan,
      replicas: replicasFor(r, config, spec.system, gpusPerReplica(plan)),
      engine: spec.engine,
      defaults: [],
    };
  }
  const system = spec.system;
  const reasons = new Map<string, string>();
  interface Eval {
    engine: EngineSettings;
    defaults: DefaultApplied[];
    total: number;
  }
  const search = searchPlans<Eval>({
    deployment: base,
    catalog,
    calibrationTable: table,
    gpus: system.acceleratorCount,
    domainSize: system.scaleUpDomainSize,
    evaluate: ({ prepared, calibration }) => {
      const plan = prepared.deployment.parallel;
      const key = planLabel(plan);
      const gpr = gpusPerReplica(plan);
      if (system.acceleratorCount % gpr !== 0) {
        reasons.set(
          key,
          `${gpr} GPUs per replica do not tile the ${system.acceleratorCount} accelerators of ${system.id}`,
        );
        return undefined;
      }
      if (spec.model.attention.numHeads % plan.tp !== 0) {
        reasons.set(
          key,
          `tp ${plan.tp} does not divide the ${spec.model.attention.numHeads} attention heads`,
        );
        return undefined;
      }
      const { engine, defaults } = engineForPlan(config, base, plan, r.path);
      const p2 = prepareDeployment({ ...base, engine, parallel: plan }, catalog.formats);
      const memory = memoryFit(p2);
      if (!memory.fits) {
        reasons.set(key, memory.reason ?? 'does not fit in memory');
        return undefined;
      }
      const ctx: PerfContext = { prepared: p2, memory, calibration: calibration.params };
      const replicas = replicasFor(r, config, system, gpr);
      if (replicas < 1) {
        reasons.set(key, 'no whole replica fits the deployment size');
        return undefined;
      }
      const evals = scenario.workload.classes.map((c) =>
        evaluateClass(ctx, classShape(c, engine.prefixCaching), replicas),
      );
      const missed = evals.filter((e) => !e.meetsSlo);
      if (missed.length) {
        reasons.set(
          key,
          missed
            .map((e) =>
              e.point.capacityExceeded
                ? `${e.shape.className}: offered rate exceeds capacity`
                : `${e.shape.className}: ${e.checks
                    .filter((c) => !c.met)
                    .map(
                      (c) => `${c.target} ${show(c.estimateSeconds, 3)} s > ${c.targetSeconds} s`,
                    )
                    .join(', ')}`,
            )
            .join('; '),
        );
        return undefined;
      }
      let total = 0;
      for (const e of evals) {
        if (e.shape.arrivals === 'closed-loop') total += e.outputTokensPerSecondPerReplica;
        else
          total +=
            sloCapacity(ctx, e.shape)?.outputTokensPerSecond ?? e.outputTokensPerSecondPerReplica;
      }
      return { engine, defaults, total };
    },
    value: (x) => x.total,
  });
  const candidates: PlanCandidate[] = search.evaluated.map((e) => ({
    plan: planLabel(e.plan),
    feasible: e.result !== undefined,
    ...(e.result !== undefined
      ? {
          objective: metricMaker({
            model: spec.model.id,
            precision: spec.precisionLabel,
            workload: `all classes at their operating points (${scenario.workload.classes.map((c) => c.name).join(', ')})`,
            slo: 'none',
            utilization: `plan ${planLabel(e.plan)}, ${Math.floor(system.acceleratorCount / gpusPerReplica(e.plan))} replicas per system`,
            currencyYear: 'n/a',
            provenance: 'modeled',
            source: `catalog ${catalog.version}; calibration ${e.calibration.key}: ${e.calibration.source}; planner objective (see planSearch.objective)`,
          })('plan objective: output tok/s per system', e.total, 'tok/s', 'system'),
        }
      : {}),
    ...(e.result === undefined
      ? { reason: reasons.get(planLabel(e.plan)) ?? e.infeasibleReason ?? 'infeasible' }
      : {}),
  }));
  const best = search.best;
  if (!best || !best.result) {
    const issues: ErrorIssue[] = [
      {
        path: `${r.path}.parallelism`,
        message: `no parallel plan on ${system.id} fits memory and meets the workload's SLOs`,
        value: 'auto',
        expected: 'a workload and SLO some plan can serve, a larger system, or a stated plan',
      },
      ...candidates.map((c) => ({
        path: `${r.path}.parallelism`,
        message: `${c.plan}: ${c.reason ?? 'infeasible'}`,
      })),
    ];
    throw new AifError(
      ERROR_CODES.NO_FEASIBLE_PLAN,
      `estimate: deployment '${r.name}': no feasible parallel plan`,
      issues,
    );
  }
  const plan = best.plan;
  const replicas = replicasFor(r, config, system, gpusPerReplica(plan));
  const defaults: DefaultApplied[] = [
    {
      path: `${r.path}.parallelism`,
      value: { ...plan },
      source: `planner (perf/plan-search.ts searchPlans): ${PLAN_OBJECTIVE}`,
    },
    ...(r.replicas === 'auto'
      ? [
          {
            path: `${r.path}.replicas`,
            value: replicas,
            source: `systems ${config.systems ?? 1} × ${system.acceleratorCount} accelerators / ${gpusPerReplica(plan)} GPUs per replica of the chosen plan`,
          },
        ]
      : []),
    ...best.result.defaults,
  ];
  return {
    plan,
    replicas,
    engine: best.result.engine,
    defaults,
    search: {
      objective: PLAN_OBJECTIVE,
      gpusSearched: system.acceleratorCount,
      domainSize: system.scaleUpDomainSize,
      candidates,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Report building
// ---------------------------------------------------------------------------------------------

interface DeploymentContext {
  catalogVersion: string;
  modelId: string;
  precision: string;
  source: string;
  gpr: number;
  replicas: number;
  system: System;
  site: Site | undefined;
}

function memoryReport(m: MemoryFit, engine: EngineSettings, d: DeploymentContext): MemoryReport {
  const make = metricMaker({
    model: d.modelId,
    precision: d.precision,
    workload: 'n/a (memory plan of the engine settings; independent of the workload)',
    slo: 'none',
    utilization: `engine ${engine.name}: gpuMemoryUtilization ${engine.gpuMemoryUtilization} of ${engine.gpuMemoryUtilizationOf ?? 'total'} memory, maxNumSeqs ${engine.maxNumSeqs}, maxNumBatchedTokens ${engine.maxNumBatchedTokens}`,
    currencyYear: 'n/a',
    provenance: 'modeled',
    source: `catalog ${d.catalogVersion}; memory model perf/memory.ts`,
  });
  const kv = Math.max(0, m.kvBudgetBytesPerGpu);
  const allocated = m.weightBytesPerGpu + m.activationBytesPerGpu + m.reserveBytesPerGpu + kv;
  return {
    fits: m.fits,
    ...(m.reason !== undefined ? { reason: m.reason } : {}),
    gpuMemoryUtilization: engine.gpuMemoryUtilization,
    gpuMemoryUtilizationOf: engine.gpuMemoryUtilizationOf ?? 'total',
    hbmGbPerGpu: make('HBM per GPU', gb(m.hbmBytesPerGpu), 'GB', 'gpu'),
    usableGbPerGpu: make('usable memory per GPU', gb(m.usableBytesPerGpu), 'GB', 'gpu'),
    weightsGbPerGpu: make('weights per GPU', gb(m.weightBytesPerGpu), 'GB', 'gpu'),
    activationsGbPerGpu: make('activations per GPU', gb(m.activationBytesPerGpu), 'GB', 'gpu'),
    reserveGbPerGpu: make('runtime reserve per GPU', gb(m.reserveBytesPerGpu), 'GB', 'gpu'),
    kvCacheGbPerGpu: make('KV cache per GPU', gb(kv), 'GB', 'gpu'),
    unallocatedGbPerGpu: make(
      'unallocated per GPU',
      gb(Math.max(0, m.usableBytesPerGpu - allocated)),
      'GB',
      'gpu',
    ),
    maxKvTokensPerReplica: make(
      'max KV tokens per replica',
      m.maxKvTokensPerReplica,
      'tokens',
      'replica',
    ),
  };
}

function powerReport(
  ctx: PerfContext,
  outputTokensPerSecond: number,
  activity: Activity,
  d: DeploymentContext,
  make: ReturnType<typeof metricMaker>,
): PowerReport {
  const notes: string[] = [
    `board power = idle + (TDP − idle)·min(1, ${POWER_MODEL.computeBoundWeight}·compute-bound share + ${POWER_MODEL.memoryBoundWeight}·memory-bound share + ${POWER_MODEL.otherBusyWeight}·other busy share of time) (${POWER_MODEL.source})`,
    "node = chips + the replica's share of host (idle→full with the chips' load) and network power of its system",
  ];
  const drawnIt = replicaPower(ctx.prepared, activity, d.system, 1);
  const acc = ctx.prepared.deployment.accelerator;
  const share = d.gpr / d.system.acceleratorCount;
  const nameplateIt =
    d.gpr * acc.tdpWatts.value +
    share * (d.system.hostPowerWatts.value + d.system.networkPowerWatts.value);
  const pue = pueOf(d.site, drawnIt.nodeWatts / nameplateIt);
  const power = replicaPower(ctx.prepared, activity, d.system, pue?.value ?? 1);
  const report: PowerReport = {
    ...(pue ? { pue: { value: sig(pue.value), source: pue.source } } : {}),
    chipWattsPerReplica: make('chip power per replica', power.chipWatts, 'W', 'chip', 'drawn'),
    nodeWattsPerReplica: make('node power per replica', power.nodeWatts, 'W', 'node', 'drawn'),
    tokensPerJouleChip: make(
      'output tokens per joule',
      outputTokensPerSecond / power.chipWatts,
      'tok/J',
      'chip',
      'drawn',
    ),
    tokensPerJouleNode: make(
      'output tokens per joule',
      outputTokensPerSecond / power.nodeWatts,
      'tok/J',
      'node',
      'drawn',
    ),
    notes,
  };
  if (!pue) {
    notes.push(
      'facility boundary not reported: the scenario states no site.pue or site.pueCurve (PUE is never assumed)',
    );
    return report;
  }
  const source = `; PUE ${show(pue.value, 3)} from ${pue.source}`;
  const withPue = (m: Metric): Metric => ({
    ...m,
    basis: { ...m.basis, source: m.basis.source + source },
  });
  const provisioned = nameplateIt * pue.value;
  notes.push(
    `provisioned = (GPUs × TDP ${acc.tdpWatts.value} W + share of host ${d.system.hostPowerWatts.value} W + network ${d.system.networkPowerWatts.value} W) × PUE: nameplate, as InferenceX counts MW`,
  );
  return {
    ...report,
    facilityWattsPerReplica: withPue(
      make('facility power per replica', power.facilityWatts, 'W', 'facility', 'drawn'),
    ),
    tokensPerJouleFacility: withPue(
      make(
        'output tokens per joule',
        outputTokensPerSecond / power.facilityWatts,
        'tok/J',
        'facility',
        'drawn',
      ),
    ),
    tokensPerSecondPerMwDrawn: withPue(
      make(
        'output tok/s per MW drawn',
        tokensPerMegawatt(outputTokensPerSecond, power.facilityWatts),
        'tok/s/MW',
        'facility',
        'drawn',
      ),
    ),
    tokensPerSecondPerMwProvisioned: withPue(
      make(
        'output tok/s per MW provisioned',
        tokensPerMegawatt(outputTokensPerSecond, provisioned),
        'tok/s/MW',
        'facility',
        'provisioned',
      ),
    ),
    provisionedFacilityWattsPerReplica: withPue(
      make('provisioned facility power per replica', provisioned, 'W', 'facility', 'provisioned'),
    ),
  };
}

function classEstimate(
  ctx: PerfContext,
  ev: ClassEvaluation,
  d: DeploymentContext,
  extraConcurrencies: readonly number[],
): ClassEstimate {
  const { shape, point } = ev;
  const s = point.state;
  const isl = shape.request.inputTokens;
  const osl = shape.request.outputTokens;
  const cached = shape.request.cachedInputTokens;
  const carried = point.carriedFraction;
  const workload = (conc: number) =>
    `${shape.className} ISL ${show(isl)}${cached > 0 ? ` (${show(cached)} cached)` : ''}/OSL ${show(osl)} mean, conc ${show(conc, 2)}/replica`;
  const common = {
    model: d.modelId,
    precision: d.precision,
    slo: sloBasis(shape.slo),
    currencyYear: 'n/a',
    provenance: 'modeled' as const,
    source: d.source,
  };
  const make = metricMaker({
    ...common,
    workload: workload(point.concurrencyPerReplica),
    utilization: `${show(s.runningSeqs * carried, 2)} running/replica, busy ${show(point.busyFraction * 100, 1)}%`,
  });
  const makeShape = metricMaker({
    ...common,
    workload: `${shape.className} (${shape.kind}, ${shape.arrivals})`,
    utilization: 'n/a (workload description)',
    provenance: 'assumption',
    source: `scenario workload class '${shape.className}'`,
  });
  const out = s.outputTokensPerSecond * carried;
  const inp = s.inputTokensPerSecond * carried;
  const mfu = s.mfu * carried;
  const mbu = s.mbu * carried;
  const meanContext = isl + osl / 2;
  const kvOccupancy = (s.runningSeqs * carried * meanContext) / ctx.memory.maxKvTokensPerReplica;

  const frontier: FrontierPoint[] = [];
  if (osl > 1) {
    for (const c of frontierConcurrencies(point.maxRunningSeqs, extraConcurrencies)) {
      const f = steadyAt(ctx, shape, c);
      const fm = metricMaker({
        ...common,
        workload: workload(c),
        utilization: `${show(f.runningSeqs, 2)} running/replica, busy 100%`,
      });
      frontier.push({
        concurrencyPerReplica: c,
        runningSeqs: sig(f.runningSeqs),
        limitedBy: f.limitedBy,
        outputTokensPerSecondPerGpu: fm(
          'output tok/s per GPU',
          f.outputTokensPerSecond / d.gpr,
          'tok/s',
          'gpu',
        ),
        outputTokensPerSecondPerUser: fm(
          'output tok/s per user (1/TPOT)',
          1 / f.tpotSeconds,
          'tok/s',
          'n/a',
        ),
        ttftSeconds: fm('TTFT (steady-state mean)', f.ttftSeconds, 's', 'replica'),
        tpotSeconds: fm('TPOT (steady-state mean)', f.tpotSeconds, 's', 'replica'),
      });
    }
  }

  return {
    className: shape.className,
    kind: shape.kind,
    request: {
      meanInputTokens: makeShape('mean prompt tokens per request', isl, 'tokens', 'n/a'),
      meanCachedInputTokens: makeShape(
        'mean cached prefix tokens per request',
        cached,
        'tokens',
        'n/a',
      ),
      meanOutputTokens: makeShape('mean output tokens per request', osl, 'tokens', 'n/a'),
      derivation: shape.derivation,
    },
    concurrencyPerReplica: make(
      'requests in system per replica',
      point.concurrencyPerReplica,
      'requests',
      'replica',
    ),
    runningSeqsPerReplica: make(
      'running sequences per replica',
      s.runningSeqs * carried,
      'sequences',
      'replica',
    ),
    limitedBy: s.limitedBy,
    concurrencyDerivation: point.derivation,
    ...(point.offeredRequestsPerSecond !== undefined
      ? {
          offeredRequestsPerSecondPerReplica: make(
            'offered requests per second per replica',
            point.offeredRequestsPerSecond,
            'req/s',
            'replica',
          ),
        }
      : {}),
    capacityRequestsPerSecondPerReplica: make(
      'capacity per replica (at the KV/sequence limit)',
      point.capacityRequestsPerSecond,
      'req/s',
      'replica',
    ),
    capacityExceeded: point.capacityExceeded,
    throughput: {
      outputTokensPerSecondPerReplica: make('output tok/s per replica', out, 'tok/s', 'replica'),
      outputTokensPerSecondPerGpu: make('output tok/s per GPU', out / d.gpr, 'tok/s', 'gpu'),
      inputTokensPerSecondPerReplica: make(
        'input tok/s per replica (incl. cached prefix)',
        inp,
        'tok/s',
        'replica',
      ),
      inputTokensPerSecondPerGpu: make(
        'input tok/s per GPU (incl. cached prefix)',
        inp / d.gpr,
        'tok/s',
        'gpu',
      ),
      requestsPerSecondPerReplica: make(
        'requests per second per replica',
        s.requestsPerSecond * carried,
        'req/s',
        'replica',
      ),
      outputTokensPerSecondDeployment: make(
        `output tok/s, whole deployment (${d.replicas} replicas × ${d.gpr} GPUs)`,
        out * d.replicas,
        'tok/s',
        'n/a',
      ),
    },
    latency: {
      ttftSeconds: make('TTFT (steady-state mean)', s.ttftSeconds, 's', 'replica'),
      tpotSeconds: make('TPOT (steady-state mean)', s.tpotSeconds, 's', 'replica'),
      e2eSeconds: make('E2E (steady-state mean)', s.e2eSeconds, 's', 'replica'),
    },
    slo: {
      checks: ev.checks,
      allMet: ev.checks.every((c) => c.met),
      note: 'steady-state MEAN latencies compared with p99 targets: optimistic; token goodput (requests meeting every SLO) needs latency distributions from the serving twin and is not reported',
    },
    utilization: {
      mfu: make('MFU (model FLOP/s ÷ peak at the GEMM rate)', mfu, 'fraction', 'gpu'),
      mbu: make('MBU (bytes/s ÷ peak memory bandwidth)', mbu, 'fraction', 'gpu'),
      kvOccupancy: make(
        'KV-cache occupancy (running × mean context ÷ max KV tokens)',
        kvOccupancy,
        'fraction',
        'replica',
      ),
      busy: make(
        'busy time (share of time the replica has work)',
        point.busyFraction,
        'fraction',
        'replica',
      ),
    },
    power: powerReport(ctx, out, scaleActivity(s.activity, carried), d, make),
    frontier,
  };
}

const NOT_USED: [string, (s: Scenario) => boolean][] = [
  ['site.region (energy price, carbon, jurisdiction)', (s) => s.site?.region !== undefined],
  ['site.jurisdiction', (s) => s.site?.jurisdiction !== undefined],
  ['site.energyPriceUsdPerKwh', (s) => s.site?.energyPriceUsdPerKwh !== undefined],
  ['site.carbonGramsPerKwh', (s) => s.site?.carbonGramsPerKwh !== undefined],
  ['site.powerEnvelopeMw', (s) => s.site?.powerEnvelopeMw !== undefined],
  [
    'deployments.*.router (the estimate splits traffic evenly over replicas)',
    (s) => s.deployments.some((d) => d.router !== undefined),
  ],
  ['simulation (serving twin)', (s) => s.simulation !== undefined],
  ['failures (serving twin)', (s) => s.failures !== undefined],
  ['economics (cost model)', (s) => s.economics !== undefined],
  [
    'deployments.*.disaggregation (the estimate models the prefill plan as an aggregated deployment; `aifactory run` simulates both pools)',
    (s) => s.deployments.some((d) => d.disaggregation !== undefined),
  ],
];

export const ESTIMATE_METHOD =
  'analytical steady state per replica (perf/steady-state.ts: per-op-class roofline iterations, continuous batching with chunked prefill), ' +
  'calibrated per accelerator/engine; latencies are steady-state means, not percentiles';

/**
 * Estimate every deployment of a scenario for every workload class.
 * @throws AifError from `resolveScenario` (unknown ids, unsupported precision, invalid plans),
 *   and E_NO_FEASIBLE_PLAN when `parallelism: auto` finds no plan meeting the SLOs.
 */
export function estimateScenario(
  scenario: Scenario,
  catalog: Catalog,
  calibration: CalibrationTable,
): EstimateReport {
  const resolved = resolveScenario(scenario, catalog);
  const defaultsApplied: DefaultApplied[] = [...resolved.defaultsApplied];
  const classes = scenario.workload.classes;
  const assumptions: string[] = [
    'every figure is modeled (analytical steady state), not measured; calibration keys name the fit each figure rests on',
    "each workload class is estimated on each deployment as if it were the deployment's only traffic (no class-to-deployment routing yet); the router is assumed to split a class evenly over replicas",
    'latency figures are steady-state means; SLO checks compare them with p99 targets (optimistic); goodput is not reported',
    "MFU/MBU/power are time-averaged over the replica's busy and idle time at the operating point",
  ];
  if (classes.some((c) => c.kind === 'agent-session'))
    assumptions.push(
      "agent sessions are approximated as independent LLM calls of the mean call shape with the previous context as a cached prefix (see each class's derivation) until the serving twin exists",
    );
  if (classes.some((c) => c.arrivals.process === 'gamma'))
    assumptions.push(
      'gamma arrivals are estimated at their mean rate; burstiness (cv) affects tails, which the estimate does not model',
    );

  const deployments: DeploymentEstimate[] = resolved.deployments.map((r) => {
    const index = Number(r.path.split('.')[1]);
    const config = scenario.deployments[index]!;
    const spec = r.deployment;
    const chosen = choosePlan(r, config, scenario, catalog, calibration);
    const deployment = chosenDeployment(r, chosen, defaultsApplied);
    const prepared = prepareDeployment(deployment, catalog.formats);
    const memory = memoryFit(prepared);
    const cal: CalibrationEntry = resolveCalibration(
      calibration,
      spec.accelerator,
      chosen.engine.name,
      spec.model,
    );
    const gpr = gpusPerReplica(chosen.plan);
    const d: DeploymentContext = {
      catalogVersion: catalog.version,
      modelId: spec.model.id,
      precision: spec.precisionLabel,
      source: `catalog ${catalog.version}; calibration ${cal.key}: ${cal.source}`,
      gpr,
      replicas: chosen.replicas,
      system: spec.system,
      site: scenario.site,
    };
    const warnings: string[] = [];
    const ctx: PerfContext = { prepared, memory, calibration: cal.params };
    let classEstimates: ClassEstimate[] = [];
    if (!memory.fits) {
      warnings.push(
        `does not fit in memory: ${memory.reason ?? 'no KV room'}; no performance figures`,
      );
    } else {
      classEstimates = classes.map((c) => {
        const shape = classShape(c, chosen.engine.prefixCaching);
        const window = contextWindowTokens(spec.model.id);
        const meanTokens = shape.request.inputTokens + shape.request.outputTokens;
        if (window && meanTokens > window.value)
          warnings.push(
            `class ${c.name}: the mean call (${show(meanTokens, 0)} tokens of prompt + output) exceeds ${spec.model.id}'s context window of ${window.value} tokens (${window.ref.source}); the engine would reject or truncate it`,
          );
        const ev = evaluateClass(ctx, shape, chosen.replicas);
        if (ev.point.capacityExceeded)
          warnings.push(
            `class ${c.name}: offered rate exceeds the deployment's capacity; figures are at capacity`,
          );
        const missed = ev.checks.filter((x) => !x.met);
        if (missed.length)
          warnings.push(
            `class ${c.name}: misses ${missed.map((x) => `${x.target} (estimate ${show(x.estimateSeconds, 3)} s > ${x.targetSeconds} s)`).join(', ')}`,
          );
        if (ev.point.state.limitedBy !== 'none')
          warnings.push(
            `class ${c.name}: running set limited by ${ev.point.state.limitedBy}; the rest of the concurrency waits`,
          );
        return classEstimate(ctx, ev, d, scenario.estimate?.concurrencyPerReplica ?? []);
      });
    }
    if (cal.key === 'default')
      warnings.push(
        'no fitted calibration for this accelerator/engine: documented default efficiencies used',
      );
    const gpus = gpr * chosen.replicas;
    return {
      name: r.name,
      path: r.path,
      model: spec.model.id,
      system: spec.system.id,
      accelerator: spec.accelerator.id,
      precision: spec.precisionLabel,
      engine: chosen.engine,
      engineBehaviour: {
        basis: ENGINE_DEFAULTS[config.engine.name].basis,
        kvAdmission: ENGINE_DEFAULTS[config.engine.name].kvAdmission,
        kvAdmissionSource: ENGINE_DEFAULTS[config.engine.name].kvAdmissionSource,
      },
      calibration: { key: cal.key, source: cal.source },
      plan: {
        ...chosen.plan,
        chosenBy: spec.parallel === 'auto' ? 'planner' : 'scenario',
        gpusPerReplica: gpr,
        replicas: chosen.replicas,
        gpus,
        systems: sig(gpus / spec.system.acceleratorCount),
      },
      ...(chosen.search ? { planSearch: chosen.search } : {}),
      memory: memoryReport(memory, chosen.engine, d),
      classes: classEstimates,
      warnings,
    };
  });

  return {
    kind: 'aifactory.estimate',
    scenario: { name: scenario.name, seed: scenario.seed, hash: contentHash(scenario) },
    catalogVersion: catalog.version,
    method: ESTIMATE_METHOD,
    defaultsApplied,
    assumptions,
    notUsed: NOT_USED.filter(([, present]) => present(scenario)).map(([what]) => what),
    deployments,
  };
}

/** Every metric in a report, depth-first in report order (for checks and printing). */
export function collectMetrics(value: unknown, out: Metric[] = []): Metric[] {
  if (Array.isArray(value)) {
    for (const v of value) collectMetrics(v, out);
  } else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (
      typeof o.name === 'string' &&
      typeof o.value === 'number' &&
      typeof o.unit === 'string' &&
      o.basis
    ) {
      out.push(o as unknown as Metric);
    } else {
      for (const v of Object.values(o)) collectMetrics(v, out);
    }
  }
  return out;
}
