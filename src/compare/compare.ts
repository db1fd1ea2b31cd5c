/**
 * `compareResults(a, b, options)`: compare two results metric by metric (DESIGN §1.1, §10).
 * Metrics are paired by name; every basis difference of a pair is listed; a verdict ("a is
 * cheaper by 12.0%") is given only when the bases are equal in every condition that makes two
 * numbers comparable, or after normalisations the caller states explicitly — and those are
 * printed with the verdict. Precision, accounting boundary and power kind can never be
 * normalised by assumption: an FP4 figure is not an FP8 figure, and chip joules are not
 * facility joules.
 *
 * Pure: plain data in, plain data out.
 */
import { compareBases, type Basis, type BasisDifference, type Metric } from '../core/basis.js';
import { requireArg } from '../core/errors.js';

/** One side of a comparison: a result or estimate given as its metrics, with a name. */
export interface ComparableSide {
  name: string;
  metrics: readonly Metric[];
}

/** A basis field as `compareBases` names it: a `Basis` key or `slo.<target>`. */
export type BasisField = BasisDifference['field'];

/** Fields a caller may normalise (`ignore` / `assumeEqual`); `slo` covers every SLO target. */
export type NormalisableField = Exclude<keyof Basis, FixedField | 'source'> | 'slo';

/**
 * Fields no option normalises: comparing across them compares different quantities
 * (a different number format computes differently; chip, node and facility joules differ by
 * the host, network and PUE; provisioned and drawn megawatts differ by the load).
 */
export const FIXED_FIELDS = ['precision', 'boundary', 'powerKind'] as const;
export type FixedField = (typeof FIXED_FIELDS)[number];

/**
 * Fields that are listed when they differ but never block a verdict: `source` names where the
 * inputs come from (catalog ids, calibration, file), which differs between any two results.
 */
export const INFORMATIONAL_FIELDS = ['source'] as const;

/** Money conversion between currency-years, applied before comparing (e.g. inflation). */
export interface CurrencyConversion {
  /** Currency-year converted from, as in `Basis.currencyYear`, e.g. `USD-2024`. */
  from: string;
  /** Currency-year converted to, e.g. `USD-2026`. */
  to: string;
  /** Multiply money values in `from` by this to express them in `to`. */
  factor: number;
  /** Where the factor comes from (index, publication). */
  source: string;
}

export interface CompareOptions {
  /** Fields whose difference does not matter to the caller (e.g. `provenance`). */
  ignore?: readonly NormalisableField[];
  /** Fields the caller asserts are equivalent although their values differ (e.g. `utilization`). */
  assumeEqual?: readonly NormalisableField[];
  /** Currency-year conversion of money metrics. */
  currencyConversion?: CurrencyConversion;
  /** Only these metric names (after disambiguation); all when absent. */
  metrics?: readonly string[];
  /** Relative difference below which the two values count as equal (default 0.005 = 0.5%). */
  equalWithinFraction?: number;
}

/** Which way a metric improves. */
export type MetricDirection = 'lower-is-better' | 'higher-is-better';

/** A normalisation applied to a pair, as printed with its verdict. */
export interface AppliedNormalisation {
  field: BasisField;
  how: 'ignored' | 'assumed-equal' | 'converted';
  a: unknown;
  b: unknown;
  text: string;
}

export interface Verdict {
  direction: MetricDirection;
  better: 'a' | 'b' | 'equal';
  /** a ÷ b, after any conversion. */
  ratioAOverB: number;
  /**
   * By how much the better side is better, percent of the worse side's value:
   * lower-is-better (worse − better) / worse; higher-is-better (better − worse) / worse.
   */
  percent: number;
  text: string;
  /** Normalisations this verdict rests on; empty when the bases were equal. */
  normalisations: AppliedNormalisation[];
}

export interface MetricComparison {
  name: string;
  unit: string;
  a: Metric;
  b: Metric;
  /** Every basis difference, as `compareBases` lists it (before any normalisation). */
  differences: BasisDifference[];
  /** Differences that block a verdict after the options. */
  blocking: BasisDifference[];
  /** Differences that do not block (informational fields or normalised ones). */
  normalisations: AppliedNormalisation[];
  verdict?: Verdict;
  /** Why there is no verdict, naming each differing field with both values. */
  refusal?: string;
}

