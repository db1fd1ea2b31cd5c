/**
 * The source of an agent-session class (DESIGN §5 "Agent sessions"): a session is a chain of
 * LLM calls over a growing context; between a call's end and the next call's arrival lies a
 * think (tool / user) time; calls may fork sub-agent sessions that the parent joins.
 *
 * Prompt representation — compact segment runs. A session's context is append-only (first
 * prompt, then per call: previous output + appended tokens), so the whole context is one token
 * stream with one `contentId`, and call k's prompt is
 *   [class system prompt] + [inherited parent prefix, sub-agents only] + [{context, L_k tokens}].
 * Under the `PromptSegment` contract call k and call k+1 share exactly L_k context tokens (same
 * contentId, overlap min(L_k, L_{k+1}) = L_k), the same prefix a list
 * `[system, input 1, output 1, …, append k]` would give, but each call costs O(1) segments
 * instead of O(k) (a copied list is O(calls²) per session). Inherited prefixes are shared by
 * reference. Compaction (`CompactionSpec`) replaces the context by a summary in a new stream.
 *
 * Randomness: a session draws its whole plan (calls, first prompt, and per call the output,
 * append, think time, compaction summary and sub-agent forks) when it starts. Top-level sessions
 * draw from the class's `requests` stream in start order, so the k-th session's shape is the same
 * whatever order the simulator serves calls in (common random numbers across policies);
 * sub-agents draw from their own stream `${requests stream}/session-${k}/child-${j}`. Drawing
 * up front also keeps the per-call path free of random draws: with thousands of interleaved
 * sessions, per-session generators cost cache misses on every call.
 */
import { requireArg } from '../../core/errors.js';
import { createRng, type RngStream } from '../../core/rng.js';
import type { FollowUp, PromptSegment, SimRequest } from '../types.js';
import { classFeed, type OpenLoopFeed } from './feed.js';
import type { IdAllocator } from './ids.js';
import { invalidArgument } from '../invalid.js';
import { createCountSampler, createSampler, type Sampler } from './sample.js';
import { segmentTokens } from './segments.js';
import {
  zeroCounters,
  type AgentSessionClassSpec,
  type CountingWorkloadSource,
  type SourceOptions,
  type WorkloadSourceCounters,
} from './spec.js';

/** Compiled per-call distributions of a session (top-level or sub-agent). */
interface CallShape {
  sampleAppendTokens: Sampler;
  sampleOutputTokens: Sampler;
  sampleThinkSeconds: Sampler;
  /** Compaction summaries, when the class compacts. */
  sampleSummaryTokens: Sampler | undefined;
}

/** A session's draws, made when it starts; index i is call i + 1. */
interface SessionPlan {
  readonly numCalls: number;
  readonly outputTokens: Int32Array;
  /** Appended before call i + 1 (index 0 unused). */
  readonly appendTokens: Int32Array;
  /** Wait after call i + 1 ends (last unused). */
  readonly thinkSeconds: Float64Array;
  /** Summary length if call i + 1 compacts; undefined without compaction. */
  readonly summaryTokens: Int32Array | undefined;
  /** Sub-agents forked after call i + 1 (0: none); undefined for sessions that never fork. */
  readonly numChildren: Uint8Array | undefined;
}

interface Session {
  readonly sessionId: number;
  /** Name of the stream the session's children derive theirs from. */
  readonly streamName: string;
  readonly plan: SessionPlan;
  readonly numCalls: number;
  numCallsIssued: number;
  /** Segments before the context run (shared by reference, never mutated). */
  prefix: readonly PromptSegment[];
  prefixTokens: number;
  /** The prefix a compaction keeps: the class system prompt (and nothing inherited). */
  readonly systemPrefix: readonly PromptSegment[];
  /** Token stream of the context run (a compaction starts a new one). */
  contextContentId: number;
  /** Context-run tokens in the latest call's prompt. */
  contextTokens: number;
  /** Segments of the latest call (a child session inherits them). */
  lastSegments: readonly PromptSegment[];
  lastOutputTokens: number;
  readonly parent: Session | undefined;
  numOpenChildren: number;
  numChildrenForked: number;
}

/** Compiled sub-agent settings. */
interface SubAgentPlan {
  probabilityPerCall: number;
  sampleChildren: Sampler;
  sampleCalls: Sampler;
  sampleTaskTokens: Sampler;
  inheritParentContext: boolean;
  shape: CallShape;
}

const FN = 'createAgentSessionSource';

