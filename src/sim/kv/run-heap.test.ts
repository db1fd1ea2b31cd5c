import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunHeap } from './run-heap.js';

interface Item {
  key: number;
  heapIndex: number;
}
const item = (key: number): Item => ({ key, heapIndex: -1 });
const drain = (heap: RunHeap<Item>): number[] => {
  const out: number[] = [];
  for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
    out.push(top.key);
    heap.remove(top);
  }
  return out;
};

describe('RunHeap', () => {
  it('yields items in key order and records each position', () => {
    const heap = new RunHeap<Item>((a, b) => a.key < b.key);
    const items = [5, 1, 4, 2, 3].map(item);
    items.forEach((i) => heap.push(i));
    expect(items.every((i) => heap.has(i))).toBe(true);
    expect(drain(heap)).toEqual([1, 2, 3, 4, 5]);
    expect(items.map((i) => i.heapIndex)).toEqual([-1, -1, -1, -1, -1]);
  });

  it('removes an arbitrary item and re-sorts an item whose key changed', () => {
    const heap = new RunHeap<Item>((a, b) => a.key < b.key);
    const items = [10, 20, 30, 40, 50].map(item);
    items.forEach((i) => heap.push(i));
    heap.remove(items[2]!);
    items[4]!.key = 5;
    heap.update(items[4]!);
    items[0]!.key = 45;
    heap.update(items[0]!);
    expect(drain(heap)).toEqual([5, 20, 40, 45]);
  });

  it('refuses an item that is already in a heap or absent from this one', () => {
    const heap = new RunHeap<Item>((a, b) => a.key < b.key);
    const a = item(1);
    heap.push(a);
    expect(() => heap.push(a)).toThrow(/already in a heap/);
    expect(() => heap.remove(item(2))).toThrow(/not in this heap/);
  });

  it('matches sorting under random pushes, removals and key changes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom('push', 'remove', 'rekey'), fc.integer({ min: 0, max: 50 })),
          {
            maxLength: 60,
          },
        ),
        (ops) => {
          const heap = new RunHeap<Item>((a, b) => a.key < b.key);
          const inside: Item[] = [];
          for (const [op, n] of ops) {
            if (op === 'push') {
              const i = item(n);
              heap.push(i);
              inside.push(i);
            } else if (inside.length > 0) {
              const i = inside[n % inside.length]!;
              if (op === 'remove') {
                heap.remove(i);
                inside.splice(inside.indexOf(i), 1);
              } else {
                i.key = n;
                heap.update(i);
              }
            }
          }
          expect(drain(heap)).toEqual(inside.map((i) => i.key).sort((a, b) => a - b));
        },
      ),
      { seed: 3 },
    );
  });
});
