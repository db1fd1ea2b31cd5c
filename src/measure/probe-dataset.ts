/**
 * The GPU probe dataset (issue 5 item 6): what `probe/gpu/probe.py` writes and `aifactory
 * calibrate` reads. The format is documented in `probe/gpu/README.md`; this schema is its
 * executable form. Units are in the field names (seconds, bytes, watts, joules, TFLOP/s).
 */
import { z } from 'zod';
import { AifError, ERROR_CODES, type ErrorIssue } from '../core/errors.js';
import { zodIssueToErrorIssue } from '../core/zod-issues.js';

const nonNeg = z.number().finite().nonnegative();
const pos = z.number().finite().positive();
const count = z.number().int().positive();

/** Board power sampled by nvidia-smi while one measurement ran in a loop. */
export const ProbePowerSchema = z.strictObject({
  source: z.literal('nvidia-smi'),
  field: z.enum(['power.draw', 'power.draw.average', 'power.draw.instant']),
  /** Samples inside the steady window. */
  samples: z.number().int().nonnegative(),
  /** Steady window (after `settleSeconds`), seconds. */
  windowSeconds: pos,
  settleSeconds: nonNeg,
  meanPowerWatts: nonNeg,
  maxPowerWatts: nonNeg,
  /** Trapezoid energy over the steady window, joules. */
  energyJoules: nonNeg,
  /** meanPowerWatts × medianSeconds of the measurement, joules. */
  energyPerIterationJoules: nonNeg,
});

const timing = {
  medianSeconds: pos,
  minSeconds: pos,
  iterations: count,
  power: ProbePowerSchema.nullable(),
};

export const ProbeMatmulSchema = z.strictObject({
  dtype: z.enum(['bf16', 'fp16', 'fp8-e4m3']),
  m: count,
  n: count,
  k: count,
  ...timing,
  /** 2·m·n·k / medianSeconds / 1e12. */
  achievedTflops: pos,
});

export const ProbeMemoryCopySchema = z.strictObject({
  /** Bytes in the source buffer (device to device copy). */
  bytes: count,
  ...timing,
  /** 2·bytes / medianSeconds: bytes read plus bytes written per second. */
  readWriteBytesPerSecond: pos,
});

export const ProbeLayerStackSchema = z.strictObject({
  numLayers: count,
  hiddenSize: count,
  numHeads: count,
  numKvHeads: count,
  headDim: count,
  intermediateSize: count,
  dtype: z.enum(['bf16', 'fp16']),
  weightBytes: count,
});

export const ProbeStepSchema = z.strictObject({
  batchSize: count,
  /** Prefill: prompt tokens per sequence. Decode: tokens already in the KV cache. */
  contextLength: count,
  ...timing,
  /** Prefill: batchSize·contextLength / medianSeconds. Decode: batchSize / medianSeconds. */
  tokensPerSecond: pos,
});

export const GpuProbeDatasetSchema = z.strictObject({
  schema: z.literal('aifactory.gpu-probe'),
  schemaVersion: z.literal(1),
  /** true only for hand-written examples; measurements are false. */
  synthetic: z.boolean(),
  note: z.string().optional(),
  /** ISO 8601 UTC time the probe started. */
  createdAt: z.iso.datetime({ offset: true }),
  durationSeconds: pos,
  machine: z.strictObject({
    hostname: z.string(),
    gpuName: z.string().min(1),
    gpuIndex: z.number().int().nonnegative(),
    gpuCount: count,
    gpuMemoryBytes: count,
    computeCapability: z.string().regex(/^\d+\.\d+$/),
    driverVersion: z.string().min(1),
    /** CUDA version PyTorch was built with (`torch.version.cuda`). */
    cudaVersion: z.string().min(1),
    torchVersion: z.string().min(1),
    pythonVersion: z.string().min(1),
    powerLimitWatts: pos.nullable(),
  }),
  settings: z.strictObject({
    warmupIterations: z.number().int().nonnegative(),
    timedIterations: count,
    powerWindowSeconds: nonNeg,
    powerSettleSeconds: nonNeg,
    powerSampleIntervalMs: count,
    budgetSeconds: pos,
  }),
  powerSampling: z.strictObject({
    available: z.boolean(),
    field: z.enum(['power.draw', 'power.draw.average', 'power.draw.instant']),
    reason: z.string().optional(),
  }),
  matmul: z.array(ProbeMatmulSchema),
  memoryCopy: z.array(ProbeMemoryCopySchema),
  layerStack: ProbeLayerStackSchema,
  prefill: z.array(ProbeStepSchema),
  decode: z.array(ProbeStepSchema),
  skipped: z.array(
    z.strictObject({
      phase: z.enum(['matmul', 'memory-copy', 'prefill', 'decode', 'power']),
      shape: z.string(),
      reason: z.string().min(1),
    }),
  ),
});

