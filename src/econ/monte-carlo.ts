/**
 * Monte Carlo propagation of uncertain inputs through any pure model (DESIGN §7): draw every
 * uncertain input, evaluate the model, repeat, and summarise each output by its mean, spread
 * and percentiles. The model may return one number (e.g. USD per million tokens) or several
 * named numbers (e.g. cost per token and TCO): all outputs of one run come from the same
 * draws, never re-sampled per output.
 *
 * Reproducibility (DESIGN §1.4): input `name` draws from its own stream
 * `createRng(seed, 'mc:' + name)`, so
 * - the same inputs, seed and sample count give the same result, byte for byte;
 * - adding, removing or reordering *other* inputs does not change this input's draws;
 * - raising `samples` from n to m keeps the first n draws of every input.
 * The streams used (algorithm, seed, name) are returned with the result as its provenance.
 *
 * Percentiles: linear interpolation between order statistics, type 7 of Hyndman & Fan,
 * "Sample Quantiles in Statistical Packages", The American Statistician 50(4), 1996 — the
 * default of R and numpy (core `quantile`).
 */
import { AifError, ERROR_CODES, requireArg } from '../core/errors.js';
import { createRng, RNG_ALGORITHM, type RngStreamInfo } from '../core/rng.js';
import { quantile } from '../core/stats.js';
import type { ModelInputs } from './sensitivity.js';
import { createUncertainSampler, type UncertainSpec } from './uncertain.js';

/** Each input: a plain number (held fixed, draws nothing) or an uncertain spec. */
export type MonteCarloInputs = Readonly<Record<string, UncertainSpec | number>>;

export interface MonteCarloOptions {
  /** Integer seed of the run; with the input names it fixes every draw. */
  seed: number;
  /** Number of model evaluations, an integer ≥ 1. */
  samples: number;
}

/** Summary of one output over all samples, in the output's units. */
export interface OutputSummary {
  mean: number;
  /** Sample standard deviation (n − 1 denominator; 0 for one sample). */
  stdDev: number;
  min: number;
  p10: number;
  p50: number;
  p90: number;
  max: number;
}

/** The key under which a scalar model's output is summarised. */
export const SCALAR_OUTPUT = 'output';

export interface MonteCarloResult<K extends string = string> {
  samples: number;
  /** The percentile definition used, in words with its source. */
  percentileMethod: string;
  /** One summary per model output; a scalar model's is under `SCALAR_OUTPUT`. */
  outputs: Record<K, OutputSummary>;
  /** Provenance: the generator, seed and one stream per uncertain input, by input name order. */
  rng: { algorithm: typeof RNG_ALGORITHM; seed: number; streams: RngStreamInfo[] };
}

export const PERCENTILE_METHOD =
  'linear interpolation between order statistics, Hyndman & Fan (1996) type 7';

/** The stream name of input `name` (see the module comment for what this guarantees). */
export const monteCarloStreamName = (name: string): string => `mc:${name}`;

function summarize(values: number[]): OutputSummary {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  // Sort once; core `quantile` re-sorts its copy, which is linear on sorted input (TimSort).
  const sorted = values.slice().sort((a, b) => a - b);
  return {
    mean,
    stdDev: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    min: sorted[0]!,
    p10: quantile(sorted, 0.1),
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    max: sorted[n - 1]!,
  };
}

function badOutput(requirement: string): never {
  throw new AifError(ERROR_CODES.INVALID_ARGUMENT, `monteCarlo: ${requirement}`);
}

