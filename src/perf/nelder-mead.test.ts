import { describe, expect, it } from 'vitest';
import { nelderMead } from './nelder-mead.js';

describe('Nelder–Mead', () => {
  it('finds the minimum of the Rosenbrock function at (1, 1)', () => {
    const rosen = ([x, y]: number[]) => (1 - x!) ** 2 + 100 * (y! - x! ** 2) ** 2;
    const r = nelderMead(rosen, [-1.2, 1], { maxIterations: 2000, tolerance: 1e-14 });
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
  });

  it('is deterministic', () => {
    const f = ([x]: number[]) => (x! - 3) ** 2;
    expect(nelderMead(f, [0])).toEqual(nelderMead(f, [0]));
  });
});
