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
import type {
  BatchItem,
  Llama,
  LlamaContext,
  LlamaContextSequence,
  LlamaModel,
  PrioritizedBatchItem,
  Token,
} from 'node-llama-cpp';

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
   * holding 3 of 4 sequences. Worse, once two sequences are out of phase (one re-queues while
   * the other's step runs) that loop keeps decoding them in alternate one-token steps and never
   * batches them again: B = 2 was measured as 62 one-token steps (engine step log), not 31 steps
   * of two. So the engine runs steps as a continuous-batching server does: every running request,
   * after receiving its token, waits at a step barrier until all running requests have theirs
   * (or finished), then all ask for the next token together one macrotask later; the batch loop
   * finds nothing queued and ends, and the next step is dispatched as soon as every running
   * request has queued (or after this many milliseconds). A new request's prompt joins the next
   * step; once it has its first token it decodes in step with the others.
   */
  batchGatherMs?: number;
  /**
   * Map the model file instead of reading it into memory (default false). On the measurement VM
   * a 1 GB model mapped right after it was written made every llama_decode ~16× slower about a
   * minute later (pages stayed resident, no major faults) and it never recovered; read into
   * anonymous memory the same model decoded at full speed for minutes.
   */
  useMmap?: boolean;
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
  /**
   * llama.cpp's `llama_print_system_info()` for the loaded CPU backend: the instruction sets the
   * ggml-cpu variant was built with (`AVX2 = 1 | F16C = 1 | FMA = 1 | AVX512 = 1 | …`) and
   * whether the llamafile GEMMs and weight repacking are in.
   */
  systemInfo: string;
}

