/**
 * A real inference engine to measure: llama.cpp through `node-llama-cpp` (pinned 3.21.1) on the
 * CPU, with one context holding several sequences so concurrent requests decode in the same
 * llama.cpp batch (continuous batching: node-llama-cpp gathers every sequence's pending token
 * into one `llama_decode` per event-loop cycle, and a request that arrives mid-generation joins
 * the next batch).
 *
 * Nothing is fetched or compiled: `NODE_LLAMA_CPP_SKIP_DOWNLOAD=true` is set before the package
 * loads and `getLlama({ gpu: false, build: 'never' })` uses the prebuilt CPU binary from
 * `@node-llama-cpp/linux-x64` (or fails). Threads = the machine's cores
 * (`os.availableParallelism()`): with more threads than cores llama.cpp's spin-waiting threads
 * were seen running hundreds of times slower.
 *
 * Every request generates exactly `maxTokens` tokens: end-of-generation tokens are banned with a
 * token bias (llama.cpp's `ignore_eos` does the same with a −∞ logit bias), as are the byte
 * tokens ≥ 0x80, so the streamed text is always valid UTF-8. Sampling is greedy.
 */
import { availableParallelism } from 'node:os';
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';

/** The node-llama-cpp version this adapter is written and pinned against. */
export const NODE_LLAMA_CPP_VERSION = '3.21.1';

export interface LlamaCppEngineOptions {
  modelPath: string;
  /** Sequences in the context = the largest decode batch (default 8). */
  sequences?: number;
  /** KV-cache tokens per sequence (prompt + output must fit; default 1024). */
  contextTokensPerSequence?: number;
  /** Threads (default: `os.availableParallelism()`). */
  threads?: number;
  /** llama.cpp batch size in tokens (default: its own, = context size). */
  batchTokens?: number;
  /**
   * Longest a step waits, in milliseconds, for every running request to queue its next token
   * (default 20; 0 = node-llama-cpp's own schedule). node-llama-cpp's batch loop starts the next
   * step with whatever sequences have re-queued when the previous step's results resolve, and
   * each sequence re-queues a few promise hops later than the one before, so steps were seen
   * holding 3 of 4 sequences. Here each request asks for its next token one macrotask after
   * receiving one, the loop finds nothing queued and ends, and the next step is dispatched as
   * soon as every running request has queued (or after this many milliseconds).
   */
  batchGatherMs?: number;
}

export interface GenerateOptions {
  /** Prompt text; tokenized with the model's tokenizer, BOS prepended. */
  prompt: string;
  maxTokens: number;
  /** Called once per generated token, in order, as it is sampled. */
  onToken?(text: string, token: number): void;
  signal?: AbortSignal;
}

export interface GenerateResult {
  promptTokens: number;
  completionTokens: number;
  /** `length` when maxTokens were generated; `abort` when the signal fired first. */
  finishReason: 'length' | 'abort';
}

export interface LlamaCppEngineInfo {
  engine: 'llama.cpp';
  binding: string;
  threads: number;
  sequences: number;
  contextTokensPerSequence: number;
  batchTokens: number;
  modelBytes: number;
  gpu: false;
  buildType: string;
}

export interface LlamaCppEngine {
  readonly info: LlamaCppEngineInfo;
  /** Tokens of `text` (no BOS). */
  tokenize(text: string): number[];
  generate(o: GenerateOptions): Promise<GenerateResult>;
  /** Requests waiting for a free sequence. */
  waiting(): number;
  /** Requests generating now. */
  running(): number;
  close(): Promise<void>;
}

/** Load the CPU binding without fetching or building anything. */
export async function loadLlamaCpu(): Promise<Llama> {
  process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true';
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  return getLlama({
    gpu: false,
    build: 'never',
    usePrebuiltBinaries: true,
    skipDownload: true,
    progressLogs: false,
    logLevel: LlamaLogLevel.error,
    maxThreads: availableParallelism(),
  });
}

