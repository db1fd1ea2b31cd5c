/**
 * Open-loop feeds: the pending arrival time of a source's next request or session, held one at
 * a time so a source never materialises its run.
 */
import { requireArg } from '../../core/errors.js';
import type { RngStream } from '../../core/rng.js';
import { createArrivalProcess, type ArrivalProcess } from './arrivals.js';
import type { ClassArrivalSpec } from './spec.js';

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

/**
 * The feed of a class's arrivals: `concurrency` clients starting at t = 0 (closed loop; each
 * later request comes back through `onComplete`), or an open-loop arrival process.
 * @throws AifError E_INVALID_ARGUMENT (named after `fn`) for a non-positive concurrency.
 */
export function classFeed(
  arrivals: ClassArrivalSpec,
  rng: RngStream,
  fn: string,
): { feed: OpenLoopFeed; closedLoop: boolean } {
  if (arrivals.process === 'closed-loop') {
    const n = arrivals.concurrency;
    requireArg(
      Number.isInteger(n) && n > 0,
      fn,
      `concurrency must be a positive integer, got ${n}`,
    );
    return { feed: initialBurstFeed(n), closedLoop: true };
  }
  return { feed: processFeed(createArrivalProcess(arrivals, rng)), closedLoop: false };
}
