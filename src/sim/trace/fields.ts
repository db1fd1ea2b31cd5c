/**
 * Field readers for trace rows. Each one either returns a value of the promised type or throws
 * an `AifError` (`E_INPUT_FORMAT`) naming the format, file, line, field, the value as written
 * and what was expected — never a silent default.
 */
import { AifError, ERROR_CODES } from '../../core/errors.js';
import type { TraceFormat } from './types.js';

/** Where a value came from, for error messages. */
export interface FieldContext {
  format: TraceFormat;
  line: number;
  fileName?: string;
}

/** `{ fileName }` when the options name a file, else `{}` (for exact optional properties). */
export const fileOf = (o: { fileName?: string }): { fileName?: string } =>
  o.fileName !== undefined ? { fileName: o.fileName } : {};

/** Show a value as written, short enough for one message line. */
function show(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * The error for a malformed field: `<format> <file> line <n>: <field> is <value>; expected <…>`.
 */
export function traceFieldError(
  ctx: FieldContext,
  field: string,
  value: unknown,
  expected: string,
): AifError {
  const where = `${ctx.format} ${ctx.fileName ?? 'trace'} line ${ctx.line}`;
  const message = `${where}: ${field} is ${show(value)}; expected ${expected}`;
  return new AifError(ERROR_CODES.INPUT_FORMAT, message, [
    {
      path: field,
      message,
      value,
      expected,
      line: ctx.line,
      ...(ctx.fileName !== undefined ? { file: ctx.fileName } : {}),
    },
  ]);
}

/** The error for a malformed row or file structure (no single field to blame). */
export function traceLineError(ctx: FieldContext, problem: string): AifError {
  const message = `${ctx.format} ${ctx.fileName ?? 'trace'} line ${ctx.line}: ${problem}`;
  return new AifError(ERROR_CODES.INPUT_FORMAT, message, [
    {
      path: '',
      message,
      line: ctx.line,
      ...(ctx.fileName !== undefined ? { file: ctx.fileName } : {}),
    },
  ]);
}

/** Parse one JSON line or element; a syntax error becomes an `AifError` at `ctx.line`. */
export function parseJsonAt(text: string, ctx: FieldContext): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw traceLineError(ctx, `not valid JSON (${(e as Error).message})`);
  }
}

/** A JSON value that must be an object (not null, not an array). */
export function requireObject(
  value: unknown,
  ctx: FieldContext,
  field = 'row',
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw traceFieldError(ctx, field, value, 'a JSON object');
  return value as Record<string, unknown>;
}

/** A JSON number field holding a finite number. */
export function readFiniteNumber(
  obj: Record<string, unknown>,
  key: string,
  ctx: FieldContext,
): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw traceFieldError(ctx, key, v, 'a finite number');
  return v;
}

/** A JSON number field holding a count: a non-negative safe integer. */
export function readCount(obj: Record<string, unknown>, key: string, ctx: FieldContext): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw traceFieldError(ctx, key, v, 'a non-negative integer');
  return v;
}

/** Strict decimal: optional sign, digits with an optional fraction, optional exponent. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A CSV field holding a decimal number (surrounding spaces allowed). Refuses what `Number()`
 * would quietly accept: the empty string (→ 0), hex, `Infinity`.
 */
export function parseDecimalField(text: string, field: string, ctx: FieldContext): number {
  const t = text.trim();
  const v = DECIMAL.test(t) ? Number(t) : Number.NaN;
  if (!Number.isFinite(v)) throw traceFieldError(ctx, field, text, 'a finite decimal number');
  return v;
}

/** A CSV field holding a count: a non-negative integer (`12` or `12.0`). */
export function parseCountField(text: string, field: string, ctx: FieldContext): number {
  const t = text.trim();
  const v = DECIMAL.test(t) ? Number(t) : Number.NaN;
  if (!Number.isSafeInteger(v) || v < 0)
    throw traceFieldError(ctx, field, text, 'a non-negative integer');
  return v;
}

/**
 * Why a request cannot be replayed, or undefined when it can: the twin needs at least one
 * prompt token (something to prefill) and one output token (prefill emits the first token).
 */
export function unreplayableReason(
  promptTokens: number,
  outputTokens: number,
  promptField: string,
  outputField: string,
): string | undefined {
  if (promptTokens < 1) return `zero prompt tokens (${promptField} = ${promptTokens})`;
  if (outputTokens < 1) return `zero output tokens (${outputField} = ${outputTokens})`;
  return undefined;
}