export interface CompareResult {
  a: string;
  b: string;
  /** The options in words, printed with every verdict. */
  optionsApplied: string[];
  pairs: MetricComparison[];
  /** Metric names only one side has. */
  onlyInA: string[];
  onlyInB: string[];
}

// ---------------------------------------------------------------------------------------------
// Direction and wording
// ---------------------------------------------------------------------------------------------

interface DirectionRule {
  /** What the rule recognises, in words. */
  name: string;
  matches: (m: Metric) => boolean;
  direction: MetricDirection;
  /** Adjective for the better side: `cheaper`, `faster`, `more efficient`. */
  adjective: string;
}

const unitIsMoney = (m: Metric): boolean => /USD|\$/.test(m.unit);

/**
 * Direction registry, first match wins. Cost and latency: lower is better; throughput, goodput,
 * tokens per joule and per MW: higher is better (DESIGN §3). Utilization is not a goal
 * (DESIGN §1.2), and power alone says nothing: no verdict without a rule.
 */
export const DIRECTION_RULES: readonly DirectionRule[] = [
  {
    name: 'money (cost, price)',
    matches: (m) => unitIsMoney(m) || /\bcost\b/i.test(m.name),
    direction: 'lower-is-better',
    adjective: 'cheaper',
  },
  {
    name: 'latency (seconds)',
    matches: (m) => m.unit === 's' || /\b(TTFT|TPOT|ITL|E2E|latency)\b/i.test(m.name),
    direction: 'lower-is-better',
    adjective: 'faster',
  },
  {
    name: 'energy efficiency (tokens per joule, per MW, per watt)',
    matches: (m) =>
      /tok\/J|per MW|tok\/s\/MW|per W\b/.test(m.unit) || /per (joule|MW)/i.test(m.name),
    direction: 'higher-is-better',
    adjective: 'more efficient',
  },
  {
    name: 'throughput (tokens or requests per second)',
    matches: (m) => /^(tok|req)\/s$/.test(m.unit) || /\b(throughput|goodput)\b/i.test(m.name),
    direction: 'higher-is-better',
    adjective: 'faster',
  },
];

/** The direction rule of a metric, or `undefined` when no rule says which way is better. */
export function metricDirection(m: Metric): DirectionRule | undefined {
  return DIRECTION_RULES.find((r) => r.matches(m));
}

const show = (x: unknown): string =>
  x === undefined ? '(not stated)' : typeof x === 'string' ? x : JSON.stringify(x);

const pct = (x: number): string => `${x.toFixed(1)}%`;

// ---------------------------------------------------------------------------------------------
// Pairing
// ---------------------------------------------------------------------------------------------

/** Names that occur more than once in a list of metrics. */
function repeatedNames(metrics: readonly Metric[]): Set<string> {
  const seen = new Set<string>();
  const out = new Set<string>();
  for (const m of metrics) (seen.has(m.name) ? out : seen).add(m.name);
  return out;
}

/**
 * Metrics keyed by a name unique within the side: the metric's name, then `name [boundary]`
 * when the name repeats (e.g. tokens per joule at chip and facility) — in this list or in
 * `alsoRepeated` (the other side's repeats, so both sides key alike) — then `… #k`.
 */
