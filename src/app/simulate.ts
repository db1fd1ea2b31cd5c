/**
 * Use case `run`: simulate a scenario with the serving twin (DESIGN §5) and report the factory
 * scorecard — tokens, latency percentiles, SLO attainment and goodput, the utilization set,
 * power and energy at named boundaries, availability — with the basis of every figure. Pure:
 * the CLI reads files, prints and writes; this returns plain JSON (`SimResult`). Same scenario
 * + seed ⇒ byte-identical result.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Basis, Metric, SloBasis } from '../core/basis.js';
import { AifError, ERROR_CODES } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import { createRng, RNG_ALGORITHM } from '../core/rng.js';
import { resolveCalibration, type CalibrationTable } from '../perf/calibration.js';
import { prepareDeployment, type PreparedDeployment } from '../perf/costs.js';
import { memoryFit } from '../perf/memory.js';
import { replicaPower, type Activity } from '../perf/power.js';
import type { StepTime } from '../perf/step-time.js';
import { kvTransferLink, kvTransferSeconds, type KvTransferLink } from '../perf/kv-transfer.js';
import { gpusPerReplica, type Deployment } from '../perf/types.js';
import {
  createAutoscaler,
  createAvailabilityTracker,
  createFailureProcess,
  DEFAULT_REPAIR_HOURS,
  DEFAULT_SPARE_SWAP_SECONDS,
  type AutoscalerPolicyName,
  type AvailabilityReport,
} from '../sim/failures/index.js';
import { createKvCacheManager, type KvCache } from '../sim/kv/index.js';
import {
  combineUtilization,
  EnergyMeter,
  meetsSlo,
  MetricsRecorder,
  TimeSeriesSampler,
  UtilizationMeter,
  type MetricsResult,
  type TimeSeriesResult,
  type UtilizationResult,
} from '../sim/metrics/index.js';
import { replicaIdlePower, replicaIterationPower } from '../sim/power/index.js';
import { JUMP_LINEAR_TOLERANCE } from '../sim/replica.js';
import { createRouter } from '../sim/router/index.js';
import { schedulerConfigFor } from '../sim/scheduler/config.js';
import type { SchedulerConfig } from '../sim/scheduler/scheduler.js';
import { createStepModel, type StepModel } from '../sim/step-model.js';
import { runTwin, type ProvisionState, type TwinCounters, type TwinFailures } from '../sim/twin.js';
import type { KvCacheStats, WorkloadSource } from '../sim/types.js';
import { classSpecFromScenario, createWorkload } from '../sim/workload/index.js';
import {
  resolveScenario,
  type DefaultApplied,
  type DeploymentConfig,
  type ResolvedDeployment,
  type Scenario,
  type WorkloadClass,
} from '../scenario/index.js';
import { choosePlan, chosenDeployment } from './estimate.js';

export const SIM_METHOD =
  'serving twin: discrete-event simulation of every replica at engine-iteration level (vLLM v1-style scheduler: ' +
  'token budget, chunked prefill, KV-block admission, preemption by recompute; paged KV cache with prefix caching), ' +
  'step times from the calibrated per-op-class roofline model';

/** Default router when a deployment states none: least outstanding tokens (DESIGN §5). */
const DEFAULT_ROUTER = 'least-outstanding-tokens';
const DEFAULT_RETRY_LIMIT = 1;
/** Time-series intervals per run when the scenario states no interval. */
const DEFAULT_SERIES_POINTS = 120;
/**
 * The registry policy a scenario's `autoscaler:` builds: target tracking (as Kubernetes HPA) on
 * outstanding requests per serving replica.
 */
const SCENARIO_AUTOSCALER_POLICY = 'target-utilization' satisfies AutoscalerPolicyName;

/** The scenario's autoscaler settings, resolved (`resolveScenario`). */
type AutoscalerSettings = NonNullable<ResolvedDeployment['autoscaler']>;

/** One change of an autoscaled pool: replicas provisioned (starting + serving) and serving. */
export interface AutoscalingStep {
  atSeconds: number;
  numProvisioned: number;
  numServing: number;
}

export interface SimDeploymentResult {
  name: string;
  model: string;
  accelerator: string;
  system: string;
  precision: string;
  engine: string;
  router: string;
  /**
   * `replicas`: the replicas serving at t = 0 (the scenario's count; with an autoscaler it then
   * varies, see `autoscaling`); `gpus`: the GPUs the deployment may hold — with an autoscaler,
   * `maxReplicas` replicas' worth.
   */
  plan: {
    tp: number;
    pp: number;
    ep: number;
    attnDp: number;
    gpusPerReplica: number;
    replicas: number;
    gpus: number;
  };
  /**
   * Disaggregated deployments: the decode pool (`plan` is then the prefill pool's, and
   * `plan.gpus` counts both pools' GPUs) and the link the KV crosses.
   */
  decode?: {
    plan: {
      tp: number;
      pp: number;
      ep: number;
      attnDp: number;
      gpusPerReplica: number;
      replicas: number;
    };
    kvBlocksPerReplica: number;
    kvTransfer: {
      link: 'scale-up' | 'scale-out';
      bytesPerSecondPerGpu: number;
      latencySeconds: number;
    };
  };
  calibration: { key: string; source: string };
  kvBlocksPerReplica: number;
  classes: string[];
  counters: TwinCounters;
  metrics: MetricsResult;
  utilization: UtilizationResult;
  energy: {
    windowSeconds: number;
    meanPowerWatts: { chip: number; node: number; facility: number };
    energyJoules: { chip: number; node: number; facility: number };
    pue: number;
  };
  kvCache: KvCacheStats & { hitRate: number | null };
  /**
   * With an autoscaler, availability counts failures against the provisioned replicas: a slot
   * is down only while its replica has failed — a scaled-in (off) or cold-starting replica is
   * not a failure, so it counts as up — and `meanCapacityFraction` is the share of provisioned
   * replica-time not failed. Scaling lag (a cold start under load) shows in latency and SLO
   * attainment, not here.
   */
  availability: AvailabilityReport & { serviceAvailabilityBySlo: number | null };
  /**
   * Autoscaled deployments: replicas turned on (each one cold start) and off, the time mean of
   * provisioned replicas (starting + serving) over the measurement window, and every change of
   * the pool from t = 0.
   */
  autoscaling?: {
    policy: string;
    minReplicas: number;
    maxReplicas: number;
    scaleOuts: number;
    scaleIns: number;
    meanProvisionedReplicas: number;
    series: AutoscalingStep[];
  };
  workload: { classes: { name: string; counters: Record<string, number> }[] };
  timeSeries: TimeSeriesResult;
  scorecard: Metric[];
  warnings: string[];
}