export async function startLlamaCppEngine(o: LlamaCppEngineOptions): Promise<LlamaCppEngine> {
  const sequences = o.sequences ?? 8;
  const ctxPerSeq = o.contextTokensPerSequence ?? 1024;
  const threads = o.threads ?? availableParallelism();
  const gatherMs = o.batchGatherMs ?? 20;
  let running = 0;
  let context: LlamaContext | undefined;
  /**
   * Sequences with a token queued for the next step. `_queuedDecodeSequenceIds` is internal to
   * node-llama-cpp 3.21.1 (pinned); without it the gather waits the full `gatherMs`.
   */
  const queuedSequences = (): number | undefined =>
    (context as unknown as { _queuedDecodeSequenceIds?: Set<number> } | undefined)
      ?._queuedDecodeSequenceIds?.size;
  const gatherSchedule = (dispatch: () => void): void => {
    const deadline = performance.now() + gatherMs;
    const poll = (): void => {
      const queued = queuedSequences();
      if ((queued !== undefined && queued >= running) || performance.now() >= deadline) dispatch();
      else setImmediate(poll);
    };
    poll();
  };
  const mod = await import('node-llama-cpp');
  const llama = await loadLlamaCpu();
  let model: LlamaModel | undefined;
  try {
    model = await llama.loadModel({ modelPath: o.modelPath, gpuLayers: 0, useMmap: true });
    context = await model.createContext({
      sequences,
      contextSize: ctxPerSeq,
      threads: { ideal: threads, min: threads },
      ...(o.batchTokens !== undefined ? { batchSize: o.batchTokens } : {}),
      flashAttention: false,
      batching: {
        dispatchSchedule: gatherMs > 0 ? gatherSchedule : 'nextCycle',
        itemPrioritizationStrategy: 'maximumParallelism',
      },
    });
  } catch (e) {
    await context?.dispose();
    await model?.dispose();
    await llama.dispose();
    throw e;
  }
  const m = model;
  const ctx = context;
  const bos = m.tokens.bos;
  // Banned: end-of-generation tokens (every request runs to max_tokens) and tokens that do not
  // detokenize to whole characters on their own (byte-fallback pieces ≥ 0x80), so each streamed
  // chunk is valid UTF-8.
  const tokenBias = new mod.TokenBias(m.tokenizer);
  const vocabTokens = (
    m.fileInfo.metadata.tokenizer as unknown as { ggml?: { tokens?: unknown[] } }
  )?.ggml?.tokens?.length;
  if (vocabTokens === undefined)
    throw new Error('llama.cpp engine: the GGUF has no tokenizer.ggml.tokens array');
  for (let t = 0; t < vocabTokens; t++) {
    const token = t as Token;
    if (m.isEogToken(token) || m.detokenize([token], false).includes('\uFFFD'))
      tokenBias.set(token, 'never');
  }

  const free: LlamaContextSequence[] = [];
  for (let i = 0; i < sequences; i++) free.push(ctx.getSequence());
  const waiters: ((s: LlamaContextSequence) => void)[] = [];
  let closed = false;

  const acquire = (): Promise<LlamaContextSequence> => {
    const s = free.pop();
    if (s) return Promise.resolve(s);
    return new Promise((resolve) => waiters.push(resolve));
  };
  const release = (s: LlamaContextSequence): void => {
    const next = waiters.shift();
    if (next) next(s);
    else free.push(s);
  };

  const info: LlamaCppEngineInfo = {
    engine: 'llama.cpp',
    binding: `node-llama-cpp@${NODE_LLAMA_CPP_VERSION}`,
    threads,
    sequences,
    contextTokensPerSequence: ctx.contextSize,
    batchTokens: ctx.batchSize,
    modelBytes: m.size,
    gpu: false,
    buildType: llama.buildType,
  };

  return {
    info,
    tokenize: (text) => m.tokenize(text),
    waiting: () => waiters.length,
    running: () => running,
    async generate(g) {
      if (closed) throw new Error('llama.cpp engine: closed');
      if (!Number.isInteger(g.maxTokens) || g.maxTokens < 1)
        throw new RangeError(
          `llama.cpp engine: maxTokens must be a positive integer, got ${g.maxTokens}`,
        );
      const promptTokens = [...(bos !== null ? [bos] : []), ...m.tokenize(g.prompt)];
      if (promptTokens.length + g.maxTokens > ctx.contextSize)
        throw new RangeError(
          `llama.cpp engine: prompt (${promptTokens.length}) + max_tokens (${g.maxTokens}) exceed the ${ctx.contextSize}-token context per sequence`,
        );
      const seq = await acquire();
      running++;
      let completion = 0;
      let aborted = false;
      try {
        await seq.clearHistory();
        const last: Token[] = [];
        const tokens = seq.evaluate(promptTokens as Token[], { temperature: 0, tokenBias });
        try {
          for (;;) {
            const next = await tokens.next();
            if (next.done) break;
            if (g.signal?.aborted) {
              aborted = true;
              break;
            }
            completion++;
            g.onToken?.(m.detokenize([next.value], false, last), next.value);
            last.push(next.value);
            if (last.length > 8) last.shift();
            if (completion >= g.maxTokens) break;
            // Ask for the next token one macrotask later, so that node-llama-cpp's batch loop
            // finds no sequence queued and hands the next step to the gather schedule.
            if (gatherMs > 0) await new Promise((resolve) => setImmediate(resolve));
          }
        } finally {
          await tokens.return();
        }
      } finally {
        running--;
        release(seq);
      }
      return {
        promptTokens: promptTokens.length,
        completionTokens: completion,
        finishReason: aborted ? 'abort' : 'length',
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await ctx.dispose();
      await m.dispose();
      await llama.dispose();
    },
  };
}
