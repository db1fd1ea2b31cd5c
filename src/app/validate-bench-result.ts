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
  }),
  engine: z.object({
    name: z.string(),
    binding: z.string(),
    threads: z.number().int().positive(),
    sequences: z.number().int().positive(),
    contextTokensPerSequence: z.number().int().positive(),
    buildType: z.string(),
    sampling: z.string(),
  }),
  model: z.object({
    name: z.string(),
    shape: ModelShapeSchema,
    /** Weight number format (GGUF F16 → `fp16`). */
    weightFormat: z.literal('fp16'),
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
  points: z.array(DecodePointSchema).min(1),
});

export type BenchResult = z.infer<typeof BenchResultSchema>;
export type DecodePoint = z.infer<typeof DecodePointSchema>;
export type DecodeRun = z.infer<typeof DecodeRunSchema>;
