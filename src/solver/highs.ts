/**
 * The `LpSolver` port backed by HiGHS (Huangfu & Hall, "Parallelizing the dual revised simplex
 * method", Math. Prog. Comp. 2018; https://highs.dev), through the `highs` npm package — a
 * WebAssembly build loaded once, asynchronously; each `solve` is synchronous and uses a fresh
 * native instance, so solves share no state.
 *
 * Edge layer (docs/layers.md): imports only `src/core` and `highs`. The problem travels as CPLEX
 * LP text (`toCplexLp`); primal values come back by the problem's own variable names.
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
  type LpSolver,
} from '../core/lp.js';

/** Version of the `highs` package this adapter was written against (reported with solutions). */
export const HIGHS_SOLVER_NAME = 'highs 1.15 (HiGHS MILP via WebAssembly)';

interface HighsColumn {
  Primal?: number;
}
interface HighsResult {
  Status: string;
  ObjectiveValue: number;
  Columns: Record<string, HighsColumn>;
}
interface HighsRuntime {
  solve(problem: string, options?: Record<string, unknown>): HighsResult;
}

const codeForStatus = (status: string): ErrorCode =>
  status === 'Infeasible' || status === 'Primal infeasible or unbounded'
    ? ERROR_CODES.NO_FEASIBLE_PLAN
    : ERROR_CODES.INVALID_ARGUMENT;

/** Wrap a loaded HiGHS runtime as an `LpSolver` (exposed for tests with a fake runtime). */
export function highsSolverFrom(runtime: HighsRuntime, name = HIGHS_SOLVER_NAME): LpSolver {
  return {
    name,
    solve(problem: LpProblem): LpSolution {
      const text = toCplexLp(problem);
      const names = cplexNames(problem);
      let result: HighsResult;
      try {
        // Silence the native log; a fresh instance per call.
        result = runtime.solve(text, { output_flag: false });
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
      return {
        status: 'optimal',
        objectiveValue: result.ObjectiveValue + (problem.objectiveConstant ?? 0),
        values,
        solver: name,
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
