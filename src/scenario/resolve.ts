/**
 * Scenario resolution: catalog ids → catalog objects, presets → per-group precision plans,
 * unstated engine settings → the engine's documented defaults. Nothing defaults silently:
 * every value filled in is listed in `ResolvedScenario.defaultsApplied` with its source.
 *
 * The resolved deployment has the shape of `perf/types.ts` `Deployment` (with `parallel` and
 * `replicas` possibly `'auto'` for the planner to choose). The types are restated here because
 * `scenario` may import only `core` and `catalog` (docs/layers.md); a type test checks that they
 * stay assignable to the perf types.
 */
import { AifError, ERROR_CODES, type ErrorIssue } from '../core/errors.js';
import type { Catalog } from '../catalog/catalog.js';
import { resolvePrecision } from '../catalog/precisions.js';
import type {
  Accelerator,
  ModelArch,
  PrecisionPlan,
  SpeculativeAssumption,
  System,
} from '../catalog/types.js';
import {
  applyEngineDefaults,
  SCENARIO_ENGINE_FIELD,
  statedEngineValues,
  type EngineDefaultValues,
  type EngineName,
  type KvAdmission,
  type MemoryFractionBasis,
} from './engine-defaults.js';
import {
  PRECISION_GROUPS,
  type DeploymentConfig,
  type EngineConfig,
  type Scenario,
} from './schema.js';
import { closest } from './suggest.js';

/** A value `resolveScenario` filled in, and where it comes from. */
export interface DefaultApplied {
  /** Dotted path of the field in the scenario, e.g. `deployments.0.engine.maxNumSeqs`. */
  path: string;
  value: unknown;
  source: string;
}

/** Same shape as `perf/types.ts` `ParallelPlan`. */
export interface ResolvedParallelPlan {
  tp: number;
  pp: number;
  ep: number;
  attnDp: number;
}

/** Same shape as `perf/types.ts` `EngineSettings`, plus how the engine reads its memory fraction. */
export interface ResolvedEngineSettings extends EngineDefaultValues {
  name: EngineName;
  /**
   * What `gpuMemoryUtilization` is a fraction of: total GPU memory (vLLM, SGLang) or the memory
   * left free after weights and buffers (TensorRT-LLM). The memory model must honour it.
   */
  gpuMemoryUtilizationOf: MemoryFractionBasis;
  /** KV admission policy of the engine (see engine-defaults.ts). */
  kvAdmission: KvAdmission;
  kvBlocksOverride?: number;
}

/** `perf/types.ts` `Deployment`, with `parallel: 'auto'` while the planner has not chosen. */
export interface ResolvedDeploymentSpec {
  model: ModelArch;
  accelerator: Accelerator;
  system: System;
  precision: PrecisionPlan;
  /** Preset name; `preset (group=format, …)` for overrides; `custom` for a full mapping. */
  precisionLabel: string;
  parallel: ResolvedParallelPlan | 'auto';
  engine: ResolvedEngineSettings;
  speculative?: SpeculativeAssumption;
}

export interface ResolvedDeployment {
  name: string;
  /** Dotted path of the deployment in the scenario (`deployments.0`), for later issues. */
  path: string;
  /** Replicas; `'auto'` when sized by `systems` with parallelism `auto` (set once the plan is chosen). */
  replicas: number | 'auto';
  /** Systems the deployment was sized by, when it was. */
  systems?: number;
  router?: DeploymentConfig['router'];
  deployment: ResolvedDeploymentSpec;
  /** Disaggregated deployments: the decode pool (the deployment itself is the prefill pool). */
  decode?: ResolvedDecodePool;
  /** Autoscaled deployments: the policy's settings (`replicas` is then the count at t = 0). */
  autoscaler?: ResolvedAutoscaler;
}

/** The scenario's autoscaler with every default filled in (target-tracking on outstanding requests). */
export interface ResolvedAutoscaler {
  minReplicas: number;
  maxReplicas: number;
  /** Outstanding requests (waiting + running) one serving replica should carry. */
  targetOutstandingRequestsPerReplica: number;
  evaluateEverySeconds: number;
  /** Scale-out decision → serving: model load and engine start. */
  coldStartSeconds: number;
  scaleInCooldownSeconds: number;
}

const HPA_SOURCE =
  'Kubernetes Horizontal Pod Autoscaler default (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/)';

