/**
 * The API's synchronous analyses — compare, frontier, cost, claims, plan, build-vs-rent — each
 * the same app function its CLI command calls (`--json` output), fed from request bodies and
 * stored runs instead of files. Every input is checked before any work, and none of these
 * writes the store.
 */
import { runBuildVsRent } from '../../app/build-vs-rent.js';
import { validateClaim } from '../../app/claims.js';
import { estimateComparable, simComparable } from '../../app/compare.js';
import { costFromEstimate, costFromRun } from '../../app/cost.js';
import { estimateScenario, type EstimateReport } from '../../app/estimate.js';
import { planCapacity } from '../../app/plan.js';
import type { SimResult } from '../../app/simulate.js';
import { systemFrontiers } from '../../app/system-frontier.js';
import type { Catalog } from '../../catalog/catalog.js';
import { BUILTIN_CLAIMS } from '../../compare/claims-data.js';
import { createClaimRegistry, type ClaimRegistry } from '../../compare/claims.js';
import { compareResults, type ComparableSide } from '../../compare/compare.js';
import { ERROR_CODES } from '../../core/errors.js';
import type { LpSolver } from '../../core/lp.js';
import type { CalibrationTable } from '../../perf/calibration.js';
import { parseYamlPositioned } from '../../scenario/index.js';
import { parsePlanObject } from '../../scenario/plan-schema.js';
import type { Store, StoredRun } from '../../store/types.js';
import { conflict, notFound, unknownIdInBody } from './errors.js';
import {
  locatedIn,
  scenarioFromRef,
  scenarioFromRow,
  scenarioFromYaml,
  type ScenarioInput,
} from './scenarios.js';
import type { CompareBodyInput } from './schemas.js';

/** How a plan or build-vs-rent report names YAML that came in a request body. */
const DEFAULT_SOURCE = 'request';

export interface AnalysisDeps {
  store: Store;
  catalog: Catalog;
  calibration: CalibrationTable;
  /** The LP/MILP solver (loaded on first use: HiGHS is a WASM module). */
  solver(): Promise<LpSolver>;
}

/**
 * Plain YAML (plan and build-vs-rent files) parsed with positions.
 * @throws AifError E_INPUT_FORMAT with `line`/`column` of each syntax error.
 */
export function parseYamlText(text: string, field: string): unknown {
  return parseYamlPositioned(text, field, ERROR_CODES.INPUT_FORMAT).doc.toJS();
}

/** A finished run's row. @throws HttpError 400 (unknown id) or 409 (not done). */
function doneRun(store: Store, id: string, path: string): StoredRun & { resultJson: string } {
  const run = store.getRun(id);
  if (!run) throw unknownIdInBody(path, 'run', id);
  if (run.status !== 'done' || run.resultJson === null)
    throw conflict(`run ${id} is ${run.status}, not done`, [
      { path, message: `run is ${run.status}`, value: id, expected: 'a done run' },
    ]);
  return run as StoredRun & { resultJson: string };
}

/** The stored scenario of a run (its economics and site sections price it). */
function scenarioOfRun(store: Store, run: StoredRun, path: string): ScenarioInput {
  const row = store.getScenario(run.scenarioHash);
  if (!row) throw unknownIdInBody(path, 'scenario', run.scenarioHash);
  return scenarioFromRow(row, path);
}

