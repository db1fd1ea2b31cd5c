/**
 * Indexed binary min-heap of cached runs: each item stores its own position (`heapIndex`,
 * −1 when absent), so removing or re-keying an arbitrary run is O(log n) with no search and
 * no stale entries. One heap per tier holds that tier's evictable leaf runs.
 */

export interface HeapItem {
  heapIndex: number;
}

export class RunHeap<T extends HeapItem> {
  private readonly items: T[] = [];

  /** `before(a, b)`: must `a` come out before `b`? A strict total order. */
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  /** The first item out, without removing it. O(1). */
  peek(): T | undefined {
    return this.items[0];
  }

  /** Add an item that is not in any heap. O(log n). */
  push(item: T): void {
    if (item.heapIndex !== -1)
      throw new RangeError('RunHeap.push: item is already in a heap (heapIndex ≠ −1)');
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.siftUp(item.heapIndex);
  }

  /** Remove an item that is in this heap. O(log n). */
  remove(item: T): void {
    const i = item.heapIndex;
    if (this.items[i] !== item) throw new RangeError('RunHeap.remove: item is not in this heap');
    const last = this.items.pop()!;
    item.heapIndex = -1;
    if (last === item) return;
    this.items[i] = last;
    last.heapIndex = i;
    this.update(last);
  }

  /** Restore order after the item's key changed (either way). O(log n). */
  update(item: T): void {
    const i = item.heapIndex;
    if (this.items[i] !== item) throw new RangeError('RunHeap.update: item is not in this heap');
    if (i > 0 && this.before(item, this.items[(i - 1) >> 1]!)) this.siftUp(i);
    else this.siftDown(i);
  }

  /** Does the heap hold `item` at the position the item records? O(1). */
  has(item: T): boolean {
    return item.heapIndex >= 0 && this.items[item.heapIndex] === item;
  }

  /** Items in heap-array order (not sorted). For audits. */
  toArray(): readonly T[] {
    return this.items;
  }

  private siftUp(start: number): void {
    const h = this.items;
    const item = h[start]!;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent]!;
      if (!this.before(item, p)) break;
      h[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    h[i] = item;
    item.heapIndex = i;
  }

  private siftDown(start: number): void {
    const h = this.items;
    const n = h.length;
    const item = h[start]!;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.before(h[r]!, h[l]!) ? r : l;
      const child = h[c]!;
      if (!this.before(child, item)) break;
      h[i] = child;
      child.heapIndex = i;
      i = c;
    }
    h[i] = item;
    item.heapIndex = i;
  }
}