export interface SimResult {
  kind: 'aifactory.sim';
  scenario: { name: string; seed: number; hash: string };
  catalogVersion: string;
  toolVersion: string;
  method: string;
  rng: { algorithm: string; seed: number };
  simulation: {
    durationSeconds: number;
    warmupSeconds: number;
    decodeJumps: boolean;
    jumpLinearTolerance: number;
  };
  defaultsApplied: DefaultApplied[];
  assumptions: string[];
  deployments: SimDeploymentResult[];
}

export interface SimulateOptions {
  /** Version of the tool that ran it (recorded in the result). */
  toolVersion: string;
  /** Called now and then with the share of simulated time done (0..1). */
  onProgress?: (fraction: number) => void;
}

const activityOf = (t: StepTime): Activity => {
  const s = t.seconds > 0 ? t.seconds : 1;
  const device = Math.min(1, t.deviceSeconds / s);
  const compute = Math.min(device, t.computeBoundSeconds / s);
  const memory = Math.min(device - compute, t.memoryBoundSeconds / s);
  return {
    computeBoundShare: compute,
    memoryBoundShare: memory,
    otherBusyShare: Math.max(0, device - compute - memory),
  };
};

/** Which classes each deployment serves (`deployment:` field; the only one when there is one). */
function classesByDeployment(scenario: Scenario): Map<string, number[]> {
  const names = scenario.deployments.map((d) => d.name);
  const out = new Map<string, number[]>(names.map((n) => [n, []]));
  const issues = scenario.workload.classes.flatMap((c, i) => {
    const target = c.deployment ?? (names.length === 1 ? names[0] : undefined);
    if (target !== undefined && out.has(target)) {
      out.get(target)!.push(i);
      return [];
    }
    return [
      {
        path: `workload.classes.${i}.deployment`,
        message:
          target === undefined
            ? 'the scenario has several deployments: say which one serves this class'
            : `unknown deployment '${target}'`,
        value: target,
        expected: `one of: ${names.join(', ')}`,
      },
    ];
  });
  if (issues.length)
    throw new AifError(ERROR_CODES.SCENARIO_INVALID, 'workload classes need a deployment', issues);
  return out;
}

/**
 * Simulate every deployment of a scenario with the classes it serves.
 * @throws AifError from `resolveScenario` and for classes without a deployment.
 */
