/**
 * Use case behind `serve-sim`: one deployment of a scenario as a twin driven from outside —
 * requests are injected as they arrive and tokens reported as the simulated replicas sample
 * them. Pure: the HTTP edge (server/serve-sim.ts) owns the clock and the sockets.
 *
 * What it simulates: the deployment's replicas with its plan, engine settings, KV pool (prefix
 * caching as configured) and router, step times from the calibrated model. Left out here (the
 * batch `run` has them): failures, autoscaling, disaggregated pools, KV offload tiers; decode
 * jumps are off so every token has its own time.
 */
import type { Catalog } from '../catalog/catalog.js';
import { AifError, ERROR_CODES } from '../core/errors.js';
import { resolveCalibration, type CalibrationTable } from '../perf/calibration.js';
import { prepareDeployment } from '../perf/costs.js';
import { memoryFit } from '../perf/memory.js';
import { createKvCacheManager } from '../sim/kv/index.js';
import { createRouter } from '../sim/router/index.js';
import { schedulerConfigFor } from '../sim/scheduler/config.js';
import type { Sequence } from '../sim/scheduler/scheduler.js';
import { createStepModel } from '../sim/step-model.js';
import { createTwin, type Twin } from '../sim/twin.js';
import { resolveScenario, type Scenario } from '../scenario/index.js';
import { choosePlan, chosenDeployment } from './estimate.js';

export interface LiveTwinHooks {
  onToken(seq: Sequence, count: number, nowSeconds: number): void;
  onCompletion(seq: Sequence, finishSeconds: number): void;
  onDrop(requestId: number, nowSeconds: number): void;
}

export interface LiveTwin {
  twin: Twin;
  deployment: string;
  model: string;
  /** Calibrated time outside the engine (HTTP, tokenization) before a request enters, seconds. */
  requestOverheadSeconds: number;
  replicas: number;
}

/** Longest simulated time a live twin runs (a week): it serves until the process stops. */
const LIVE_HORIZON_SECONDS = 7 * 24 * 3600;

/**
 * The scenario's deployment `name` (or its only one) as a live twin.
 * @throws AifError E_INVALID_ARGUMENT when the deployment is ambiguous or unknown, or uses a
 *   feature the live twin leaves out (disaggregation, autoscaling); the resolver's errors.
 */
export function createLiveTwin(
  scenario: Scenario,
  catalog: Catalog,
  calibration: CalibrationTable,
  hooks: LiveTwinHooks,
  name?: string,
): LiveTwin {
  const resolved = resolveScenario(scenario, catalog);
  const names = resolved.deployments.map((d) => d.name);
  const index = name === undefined ? (names.length === 1 ? 0 : -1) : names.indexOf(name);
  if (index < 0)
    throw new AifError(
      ERROR_CODES.INVALID_ARGUMENT,
      name === undefined
        ? `the scenario has ${names.length} deployments: name one (${names.join(', ')})`
        : `no deployment '${name}' (have: ${names.join(', ')})`,
    );
  const r = resolved.deployments[index]!;
  const config = scenario.deployments[index]!;
  for (const [field, present] of [
    ['disaggregation', config.disaggregation !== undefined],
    ['autoscaler', config.autoscaler !== undefined],
  ] as const)
    if (present)
      throw new AifError(
        ERROR_CODES.INVALID_ARGUMENT,
        `serve-sim does not simulate ${field}: use \`aifactory run\` for it`,
        [
          {
            path: `${r.path}.${field}`,
            message: 'not simulated by serve-sim',
            value: field,
            expected: 'a deployment without it',
          },
        ],
      );
  const chosen = choosePlan(r, config, scenario, catalog, calibration);
  const deployment = chosenDeployment(r, chosen, []);
  const prepared = prepareDeployment(deployment, catalog.formats);
  const memory = memoryFit(prepared);
  if (!memory.fits)
    throw new AifError(ERROR_CODES.SCENARIO_INVALID, `deployment ${r.name} does not fit`, [
      {
        path: r.path,
        message: `does not fit in memory: ${memory.reason ?? 'no KV room'}`,
        value: r.name,
        expected: 'a plan whose weights leave KV-cache room',
      },
    ]);
  const cal = resolveCalibration(
    calibration,
    deployment.accelerator,
    deployment.engine.name,
    deployment.model,
  );
  const kvBlocks = memory.kvBlocksPerRank * chosen.plan.attnDp;
  const twin = createTwin({
    numReplicas: chosen.replicas,
    scheduler: schedulerConfigFor(deployment),
    createKvCache: () =>
      createKvCacheManager({
        numTotalBlocks: kvBlocks,
        blockSizeTokens: deployment.engine.blockSizeTokens,
        prefixCaching: deployment.engine.prefixCaching,
      }),
    stepModel: createStepModel(prepared, cal.params),
    router: createRouter(config.router ?? 'least-outstanding-tokens'),
    // Requests come from `inject`: the source is empty.
    workload: { peekSeconds: () => undefined, next: () => undefined, onComplete: () => [] },
    durationSeconds: LIVE_HORIZON_SECONDS,
    seed: scenario.seed,
    decodeJumps: false,
    observer: {
      onToken: hooks.onToken,
      onCompletion: hooks.onCompletion,
      onDrop: (request, now) => hooks.onDrop(request.id, now),
    },
  });
  return {
    twin,
    deployment: r.name,
    model: deployment.model.id,
    requestOverheadSeconds: cal.params.requestOverheadSeconds,
    replicas: chosen.replicas,
  };
}
