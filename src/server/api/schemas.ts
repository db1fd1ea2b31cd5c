/**
 * Request schemas of the HTTP API (zod 4): every body and query is parsed by one of these
 * before a handler runs, and the OpenAPI document is generated from the same objects, so the
 * published contract and the validation cannot drift apart. Objects are strict: an unknown
 * field is an error that names it (a typo must not be silently ignored).
 */
import { z } from 'zod';
import type { NormalisableField } from '../../compare/compare.js';
import { MAX_FRONTIER_SYSTEMS } from '../../app/system-frontier.js';
import type { RunKind } from '../../store/types.js';

/** Basis fields `compare` may ignore or assume equal (all but the fixed ones and `source`). */
export const NORMALISABLE_FIELDS = [
  'model',
  'workload',
  'slo',
  'utilization',
  'currencyYear',
  'provenance',
  'energyPriceUsdPerKwh',
] as const satisfies readonly NormalisableField[];
// Compile-time check that the list is complete: a new basis field must be added above.
const _allNormalisable: readonly (typeof NORMALISABLE_FIELDS)[number][] = [] as NormalisableField[];

const yaml = z.string().min(1, 'empty YAML text').describe('YAML text');
const scenarioHash = z
  .string()
  .regex(/^fnv1a64:[0-9a-f]{16}$/, 'not a scenario hash')
  .describe('`fnv1a64:` content hash of a stored scenario');
const runId = z.string().min(1).describe('id of a run (`GET /api/runs`)');
const seed = z
  .number()
  .int()
  .min(0)
  .max(Number.MAX_SAFE_INTEGER)
  .describe("seed of every random stream (default: the scenario's)");

/** Exactly one of `keys` is present: the message names them. */
function exactlyOne(keys: readonly string[]) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const given = keys.filter((k) => value[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: given.length ? [given[1]!] : [],
        message:
          given.length === 0
            ? `give one of: ${keys.join(', ')}`
            : `give only one of: ${keys.join(', ')}`,
        input: value,
      });
  };
}

export const YamlBody = z.strictObject({ yaml });

/** A plan or build-vs-rent file; `source` names it in the report's basis (as the CLI names the file). */
export const SourcedYamlBody = z.strictObject({
  yaml,
  source: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe("where the YAML came from, recorded in the report (default 'request')"),
});

const scenarioRefShape = { yaml: yaml.optional(), scenarioHash: scenarioHash.optional() };

/** A scenario by YAML text or by the hash of a stored one. */
export const ScenarioRefBody = z
  .strictObject(scenarioRefShape)
  .superRefine(exactlyOne(['yaml', 'scenarioHash']));

export const RunBody = z
  .strictObject({ ...scenarioRefShape, seed: seed.optional() })
  .superRefine(exactlyOne(['yaml', 'scenarioHash']));

const selection = {
  deployment: z.string().min(1).optional().describe('deployment name when there are several'),
  className: z.string().min(1).optional().describe('workload class name when there are several'),
};

export const FrontierBody = z
  .strictObject({
    ...scenarioRefShape,
    systems: z
      .array(z.string().min(1))
      .min(1)
      .max(MAX_FRONTIER_SYSTEMS)
      .describe('catalog system ids'),
    ...selection,
  })
  .superRefine(exactlyOne(['yaml', 'scenarioHash']));

const CompareSide = z
  .strictObject({ runId: runId.optional(), yaml: yaml.optional() })
  .superRefine(exactlyOne(['runId', 'yaml']))
  .describe('a finished run, or a scenario (estimated now)');

export const CompareBody = z.strictObject({
  a: CompareSide,
  b: CompareSide,
  ignore: z.array(z.enum(NORMALISABLE_FIELDS)).optional(),
  assumeEqual: z.array(z.enum(NORMALISABLE_FIELDS)).optional(),
  ...selection,
});

export const CostBody = z
  .strictObject({ runId: runId.optional(), ...scenarioRefShape })
  .superRefine(exactlyOne(['runId', 'yaml', 'scenarioHash']));

const positive = z.number().positive();
export const ClaimValidateBody = z
  .strictObject({
    inputTokens: positive.optional().describe('prompt tokens (when the claim states none)'),
    outputTokens: positive.optional().describe('output tokens (when the claim states none)'),
    measured: positive.optional().describe('a measured ratio to classify against'),
  })
  .superRefine((v, ctx) => {
    if ((v.inputTokens === undefined) !== (v.outputTokens === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [v.inputTokens === undefined ? 'inputTokens' : 'outputTokens'],
        message: 'give both inputTokens and outputTokens, or neither',
        input: v,
      });
  });

const limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(1000)
  .optional()
  .describe('at most this many rows, newest first (default 100)');

/** What a run computes (`store/types.ts` `RunKind`). */
export const RUN_KIND_VALUES = [
  'simulate',
  'estimate',
  'sweep',
  'sweep-point',
] as const satisfies readonly RunKind[];
// Compile-time check that the list is complete: a new run kind must be added above.
const _allRunKinds: readonly (typeof RUN_KIND_VALUES)[number][] = [] as RunKind[];

export const ListQuery = z.object({ limit });
export const RunListQuery = z.object({
  limit,
  scenarioHash: scenarioHash.optional(),
  kind: z.enum(RUN_KIND_VALUES).optional().describe('only runs of this kind'),
});

export type RunBodyInput = z.output<typeof RunBody>;
export type CompareBodyInput = z.output<typeof CompareBody>;
