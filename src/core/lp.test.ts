import { describe, expect, it } from 'vitest';
import {
  cplexNames,
  lpDual,
  toCplexLp,
  validateLpProblem,
  type LpProblem,
  type LpSolution,
} from './lp.js';

const small: LpProblem = {
  name: 'diet',
  sense: 'minimize',
  objective: [
    { variable: 'x', coefficient: 3 },
    { variable: 'y[1]', coefficient: -2.5 },
  ],
  variables: [
    { name: 'x', upper: 4, integer: true },
    { name: 'y[1]' },
    { name: 'z', lower: -Infinity, upper: Infinity },
  ],
  constraints: [
    {
      name: 'cover 1',
      terms: [
        { variable: 'x', coefficient: 1 },
        { variable: 'y[1]', coefficient: 1e-7 },
      ],
      sense: '>=',
      rhs: 2,
    },
  ],
};

describe('toCplexLp', () => {
  it('writes objective, rows, bounds and integer columns in CPLEX LP format', () => {
    expect(toCplexLp(small)).toBe(
      [
        '\\ diet',
        'Minimize',
        ' obj: 3 x_x - 2.5 x_y_1_',
        'Subject To',
        ' c_cover_1: 1 x_x + 1e-7 x_y_1_ >= 2',
        'Bounds',
        ' 0 <= x_x <= 4',
        ' 0 <= x_y_1_ <= +inf',
        ' x_z free',
        'General',
        ' x_x',
        'End',
        '',
      ].join('\n'),
    );
  });

  it('gives names that collide after sanitising distinct suffixes', () => {
    const names = cplexNames({
      ...small,
      variables: [{ name: 'a b' }, { name: 'a_b' }],
      objective: [],
      constraints: [],
    });
    expect([...names.variables.values()]).toEqual(['x_a_b', 'x_a_b_1']);
  });

  it('merges repeated variables within a row', () => {
    const p: LpProblem = {
      ...small,
      objective: [
        { variable: 'x', coefficient: 1 },
        { variable: 'x', coefficient: 2 },
      ],
    };
    expect(toCplexLp(p)).toContain(' obj: 3 x_x\n');
  });

  it('rejects a term naming an undeclared variable', () => {
    const p: LpProblem = { ...small, objective: [{ variable: 'nope', coefficient: 1 }] };
    expect(() => validateLpProblem(p)).toThrow(/undeclared variable 'nope'/);
  });

  it('rejects bounds with lower above upper', () => {
    const p: LpProblem = {
      ...small,
      variables: [{ name: 'x', lower: 2, upper: 1 }, { name: 'y[1]' }],
    };
    expect(() => toCplexLp(p)).toThrow(/lower ≤ upper/);
  });
});

describe('lpDual', () => {
  const base: LpSolution = { status: 'optimal', objectiveValue: 0, values: {}, solver: 'test' };

  it('reads a row dual by constraint name, 0 for a row the solver omitted', () => {
    const s: LpSolution = { ...base, duals: { 'cover 1': 2.5 } };
    expect(lpDual(s, 'cover 1')).toBe(2.5);
    expect(lpDual(s, 'other')).toBe(0);
  });

  it('is undefined when the solution carries no duals (a MILP)', () => {
    expect(lpDual(base, 'cover 1')).toBeUndefined();
  });
});
