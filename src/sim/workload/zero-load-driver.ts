/**
 * A reference driver for workload sources: it serves every request with no queueing, taking
 * `serviceSeconds(request)` from arrival to completion, and feeds completions back. It stands in
 * for the serving twin when only the workload's own statistics matter (tests, calibration), and
 * checks the source contract on the way (no request lost, released times never in the past).
 */
import type { SimRequest, WorkloadSource } from '../types.js';
import { invalidArgument } from '../invalid.js';

export interface ZeroLoadOptions {
  /** Stop once simulated time passes this (default: run until the source is exhausted). */
  untilSeconds?: number;
  /** Stop after this many requests have arrived (default: no limit). */
  maxRequests?: number;
  /** Time from a request's arrival to its completion, seconds (default 0). */
  serviceSeconds?: (request: SimRequest) => number;
  /** Whether a request completes (true) or is dropped (false); default: all complete. */
  completes?: (request: SimRequest) => boolean;
  /** Called for every request as it arrives, in time order. */
  onArrival?: (request: SimRequest) => void;
  /** Called for every request as it ends. */
  onEnd?: (request: SimRequest, nowSeconds: number, ok: boolean) => void;
}

interface Pending {
  seconds: number;
  seq: number;
  /** true: the request arrives; false: it completes. */
  arrival: boolean;
  request: SimRequest;
}

const earlier = (a: Pending, b: Pending): boolean =>
  a.seconds < b.seconds || (a.seconds === b.seconds && a.seq < b.seq);

/** Binary min-heap on (seconds, seq). */
class PendingHeap {
  private readonly items: Pending[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Pending | undefined {
    return this.items[0];
  }
  /** Sift up by moving the hole, not swapping pairs. O(log n). */
  push(p: Pending): void {
    const h = this.items;
    let i = h.length;
    h.push(p);
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = h[parentIndex]!;
      if (!earlier(p, parent)) break;
      h[i] = parent;
      i = parentIndex;
    }
    h[i] = p;
  }
  /** Sift the last item down from the root. O(log n). */
  pop(): Pending | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    const n = h.length;
    if (n === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && earlier(h[r]!, h[l]!) ? r : l;
      if (!earlier(h[child]!, last)) break;
      h[i] = h[child]!;
      i = child;
    }
    h[i] = last;
    return top;
  }
}

/** What a zero-load run saw. */
export interface ZeroLoadResult {
  numArrived: number;
  numCompleted: number;
  numDropped: number;
  endSeconds: number;
}

/**
 * Run `source` with zero queueing until it is exhausted, `untilSeconds` passes or `maxRequests`
 * have arrived. Events at equal times: open-loop arrivals first, then released/completing
 * events in the order they were scheduled. O(n log n) in the requests handled.
 * @throws AifError(E_INVALID_ARGUMENT) when a source releases a request before `now`, or an
 *   arrival's time differs from its release time.
 */
export function driveAtZeroLoad(
  source: WorkloadSource,
  options: ZeroLoadOptions = {},
): ZeroLoadResult {
  const fn = 'driveAtZeroLoad';
  const untilSeconds = options.untilSeconds ?? Infinity;
  const maxRequests = options.maxRequests ?? Infinity;
  const serviceSeconds = options.serviceSeconds ?? (() => 0);
  const completes = options.completes ?? (() => true);
  const heap = new PendingHeap();
  let seq = 0;
  const result: ZeroLoadResult = { numArrived: 0, numCompleted: 0, numDropped: 0, endSeconds: 0 };

  const arrive = (request: SimRequest, nowSeconds: number): void => {
    result.numArrived++;
    options.onArrival?.(request);
    const done = nowSeconds + serviceSeconds(request);
    heap.push({ seconds: done, seq: seq++, arrival: false, request });
  };

  while (result.numArrived < maxRequests) {
    const openSeconds = source.peekSeconds();
    const top = heap.peek();
    if (openSeconds === undefined && top === undefined) break;
    if (openSeconds !== undefined && (top === undefined || openSeconds <= top.seconds)) {
      if (openSeconds > untilSeconds) break;
      const request = source.next()!;
      if (!(request.arrivalSeconds === openSeconds))
        invalidArgument(
          fn,
          `request ${request.id} arrived at ${request.arrivalSeconds}, peeked ${openSeconds}`,
        );
      result.endSeconds = openSeconds;
      arrive(request, openSeconds);
      continue;
    }
    const event = heap.pop()!;
    if (event.seconds > untilSeconds) break;
    result.endSeconds = event.seconds;
    if (event.arrival) {
      arrive(event.request, event.seconds);
      continue;
    }
    const ok = completes(event.request);
    if (ok) result.numCompleted++;
    else result.numDropped++;
    options.onEnd?.(event.request, event.seconds, ok);
    for (const f of source.onComplete(event.request, event.seconds, ok)) {
      if (!(f.atSeconds >= event.seconds && f.request.arrivalSeconds === f.atSeconds))
        invalidArgument(
          fn,
          `request ${f.request.id} released at ${f.atSeconds} (arrival ${f.request.arrivalSeconds}) by a completion at ${event.seconds}`,
        );
      heap.push({ seconds: f.atSeconds, seq: seq++, arrival: true, request: f.request });
    }
  }
  return result;
}
