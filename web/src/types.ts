/**
 * JSON shapes the dashboard reads. Result types come straight from the engine (type-only
 * imports: nothing of `src/` is bundled), so a change of a result's shape fails the dashboard's
 * type check; the HTTP envelope types follow docs/api.md.
 */
export type { Basis, Metric, BasisDifference } from '../../src/core/basis.js';
export type { SimResult, SimDeploymentResult } from '../../src/app/simulate.js';
export type {
  EstimateReport,
  DeploymentEstimate,
  ClassEstimate,
  PowerReport,
  FrontierPoint,
} from '../../src/app/estimate.js';
export type { CostReport, DeploymentCost, OperatingPointCost } from '../../src/app/cost.js';
export type { CompareResult, MetricComparison } from '../../src/compare/compare.js';
export type { PlanReport, PlanPeriodRow } from '../../src/app/plan.js';
export type { BuildVsRentResult } from '../../src/app/build-vs-rent.js';
export type { Claim } from '../../src/compare/claims.js';
export type { ClaimValidation, ClaimTableRow } from '../../src/app/claims.js';
export type { LatencySummary } from '../../src/sim/metrics/histogram.js';
export type { TimeSeriesResult } from '../../src/sim/metrics/timeseries.js';
export type { SweepResult, SweepPointResult } from '../../src/sweep/run.js';
export type { CapacitySearch } from '../../src/sweep/strategies.js';
export type {
  SystemFrontierReport as FrontierResponse,
  SystemFrontierPoint as FrontierApiPoint,
} from '../../src/app/system-frontier.js';

export interface Health {
  ok: true;
  toolVersion: string;
  engineVersion: string;
  catalogVersion: string;
}

export type ExampleKind = 'scenario' | 'plan' | 'build-vs-rent' | 'sweep';

export interface Example {
  id: string;
  name: string;
  file: string;
  kind: ExampleKind;
  yaml: string;
}

export interface CatalogSummary {
  version: string;
  accelerators: { id: string; name: string; vendor: string }[];
  systems: { id: string; name: string; acceleratorId: string; acceleratorsPerSystem: number }[];
  models: { id: string; name: string }[];
}

export interface ScenarioRow {
  hash: string;
  name: string;
  schemaVersion: number;
  createdAt: string;
}

export interface ScenarioDetail extends ScenarioRow {
  yaml: string | null;
  scenario: unknown;
}

export interface ValidateOk {
  ok: true;
  hash: string;
  name: string;
  scenario: unknown;
}

export interface ApiIssue {
  path: string;
  message: string;
  value?: unknown;
  expected?: unknown;
  line?: number;
  column?: number;
}

export interface ApiErrorBody {
  error: { code: string; message: string; issues?: ApiIssue[] };
}

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface RunRow {
  id: string;
  kind: string;
  scenarioHash: string;
  scenarioName?: string | null;
  engineVersion?: string;
  seed: number;
  status: RunStatus;
  progress: number;
  createdAt: string;
  updatedAt: string;
}

export interface RunDetail<R = unknown> extends RunRow {
  result?: R;
  error?: unknown;
  /** A sweep this server is running: how far it is (as its `progress` events say). */
  sweepProgress?: SweepProgress;
}

/**
 * A running sweep's progress (`progress` events of its SSE stream, `sweepProgress` of
 * GET /api/runs/:id): the server's own type.
 */
import type { SweepProgress } from '../../src/server/api/event-bus.js';
export type { SweepProgress };

export interface RunStarted {
  id: string;
  status: RunStatus;
  cached?: boolean;
}

/** A scenario reference in a request body. */
export type ScenarioRef = { yaml: string } | { scenarioHash: string };

/** One side of a compare request. */
export type CompareSide = { runId: string } | { yaml: string };