class AgentSessionSource implements CountingWorkloadSource {
  readonly name: string;
  private readonly classIndex: number;
  private readonly priority: number;
  private readonly ids: IdAllocator;
  private readonly baseRng: RngStream;
  private readonly feed: OpenLoopFeed;
  private readonly closedLoop: boolean;
  private readonly sampleCalls: Sampler;
  private readonly sampleFirstPromptTokens: Sampler;
  private readonly shape: CallShape;
  private readonly systemPromptTokens: number;
  private readonly systemContentId: number;
  private readonly subAgents: SubAgentPlan | undefined;
  private readonly compactionThresholdTokens: number;
  /** Session of each call in flight (released calls included), by request id. */
  private readonly sessionOfRequest = new Map<number, Session>();
  private numTopLevelSessions = 0;
  private readonly counts: WorkloadSourceCounters = zeroCounters();

  constructor(spec: AgentSessionClassSpec, options: SourceOptions) {
    const s = spec.session;
    this.name = options.name ?? `class-${options.classIndex}`;
    this.classIndex = options.classIndex;
    this.priority = spec.priority ?? 0;
    this.ids = options.ids;
    this.baseRng = options.rng.requests;
    this.sampleCalls = createCountSampler(s.calls, 1);
    this.sampleFirstPromptTokens = createCountSampler(s.firstPromptTokens, 1);
    if (s.compaction !== undefined) {
      const threshold = s.compaction.thresholdTokens;
      requireArg(threshold > 0, FN, `compaction.thresholdTokens must be > 0, got ${threshold}`);
    }
    this.compactionThresholdTokens = s.compaction?.thresholdTokens ?? Infinity;
    const sampleSummaryTokens =
      s.compaction === undefined ? undefined : createCountSampler(s.compaction.summaryTokens, 1);
    this.shape = {
      sampleAppendTokens: createCountSampler(s.appendTokens, 0),
      sampleOutputTokens: createCountSampler(s.outputTokens, 1),
      sampleThinkSeconds: createSampler(s.thinkSeconds),
      sampleSummaryTokens,
    };
    const systemTokens = s.systemPromptTokens ?? 0;
    requireArg(
      Number.isInteger(systemTokens) && systemTokens >= 0,
      FN,
      `systemPromptTokens must be an integer ≥ 0, got ${systemTokens}`,
    );
    this.systemPromptTokens = systemTokens;
    this.systemContentId = systemTokens > 0 ? options.ids.nextContentId() : -1;
    const sub = s.subAgents;
    if (sub !== undefined) {
      requireArg(
        sub.probabilityPerCall >= 0 && sub.probabilityPerCall <= 1,
        FN,
        `subAgents.probabilityPerCall must be in [0, 1], got ${sub.probabilityPerCall}`,
      );
      this.subAgents = {
        probabilityPerCall: sub.probabilityPerCall,
        sampleChildren: createCountSampler(sub.childrenPerFork ?? { dist: 'fixed', value: 1 }, 1),
        sampleCalls: createCountSampler(sub.calls, 1),
        sampleTaskTokens: createCountSampler(sub.taskTokens, 1),
        inheritParentContext: (sub.inherit ?? 'parent-context') === 'parent-context',
        shape: {
          sampleAppendTokens: createCountSampler(sub.appendTokens ?? s.appendTokens, 0),
          sampleOutputTokens: createCountSampler(sub.outputTokens ?? s.outputTokens, 1),
          sampleThinkSeconds: createSampler(sub.thinkSeconds ?? s.thinkSeconds),
          sampleSummaryTokens,
        },
      };
    }
    ({ feed: this.feed, closedLoop: this.closedLoop } = classFeed(
      spec.arrivals,
      options.rng.arrivals,
      FN,
    ));
  }

  peekSeconds(): number | undefined {
    return this.feed.peekSeconds();
  }

  next(): SimRequest | undefined {
    const arrivalSeconds = this.feed.peekSeconds();
    if (arrivalSeconds === undefined) return undefined;
    this.feed.take();
    return this.createCall(this.startTopLevelSession(), arrivalSeconds);
  }

