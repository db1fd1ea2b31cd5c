/**
 * Boundary types of the serving twin (DESIGN §5). Plain data shared by the workload
 * generators, routers, the replica scheduler, the KV-cache manager and the metrics recorder,
 * so each family can be written and tested on its own.
 */
import type { RngStream } from '../core/rng.js';

/**
 * A run of prompt tokens with a content identity. Two segments with the same `contentId` hold
 * the same token stream, so they share their first `min(a.tokens, b.tokens)` tokens. A prompt
 * is a list of segments; the prefix two prompts share is their common leading segments plus
 * the overlap of the first differing pair when both carry the same `contentId`.
 * Example: an agent session's call k has segments
 * `[system prompt, call-1 input, call-1 output, …, call-k new tokens]`.
 */
export interface PromptSegment {
  /** Identity of the token stream (non-negative integer, unique per distinct content). */
  contentId: number;
  tokens: number;
}

/** One LLM call as the twin sees it when it arrives at the router. */
export interface SimRequest {
  /** Dense id in creation order, unique within a run. */
  id: number;
  /** Index of the workload class (scenario order). */
  classIndex: number;
  arrivalSeconds: number;
  promptTokens: number;
  outputTokens: number;
  /** Prompt content as runs; Σ tokens = promptTokens. Prefix caching and affinity use it. */
  segments: readonly PromptSegment[];
  /** Agent session the call belongs to (affinity routing), if any. */
  sessionId?: number;
  /** Scheduling priority: 0 is served first; larger numbers later. */
  priority: number;
}

/** A request released at a later time (a session's next call after a tool wait, a sub-agent). */
export interface FollowUp {
  atSeconds: number;
  request: SimRequest;
}

/**
 * Where requests come from. Open-loop arrivals are pulled lazily (`peekSeconds`/`next`) so a
 * million-request trace streams; closed-loop and session follow-ups come back from
 * `onComplete` when a call finishes (or is dropped).
 */
export interface WorkloadSource {
  /** Arrival time of the next open-loop request, or undefined when there are no more. */
  peekSeconds(): number | undefined;
  /** Pop the next open-loop request (its `arrivalSeconds` = the peeked time). */
  next(): SimRequest | undefined;
  /**
   * A request ended at `nowSeconds` (`ok` false: dropped after a failure and not retried).
   * Returns the requests it releases, with their release times (≥ nowSeconds).
   */
  onComplete(request: SimRequest, nowSeconds: number, ok: boolean): FollowUp[];
}

/** What a router may read about one replica (possibly a stale snapshot). */
export interface ReplicaLoad {
  /** Replica index in the fleet (0-based). */
  index: number;
  /** False while failed, cold-starting or scaled in: never route to it. */
  up: boolean;
  /** Requests routed to the replica and not yet finished (waiting + running). */
  numOutstandingRequests: number;
  /** Σ over outstanding requests of prompt tokens still to prefill + output tokens still to generate. */
  numOutstandingTokens: number;
  numFreeKvBlocks: number;
  numTotalKvBlocks: number;
}

/** A load a fleet may keep indexed for least-loaded routing: a numeric field of `ReplicaLoad`. */
export type LoadMeasure = 'numOutstandingTokens' | 'numOutstandingRequests';

/** The fleet as a router sees it. Indexing is O(1); routers avoid scanning when they can. */
export interface FleetView {
  readonly numReplicas: number;
  load(index: number): ReplicaLoad;
  /**
   * Optional index over the loads: the up replica with the smallest `measure` (ties to the
   * lowest index; -1 when none is up) — exactly the replica a scan of `load` picks — in
   * O(1) to O(log n) instead of O(n). Views without one (stale snapshots, test fleets) leave
   * it out; routers then scan (`router/fleet-scan.ts`).
   */
  leastLoadedUp?(measure: LoadMeasure): number;
}

export interface RouteContext {
  nowSeconds: number;
  /** The router's own named stream (random choice, tie breaks). */
  rng: RngStream;
}

/** A routing policy (DESIGN §5). Returns a replica index with `up` true, or -1 when none is up. */
export interface Router {
  readonly name: string;
  route(request: SimRequest, fleet: FleetView, ctx: RouteContext): number;
  /** The request left its replica (finished or dropped); affinity routers may forget state. */
  onComplete?(request: SimRequest, replicaIndex: number): void;
}

/**
 * KV-cache manager of one replica (vLLM v1 `KVCacheManager` contract, block counts only).
 * Block accounting: `numUsedBlocks + numFreeBlocks = numTotalBlocks`, where free blocks include
 * cached blocks that no running request references (evictable, LRU in simulated time).
 */
export interface KvCacheManager {
  readonly blockSizeTokens: number;
  readonly numTotalBlocks: number;
  numFreeBlocks(): number;
  numUsedBlocks(): number;
  /**
   * Tokens of the request's prompt already cached (vLLM `get_computed_blocks`): whole blocks
   * only and at most `promptTokens − 1` (the last prompt token is always recomputed to sample).
   * `fromOffloadTokens` of them sit in a slower tier and must be reloaded; `reloadSeconds` is
   * their transfer time (0 when none). Does not allocate or change LRU order.
   */
  lookupPrefix(request: SimRequest, nowSeconds: number): PrefixLookup;
  /**
   * Make the request hold blocks for `numTokens` tokens in total (computed + about to be
   * computed), reusing its cached prefix on the first call. Returns false and changes nothing
   * when the free blocks do not suffice.
   */
  allocate(request: SimRequest, numTokens: number, nowSeconds: number): boolean;
  /** Release the request's blocks; with prefix caching its full prompt blocks stay cached. */
  free(request: SimRequest, nowSeconds: number): void;
  stats(): KvCacheStats;
}

export interface PrefixLookup {
  cachedTokens: number;
  fromOffloadTokens: number;
  reloadSeconds: number;
}

export interface KvCacheStats {
  /** Prompt tokens looked up at admission, and how many of them hit (any tier). */
  lookupTokens: number;
  hitTokens: number;
  /** Hits served from an offload tier (host DRAM, NVMe). */
  offloadHitTokens: number;
  evictedBlocks: number;
  offloadedBlocks: number;
  numCachedBlocks: number;
}