/** Autoscaler defaults: Kubernetes HPA's, the most widely deployed target-tracking autoscaler. */
const AUTOSCALER_DEFAULTS = {
  minReplicas: { value: 1, source: `${HPA_SOURCE}: minReplicas 1` },
  evaluateEverySeconds: {
    value: 15,
    source: `${HPA_SOURCE}: --horizontal-pod-autoscaler-sync-period 15 s`,
  },
  scaleInCooldownSeconds: {
    value: 300,
    source: `${HPA_SOURCE}: scale-down stabilization window 300 s`,
  },
} as const;

function resolveAutoscaler(
  a: NonNullable<DeploymentConfig['autoscaler']>,
  base: string,
  defaultsApplied: DefaultApplied[],
): ResolvedAutoscaler {
  const filled = (key: keyof typeof AUTOSCALER_DEFAULTS): number => {
    const stated = a[key];
    if (stated !== undefined) return stated;
    const d = AUTOSCALER_DEFAULTS[key];
    defaultsApplied.push({ path: `${base}.autoscaler.${key}`, value: d.value, source: d.source });
    return d.value;
  };
  return {
    minReplicas: filled('minReplicas'),
    maxReplicas: a.maxReplicas,
    targetOutstandingRequestsPerReplica: a.targetOutstandingRequestsPerReplica,
    evaluateEverySeconds: filled('evaluateEverySeconds'),
    coldStartSeconds: a.coldStartSeconds,
    scaleInCooldownSeconds: filled('scaleInCooldownSeconds'),
  };
}

export interface ResolvedDecodePool {
  parallel: ResolvedParallelPlan;
  replicas: number;
  engine: ResolvedEngineSettings;
  kvTransfer: { bytesPerSecondPerGpu?: number; latencySeconds?: number };
}

export interface ResolvedScenario {
  scenario: Scenario;
  catalogVersion: string;
  deployments: ResolvedDeployment[];
  /** Every default applied, in scenario order. */
  defaultsApplied: DefaultApplied[];
}

/** Replicas that fit in `systems` systems for a plan needing `gpusPerReplica` accelerators. */
export const replicasFromSystems = (
  systems: number,
  system: System,
  gpusPerReplica: number,
): number => Math.floor((systems * system.acceleratorCount) / gpusPerReplica);

/** Issues by the error code they are raised under, in the order they are raised. */
interface Collected {
  unknownIds: ErrorIssue[];
  precision: ErrorIssue[];
  invalid: ErrorIssue[];
}

const PARALLEL_DEFAULT_SOURCE =
  'aifactory convention: an unstated parallel degree is 1 (the replica is not split along it)';

function unknownId(kind: string, path: string, id: string, known: readonly string[]): ErrorIssue {
  const hint = closest(id, known);
  return {
    path,
    message: `unknown ${kind} '${id}'${hint ? ` (did you mean '${hint}'?)` : ''}`,
    value: id,
    expected: known.length
      ? `one of: ${[...known].sort().join(', ')}`
      : `a ${kind} id (the catalog has none)`,
  };
}

function resolvePrecisionConfig(
  d: DeploymentConfig,
  base: string,
  model: ModelArch,
  accelerator: Accelerator,
  catalog: Catalog,
  out: Collected,
): { plan: PrecisionPlan; label: string } | undefined {
  const hasMoe = model.moe !== undefined;
  const preset = (name: string, path: string): PrecisionPlan | undefined => {
    try {
      return resolvePrecision(name, accelerator, hasMoe);
    } catch (e) {
      if (!(e instanceof AifError) || e.code !== ERROR_CODES.PRECISION_UNSUPPORTED) throw e;
      const inner = e.issues[0];
      out.precision.push({
        path,
        message: inner?.message ?? e.message,
        value: name,
        ...(inner?.expected !== undefined ? { expected: inner.expected } : {}),
      });
      return undefined;
    }
  };
  const p = d.precision;
  if (typeof p === 'string') {
    const plan = preset(p, `${base}.precision`);
    return plan && { plan, label: p };
  }
  const start = p.preset !== undefined ? preset(p.preset, `${base}.precision.preset`) : undefined;
  if (p.preset !== undefined && start === undefined) return undefined;
  const plan = { ...start } as Partial<PrecisionPlan>;
  const overrides: string[] = [];
  for (const group of PRECISION_GROUPS) {
    const f = p[group];
    if (f !== undefined) {
      plan[group] = f;
      overrides.push(`${group}=${f}`);
    }
  }
  const rate =
    p.activations !== undefined ? catalog.formats.get(p.activations)?.computeRate : undefined;
  if (rate && !accelerator.peakFlopsPerSecond[rate]) {
    out.precision.push({
      path: `${base}.precision.activations`,
      message: `${accelerator.id} has no ${rate} tensor-core rate for ${p.activations} activations`,
      value: p.activations,
      expected: `an activation format with a rate on ${accelerator.id} (${Object.keys(accelerator.peakFlopsPerSecond).join(', ')})`,
    });
    return undefined;
  }
  const label =
    p.preset === undefined
      ? 'custom'
      : overrides.length
        ? `${p.preset} (${overrides.join(', ')})`
        : p.preset;
  return { plan: plan as PrecisionPlan, label };
}

