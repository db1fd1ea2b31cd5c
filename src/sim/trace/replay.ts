/**
 * Replay trace records as an open-loop `WorkloadSource`: records are pulled lazily (a generator
 * from an `iterate…` reader streams a million-row trace), arrivals are
 * `startSeconds + arrivalSeconds / timeScale`, and nothing is released on completion.
 */
import { AifError, ERROR_CODES, requireArg } from '../../core/errors.js';
import type { FollowUp, PromptSegment, SimRequest, WorkloadSource } from '../types.js';
import type { TraceRecord } from './types.js';

export interface TraceSourceOptions {
  /** Workload class index stamped on every request. */
  classIndex: number;
  /** Speed-up: 2 replays the trace twice as fast (arrival times halved). Default 1. */
  timeScale?: number;
  /** Simulated time of the trace's 0 s. Default 0. */
  startSeconds?: number;
  /** Run-wide dense request ids, called once per request in arrival order. */
  allocateRequestId: () => number;
  /** Run-wide content ids: one per distinct trace content key, one per segment-less prompt. */
  allocateContentId: () => number;
  /** Scheduling priority of every request (0 first). Default 0. */
  priority?: number;
  /**
   * Run-wide session ids, called once per distinct trace `sessionId` (so two traces replayed
   * together cannot share a session). Absent: trace session ids pass through unchanged.
   */
  allocateSessionId?: () => number;
}

/**
 * A `WorkloadSource` replaying `records` (sorted by arrival). Prompts with segments keep them,
 * their trace-local `contentId`s mapped through one map per source (equal keys ⇒ equal run ids,
 * so shared prefixes stay shared); a prompt without segments becomes one segment with a fresh
 * content id (shares nothing). `onComplete` returns [] (open loop). O(1) per request beyond
 * its segments; memory O(distinct content keys).
 * @throws AifError (E_INVALID_ARGUMENT) for a bad option, or — when pulled — a record that
 *   arrives before the previous one or whose segments do not sum to its prompt tokens.
 */
export function traceSource(
  records: Iterable<TraceRecord>,
  options: TraceSourceOptions,
): WorkloadSource {
  const timeScale = options.timeScale ?? 1;
  const startSeconds = options.startSeconds ?? 0;
  const priority = options.priority ?? 0;
  requireArg(
    Number.isFinite(timeScale) && timeScale > 0,
    'traceSource',
    `timeScale must be a positive finite number (got ${timeScale})`,
  );
  requireArg(
    Number.isFinite(startSeconds),
    'traceSource',
    `startSeconds must be finite (got ${startSeconds})`,
  );
  requireArg(
    Number.isSafeInteger(options.classIndex) && options.classIndex >= 0,
    'traceSource',
    `classIndex must be a non-negative integer (got ${options.classIndex})`,
  );

  const iterator = records[Symbol.iterator]();
  const contentIds = new Map<number, number>();
  const sessionIds = new Map<number, number>();
  let lookahead: TraceRecord | undefined;
  let exhausted = false;
  let previousArrivalSeconds = Number.NEGATIVE_INFINITY;
  let position = 0;

  const bad = (message: string): AifError =>
    new AifError(ERROR_CODES.INVALID_ARGUMENT, `traceSource: record ${position}: ${message}`);

  const peekRecord = (): TraceRecord | undefined => {
    if (lookahead === undefined && !exhausted) {
      const step = iterator.next();
      if (step.done) exhausted = true;
      else {
        const r = step.value;
        if (!(r.arrivalSeconds >= previousArrivalSeconds) || !Number.isFinite(r.arrivalSeconds))
          throw bad(
            `arrives at ${r.arrivalSeconds} s, before the previous record (${previousArrivalSeconds} s); records must be sorted (the parse… readers sort)`,
          );
        previousArrivalSeconds = r.arrivalSeconds;
        lookahead = r;
      }
    }
    return lookahead;
  };

  const segmentsOf = (r: TraceRecord): PromptSegment[] => {
    if (r.segments === undefined)
      return [{ contentId: options.allocateContentId(), tokens: r.promptTokens }];
    let sum = 0;
    const out = r.segments.map((s) => {
      sum += s.tokens;
      let id = contentIds.get(s.contentId);
      if (id === undefined) {
        id = options.allocateContentId();
        contentIds.set(s.contentId, id);
      }
      return { contentId: id, tokens: s.tokens };
    });
    if (sum !== r.promptTokens)
      throw bad(`segments hold ${sum} tokens but promptTokens is ${r.promptTokens}`);
    return out;
  };

  const sessionOf = (traceSessionId: number): number => {
    if (!options.allocateSessionId) return traceSessionId;
    let id = sessionIds.get(traceSessionId);
    if (id === undefined) {
      id = options.allocateSessionId();
      sessionIds.set(traceSessionId, id);
    }
    return id;
  };

  return {
    peekSeconds(): number | undefined {
      const r = peekRecord();
      return r === undefined ? undefined : startSeconds + r.arrivalSeconds / timeScale;
    },
    next(): SimRequest | undefined {
      const r = peekRecord();
      if (r === undefined) return undefined;
      lookahead = undefined;
      const request: SimRequest = {
        id: options.allocateRequestId(),
        classIndex: options.classIndex,
        arrivalSeconds: startSeconds + r.arrivalSeconds / timeScale,
        promptTokens: r.promptTokens,
        outputTokens: r.outputTokens,
        segments: segmentsOf(r),
        priority,
      };
      if (r.sessionId !== undefined) request.sessionId = sessionOf(r.sessionId);
      position++;
      return request;
    },
    onComplete(_request: SimRequest, _nowSeconds: number, _ok: boolean): FollowUp[] {
      return [];
    },
  };
}
