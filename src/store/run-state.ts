/**
 * The run state machine and the argument checks every `Store` implementation shares, kept apart
 * from SQLite so that another implementation (or a test double) enforces the same rules.
 *
 *   queued ─▶ running ─▶ done | failed | cancelled
 *   queued ─▶ failed | cancelled
 *
 * `done`, `failed` and `cancelled` are final: a final row never changes again (not even its
 * progress), so a result once served is the result forever.
 */
import { AifError, ERROR_CODES } from '../core/errors.js';
import type { RunKind, RunStatus, StoredRun } from './types.js';

export const RUN_KINDS: readonly RunKind[] = ['simulate', 'estimate', 'sweep', 'sweep-point'];
export const RUN_STATUSES: readonly RunStatus[] = [
  'queued',
  'running',
  'done',
  'failed',
  'cancelled',
];
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['done', 'failed', 'cancelled'];

/** Status changes allowed out of each status (a status "changing" to itself is no change). */
export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  queued: ['running', 'failed', 'cancelled'],
  running: ['done', 'failed', 'cancelled'],
  done: [],
  failed: [],
  cancelled: [],
};

/** Rows a list method returns when no limit is given. */
export const DEFAULT_LIST_LIMIT = 100;

export type RunChange = {
  status?: RunStatus;
  progress?: number;
  resultJson?: string;
  errorJson?: string;
  updatedAt: string;
};

/** An E_INVALID_ARGUMENT error naming the function, field, offending value and expectation. */
export function invalidArgument(
  fn: string,
  path: string,
  value: unknown,
  expected: string,
  message = `${path} must be ${expected}`,
): AifError {
  return new AifError(ERROR_CODES.INVALID_ARGUMENT, `${fn}: ${message}`, [
    { path, message, value: shortValue(value), expected },
  ]);
}

/** Issues carry the value for the reader; a megabyte result is cut to its first characters. */
function shortValue(value: unknown): unknown {
  const MAX_CHARS = 200;
  return typeof value === 'string' && value.length > MAX_CHARS
    ? `${value.slice(0, MAX_CHARS)}… (${value.length} chars)`
    : value;
}

/** A lone UTF-16 surrogate cannot be written as UTF-8: SQLite would get U+FFFD instead. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Texts are stored byte-identical or refused: a string with a lone surrogate (never produced by
 * `JSON.stringify`) would silently come back different, so it is rejected.
 */
export function requireText(fn: string, path: string, value: unknown, nonEmpty = false): string {
  if (typeof value !== 'string') throw invalidArgument(fn, path, value, 'a string');
  if (nonEmpty && value.length === 0) throw invalidArgument(fn, path, value, 'a non-empty string');
  const bad = LONE_SURROGATE.exec(value);
  if (bad) {
    throw invalidArgument(
      fn,
      path,
      value,
      'well-formed Unicode text',
      `${path} has a lone UTF-16 surrogate at index ${bad.index}; it cannot be stored unchanged`,
    );
  }
  return value;
}

const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An ISO 8601 timestamp with a zone (`Z` or `±hh:mm`), returned as `Date#toISOString()` (UTC,
 * milliseconds). One fixed format makes text order equal time order, which the list methods'
 * `ORDER BY created_at` relies on ('…00Z' sorts after '…00.500Z' as text).
 */
