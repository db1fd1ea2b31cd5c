/**
 * Argument failures on hot paths. `requireArg` (core/errors) builds its message before it knows
 * whether the check failed; formatting numbers per request costs more than the request itself,
 * so per-request checks read `if (!ok) invalidArgument(fn, message)` and pay only on failure.
 */
import { AifError, ERROR_CODES } from '../core/errors.js';

/** Throw the same AifError(E_INVALID_ARGUMENT) as `requireArg`: `${fn}: ${requirement}`. */
export function invalidArgument(fn: string, requirement: string): never {
  throw new AifError(ERROR_CODES.INVALID_ARGUMENT, `${fn}: ${requirement}`);
}
