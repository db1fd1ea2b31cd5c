/**
 * A running sum with Neumaier's compensation (an improved Kahan summation): it carries the
 * low-order bits that plain `+=` loses, so a sum of millions of small terms (latencies in
 * seconds, energy slices in joules) is correct to about one rounding of the final value
 * instead of drifting by n·ε. The order of `add` calls fixes the result bit for bit.
 *
 * Algorithm: t = s + x; if |s| ≥ |x| then c += (s − t) + x else c += (x − t) + s; s = t.
 * value = s + c. O(1) per term.
 *
 * Source: A. Neumaier, "Rundungsfehleranalyse einiger Verfahren zur Summation endlicher
 * Summen", ZAMM 54 (1974) 39–51; the same algorithm as Python's `math.fsum` fallback
 * discussions and Julia's `sum_kbn`.
 *
 * @example
 * const s = new CompensatedSum();
 * for (let i = 0; i < 10; i++) s.add(0.1);
 * s.value; // 1 (plain += gives 0.9999999999999999)
 */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  /** Add one term. Non-finite terms make the sum non-finite, as they would with `+`. */
  add(x: number): this {
    const t = this.sum + x;
    if (Math.abs(this.sum) >= Math.abs(x)) this.compensation += this.sum - t + x;
    else this.compensation += x - t + this.sum;
    this.sum = t;
    return this;
  }

  /** Add every term of another sum (its running value and its compensation). */
  addSum(other: CompensatedSum): this {
    this.add(other.sum);
    this.add(other.compensation);
    return this;
  }

  /** The compensated total. */
  get value(): number {
    return this.sum + this.compensation;
  }
}
