/**
 * Linear and mixed-integer linear programs as plain data, and the `LpSolver` port that solves
 * them (docs/layers.md: models are built in the pure layers, `solver/` adapts a library).
 *
 *   minimise (or maximise)  Σⱼ cⱼ·xⱼ + constant
 *   subject to              Σⱼ aᵢⱼ·xⱼ  (≤ | ≥ | =)  bᵢ      for every constraint i
 *                           lⱼ ≤ xⱼ ≤ uⱼ,  xⱼ ∈ ℤ where `integer`
 *
 * Variables and constraints are named; a solution gives primal values by variable name. Names
 * are free text here; `toCplexLp` maps them to CPLEX-LP-safe identifiers (`cplexNames`) so a
 * solver can map its answer back. Pure: no I/O.
 */
import { AifError, ERROR_CODES } from './errors.js';

export interface LpVariable {
  name: string;
  /** Lower bound; default 0. `-Infinity` for a free variable. */
  lower?: number;
  /** Upper bound; default `+Infinity`. */
  upper?: number;
  /** Integer-valued (a MILP column). Default false. */
  integer?: boolean;
}

export interface LpTerm {
  variable: string;
  coefficient: number;
}

export type LpConstraintSense = '<=' | '>=' | '=';

export interface LpConstraint {
  name: string;
  terms: readonly LpTerm[];
  sense: LpConstraintSense;
  rhs: number;
}

export interface LpProblem {
  /** A title, written as a comment. */
  name?: string;
  sense: 'minimize' | 'maximize';
  objective: readonly LpTerm[];
  /** Constant added to the objective value (not written to the LP text; solvers add it back). */
  objectiveConstant?: number;
  variables: readonly LpVariable[];
  constraints: readonly LpConstraint[];
}

/** An optimal solution. Solvers throw an `AifError` for every other outcome. */
export interface LpSolution {
  status: 'optimal';
  /** Objective value including `objectiveConstant`. */
  objectiveValue: number;
  /** Primal value of every variable of the problem, by its (original) name. */
  values: Readonly<Record<string, number>>;
  /** Which solver produced it, e.g. `highs 1.15.3`. */
  solver: string;
  /**
   * Row duals (shadow prices) by (original) constraint name: ∂objective/∂rhs at the optimum,
   * in objective units per unit of the row's right-hand side, whatever the sense (so for a
   * minimisation a binding `<=` row has a dual ≤ 0). Present only for continuous problems
   * whose solver reports them; a MILP has none (re-solve the LP with the integers fixed).
   */
  duals?: Readonly<Record<string, number>>;
}

/** Solver settings a model may ask for; each solver maps what it supports. */
export interface LpSolveOptions {
  /**
   * Relative gap between incumbent and bound at which a MILP search may stop as optimal
   * (HiGHS's `mip_rel_gap`, default 1e-4). Ask for a smaller one when a large penalty
   * dominates the objective and the rest must still be optimal.
   */
  mipRelativeGap?: number;
}

/** The solver port. Construction may be asynchronous (loading WASM); solving is synchronous. */
export interface LpSolver {
  readonly name: string;
  /** Solve to optimality; throws `AifError` (with the solver's status) when not optimal. */
  solve(problem: LpProblem, options?: LpSolveOptions): LpSolution;
}

/** Value of `variable` in a solution; 0 when the solver omitted it. */
export const lpValue = (solution: LpSolution, variable: string): number =>
  solution.values[variable] ?? 0;

/** Dual of `constraint` in a solution; `undefined` when the solver reported no duals. */
export const lpDual = (solution: LpSolution, constraint: string): number | undefined =>
  solution.duals === undefined ? undefined : (solution.duals[constraint] ?? 0);

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

const invalid = (requirement: string): AifError =>
  new AifError(ERROR_CODES.INVALID_ARGUMENT, `LpProblem: ${requirement}`);

/**
 * Check a problem: unique variable and constraint names, terms that name declared variables,
 * finite coefficients and right-hand sides, lower ≤ upper. Throws `E_INVALID_ARGUMENT`.
 */
export function validateLpProblem(problem: LpProblem): void {
  const vars = new Set<string>();
  for (const v of problem.variables) {
    if (vars.has(v.name)) throw invalid(`variable '${v.name}' is declared twice`);
    vars.add(v.name);
    const lower = v.lower ?? 0;
    const upper = v.upper ?? Infinity;
    if (Number.isNaN(lower) || Number.isNaN(upper) || lower > upper || lower === Infinity)
      throw invalid(`variable '${v.name}' needs lower ≤ upper, got [${lower}, ${upper}]`);
  }
  const checkTerms = (terms: readonly LpTerm[], where: string) => {
    for (const t of terms) {
      if (!vars.has(t.variable))
        throw invalid(`${where} names undeclared variable '${t.variable}'`);
      if (!Number.isFinite(t.coefficient))
        throw invalid(`${where} has a non-finite coefficient ${t.coefficient} on '${t.variable}'`);
    }
  };
  checkTerms(problem.objective, 'the objective');
  const rows = new Set<string>();
  for (const c of problem.constraints) {
    if (rows.has(c.name)) throw invalid(`constraint '${c.name}' is declared twice`);
    rows.add(c.name);
    checkTerms(c.terms, `constraint '${c.name}'`);
    if (!Number.isFinite(c.rhs)) throw invalid(`constraint '${c.name}' needs a finite rhs`);
  }
}

