/**
 * `validate mlperf`: for every `mlperf_inference_result` item of a file shaped like
 * ../shared/reference/public-data.json, map the accelerator, system, model and precision named
 * in it to the catalog by their parts, model the benchmark's workload from the sourced task
 * table (catalog/benchmarks.ts) and scenario (Offline = max throughput incl. the drain, analytical;
 * Server/Interactive = max Poisson rate meeting the p99 TTFT/TPOT limits, found with the serving
 * twin on the plan the analytical search picks — mlperf-twin.ts — with the analytical estimate
 * kept in the case's `details`), and compare predicted with published output tokens/s for the
 * whole system.
 * Items that cannot be mapped are skipped with the reason, never guessed.
 */
import {
  findMlperfTask,
  type MlperfTask,
  type TokenLengthDistribution,
} from '../catalog/benchmarks.js';
import type { Catalog } from '../catalog/catalog.js';
import { resolvePrecision } from '../catalog/precisions.js';
import type { Accelerator, ModelArch, PrecisionPlan } from '../catalog/types.js';
import { median, quantile } from '../core/stats.js';
import type { CalibrationTable } from '../perf/calibration.js';
import { searchPlans } from '../perf/plan-search.js';
import {
  offlineThroughput,
  serverThroughput,
  type ScenarioContext,
  type WorkloadStats,
} from '../perf/scenarios.js';
import { rooflineOfflineBound } from '../perf/roofline-bound.js';
import type { Deployment, EngineSettings } from '../perf/types.js';
import { mapAccelerator, type MapResult } from './mapping.js';
import {
  fitTokenLengths,
  searchTwinRate,
  TWIN_DEFAULT_MEASURED_REQUESTS,
  TWIN_DEFAULT_RELATIVE_TOLERANCE,
  type TokenLengths,
  type TwinProbe,
  type TwinServerResult,
} from './mlperf-twin.js';

export interface PublicDataItem {
  category: string;
  item: string;
  value: number;
  unit?: string;
  source?: string;
  date?: string;
  notes?: string;
}

export type MlperfScenario = 'Offline' | 'Server' | 'Interactive';

export type MlperfCase =
  | {
      item: string;
      scenario: MlperfScenario;
      predicted: number;
      published: number;
      errorPct: number;
      /** What the prediction rests on: mapped ids, plan, precision, workload provenance. */
      basis: {
        accelerators: string[];
        model: string;
        precision: string;
        engine: string;
        plan: string;
        calibration: string;
        workload: string;
      };
      flags: string[];
      /**
       * Server/Interactive: the analytical estimate kept for comparison, and the twin's search
       * (rate, p99s, probes) behind `predicted`.
       */
      details?: MlperfTwinDetails;
    }
  | {
      item: string;
      scenario?: MlperfScenario;
      skipped: true;
      reason: string;
      countsAsFailure: boolean;
    };

/** How a Server/Interactive prediction was reached (summed over accelerator groups). */
export interface MlperfTwinDetails {
  method: 'serving-twin';
  /** The analytical `serverThroughput` at the same plans, output tok/s for the system. */
  analyticalTokensPerSecond: number;
  analyticalErrorPct: number;
  /** Poisson arrival rate found, requests/s for the system. */
  requestsPerSecond: number;
  /** Per group: the twin's p99s at the rate found and which limit bound it. */
  groups: {
    accelerator: string;
    replicas: number;
    requestsPerSecond: number;
    p99TtftSeconds: number;
    p99TpotSeconds: number;
    boundBy: TwinServerResult['boundBy'];
    probes: number;
    measuredRequests: number;
  }[];
  /** Limits, tolerance, run length and length distributions. */
  basis: string;
}

export interface MlperfReport {
  cases: MlperfCase[];
  summary: {
    predicted: number;
    skipped: number;
    failures: number;
    byScenario: Record<
      string,
      { n: number; medianAbsErrorPct: number; p90AbsErrorPct: number; meanSignedErrorPct: number }
    >;
    flagged: number;
  };
}