/** One `llama_decode` call: tokens in its batch and its wall time (engine side, no HTTP). */
export interface LlamaCppStep {
  tokens: number;
  seconds: number;
  /** When it started, `performance.now()` milliseconds (gaps between steps = host time). */
  startMs: number;
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
  /**
   * The `llama_decode` calls since the last `resetSteps()` (or the start), when the pinned
   * node-llama-cpp internals allow recording them (`undefined` otherwise): how many tokens each
   * batched step held and how long it took, so a measurement can check that B streams really
   * decoded as batches of B.
   */
  steps(): LlamaCppStep[] | undefined;
  resetSteps(): void;
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

/**
 * Record every `llama_decode` of `context`: node-llama-cpp 3.21.1 (pinned) calls its native
 * context's `initBatch(tokens)`, `addToBatch(…)` per sequence, then `await decodeBatch()`; both
 * are shadowed on the instance by wrappers that call the originals. Returns the live log, or undefined when the internals differ.
 */
function recordSteps(context: LlamaContext): LlamaCppStep[] | undefined {
  const addon = (
    context as unknown as {
      _ctx?: { initBatch?: (n: number) => void; decodeBatch?: () => Promise<void> };
    }
  )._ctx;
  const init = addon?.initBatch;
  const decode = addon?.decodeBatch;
  if (!addon || typeof init !== 'function' || typeof decode !== 'function') return undefined;
  const log: LlamaCppStep[] = [];
  let tokens = 0;
  // The native methods are read-only prototype properties: shadow them on the instance.
  try {
    Object.defineProperty(addon, 'initBatch', {
      configurable: true,
      value: (n: number): void => {
        tokens = n;
        init.call(addon, n);
      },
    });
    Object.defineProperty(addon, 'decodeBatch', {
      configurable: true,
      value: async (): Promise<void> => {
        const t0 = performance.now();
        await decode.call(addon);
        log.push({ tokens, seconds: (performance.now() - t0) / 1000, startMs: t0 });
      },
    });
  } catch {
    return undefined;
  }
  return log;
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
  /**
   * The batch's items in ascending sequence id, each given its tokens up to an even share of
   * the batch (node-llama-cpp's `maximumParallelism` order is the queue order). Why: node-llama-cpp
   * 3.21.1 creates its context with one KV stream per sequence (`kvUnified = false`), and
   * llama.cpp then cuts a batch into micro-batches with `split_equal(n_ubatch, sequential =
   * true)`, which puts a sequence into the current micro-batch only if its id is the previous
   * one's + 1. Tokens of sequences 7, 6 (or 0, 2) in that order became two micro-batches — two
   * passes over all the weights — so decode tokens/s stayed flat as the batch grew. With
   * sequences handed out lowest id first and the batch sorted, B running requests are one
   * micro-batch. `_queuedDecodes` (internal, same order as `items`) carries the ids.
   */
  const ascendingSequences = ({
    items,
    size,
  }: {
    items: readonly BatchItem[];
    size: number;
  }): PrioritizedBatchItem[] => {
    const queued = (context as unknown as { _queuedDecodes?: { sequenceId: number }[] } | undefined)
      ?._queuedDecodes;
    const order = items
      .map((item, i) => ({ item, id: queued?.[i]?.sequenceId ?? i }))
      .sort((a, b) => a.id - b.id);
    const even = Math.max(1, Math.floor(size / Math.max(1, items.length)));
    let left = size;
    const out = order.map(({ item }) => {
      const n = Math.min(item.tokens.length, even, left);
      left -= n;
      return { item, processAmount: n };
    });
    for (const x of out) {
      if (left <= 0) break;
      const extra = Math.min(x.item.tokens.length - x.processAmount, left);
      x.processAmount += extra;
      left -= extra;
    }
    return out.filter((x) => x.processAmount > 0);
  };
  const mod = await import('node-llama-cpp');
  const llama = await loadLlamaCpu();
  let model: LlamaModel | undefined;
  try {
    model = await llama.loadModel({
      modelPath: o.modelPath,
      gpuLayers: 0,
      useMmap: o.useMmap ?? false,
    });
    context = await model.createContext({
      sequences,
      contextSize: ctxPerSeq,
      threads: { ideal: threads, min: threads },
      ...(o.batchTokens !== undefined ? { batchSize: o.batchTokens } : {}),
      flashAttention: false,
      batching: {
        dispatchSchedule: gatherMs > 0 ? gatherSchedule : 'nextCycle',
        itemPrioritizationStrategy: ascendingSequences,
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
  const stepLog = recordSteps(ctx);
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

  /**
   * The step barrier (see `batchGatherMs`): requests holding this step's token, released in
   * ascending sequence id so that they queue their next tokens in that order.
   */
  let atBarrier: { id: number; go: () => void }[] = [];
  const releaseBarrierIfAll = (): void => {
    if (atBarrier.length === 0 || atBarrier.length < running) return;
    const waiting = atBarrier.sort((a, b) => a.id - b.id);
    atBarrier = [];
    for (const w of waiting) w.go();
  };
  const stepBarrier = (id: number): Promise<void> =>
    new Promise((resolve) => {
      atBarrier.push({ id, go: resolve });
      releaseBarrierIfAll();
    });

  // Free sequences, lowest id first (see `ascendingSequences`): B requests that start together
  // hold sequences 0 … B−1.
  // node-llama-cpp numbers a fresh context's sequences 0, 1, … in the order they are created.
  const free: LlamaContextSequence[] = [];
  const idOf = new Map<LlamaContextSequence, number>();
  for (let i = 0; i < sequences; i++) {
    const s = ctx.getSequence();
    idOf.set(s, i);
    free.push(s);
  }
  const byId = (a: LlamaContextSequence, b: LlamaContextSequence): number =>
    idOf.get(a)! - idOf.get(b)!;
  const waiters: ((s: LlamaContextSequence) => void)[] = [];
  let closed = false;

  const acquire = (): Promise<LlamaContextSequence> => {
    const s = free.shift();
    if (s) return Promise.resolve(s);
    return new Promise((resolve) => waiters.push(resolve));
  };
  const release = (s: LlamaContextSequence): void => {
    const next = waiters.shift();
    if (next) next(s);
    else {
      free.push(s);
      free.sort(byId);
    }
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
    systemInfo: llama.systemInfo.trim(),
  };

  return {
    info,
    tokenize: (text) => m.tokenize(text),
    waiting: () => waiters.length,
    running: () => running,
    steps: () => stepLog && [...stepLog],
    resetSteps: () => stepLog?.splice(0),
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
            // Wait for every running request's token of this step, then ask for the next one a
            // macrotask later, so that node-llama-cpp's batch loop finds no sequence queued and
            // hands the next step, with all of them, to the gather schedule.
            if (gatherMs > 0) {
              await stepBarrier(idOf.get(seq)!);
              await new Promise((resolve) => setImmediate(resolve));
            }
          }
        } finally {
          await tokens.return();
        }
      } finally {
        running--;
        releaseBarrierIfAll();
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
