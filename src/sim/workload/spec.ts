/**
 * Plain-data specs of workload classes as the serving twin consumes them (DESIGN §5, §11).
 * Structurally close to the scenario's workload classes (src/scenario/schema.ts), with rates
 * named `ratePerSecond`; `fromScenarioClass` (scenario-adapter.ts) converts one to the other.
 */
import type { DistributionSpec } from '../../core/distributions.js';
import type { RngStream } from '../../core/rng.js';
import type { WorkloadSource } from '../types.js';
import type { ArrivalSpec } from './arrivals.js';
import type { IdAllocator } from './ids.js';

/** A fixed population of clients, each with one request (or session) in flight at a time. */
export interface ClosedLoopSpec {
  process: 'closed-loop';
  /** Clients in the class, fleet-wide. */
  concurrency: number;
}

/** How a class's requests (or sessions) arrive: an open-loop process or closed-loop clients. */
export type ClassArrivalSpec = ArrivalSpec | ClosedLoopSpec;

/** Independent requests (chat, RAG, completion). */
export interface RequestClassSpec {
  kind: 'request';
  arrivals: ClassArrivalSpec;
  /** Prompt length, tokens (rounded, ≥ 1). */
  inputTokens: DistributionSpec;
  /** Output length, tokens (rounded, ≥ 1). */
  outputTokens: DistributionSpec;
  /**
   * Share f ∈ [0, 1) of each prompt that is a class-wide shared prefix (system prompt): the
   * prompt is [shared segment of round(f·prompt) tokens, one contentId per class] + [unique rest].
   */
  cachedPrefixFraction?: number;
  /** Scheduling priority of the class's requests (0 first; default 0). */
  priority?: number;
}

/** Sub-agents: calls of a session may fork child sessions; the parent waits for all of them. */
export interface SubAgentSpec {
  /** Probability that a non-final call of a top-level session forks sub-agents. */
  probabilityPerCall: number;
  /** Child sessions started by one fork (default 1, at most 255). */
  childrenPerFork?: DistributionSpec;
  /** LLM calls per child session. */
  calls: DistributionSpec;
  /** Task description appended to the child's inherited prefix, tokens. */
  taskTokens: DistributionSpec;
  /** What a child's context starts from (default `parent-context`). */
  inherit?: 'parent-context' | 'system-prompt';
  /** Per-call shapes of the child; each defaults to the parent session's. */
  appendTokens?: DistributionSpec;
  outputTokens?: DistributionSpec;
  thinkSeconds?: DistributionSpec;
}

/** Shape of one agent session: a chain of calls over a growing context. */
export interface SessionSpec {
  /** LLM calls per session (rounded, ≥ 1). */
  calls: DistributionSpec;
  /** Prompt tokens of the first call, system prompt included (rounded, ≥ 1). */
  firstPromptTokens: DistributionSpec;
  /** New tokens (tool results, user turns) appended before each later call (rounded, ≥ 0). */
  appendTokens: DistributionSpec;
  /** Output tokens per call (rounded, ≥ 1). */
  outputTokens: DistributionSpec;
  /** Time between a call's end and the next call's arrival (tool / user time), seconds. */
  thinkSeconds: DistributionSpec;
  /**
   * Leading tokens of every first prompt that are the same for all sessions of the class (system
   * prompt and tool definitions), capped at the first prompt's length. Default 0.
   */
  systemPromptTokens?: number;
  /** Sub-agent forks; none when absent. */
  subAgents?: SubAgentSpec;
  /** Context compaction when a prompt would exceed a threshold; none when absent. */
  compaction?: CompactionSpec;
}

/**
 * Context compaction (what coding agents do near the model's context window, e.g. an
 * auto-compact): when call k's prompt would exceed `thresholdTokens`, everything after the
 * class system prompt (a sub-agent's inherited parent context included) is replaced by a
 * summary: call k = [system prompt] + [summary + the call's appended tokens] in a new token
 * stream, so call k shares only the system prompt with call k−1.
 */
export interface CompactionSpec {
  /** Prompt tokens above which the context is compacted. */
  thresholdTokens: number;
  /** Length of the summary that replaces the context, tokens (rounded, ≥ 1). */
  summaryTokens: DistributionSpec;
}

/** Agent sessions: chains of LLM calls whose prompts grow and share a prefix. */
export interface AgentSessionClassSpec {
  kind: 'agent-session';
  /** Arrivals of sessions (not calls). */
  arrivals: ClassArrivalSpec;
  session: SessionSpec;
  /** Scheduling priority of the class's calls (0 first; default 0). */
  priority?: number;
}

export type WorkloadClassSpec = RequestClassSpec | AgentSessionClassSpec;

/** The random streams of one class: arrival times apart from request contents. */
export interface WorkloadRngs {
  /** Arrival times of open-loop requests or sessions. */
  arrivals: RngStream;
  /**
   * Request contents (lengths, think times, forks). Agent sessions derive one named sub-stream
   * per session from it (same seed, name `${stream}/session-${k}`), so session k's shape does
   * not depend on how other sessions were served.
   */
  requests: RngStream;
}

/** What every source of a run needs besides its spec. */
export interface SourceOptions {
  /** Index of the class in the scenario (goes into `SimRequest.classIndex`). */
  classIndex: number;
  /** The run's shared id allocator. */
  ids: IdAllocator;
  rng: WorkloadRngs;
  /** Name for reports (default `class-${classIndex}`). */
  name?: string;
}

/** Running counts of one source (or the sum over merged sources). */
export interface WorkloadSourceCounters {
  requestsCreated: number;
  requestsCompleted: number;
  requestsDropped: number;
  /** Sessions started, sub-agent sessions included. */
  sessionsStarted: number;
  /** Sessions whose last call completed. */
  sessionsFinished: number;
  /** Sessions ended early because a call was dropped (`onComplete(…, ok = false)`). */
  sessionsAborted: number;
  /** Of `sessionsStarted`, those that are sub-agents. */
  subAgentSessionsStarted: number;
  /** Context compactions (see `CompactionSpec`). */
  compactions: number;
}

/** A workload source that counts what it generated. */
export interface CountingWorkloadSource extends WorkloadSource {
  readonly name: string;
  counters(): WorkloadSourceCounters;
}

/** All counters at zero. */
export const zeroCounters = (): WorkloadSourceCounters => ({
  requestsCreated: 0,
  requestsCompleted: 0,
  requestsDropped: 0,
  sessionsStarted: 0,
  sessionsFinished: 0,
  sessionsAborted: 0,
  subAgentSessionsStarted: 0,
  compactions: 0,
});
