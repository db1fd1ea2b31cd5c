/**
 * Open-loop feeds: the pending arrival time of a source's next request or session, held one at
 * a time so a source never materialises its run.
 */
import type { ArrivalProcess } from './arrivals.js';

/** The next open-loop arrival: peek its time, then take it. */
export interface OpenLoopFeed {
  /** Time of the next arrival, seconds; undefined when there are no more. Idempotent. */
  peekSeconds(): number | undefined;
  /** Consume the peeked arrival. */
  take(): void;
}

/** Arrivals of an `ArrivalProcess`, one time drawn ahead at most. */
export function processFeed(process: ArrivalProcess): OpenLoopFeed {
  let pending: number | undefined;
  let hasPending = false;
  return {
    peekSeconds: () => {
      if (!hasPending) {
        pending = process.nextArrivalSeconds();
        hasPending = true;
      }
      return pending;
    },
    take: () => {
      hasPending = false;
    },
  };
}

/** `count` arrivals at t = 0: the closed-loop clients' first requests or sessions. */
export function initialBurstFeed(count: number): OpenLoopFeed {
  let remaining = count;
  return {
    peekSeconds: () => (remaining > 0 ? 0 : undefined),
    take: () => {
      remaining--;
    },
  };
}
