/**
 * Zod validation issues as aifactory `ErrorIssue`s: the field path (an unknown key is named in
 * it), the value found there, and what was expected — one mapping for every schema-checked
 * input (catalog extensions, calibration files, probe datasets, plan files).
 */
import type { z } from 'zod';
import type { ErrorIssue } from './errors.js';

type ZodIssue = z.core.$ZodIssue;

/** The value at a path inside the input, for error reports (undefined when absent). */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

export interface ZodIssueHints {
  /** What an unknown key should have been, e.g. where the fields are documented. */
  unknownKeys?: string;
  /** What a failed string format (e.g. a regex) expects. */
  format?: (format: string) => string | undefined;
}

function expectedOf(issue: ZodIssue, hints: ZodIssueHints): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected;
    case 'invalid_value':
      return `one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return `${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return `${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return (
        hints.unknownKeys ?? 'only the documented fields (check spelling and units in the name)'
      );
    case 'invalid_format':
      return hints.format?.(issue.format) ?? issue.format;
    case 'invalid_union': {
      const options = (issue as { options?: readonly unknown[] }).options;
      return options ? `one of: ${options.map((v) => JSON.stringify(v)).join(', ')}` : undefined;
    }
    default:
      return undefined;
  }
}

/** One zod issue as an `ErrorIssue` naming path, value and expectation. */
export function zodIssueToErrorIssue(
  issue: ZodIssue,
  input: unknown,
  hints: ZodIssueHints = {},
): ErrorIssue {
  const path =
    issue.code === 'unrecognized_keys' && issue.keys.length === 1
      ? [...issue.path, issue.keys[0]!]
      : issue.path;
  const out: ErrorIssue = { path: path.map(String).join('.'), message: issue.message };
  const value = valueAt(input, path);
  if (value !== undefined) out.value = value;
  const expected = expectedOf(issue, hints);
  if (expected !== undefined) out.expected = expected;
  return out;
}