export type GpuProbeDataset = z.output<typeof GpuProbeDatasetSchema>;

/** Relative tolerance for derived figures (throughputs recomputed from the median). */
const DERIVED_TOLERANCE = 0.01;

/**
 * Validate a parsed probe dataset: the schema, then the derived figures (TFLOP/s, bandwidth,
 * tokens/s must follow from the shape and the median within 1%).
 *
 * @throws AifError E_INPUT_FORMAT with one issue per problem, each naming the field path, the
 *   value found and what was expected.
 */
export function parseGpuProbeDataset(
  input: unknown,
  source = 'gpu probe dataset',
): GpuProbeDataset {
  const parsed = GpuProbeDatasetSchema.safeParse(input);
  if (!parsed.success) {
    throw invalid(
      source,
      parsed.error.issues.map((i) =>
        zodIssueToErrorIssue(i, input, {
          unknownKeys: 'only the documented fields (probe/gpu/README.md)',
        }),
      ),
    );
  }
  const d = parsed.data;
  const issues: ErrorIssue[] = [];
  const check = (path: string, value: number, expected: number, formula: string): void => {
    if (Math.abs(value - expected) > DERIVED_TOLERANCE * Math.abs(expected)) {
      issues.push({
        path,
        message: `does not match ${formula}`,
        value,
        expected: `${formula} = ${expected.toPrecision(6)} (±1%)`,
      });
    }
  };
  d.matmul.forEach((r, i) =>
    check(
      `matmul.${i}.achievedTflops`,
      r.achievedTflops,
      (2 * r.m * r.n * r.k) / r.medianSeconds / 1e12,
      '2·m·n·k / medianSeconds / 1e12',
    ),
  );
  d.memoryCopy.forEach((r, i) =>
    check(
      `memoryCopy.${i}.readWriteBytesPerSecond`,
      r.readWriteBytesPerSecond,
      (2 * r.bytes) / r.medianSeconds,
      '2·bytes / medianSeconds',
    ),
  );
  d.prefill.forEach((r, i) =>
    check(
      `prefill.${i}.tokensPerSecond`,
      r.tokensPerSecond,
      (r.batchSize * r.contextLength) / r.medianSeconds,
      'batchSize·contextLength / medianSeconds',
    ),
  );
  d.decode.forEach((r, i) =>
    check(
      `decode.${i}.tokensPerSecond`,
      r.tokensPerSecond,
      r.batchSize / r.medianSeconds,
      'batchSize / medianSeconds',
    ),
  );
  const stack = d.layerStack;
  if (stack.numHeads % stack.numKvHeads !== 0) {
    issues.push({
      path: 'layerStack.numKvHeads',
      message: 'must divide numHeads',
      value: stack.numKvHeads,
      expected: `a divisor of ${stack.numHeads}`,
    });
  }
  if (issues.length > 0) throw invalid(source, issues);
  return d;
}

/** Parse JSON text and validate it; JSON syntax errors are reported the same way. */
export function parseGpuProbeDatasetJson(
  text: string,
  source = 'gpu probe dataset',
): GpuProbeDataset {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw invalid(source, [
      { path: '(root)', message: (e as Error).message, expected: 'valid JSON' },
    ]);
  }
  return parseGpuProbeDataset(data, source);
}

function invalid(source: string, issues: readonly ErrorIssue[]): AifError {
  return new AifError(
    ERROR_CODES.INPUT_FORMAT,
    `parseGpuProbeDataset: ${source} is invalid (${issues.length} issue${issues.length === 1 ? '' : 's'}): ${issues
      .map(
        (i) =>
          `${i.path || '(root)'}: ${i.message}${i.value !== undefined ? ` (found ${JSON.stringify(i.value)})` : ''}${i.expected ? `; expected ${i.expected}` : ''}`,
      )
      .join('; ')}`,
    issues,
  );
}
