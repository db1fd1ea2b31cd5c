/**
 * From the raw event log to one record per request (pure). The assembly checks the log's
 * accounting: each scheduled request has exactly one terminal event, and no event names a
 * request that was never scheduled; any breach is listed in `issues`, never silently dropped.
 */
import type { ChunkContent, ErrorKind, LoadgenEvent } from './events.js';

export interface RecordedChunk {
  tSeconds: number;
  choices: boolean;
  content: ChunkContent | null;
  tokens: number;
}

export type RequestTerminal =
  | {
      kind: 'done';
      tSeconds: number;
      finishReason: string | null;
      clientTokens: number | null;
      tokenizer: string | null;
    }
  | { kind: 'error'; tSeconds: number; errorKind: ErrorKind; message: string; httpStatus?: number };

export interface RequestRecord {
  requestId: number;
  stage: number;
  className: string;
  sessionId?: number;
  intendedSeconds: number;
  promptTokensRequested: number;
  maxTokens: number;
  dispatchedSeconds: number | null;
  httpStatus: number | null;
  firstByteSeconds: number | null;
  /** Every data message, in arrival order. */
  chunks: RecordedChunk[];
  /** The last `usage` the stream reported (not a sum), or null. */
  usage: { promptTokens: number | null; completionTokens: number | null } | null;
  terminal: RequestTerminal | null;
}

export interface StageInfo {
  stage: number;
  label: string;
  startedAtIso: string;
  offeredLoad: number | null;
  offeredLoadUnit: 'concurrency' | 'requests/s' | 'scenario';
  durationSeconds: number | null;
  /** Time of the `stage-end` event, seconds since the stage start; null if missing. */
  endSeconds: number | null;
}

export interface AssembledLog {
  stages: StageInfo[];
  /** Requests by stage, then in scheduling order. */
  records: RequestRecord[];
  /** Accounting breaches (empty for a sound log). */
  issues: string[];
}

/**
 * Group a log into stages and request records. Request ids are unique per stage (each stage
 * allocates its own); events after a `stage-start` belong to that stage. O(events).
 */
export function assembleLog(events: Iterable<LoadgenEvent>): AssembledLog {
  const stages: StageInfo[] = [];
  const records: RequestRecord[] = [];
  const issues: string[] = [];
  let current: Map<number, RequestRecord> = new Map();
  let stage = -1;
  const closeStage = (): void => {
    for (const r of current.values())
      if (r.terminal === null)
        issues.push(`stage ${r.stage}: request ${r.requestId} has no terminal event`);
  };
  for (const e of events) {
    switch (e.type) {
      case 'stage-start':
        closeStage();
        current = new Map();
        stage = e.stage;
        stages.push({
          stage: e.stage,
          label: e.label,
          startedAtIso: e.startedAtIso,
          offeredLoad: e.offeredLoad,
          offeredLoadUnit: e.offeredLoadUnit,
          durationSeconds: null,
          endSeconds: null,
        });
        continue;
      case 'stage-end': {
        const s = stages.find((x) => x.stage === e.stage);
        if (s) {
          s.durationSeconds = e.durationSeconds;
          s.endSeconds = e.tSeconds;
        } else issues.push(`stage-end for unknown stage ${e.stage}`);
        continue;
      }
      case 'scheduled': {
        if (current.has(e.requestId)) {
          issues.push(`stage ${stage}: request ${e.requestId} scheduled twice`);
          continue;
        }
        const r: RequestRecord = {
          requestId: e.requestId,
          stage: e.stage,
          className: e.className,
          ...(e.sessionId === undefined ? {} : { sessionId: e.sessionId }),
          intendedSeconds: e.tSeconds,
          promptTokensRequested: e.promptTokens,
          maxTokens: e.maxTokens,
          dispatchedSeconds: null,
          httpStatus: null,
          firstByteSeconds: null,
          chunks: [],
          usage: null,
          terminal: null,
        };
        current.set(e.requestId, r);
        records.push(r);
        continue;
      }
      default:
        break;
    }
    const r = current.get(e.requestId);
    if (!r) {
      issues.push(`stage ${stage}: ${e.type} event for unscheduled request ${e.requestId}`);
      continue;
    }
    if (r.terminal !== null) {
      issues.push(`stage ${stage}: ${e.type} event after request ${e.requestId} ended`);
      continue;
    }
    switch (e.type) {
      case 'dispatched':
        r.dispatchedSeconds = e.tSeconds;
        break;
      case 'status':
        r.httpStatus = e.httpStatus;
        break;
      case 'first-byte':
        r.firstByteSeconds = e.tSeconds;
        break;
      case 'chunk':
        r.chunks.push({
          tSeconds: e.tSeconds,
          choices: e.choices,
          content: e.content,
          tokens: e.tokens,
        });
        break;
      case 'usage':
        r.usage = { promptTokens: e.promptTokens, completionTokens: e.completionTokens };
        break;
      case 'done':
        r.terminal = {
          kind: 'done',
          tSeconds: e.tSeconds,
          finishReason: e.finishReason,
          clientTokens: e.clientTokens,
          tokenizer: e.tokenizer,
        };
        break;
      case 'error':
        r.terminal = {
          kind: 'error',
          tSeconds: e.tSeconds,
          errorKind: e.kind,
          message: e.message,
          ...(e.httpStatus === undefined ? {} : { httpStatus: e.httpStatus }),
        };
        break;
    }
  }
  closeStage();
  return { stages, records, issues };
}
