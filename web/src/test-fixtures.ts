/**
 * Real engine results for the chart builders' unit tests (Node, vitest): the built-in examples
 * run through the same app functions the API calls — a shortened chat-fleet simulation, its
 * estimate, cost and comparisons, a plan, a build-vs-rent analysis and a claim validation.
 * Not imported by the dashboard (nothing here is bundled).
 */
import { parse as parseYaml } from 'yaml';
import chatFleetYaml from '../../examples/chat-fleet-h100.yaml?raw';
import llamaYaml from '../../examples/llama70b-fp8-h100.yaml?raw';
import planYaml from '../../examples/plan-100mw-virginia.yaml?raw';
import bvrYaml from '../../examples/build-vs-rent-coding-agents.yaml?raw';
import { runBuildVsRent } from '../../src/app/build-vs-rent.js';
import { validateClaim } from '../../src/app/claims.js';
import { estimateComparable, simComparable } from '../../src/app/compare.js';
import { costFromEstimate, costFromRun } from '../../src/app/cost.js';
import { TOOL_VERSION } from '../../src/app/engine-version.js';
import { estimateScenario } from '../../src/app/estimate.js';
import { planCapacity } from '../../src/app/plan.js';
import { simulateScenario } from '../../src/app/simulate.js';
import { systemFrontiers } from '../../src/app/system-frontier.js';
import { defaultCatalog } from '../../src/catalog/catalog.js';
import { BUILTIN_CLAIMS } from '../../src/compare/claims-data.js';
import { compareResults, type CompareOptions } from '../../src/compare/compare.js';
import { BUILTIN_CALIBRATION } from '../../src/perf/calibration-data.js';
import { parseScenarioYaml } from '../../src/scenario/index.js';
import { parsePlanObject } from '../../src/scenario/plan-schema.js';
import { createHighsSolver } from '../../src/solver/highs.js';

const catalog = defaultCatalog();
const calibration = BUILTIN_CALIBRATION;

/** examples/chat-fleet-h100.yaml with 40 simulated seconds (10 of warm-up) instead of 300. */
export const shortChatYaml = chatFleetYaml
  .replace(/durationSeconds: 300/, 'durationSeconds: 40')
  .replace(/warmupSeconds: 60/, 'warmupSeconds: 10');

const once = <T>(f: () => T): (() => T) => {
  let v: { value: T } | undefined;
  return () => (v ??= { value: f() }).value;
};

export const chatScenario = once(() => parseScenarioYaml(shortChatYaml, 'chat-fleet-short.yaml'));
export const llamaScenario = once(() => parseScenarioYaml(llamaYaml, 'llama70b-fp8-h100.yaml'));

export const simResult = once(() =>
  simulateScenario(chatScenario(), catalog, calibration, { toolVersion: TOOL_VERSION }),
);
export const chatEstimate = once(() => estimateScenario(chatScenario(), catalog, calibration));
export const llamaEstimate = once(() => estimateScenario(llamaScenario(), catalog, calibration));

export const costOfEstimate = once(() =>
  costFromEstimate(chatEstimate(), { scenario: chatScenario(), catalog }),
);
export const costOfRun = once(() =>
  costFromRun(simResult(), { scenario: chatScenario(), catalog }),
);

export const compareEstimates = (options: CompareOptions = {}) =>
  compareResults(estimateComparable(chatEstimate()), estimateComparable(llamaEstimate()), options);
export const compareRunWithItself = once(() =>
  compareResults(simComparable(simResult()), simComparable(simResult())),
);

export const frontier = (systems: string[]) =>
  systemFrontiers(chatScenario(), systems, catalog, calibration);

export async function planReport() {
  const file = parsePlanObject(parseYaml(planYaml), 'plan-100mw-virginia.yaml');
  return planCapacity(file, catalog, calibration, await createHighsSolver());
}

export async function buildVsRent() {
  return runBuildVsRent(
    parseYaml(bvrYaml),
    'build-vs-rent-coding-agents.yaml',
    await createHighsSolver(),
  );
}

export function claimValidation(id = 'nvidia-gb300-tokens-per-mw-vs-hopper') {
  const claim = BUILTIN_CLAIMS.find((c) => c.id === id);
  if (!claim) throw new Error(`no claim ${id}`);
  return validateClaim(claim, catalog, calibration);
}
