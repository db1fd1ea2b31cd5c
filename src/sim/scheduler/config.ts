/**
 * The replica scheduler's settings from a deployment's engine settings (the one mapping every
 * caller of the twin uses: `run`, `serve-sim`, the MLPerf and silicon validations).
 */
import { contextWindowTokens } from '../../catalog/context-windows.js';
import type { Deployment } from '../../perf/types.js';
import type { SchedulerConfig } from './scheduler.js';

/**
 * `maxNumSeqs` is per attention-DP rank, as engines read it (and as the steady-state model
 * does), so a replica of attnDp ranks runs up to attnDp times as many; the token budget is the
 * replica's. `minBudgetTokens` raises the budget of an engine without chunked prefill to at
 * least one prompt, for measured runs that show the engine admitted its prompts. With the model,
 * requests longer than its context window (prompt + output) are rejected, as engines do.
 */
export function schedulerConfigFor(
  d: Pick<Deployment, 'engine' | 'parallel'> & { model?: Deployment['model'] },
  options: { minBudgetTokens?: number } = {},
): SchedulerConfig {
  const e = d.engine;
  const window = d.model ? contextWindowTokens(d.model.id)?.value : undefined;
  return {
    maxNumSeqs: e.maxNumSeqs * d.parallel.attnDp,
    maxNumBatchedTokens: e.chunkedPrefill
      ? e.maxNumBatchedTokens
      : Math.max(e.maxNumBatchedTokens, options.minBudgetTokens ?? 0),
    chunkedPrefill: e.chunkedPrefill,
    kvAdmission: e.kvAdmission ?? 'prompt',
    // The model's context window (vLLM max_model_len defaults to it), when the catalog has it.
    ...(window !== undefined ? { maxModelLenTokens: window } : {}),
  };
}
