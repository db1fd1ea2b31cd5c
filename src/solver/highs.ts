/**
 * The `LpSolver` port backed by HiGHS (Huangfu & Hall, "Parallelizing the dual revised simplex
 * method", Math. Prog. Comp. 2018; https://highs.dev), through the `highs` npm package — a
 * WebAssembly build loaded once, asynchronously; each `solve` is synchronous and uses a fresh
 * native instance, so solves share no state.
 *
 * Edge layer (docs/layers.md): imports only `src/core` and `highs`. The problem travels as CPLEX
 * LP text (`toCplexLp`); primal values come back by the problem's own variable names, and for a
 * continuous problem the row duals (`Rows[i].Dual`, ∂objective/∂rhs) by its constraint names.
 * Statuses: `Optimal` → a solution; `Infeasible` and `Primal infeasible or unbounded` →
 * `E_NO_FEASIBLE_PLAN`; `Unbounded` and every other status (limits, load or solve errors) →
 * `E_INVALID_ARGUMENT`. Each error's first issue carries the solver's status as `value`.
 */
import { AifError, ERROR_CODES, type ErrorCode } from '../core/errors.js';
import {
  cplexNames,
  toCplexLp,
  type LpProblem,
  type LpSolution,
  type LpSolveOptions,
  type LpSolver,
} from '../core/lp.js';

/** Version of the `highs` package this adapter was written against (reported with solutions). */
export const HIGHS_SOLVER_NAME = 'highs 1.15 (HiGHS MILP via WebAssembly)';

interface HighsColumn {
  Primal?: number;
}
/** A row of the result, in model order; `Dual` only for continuous problems. */
interface HighsRow {
  Name?: string;
  Dual?: number;
}
interface HighsResult {
  Status: string;
  ObjectiveValue: number;
  Columns: Record<string, HighsColumn>;
  Rows?: HighsRow[];
}
interface HighsRuntime {
  solve(problem: string, options?: Record<string, unknown>): HighsResult;
}

const codeForStatus = (status: string): ErrorCode =>
  status === 'Infeasible' || status === 'Primal infeasible or unbounded'
    ? ERROR_CODES.NO_FEASIBLE_PLAN
    : ERROR_CODES.INVALID_ARGUMENT;

/**
 * Row duals by original constraint name, or `undefined` unless every row reports a finite
 * `Dual` (a MILP reports none). Rows are matched by their LP-safe name, else by position.
 */
function rowDuals(
  problem: LpProblem,
  safeNames: ReadonlyMap<string, string>,
  rows: readonly HighsRow[] | undefined,
): Record<string, number> | undefined {
  if (problem.variables.some((v) => v.integer)) return undefined;
  if (!rows || rows.length !== problem.constraints.length) return undefined;
  if (!rows.every((r) => typeof r.Dual === 'number' && Number.isFinite(r.Dual))) return undefined;
  const bySafeName = new Map(rows.map((r, i) => [r.Name ?? '', i]));
  const duals: Record<string, number> = {};
  problem.constraints.forEach((c, i) => {
    const index = bySafeName.get(safeNames.get(c.name)!) ?? i;
    duals[c.name] = rows[index]!.Dual!;
  });
  return duals;
}

/** Wrap a loaded HiGHS runtime as an `LpSolver` (exposed for tests with a fake runtime). */
export function highsSolverFrom(runtime: HighsRuntime, name = HIGHS_SOLVER_NAME): LpSolver {
  return {
    name,
    solve(problem: LpProblem, options: LpSolveOptions = {}): LpSolution {
      const text = toCplexLp(problem);
      const names = cplexNames(problem);
      let result: HighsResult;
      try {
        // Silence the native log; a fresh instance per call.
        result = runtime.solve(text, {
          output_flag: false,
          ...(options.mipRelativeGap !== undefined ? { mip_rel_gap: options.mipRelativeGap } : {}),
        });
      } catch (e) {
        throw new AifError(
          ERROR_CODES.INVALID_ARGUMENT,
          `LP solver (${name}) failed on '${problem.name ?? 'problem'}': ${(e as Error).message}`,
          [{ path: 'lp', message: 'the solver raised an error', expected: 'a solvable LP' }],
        );
      }
      if (result.Status !== 'Optimal') {
        throw new AifError(
          codeForStatus(result.Status),
          `LP solver (${name}): '${problem.name ?? 'problem'}' is not solved to optimality: ${result.Status}`,
          [
            {
              path: 'lp.status',
              message: `solver status ${result.Status}`,
              value: result.Status,
              expected: 'Optimal',
            },
          ],
        );
      }
      const values: Record<string, number> = {};
      for (const v of problem.variables) {
        const safe = names.variables.get(v.name)!;
        values[v.name] = result.Columns[safe]?.Primal ?? Math.max(v.lower ?? 0, 0);
      }
      const duals = rowDuals(problem, names.constraints, result.Rows);
      return {
        status: 'optimal',
        objectiveValue: result.ObjectiveValue + (problem.objectiveConstant ?? 0),
        values,
        solver: name,
        ...(duals ? { duals } : {}),
      };
    },
  };
}

/**
 * Load the HiGHS WebAssembly module and return a solver. Loads once per call: keep the
 * returned solver for the session. Throws whatever the loader throws (a missing `.wasm`).
 */
export async function createHighsSolver(): Promise<LpSolver> {
  // The package's types describe its CommonJS face; Node loads its ES module (`exports.import`),
  // whose default export is the loader.
  const mod = (await import('highs')) as unknown as { default: () => Promise<HighsRuntime> };
  const runtime = await mod.default();
  return highsSolverFrom(runtime);
}
