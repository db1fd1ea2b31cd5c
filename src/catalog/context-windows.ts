/**
 * Context windows (maximum positions a model is configured for), from each model's published
 * config.json `max_position_embeddings`. Models whose figure is not recorded here have no
 * entry — a missing window is never guessed.
 */
import { sourced, type Sourced, type SourceRef } from '../core/source.js';

const config = (repo: string, note?: string): SourceRef => ({
  source: `${repo} config.json max_position_embeddings`,
  provenance: 'published-config',
  ...(note ? { note } : {}),
});

export const CONTEXT_WINDOWS: Readonly<Record<string, Sourced>> = {
  'llama-2-70b': sourced(4096, config('meta-llama/Llama-2-70b-hf')),
  'llama-3.1-8b': sourced(131072, config('meta-llama/Llama-3.1-8B')),
  'llama-3.1-70b': sourced(131072, config('meta-llama/Llama-3.1-70B')),
  'llama-3.3-70b': sourced(131072, config('meta-llama/Llama-3.3-70B-Instruct')),
  'llama-3.1-405b': sourced(131072, config('meta-llama/Llama-3.1-405B')),
  'mixtral-8x7b': sourced(32768, config('mistralai/Mixtral-8x7B-v0.1')),
  'deepseek-v3': sourced(163840, config('deepseek-ai/DeepSeek-V3')),
  'deepseek-v3.1': sourced(163840, config('deepseek-ai/DeepSeek-V3.1')),
  'deepseek-r1': sourced(163840, config('deepseek-ai/DeepSeek-R1')),
  'gpt-oss-120b': sourced(131072, config('openai/gpt-oss-120b')),
  'gpt-oss-20b': sourced(131072, config('openai/gpt-oss-20b')),
  'qwen3-32b': sourced(
    40960,
    config(
      'Qwen/Qwen3-32B',
      '32,768 native plus room for output; YaRN extends it to 131,072 when enabled',
    ),
  ),
};

/** The model's context window in tokens, when recorded. */
export const contextWindowTokens = (modelId: string): Sourced | undefined =>
  CONTEXT_WINDOWS[modelId];
