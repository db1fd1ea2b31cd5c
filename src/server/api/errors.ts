/**
 * HTTP errors of the API (docs/api.md "Conventions"): one body shape for every failure,
 * `{"error": {code, message, issues}}`, with stable codes — an `AifError` keeps its `E_…` code
 * (400), and the HTTP-only conditions have their own (404, 409, 413, 401, 415, 500). Clients
 * switch on `code`, never on message text.
 */
import type { z } from 'zod';
import {
  AifError,
  ERROR_CODES,
  isAifError,
  type ErrorCode,
  type ErrorIssue,
} from '../../core/errors.js';
import { zodIssueToErrorIssue } from '../../core/zod-issues.js';

/** Codes for conditions that exist only over HTTP. */
export const HTTP_ERROR_CODES = {
  NOT_FOUND: 'E_NOT_FOUND',
  CONFLICT: 'E_CONFLICT',
  TOO_LARGE: 'E_TOO_LARGE',
  UNAUTHORIZED: 'E_UNAUTHORIZED',
  UNSUPPORTED_MEDIA: 'E_UNSUPPORTED_MEDIA',
  INTERNAL: 'E_INTERNAL',
} as const;

export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[keyof typeof HTTP_ERROR_CODES];
export type ApiErrorCode = ErrorCode | HttpErrorCode;

/**
 * One problem with the request: where (body path; `line`/`column` in YAML text, `file` the body
 * field holding that YAML: `yaml`, `a.yaml`, …) and what — the core issue shape, unchanged.
 */
export type ApiIssue = ErrorIssue;

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; issues: ApiIssue[] };
}

/** A failure with its HTTP status; thrown by handlers, rendered by the app's error handler. */
export class HttpError extends Error {
  readonly status: 400 | 401 | 404 | 409 | 413 | 415 | 500;
  readonly code: ApiErrorCode;
  readonly issues: readonly ApiIssue[];

  constructor(
    status: HttpError['status'],
    code: ApiErrorCode,
    message: string,
    issues: readonly ApiIssue[] = [],
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

export const notFound = (what: string, id: string): HttpError =>
  new HttpError(404, HTTP_ERROR_CODES.NOT_FOUND, `no ${what} '${id}'`);

export const conflict = (message: string, issues: readonly ApiIssue[] = []): HttpError =>
  new HttpError(409, HTTP_ERROR_CODES.CONFLICT, message, issues);

/** An id in a request body that names nothing: a bad input (400), not a missing resource. */
export const unknownIdInBody = (path: string, what: string, id: string): HttpError =>
  new HttpError(400, ERROR_CODES.INVALID_ARGUMENT, `no ${what} '${id}'`, [
    { path, message: `unknown ${what}`, value: id, expected: `the id of a stored ${what}` },
  ]);

/** Zod issues of a request part (`body`, `query`) as a 400 naming each field. */
export function invalidRequest(part: string, error: z.ZodError, input: unknown): HttpError {
  const issues = error.issues.map((i) => zodIssueToErrorIssue(i, input));
  return new HttpError(
    400,
    ERROR_CODES.INVALID_ARGUMENT,
    `invalid request ${part}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    issues,
  );
}

/** Issue values are echoed for the reader; a megabyte string is cut short. */
function shortValue(value: unknown): unknown {
  const MAX_CHARS = 200;
  return typeof value === 'string' && value.length > MAX_CHARS
    ? `${value.slice(0, MAX_CHARS)}… (${value.length} chars)`
    : value;
}

function issueOf(i: ApiIssue): ApiIssue {
  const out: ApiIssue = { path: i.path, message: i.message };
  if (i.value !== undefined) out.value = shortValue(i.value);
  if (i.expected !== undefined) out.expected = i.expected;
  if (i.line !== undefined) out.line = i.line;
  if (i.column !== undefined) out.column = i.column;
  if (i.file !== undefined) out.file = i.file;
  return out;
}

/**
 * The status and body for anything a handler threw. `AifError`s are bad input (400): they are
 * raised by validating what the request says. Anything else is a defect (500), reported without
 * internals (`onDefect` sees the original error).
 */
export function errorResponse(
  e: unknown,
  onDefect?: (e: unknown) => void,
): { status: HttpError['status']; body: ApiErrorBody } {
  if (e instanceof HttpError)
    return {
      status: e.status,
      body: { error: { code: e.code, message: e.message, issues: e.issues.map(issueOf) } },
    };
  if (isAifError(e))
    return {
      status: 400,
      body: { error: { code: e.code, message: e.message, issues: e.issues.map(issueOf) } },
    };
  onDefect?.(e);
  return {
    status: 500,
    body: {
      error: {
        code: HTTP_ERROR_CODES.INTERNAL,
        message: 'internal error (a defect — please report it)',
        issues: [],
      },
    },
  };
}

/** An error that crossed a thread as plain data (`{name:'AifError', code, message, issues}`) back as an `AifError`. */
export function reviveAifError(e: unknown): unknown {
  if (isAifError(e)) return e;
  const o = e as { name?: unknown; code?: unknown; message?: unknown; issues?: unknown } | null;
  const codes = Object.values(ERROR_CODES) as string[];
  if (
    o !== null &&
    typeof o === 'object' &&
    typeof o.code === 'string' &&
    codes.includes(o.code) &&
    typeof o.message === 'string'
  )
    return new AifError(
      o.code as ErrorCode,
      o.message,
      Array.isArray(o.issues) ? (o.issues as AifError['issues']) : [],
    );
  return e;
}