export function uniqueMetricNames(
  metrics: readonly Metric[],
  alsoRepeated: ReadonlySet<string> = new Set(),
): Map<string, Metric> {
  const repeated = repeatedNames(metrics);
  const withBoundary = (m: Metric) =>
    repeated.has(m.name) || alsoRepeated.has(m.name) ? `${m.name} [${m.basis.boundary}]` : m.name;
  const counts = new Map<string, number>();
  for (const m of metrics) counts.set(withBoundary(m), (counts.get(withBoundary(m)) ?? 0) + 1);
  const seen = new Map<string, number>();
  const out = new Map<string, Metric>();
  for (const m of metrics) {
    let key = withBoundary(m);
    if ((counts.get(key) ?? 0) > 1) {
      const k = (seen.get(key) ?? 0) + 1;
      seen.set(key, k);
      key = `${key} #${k}`;
    }
    out.set(key, m);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Comparing one pair
// ---------------------------------------------------------------------------------------------

const topField = (f: BasisField): string => (f.startsWith('slo') ? 'slo' : f);

function convertCurrency(
  m: Metric,
  conv: CurrencyConversion | undefined,
): { metric: Metric; converted: boolean } {
  if (!conv || m.basis.currencyYear !== conv.from) return { metric: m, converted: false };
  return {
    metric: {
      ...m,
      value: m.value * conv.factor,
      basis: { ...m.basis, currencyYear: conv.to },
    },
    converted: true,
  };
}

function comparePair(
  name: string,
  a0: Metric,
  b0: Metric,
  options: CompareOptions,
): MetricComparison {
  const differences = compareBases(a0.basis, b0.basis);
  const conv = options.currencyConversion;
  const ca = convertCurrency(a0, conv);
  const cb = convertCurrency(b0, conv);
  const a = ca.metric;
  const b = cb.metric;
  const normalisations: AppliedNormalisation[] = [];
  if (conv && (ca.converted || cb.converted)) {
    normalisations.push({
      field: 'currencyYear',
      how: 'converted',
      a: a0.basis.currencyYear,
      b: b0.basis.currencyYear,
      text: `currency-year converted: ${conv.from} × ${conv.factor} → ${conv.to} (${conv.source})`,
    });
  }
  const after = compareBases(a.basis, b.basis);
  const ignore = new Set<string>(options.ignore ?? []);
  const assume = new Set<string>(options.assumeEqual ?? []);
  const blocking: BasisDifference[] = [];
  for (const d of after) {
    const top = topField(d.field);
    if ((INFORMATIONAL_FIELDS as readonly string[]).includes(top)) continue;
    if ((FIXED_FIELDS as readonly string[]).includes(top)) {
      blocking.push(d);
    } else if (ignore.has(top)) {
      normalisations.push({
        field: d.field,
        how: 'ignored',
        a: d.a,
        b: d.b,
        text: `${d.field} ignored (a: ${show(d.a)}, b: ${show(d.b)})`,
      });
    } else if (assume.has(top)) {
      normalisations.push({
        field: d.field,
        how: 'assumed-equal',
        a: d.a,
        b: d.b,
        text: `${d.field} assumed equal (a: ${show(d.a)}, b: ${show(d.b)})`,
      });
    } else {
      blocking.push(d);
    }
  }
  const base: MetricComparison = {
    name,
    unit: a.unit,
    a: a0,
    b: b0,
    differences,
    blocking,
    normalisations,
  };
  const reasons: string[] = [];
  if (a.unit !== b.unit) reasons.push(`units differ (a: ${a.unit}, b: ${b.unit})`);
  if (blocking.length) {
    const fixed = blocking.filter((d) => (FIXED_FIELDS as readonly string[]).includes(d.field));
    const other = blocking.filter((d) => !fixed.includes(d));
    reasons.push(
      `bases differ in ${blocking.map((d) => `${d.field} (a: ${show(d.a)}, b: ${show(d.b)})`).join('; ')}`,
    );
    if (fixed.length)
      reasons.push(
        `${fixed.map((d) => d.field).join(', ')} cannot be normalised: the two numbers measure different things`,
      );
    if (other.length)
      reasons.push(
        `to compare anyway, name them in ignore or assumeEqual (CLI: --ignore / --assume-equal): ${[...new Set(other.map((d) => topField(d.field)))].join(', ')}`,
      );
  }
  const rule = metricDirection(a);
  if (!reasons.length && !rule)
    reasons.push(
      `no rule says whether higher or lower '${name}' (${a.unit}) is better; values shown, no verdict`,
    );
  if (!reasons.length && (!Number.isFinite(a.value) || !Number.isFinite(b.value) || b.value === 0))
    reasons.push(`values not comparable (a: ${a.value}, b: ${b.value})`);
  if (reasons.length || !rule)
    return { ...base, refusal: `no verdict on '${name}': ${reasons.join('; ')}` };

  const ratio = a.value / b.value;
  const eps = options.equalWithinFraction ?? 0.005;
  const lower = rule.direction === 'lower-is-better';
  const aBetter = lower ? a.value < b.value : a.value > b.value;
  const worse = aBetter ? b.value : a.value;
  const better = aBetter ? a.value : b.value;
  const percent = (Math.abs(worse - better) / Math.abs(worse)) * 100;
  const equal = Math.abs(ratio - 1) <= eps;
  const normalised = normalisations.length
    ? ` — after: ${normalisations.map((n) => n.text).join('; ')}`
    : ' — bases equal';
  const text = equal
    ? `a and b are equal on '${name}' within ${pct(eps * 100)} (a/b = ${ratio.toPrecision(4)})${normalised}`
    : `${aBetter ? 'a' : 'b'} is ${rule.adjective} by ${pct(percent)} on '${name}' (a/b = ${ratio.toPrecision(4)}, ${rule.direction})${normalised}`;
  return {
    ...base,
    verdict: {
      direction: rule.direction,
      better: equal ? 'equal' : aBetter ? 'a' : 'b',
      ratioAOverB: ratio,
      percent: equal ? 0 : percent,
      text,
      normalisations,
    },
  };
}

/** The options in words, for printing with the verdicts. */
export function describeCompareOptions(options: CompareOptions): string[] {
  const out: string[] = [];
  if (options.ignore?.length) out.push(`ignore: ${options.ignore.join(', ')}`);
  if (options.assumeEqual?.length) out.push(`assume equal: ${options.assumeEqual.join(', ')}`);
  const c = options.currencyConversion;
  if (c) out.push(`currency-year conversion: ${c.from} × ${c.factor} → ${c.to} (${c.source})`);
  if (options.metrics?.length) out.push(`metrics: ${options.metrics.join(', ')}`);
  return out;
}

/**
 * Compare two results metric by metric (DESIGN §10). Pairs metrics by name (a name repeated on
 * either side is keyed with its boundary on both, see `uniqueMetricNames`), lists every basis difference per pair, and gives a verdict only where
 * no blocking difference remains: "a is cheaper by x%" = (b − a) / b for lower-is-better
 * metrics, "a is faster by x%" = (a − b) / b for higher-is-better ones.
 * @throws AifError E_INVALID_ARGUMENT when an option normalises a field that cannot be
 *   normalised (precision, boundary, powerKind) or a conversion factor is not positive.
 * @example
 *   compareResults({ name: 'fp4', metrics: [m4] }, { name: 'fp8', metrics: [m8] }, {})
 *   // pairs[0].refusal: "no verdict on 'output tok/s per GPU': bases differ in precision (a: nvfp4, b: fp8); …"
 */
export function compareResults(
  a: ComparableSide,
  b: ComparableSide,
  options: CompareOptions = {},
): CompareResult {
  for (const f of [...(options.ignore ?? []), ...(options.assumeEqual ?? [])])
    requireArg(
      !(FIXED_FIELDS as readonly string[]).includes(f),
      'compareResults',
      `'${f}' cannot be ignored or assumed equal (fixed fields: ${FIXED_FIELDS.join(', ')})`,
    );
  if (options.currencyConversion)
    requireArg(
      Number.isFinite(options.currencyConversion.factor) && options.currencyConversion.factor > 0,
      'compareResults',
      'currencyConversion.factor must be a finite number > 0',
    );
  const ma = uniqueMetricNames(a.metrics, repeatedNames(b.metrics));
  const mb = uniqueMetricNames(b.metrics, repeatedNames(a.metrics));
  const wanted = options.metrics ? new Set(options.metrics) : undefined;
  const keep = (n: string) => !wanted || wanted.has(n);
  const pairs: MetricComparison[] = [];
  for (const [name, m] of ma) {
    const other = mb.get(name);
    if (other && keep(name)) pairs.push(comparePair(name, m, other, options));
  }
  return {
    a: a.name,
    b: b.name,
    optionsApplied: describeCompareOptions(options),
    pairs,
    onlyInA: [...ma.keys()].filter((n) => !mb.has(n) && keep(n)),
    onlyInB: [...mb.keys()].filter((n) => !ma.has(n) && keep(n)),
  };
}