/** Check a stated plan against the model and the system; push issues, return true if usable. */
function checkPlan(
  plan: ResolvedParallelPlan,
  base: string,
  model: ModelArch,
  system: System,
  out: Collected,
): boolean {
  const at = `${base}.parallelism`;
  const before = out.invalid.length;
  const { tp, pp, ep, attnDp } = plan;
  if (tp > system.scaleUpDomainSize) {
    out.invalid.push({
      path: `${at}.tp`,
      message: `tp ${tp} exceeds the scale-up domain of ${system.id} (${system.scaleUpDomainSize} GPUs): tensor parallelism needs the scale-up interconnect`,
      value: tp,
      expected: `tp ≤ ${system.scaleUpDomainSize}`,
    });
  }
  const heads = model.attention.numHeads;
  if (heads % tp !== 0) {
    out.invalid.push({
      path: `${at}.tp`,
      message: `${model.id} has ${heads} attention heads, which tp ${tp} does not divide (engines shard heads evenly)`,
      value: tp,
      expected: `a divisor of ${heads}`,
    });
  }
  if (pp > model.numLayers) {
    out.invalid.push({
      path: `${at}.pp`,
      message: `${model.id} has ${model.numLayers} layers, fewer than ${pp} pipeline stages`,
      value: pp,
      expected: `pp ≤ ${model.numLayers}`,
    });
  }
  if (model.moe === undefined) {
    if (ep > 1) {
      out.invalid.push({
        path: `${at}.ep`,
        message: `${model.id} is a dense model: expert parallelism needs MoE layers`,
        value: ep,
        expected: 'ep: 1 (or leave it out)',
      });
    }
    if (attnDp > 1) {
      out.invalid.push({
        path: `${at}.attnDp`,
        message: `${model.id} is a dense model: attention data parallelism pairs with expert-parallel MoE layers; use more replicas instead`,
        value: attnDp,
        expected: 'attnDp: 1 (or leave it out)',
      });
    }
  } else if ((tp * attnDp) % ep !== 0) {
    out.invalid.push({
      path: `${at}.ep`,
      message: `ep ${ep} does not divide tp·attnDp = ${tp * attnDp}: experts are sharded over the attention ranks`,
      value: ep,
      expected: `a divisor of ${tp * attnDp}`,
    });
  }
  const gpus = tp * pp * attnDp;
  const count = system.acceleratorCount;
  if (gpus <= count ? count % gpus !== 0 : gpus % count !== 0) {
    out.invalid.push({
      path: at,
      message: `${gpus} GPUs per replica (tp·pp·attnDp) neither divide nor are a multiple of the ${count} accelerators of ${system.id}: replicas would straddle systems`,
      value: { tp, pp, ep, attnDp },
      expected: `tp·pp·attnDp dividing ${count}, or a multiple of ${count}`,
    });
  }
  return out.invalid.length === before;
}

function resolveSpeculative(
  d: DeploymentConfig,
  base: string,
  model: ModelArch,
  catalog: Catalog,
  out: Collected,
): SpeculativeAssumption | undefined {
  const spec = d.speculative;
  if (!spec) return undefined;
  const forModel = catalog.speculative.filter((s) => s.modelId === model.id);
  const shortName = (drafter: string) => drafter.split(' (')[0] ?? drafter;
  const exact = forModel.filter((s) => s.drafter === spec.drafter);
  const matches = exact.length
    ? exact
    : forModel.filter((s) => shortName(s.drafter) === spec.drafter);
  const drafters = [...new Set(forModel.map((s) => s.drafter))].sort();
  if (matches.length === 0) {
    out.unknownIds.push({
      path: `${base}.speculative.drafter`,
      message: `no speculative-decoding assumption for model '${model.id}' with drafter '${spec.drafter}'`,
      value: spec.drafter,
      expected: drafters.length
        ? `one of: ${drafters.join(', ')}`
        : `a drafter with a catalog entry (the catalog has none for ${model.id})`,
    });
    return undefined;
  }
  const found = matches.find((s) => s.draftTokens === spec.draftTokens);
  if (!found) {
    out.unknownIds.push({
      path: `${base}.speculative.draftTokens`,
      message: `the catalog's acceptance for '${spec.drafter}' on '${model.id}' was measured at other draft lengths`,
      value: spec.draftTokens,
      expected: `one of: ${[...new Set(matches.map((s) => s.draftTokens))].sort((a, b) => a - b).join(', ')}`,
    });
  }
  return found;
}