  onComplete(request: SimRequest, nowSeconds: number, ok: boolean): FollowUp[] {
    const session = this.sessionOfRequest.get(request.id);
    if (session === undefined)
      invalidArgument(
        'AgentSessionSource.onComplete',
        `request ${request.id} is not a call of this source in flight (completed twice?)`,
      );
    this.sessionOfRequest.delete(request.id);
    if (!ok) {
      this.counts.requestsDropped++;
      return this.endSession(session, nowSeconds, false);
    }
    this.counts.requestsCompleted++;
    session.lastOutputTokens = request.outputTokens;
    if (session.numCallsIssued >= session.numCalls)
      return this.endSession(session, nowSeconds, true);

    const callIndex = session.numCallsIssued - 1;
    const numChildren = session.plan.numChildren?.[callIndex] ?? 0;
    if (numChildren > 0) {
      // The call ended in a sub-agent tool call: children start now; the parent joins them.
      session.numOpenChildren = numChildren;
      const released: FollowUp[] = [];
      for (let i = 0; i < numChildren; i++) {
        const child = this.startChildSession(session);
        released.push({ atSeconds: nowSeconds, request: this.createCall(child, nowSeconds) });
      }
      return released;
    }
    const atSeconds = nowSeconds + session.plan.thinkSeconds[callIndex]!;
    return [{ atSeconds, request: this.createCall(session, atSeconds) }];
  }

  counters(): WorkloadSourceCounters {
    return { ...this.counts };
  }

  /**
   * Draw a session's plan from `rng`, call by call: output, append (calls ≥ 2), think time
   * (clamped at 0; not for the last call), summary (with compaction), forks (top-level sessions
   * with sub-agents; not after the last call: a fork is a tool call, so the parent goes on).
   */
  private drawPlan(
    rng: RngStream,
    shape: CallShape,
    numCalls: number,
    forks: boolean,
  ): SessionPlan {
    const outputTokens = new Int32Array(numCalls);
    const appendTokens = new Int32Array(numCalls);
    const thinkSeconds = new Float64Array(numCalls);
    const sampleSummary = shape.sampleSummaryTokens;
    const summaryTokens = sampleSummary === undefined ? undefined : new Int32Array(numCalls);
    const sub = forks ? this.subAgents : undefined;
    const numChildren = sub === undefined ? undefined : new Uint8Array(numCalls);
    for (let i = 0; i < numCalls; i++) {
      outputTokens[i] = shape.sampleOutputTokens(rng);
      if (i > 0) appendTokens[i] = shape.sampleAppendTokens(rng);
      if (summaryTokens !== undefined) summaryTokens[i] = sampleSummary!(rng);
      if (i + 1 === numCalls) break;
      thinkSeconds[i] = Math.max(0, shape.sampleThinkSeconds(rng));
      if (sub !== undefined && rng.next() < sub.probabilityPerCall) {
        numChildren![i] = Math.min(255, sub.sampleChildren(rng));
      }
    }
    return { numCalls, outputTokens, appendTokens, thinkSeconds, summaryTokens, numChildren };
  }

  private systemPrefix(firstPromptTokens: number): PromptSegment[] {
    const tokens = Math.min(this.systemPromptTokens, firstPromptTokens);
    return tokens > 0 ? [{ contentId: this.systemContentId, tokens }] : [];
  }

  private startTopLevelSession(): Session {
    const ordinal = this.numTopLevelSessions++;
    const rng = this.baseRng;
    const numCalls = this.sampleCalls(rng);
    const firstPromptTokens = this.sampleFirstPromptTokens(rng);
    const plan = this.drawPlan(rng, this.shape, numCalls, true);
    const prefix = this.systemPrefix(firstPromptTokens);
    const prefixTokens = segmentTokens(prefix);
    return this.newSession({
      streamName: `${rng.info.stream}/session-${ordinal}`,
      plan,
      prefix,
      prefixTokens,
      systemPrefix: prefix,
      contextTokens: firstPromptTokens - prefixTokens,
      parent: undefined,
    });
  }

  private startChildSession(parent: Session): Session {
    const sub = this.subAgents!;
    const ordinal = parent.numChildrenForked++;
    const streamName = `${parent.streamName}/child-${ordinal}`;
    const rng = createRng(this.baseRng.info.seed, streamName);
    const numCalls = sub.sampleCalls(rng);
    const taskTokens = sub.sampleTaskTokens(rng);
    const plan = this.drawPlan(rng, sub.shape, numCalls, false);
    const systemPrefix = this.systemPrefix(this.systemPromptTokens);
    const prefix = sub.inheritParentContext ? parent.lastSegments : systemPrefix;
    this.counts.subAgentSessionsStarted++;
    return this.newSession({
      streamName,
      plan,
      prefix,
      prefixTokens: segmentTokens(prefix),
      systemPrefix,
      contextTokens: taskTokens,
      parent,
    });
  }

