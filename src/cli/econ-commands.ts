/**
 * The economics and comparability commands (`cost`, `build-vs-rent`, `compare`, `claims`):
 * each reads its files through `CliIo`, calls one app function and prints text or `--json`.
 */
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { validateClaim } from '../app/claims.js';
import { estimateComparable, simComparable } from '../app/compare.js';
import { costFromEstimate, costFromRun } from '../app/cost.js';
import { costUncertainty } from '../app/cost-uncertainty.js';
import { estimateScenario, type EstimateReport } from '../app/estimate.js';
import { runBuildVsRent } from '../app/build-vs-rent.js';
import { simulateScenario, type SimResult } from '../app/simulate.js';
import type { Catalog } from '../catalog/catalog.js';
import { BUILTIN_CLAIMS } from '../compare/claims-data.js';
import { createClaimRegistry, type ClaimRegistry } from '../compare/claims.js';
import { parseClaimsYaml } from '../compare/claims-schema.js';
import {
  compareResults,
  FIXED_FIELDS,
  type ComparableSide,
  type NormalisableField,
} from '../compare/compare.js';
import { AifError, ERROR_CODES, isAifError } from '../core/errors.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parseScenarioYaml, type Scenario } from '../scenario/index.js';
import { createHighsSolver } from '../solver/highs.js';
import { buildVsRentText } from './build-vs-rent-text.js';
import { claimShowText, claimsListText, claimValidationText } from './claims-text.js';
import { compareJson, compareText } from './compare-text.js';
import { renderCostReport, renderCostUncertainty } from './cost-text.js';
import {
  calibrationOption,
  inputError,
  json,
  loadCalibration,
  located,
  loadCatalog,
  read,
  type CliIo,
} from './io.js';
import { contentId, dbOption, recordInStore } from './store-record.js';

/** A scenario file parsed, with its text for error positions. */
function readScenario(io: CliIo, file: string): { scenario: Scenario; text: string } {
  const text = read(io, file);
  return { scenario: parseScenarioYaml(text, file), text };
}

/**
 * One side of a comparison from a file: a scenario (estimated now), an `estimate --json`
 * report or a `run` result.
 */
function comparableFrom(
  io: CliIo,
  file: string,
  catalog: Catalog,
  selection: { deployment?: string; className?: string },
): ComparableSide {
  if (/\.ya?ml$/i.test(file)) {
    const { scenario, text } = readScenario(io, file);
    const report = located(text, file, () =>
      estimateScenario(scenario, catalog, BUILTIN_CALIBRATION),
    );
    return estimateComparable(report, selection);
  }
  let data: unknown;
  try {
    data = JSON.parse(read(io, file));
  } catch (e) {
    if (isAifError(e)) throw e;
    throw inputError(`${file} is neither a scenario (.yaml) nor JSON: ${String(e)}`);
  }
  const kind = (data as { kind?: unknown } | null)?.kind;
  if (kind === 'aifactory.sim')
    return simComparable(
      data as SimResult,
      selection.deployment ? { deployment: selection.deployment } : {},
    );
  if (kind === 'aifactory.estimate') return estimateComparable(data as EstimateReport, selection);
  throw inputError(
    `${file}: not an aifactory result (kind ${JSON.stringify(kind)}; expected 'aifactory.estimate' from \`estimate --json\` or 'aifactory.sim' from \`run\`)`,
  );
}

const NORMALISABLE_HELP = `basis fields (not ${FIXED_FIELDS.join(', ')})`;

function positiveNumber(option: string, v: string): number {
  const n = Number(v);
  if (!(Number.isFinite(n) && n > 0))
    throw new AifError(ERROR_CODES.INVALID_ARGUMENT, `--${option} must be a positive number`, [
      { path: option, message: 'not a positive number', value: v, expected: 'a number > 0' },
    ]);
  return n;
}

function claimRegistry(io: CliIo, claimsFile: string | undefined): ClaimRegistry {
  if (claimsFile === undefined) return createClaimRegistry(BUILTIN_CLAIMS);
  return createClaimRegistry(BUILTIN_CLAIMS, parseClaimsYaml(read(io, claimsFile), claimsFile));
}

function claimById(registry: ClaimRegistry, id: string) {
  const claim = registry.byId.get(id);
  if (!claim)
    throw new AifError(ERROR_CODES.INVALID_ARGUMENT, `no claim '${id}'`, [
      {
        path: 'id',
        message: 'unknown claim id',
        value: id,
        expected: `one of: ${[...registry.byId.keys()].join(', ')}`,
      },
    ]);
  return claim;
}