export function simulateScenario(
  scenario: Scenario,
  catalog: Catalog,
  calibration: CalibrationTable,
  options: SimulateOptions,
): SimResult {
  const resolved = resolveScenario(scenario, catalog);
  const defaultsApplied: DefaultApplied[] = [...resolved.defaultsApplied];
  const sim = scenario.simulation ?? { durationSeconds: 600, warmupSeconds: 60 };
  if (!scenario.simulation)
    defaultsApplied.push({
      path: 'simulation',
      value: sim,
      source: 'aifactory default: 10 simulated minutes, the first minute excluded as warm-up',
    });
  const decodeJumps = sim.decodeJumps ?? true;
  const byDeployment = classesByDeployment(scenario);
  const pue = scenario.site?.pue ?? 1;
  if (scenario.site?.pue === undefined)
    defaultsApplied.push({
      path: 'site.pue',
      value: 1,
      source: 'no PUE stated: facility figures equal IT figures (PUE 1)',
    });
  const assumptions = [
    'every figure is modeled (serving-twin simulation), not measured',
    "latencies count from the client's send time: each request enters the engine after the calibration's per-request overhead (HTTP, tokenization; requestOverheadSeconds)",
    'a replica with attention data-parallel ranks is simulated as one scheduler over the ranks’ pooled KV blocks',
    'only full prompt blocks enter the prefix cache (an agent call recomputes the previous call’s output once)',
    'a failed replica draws idle power until repaired and comes back with an empty KV cache; its in-flight requests are retried from scratch or dropped',
    ...(resolved.deployments.some((r) => r.autoscaler)
      ? [
          'an autoscaled replica draws no power while scaled in (its accelerators released), idle power while cold-starting (model load, engine start), and starts serving with an empty KV cache',
        ]
      : []),
    `decode iterations whose batch does not change are advanced in one event when the step time is linear within ${JUMP_LINEAR_TOLERANCE} (relative) over the run`,
  ];

  const deployments = resolved.deployments.map((r, di): SimDeploymentResult => {
    const config: DeploymentConfig = scenario.deployments[di]!;
    const chosen = choosePlan(r, config, scenario, catalog, calibration);
    const spec = r.deployment;
    const deployment = chosenDeployment(r, chosen, defaultsApplied);
    const prepared = prepareDeployment(deployment, catalog.formats);
    const memory = memoryFit(prepared);
    if (!memory.fits)
      throw new AifError(ERROR_CODES.SCENARIO_INVALID, `deployment ${r.name} does not fit`, [
        {
          path: `${r.path}`,
          message: `does not fit in memory: ${memory.reason ?? 'no KV room'}`,
          value: r.name,
          expected: 'a plan whose weights leave KV-cache room',
        },
      ]);
    const cal = resolveCalibration(calibration, spec.accelerator, chosen.engine.name, spec.model);
    let decode: DecodeRun | undefined;
    if (r.decode) {
      const decodeDeployment: Deployment = {
        ...deployment,
        parallel: r.decode.parallel,
        engine: r.decode.engine,
      };
      const decodePrepared = prepareDeployment(decodeDeployment, catalog.formats);
      const decodeMemory = memoryFit(decodePrepared);
      if (!decodeMemory.fits)
        throw new AifError(ERROR_CODES.SCENARIO_INVALID, `deployment ${r.name} does not fit`, [
          {
            path: `${r.path}.disaggregation.decode`,
            message: `the decode workers do not fit in memory: ${decodeMemory.reason ?? 'no KV room'}`,
            value: r.name,
            expected: 'a decode plan whose weights leave KV-cache room',
          },
        ]);
      decode = {
        prepared: decodePrepared,
        stepModel: createStepModel(decodePrepared, cal.params),
        kvBlocksPerReplica: decodeMemory.kvBlocksPerRank * r.decode.parallel.attnDp,
        replicas: r.decode.replicas,
        link: kvTransferLink(prepared, decodePrepared, r.decode.kvTransfer),
      };
    }
    const classIdx = byDeployment.get(r.name)!;
    const classes: WorkloadClass[] = classIdx.map((i) => scenario.workload.classes[i]!);
    const routerName = config.router ?? DEFAULT_ROUTER;
    if (!config.router)
      defaultsApplied.push({
        path: `${r.path}.router`,
        value: DEFAULT_ROUTER,
        source: 'aifactory default (DESIGN §5): least outstanding tokens',
      });
    return simulateDeployment({
      name: r.name,
      path: r.path,
      prepared,
      calibrationKey: cal.key,
      calibrationSource: cal.source,
      requestOverheadSeconds: cal.params.requestOverheadSeconds,
      stepModel: createStepModel(prepared, cal.params),
      kvBlocksPerReplica: memory.kvBlocksPerRank * chosen.plan.attnDp,
      replicas: chosen.replicas,
      ...(decode ? { decode } : {}),
      ...(r.autoscaler ? { autoscaler: r.autoscaler } : {}),
      routerName,
      config,
      classes,
      scenario,
      seed: scenario.seed,
      durationSeconds: sim.durationSeconds,
      warmupSeconds: sim.warmupSeconds,
      intervalSeconds: sim.timeSeriesIntervalSeconds ?? sim.durationSeconds / DEFAULT_SERIES_POINTS,
      decodeJumps,
      pue,
      catalogVersion: catalog.version,
      ...(options.onProgress
        ? {
            onProgress: (f: number) => options.onProgress!((di + f) / resolved.deployments.length),
          }
        : {}),
      defaultsApplied,
    });
  });

  return {
    kind: 'aifactory.sim',
    scenario: { name: scenario.name, seed: scenario.seed, hash: contentHash(scenario) },
    catalogVersion: catalog.version,
    toolVersion: options.toolVersion,
    method: SIM_METHOD,
    rng: { algorithm: RNG_ALGORITHM, seed: scenario.seed },
    simulation: {
      durationSeconds: sim.durationSeconds,
      warmupSeconds: sim.warmupSeconds,
      decodeJumps,
      jumpLinearTolerance: JUMP_LINEAR_TOLERANCE,
    },
    defaultsApplied,
    assumptions,
    deployments,
  };
}

/** The decode pool of a disaggregated deployment, ready to simulate. */
interface DecodeRun {
  prepared: PreparedDeployment;
  stepModel: StepModel;
  kvBlocksPerReplica: number;
  replicas: number;
  link: KvTransferLink;
}

interface DeploymentRun {
  name: string;
  path: string;
  prepared: PreparedDeployment;
  calibrationKey: string;
  calibrationSource: string;
  /** Calibrated time outside the engine loop (HTTP, tokenization) added before a request enters. */
  requestOverheadSeconds: number;
  stepModel: StepModel;
  kvBlocksPerReplica: number;
  /**
   * Replicas serving requests end to end, or the prefill pool when `decode` is given; with
   * `autoscaler`, those serving at t = 0.
   */
  replicas: number;
  decode?: DecodeRun;
  autoscaler?: AutoscalerSettings;
  routerName: NonNullable<DeploymentConfig['router']>;
  config: DeploymentConfig;
  classes: WorkloadClass[];
  scenario: Scenario;
  seed: number;
  durationSeconds: number;
  warmupSeconds: number;
  intervalSeconds: number;
  decodeJumps: boolean;
  pue: number;
  catalogVersion: string;
  onProgress?: (fraction: number) => void;
  defaultsApplied: DefaultApplied[];
}

