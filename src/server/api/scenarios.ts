/**
 * Scenarios as the API takes them in: YAML text from a body (parsed, checked against the
 * catalog, hashed) or the hash of a stored one. Checking the catalog ids here — before anything
 * is written — is what lets a rejected request write nothing: a scenario that passes is one
 * the engine accepts.
 */
import type { Catalog } from '../../catalog/catalog.js';
import { isAifError } from '../../core/errors.js';
import { canonicalJson, contentHash } from '../../core/hash.js';
import {
  locateIssues,
  parseScenarioObject,
  parseScenarioYaml,
  resolveScenario,
  type Scenario,
} from '../../scenario/index.js';
import type { Store, StoredScenario } from '../../store/types.js';
import { unknownIdInBody } from './errors.js';

/** Version of the scenario schema the stored canonical JSON conforms to. */
export const SCENARIO_SCHEMA_VERSION = 1;

export interface ScenarioInput {
  scenario: Scenario;
  /** `fnv1a64:` hash of the canonical JSON (the store key; equal to the results' `scenario.hash`). */
  hash: string;
  canonicalJson: string;
  /** The YAML as written (comments kept); null for a scenario stored without one. */
  yaml: string | null;
  /** Body field the YAML came from, named in issues (`yaml`, `a.yaml`). */
  field: string;
}

/** Run `f`; give the issues of an error raised after parsing their positions in the YAML. */
export function locatedIn<T>(yaml: string | null, field: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (yaml !== null && isAifError(e) && e.issues.length) throw locateIssues(e, yaml, field);
    throw e;
  }
}

/**
 * Parse and check a scenario given as YAML text.
 * @throws AifError with issues carrying `line`/`column` in `yaml` and `file` = `field`.
 */
export function scenarioFromYaml(yaml: string, field: string, catalog: Catalog): ScenarioInput {
  const scenario = parseScenarioYaml(yaml, field);
  locatedIn(yaml, field, () => resolveScenario(scenario, catalog));
  return {
    scenario,
    hash: contentHash(scenario),
    canonicalJson: canonicalJson(scenario),
    yaml,
    field,
  };
}

/** The scenario a stored row holds (from its YAML when kept, so positions still work). */
export function scenarioFromRow(row: StoredScenario, field: string): ScenarioInput {
  const scenario =
    row.sourceYaml !== null
      ? parseScenarioYaml(row.sourceYaml, field)
      : parseScenarioObject(JSON.parse(row.canonicalJson), field);
  return {
    scenario,
    hash: row.hash,
    canonicalJson: row.canonicalJson,
    yaml: row.sourceYaml,
    field,
  };
}

/** A stored scenario by hash. @throws HttpError 400 naming `path` when none is stored. */
export function scenarioFromStore(store: Store, hash: string, path: string): ScenarioInput {
  const row = store.getScenario(hash);
  if (!row) throw unknownIdInBody(path, 'scenario', hash);
  return scenarioFromRow(row, path);
}

/** Either form of a scenario reference in a body. */
export function scenarioFromRef(
  ref: { yaml?: string | undefined; scenarioHash?: string | undefined },
  store: Store,
  catalog: Catalog,
  prefix = '',
): ScenarioInput {
  return ref.yaml !== undefined
    ? scenarioFromYaml(ref.yaml, `${prefix}yaml`, catalog)
    : scenarioFromStore(store, ref.scenarioHash!, `${prefix}scenarioHash`);
}

/** Keep the scenario (idempotent by hash); `created` tells whether it was new. */
export function storeScenario(
  store: Store,
  input: ScenarioInput,
  nowIso: string,
): { row: StoredScenario; created: boolean } {
  const existing = store.getScenario(input.hash);
  if (existing) return { row: existing, created: false };
  const row = store.putScenario({
    hash: input.hash,
    name: input.scenario.name,
    schemaVersion: SCENARIO_SCHEMA_VERSION,
    canonicalJson: input.canonicalJson,
    sourceYaml: input.yaml,
    createdAt: nowIso,
  });
  return { row, created: true };
}

/** The public view of a stored scenario (list rows). */
export const scenarioSummary = (row: StoredScenario) => ({
  hash: row.hash,
  name: row.name,
  schemaVersion: row.schemaVersion,
  createdAt: row.createdAt,
});
