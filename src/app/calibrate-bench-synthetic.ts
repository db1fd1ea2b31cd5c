/**
 * A bench report made by the model itself: for known calibration parameters, the steady state
 * of the scenario's deployment at each concurrency (or Poisson rate) written in the shape of an
 * `aifactory bench --report` file (the fields `calibrateFromBench` reads). For round-trip tests
 * of the fit and for trying the calibration commands without an endpoint; never a measurement
 * (`target.baseUrl` says `synthetic:`). Pure.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { CalibrationParams, CalibrationTable } from '../perf/calibration.js';
import type { Scenario } from '../scenario/index.js';
import { benchDeployment, stagePoint, type BenchReportSubset } from './calibrate-bench.js';

export interface SyntheticBenchOptions {
  scenario: Scenario;
  catalog: Catalog;
  /** Table the deployment's plan is resolved with (when the scenario leaves it to the planner). */
  table: CalibrationTable;
  /** The "true" parameters the report is generated from. */
  params: CalibrationParams;
  /** Closed-loop stages: clients fleet-wide. */
  concurrencies?: readonly number[];
  /** Poisson stages: requests per second fleet-wide. */
  poissonRates?: readonly number[];
  deployment?: string;
  /** Served model name (default: the model's first hfId, else its id). */
  servedModel?: string;
  /** Ok requests per stage (default 200). */
  requestsPerStage?: number;
}

/** The synthetic report (a JSON-ready object). */
export function syntheticBenchReport(o: SyntheticBenchOptions): BenchReportSubset {
  const d = benchDeployment(o.scenario, o.catalog, o.table, o.deployment);
  const shape = d.shapes[0]!;
  const request = shape.request;
  const ok = o.requestsPerStage ?? 200;
  const loads = [
    ...(o.concurrencies ?? []).map((load) => ({ arrivals: 'closed-loop' as const, load })),
    ...(o.poissonRates ?? []).map((load) => ({ arrivals: 'poisson' as const, load })),
  ];
  const stages = loads.map((l, stage) => {
    const p = stagePoint(d, { ...l, request }, o.params, shape.thinkSeconds);
    const s = p.state;
    // Little's law: calls in flight per replica ÷ E2E, over the replicas.
    const rps =
      l.arrivals === 'poisson' ? l.load : (p.concurrencyPerReplica / s.e2eSeconds) * d.replicas;
    const summary = (mean: number) => ({ count: ok, meanSeconds: mean });
    return {
      stage,
      label: l.arrivals === 'poisson' ? `poisson ${l.load} req/s` : `concurrency ${l.load}`,
      offeredLoad: l.load,
      offeredLoadUnit:
        l.arrivals === 'poisson' ? ('requests/s' as const) : ('concurrency' as const),
      windowSeconds: ok / rps,
      counts: { requests: ok, ok, failed: 0 },
      throughput: {
        requestsPerSecond: rps,
        inputTokensPerSecond: rps * request.inputTokens,
        outputTokensPerSecond: rps * request.outputTokens,
      },
      latency: {
        ttft: summary(s.ttftSeconds),
        perRequestGap: summary(s.tpotSeconds),
        e2e: summary(s.e2eSeconds),
      },
      tokens: { outputTokens: ok * request.outputTokens },
      flags: [],
    };
  });
  return {
    kind: 'aifactory.bench',
    version: 1,
    target: {
      baseUrl: 'synthetic:model',
      api: 'chat',
      model: o.servedModel ?? d.model.hfIds[0] ?? d.model.id,
    },
    convention: 'aifactory',
    stages,
  };
}