// ---------------------------------------------------------------------------------------------
// CPLEX LP format
// ---------------------------------------------------------------------------------------------

/** Original name → LP-safe name, for variables and for constraints. */
export interface CplexNames {
  variables: ReadonlyMap<string, string>;
  constraints: ReadonlyMap<string, string>;
}

/**
 * LP-safe names: characters outside `[A-Za-z0-9_]` become `_`, and every name gets a prefix
 * (`x_` for variables, `c_` for constraints) so none starts with a digit, a period or an `e`
 * that a reader could take for an exponent, and none is a keyword (`free`, `st`, `end`, …).
 * Collisions after sanitising get a numeric suffix. Deterministic: same problem, same names.
 */
export function cplexNames(problem: LpProblem): CplexNames {
  const make = (names: readonly string[], prefix: string): Map<string, string> => {
    const used = new Set<string>();
    const map = new Map<string, string>();
    for (const name of names) {
      const base = `${prefix}${name.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 200);
      let safe = base;
      for (let i = 1; used.has(safe); i++) safe = `${base}_${i}`;
      used.add(safe);
      map.set(name, safe);
    }
    return map;
  };
  return {
    variables: make(
      problem.variables.map((v) => v.name),
      'x_',
    ),
    constraints: make(
      problem.constraints.map((c) => c.name),
      'c_',
    ),
  };
}

/** Shortest exact decimal of a finite number (`String` round-trips doubles). */
const num = (x: number): string => String(x);

function expression(terms: readonly LpTerm[], names: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  terms.forEach((t, i) => {
    const sign = t.coefficient < 0 ? '-' : '+';
    const name = names.get(t.variable)!;
    const body = `${num(Math.abs(t.coefficient))} ${name}`;
    // Break long rows: LP readers accept continuation lines.
    const lineBreak = i > 0 && i % 8 === 0 ? '\n   ' : '';
    parts.push(i === 0 ? `${t.coefficient < 0 ? '- ' : ''}${body}` : `${lineBreak}${sign} ${body}`);
  });
  return parts.join(' ');
}

/** Merge repeated variables in a term list (LP readers differ on repeats). */
function mergeTerms(terms: readonly LpTerm[]): LpTerm[] {
  const sum = new Map<string, number>();
  for (const t of terms) sum.set(t.variable, (sum.get(t.variable) ?? 0) + t.coefficient);
  return [...sum].map(([variable, coefficient]) => ({ variable, coefficient }));
}

const bound = (x: number): string => (x === Infinity ? '+inf' : x === -Infinity ? '-inf' : num(x));

/**
 * Write a problem in CPLEX LP format (as read by HiGHS, CPLEX, Gurobi, GLPK). Every variable
 * appears in `Bounds` so even unused columns exist; integer columns are listed under `General`.
 * The objective constant is not written (solvers add `objectiveConstant` back).
 * Throws `E_INVALID_ARGUMENT` for a malformed problem (see `validateLpProblem`).
 */
export function toCplexLp(problem: LpProblem): string {
  validateLpProblem(problem);
  const names = cplexNames(problem);
  const lines: string[] = [];
  if (problem.name) lines.push(`\\ ${problem.name.replace(/[\r\n]+/g, ' ')}`);
  lines.push(problem.sense === 'minimize' ? 'Minimize' : 'Maximize');
  const objective = mergeTerms(problem.objective);
  const first = problem.variables[0];
  if (objective.length > 0) lines.push(` obj: ${expression(objective, names.variables)}`);
  else if (first) lines.push(` obj: 0 ${names.variables.get(first.name)!}`);
  else lines.push(' obj:');
  lines.push('Subject To');
  for (const c of problem.constraints) {
    const terms = mergeTerms(c.terms);
    const lhs =
      terms.length > 0
        ? expression(terms, names.variables)
        : `0 ${first ? names.variables.get(first.name)! : ''}`;
    lines.push(` ${names.constraints.get(c.name)!}: ${lhs} ${c.sense} ${num(c.rhs)}`);
  }
  lines.push('Bounds');
  for (const v of problem.variables) {
    const lower = v.lower ?? 0;
    const upper = v.upper ?? Infinity;
    const name = names.variables.get(v.name)!;
    if (lower === -Infinity && upper === Infinity) lines.push(` ${name} free`);
    else lines.push(` ${bound(lower)} <= ${name} <= ${bound(upper)}`);
  }
  const integers = problem.variables.filter((v) => v.integer);
  if (integers.length > 0) {
    lines.push('General');
    for (const v of integers) lines.push(` ${names.variables.get(v.name)!}`);
  }
  lines.push('End', '');
  return lines.join('\n');
}
