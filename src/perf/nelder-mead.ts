/**
 * Nelder–Mead downhill simplex minimisation (Nelder & Mead 1965; coefficients of Lagarias et
 * al. 1998: reflection 1, expansion 2, contraction ½, shrink ½). Derivative-free, which suits
 * the roofline model's max() kinks. Deterministic: the initial simplex is built from `x0` with
 * fixed steps. O(iterations · n) objective calls.
 */
export interface MinimizeResult {
  x: number[];
  value: number;
  iterations: number;
  evaluations: number;
}

export function nelderMead(
  f: (x: number[]) => number,
  x0: readonly number[],
  options: { step?: number; maxIterations?: number; tolerance?: number } = {},
): MinimizeResult {
  const n = x0.length;
  const step = options.step ?? 0.5;
  const maxIterations = options.maxIterations ?? 200 * n;
  const tolerance = options.tolerance ?? 1e-7;
  let evaluations = 0;
  const evalf = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.MAX_VALUE;
  };
  let simplex: { x: number[]; v: number }[] = [{ x: [...x0], v: evalf([...x0]) }];
  for (let i = 0; i < n; i++) {
    const x = [...x0];
    x[i] = x[i]! + step;
    simplex.push({ x, v: evalf(x) });
  }
  let iterations = 0;
  const combine = (a: number[], b: number[], t: number): number[] =>
    a.map((ai, i) => ai + t * (b[i]! - ai));
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((a, b) => a.v - b.v);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    if (Math.abs(worst.v - best.v) <= tolerance * (Math.abs(best.v) + tolerance)) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += simplex[i]!.x[j]! / n;
    const reflected = combine(centroid, worst.x, -1);
    const vr = evalf(reflected);
    if (vr < best.v) {
      const expanded = combine(centroid, worst.x, -2);
      const ve = evalf(expanded);
      simplex[n] = ve < vr ? { x: expanded, v: ve } : { x: reflected, v: vr };
      continue;
    }
    if (vr < simplex[n - 1]!.v) {
      simplex[n] = { x: reflected, v: vr };
      continue;
    }
    const outside = vr < worst.v;
    const contracted = combine(centroid, outside ? reflected : worst.x, 0.5);
    const vc = evalf(contracted);
    if (vc < (outside ? vr : worst.v)) {
      simplex[n] = { x: contracted, v: vc };
      continue;
    }
    simplex = simplex.map((s, i) => (i === 0 ? s : { x: combine(best.x, s.x, 0.5), v: NaN }));
    for (let i = 1; i <= n; i++) simplex[i]!.v = evalf(simplex[i]!.x);
  }
  simplex.sort((a, b) => a.v - b.v);
  return { x: simplex[0]!.x, value: simplex[0]!.v, iterations, evaluations };
}