function resolveEngine(
  e: EngineConfig,
  base: string,
  accelerator: Accelerator,
  parallel: ResolvedParallelPlan | 'auto',
  speculativeDrafter: string | undefined,
  defaultsApplied: DefaultApplied[],
  out: Collected,
): ResolvedEngineSettings {
  const stated = statedEngineValues(e as unknown as Record<string, unknown>);
  const { settings, applied } = applyEngineDefaults(
    e.name,
    {
      accelerator,
      tpTimesPp: parallel === 'auto' ? undefined : parallel.tp * parallel.pp,
      attnDp: parallel === 'auto' ? undefined : parallel.attnDp,
      speculativeDrafter,
    },
    stated,
  );
  for (const a of applied) {
    defaultsApplied.push({
      path: `${base}.engine.${SCENARIO_ENGINE_FIELD[a.key]}`,
      value: a.value,
      source: a.source,
    });
  }
  if (
    stated.maxNumSeqs !== undefined &&
    stated.maxNumBatchedTokens !== undefined &&
    stated.maxNumBatchedTokens < stated.maxNumSeqs
  ) {
    out.invalid.push({
      path: `${base}.engine.maxNumBatchedTokens`,
      message: `a token budget of ${stated.maxNumBatchedTokens} cannot give each of ${stated.maxNumSeqs} running sequences a token per iteration`,
      value: stated.maxNumBatchedTokens,
      expected: `a number ≥ maxNumSeqs (${stated.maxNumSeqs})`,
    });
  }
  return { ...settings, ...(e.kvBlocks !== undefined ? { kvBlocksOverride: e.kvBlocks } : {}) };
}

