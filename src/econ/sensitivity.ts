/**
 * One-at-a-time sensitivity (the tornado diagram, DESIGN §7) over any pure scalar model, e.g.
 * cost per million tokens as a function of TCO inputs. Each listed input is moved to its low
 * and then its high value while every other input stays at its base value; the bars are
 * sorted by how far the output moves. The model is a plain function, so this knows nothing of
 * the TCO model and stays testable with hand-written models.
 *
 * Source: the tornado diagram of decision analysis — Howard, "Decision Analysis: Practice and
 * Promise", Management Science 34(6), 1988; Clemen & Reilly, "Making Hard Decisions", ch. 5.
 */
import { requireArg } from '../core/errors.js';
import { uncertainPercentiles, type UncertainSpec } from './uncertain.js';

/** Model inputs by name, each in its own units (e.g. `priceUsdPerKwh`, `depreciationYears`). */
export type ModelInputs = Readonly<Record<string, number>>;

/** A pure function of named inputs to one output, in the output's units. */
export type ScalarModel = (inputs: ModelInputs) => number;

/**
 * How far one input moves:
 * - `{ input, pct }`: ±pct percent of its base value, low = base·(1 − pct/100),
 *   high = base·(1 + pct/100) (a zero base does not move);
 * - `{ input, low, high }`: explicit values, in the input's units;
 * - `{ input, range }`: the closed-form P10 and P90 of an uncertain spec
 *   (`uncertainPercentiles`), the usual 80 % range of a tornado.
 */
export type TornadoVariation =
  | { input: string; pct: number }
  | { input: string; low: number; high: number }
  | { input: string; range: UncertainSpec };

/** The inputs to vary, in order; ties in swing keep this order. */
export type TornadoSpec = readonly TornadoVariation[];

/** One bar: the input's low and high values and the model output at each. */
export interface TornadoBar {
  input: string;
  lowInput: number;
  highInput: number;
  /** Model output with this input at `lowInput`, all others at base. */
  lowOutput: number;
  /** Model output with this input at `highInput`, all others at base. */
  highOutput: number;
  /** |highOutput − lowOutput|, in the output's units. */
  swing: number;
}

export interface TornadoResult {
  /** Model output at the base inputs. */
  baseOutput: number;
  /** Bars by descending swing; equal swings keep the spec's order. */
  bars: TornadoBar[];
}

function lowHigh(v: TornadoVariation, base: number): { low: number; high: number } {
  if ('pct' in v) {
    requireArg(
      Number.isFinite(v.pct) && v.pct >= 0,
      'tornado',
      `pct of '${v.input}' must be finite and ≥ 0, got ${v.pct}`,
    );
    return { low: base * (1 - v.pct / 100), high: base * (1 + v.pct / 100) };
  }
  if ('range' in v) {
    const p = uncertainPercentiles(v.range);
    return { low: p.p10, high: p.p90 };
  }
  requireArg(
    Number.isFinite(v.low) && Number.isFinite(v.high),
    'tornado',
    `low and high of '${v.input}' must be finite, got ${v.low}, ${v.high}`,
  );
  return { low: v.low, high: v.high };
}

function evaluate(model: ScalarModel, inputs: ModelInputs, what: string): number {
  const y = model(inputs);
  requireArg(
    typeof y === 'number' && Number.isFinite(y),
    'tornado',
    `the model must return a finite number, got ${String(y)} ${what}`,
  );
  return y;
}

/**
 * Tornado sensitivity of `model` around `baseInputs`. For each variation i with values
 * (lowᵢ, highᵢ): lowOutputᵢ = f(base with xᵢ = lowᵢ), highOutputᵢ = f(base with xᵢ = highᵢ),
 * swingᵢ = |highOutputᵢ − lowOutputᵢ|. For a linear model f = c + Σ bⱼ·xⱼ the swing is
 * |bᵢ|·|highᵢ − lowᵢ|. A model that is not monotone in an input can peak inside the range,
 * which the end-point swing does not show (the usual caveat of tornado diagrams).
 *
 * Units: inputs and low/high in each input's units; outputs and swing in the model's.
 * Cost: 2k + 1 model evaluations for k variations; each gets a fresh inputs object.
 * @throws AifError(E_INVALID_ARGUMENT) when a varied input is not in `baseInputs` or is listed
 *   twice, a base value or low/high is not finite, pct < 0, or the model returns a non-finite
 *   value.
 * @example tornado(({ a, b }) => 2 * a! + b!, { a: 10, b: 5 }, [{ input: 'a', pct: 10 }])
 *   → { baseOutput: 25, bars: [{ input: 'a', lowInput: 9, highInput: 11, lowOutput: 23,
 *       highOutput: 27, swing: 4 }] }
 */
export function tornado(
  model: ScalarModel,
  baseInputs: ModelInputs,
  spec: TornadoSpec,
): TornadoResult {
  for (const [name, value] of Object.entries(baseInputs))
    requireArg(
      Number.isFinite(value),
      'tornado',
      `base input '${name}' must be finite, got ${value}`,
    );
  const seen = new Set<string>();
  for (const v of spec) {
    requireArg(
      Object.prototype.hasOwnProperty.call(baseInputs, v.input),
      'tornado',
      `input '${v.input}' is not among the base inputs`,
    );
    requireArg(!seen.has(v.input), 'tornado', `input '${v.input}' is listed twice`);
    seen.add(v.input);
  }

  const baseOutput = evaluate(model, { ...baseInputs }, 'at the base inputs');
  const bars = spec.map((v): TornadoBar => {
    const { low, high } = lowHigh(v, baseInputs[v.input]!);
    const lowOutput = evaluate(model, { ...baseInputs, [v.input]: low }, `at ${v.input} = ${low}`);
    const highOutput = evaluate(
      model,
      { ...baseInputs, [v.input]: high },
      `at ${v.input} = ${high}`,
    );
    return {
      input: v.input,
      lowInput: low,
      highInput: high,
      lowOutput,
      highOutput,
      swing: Math.abs(highOutput - lowOutput),
    };
  });
  // Array.prototype.sort is stable (ES2019): equal swings keep the spec's order.
  bars.sort((x, y) => y.swing - x.swing);
  return { baseOutput, bars };
}
