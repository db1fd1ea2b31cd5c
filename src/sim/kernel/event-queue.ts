/**
 * The discrete-event kernel (SimPy's core, `simpy/core.py`): one heap of events keyed
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

/**
 * The heap is 4-ary and keeps each entry's keys in typed arrays beside the payloads: a fleet's
 * queue holds tens of thousands of events (every agent session in think time has one), and
 * comparing keys stored inline touches a few cache lines per level instead of two event
 * objects per comparison; four children per node halve the depth. The heap holds no event
 * objects: `step` and `peek` build one from the arrays, and `drain` hands (payload, time) to
 * its handler without any — an event wrapper per scheduled event lived as long as the event
 * (minutes of simulated time for a session's think time), so it was old-generation garbage.
 * The order of events is the total order (time, priority, seq) either way, so which heap holds
 * them does not change what fires when.
 */
const ARITY = 4;

export class EventQueue<T> {
  private times = new Float64Array(64);
  private priorities = new Float64Array(64);
  private seqs = new Float64Array(64);
  /** Payloads by heap slot; slots at and past `count` are cleared (no stale references). */
  private payloads: (T | undefined)[] = [];
  private count = 0;
  private nextSeq = 0;
  private nowSeconds = 0;

  /** Simulated time: the time of the last event taken by `step`. Never decreases. */
  get now(): number {
    return this.nowSeconds;
  }

  get size(): number {
    return this.count;
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
    const seq = this.nextSeq++;
    if (this.count === this.times.length) this.grow();
    const { times, priorities, seqs, payloads } = this;
    // Sift up: move parents that are due later down into the hole, then fill it.
    let i = this.count++;
    while (i > 0) {
      const parent = ((i - 1) / ARITY) | 0;
      const pt = times[parent]!;
      if (
        timeSeconds > pt ||
        (timeSeconds === pt &&
          (priority > priorities[parent]! ||
            (priority === priorities[parent]! && seq > seqs[parent]!)))
      )
        break;
      times[i] = pt;
      priorities[i] = priorities[parent]!;
      seqs[i] = seqs[parent]!;
      payloads[i] = payloads[parent];
      i = parent;
    }
    times[i] = timeSeconds;
    priorities[i] = priority;
    seqs[i] = seq;
    payloads[i] = payload;
    return { timeSeconds, priority, seq, payload };
  }

  /** The next event without removing it, or undefined when the queue is empty. */
  peek(): ScheduledEvent<T> | undefined {
    if (this.count === 0) return undefined;
    return {
      timeSeconds: this.times[0]!,
      priority: this.priorities[0]!,
      seq: this.seqs[0]!,
      payload: this.payloads[0] as T,
    };
  }

  /** Time of the next event, or undefined when the queue is empty. */
  peekSeconds(): number | undefined {
    return this.count > 0 ? this.times[0] : undefined;
  }

  /** Remove and return the next event and advance `now` to its time. */
  step(): ScheduledEvent<T> | undefined {
    if (this.count === 0) return undefined;
    const top: ScheduledEvent<T> = {
      timeSeconds: this.times[0]!,
      priority: this.priorities[0]!,
      seq: this.seqs[0]!,
      payload: this.payloads[0] as T,
    };
    this.pop();
    return top;
  }

  /** Remove the next event (the queue is not empty); `now` becomes its time. */
  private pop(): void {
    const { times, priorities, seqs, payloads } = this;
    this.nowSeconds = times[0]!;
    const n = --this.count;
    if (n > 0) {
      // Sift the last entry down from the root into the hole.
      const t = times[n]!;
      const p = priorities[n]!;
      const q = seqs[n]!;
      const e = payloads[n];
      let i = 0;
      for (;;) {
        const first = ARITY * i + 1;
        if (first >= n) break;
        // The child due first.
        let c = first;
        const last = Math.min(first + ARITY, n);
        for (let j = first + 1; j < last; j++) {
          const tj = times[j]!;
          const tc = times[c]!;
          if (
            tj < tc ||
            (tj === tc &&
              (priorities[j]! < priorities[c]! ||
                (priorities[j]! === priorities[c]! && seqs[j]! < seqs[c]!)))
          )
            c = j;
        }
        const tc = times[c]!;
        if (tc > t || (tc === t && (priorities[c]! > p || (priorities[c]! === p && seqs[c]! > q))))
          break;
        times[i] = tc;
        priorities[i] = priorities[c]!;
        seqs[i] = seqs[c]!;
        payloads[i] = payloads[c];
        i = c;
      }
      times[i] = t;
      priorities[i] = p;
      seqs[i] = q;
      payloads[i] = e;
    }
    payloads[n] = undefined;
  }

  private grow(): void {
    const size = 2 * this.times.length;
    const grown = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.times = grown(this.times);
    this.priorities = grown(this.priorities);
    this.seqs = grown(this.seqs);
  }

  /**
   * Take events in order and hand each to `handle` until the next one is later than
   * `untilSeconds` (events at exactly `untilSeconds` run); then `now` = untilSeconds.
   * Returns the number of events handled.
   */
  runUntil(untilSeconds: number, handle: (ev: ScheduledEvent<T>) => void): number {
    let n = 0;
    while (this.count > 0 && this.times[0]! <= untilSeconds) {
      handle(this.step()!);
      n++;
    }
    if (untilSeconds > this.nowSeconds) this.nowSeconds = untilSeconds;
    return n;
  }

  /**
   * `runUntil` without event objects: hands each event's payload and time to `handle`.
   * Returns the number of events handled.
   */
  drain(untilSeconds: number, handle: (payload: T, timeSeconds: number) => void): number {
    let n = 0;
    while (this.count > 0 && this.times[0]! <= untilSeconds) {
      const payload = this.payloads[0] as T;
      this.pop();
      handle(payload, this.nowSeconds);
      n++;
    }
    if (untilSeconds > this.nowSeconds) this.nowSeconds = untilSeconds;
    return n;
  }

  /** Remove the next event and hand its payload and time to `handle`; false when empty. */
  stepInto(handle: (payload: T, timeSeconds: number) => void): boolean {
    if (this.count === 0) return false;
    const payload = this.payloads[0] as T;
    this.pop();
    handle(payload, this.nowSeconds);
    return true;
  }
}
