/**
 * One scenario's deployment put on several catalog systems side by side: for each system the
 * planner's chosen plan and its throughput–interactivity frontier (analytical estimate), each
 * point with its cost per 1M output tokens and output tok/s per provisioned facility MW. The
 * HTTP API's `POST /api/frontier` (dashboard chart) is this function. Pure.
 *
 * Each system gets the scenario's deployment with the same model, precision, engine settings and
 * workload classes, sized to one system and planned by the planner (`parallelism: auto`), so the
 * systems are compared on equal terms rather than on a plan stated for another system.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Basis } from '../core/basis.js';
import { AifError, ERROR_CODES, isAifError, type ErrorIssue } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import {
  inferencexTokensPerSecondPerMw,
  inferencexUsdPerMillionTokens,
} from '../econ/inferencex.js';
import type { CalibrationTable } from '../perf/calibration.js';
import type { Scenario } from '../scenario/index.js';
import { costFromEstimate } from './cost.js';
import { estimateScenario } from './estimate.js';

/** At most this many systems per request: each costs one estimate with a plan search. */
export const MAX_FRONTIER_SYSTEMS = 8;

export interface SystemFrontierPoint {
  systemId: string;
  /** The planner's plan on this system, e.g. `tp4 pp1 ep1 dp1`. */
  plan: string;
  concurrencyPerReplica: number;
  /** Interactivity, 1/TPOT. */
  tokensPerSecondPerUser: number;
  outputTokensPerSecondPerGpu: number;
  /**
   * All-in USD per GPU-hour at the scenario's operating point ÷ output tokens per GPU-hour at
   * this point (every GPU-hour charged to output tokens); null when the scenario's economics
   * cannot be priced (the reason is in `notes`).
   */
  costPerMillionOutputTokensUsd: number | null;
  /** Output tok/s per MW of provisioned facility power; null without a PUE in the scenario. */
  tokensPerSecondPerMw: number | null;
  basis: Basis;
}

export interface SystemFrontierReport {
  kind: 'aifactory.frontier';
  scenario: { name: string; seed: number; hash: string };
  deployment: string;
  className: string;
  points: SystemFrontierPoint[];
  /** Systems with no frontier (model does not fit, precision unsupported, …) and why. */
  skipped: { systemId: string; reason: string }[];
  /** Per-system remarks (e.g. why a cost is missing). */
  notes: string[];
  assumptions: string[];
}

export interface SystemFrontierOptions {
  /** Deployment to move (default: the scenario's first). */
  deployment?: string;
  /** Workload class whose frontier is reported (default: the deployment's first). */
  className?: string;
}

const firstLine = (e: AifError): string => e.message.split('\n')[0] ?? e.message;

/**
 * The scenario reduced to `deploymentName` on `systemId`: one system, planner-chosen plan, the
 * classes that deployment serves; pool-level features (disaggregation, autoscaling, spares,
 * power caps) are dropped because they are stated for the original system.
 */
function onSystem(scenario: Scenario, deploymentName: string, systemId: string): Scenario {
  const d = scenario.deployments.find((x) => x.name === deploymentName)!;
  const only = scenario.deployments.length === 1;
  const {
    replicas: _replicas,
    disaggregation: _disaggregation,
    autoscaler: _autoscaler,
    spares: _spares,
    powerCapWatts: _powerCapWatts,
    ...rest
  } = d;
  return {
    ...scenario,
    deployments: [{ ...rest, system: systemId, parallelism: 'auto', systems: 1 }],
    workload: {
      ...scenario.workload,
      classes: scenario.workload.classes
        .filter((c) => c.deployment === deploymentName || (only && c.deployment === undefined))
        .map(({ deployment: _deployment, ...c }) => c),
    },
  };
}

/**
 * The frontier of `scenario`'s deployment on each of `systemIds`.
 * @throws AifError E_INVALID_ARGUMENT for an unknown system id, deployment or class, or more
 *   than {@link MAX_FRONTIER_SYSTEMS} systems.
 */
