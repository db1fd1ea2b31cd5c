/**
 * The throughput–interactivity envelope of a model on a system over every feasible parallel
 * plan (InferenceX-style: the best output tok/s per GPU at ≥ a given tok/s per user), from the
 * analytical estimate. Used by `claims validate` (both sides of a claim) and `plan` (a
 * system's tokens/s at a workload's SLO). Pure.
 */
import type { Catalog } from '../catalog/catalog.js';
import { isAifError } from '../core/errors.js';
import type { CalibrationTable } from '../perf/calibration.js';
import { parseScenarioObject, type EngineName, type Scenario } from '../scenario/index.js';
import { estimateScenario } from './estimate.js';

const CONCURRENCIES = [
  1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048,
];

/** One frontier point of one plan: interactivity (tok/s per user), output tok/s per GPU, TTFT. */
export interface EnvelopePoint {
  interactivity: number;
  tokensPerSecondPerGpu: number;
  ttftSeconds: number;
  plan: string;
}

/** A system's throughput–interactivity envelope over its feasible plans. */
export interface SideCurve {
  points: EnvelopePoint[];
  /** Provisioned facility watts per GPU (nameplate × PUE). */
  provisionedWattsPerGpu: number;
  plans: string[];
}

/** The hardware side of an envelope: a catalog system, a precision, optional speculation. */
export interface SideSpec {
  systemId: string;
  precision: string;
  speculative?: { drafter: string; draftTokens: number };
}

const PLAN_LABEL = /^tp(\d+) pp(\d+) ep(\d+) dp(\d+)$/;

function scenarioFor(
  side: SideSpec,
  modelId: string,
  workload: { inputTokens: number; outputTokens: number },
  engine: EngineName,
  pue: number,
  parallelism: unknown,
): Scenario {
  return parseScenarioObject(
    {
      name: `envelope: ${modelId} on ${side.systemId} (${side.precision})`,
      seed: 1,
      site: { pue },
      deployments: [
        {
          name: 'side',
          model: modelId,
          system: side.systemId,
          precision: side.precision,
          parallelism,
          systems: 1,
          engine: { name: engine },
          ...(side.speculative ? { speculative: side.speculative } : {}),
        },
      ],
      workload: {
        classes: [
          {
            name: 'fixed',
            kind: 'request',
            arrivals: { process: 'closed-loop', concurrency: 1 },
            inputTokens: workload.inputTokens,
            outputTokens: workload.outputTokens,
            slo: {},
          },
        ],
      },
      estimate: { concurrencyPerReplica: CONCURRENCIES },
    },
    'throughput envelope',
  );
}

/** Pareto envelope: sorted by interactivity descending, throughput strictly rising. */
export function envelope(points: EnvelopePoint[]): EnvelopePoint[] {
  const sorted = [...points].sort(
    (a, b) =>
      b.interactivity - a.interactivity || b.tokensPerSecondPerGpu - a.tokensPerSecondPerGpu,
  );
  const out: EnvelopePoint[] = [];
  for (const p of sorted)
    if (!out.length || p.tokensPerSecondPerGpu > out[out.length - 1]!.tokensPerSecondPerGpu)
      out.push(p);
  return out;
}

/**
 * Best tok/s per GPU at interactivity ≥ level: linear between the envelope points around the
 * level; the saturated point below the curve's lowest interactivity; undefined above its highest.
 */
export function throughputAt(env: readonly EnvelopePoint[], level: number): number | undefined {
  if (!env.length || level > env[0]!.interactivity) return undefined;
  for (let i = 0; i < env.length - 1; i++) {
    const hi = env[i]!;
    const lo = env[i + 1]!;
    if (level <= hi.interactivity && level >= lo.interactivity) {
      const t = (hi.interactivity - level) / (hi.interactivity - lo.interactivity);
      return hi.tokensPerSecondPerGpu + t * (lo.tokensPerSecondPerGpu - hi.tokensPerSecondPerGpu);
    }
  }
  return env[env.length - 1]!.tokensPerSecondPerGpu;
}

/**
 * The envelope of `modelId` on `side.systemId`: every feasible plan of one system (the
 * planner's search), each plan's frontier over CONCURRENCIES from the analytical estimate,
 * and the Pareto envelope of all points; `maxTtftSeconds` drops points slower to first token.
 */
export function throughputEnvelope(
  side: SideSpec,
  modelId: string,
  workload: { inputTokens: number; outputTokens: number },
  engine: EngineName,
  pue: number,
  catalog: Catalog,
  calibration: CalibrationTable,
  maxTtftSeconds = Infinity,
): SideCurve | { error: string } {
  let auto;
  try {
    auto = estimateScenario(
      scenarioFor(side, modelId, workload, engine, pue, 'auto'),
      catalog,
      calibration,
    );
  } catch (e) {
    if (isAifError(e)) return { error: e.message.split('\n')[0] ?? e.message };
    throw e;
  }
  const plans = (auto.deployments[0]?.planSearch?.candidates ?? [])
    .filter((c) => c.feasible)
    .map((c) => c.plan);
  const points: EnvelopePoint[] = [];
  let provisionedWattsPerGpu = Number.NaN;
  for (const plan of plans) {
    const m = PLAN_LABEL.exec(plan);
    if (!m) continue;
    const parallelism = { tp: +m[1]!, pp: +m[2]!, ep: +m[3]!, attnDp: +m[4]! };
    let report;
    try {
      report = estimateScenario(
        scenarioFor(side, modelId, workload, engine, pue, parallelism),
        catalog,
        calibration,
      );
    } catch (e) {
      if (isAifError(e)) continue;
      throw e;
    }
    const d = report.deployments[0]!;
    const c = d.classes[0];
    if (!c) continue;
    const watts = c.power.provisionedFacilityWattsPerReplica?.value;
    if (watts !== undefined) provisionedWattsPerGpu = watts / d.plan.gpusPerReplica;
    for (const f of c.frontier)
      if (f.ttftSeconds.value <= maxTtftSeconds)
        points.push({
          interactivity: f.outputTokensPerSecondPerUser.value,
          tokensPerSecondPerGpu: f.outputTokensPerSecondPerGpu.value,
          ttftSeconds: f.ttftSeconds.value,
          plan,
        });
  }
  if (!points.length) return { error: `no feasible plan on ${side.systemId} fits ${modelId}` };
  return { points: envelope(points), provisionedWattsPerGpu, plans };
}