  private newSession(init: {
    streamName: string;
    plan: SessionPlan;
    prefix: readonly PromptSegment[];
    prefixTokens: number;
    systemPrefix: readonly PromptSegment[];
    contextTokens: number;
    parent: Session | undefined;
  }): Session {
    this.counts.sessionsStarted++;
    // Spelled out (no spread) so every session has the same hidden class.
    return {
      sessionId: this.ids.nextSessionId(),
      streamName: init.streamName,
      plan: init.plan,
      numCalls: init.plan.numCalls,
      prefix: init.prefix,
      prefixTokens: init.prefixTokens,
      systemPrefix: init.systemPrefix,
      contextTokens: init.contextTokens,
      parent: init.parent,
      numCallsIssued: 0,
      contextContentId: this.ids.nextContentId(),
      lastSegments: init.prefix,
      lastOutputTokens: 0,
      numOpenChildren: 0,
      numChildrenForked: 0,
    };
  }

  /**
   * The session's next call, arriving at `arrivalSeconds`. Call 1's context is the first prompt
   * (or the sub-agent's task); call k adds the previous output and a fresh append:
   * L_k = L_{k−1} + output_{k−1} + append_k, unless prefix + L_k would exceed the compaction
   * threshold: then L_k = summary + append_k in a new token stream (`CompactionSpec`), after
   * the system prompt only.
   */
  private createCall(session: Session, arrivalSeconds: number): SimRequest {
    const plan = session.plan;
    const i = session.numCallsIssued;
    if (i > 0) {
      const appendTokens = plan.appendTokens[i]!;
      const grownTokens = session.contextTokens + session.lastOutputTokens + appendTokens;
      if (session.prefixTokens + grownTokens > this.compactionThresholdTokens) {
        // Everything but the system prompt (an inherited parent context too) is summarised.
        session.prefix = session.systemPrefix;
        session.prefixTokens = segmentTokens(session.systemPrefix);
        session.contextContentId = this.ids.nextContentId();
        session.contextTokens = plan.summaryTokens![i]! + appendTokens;
        this.counts.compactions++;
      } else {
        session.contextTokens = grownTokens;
      }
    }
    session.numCallsIssued++;
    const outputTokens = plan.outputTokens[i]!;
    const segments: readonly PromptSegment[] =
      session.contextTokens > 0
        ? session.prefix.concat({
            contentId: session.contextContentId,
            tokens: session.contextTokens,
          })
        : session.prefix;
    session.lastSegments = segments;
    const request: SimRequest = {
      id: this.ids.nextRequestId(),
      classIndex: this.classIndex,
      arrivalSeconds,
      promptTokens: session.prefixTokens + session.contextTokens,
      outputTokens,
      segments,
      sessionId: session.sessionId,
      priority: this.priority,
    };
    this.sessionOfRequest.set(request.id, session);
    this.counts.requestsCreated++;
    return request;
  }

  /**
   * The session ended (`finished` false: a call was dropped). A sub-agent's end may complete
   * its parent's join, releasing the parent's next call now; a closed-loop client starts its
   * next session now.
   */
  private endSession(session: Session, nowSeconds: number, finished: boolean): FollowUp[] {
    if (finished) this.counts.sessionsFinished++;
    else this.counts.sessionsAborted++;
    const parent = session.parent;
    if (parent !== undefined) {
      parent.numOpenChildren--;
      if (parent.numOpenChildren > 0) return [];
      return [{ atSeconds: nowSeconds, request: this.createCall(parent, nowSeconds) }];
    }
    if (!this.closedLoop) return [];
    return [
      { atSeconds: nowSeconds, request: this.createCall(this.startTopLevelSession(), nowSeconds) },
    ];
  }
}

/**
 * The source of an agent-session class. Open loop: sessions start at the arrival process's
 * times; closed loop: `concurrency` sessions start at t = 0 and each ending session (finished
 * or aborted) is replaced at once. A dropped call (`ok` false) aborts its session (counted);
 * a sub-agent's abort still counts toward its parent's join.
 * @throws AifError(E_INVALID_ARGUMENT) for bad concurrency, system prompt or probabilities.
 */
export function createAgentSessionSource(
  spec: AgentSessionClassSpec,
  options: SourceOptions,
): CountingWorkloadSource {
  return new AgentSessionSource(spec, options);
}
