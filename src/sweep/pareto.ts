/**
 * Pareto sets (non-dominated sets) of sweep points over several objectives, each to be
 * minimized or maximized. Point a dominates point b when a is at least as good as b in every
 * objective and strictly better in at least one (Deb, "Multi-Objective Optimization Using
 * Evolutionary Algorithms", 2001, def. 2.5). The Pareto set is the points no other point
 * dominates; equal points do not dominate each other, so duplicates are all kept.
 *
 * O(n²·k) pairwise comparison for n points and k objectives: sweeps hold hundreds to a few
 * thousand points, where this is milliseconds and obviously correct.
 */

export type ObjectiveSense = 'minimize' | 'maximize';

export interface ParetoObjective<T> {
  sense: ObjectiveSense;
  value(item: T): number;
}

/** a is at least as good as b everywhere and strictly better somewhere (values pre-oriented). */
function dominatesOriented(a: readonly number[], b: readonly number[]): boolean {
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) strictly = true;
  }
  return strictly;
}

/** Objective values turned so that smaller is better. */
const oriented = <T>(item: T, objectives: readonly ParetoObjective<T>[]): number[] =>
  objectives.map((o) => (o.sense === 'minimize' ? o.value(item) : -o.value(item)));

/** Does `a` dominate `b` under the objectives? */
export function dominates<T>(a: T, b: T, objectives: readonly ParetoObjective<T>[]): boolean {
  return dominatesOriented(oriented(a, objectives), oriented(b, objectives));
}

/**
 * Indices (ascending) of the items no other item dominates.
 * @example paretoIndices([[1, 2], [2, 1], [2, 2]], [min x, min y]) → [0, 1]
 */
export function paretoIndices<T>(
  items: readonly T[],
  objectives: readonly ParetoObjective<T>[],
): number[] {
  const v = items.map((it) => oriented(it, objectives));
  const out: number[] = [];
  for (let i = 0; i < v.length; i++) {
    let dominated = false;
    for (let j = 0; j < v.length && !dominated; j++)
      if (j !== i && dominatesOriented(v[j]!, v[i]!)) dominated = true;
    if (!dominated) out.push(i);
  }
  return out;
}
