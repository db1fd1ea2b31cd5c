/**
 * The claims file users write (YAML or JSON): `claims:` — a list of claims in the shape of
 * `Claim` (claims.ts). Strict: an unknown key is an error. Every issue names the field, the
 * value written and what was expected, e.g.
 * `claims.0.value: got -3, expected a number > 0`.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AifError, ERROR_CODES, type ErrorIssue } from '../core/errors.js';
import {
  CLAIM_CONDITIONS,
  CLAIM_FORMULAS,
  CLAIM_FORMULA_IDS,
  CLAIM_METRICS,
  type Claim,
} from './claims.js';

const expected = (words: string) => ({ error: `expected ${words}` });

const text = () => z.string(expected('a non-empty string')).min(1, expected('a non-empty string'));
const positive = () => z.number(expected('a number > 0')).positive(expected('a number > 0'));
const positiveInt = () =>
  z
    .number(expected('a positive integer'))
    .int(expected('a positive integer'))
    .positive(expected('a positive integer'));
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, expected(`one of: ${values.join(', ')}`));
const strict = <S extends z.ZodRawShape>(shape: S, words: string) =>
  z.strictObject(shape, expected(words));

const HardwareSchema = strict(
  {
    label: text(),
    systemId: text().optional(),
    precision: text().optional(),
    speculative: text().optional(),
  },
  'a hardware mapping {label, systemId?, precision?, speculative?}',
);

const InputSchema = strict(
  { value: positive(), unit: text(), source: text() },
  'an input {value, unit, source}',
);

const ArithmeticSchema = strict(
  {
    formula: oneOf(CLAIM_FORMULA_IDS as unknown as readonly [string, ...string[]]),
    inputs: z.record(
      z.string(),
      InputSchema,
      expected('a mapping of input name → {value, unit, source}'),
    ),
    published: z
      .array(
        strict(
          { name: text(), value: z.number(expected('a number')), unit: text() },
          'a published figure {name, value, unit}',
        ),
        expected('a list of published figures'),
      )
      .optional(),
  },
  'an arithmetic mapping {formula, inputs, published?}',
).superRefine((a, ctx) => {
  const formula = CLAIM_FORMULAS[a.formula as keyof typeof CLAIM_FORMULAS];
  if (!formula) return;
  for (const name of formula.inputs)
    if (a.inputs[name] === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['inputs', name],
        message: `expected input '${name}' for formula '${a.formula}' (needs: ${formula.inputs.join(', ')})`,
      });
});

export const ClaimSchema = strict(
  {
    id: z
      .string(expected('a kebab-case id'))
      .regex(
        /^[a-z0-9]+(-[a-z0-9.]+)*$/,
        expected('a kebab-case id (lowercase letters, digits, dashes)'),
      ),
    claimant: text(),
    statement: text(),
    source: text(),
    date: z
      .string(expected('a date YYYY, YYYY-MM or YYYY-MM-DD'))
      .regex(/^\d{4}(-\d{2}){0,2}$/, expected('a date YYYY, YYYY-MM or YYYY-MM-DD')),
    metric: oneOf(CLAIM_METRICS),
    kind: oneOf(['ratio', 'absolute'] as const),
    value: positive(),
    unit: text(),
    qualifier: oneOf(['up-to', 'at', 'approx'] as const),
    model: text().optional(),
    subject: HardwareSchema,
    baseline: HardwareSchema.optional(),
    workload: strict(
      { inputTokens: positiveInt(), outputTokens: positiveInt() },
      'a workload {inputTokens, outputTokens}',
    ).optional(),
    interactivityTokensPerSecondPerUser: positive().optional(),
    statedConditions: z.array(text(), expected('a list of strings')),
    missingConditions: z.array(
      strict(
        { condition: oneOf(CLAIM_CONDITIONS), note: text() },
        'a missing condition {condition, note}',
      ),
      expected('a list of {condition, note}'),
    ),
    arithmetic: ArithmeticSchema.optional(),
    referenceItems: z.array(text(), expected('a list of strings')).optional(),
    notes: text().optional(),
  },
  'a claim mapping',
).superRefine((c, ctx) => {
  if (c.kind === 'ratio' && c.baseline === undefined && c.metric !== 'revenue-per-investment')
    ctx.addIssue({
      code: 'custom',
      path: ['baseline'],
      message: 'expected a baseline for a ratio claim',
    });
});

export const ClaimsFileSchema = strict(
  { claims: z.array(ClaimSchema, expected('a list of claims')) },
  'a mapping with one field: claims',
);

/** What a user writes. */
export type ClaimsFileInput = z.input<typeof ClaimsFileSchema>;

const valueAt = (obj: unknown, path: readonly PropertyKey[]): unknown => {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
};

function issuesOf(error: z.ZodError, obj: unknown, file: string): ErrorIssue[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys') {
      return {
        path,
        message: `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}`,
        value: i.keys.join(', '),
        expected: 'only the fields of a claim (see claims-schema.ts)',
        file,
      };
    }
    const value = valueAt(obj, i.path);
    const words = i.message.startsWith('expected ')
      ? i.message.slice('expected '.length)
      : i.message;
    return {
      path,
      message:
        value === undefined
          ? `missing or invalid: expected ${words}`
          : `got ${JSON.stringify(value)}, expected ${words}`,
      ...(value !== undefined ? { value } : {}),
      expected: words,
      file,
    };
  });
}

/**
 * Validate a claims file given as plain data (parsed YAML or JSON).
 * @throws AifError E_INPUT_FORMAT naming each field, the value written and the expectation.
 */
export function parseClaimsObject(obj: unknown, file: string): Claim[] {
  const r = ClaimsFileSchema.safeParse(obj);
  if (!r.success) {
    const issues = issuesOf(r.error, obj, file);
    throw new AifError(
      ERROR_CODES.INPUT_FORMAT,
      `${file}: the claims file has ${issues.length} problem${issues.length > 1 ? 's' : ''}:\n${issues
        .map((i) => `  ${i.path || '(top)'}: ${i.message}`)
        .join('\n')}`,
      issues,
    );
  }
  return r.data.claims as Claim[];
}

/**
 * Parse and validate a claims file's text (YAML, of which JSON is a subset).
 * @throws AifError E_INPUT_FORMAT on invalid YAML or an invalid claim.
 */
export function parseClaimsYaml(textContent: string, file: string): Claim[] {
  let obj: unknown;
  try {
    obj = parseYaml(textContent);
  } catch (e) {
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
    throw new AifError(ERROR_CODES.INPUT_FORMAT, `${file}: not valid YAML: ${message}`, [
      { path: '', message, expected: 'valid YAML or JSON', file },
    ]);
  }
  return parseClaimsObject(obj, file);
}
