/**
 * The scenario's JSON Schema (draft 2020-12), generated from the zod schema — the input side,
 * i.e. what users write. Editors use it for completion and validation of scenario files
 * (`# yaml-language-server: $schema=…`); the HTTP API publishes it.
 */
import { z } from 'zod';
import { ScenarioSchema } from './schema.js';

export const SCENARIO_SCHEMA_ID = 'https://aifactory.dev/schemas/scenario.json';

/** JSON Schema of a scenario file. Cross-field rules (e.g. replicas xor systems) are not expressible and are checked by `parseScenario*`. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ScenarioSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'throw',
  }) as Record<string, unknown>;
  return { ...schema, $id: SCENARIO_SCHEMA_ID, title: 'aifactory scenario' };
}
