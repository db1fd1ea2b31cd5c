/**
 * The discrete-event kernel (SimPy's core, `simpy/core.py`): one binary heap of events keyed
 * `(timeSeconds, priority, seq)`. `seq` is a counter on the *instance*, so two queues never
 * share ordering state and events scheduled at the same time and priority fire in the order
 * they were scheduled. Knows no domain code and draws no random numbers.
 */

export interface ScheduledEvent<T> {
  readonly timeSeconds: number;
  /** Smaller fires first among events at the same time. */
  readonly priority: number;
  readonly seq: number;
  readonly payload: T;
}

/** Was `a` due before `b`? Lexicographic on (time, priority, seq). */
const before = <T>(a: ScheduledEvent<T>, b: ScheduledEvent<T>): boolean =>
  a.timeSeconds < b.timeSeconds ||
  (a.timeSeconds === b.timeSeconds &&
    (a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq)));

export class EventQueue<T> {
  private readonly heap: ScheduledEvent<T>[] = [];
  private nextSeq = 0;
  private nowSeconds = 0;

  /** Simulated time: the time of the last event taken by `step`. Never decreases. */
  get now(): number {
    return this.nowSeconds;
  }

  get size(): number {
    return this.heap.length;
  }

  /**
   * Schedule `payload` at `timeSeconds` (≥ now).
   * @throws RangeError for a time in the past or not finite — time never runs backwards.
   */
  schedule(timeSeconds: number, payload: T, priority = 0): ScheduledEvent<T> {
    if (!(timeSeconds >= this.nowSeconds) || !Number.isFinite(timeSeconds))
      throw new RangeError(
        `EventQueue.schedule: time ${timeSeconds} s must be finite and ≥ now (${this.nowSeconds} s)`,
      );
    const ev: ScheduledEvent<T> = { timeSeconds, priority, seq: this.nextSeq++, payload };
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(ev, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = ev;
    return ev;
  }

  /** The next event without removing it, or undefined when the queue is empty. */
  peek(): ScheduledEvent<T> | undefined {
    return this.heap[0];
  }

  /** Remove and return the next event and advance `now` to its time. */
  step(): ScheduledEvent<T> | undefined {
    const h = this.heap;
    const top = h[0];
    if (top === undefined) return undefined;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(h[r]!, h[l]!) ? r : l;
        if (!before(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    this.nowSeconds = top.timeSeconds;
    return top;
  }

  /**
   * Take events in order and hand each to `handle` until the next one is later than
   * `untilSeconds` (events at exactly `untilSeconds` run); then `now` = untilSeconds.
   * Returns the number of events handled.
   */
  runUntil(untilSeconds: number, handle: (ev: ScheduledEvent<T>) => void): number {
    let n = 0;
    for (;;) {
      const next = this.heap[0];
      if (next === undefined || next.timeSeconds > untilSeconds) break;
      handle(this.step()!);
      n++;
    }
    if (untilSeconds > this.nowSeconds) this.nowSeconds = untilSeconds;
    return n;
  }
}
