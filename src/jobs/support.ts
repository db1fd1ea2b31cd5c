/**
 * Pieces every executor shares: progress throttling, the error form that crosses a thread or
 * queue boundary, and the refusal after `close()`.
 */
import {
  AifError,
  ERROR_CODES,
  isAifError,
  type ErrorCode,
  type ErrorIssue,
} from '../core/errors.js';
import type { JobProgress } from './types.js';

/** At most this many progress events per second per job reach `onProgress`. */
export const MAX_PROGRESS_EVENTS_PER_SECOND = 10;

/**
 * Forward at most one event per `1000 / maxPerSecond` ms; the first event and completion
 * (fraction 1) always pass, so a consumer sees the start and the end. Dropped events are not
 * replayed: handlers run synchronously, so no timer could flush them before the next one anyway.
 */
export function throttleProgress(
  sink: (p: JobProgress) => void,
  nowMs: () => number,
  maxPerSecond = MAX_PROGRESS_EVENTS_PER_SECOND,
): (p: JobProgress) => void {
  const minIntervalMs = 1000 / maxPerSecond;
  let lastSentMs: number | undefined;
  return (p) => {
    const now = nowMs();
    if (p.fraction < 1 && lastSentMs !== undefined && now - lastSentMs < minIntervalMs) return;
    lastSentMs = now;
    sink(p);
  };
}

/**
 * An error as plain data. Structured cloning (worker threads) and JSON (queues) keep neither an
 * error's class nor its own fields, so an AifError travels as `{code, message, issues}` and is
 * rebuilt on the other side; any other error keeps its message (and name) only.
 */
export type SerialisedJobError =
  | { kind: 'aif'; code: ErrorCode; message: string; issues: ErrorIssue[] }
  | { kind: 'error'; name: string; message: string };

export function serialiseJobError(e: unknown): SerialisedJobError {
  if (isAifError(e)) {
    // JSON round trip: issue values come from the payload, but make sure nothing unclonable rides along.
    const issues = JSON.parse(JSON.stringify(e.issues)) as ErrorIssue[];
    return { kind: 'aif', code: e.code, message: e.message, issues };
  }
  if (e instanceof Error) return { kind: 'error', name: e.name, message: e.message };
  return { kind: 'error', name: 'Error', message: String(e) };
}

export function deserialiseJobError(s: SerialisedJobError): Error {
  if (s.kind === 'aif') return new AifError(s.code, s.message, s.issues);
  const e = new Error(s.message);
  if (s.name !== 'Error') e.name = s.name;
  return e;
}

/** Why `submit` refuses after `close()`. */
export const executorClosedError = (name: string): AifError =>
  new AifError(ERROR_CODES.INVALID_ARGUMENT, `executor ${name} is closed: submit() after close()`);