export function createAnalyses(deps: AnalysisDeps) {
  const { store, catalog, calibration } = deps;
  const claims: ClaimRegistry = createClaimRegistry(BUILTIN_CLAIMS);
  const estimate = (input: ScenarioInput): EstimateReport =>
    locatedIn(input.yaml, input.field, () =>
      estimateScenario(input.scenario, catalog, calibration),
    );

  return {
    /** `aifactory compare --json`: both sides are resolved before either is estimated. */
    compare(body: CompareBodyInput) {
      const selection = {
        ...(body.deployment ? { deployment: body.deployment } : {}),
        ...(body.className ? { className: body.className } : {}),
      };
      type Side = { run: StoredRun & { resultJson: string } } | { input: ScenarioInput };
      const resolve = (side: CompareBodyInput['a'], name: 'a' | 'b'): Side =>
        side.runId !== undefined
          ? { run: doneRun(store, side.runId, `${name}.runId`) }
          : { input: scenarioFromYaml(side.yaml!, `${name}.yaml`, catalog) };
      const sides = [resolve(body.a, 'a'), resolve(body.b, 'b')] as const;
      const comparable = (s: Side): ComparableSide => {
        if ('input' in s) return estimateComparable(estimate(s.input), selection);
        const result = JSON.parse(s.run.resultJson) as SimResult | EstimateReport;
        return result.kind === 'aifactory.sim'
          ? simComparable(result, body.deployment ? { deployment: body.deployment } : {})
          : estimateComparable(result, selection);
      };
      return compareResults(comparable(sides[0]), comparable(sides[1]), {
        ...(body.ignore ? { ignore: body.ignore } : {}),
        ...(body.assumeEqual ? { assumeEqual: body.assumeEqual } : {}),
      });
    },

    frontier(body: {
      yaml?: string | undefined;
      scenarioHash?: string | undefined;
      systems: string[];
      deployment?: string | undefined;
      className?: string | undefined;
    }) {
      const input = scenarioFromRef(body, store, catalog);
      return systemFrontiers(input.scenario, body.systems, catalog, calibration, {
        ...(body.deployment ? { deployment: body.deployment } : {}),
        ...(body.className ? { className: body.className } : {}),
      });
    },

    /** `aifactory cost --json` (`--run` when the body names a simulation run). */
    cost(body: {
      runId?: string | undefined;
      yaml?: string | undefined;
      scenarioHash?: string | undefined;
    }) {
      if (body.runId !== undefined) {
        const run = doneRun(store, body.runId, 'runId');
        const input = scenarioOfRun(store, run, 'runId');
        const options = { scenario: input.scenario, catalog };
        const result = JSON.parse(run.resultJson) as SimResult | EstimateReport;
        return result.kind === 'aifactory.sim'
          ? costFromRun(result, options)
          : costFromEstimate(result, options);
      }
      const input = scenarioFromRef(body, store, catalog);
      return locatedIn(input.yaml, input.field, () =>
        costFromEstimate(estimate(input), { scenario: input.scenario, catalog }),
      );
    },

    claimsList: () => claims.claims,

    claim(id: string) {
      const claim = claims.byId.get(id);
      if (!claim) throw notFound('claim', id);
      return claim;
    },

    /** `aifactory claims validate <id> --json`. */
    validateClaim(
      id: string,
      body: {
        inputTokens?: number | undefined;
        outputTokens?: number | undefined;
        measured?: number | undefined;
      },
    ) {
      const claim = claims.byId.get(id);
      if (!claim) throw notFound('claim', id);
      return validateClaim(claim, catalog, calibration, {
        ...(body.inputTokens !== undefined && body.outputTokens !== undefined
          ? {
              defaultWorkload: {
                inputTokens: Math.round(body.inputTokens),
                outputTokens: Math.round(body.outputTokens),
              },
            }
          : {}),
        ...(body.measured !== undefined ? { measuredValue: body.measured } : {}),
      });
    },

    /** `aifactory plan --json`. */
    async plan(yaml: string, source = DEFAULT_SOURCE) {
      const obj = parseYamlText(yaml, 'yaml');
      const file = locatedIn(yaml, 'yaml', () => parsePlanObject(obj, source));
      const solver = await deps.solver();
      return locatedIn(yaml, 'yaml', () => planCapacity(file, catalog, calibration, solver));
    },

    /** `aifactory build-vs-rent --json`. */
    async buildVsRent(yaml: string, source = DEFAULT_SOURCE) {
      const obj = parseYamlText(yaml, 'yaml');
      const solver = await deps.solver();
      return locatedIn(yaml, 'yaml', () => runBuildVsRent(obj, source, solver));
    },
  };
}

export type Analyses = ReturnType<typeof createAnalyses>;
