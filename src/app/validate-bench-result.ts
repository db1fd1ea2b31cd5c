/**
 * The measured-run file `aifactory validate bench` reads: decode tokens/s of a real engine at
 * several batch sizes, with the model's shape, the engine settings and the machine facts
 * (written by `bench/llamacpp-decode.ts` into `data/measurements/`). One schema, shared by the
 * writer and the reader.
 */
import { z } from 'zod';

export const BENCH_RESULT_KIND = 'aifactory.decode-bench';

const LoadSchema = z.object({
  /** 1, 5 and 15 minute load averages (`os.loadavg()`, as `uptime` prints). */
  loadAverage: z.tuple([z.number(), z.number(), z.number()]),
  uptime: z.string().optional(),
  /**
   * Share of the machine's CPU time (0–1 of all cores) used by *other* processes during the
   * run: /proc/stat busy time minus this process's `process.cpuUsage()`.
   */
  otherProcessesCpuFraction: z.number().optional(),
});

export const DecodeRunSchema = z.object({
  /** Aggregate decode tokens/s over the window in which all streams decoded together. */
  decodeTokensPerSecond: z.number().positive(),
  windowSeconds: z.number().positive(),
  tokensInWindow: z.number().int().positive(),
  /** Mean inter-token interval per stream inside the window, seconds. */
  meanItlSeconds: z.number().positive(),
  /** Per stream, from the common send time: first and last token arrival, seconds. */
  ttftSeconds: z.array(z.number()),
  lastTokenSeconds: z.array(z.number()),
  completionTokens: z.array(z.number().int()),
  usageCompletionTokens: z.array(z.number().int()),
  load: LoadSchema.optional(),
  /**
   * Streaming-read bandwidth measured right before the run (the membw probe's read kernel on
   * small buffers): the machine is a VM whose neighbours share the memory bus invisibly to
   * /proc/stat, so this is what was available to the run.
   */
  membwReadBytesPerSecondBefore: z.number().positive().optional(),
  /**
   * Engine-side view of the run (the `llama_decode` calls node-llama-cpp made while it ran):
   * how many steps, how many held all B sequences, and those steps' mean wall time — B / that
   * time is the decode rate without HTTP, sampling and JavaScript between the steps.
   */
  engineSteps: z
    .object({
      steps: z.number().int().nonnegative(),
      fullBatchSteps: z.number().int().nonnegative(),
      meanFullBatchStepSeconds: z.number().positive().optional(),
      /**
       * Their median: robust to the long stalls a spinning thread pool suffers when another
       * process takes a core for a moment (B / this = the engine's typical decode rate).
       */
      medianFullBatchStepSeconds: z.number().positive().optional(),
      /** Their minimum: the step time with the cores to itself. */
      minFullBatchStepSeconds: z.number().positive().optional(),
      /**
       * Median time from the end of one full-batch step to the start of the next: the host's
       * share of an iteration (sampling, detokenizing, streaming, JavaScript between steps).
       */
      medianGapSeconds: z.number().nonnegative().optional(),
      /** Tokens per step over the decode steps (after every prompt was evaluated). */
      meanDecodeStepTokens: z.number().nonnegative(),
    })
    .optional(),
});

/**
 * A prompt evaluated in one `llama_decode` (prefill): compute-bound, so `validate bench` may fit
 * the GEMM compute efficiency to these runs and predict the decode points, which it never fits.
 */
export const PrefillRunSchema = z.object({
  /** Tokens in the single batch (BOS included). */
  promptTokens: z.number().int().positive(),
  /** Wall time of that `llama_decode`, engine side. */
  seconds: z.number().positive(),
  load: LoadSchema.optional(),
});

export const DecodePointSchema = z.object({
  batchSize: z.number().int().positive(),
  /**
   * The quietest run's rate (lowest other-process CPU share; on a shared machine contention
   * slows llama.cpp's spinning thread pool by up to two orders of magnitude, so a median over
   * runs mixes machine states). `medianTokensPerSecond` is the median over all runs.
   */
  decodeTokensPerSecond: z.number().positive(),
  medianTokensPerSecond: z.number().positive(),
  /** Mean tokens in each sequence's KV cache during the window (prompt + half the output). */
  meanContextTokens: z.number().nonnegative(),
  runs: z.array(DecodeRunSchema).min(1),
});

export const ModelShapeSchema = z.object({
  numLayers: z.number().int().positive(),
  hiddenSize: z.number().int().positive(),
  numHeads: z.number().int().positive(),
  numKvHeads: z.number().int().positive(),
  intermediateSize: z.number().int().positive(),
  vocabSize: z.number().int().positive(),
});

export const BenchResultSchema = z.object({
  kind: z.literal(BENCH_RESULT_KIND),
  version: z.literal(1),
  /** ISO date-time of the run. */
  date: z.string(),
  machine: z.object({
    cpuModel: z.string(),
    cores: z.number().int().positive(),
    memoryBytes: z.number().positive(),
    nodeVersion: z.string(),
    platform: z.string(),
    loadBefore: LoadSchema,
    loadAfter: LoadSchema,
    note: z.string().optional(),
    /** SIMD-relevant `/proc/cpuinfo` flags of the CPU (avx2, f16c, fma, avx512*, …). */
    cpuFlags: z.array(z.string()).optional(),
  }),
  engine: z.object({
    name: z.string(),
    binding: z.string(),
    threads: z.number().int().positive(),
    sequences: z.number().int().positive(),
    contextTokensPerSequence: z.number().int().positive(),
    buildType: z.string(),
    sampling: z.string(),
    /** llama.cpp's system info for the loaded CPU backend (`AVX2 = 1 | F16C = 1 | …`). */
    systemInfo: z.string().optional(),
    /** Whether the weights were memory-mapped from the file (false: read into memory). */
    mmap: z.boolean().optional(),
  }),
  model: z.object({
    name: z.string(),
    shape: ModelShapeSchema,
    /** Weight number format (GGUF F16 → `fp16`, GGUF Q8_0 → `q8_0`; norms are F32 either way). */
    weightFormat: z.enum(['fp16', 'q8_0']),
    kvCacheFormat: z.literal('fp16'),
    params: z.number().int().positive(),
    weightBytes: z.number().int().positive(),
    fileBytes: z.number().int().positive(),
    seed: z.number().int(),
    generatedBy: z.string(),
  }),
  workload: z.object({
    promptTokens: z.number().int().positive(),
    maxTokens: z.number().int().positive(),
    runsPerBatchSize: z.number().int().positive(),
    endpoint: z.string(),
    method: z.string(),
  }),
  membwProbe: z
    .object({
      method: z.string(),
      readMedianBytesPerSecond: z.number().positive(),
      readBestBytesPerSecond: z.number().positive(),
      copyMedianBytesPerSecond: z.number().positive(),
      load: LoadSchema.optional(),
    })
    .optional(),
  /** Prompt-only runs (prefill), when measured; see `PrefillRunSchema`. */
  prefill: z
    .object({
      method: z.string(),
      runs: z.array(PrefillRunSchema).min(1),
    })
    .optional(),
  points: z.array(DecodePointSchema).min(1),
});

export type BenchResult = z.infer<typeof BenchResultSchema>;
export type DecodePoint = z.infer<typeof DecodePointSchema>;
export type DecodeRun = z.infer<typeof DecodeRunSchema>;
export type PrefillRun = z.infer<typeof PrefillRunSchema>;
