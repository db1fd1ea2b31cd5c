/**
 * Session affinity: an agent session's calls go back to the replica that served its earlier
 * calls, where its growing context is cached (DESIGN §5), for as long as that replica is up.
 *
 * - A request with a known session whose replica is up goes there (O(1): one map lookup).
 * - A new session, a session whose replica is down, and a request without `sessionId` go to the
 *   up replica with the least outstanding tokens (an O(n) scan, or the fleet's index when it
 *   keeps one: `FleetView.leastLoadedUp`); a session's mapping then points at
 *   the new replica (its context will be rebuilt there), and stays there when the old one
 *   returns.
 * - The router cannot tell when a session has ended, so the table is an LRU of `maxSessions`
 *   entries (the least recently routed session is forgotten first), and `forgetSession` lets a
 *   caller that does know drop one. A forgotten session that calls again is routed as new.
 *
 * Sources: vLLM production-stack `SessionRouter` (`--routing-logic session`) sends a session key
 * to a fixed engine and, without one, to the least-loaded engine (lowest QPS there); the llm-d
 * inference scheduler has a session-affinity scorer. Unlike the production-stack router, which
 * hashes the key onto a ring, this keeps a sticky table so new sessions are load-balanced.
 */
import { requireArg } from '../../core/errors.js';
import type { Router } from '../types.js';
import { leastLoadedUp } from './fleet-scan.js';
import { LruMap } from './lru-map.js';

export interface SessionAffinityOptions {
  /**
   * Most sessions remembered (LRU). Default 100,000: at ~100 bytes per `Map` entry that is about
   * 10 MB, and it exceeds the sessions live at once in any fleet we model (1,000 replicas × ~100
   * concurrent sessions each).
   */
  maxSessions?: number;
}

export const SESSION_AFFINITY_DEFAULT_MAX_SESSIONS = 100_000;

export interface SessionAffinityRouter extends Router {
  /** Drop a session's mapping (e.g. the workload knows it ended). Returns whether it was held. */
  forgetSession(sessionId: number): boolean;
  /** The replica a session is mapped to, or undefined; does not count as a use. */
  replicaOfSession(sessionId: number): number | undefined;
  /** Sessions currently remembered (≤ maxSessions). */
  readonly numSessions: number;
}

/**
 * See the module comment. Ties in the least-tokens fallback go to the lowest index; -1 when no
 * replica is up (the session keeps its mapping, its replica may return).
 * @throws AifError INVALID_ARGUMENT when `maxSessions` is not a positive integer.
 */
export function createSessionAffinityRouter(
  options: SessionAffinityOptions = {},
): SessionAffinityRouter {
  const maxSessions = options.maxSessions ?? SESSION_AFFINITY_DEFAULT_MAX_SESSIONS;
  requireArg(
    Number.isInteger(maxSessions) && maxSessions > 0,
    'createSessionAffinityRouter',
    `maxSessions must be a positive integer, got ${maxSessions}`,
  );
  const sessions = new LruMap<number, number>(maxSessions);
  return {
    name: 'session-affinity',
    route(request, fleet) {
      const sessionId = request.sessionId;
      if (sessionId === undefined) return leastLoadedUp(fleet, 'numOutstandingTokens');
      const mapped = sessions.get(sessionId);
      if (mapped !== undefined && mapped < fleet.numReplicas && fleet.load(mapped).up)
        return mapped;
      const chosen = leastLoadedUp(fleet, 'numOutstandingTokens');
      if (chosen >= 0) sessions.set(sessionId, chosen);
      return chosen;
    },
    forgetSession: (sessionId) => sessions.delete(sessionId),
    replicaOfSession: (sessionId) => sessions.peek(sessionId),
    get numSessions() {
      return sessions.size;
    },
  };
}
