/**
 * Per-run id allocation. One allocator is shared by every workload source of a run, so request,
 * content and session ids are unique fleet-wide; the counters live on the instance (never in
 * module state, unlike Vidur's class-level counters), so two runs never share ids.
 */

/** Dense counters from 0: each `next…Id()` returns the previous value + 1. */
export class IdAllocator {
  private numRequests = 0;
  private numContents = 0;
  private numSessions = 0;

  /** Next `SimRequest.id` (dense, creation order). */
  nextRequestId(): number {
    return this.numRequests++;
  }

  /** Next `PromptSegment.contentId`: a token stream distinct from every earlier one. */
  nextContentId(): number {
    return this.numContents++;
  }

  /** Next `SimRequest.sessionId`. */
  nextSessionId(): number {
    return this.numSessions++;
  }

  /** How many ids of each kind were handed out so far. */
  counts(): { requests: number; contents: number; sessions: number } {
    return {
      requests: this.numRequests,
      contents: this.numContents,
      sessions: this.numSessions,
    };
  }
}