function simulateDeployment(d: DeploymentRun): SimDeploymentResult {
  const { prepared, config, scenario } = d;
  const dep = prepared.deployment;
  const engine = dep.engine;
  const gpr = gpusPerReplica(dep.parallel);
  const system = dep.system;
  const warnings: string[] = [];
  const capWatts = config.powerCapWatts;
  const dec = d.decode;
  const scaling = d.autoscaler;
  // Fleet indices: 0…P−1 serve (or prefill), P…P+D−1 decode (disaggregated deployments). An
  // autoscaled deployment has maxReplicas slots, some of them off at a time.
  const numEntry = scaling ? scaling.maxReplicas : d.replicas;
  const numReplicas = numEntry + (dec?.replicas ?? 0);
  const isDecode = (i: number): boolean => i >= numEntry;
  const decodeGpr = dec ? gpusPerReplica(dec.prepared.deployment.parallel) : 0;
  const gprOf = (i: number): number => (isDecode(i) ? decodeGpr : gpr);

  // Power cap: iterations stretch by the cap's slowdown (DESIGN §6), memoised with the step.
  const powerFor = (p: PreparedDeployment) => (t: StepTime) =>
    replicaIterationPower({
      prepared: p,
      activity: activityOf(t),
      ...(system ? { system } : {}),
      pue: d.pue,
      ...(capWatts !== undefined ? { capWatts } : {}),
    });
  const powerOfPrefill = powerFor(prepared);
  const decodePrepared = dec?.prepared;
  const powerOfDecode = dec ? powerFor(dec.prepared) : powerOfPrefill;
  const powerOf = (i: number, t: StepTime) => (isDecode(i) ? powerOfDecode(t) : powerOfPrefill(t));
  const capped = (
    model: StepModel,
    power: (t: StepTime) => { slowdownFactor: number },
  ): StepModel =>
    capWatts === undefined
      ? model
      : (batch) => {
          const t = model(batch);
          const f = power(t).slowdownFactor;
          return f === 1 ? t : { ...t, seconds: t.seconds * f };
        };
  const stepModel = capped(d.stepModel, powerOfPrefill);

  // KV cache per replica, with offload tiers sized in blocks of this replica.
  const kvBytesPerToken =
    (prepared.kvBytesPerTokenFullLayers + prepared.kvBytesPerTokenWindowLayers) * gpr;
  const blockBytes = kvBytesPerToken * engine.blockSizeTokens;
  const offloadTiers = (config.engine.kvOffload ?? []).map((t) => ({
    name: t.tier,
    capacityBlocks: Math.floor((t.capacityGb * 1e9) / blockBytes),
    bandwidthBytesPerSecond: t.bandwidthGbPerSecond * 1e9,
    latencySeconds: t.latencySeconds ?? 0,
  }));
  const prefillSeconds = (n: number): number =>
    n <= 0
      ? 0
      : d.stepModel({
          numDecodeSeqs: 0,
          decodeContextTokens: 0,
          numPrefillTokens: n,
          prefillAttentionPairs: (n * (n + 1)) / 2,
          numPrefillSamples: 0,
          numPrefillSeqs: 1,
        }).seconds;
  // Every cache a replica had (a failure replaces it with an empty one), for the hit counters;
  // the current one per replica, for what is cached at the end.
  // Decode replicas of a disaggregated deployment receive whole prompts over the link: no
  // prefix lookups there, so their caches stay out of the hit counters.
  const allKvCaches: KvCache[] = [];
  const currentKvCaches: KvCache[] = [];
  const createDecodeKvCache = (i: number): KvCache => {
    const kv = createKvCacheManager({
      numTotalBlocks: dec!.kvBlocksPerReplica,
      blockSizeTokens: dec!.prepared.deployment.engine.blockSizeTokens,
      prefixCaching: false,
    });
    currentKvCaches[i] = kv;
    return kv;
  };
  const createKvCache = (i: number): KvCache => {
    const kv = createKvCacheManager({
      numTotalBlocks: d.kvBlocksPerReplica,
      blockSizeTokens: engine.blockSizeTokens,
      prefixCaching: engine.prefixCaching,
      ...(offloadTiers.length
        ? { offloadTiers, kvBytesPerToken, recomputeSecondsForTokens: prefillSeconds }
        : {}),
    });
    allKvCaches.push(kv);
    currentKvCaches[i] = kv;
    return kv;
  };

  const workload = createWorkload(
    d.classes.map((c) => classSpecFromScenario(c)),
    d.seed,
  );
  const router = createRouter(d.routerName);
  // Requests reach the engine after the calibrated per-request overhead (HTTP, tokenization);
  // latencies still count from the client's send time, as TTFT was measured in the fit.
  const source = delayedSource(workload.source, d.requestOverheadSeconds);

  // Metrics.
  const end = d.durationSeconds;
  const warm = d.warmupSeconds;
  const recorder = new MetricsRecorder({
    classes: d.classes.map((c) => ({ name: c.name, slo: c.slo as SloBasis })),
    warmupSeconds: warm,
    endSeconds: end,
  });
  const peakFlops = prepared.attentionProjection.peakFlopsPerSecond;
  const peakBytes = prepared.memoryBandwidthBytesPerSecond;
  const meters = Array.from(
    { length: numReplicas },
    (_, i) =>
      new UtilizationMeter({
        numGpus: gprOf(i),
        peakFlopsPerSecondPerGpu: peakFlops,
        peakBytesPerSecondPerGpu: peakBytes,
        windowStartSeconds: warm,
        windowEndSeconds: end,
      }),
  );
  const idlePrefill = replicaIdlePower({ prepared, ...(system ? { system } : {}), pue: d.pue });
  const idleDecode = dec
    ? replicaIdlePower({ prepared: dec.prepared, ...(system ? { system } : {}), pue: d.pue })
    : idlePrefill;
  const idleOf = (i: number) => (isDecode(i) ? idleDecode : idlePrefill);
  const replicaChip = Array.from({ length: numReplicas }, (_, i) => idleOf(i).chipWatts);
  const replicaNode = Array.from({ length: numReplicas }, (_, i) => idleOf(i).nodeWatts);
  let fleetChip = replicaChip.reduce((a, b) => a + b, 0);
  let fleetNode = replicaNode.reduce((a, b) => a + b, 0);
  const checkpoints = [warm, end];
  const chipMeter = new EnergyMeter({
    initialPowerWatts: fleetChip,
    checkpointsSeconds: checkpoints,
  });
  const nodeMeter = new EnergyMeter({
    initialPowerWatts: fleetNode,
    checkpointsSeconds: checkpoints,
  });
  const series = new TimeSeriesSampler({ intervalSeconds: d.intervalSeconds });
  // Gauges read 0 until first set: give the ones that change only on events their value at 0.
  series.set('replicasUp', numReplicas, 0);
  series.set('chipPowerWatts', fleetChip, 0);
  const setPower = (i: number, chip: number, node: number, now: number): void => {
    fleetChip += chip - replicaChip[i]!;
    fleetNode += node - replicaNode[i]!;
    replicaChip[i] = chip;
    replicaNode[i] = node;
    chipMeter.setPowerWatts(Math.max(0, fleetChip), now);
    nodeMeter.setPowerWatts(Math.max(0, fleetNode), now);
    series.set('chipPowerWatts', Math.max(0, fleetChip), now);
  };

  // Failures.
  const fs = scenario.failures;
  const minUp = Math.max(1, Math.ceil((fs?.minReplicasUpFraction ?? 1) * numReplicas - 1e-9));
  const availability = createAvailabilityTracker({ numReplicas, minReplicasUp: minUp });

  // Autoscaling: the policy from the registry, each slot's provisioning and failure state, and
  // exact time integrals (piecewise constant, as energy) of provisioned and of failed
  // provisioned replicas.
  const policy = scaling
    ? createAutoscaler(SCENARIO_AUTOSCALER_POLICY, {
        targetLoadPerReplica: scaling.targetOutstandingRequestsPerReplica,
        minReplicas: scaling.minReplicas,
        maxReplicas: scaling.maxReplicas,
        evaluateEverySeconds: scaling.evaluateEverySeconds,
        coldStartSeconds: scaling.coldStartSeconds,
        scaleInCooldownSeconds: scaling.scaleInCooldownSeconds,
      })
    : undefined;
  const slotState: ProvisionState[] = new Array<ProvisionState>(numEntry).fill('serving');
  const slotFailed = new Array<boolean>(numEntry).fill(false);
  const provisionedMeter = new EnergyMeter({ checkpointsSeconds: [warm, end] });
  const failedProvisionedMeter = new EnergyMeter({ checkpointsSeconds: [end] });
  const scalingSteps: AutoscalingStep[] = [];
  /** After a slot changed at `now`: gauges, integrals and the step series. */
  const slotChanged = (now: number): void => {
    let provisioned = 0;
    let serving = 0;
    let failedProvisioned = 0;
    for (let k = 0; k < numEntry; k++) {
      if (slotState[k] === 'off') continue;
      provisioned++;
      if (slotFailed[k]) failedProvisioned++;
      else if (slotState[k] === 'serving') serving++;
    }
    provisionedMeter.setPowerWatts(provisioned, now);
    failedProvisionedMeter.setPowerWatts(failedProvisioned, now);
    series.set('provisionedReplicas', provisioned, now);
    series.set('replicasUp', serving, now);
    const last = scalingSteps.at(-1);
    if (last?.atSeconds === now) {
      last.numProvisioned = provisioned;
      last.numServing = serving;
    } else scalingSteps.push({ atSeconds: now, numProvisioned: provisioned, numServing: serving });
  };
  let failures: TwinFailures | undefined;
  if (fs) {
    const procs = Array.from({ length: numReplicas }, (_, i) =>
      createFailureProcess({
        acceleratorsPerReplica: gprOf(i),
        mtbfHours: fs.acceleratorMtbfHours,
        ...(fs.weibullShape !== undefined ? { weibullShape: fs.weibullShape } : {}),
        ...(fs.nodeMtbfHours !== undefined && system
          ? {
              nodesPerReplica: Math.max(1, Math.ceil(gprOf(i) / system.acceleratorCount)),
              nodeMtbfHours: fs.nodeMtbfHours,
            }
          : {}),
        repairHours: fs.repairHours ?? DEFAULT_REPAIR_HOURS.value,
        rng: createRng(d.seed, `failures/${d.name}/${i}`),
      }),
    );
    // N+k spares: a failed replica is back after the swap time while a spare is free; the
    // failed unit becomes a spare again once repaired.
    const spares = config.spares ?? 0;
    const spareFreeAt: number[] = new Array<number>(spares).fill(0);
    failures = {
      retryLimit: fs.retryLimit ?? DEFAULT_RETRY_LIMIT,
      nextFailureDelaySeconds: (i) => procs[i]!.nextFailureDelaySeconds(),
      repairDelaySeconds: (i, now) => {
        const repair = procs[i]!.repairDelaySeconds();
        const k = spareFreeAt.findIndex((t) => t <= now);
        if (k < 0) return repair;
        spareFreeAt[k] = now + repair;
        return Math.min(repair, DEFAULT_SPARE_SWAP_SECONDS.value);
      },
    };
    if (fs.retryLimit === undefined)
      d.defaultsApplied.push({
        path: 'failures.retryLimit',
        value: DEFAULT_RETRY_LIMIT,
        source: 'aifactory default: a request lost to a failure is retried once',
      });
  }

  let sloWindowMet = 0;
  let sloWindowAll = 0;
  const sloIntervals: { met: number; all: number }[] = [];
  const counters = runTwin({
    numReplicas: d.replicas,
    ...(policy ? { autoscaler: policy } : {}),
    scheduler: schedulerConfig(prepared),
    createKvCache,
    stepModel,
    router,
    workload: source,
    durationSeconds: end,
    seed: d.seed,
    decodeJumps: d.decodeJumps,
    ...(failures ? { failures } : {}),
    ...(dec
      ? {
          decode: {
            numReplicas: dec.replicas,
            scheduler: schedulerConfig(dec.prepared),
            createKvCache: createDecodeKvCache,
            stepModel: capped(dec.stepModel, powerOfDecode),
            // Decode replicas are picked by their outstanding work (the KV-aware choice of
            // Dynamo-style disaggregated routers); the deployment's router picks prefill.
            router: createRouter('least-outstanding-tokens'),
            transferSeconds: (req) => kvTransferSeconds(prepared, req.promptTokens, dec.link),
          },
        }
      : {}),
    sampleIntervalSeconds: d.intervalSeconds,
    observer: {
      onCompletion(seq, finish) {
        const r = seq.request;
        const first = seq.firstTokenSeconds!;
        recorder.recordCompletion({
          classIndex: r.classIndex,
          arrivalSeconds: r.arrivalSeconds,
          firstTokenSeconds: first,
          finishSeconds: finish,
          promptTokens: r.promptTokens,
          outputTokens: r.outputTokens,
          cachedPromptTokens: seq.numCachedTokens,
          queueingSeconds: (seq.firstScheduledSeconds ?? finish) - r.arrivalSeconds,
          preemptions: seq.numPreemptions,
        });
        series.add('outputTokens', r.outputTokens, finish);
        series.add('completedRequests', 1, finish);
        const ok = meetsSlo(d.classes[r.classIndex]!.slo as SloBasis, {
          ttftSeconds: first - r.arrivalSeconds,
          tpotSeconds: r.outputTokens > 1 ? (finish - first) / (r.outputTokens - 1) : null,
          e2eSeconds: finish - r.arrivalSeconds,
        });
        sloWindowAll++;
        if (ok) sloWindowMet++;
      },
      onItl: (classIndex, gap, count) => recorder.recordItl(classIndex, gap, count),
      onItlRepeated: (classIndex, gaps, counts, repeats) =>
        recorder.recordItlRepeated(classIndex, gaps, counts, repeats),
      onDrop(request, now, reason) {
        recorder.recordDrop(request.classIndex, request.arrivalSeconds, reason);
        sloWindowAll++;
        series.add('droppedRequests', 1, now);
      },
      onRetry: (request) => recorder.recordRetry(request.classIndex, request.arrivalSeconds),
      onWorkStart(i, now, time) {
        // The power model at each work start, no memo: most step times are new objects (prefill
        // shapes, decode times rebuilt from the step-model memo), so a memo keyed by them missed.
        const pw =
          capWatts === undefined
            ? replicaPower(
                isDecode(i) ? decodePrepared! : prepared,
                activityOf(time),
                system,
                d.pue,
              )
            : powerOf(i, time).power;
        setPower(i, pw.chipWatts, pw.nodeWatts, now);
      },
      onIterations(i, start, duration, _n, time) {
        meters[i]!.addIteration(
          start,
          duration,
          (time.flopsPerGpu * duration) / Math.max(1e-12, time.seconds),
          (time.bytesPerGpu * duration) / Math.max(1e-12, time.seconds),
          gprOf(i),
        );
      },
      onIdle: (i, now) => setPower(i, idleOf(i).chipWatts, idleOf(i).nodeWatts, now),
      onReplicaUp(i, up, now) {
        availability.setUp(i, up, now);
        if (!up) setPower(i, idleOf(i).chipWatts, idleOf(i).nodeWatts, now);
        if (scaling) {
          slotFailed[i] = !up;
          slotChanged(now);
        } else series.set('replicasUp', availability.numUp(), now);
      },
      // Off: accelerators released, no power; starting (model load) and serving: idle power
      // until the replica has work.
      onProvisioned(i, state, now) {
        slotState[i] = state;
        if (state === 'off') setPower(i, 0, 0, now);
        else setPower(i, idleOf(i).chipWatts, idleOf(i).nodeWatts, now);
        slotChanged(now);
      },
      onSample(now, state) {
        let running = 0;
        let waiting = 0;
        let used = 0;
        let total = 0;
        state.replicas.forEach((rep, i) => {
          const kv = rep.scheduler.kv;
          const usedBlocks = kv.numUsedBlocks();
          running += rep.scheduler.numRunning;
          waiting += rep.scheduler.numWaiting;
          used += usedBlocks;
          total += kv.numTotalBlocks;
          meters[i]!.setKvOccupancy(usedBlocks / Math.max(1, kv.numTotalBlocks), now);
        });
        series.set('runningRequests', running, now);
        series.set('waitingRequests', waiting, now);
        series.set('kvOccupancy', total > 0 ? used / total : 0, now);
        series.set('inSystemRequests', state.numInSystem, now);
        if (now > 0) {
          sloIntervals.push({ met: sloWindowMet, all: sloWindowAll });
          sloWindowMet = 0;
          sloWindowAll = 0;
        }
      },
      ...(d.onProgress ? { onProgress: (now: number) => d.onProgress!(now / end) } : {}),
    },
  });

  const metrics = recorder.finish();
  const windowSeconds = end - warm;
  const meanProvisioned = provisionedMeter.energyBetweenJoules(warm, end) / windowSeconds;
  const pooled = combineUtilization(meters.map((m) => m.finish()));
  // Autoscaled: allocation = provisioned GPU-time ÷ installed (maxReplicas) GPU-time; busy
  // share, MFU and MBU stay shares of the installed GPUs' time.
  const utilization = scaling
    ? { ...pooled, allocationShare: meanProvisioned / scaling.maxReplicas }
    : pooled;
  const chipJ = chipMeter.energyBetweenJoules(warm, end);
  const nodeJ = nodeMeter.energyBetweenJoules(warm, end);
  const facilityJ = nodeJ * d.pue;
  const trackerReport = availability.report(end);
  const provisionedSeconds = provisionedMeter.energyBetweenJoules(0, end);
  const avail: AvailabilityReport = scaling
    ? {
        ...trackerReport,
        meanCapacityFraction:
          provisionedSeconds > 0
            ? 1 - failedProvisionedMeter.energyBetweenJoules(0, end) / provisionedSeconds
            : 0,
      }
    : trackerReport;
  // Service availability: share of intervals with capacity up and ≥ 99% of the requests that
  // ended in them meeting their SLOs (the p99 reading of the targets); empty intervals count
  // as meeting them.
  const steps = avail.capacitySteps;
  const upAt = (t: number): number => {
    let n = numReplicas;
    for (const s of steps) if (s.atSeconds <= t) n = s.numUp;
    return n;
  };
  let okIntervals = 0;
  let measuredIntervals = 0;
  sloIntervals.forEach((iv, k) => {
    const t = (k + 1) * d.intervalSeconds;
    if (t <= warm) return;
    measuredIntervals++;
    if (upAt(t) >= minUp && (iv.all === 0 || iv.met / iv.all >= 0.99)) okIntervals++;
  });
  const kvStats = allKvCaches
    .map((k) => k.stats())
    .reduce((a, b) => ({
      lookupTokens: a.lookupTokens + b.lookupTokens,
      hitTokens: a.hitTokens + b.hitTokens,
      offloadHitTokens: a.offloadHitTokens + b.offloadHitTokens,
      evictedBlocks: a.evictedBlocks + b.evictedBlocks,
      offloadedBlocks: a.offloadedBlocks + b.offloadedBlocks,
      numCachedBlocks: 0,
    }));
  kvStats.numCachedBlocks = currentKvCaches.reduce((a, k) => a + k.stats().numCachedBlocks, 0);
  // Overload: the waiting queue at the end far above its level early in the window means the
  // offered load exceeds what the fleet serves (the run is not in steady state).
  const timeSeries = series.finish(end);
  const waiting = timeSeries.series.waitingRequests ?? [];
  const firstMeasured = Math.min(waiting.length - 1, Math.ceil(warm / d.intervalSeconds));
  const early = waiting.slice(
    firstMeasured,
    Math.max(firstMeasured + 1, Math.floor(waiting.length / 2)),
  );
  const earlyMean = early.length ? early.reduce((a, b) => a + b, 0) / early.length : 0;
  const lastWaiting = waiting.at(-1) ?? 0;
  if (lastWaiting > 10 && lastWaiting > 2 * earlyMean)
    warnings.push(
      `the waiting queue grew through the run (${lastWaiting.toFixed(0)} waiting in the last interval against ${earlyMean.toFixed(0)} on average early in the window): the offered load exceeds the fleet's capacity; ${counters.numInFlightAtEnd} requests were unfinished at the end and their latencies are not in the figures`,
    );
  if (counters.numRejected > 0)
    warnings.push(
      `${counters.numRejected} requests were rejected on arrival: their prompt exceeds the iteration budget (maxNumBatchedTokens ${engine.maxNumBatchedTokens}${engine.chunkedPrefill ? '' : ', chunked prefill off'}), the replica's whole KV cache, or the model's context window; they count as dropped`,
    );
  const total = metrics.total;
  if (total.numCompleted === 0) warnings.push('no request finished inside the measurement window');

  const outputPerSecond = total.outputTokensPerSecond;
  const goodTokens = total.tokenGoodputTokensPerSecond;
  const meanChip = chipJ / windowSeconds;
  const meanNode = nodeJ / windowSeconds;
  const meanFacility = facilityJ / windowSeconds;
  const basis = (o: Partial<Basis> & Pick<Basis, 'boundary'>): Basis => ({
    model: dep.model.id,
    precision: dep.precisionLabel,
    workload: d.classes.map((c) => c.name).join(' + '),
    slo: sloOf(d.classes),
    utilization: `busy ${(100 * utilization.busyShare).toFixed(0)}%, ${dec ? `${d.replicas} prefill + ${dec.replicas} decode replicas` : scaling ? `${scaling.minReplicas}…${scaling.maxReplicas} replicas autoscaled, ${meanProvisioned.toFixed(1)} provisioned on average` : `${d.replicas} replicas`}`,
    currencyYear: 'n/a',
    provenance: 'modeled',
    source: `serving twin; catalog ${d.catalogVersion}; calibration ${d.calibrationKey}; scenario ${scenario.name} seed ${d.seed}`,
    ...o,
  });
  const modelFlopsPerSecond = utilization.modelFlops / windowSeconds;
  const scorecard: Metric[] = [
    { name: 'token goodput', value: goodTokens, unit: 'tok/s', basis: basis({ boundary: 'n/a' }) },
    {
      name: 'output throughput',
      value: outputPerSecond,
      unit: 'tok/s',
      basis: basis({ boundary: 'n/a' }),
    },
    {
      name: 'tokens per joule',
      value: meanFacility > 0 ? outputPerSecond / meanFacility : 0,
      unit: 'tok/J',
      basis: basis({ boundary: 'facility', powerKind: 'drawn' }),
    },
    {
      name: 'tokens per joule',
      value: meanChip > 0 ? outputPerSecond / meanChip : 0,
      unit: 'tok/J',
      basis: basis({ boundary: 'chip', powerKind: 'drawn' }),
    },
    {
      name: 'tokens per MW',
      value: meanFacility > 0 ? outputPerSecond / (meanFacility / 1e6) : 0,
      unit: 'tok/s per MW',
      basis: basis({ boundary: 'facility', powerKind: 'drawn' }),
    },
    {
      name: 'performance per watt',
      value: meanNode > 0 ? modelFlopsPerSecond / meanNode : 0,
      unit: 'FLOP/s per W',
      basis: basis({ boundary: 'node', powerKind: 'drawn' }),
    },
    {
      name: 'busy share',
      value: utilization.busyShare,
      unit: 'fraction',
      basis: basis({ boundary: 'replica' }),
    },
    { name: 'MFU', value: utilization.mfu, unit: 'fraction', basis: basis({ boundary: 'gpu' }) },
    { name: 'MBU', value: utilization.mbu, unit: 'fraction', basis: basis({ boundary: 'gpu' }) },
    {
      name: 'SLO attainment',
      value: total.sloAttainment ?? 0,
      unit: 'fraction',
      basis: basis({ boundary: 'n/a' }),
    },
    {
      name: 'availability (capacity)',
      value: avail.capacityAvailability,
      unit: 'fraction',
      basis: basis({ boundary: 'n/a', utilization: `≥ ${minUp} of ${numReplicas} replicas up` }),
    },
    // Tail latency per class, each with that class's workload and SLOs as its basis.
    ...metrics.classes.flatMap((c, i) => {
      const classBasis = basis({
        boundary: 'n/a',
        workload: c.name,
        slo: Object.keys(d.classes[i]!.slo).length ? (d.classes[i]!.slo as SloBasis) : 'none',
      });
      const tail: [string, number | null][] = [
        [`TTFT p99 (${c.name})`, c.ttft.p99Seconds],
        [`TPOT p99 (${c.name})`, c.tpot.p99Seconds],
      ];
      return tail
        .filter((t): t is [string, number] => t[1] !== null)
        .map(([name, value]) => ({ name, value, unit: 's', basis: classBasis }));
    }),
  ];

  return {
    name: d.name,
    model: dep.model.id,
    accelerator: dep.accelerator.id,
    system: system?.id ?? 'n/a',
    precision: dep.precisionLabel,
    engine: engine.name,
    router: d.routerName,
    plan: {
      ...dep.parallel,
      gpusPerReplica: gpr,
      replicas: d.replicas,
      gpus: gpr * numEntry + decodeGpr * (dec?.replicas ?? 0),
    },
    ...(dec
      ? {
          decode: {
            plan: {
              ...dec.prepared.deployment.parallel,
              gpusPerReplica: decodeGpr,
              replicas: dec.replicas,
            },
            kvBlocksPerReplica: dec.kvBlocksPerReplica,
            kvTransfer: {
              link: dec.link.kind,
              bytesPerSecondPerGpu: dec.link.bytesPerSecondPerGpu,
              latencySeconds: dec.link.latencySeconds,
            },
          },
        }
      : {}),
    calibration: { key: d.calibrationKey, source: d.calibrationSource },
    kvBlocksPerReplica: d.kvBlocksPerReplica,
    classes: d.classes.map((c) => c.name),
    counters,
    metrics,
    utilization,
    energy: {
      windowSeconds,
      meanPowerWatts: { chip: meanChip, node: meanNode, facility: meanFacility },
      energyJoules: { chip: chipJ, node: nodeJ, facility: facilityJ },
      pue: d.pue,
    },
    kvCache: {
      ...kvStats,
      hitRate: kvStats.lookupTokens > 0 ? kvStats.hitTokens / kvStats.lookupTokens : null,
    },
    availability: {
      ...avail,
      serviceAvailabilityBySlo: measuredIntervals ? okIntervals / measuredIntervals : null,
    },
    ...(scaling
      ? {
          autoscaling: {
            policy: SCENARIO_AUTOSCALER_POLICY,
            minReplicas: scaling.minReplicas,
            maxReplicas: scaling.maxReplicas,
            scaleOuts: counters.numScaleOuts,
            scaleIns: counters.numScaleIns,
            meanProvisionedReplicas: meanProvisioned,
            series: scalingSteps,
          },
        }
      : {}),
    workload: {
      classes: workload.classSources.map((s, i) => ({
        name: d.classes[i]!.name,
        counters: { ...s.counters() },
      })),
    },
    timeSeries,
    scorecard,
    warnings,
  };
}

/** `src` with every request entering the fleet `delaySeconds` after it was sent. */
function delayedSource(src: WorkloadSource, delaySeconds: number): WorkloadSource {
  if (delaySeconds <= 0) return src;
  return {
    peekSeconds: () => {
      const t = src.peekSeconds();
      return t === undefined ? undefined : t + delaySeconds;
    },
    next: () => src.next(),
    onComplete: (request, nowSeconds, ok) =>
      src
        .onComplete(request, nowSeconds, ok)
        .map((f) => ({ atSeconds: f.atSeconds + delaySeconds, request: f.request })),
  };
}

/** The SLO basis of a deployment's classes: the one class's SLOs, or `none` when they differ. */
function sloOf(classes: readonly WorkloadClass[]): SloBasis | 'none' {
  if (classes.length !== 1) return 'none';
  const s = classes[0]!.slo;
  return Object.keys(s).length ? (s as SloBasis) : 'none';
}

/** The twin's scheduler of one replica (sim/scheduler/config.ts). */
const schedulerConfig = (p: PreparedDeployment): SchedulerConfig =>
  schedulerConfigFor(p.deployment);