function resolveDeployment(
  d: DeploymentConfig,
  index: number,
  catalog: Catalog,
  defaultsApplied: DefaultApplied[],
  out: Collected,
): ResolvedDeployment | undefined {
  const base = `deployments.${index}`;
  const model = catalog.models.get(d.model);
  if (!model)
    out.unknownIds.push(unknownId('model', `${base}.model`, d.model, [...catalog.models.keys()]));
  const system = catalog.systems.get(d.system);
  if (!system)
    out.unknownIds.push(
      unknownId('system', `${base}.system`, d.system, [...catalog.systems.keys()]),
    );
  if (!model || !system) return undefined;
  const accelerator = catalog.accelerators.get(system.acceleratorId);
  if (!accelerator) {
    throw new AifError(
      ERROR_CODES.CATALOG_INVALID,
      `catalog system '${system.id}' names accelerator '${system.acceleratorId}', which the catalog lacks`,
      [
        {
          path: `${base}.system`,
          message: 'system refers to an unknown accelerator',
          value: system.acceleratorId,
        },
      ],
    );
  }

  const precision = resolvePrecisionConfig(d, base, model, accelerator, catalog, out);

  let parallel: ResolvedParallelPlan | 'auto' = 'auto';
  let planOk = true;
  if (d.parallelism !== 'auto') {
    const stated = d.parallelism;
    const plan: ResolvedParallelPlan = {
      tp: stated.tp,
      pp: stated.pp ?? 1,
      ep: stated.ep ?? 1,
      attnDp: stated.attnDp ?? 1,
    };
    for (const key of ['pp', 'ep', 'attnDp'] as const) {
      if (stated[key] === undefined) {
        defaultsApplied.push({
          path: `${base}.parallelism.${key}`,
          value: 1,
          source: PARALLEL_DEFAULT_SOURCE,
        });
      }
    }
    planOk = checkPlan(plan, base, model, system, out);
    parallel = plan;
  }

  let replicas: number | 'auto' = d.replicas ?? 'auto';
  if (d.systems !== undefined && parallel !== 'auto' && planOk) {
    const gpus = parallel.tp * parallel.pp * parallel.attnDp;
    replicas = replicasFromSystems(d.systems, system, gpus);
    if (replicas < 1 || (d.systems * system.acceleratorCount) % gpus !== 0) {
      const step = gpus / system.acceleratorCount;
      out.invalid.push({
        path: `${base}.systems`,
        message: `${d.systems} × ${system.id} hold ${d.systems * system.acceleratorCount} accelerators, which do not make whole replicas of ${gpus} GPUs`,
        value: d.systems,
        expected: `a multiple of ${step} systems`,
      });
    }
  }

  let decode: ResolvedDecodePool | undefined;
  const dis = d.disaggregation;
  if (dis) {
    if (d.parallelism === 'auto')
      out.invalid.push({
        path: `${base}.parallelism`,
        message:
          'a disaggregated deployment states the prefill workers’ plan: the planner does not search prefill/decode pairs',
        value: 'auto',
        expected: 'a mapping {tp, pp?, ep?, attnDp?}',
      });
    const decBase = `${base}.disaggregation.decode`;
    const st = dis.decode.parallelism;
    const plan: ResolvedParallelPlan = {
      tp: st.tp,
      pp: st.pp ?? 1,
      ep: st.ep ?? 1,
      attnDp: st.attnDp ?? 1,
    };
    checkPlan(plan, decBase, model, system, out);
    decode = {
      parallel: plan,
      replicas: dis.decode.replicas,
      engine: resolveEngine(
        { ...d.engine, ...dis.decode.engine },
        decBase,
        accelerator,
        plan,
        d.speculative?.drafter,
        defaultsApplied,
        out,
      ),
      kvTransfer: {
        ...(dis.kvTransfer?.bandwidthGbPerSecond !== undefined
          ? { bytesPerSecondPerGpu: dis.kvTransfer.bandwidthGbPerSecond * 1e9 }
          : {}),
        ...(dis.kvTransfer?.latencySeconds !== undefined
          ? { latencySeconds: dis.kvTransfer.latencySeconds }
          : {}),
      },
    };
  }

  const speculative = resolveSpeculative(d, base, model, catalog, out);
  const engine = resolveEngine(
    d.engine,
    base,
    accelerator,
    parallel,
    d.speculative?.drafter,
    defaultsApplied,
    out,
  );

  const autoscaler = d.autoscaler
    ? resolveAutoscaler(d.autoscaler, base, defaultsApplied)
    : undefined;

  if (!precision) return undefined;
  return {
    name: d.name,
    path: base,
    replicas,
    ...(d.systems !== undefined ? { systems: d.systems } : {}),
    ...(d.router !== undefined ? { router: d.router } : {}),
    ...(decode ? { decode } : {}),
    ...(autoscaler ? { autoscaler } : {}),
    deployment: {
      model,
      accelerator,
      system,
      precision: precision.plan,
      precisionLabel: precision.label,
      parallel,
      engine,
      ...(speculative ? { speculative } : {}),
    },
  };
}

const raise = (code: AifError['code'], what: string, issues: ErrorIssue[]): never => {
  const lines = issues.map(
    (i) => `  ${i.path}: ${i.message}${i.expected ? ` (expected ${i.expected})` : ''}`,
  );
  throw new AifError(code, `resolveScenario: ${what}:\n${lines.join('\n')}`, issues);
};

/**
 * Resolve a validated scenario against a catalog.
 * @throws AifError E_CATALOG_UNKNOWN_ID (unknown model/system/drafter), then
 *   E_PRECISION_UNSUPPORTED (unknown preset, format without a rate), then E_SCENARIO_INVALID
 *   (plans that do not fit the model or system) — each listing all issues of its kind.
 */
export function resolveScenario(s: Scenario, catalog: Catalog): ResolvedScenario {
  const out: Collected = { unknownIds: [], precision: [], invalid: [] };
  const defaultsApplied: DefaultApplied[] = [];
  const deployments: ResolvedDeployment[] = [];
  s.deployments.forEach((d, i) => {
    const r = resolveDeployment(d, i, catalog, defaultsApplied, out);
    if (r) deployments.push(r);
  });
  if (out.unknownIds.length)
    raise(ERROR_CODES.CATALOG_UNKNOWN_ID, 'unknown catalog ids', out.unknownIds);
  if (out.precision.length)
    raise(ERROR_CODES.PRECISION_UNSUPPORTED, 'unsupported precision', out.precision);
  if (out.invalid.length)
    raise(ERROR_CODES.SCENARIO_INVALID, 'deployments that cannot run as stated', out.invalid);
  return { scenario: s, catalogVersion: catalog.version, deployments, defaultsApplied };
}