export function systemFrontiers(
  scenario: Scenario,
  systemIds: readonly string[],
  catalog: Catalog,
  calibration: CalibrationTable,
  options: SystemFrontierOptions = {},
): SystemFrontierReport {
  const issues: ErrorIssue[] = systemIds.flatMap((id, i) =>
    catalog.systems.has(id)
      ? []
      : [
          {
            path: `systems.${i}`,
            message: `unknown system '${id}'`,
            value: id,
            expected: 'a catalog system id (GET /api/catalog, `aifactory catalog list systems`)',
          },
        ],
  );
  if (systemIds.length === 0 || systemIds.length > MAX_FRONTIER_SYSTEMS)
    issues.push({
      path: 'systems',
      message: `${systemIds.length} systems`,
      value: systemIds.length,
      expected: `1 to ${MAX_FRONTIER_SYSTEMS} system ids`,
    });
  const deployment = options.deployment ?? scenario.deployments[0]?.name;
  if (!scenario.deployments.some((d) => d.name === deployment))
    issues.push({
      path: 'deployment',
      message: `no deployment '${deployment}'`,
      value: deployment,
      expected: `one of: ${scenario.deployments.map((d) => d.name).join(', ')}`,
    });
  if (issues.length)
    throw new AifError(ERROR_CODES.INVALID_ARGUMENT, 'systemFrontiers: bad selection', issues);

  const points: SystemFrontierPoint[] = [];
  const skipped: SystemFrontierReport['skipped'] = [];
  const notes: string[] = [];
  let className = options.className;
  for (const systemId of systemIds) {
    const variant = onSystem(scenario, deployment!, systemId);
    let report;
    try {
      report = estimateScenario(variant, catalog, calibration);
    } catch (e) {
      if (!isAifError(e)) throw e;
      skipped.push({ systemId, reason: firstLine(e) });
      continue;
    }
    const d = report.deployments[0]!;
    className ??= d.classes[0]?.className;
    const c = d.classes.find((x) => x.className === className);
    if (!c)
      throw new AifError(ERROR_CODES.INVALID_ARGUMENT, 'systemFrontiers: bad selection', [
        {
          path: 'className',
          message: `deployment '${deployment}' serves no class '${className}'`,
          value: className,
          expected: `one of: ${d.classes.map((x) => x.className).join(', ')}`,
        },
      ]);
    if (!d.memory.fits || c.frontier.length === 0) {
      skipped.push({ systemId, reason: d.memory.reason ?? 'no feasible operating point' });
      continue;
    }
    let usdPerGpuHour: number | undefined;
    try {
      const cost = costFromEstimate(report, { scenario: variant, catalog });
      usdPerGpuHour = cost.deployments[0]?.points.find((p) => p.name === className)?.usdPerGpuHour
        .value;
    } catch (e) {
      if (!isAifError(e)) throw e;
      notes.push(`${systemId}: no cost (${firstLine(e)})`);
    }
    const provisioned = c.power.provisionedFacilityWattsPerReplica?.value;
    const kwPerGpu =
      provisioned === undefined ? undefined : provisioned / d.plan.gpusPerReplica / 1000;
    const plan = `tp${d.plan.tp} pp${d.plan.pp} ep${d.plan.ep} dp${d.plan.attnDp}`;
    for (const f of c.frontier) {
      const perGpu = f.outputTokensPerSecondPerGpu.value;
      const b = f.outputTokensPerSecondPerGpu.basis;
      points.push({
        systemId,
        plan,
        concurrencyPerReplica: f.concurrencyPerReplica,
        tokensPerSecondPerUser: f.outputTokensPerSecondPerUser.value,
        outputTokensPerSecondPerGpu: perGpu,
        costPerMillionOutputTokensUsd:
          usdPerGpuHour !== undefined && perGpu > 0
            ? inferencexUsdPerMillionTokens(usdPerGpuHour, perGpu)
            : null,
        tokensPerSecondPerMw:
          kwPerGpu !== undefined && kwPerGpu > 0
            ? inferencexTokensPerSecondPerMw(perGpu, kwPerGpu)
            : null,
        basis: { ...b, source: `${b.source}; ${systemId} ${plan} (planner)` },
      });
    }
  }
  return {
    kind: 'aifactory.frontier',
    scenario: { name: scenario.name, seed: scenario.seed, hash: contentHash(scenario) },
    deployment: deployment!,
    className: className ?? '',
    points,
    skipped,
    notes,
    assumptions: [
      'each system runs the deployment sized to one system with the planner-chosen plan; disaggregation, autoscaling, spares and power caps of the scenario are not carried over',
      'cost per 1M output tokens = all-in USD per GPU-hour at the scenario’s operating point ÷ output tokens per GPU-hour at the frontier point (every GPU-hour charged to output tokens; energy at the operating point’s power)',
      'tok/s per MW = output tok/s per GPU ÷ provisioned facility kW per GPU (nameplate × PUE)',
    ],
  };
}