export function normalizeTimestamp(fn: string, path: string, value: unknown): string {
  const expected = 'an ISO 8601 timestamp with a zone, e.g. 2026-01-31T12:00:00.000Z';
  if (typeof value !== 'string') throw invalidArgument(fn, path, value, expected);
  const m = ISO_TIMESTAMP.exec(value);
  const ms = Date.parse(value);
  if (!m || !Number.isFinite(ms)) throw invalidArgument(fn, path, value, expected);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((s) => Number(s ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Date.parse rolls 2026-02-30 over into March; a calendar date must exist as written.
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const dateExists = calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
  const zoneOk = m[7] === 'Z' || (Number(m[8]) <= 23 && Number(m[9]) <= 59);
  if (!dateExists || hour > 23 || minute > 59 || second > 59 || !zoneOk) {
    throw invalidArgument(fn, path, value, expected);
  }
  return new Date(ms).toISOString();
}

export function requireRunKind(fn: string, kind: unknown): RunKind {
  if (!RUN_KINDS.includes(kind as RunKind)) {
    throw invalidArgument(fn, 'kind', kind, `one of ${RUN_KINDS.join(', ')}`);
  }
  return kind as RunKind;
}

export function requireSeed(fn: string, seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw invalidArgument(fn, 'seed', seed, 'a safe integer');
  }
  return seed;
}

/** `limit` of a list call: a positive integer, default {@link DEFAULT_LIST_LIMIT}. */
export function listLimit(fn: string, limit: unknown): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    throw invalidArgument(fn, 'limit', limit, 'a positive integer');
  }
  return limit;
}

/**
 * The run after `change`, or an E_INVALID_ARGUMENT error naming the field. Pure: the caller reads
 * `current` and writes the result in one transaction.
 */
export function applyRunChange(current: StoredRun, change: RunChange): StoredRun {
  const fn = 'updateRun';
  const updatedAt = normalizeTimestamp(fn, 'updatedAt', change.updatedAt);
  if (FINAL_RUN_STATUSES.includes(current.status)) {
    throw invalidArgument(
      fn,
      'status',
      change.status ?? current.status,
      'no change: the run is final',
      `run ${current.id} is ${current.status}, a final state; it cannot change`,
    );
  }
  const status = change.status ?? current.status;
  if (!RUN_STATUSES.includes(status)) {
    throw invalidArgument(fn, 'status', status, `one of ${RUN_STATUSES.join(', ')}`);
  }
  if (status !== current.status && !RUN_TRANSITIONS[current.status].includes(status)) {
    throw invalidArgument(
      fn,
      'status',
      status,
      `one of ${RUN_TRANSITIONS[current.status].join(', ')} (from ${current.status})`,
      `run ${current.id} cannot go from ${current.status} to ${status}`,
    );
  }
  let progress = current.progress;
  if (change.progress !== undefined) {
    const p = change.progress;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw invalidArgument(fn, 'progress', p, 'a number in [0, 1]');
    }
    progress = p;
  }
  if (status === 'done') {
    if (change.resultJson === undefined) {
      throw invalidArgument(
        fn,
        'resultJson',
        undefined,
        'the result JSON text when status is done',
      );
    }
    if (change.progress !== undefined && change.progress !== 1) {
      throw invalidArgument(fn, 'progress', change.progress, '1 (or absent) when status is done');
    }
    progress = 1;
  } else if (change.resultJson !== undefined) {
    throw invalidArgument(fn, 'resultJson', change.resultJson, 'absent unless status is done');
  }
  if (status === 'failed') {
    if (change.errorJson === undefined) {
      throw invalidArgument(
        fn,
        'errorJson',
        undefined,
        'the error JSON text when status is failed',
      );
    }
  } else if (change.errorJson !== undefined) {
    throw invalidArgument(fn, 'errorJson', change.errorJson, 'absent unless status is failed');
  }
  return {
    ...current,
    status,
    progress,
    resultJson:
      change.resultJson === undefined
        ? current.resultJson
        : requireText(fn, 'resultJson', change.resultJson),
    errorJson:
      change.errorJson === undefined
        ? current.errorJson
        : requireText(fn, 'errorJson', change.errorJson),
    updatedAt,
  };
}

/** The `errorJson` of a run its process never finished (see `Store.failUnfinishedRuns`). */
export function interruptedErrorJson(reason: string): string {
  return JSON.stringify({ code: 'E_INTERRUPTED', message: reason });
}