/** Parse `key=value; key=value` notes. */
export function parseNotes(notes: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (notes ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

const SCENARIOS: readonly MlperfScenario[] = ['Offline', 'Server', 'Interactive'];

/** Benchmark name and scenario from an item title such as `MLPerf Inference v5.1 llama2-70b-99 Server - …`. */
export function parseItemTitle(title: string): { benchmark?: string; scenario?: MlperfScenario } {
  const words = title.split(/\s+/);
  const si = words.findIndex((w) => (SCENARIOS as readonly string[]).includes(w));
  if (si <= 0) return {};
  return { benchmark: words[si - 1], scenario: words[si] as MlperfScenario };
}

/** Engine from the system description: an engine family named in it, else `generic`. */
const ENGINE_TOKENS: [RegExp, string][] = [
  [/tensorrt|trt-?llm/i, 'trtllm'],
  [/\bvllm\b/i, 'vllm'],
  [/sglang/i, 'sglang'],
];
/**
 * Engine tokens of a result's system id (its directory under `closed/<submitter>/results/`):
 * NVIDIA's MLPerf harness, which runs TensorRT-LLM, names its systems `<system>_TRT` (optionally
 * `_TRT_Triton`, …), and every submitter built on it keeps the suffix; `_vLLM` likewise. Words
 * are split on `_`, so `_TRT` must be a whole word (not `…TRTX`).
 */
const SYSTEM_ID_TOKENS: [RegExp, string][] = [
  [/(^|_)TRT(_|$)/, 'trtllm'],
  [/(^|_)vllm(_|$)/i, 'vllm'],
  [/(^|_)sglang(_|$)/i, 'sglang'],
];
export function engineOf(system: string, systemId = ''): string {
  for (const [re, name] of ENGINE_TOKENS) if (re.test(system)) return name;
  for (const [re, name] of SYSTEM_ID_TOKENS) if (re.test(systemId)) return name;
  return 'generic';
}

/** The system id of a result from its source link (`…/closed/<submitter>/results/<system id>`). */
export function systemIdOf(source: string): string {
  const m = /\/results\/([^/\s;,)]+)/.exec(source);
  return m ? m[1]! : '';
}

/**
 * Accelerator groups: `AMD Instinct MI300X 192GB HBM3 (x32), AMD Instinct MI325X 256GB HBM3e (x16)`
 * → two groups with counts; a single name → one group of `total` GPUs.
 */
export function acceleratorGroups(text: string, total: number): { name: string; count: number }[] {
  const parts = [...text.matchAll(/([^,]+?)\s*\(x(\d+)\)/g)];
  if (parts.length > 0) return parts.map((m) => ({ name: m[1]!.trim(), count: Number(m[2]) }));
  return [{ name: text, count: total }];
}

/** Mean (published, else assumed) and tail of a length distribution, with the provenance used. */
function lengthStats(
  d: TokenLengthDistribution,
): { stats: { meanTokens: number; tailTokens: number }; provenance: string } | undefined {
  const mean = d.meanTokens ?? d.assumedMean?.tokens;
  if (mean === undefined) return undefined;
  const tail = d.p99Tokens ?? d.observedMaxTokens ?? d.maxTokens;
  return {
    stats: { meanTokens: mean, tailTokens: Math.max(mean, tail) },
    provenance: d.meanTokens !== undefined ? 'published mean' : 'assumed mean',
  };
}

/** Presets from slowest to fastest, for re-reading labels shown false. */
const FASTER_PRESETS = ['bf16', 'fp8', 'nvfp4'];

/**
 * Precision of the run from the submission's `weights=` label. The label is as submitted and
 * not always what the engine ran; plausibility is checked against the roofline separately.
 */
const WEIGHT_LABEL_PRESET: Record<string, string> = {
  fp16: 'bf16',
  bf16: 'bf16',
  fp8: 'fp8',
  fp4: 'nvfp4',
  nvfp4: 'nvfp4',
  mxfp4: 'mxfp4',
  int8: 'fp8',
  int4: 'int4-wo',
};

/**
 * Engine settings as MLPerf submitters configure them for throughput, whatever the engine's
 * serving defaults: chunked prefill on, admission on the prompt (TensorRT-LLM's
 * MAX_UTILIZATION rather than its serving default GUARANTEED_NO_EVICT), batch cap 4096 (the
 * scenario search sweeps concurrency below it), the engine's own KV block size.
 */
export function mlperfEngine(name: string): EngineSettings {
  return {
    name,
    maxNumSeqs: 4096,
    maxNumBatchedTokens: 8192,
    blockSizeTokens: name === 'trtllm' ? 32 : 16,
    gpuMemoryUtilization: 0.9,
    chunkedPrefill: true,
    prefixCaching: false,
    asyncScheduling: true,
    kvAdmission: 'prompt',
  };
}

interface GroupPrediction {
  tokensPerSecond: number;
  plan: string;
  calibration: string;
  /** Server/Interactive only. */
  analyticalTokensPerSecond?: number;
  twin?: { accelerator: string; replicas: number; result: TwinServerResult };
}

function predictGroup(args: {
  catalog: Catalog;
  table: CalibrationTable;
  accelerator: Accelerator;
  gpus: number;
  model: ModelArch;
  precision: PrecisionPlan;
  precisionLabel: string;
  engine: EngineSettings;
  task: MlperfTask;
  scenario: MlperfScenario;
  workload: WorkloadStats;
  lengths?: { input: TokenLengths; output: TokenLengths };
  twinCache?: TwinCache;
}): GroupPrediction | string {
  const { catalog, accelerator, model, task, scenario, workload } = args;
  const base: Omit<Deployment, 'parallel'> = {
    model,
    accelerator,
    precision: args.precision,
    precisionLabel: args.precisionLabel,
    engine: args.engine,
  };
  // One plan search per scenario: the per-replica objective and how its operating point reads.
  const search = <T extends { outputTokensPerSecond: number }>(
    evaluate: (ctx: ScenarioContext) => T | undefined,
    describe: (result: T) => string,
    noPlan: (reasons: string[]) => string,
  ): GroupPrediction | string => {
    const r = searchPlans({
      deployment: base,
      catalog,
      calibrationTable: args.table,
      gpus: args.gpus,
      domainSize: accelerator.scaleUpDomainSize.value,
      evaluate: ({ prepared, memory, calibration }) =>
        evaluate({ prepared, memory, calibration: calibration.params, workload }),
      value: (x) => x.outputTokensPerSecond,
    });
    if (!r.best?.result)
      return noPlan(r.evaluated.map((e) => e.infeasibleReason ?? '').filter(Boolean));
    const b = r.best;
    return {
      tokensPerSecond: b.total,
      plan: `tp${b.plan.tp} ep${b.plan.ep} dp${b.plan.attnDp} × ${b.replicas} replicas, ${describe(b.result!)}`,
      calibration: b.calibration.key,
    };
  };
  if (scenario === 'Offline') {
    const run = {
      numSamples: task.dataset.numSamples,
      minDurationSeconds: task.minDurationSeconds,
    };
    return search(
      (ctx) => offlineThroughput(ctx, run),
      (x) => `batch ${x.concurrency}`,
      (reasons) => `no parallel plan fits: ${reasons[0] ?? 'unknown'}`,
    );
  }
  const limits = scenario === 'Server' ? task.latencyLimits.Server : task.latencyLimits.Interactive;
  if (!limits) return `task ${task.id} has no ${scenario} latency limits in the task table`;
  const bounds = { ttftP99Seconds: limits.ttftP99Seconds, tpotP99Seconds: limits.tpotP99Seconds };
  const noPlan = `no parallel plan meets the ${scenario} limits (TTFT p99 ${limits.ttftP99Seconds} s, TPOT p99 ${limits.tpotP99Seconds} s)`;
  // The analytical search picks the plan and gives the starting rate; the twin finds the rate.
  const r = searchPlans({
    deployment: base,
    catalog,
    calibrationTable: args.table,
    gpus: args.gpus,
    domainSize: accelerator.scaleUpDomainSize.value,
    evaluate: ({ prepared, memory, calibration }) =>
      serverThroughput({ prepared, memory, calibration: calibration.params, workload }, bounds),
    value: (x) => x.outputTokensPerSecond,
  });
  const b = r.best;
  if (!b?.result) return noPlan;
  const lengths = args.lengths;
  if (!lengths) return `task ${task.id} has no input/output length distribution for the twin`;
  // One replica is simulated at the system's rate / replicas (see TWIN_SIMULATED_REPLICAS), so
  // the search depends on the replica's deployment only: items sharing it share the search.
  const key = [
    accelerator.id,
    model.id,
    args.precisionLabel,
    args.engine.name,
    `tp${b.plan.tp}/ep${b.plan.ep}/dp${b.plan.attnDp}`,
    task.id,
    scenario,
    b.calibration.key,
  ].join('|');
  const cached = args.twinCache?.get(key);
  const perReplica =
    cached !== undefined
      ? cached
      : searchTwinRate({
          prepared: b.prepared,
          memory: b.memory,
          calibration: b.calibration.params,
          replicas: TWIN_SIMULATED_REPLICAS,
          input: lengths.input,
          output: lengths.output,
          limits: bounds,
          startRequestsPerSecond: b.result.requestsPerSecond * TWIN_SIMULATED_REPLICAS,
          warmupSeconds: TWIN_WARMUP_E2E * b.result.state.e2eSeconds,
          seed: TWIN_SEED,
        });
  args.twinCache?.set(key, perReplica);
  const twin = perReplica && scaleTwinResult(perReplica, b.replicas / TWIN_SIMULATED_REPLICAS);
  if (!twin) return `${noPlan} in the serving twin`;
  return {
    tokensPerSecond: twin.outputTokensPerSecond,
    plan: `tp${b.plan.tp} ep${b.plan.ep} dp${b.plan.attnDp} × ${b.replicas} replicas, twin ${twin.requestsPerSecond.toPrecision(4)} req/s (p99 TTFT ${twin.p99TtftSeconds.toFixed(3)} s, TPOT ${(twin.p99TpotSeconds * 1e3).toFixed(1)} ms, bound by ${twin.boundBy}); analytical mean concurrency ${b.result.meanConcurrency}, bound by ${b.result.boundBy}`,
    calibration: b.calibration.key,
    analyticalTokensPerSecond: b.total,
    twin: { accelerator: accelerator.id, replicas: b.replicas, result: twin },
  };
}

/**
 * The twin's input and output length distributions of a task, fitted once per task (the fit to a
 * published sample runs a σ search; every item of the task shares the result).
 */
const twinLengthsByTask = new WeakMap<
  MlperfTask,
  { input: TokenLengths; output: TokenLengths } | undefined
>();
function twinLengths(task: MlperfTask): { input: TokenLengths; output: TokenLengths } | undefined {
  if (!twinLengthsByTask.has(task)) {
    const input = fitTokenLengths(task.input);
    const output = fitTokenLengths(task.output);
    twinLengthsByTask.set(task, input && output ? { input, output } : undefined);
  }
  return twinLengthsByTask.get(task);
}

/** Twin searches already run, by replica deployment, task and scenario (one validation run). */
export type TwinCache = Map<string, TwinServerResult | undefined>;

/**
 * Replicas the twin simulates: one, at the system's rate / replicas. Identical replicas behind
 * least-outstanding-tokens routing each see a smoother arrival stream than Poisson at
 * rate/replicas, so one Poisson-fed replica is the conservative (burstier) limit; on the
 * Llama 2 70B H100×8 TP2 Server case and the H200×8 TP1 Interactive case the whole fleet's
 * rate differed from it by +3.5% and −2.5%, within the ±1–2% of changing the seed. Simulating
 * every replica multiplies the run time by up to the replica count (48 on one item).
 */
const TWIN_SIMULATED_REPLICAS = 1;

/** A search on `k`-replica fleets read as one of `factor` times as many replicas. */
function scaleTwinResult(r: TwinServerResult, factor: number): TwinServerResult {
  const p = (x: TwinProbe): TwinProbe => ({
    ...x,
    requestsPerSecond: x.requestsPerSecond * factor,
    outputTokensPerSecond: x.outputTokensPerSecond * factor,
  });
  return {
    ...r,
    requestsPerSecond: r.requestsPerSecond * factor,
    outputTokensPerSecond: r.outputTokensPerSecond * factor,
    at: p(r.at),
    probes: r.probes.map(p),
  };
}

/** Warm-up of each twin probe, in analytical mean E2E latencies of the starting point. */
const TWIN_WARMUP_E2E = 3;
const TWIN_SEED = 1;

/** An item's names mapped to the catalog: everything a prediction needs but the precision. */
interface MappedItem {
  item: PublicDataItem;
  notes: Record<string, string>;
  scenario: MlperfScenario;
  task: MlperfTask;
  model: ModelArch;
  groups: { acc: Accelerator; count: number }[];
  input: NonNullable<ReturnType<typeof lengthStats>>;
  output: NonNullable<ReturnType<typeof lengthStats>>;
  workload: WorkloadStats;
  /** The `weights=` label, lower case, and the preset it names. */
  label: string;
  presetName: string;
  engineName: string;
}

type SkippedCase = Extract<MlperfCase, { skipped: true }>;

function mapItem(item: PublicDataItem, catalog: Catalog): MappedItem | SkippedCase {
  const notes = parseNotes(item.notes);
  const { benchmark, scenario: titleScenario } = parseItemTitle(item.item);
  const scenario = ((notes.scenario as MlperfScenario | undefined) ?? titleScenario) as
    MlperfScenario | undefined;
  const skip = (reason: string, countsAsFailure = false): SkippedCase => ({
    item: item.item,
    ...(scenario ? { scenario } : {}),
    skipped: true,
    reason,
    countsAsFailure,
  });
  if (!benchmark || !scenario || !SCENARIOS.includes(scenario))
    return skip('cannot read benchmark and scenario from the item');
  const task = findMlperfTask(benchmark);
  if (!task) return skip(`benchmark '${benchmark}' is not in the MLPerf task table`);
  const model = catalog.models.get(task.modelId);
  const total = Number(notes.total_accelerators);
  const groups = acceleratorGroups(notes.accelerator ?? '', Number.isFinite(total) ? total : NaN);
  const mapped: { acc: MapResult<Accelerator>; count: number }[] = groups.map((g) => ({
    acc: mapAccelerator(g.name, catalog),
    count: g.count,
  }));
  if (!model)
    return skip(`model '${task.modelId}' of task ${task.id} is not in the catalog`, false);
  const bad = mapped.find((m) => !m.acc.ok);
  if (bad) return skip((bad.acc as { ok: false; reason: string }).reason, false);
  if (!mapped.every((m) => Number.isFinite(m.count) && m.count > 0))
    return skip('accelerator count missing', true);
  const input = lengthStats(task.input);
  const output = lengthStats(task.output);
  if (!input || !output)
    return skip(`task ${task.id} has no input/output length mean in the task table`, true);
  const label = (notes.weights ?? '').toLowerCase();
  const presetName = WEIGHT_LABEL_PRESET[label];
  if (!presetName) return skip(`unknown weights label '${notes.weights}'`, true);
  return {
    item,
    notes,
    scenario,
    task,
    model,
    groups: mapped.map((m) => ({
      acc: (m.acc as { ok: true; value: Accelerator }).value,
      count: m.count,
    })),
    input,
    output,
    workload: { input: input.stats, output: output.stats },
    label,
    presetName,
    engineName: engineOf(notes.system ?? '', systemIdOf(item.source ?? '')),
  };
}

/**
 * The roofline bound (η = 1, no overheads) of a single-accelerator-type item at a precision, or
 * undefined where there is none (mixed systems are not bounded).
 */
function labelBound(m: MappedItem, catalog: Catalog, precision: PrecisionPlan): number | undefined {
  if (m.groups.length !== 1) return undefined;
  const g = m.groups[0]!;
  return rooflineOfflineBound({
    catalog,
    accelerator: g.acc,
    model: m.model,
    precision,
    gpus: g.count,
    workload: m.workload,
  });
}

/** The published result exceeds the roofline bound of its own `weights=` label. */
function labelImpossible(m: MappedItem, catalog: Catalog): boolean {
  if (m.groups.length !== 1) return false;
  const bound = labelBound(
    m,
    catalog,
    resolvePrecision(m.presetName, m.groups[0]!.acc, Boolean(m.model.moe)),
  );
  return bound !== undefined && m.item.value > bound;
}

/**
 * A label is judged per round and harness: results of one round run on one engine family share
 * the submission harness (NVIDIA's partners submit with NVIDIA's TensorRT-LLM code) and its
 * system descriptions, so a label that one of them proves false is no evidence for the others.
 * Undefined (each result judged alone) where the round or the engine is not known.
 */
const labelEvidenceKey = (m: MappedItem): string | undefined =>
  m.notes.round && m.engineName !== 'generic'
    ? `${m.notes.round}|${m.engineName}|${m.label}`
    : undefined;

/**
 * The fastest preset whose GEMMs run natively on the part (weights and activations in one
 * format: NVFP4 on Blackwell, FP8 on Hopper and CDNA3), above `from`; `from` when none is.
 * A label shown false says nothing about what ran, and MLPerf closed submitters quantise as far
 * as the accuracy target allows (NVIDIA's first B200 result, v4.1, ran FP4 — NVIDIA technical
 * blog "NVIDIA Blackwell Platform Sets New LLM Inference Records in MLPerf Inference v4.1",
 * 2024-08-28; its Hopper results ran FP8), so that is the reading taken. Taking the slowest
 * format whose bound admits the result instead is a lower bound on what ran, biased low.
 */
function fastestNativePreset(from: string, acc: Accelerator, hasMoe: boolean): string {
  const above = FASTER_PRESETS.slice(FASTER_PRESETS.indexOf(from) + 1);
  for (const p of [...above].reverse()) {
    const plan = resolvePrecision(p, acc, hasMoe);
    if (plan.activations === (hasMoe ? plan.experts : plan.denseMlp)) return p;
  }
  return from;
}

/** What the first pass learns of the labels: the results above their own label's bound, and
 * per round/harness/label key how many of them there are. */
interface LabelEvidence {
  impossible: Set<MappedItem>;
  disproven: Map<string, number>;
}

function mlperfCase(
  m: MappedItem,
  catalog: Catalog,
  table: CalibrationTable,
  twinCache: TwinCache,
  labels: LabelEvidence,
): MlperfCase {
  const { item, scenario, task, model, input, output, workload, label, presetName, engineName } = m;
  const skip = (reason: string): SkippedCase => ({
    item: item.item,
    scenario,
    skipped: true,
    reason,
    countsAsFailure: true,
  });
  const hasMoe = Boolean(model.moe);
  const lengths = twinLengths(task);
  let predicted = 0;
  let analytical = 0;
  const twinGroups: MlperfTwinDetails['groups'] = [];
  const plans: string[] = [];
  const cals = new Set<string>();
  const flags: string[] = [];
  const usedPresets = new Set<string>();
  const ownImpossible = labels.impossible.has(m);
  const evidenceKey = labelEvidenceKey(m);
  const othersDisproving =
    (evidenceKey === undefined ? 0 : (labels.disproven.get(evidenceKey) ?? 0)) -
    (ownImpossible ? 1 : 0);
  for (const { acc, count } of m.groups) {
    let preset = presetName;
    let precision = resolvePrecision(preset, acc, hasMoe);
    if (ownImpossible || othersDisproving > 0) {
      const native = fastestNativePreset(preset, acc, hasMoe);
      const nativePlan = resolvePrecision(native, acc, hasMoe);
      if (ownImpossible) {
        const bound = labelBound(m, catalog, precision)!;
        const nativeBound = labelBound(m, catalog, nativePlan);
        flags.push(
          `implausible for weights=${label}: published ${item.value.toFixed(0)} tok/s exceeds the ${label} roofline bound ${bound.toFixed(0)} tok/s (η = 1, no overheads)` +
            (native === preset
              ? '; no faster native format on this part'
              : `; predicted at ${native}, the fastest format native to the part` +
                (nativeBound !== undefined && nativeBound < item.value
                  ? `, whose bound (${nativeBound.toFixed(0)} tok/s) does not admit it either`
                  : '')),
        );
      } else if (native !== preset) {
        flags.push(
          `weights=${label} not taken as evidence: ${othersDisproving} other result(s) of round ${m.notes.round} on ${engineName} with the same label exceed its roofline bound; predicted at ${native}, the fastest format native to ${acc.id}`,
        );
      }
      preset = native;
      precision = nativePlan;
    }
    usedPresets.add(preset);
    const g = predictGroup({
      catalog,
      table,
      accelerator: acc,
      gpus: count,
      model,
      precision,
      precisionLabel: preset,
      engine: mlperfEngine(engineName),
      task,
      scenario,
      workload,
      ...(lengths ? { lengths } : {}),
      twinCache,
    });
    if (typeof g === 'string') return skip(g);
    predicted += g.tokensPerSecond;
    analytical += g.analyticalTokensPerSecond ?? 0;
    if (g.twin) {
      const t = g.twin.result;
      twinGroups.push({
        accelerator: g.twin.accelerator,
        replicas: g.twin.replicas,
        requestsPerSecond: t.requestsPerSecond,
        p99TtftSeconds: t.p99TtftSeconds,
        p99TpotSeconds: t.p99TpotSeconds,
        boundBy: t.boundBy,
        probes: t.probes.length,
        measuredRequests: t.at.measuredRequests,
      });
    }
    plans.push(`${acc.id}×${count}: ${g.plan}`);
    cals.add(g.calibration);
  }
  const errorPct = (100 * (predicted - item.value)) / item.value;
  const limits = scenario === 'Offline' ? undefined : task.latencyLimits[scenario];
  const details: MlperfTwinDetails | undefined =
    twinGroups.length > 0 && lengths && limits
      ? {
          method: 'serving-twin',
          analyticalTokensPerSecond: analytical,
          analyticalErrorPct: (100 * (analytical - item.value)) / item.value,
          requestsPerSecond: twinGroups.reduce((a, g) => a + g.requestsPerSecond, 0),
          groups: twinGroups,
          basis:
            `largest Poisson rate with simulated p99 TTFT ≤ ${limits.ttftP99Seconds} s and p99 per-request TPOT ≤ ${limits.tpotP99Seconds} s ` +
            `(bracketing ×1.25, bisection to ${100 * TWIN_DEFAULT_RELATIVE_TOLERANCE}%); each probe: one replica at the system rate / replicas, ` +
            `warm-up ${TWIN_WARMUP_E2E} analytical mean E2E, then windows of ${TWIN_DEFAULT_MEASURED_REQUESTS} completions until completions keep up with arrivals; ` +
            `ISL ${lengths.input.basis}; OSL ${lengths.output.basis}`,
        }
      : undefined;
  return {
    item: item.item,
    scenario,
    predicted,
    published: item.value,
    errorPct,
    basis: {
      accelerators: m.groups.map((g) => g.acc.id),
      model: model.id,
      precision:
        [...usedPresets].join(', ') + (usedPresets.has(presetName) ? '' : ` (label ${label})`),
      engine: engineName,
      plan: plans.join('; '),
      calibration: [...cals].join(', '),
      workload: `${task.id}: ISL ${input.provenance} ${input.stats.meanTokens}, OSL ${output.provenance} ${output.stats.meanTokens}, tail ${output.stats.tailTokens}`,
    },
    flags,
    ...(details ? { details } : {}),
  };
}

export function validateMlperf(
  items: readonly PublicDataItem[],
  catalog: Catalog,
  table: CalibrationTable,
): MlperfReport {
  const twinCache: TwinCache = new Map();
  const mapped = items
    .filter((i) => i.category === 'mlperf_inference_result')
    .map((i) => mapItem(i, catalog));
  // First pass: which results prove their label false, and so which labels of a round and
  // harness are disproven.
  const labels: LabelEvidence = { impossible: new Set(), disproven: new Map() };
  for (const m of mapped) {
    if ('skipped' in m || !labelImpossible(m, catalog)) continue;
    labels.impossible.add(m);
    const key = labelEvidenceKey(m);
    if (key !== undefined) labels.disproven.set(key, (labels.disproven.get(key) ?? 0) + 1);
  }
  const cases = mapped.map((m) =>
    'skipped' in m ? m : mlperfCase(m, catalog, table, twinCache, labels),
  );
  const done = cases.filter(
    (c): c is Extract<MlperfCase, { predicted: number }> => 'predicted' in c,
  );
  const byScenario: MlperfReport['summary']['byScenario'] = {};
  const groups: [string, (c: (typeof done)[number]) => boolean][] = [
    ...SCENARIOS.map((s): [string, (c: (typeof done)[number]) => boolean] => [
      s,
      (c) => c.scenario === s,
    ]),
    // The latency-bounded scenarios together (Server and Interactive both run Poisson load
    // under p99 TTFT/TPOT limits).
    ['Server+Interactive', (c) => c.scenario !== 'Offline'],
  ];
  for (const [name, keep] of groups) {
    const xs = done.filter(keep);
    if (xs.length === 0) continue;
    const abs = xs.map((c) => Math.abs(c.errorPct));
    byScenario[name] = {
      n: xs.length,
      medianAbsErrorPct: median(abs),
      p90AbsErrorPct: quantile(abs, 0.9),
      meanSignedErrorPct: xs.reduce((a, c) => a + c.errorPct, 0) / xs.length,
    };
  }
  const skipped = cases.filter((c): c is Extract<MlperfCase, { skipped: true }> => 'skipped' in c);
  return {
    cases,
    summary: {
      predicted: done.length,
      skipped: skipped.length,
      failures: skipped.filter((c) => c.countsAsFailure).length,
      byScenario,
      flagged: done.filter((c) => c.flags.length > 0).length,
    },
  };
}
