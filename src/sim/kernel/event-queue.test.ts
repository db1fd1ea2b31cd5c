import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';

describe('EventQueue', () => {
  it('fires events in time order, then priority, then scheduling order', () => {
    const q = new EventQueue<string>();
    q.schedule(2, 'late');
    q.schedule(1, 'b', 1);
    q.schedule(1, 'a', 0);
    q.schedule(1, 'c', 1);
    const order: string[] = [];
    while (q.size) order.push(q.step()!.payload);
    expect(order).toEqual(['a', 'b', 'c', 'late']);
    expect(q.now).toBe(2);
  });

  it('keeps its sequence counter per instance', () => {
    const a = new EventQueue<number>();
    const b = new EventQueue<number>();
    a.schedule(0, 1);
    a.schedule(0, 2);
    expect(b.schedule(0, 3).seq).toBe(0);
  });

  it('refuses to schedule in the past', () => {
    const q = new EventQueue<number>();
    q.schedule(5, 1);
    q.step();
    expect(() => q.schedule(4, 2)).toThrow(/must be finite and ≥ now/);
    expect(() => q.schedule(Number.NaN, 2)).toThrow(RangeError);
  });

  it('peeks without consuming and runUntil stops after the horizon', () => {
    const q = new EventQueue<number>();
    [3, 1, 2, 4].forEach((t) => q.schedule(t, t));
    expect(q.peek()!.payload).toBe(1);
    const seen: number[] = [];
    expect(q.runUntil(3, (e) => seen.push(e.payload))).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
    expect(q.now).toBe(3);
    expect(q.size).toBe(1);
  });

  it('pops any schedule in sorted order and time never decreases (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 3 })), {
          maxLength: 200,
        }),
        (items) => {
          const q = new EventQueue<number>();
          items.forEach(([t, p], i) => q.schedule(t, i, p));
          const out: [number, number, number][] = [];
          let last = -1;
          while (q.size) {
            const e = q.step()!;
            expect(e.timeSeconds).toBeGreaterThanOrEqual(last);
            last = e.timeSeconds;
            out.push([e.timeSeconds, e.priority, e.payload]);
          }
          const expected = items
            .map(([t, p], i) => [t, p, i] as [number, number, number])
            .sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
          expect(out).toEqual(expected);
        },
      ),
    );
  });

  it('pops in key order when scheduling and stepping interleave (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.tuple(fc.constant('step' as const), fc.constant(0), fc.constant(0)),
            fc.tuple(
              fc.constant('schedule' as const),
              fc.integer({ min: 0, max: 20 }),
              fc.integer({ min: -1, max: 2 }),
            ),
          ),
          { maxLength: 400 },
        ),
        (ops) => {
          const q = new EventQueue<number>();
          // Reference: a list kept sorted by (time, priority, seq).
          const ref: [number, number, number][] = [];
          ops.forEach(([op, dt, p], i) => {
            if (op === 'schedule') {
              const e = q.schedule(q.now + dt, i, p);
              ref.push([e.timeSeconds, p, e.seq]);
              ref.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
            } else {
              const e = q.step();
              const want = ref.shift();
              expect(e === undefined ? undefined : [e.timeSeconds, e.priority, e.seq]).toEqual(
                want,
              );
            }
            expect(q.size).toBe(ref.length);
          });
        },
      ),
    );
  });
});