/**
 * Monte Carlo over `inputs` through `model`. For s = 1…samples: xᵢ⁽ˢ⁾ = the s-th draw of input
 * i from stream `mc:<i>` (a plain number stays fixed), y⁽ˢ⁾ = model(x⁽ˢ⁾); then per output:
 * mean = Σ y⁽ˢ⁾ / n, stdDev with n − 1, min, max, and P10/P50/P90 by type 7 (see module comment).
 * The Monte Carlo standard error of the mean is stdDev/√samples.
 *
 * Units: inputs in their own units, summaries in each output's units.
 * Cost: `samples` model evaluations, O(samples · (inputs + outputs)) memory, and one sort of
 * `samples` values per output.
 * @throws AifError(E_INVALID_ARGUMENT) for a non-integer seed, samples < 1 or non-integer, an
 *   invalid spec or non-finite fixed input, a model returning a non-finite value, or a
 *   multi-output model whose keys change between samples.
 * @example monteCarlo(({ x }) => 2 * x!, { x: { dist: 'uniform', min: 0, max: 1 } },
 *   { seed: 1, samples: 10_000 }).outputs.output.p50 ≈ 1
 */
export function monteCarlo(
  model: (inputs: ModelInputs) => number,
  inputs: MonteCarloInputs,
  options: MonteCarloOptions,
): MonteCarloResult<typeof SCALAR_OUTPUT>;
export function monteCarlo<K extends string>(
  model: (inputs: ModelInputs) => Readonly<Record<K, number>>,
  inputs: MonteCarloInputs,
  options: MonteCarloOptions,
): MonteCarloResult<K>;
export function monteCarlo(
  model: (inputs: ModelInputs) => number | Readonly<Record<string, number>>,
  inputs: MonteCarloInputs,
  options: MonteCarloOptions,
): MonteCarloResult {
  const { seed, samples } = options;
  requireArg(Number.isInteger(seed), 'monteCarlo', `seed must be an integer, got ${seed}`);
  requireArg(
    Number.isInteger(samples) && samples >= 1,
    'monteCarlo',
    `samples must be an integer ≥ 1, got ${samples}`,
  );

  const fixed: Record<string, number> = {};
  const drawn: { name: string; draw: () => number }[] = [];
  const streams: RngStreamInfo[] = [];
  for (const name of Object.keys(inputs).sort()) {
    const spec = inputs[name]!;
    if (typeof spec === 'number') {
      requireArg(
        Number.isFinite(spec),
        'monteCarlo',
        `input '${name}' must be finite, got ${spec}`,
      );
      fixed[name] = spec;
      continue;
    }
    const sample = createUncertainSampler(spec);
    const rng = createRng(seed, monteCarloStreamName(name));
    streams.push(rng.info);
    drawn.push({ name, draw: () => sample(rng) });
  }

  let scalar: boolean | undefined;
  let keys: string[] = [];
  let columns: number[][] = [];
  for (let s = 0; s < samples; s++) {
    const x: Record<string, number> = { ...fixed };
    for (const d of drawn) x[d.name] = d.draw();
    const y = model(x);
    if (scalar === undefined) {
      scalar = typeof y === 'number';
      keys = scalar ? [SCALAR_OUTPUT] : Object.keys(y);
      if (keys.length === 0) badOutput('the model returned no outputs');
      columns = keys.map(() => new Array<number>(samples));
    }
    if (scalar) {
      if (typeof y !== 'number' || !Number.isFinite(y))
        badOutput(`the model must return a finite number, got ${String(y)} at sample ${s}`);
      columns[0]![s] = y;
      continue;
    }
    if (typeof y !== 'object' || Object.keys(y).length !== keys.length)
      badOutput(`the model's outputs changed at sample ${s}; expected ${keys.join(', ')}`);
    for (let k = 0; k < keys.length; k++) {
      const v = (y as Readonly<Record<string, number>>)[keys[k]!];
      if (typeof v !== 'number' || !Number.isFinite(v))
        badOutput(`output '${keys[k]}' must be a finite number, got ${String(v)} at sample ${s}`);
      columns[k]![s] = v;
    }
  }

  const outputs: Record<string, OutputSummary> = {};
  keys.forEach((key, k) => (outputs[key] = summarize(columns[k]!)));
  return {
    samples,
    percentileMethod: PERCENTILE_METHOD,
    outputs,
    rng: { algorithm: RNG_ALGORITHM, seed, streams },
  };
}
