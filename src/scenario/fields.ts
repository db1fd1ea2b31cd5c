/**
 * Field builders for the scenario schema. Each builder states, in words, what it expects, and
 * makes every issue it raises carry that wording as its message: `expected a positive integer`.
 * `parse.ts` turns such messages into an `ErrorIssue.expected` — so the words users read are
 * written once, next to the field they describe.
 */
import { z } from 'zod';

const EXPECTED_PREFIX = 'expected ';

/** The message a builder gives its issues. */
export const expectedMessage = (words: string): string => `${EXPECTED_PREFIX}${words}`;

/** Recover the expectation from a builder's message; `undefined` for zod's own messages. */
export const expectedFromMessage = (message: string): string | undefined =>
  message.startsWith(EXPECTED_PREFIX) ? message.slice(EXPECTED_PREFIX.length) : undefined;

/** Prefix of the expectation that strict objects give unknown keys; the field list follows. */
export const FIELDS_PREFIX = 'one of the fields: ';

const err = (words: string) => ({ error: expectedMessage(words) });

export const positiveInt = (description: string) => {
  const e = err('a positive integer');
  return z.number(e).int(e).positive(e).describe(description);
};

export const nonNegativeInt = (description: string) => {
  const e = err('an integer ≥ 0');
  return z.number(e).int(e).nonnegative(e).max(Number.MAX_SAFE_INTEGER, e).describe(description);
};

export const positiveNumber = (description: string) => {
  const e = err('a number > 0');
  return z.number(e).positive(e).describe(description);
};

export const nonNegativeNumber = (description: string) => {
  const e = err('a number ≥ 0');
  return z.number(e).nonnegative(e).describe(description);
};

export const numberAtLeast = (minimum: number, description: string) => {
  const e = err(`a number ≥ ${minimum}`);
  return z.number(e).gte(minimum, e).describe(description);
};

/** A fraction in (0, 1]. */
export const fractionOpenClosed = (description: string) => {
  const e = err('a number in (0, 1]');
  return z.number(e).gt(0, e).lte(1, e).describe(description);
};

/** A fraction in [0, 1). */
export const fractionClosedOpen = (description: string) => {
  const e = err('a number in [0, 1)');
  return z.number(e).gte(0, e).lt(1, e).describe(description);
};

export const text = (description: string) => {
  const e = err('a non-empty string');
  return z.string(e).min(1, e).describe(description);
};

export const bool = (description: string) => z.boolean(err('true or false')).describe(description);

export const oneOf = <const T extends readonly [string, ...string[]]>(
  values: T,
  description: string,
) => z.enum(values, err(`one of: ${values.join(', ')}`)).describe(description);

/**
 * A strict mapping: unknown keys are errors (typos never pass silently). `what` names the
 * mapping in words for the case where something else stands in its place.
 */
export const mapping = <S extends z.ZodRawShape>(shape: S, what: string, description: string) => {
  const fields = Object.keys(shape).join(', ');
  return z
    .strictObject(shape, {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? expectedMessage(`${FIELDS_PREFIX}${fields}`)
          : expectedMessage(`${what} (a mapping with fields: ${fields})`),
    })
    .describe(description);
};

export const list = <T extends z.ZodType>(item: T, what: string, description: string) => {
  const e = err(`a non-empty list of ${what}`);
  return z.array(item, e).min(1, e).describe(description);
};
