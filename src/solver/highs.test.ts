import { beforeAll, describe, expect, it } from 'vitest';
import { AifError, ERROR_CODES } from '../core/errors.js';
import type { LpProblem, LpSolver } from '../core/lp.js';
import { createHighsSolver, highsSolverFrom } from './highs.js';

let solver: LpSolver;
beforeAll(async () => {
  solver = await createHighsSolver();
});

describe('createHighsSolver', () => {
  it('solves a two-variable LP to the vertex found by hand', () => {
    // max 3x + 5y s.t. x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18 (Hillier & Lieberman's Wyndor Glass):
    // optimum x = 2, y = 6, objective 36.
    const p: LpProblem = {
      sense: 'maximize',
      objective: [
        { variable: 'x', coefficient: 3 },
        { variable: 'y', coefficient: 5 },
      ],
      variables: [{ name: 'x' }, { name: 'y' }],
      constraints: [
        { name: 'plant 1', terms: [{ variable: 'x', coefficient: 1 }], sense: '<=', rhs: 4 },
        { name: 'plant 2', terms: [{ variable: 'y', coefficient: 2 }], sense: '<=', rhs: 12 },
        {
          name: 'plant 3',
          terms: [
            { variable: 'x', coefficient: 3 },
            { variable: 'y', coefficient: 2 },
          ],
          sense: '<=',
          rhs: 18,
        },
      ],
    };
    const s = solver.solve(p);
    expect(s.objectiveValue).toBeCloseTo(36, 9);
    expect(s.values['x']).toBeCloseTo(2, 9);
    expect(s.values['y']).toBeCloseTo(6, 9);
    // Shadow prices by hand (Hillier & Lieberman): plant 1 has slack, plant 2 is worth 3/2 per
    // unit of capacity, plant 3 is worth 1.
    expect(s.duals?.['plant 1']).toBeCloseTo(0, 9);
    expect(s.duals?.['plant 2']).toBeCloseTo(1.5, 9);
    expect(s.duals?.['plant 3']).toBeCloseTo(1, 9);
  });

  it('reports row duals as ∂objective/∂rhs for a minimisation, with the sign of the row', () => {
    // min 2x + 3y s.t. x + y ≥ 4, x ≤ 3: optimum x = 3, y = 1, cost 9. One more unit of demand
    // costs 3 (a y); one more unit of x's cap saves 1 (an x replaces a y).
    const s = solver.solve({
      sense: 'minimize',
      objective: [
        { variable: 'x', coefficient: 2 },
        { variable: 'y', coefficient: 3 },
      ],
      variables: [{ name: 'x' }, { name: 'y' }],
      constraints: [
        {
          name: 'cover',
          terms: [
            { variable: 'x', coefficient: 1 },
            { variable: 'y', coefficient: 1 },
          ],
          sense: '>=',
          rhs: 4,
        },
        { name: 'x cap', terms: [{ variable: 'x', coefficient: 1 }], sense: '<=', rhs: 3 },
      ],
    });
    expect(s.objectiveValue).toBeCloseTo(9, 9);
    expect(s.duals?.['cover']).toBeCloseTo(3, 9);
    expect(s.duals?.['x cap']).toBeCloseTo(-1, 9);
  });

  it('reports no duals for a MILP', () => {
    const s = solver.solve({
      sense: 'maximize',
      objective: [{ variable: 'x', coefficient: 1 }],
      variables: [{ name: 'x', integer: true }],
      constraints: [
        { name: 'cap', terms: [{ variable: 'x', coefficient: 2 }], sense: '<=', rhs: 5 },
      ],
    });
    expect(s.values['x']).toBeCloseTo(2, 9);
    expect(s.duals).toBeUndefined();
  });

  it('passes a requested MILP gap to the solver as mip_rel_gap', () => {
    let seen: Record<string, unknown> | undefined;
    const fake = highsSolverFrom({
      solve: (_text, options) => {
        seen = options;
        return { Status: 'Optimal', ObjectiveValue: 0, Columns: {} };
      },
    });
    const p: LpProblem = {
      sense: 'minimize',
      objective: [],
      variables: [{ name: 'x' }],
      constraints: [],
    };
    fake.solve(p, { mipRelativeGap: 1e-9 });
    expect(seen).toEqual({ output_flag: false, mip_rel_gap: 1e-9 });
    fake.solve(p);
    expect(seen).toEqual({ output_flag: false });
  });

  it('solves a MILP whose LP relaxation is fractional', () => {
    // max y s.t. −x + y ≤ 1, 3x + 2y ≤ 12, 2x + 3y ≤ 12, x, y ≥ 0 (Wolsey, Integer Programming).
    // By hand: the relaxation's optimum is where −x + y = 1 meets 2x + 3y = 12: (1.8, 2.8).
    // Integers: y = 3 needs x ≥ 2 (row 1) and x ≤ 1.5 (row 3) — impossible; y = 2 with x = 1.
    const row = (name: string, a: number, b: number, rhs: number) => ({
      name,
      terms: [
        { variable: 'x', coefficient: a },
        { variable: 'y', coefficient: b },
      ],
      sense: '<=' as const,
      rhs,
    });
    const p: LpProblem = {
      sense: 'maximize',
      objective: [{ variable: 'y', coefficient: 1 }],
      variables: [
        { name: 'x', integer: true },
        { name: 'y', integer: true },
      ],
      constraints: [row('r1', -1, 1, 1), row('r2', 3, 2, 12), row('r3', 2, 3, 12)],
    };
    const relaxed = solver.solve({
      ...p,
      variables: p.variables.map((v) => ({ ...v, integer: false })),
    });
    expect(relaxed.objectiveValue).toBeCloseTo(2.8, 9);
    expect(relaxed.values['x']).toBeCloseTo(1.8, 9);
    const s = solver.solve(p);
    expect(s.objectiveValue).toBeCloseTo(2, 9);
    expect(s.values['y']).toBeCloseTo(2, 9);
  });

  it('adds the objective constant and returns values of unused variables', () => {
    const s = solver.solve({
      sense: 'minimize',
      objective: [{ variable: 'x', coefficient: 1 }],
      objectiveConstant: 10,
      variables: [
        { name: 'x', lower: 1 },
        { name: 'unused', lower: 0, upper: 3 },
      ],
      constraints: [],
    });
    expect(s.objectiveValue).toBeCloseTo(11, 12);
    expect(s.values['unused']).toBe(0);
  });

  it('reports an infeasible problem as E_NO_FEASIBLE_PLAN with the solver status', () => {
    const p: LpProblem = {
      sense: 'minimize',
      objective: [{ variable: 'x', coefficient: 1 }],
      variables: [{ name: 'x' }],
      constraints: [
        { name: 'lo', terms: [{ variable: 'x', coefficient: 1 }], sense: '>=', rhs: 2 },
        { name: 'hi', terms: [{ variable: 'x', coefficient: 1 }], sense: '<=', rhs: 1 },
      ],
    };
    try {
      solver.solve(p);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AifError);
      expect((e as AifError).code).toBe(ERROR_CODES.NO_FEASIBLE_PLAN);
      expect((e as AifError).issues[0]?.value).toBe('Infeasible');
    }
  });

  it('reports an unbounded problem with its status', () => {
    const p: LpProblem = {
      sense: 'maximize',
      objective: [{ variable: 'x', coefficient: 1 }],
      variables: [{ name: 'x' }],
      constraints: [
        { name: 'lo', terms: [{ variable: 'x', coefficient: 1 }], sense: '>=', rhs: 2 },
      ],
    };
    expect(() => solver.solve(p)).toThrow(/Unbounded/);
  });

  it('maps any other status to an error naming it', () => {
    const fake = highsSolverFrom({
      solve: () => ({ Status: 'Time limit reached', ObjectiveValue: 0, Columns: {} }),
    });
    expect(() =>
      fake.solve({ sense: 'minimize', objective: [], variables: [{ name: 'x' }], constraints: [] }),
    ).toThrow(/Time limit reached/);
  });
});