export function addEconCommands(
  program: Command,
  io: CliIo,
  catalogOption: () => import('commander').Option,
  onProgress: (label: string) => { update: (f: number) => void; done: () => void } | undefined,
  toolVersion: string,
): void {
  program
    .command('cost')
    .description(
      'all-in cost of a scenario: TCO waterfall, $/GPU-hour and $ per 1M tokens (input, cached input, output, blended) with the split rule and basis',
    )
    .argument('<scenario>', 'scenario YAML file (its economics and site sections)')
    .option(
      '--run',
      'cost the serving-twin run (token goodput and drawn power of the simulation) instead of the analytical estimate',
    )
    .option(
      '--tornado <pct>',
      'sensitivity: each uncertain input ±pct % (capex, energy price, PUE, throughput, life, cost of capital)',
    )
    .option(
      '--monte-carlo <samples>',
      "Monte Carlo over the distributions in the scenario's economics.uncertainty (seeded by the scenario seed): P10/P50/P90",
    )
    .option('--json', 'print the full report as JSON')
    .addOption(catalogOption())
    .addOption(calibrationOption())
    .action(
      (
        file: string,
        opts: {
          run?: boolean;
          tornado?: string;
          monteCarlo?: string;
          json?: boolean;
          catalog?: string;
          calibration?: string[];
        },
      ) => {
        const catalog = loadCatalog(io, opts.catalog);
        const calibration = loadCalibration(io, opts.calibration, catalog);
        const { scenario, text } = readScenario(io, file);
        const report = located(text, file, () => {
          if (!opts.run)
            return costFromEstimate(estimateScenario(scenario, catalog, calibration), {
              scenario,
              catalog,
            });
          const progress = onProgress('simulating');
          try {
            const result = simulateScenario(scenario, catalog, calibration, {
              toolVersion,
              ...(progress ? { onProgress: progress.update } : {}),
            });
            return costFromRun(result, { scenario, catalog });
          } finally {
            progress?.done();
          }
        });
        const tornadoPct =
          opts.tornado === undefined ? undefined : positiveNumber('tornado', opts.tornado);
        const samples =
          opts.monteCarlo === undefined
            ? undefined
            : positiveNumber('monte-carlo', opts.monteCarlo);
        const uncertainty = scenario.economics?.uncertainty;
        if (samples !== undefined && !uncertainty)
          throw new AifError(ERROR_CODES.SCENARIO_INVALID, '--monte-carlo needs distributions', [
            {
              path: 'economics.uncertainty',
              message: 'no uncertain inputs stated for the Monte Carlo',
              value: undefined,
              expected:
                'a mapping such as { capexFactor: { dist: triangular, min: 0.9, mode: 1, max: 1.3 } }',
              file,
            },
          ]);
        const analyses =
          tornadoPct === undefined && samples === undefined
            ? []
            : report.deployments.flatMap((d) =>
                d.points.map((p) => ({
                  deployment: d.name,
                  ...costUncertainty(p, {
                    ...(tornadoPct !== undefined ? { tornadoPct } : {}),
                    ...(samples !== undefined && uncertainty
                      ? { uncertainty, samples: Math.round(samples) }
                      : {}),
                    seed: scenario.seed,
                  }),
                })),
              );
        if (opts.json)
          io.stdout(json(analyses.length ? { ...report, uncertainty: analyses } : report));
        else
          io.stdout(
            renderCostReport(report) + analyses.map((a) => renderCostUncertainty(a)).join(''),
          );
      },
    );

  program
    .command('build-vs-rent')
    .description(
      'own vs reserved vs on-demand vs spot vs API for an hourly demand curve: the cheapest portfolio (MILP), NPVs, break-even utilization, load-duration split',
    )
    .argument('<file>', 'build-vs-rent YAML file (see examples/build-vs-rent-coding-agents.yaml)')
    .option('--json', 'print the full report as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const text = read(io, file);
      let obj: unknown;
      try {
        obj = parseYaml(text);
      } catch (e) {
        throw inputError(
          `${file} is not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
        );
      }
      const solver = await createHighsSolver();
      const result = located(text, file, () => runBuildVsRent(obj, file, solver));
      io.stdout(opts.json ? json(result) : buildVsRentText(result));
    });

  program
    .command('compare')
    .description(
      'list every basis difference between two results; a cheaper/faster/more efficient verdict only on equal bases or after the normalisations you name',
    )
    .argument('<a>', 'scenario YAML (estimated), `estimate --json` output, or a `run` result JSON')
    .argument('<b>', 'the same for the other side')
    .option('--deployment <name>', 'deployment to compare when a result has several')
    .option('--class <name>', 'workload class to compare (estimates) when a deployment has several')
    .option('--ignore <fields...>', `treat differences in these ${NORMALISABLE_HELP} as irrelevant`)
    .option(
      '--assume-equal <fields...>',
      `assert these ${NORMALISABLE_HELP} are equivalent although they differ`,
    )
    .option('--json', 'print the comparison as JSON')
    .addOption(catalogOption())
    .action(
      (
        a: string,
        b: string,
        opts: {
          deployment?: string;
          class?: string;
          ignore?: string[];
          assumeEqual?: string[];
          json?: boolean;
          catalog?: string;
        },
      ) => {
        const catalog = loadCatalog(io, opts.catalog);
        const selection = {
          ...(opts.deployment ? { deployment: opts.deployment } : {}),
          ...(opts.class ? { className: opts.class } : {}),
        };
        const result = compareResults(
          comparableFrom(io, a, catalog, selection),
          comparableFrom(io, b, catalog, selection),
          {
            ...(opts.ignore ? { ignore: opts.ignore as NormalisableField[] } : {}),
            ...(opts.assumeEqual ? { assumeEqual: opts.assumeEqual as NormalisableField[] } : {}),
          },
        );
        io.stdout(opts.json ? json(compareJson(result)) : compareText(result));
      },
    );

  const claims = program
    .command('claims')
    .description('vendor claims: what they state, what they leave out, and whether they hold');
  const claimsFileOption = () =>
    ['--claims <file>', 'YAML/JSON file of your own claims, added to the built-in ones'] as const;
  claims
    .command('list')
    .description('list the claims with their metric, ratio and source')
    .option(...claimsFileOption())
    .option('--json', 'print the claims as JSON')
    .action((opts: { claims?: string; json?: boolean }) => {
      const registry = claimRegistry(io, opts.claims);
      io.stdout(opts.json ? json(registry.claims) : claimsListText(registry.claims));
    });
  claims
    .command('show')
    .description('one claim: statement, source, stated conditions and the conditions it leaves out')
    .argument('<id>', 'claim id (see `claims list`)')
    .option(...claimsFileOption())
    .option('--json', 'print the claim as JSON')
    .action((id: string, opts: { claims?: string; json?: boolean }) => {
      const claim = claimById(claimRegistry(io, opts.claims), id);
      io.stdout(opts.json ? json(claim) : claimShowText(claim));
    });
  claims
    .command('validate')
    .description(
      "reproduce a claim's arithmetic, then recompute its ratio with aifactory's model at several interactivity levels and equal precision; prints the status and the table behind it",
    )
    .argument('<id>', 'claim id (see `claims list`)')
    .option(...claimsFileOption())
    .option('--input-tokens <n>', 'prompt tokens of your workload (when the claim states none)')
    .option('--output-tokens <n>', 'output tokens of your workload (when the claim states none)')
    .option('--measured <ratio>', 'a measured value at the claim’s conditions, to classify against')
    .option('--json', 'print the validation as JSON')
    .addOption(catalogOption())
    .addOption(dbOption('the check'))
    .action(
      (
        id: string,
        opts: {
          claims?: string;
          inputTokens?: string;
          outputTokens?: string;
          measured?: string;
          json?: boolean;
          catalog?: string;
          db?: string;
        },
      ) => {
        const catalog = loadCatalog(io, opts.catalog);
        const claim = claimById(claimRegistry(io, opts.claims), id);
        const positive = (name: string, v: string | undefined): number | undefined =>
          v === undefined ? undefined : positiveNumber(name, v);
        const isl = positive('input-tokens', opts.inputTokens);
        const osl = positive('output-tokens', opts.outputTokens);
        if ((isl === undefined) !== (osl === undefined))
          throw inputError('give both --input-tokens and --output-tokens, or neither');
        const measured = positive('measured', opts.measured);
        const v = validateClaim(claim, catalog, BUILTIN_CALIBRATION, {
          ...(isl !== undefined && osl !== undefined
            ? { defaultWorkload: { inputTokens: Math.round(isl), outputTokens: Math.round(osl) } }
            : {}),
          ...(measured !== undefined ? { measuredValue: measured } : {}),
        });
        recordInStore(opts.db, (store, nowIso) => {
          const resultJson = json(v);
          store.putClaimCheck({
            id: contentId('claimcheck', resultJson),
            claimId: claim.id,
            resultJson,
            createdAt: nowIso,
          });
        });
        io.stdout(opts.json ? json(v) : claimValidationText(v));
      },
    );
}
