/**
 * Errors with stable codes. Callers (CLI, HTTP API) switch on `code`, never on message text.
 * `details` carries machine-readable context (field path, value, expected, position).
 */
export const ERROR_CODES = {
  SCENARIO_INVALID: 'E_SCENARIO_INVALID',
  SCENARIO_YAML: 'E_SCENARIO_YAML',
  CATALOG_UNKNOWN_ID: 'E_CATALOG_UNKNOWN_ID',
  CATALOG_INVALID: 'E_CATALOG_INVALID',
  MEMORY_DOES_NOT_FIT: 'E_MEMORY_DOES_NOT_FIT',
  NO_FEASIBLE_PLAN: 'E_NO_FEASIBLE_PLAN',
  PRECISION_UNSUPPORTED: 'E_PRECISION_UNSUPPORTED',
  CALIBRATION_OUT_OF_RANGE: 'E_CALIBRATION_OUT_OF_RANGE',
  INPUT_FORMAT: 'E_INPUT_FORMAT',
  BASIS_MISMATCH: 'E_BASIS_MISMATCH',
  INVALID_ARGUMENT: 'E_INVALID_ARGUMENT',
  /** The job queue's Redis cannot be reached or refused a command (jobs/bullmq-*.ts). */
  QUEUE_UNAVAILABLE: 'E_QUEUE_UNAVAILABLE',
  /** A queue worker refused a job built by a coordinator with another engine version. */
  ENGINE_VERSION_MISMATCH: 'E_ENGINE_VERSION_MISMATCH',
  /** A queued job ended without a result and without a structured error (stalled, removed, defect). */
  JOB_FAILED: 'E_JOB_FAILED',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export interface ErrorIssue {
  /** Dotted path of the field, e.g. `deployments.0.parallelism.tp`. */
  path: string;
  message: string;
  /** The offending value as written, when there is one. */
  value?: unknown;
  /** What was expected, in words. */
  expected?: string;
  /** 1-based position in the source file, when known. */
  line?: number;
  column?: number;
  file?: string;
}

export class AifError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly ErrorIssue[];

  constructor(code: ErrorCode, message: string, issues: readonly ErrorIssue[] = []) {
    super(message);
    this.name = 'AifError';
    this.code = code;
    this.issues = issues;
  }

  toJSON(): { code: ErrorCode; message: string; issues: readonly ErrorIssue[] } {
    return { code: this.code, message: this.message, issues: this.issues };
  }
}

export const isAifError = (e: unknown): e is AifError => e instanceof AifError;

/** Throw an INVALID_ARGUMENT error naming the function and the requirement. */
export function requireArg(condition: boolean, fn: string, requirement: string): asserts condition {
  if (!condition) throw new AifError(ERROR_CODES.INVALID_ARGUMENT, `${fn}: ${requirement}`);
}
