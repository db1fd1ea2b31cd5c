/**
 * A tournament tree (a segment tree of minima) over `n` numeric slots: the slot with the
 * smallest value, ties to the lowest index, in O(1), after an O(log n) update per changed slot.
 * It gives a least-loaded router over a thousand replicas the same answer as a full scan
 * (`router/fleet-scan.ts`, "smallest value, ties to the lowest index") without the scan.
 *
 * An update stops climbing at the first node whose minimum and index do not change.
 *
 * Layout: an implicit binary tree over the next power of two ≥ n, leaves at [size, 2·size);
 * node k holds the minimum of its children and the index that has it, preferring the left
 * child on ties — the left subtree holds the lower indices, so the root's index is the lowest
 * index among the minima. A slot holding +Infinity counts as absent (a replica that is down):
 * `argmin` is -1 when every slot is absent. Knows no domain code.
 */
export class MinIndexTree {
  readonly numSlots: number;
  private readonly size: number;
  private readonly minValue: Float64Array;
  private readonly minIndex: Int32Array;

  /** `numSlots` slots, all absent (+Infinity). */
  constructor(numSlots: number) {
    this.numSlots = numSlots;
    let size = 1;
    while (size < numSlots) size *= 2;
    this.size = size;
    this.minValue = new Float64Array(2 * size).fill(Infinity);
    this.minIndex = new Int32Array(2 * size).fill(-1);
    for (let i = 0; i < size; i++) this.minIndex[size + i] = i < numSlots ? i : -1;
    for (let k = size - 1; k >= 1; k--) this.minIndex[k] = this.minIndex[2 * k]!;
  }

  /** Slot `slot` takes `value` (+Infinity: absent). O(log n). */
  set(slot: number, value: number): void {
    if (!(slot >= 0 && slot < this.numSlots))
      throw new RangeError(`MinIndexTree.set: slot must be in [0, ${this.numSlots}), got ${slot}`);
    const v = this.minValue;
    const ix = this.minIndex;
    let k = this.size + slot;
    v[k] = value;
    for (k >>= 1; k >= 1; k >>= 1) {
      const l = 2 * k;
      const c = v[l]! <= v[l + 1]! ? l : l + 1;
      // A node that keeps its minimum and index leaves every ancestor as it was.
      if (v[k] === v[c] && ix[k] === ix[c]) return;
      v[k] = v[c]!;
      ix[k] = ix[c]!;
    }
  }

  /** Value of slot `slot`. */
  get(slot: number): number {
    return this.minValue[this.size + slot]!;
  }

  /** The lowest index holding the smallest value; -1 when every slot is absent. O(1). */
  get argmin(): number {
    return this.minValue[1]! === Infinity ? -1 : this.minIndex[1]!;
  }
}
