/**
 * The basis of sweep figures (DESIGN §1: no number without its basis). Every metric value of a
 * point carries a `Basis` (`core/basis.ts`) — the SimResult scorecard's, or for money the cost
 * report's — and the sweep states, per metric, the basis its points share and which fields vary
 * between them, so that comparing points across bases is visible, never silent.
 *
 * Several deployments: a fleet figure (a sum, a worst percentile) holds at every deployment's
 * basis. Fields on which the deployments agree keep their value; text fields on which they
 * differ list each deployment's (`name: value; name: value`); SLOs that differ are `none`, as
 * the twin's scorecard states them for a deployment with several classes. Boundary, power kind,
 * currency-year, energy price and provenance are the same for every deployment by construction
 * (one metric picks one boundary; one scenario has one site and one currency-year): a difference
 * there is a defect and throws.
 *
 * Points whose bases differ in boundary, power kind or currency-year are not comparable: the
 * driver (`run.ts`) refuses to rank them (no chosen point, no Pareto set on such a metric).
 */
import { compareBases, type Basis } from '../core/basis.js';
import { canonicalJson } from '../core/hash.js';

/** Every field of a `Basis`, in the order sweeps report them. */
export const BASIS_FIELDS = [
  'model',
  'precision',
  'workload',
  'slo',
  'utilization',
  'boundary',
  'powerKind',
  'currencyYear',
  'energyPriceUsdPerKwh',
  'provenance',
  'source',
] as const satisfies readonly (keyof Basis)[];

// A field added to `Basis` must be added above: this fails to compile otherwise.
type Unlisted = Exclude<keyof Basis, (typeof BASIS_FIELDS)[number]>;
const _complete: [Unlisted] extends [never] ? true : never = true;

/** Basis fields whose difference makes two values incomparable: they are not ranked. */
export const INCOMPARABLE_FIELDS: readonly string[] = ['boundary', 'currencyYear', 'powerKind'];

/** Text fields that list each deployment's value when the deployments differ. */
const LISTED: ReadonlySet<string> = new Set([
  'model',
  'precision',
  'workload',
  'utilization',
  'source',
]);

/** The basis of a fleet figure from its deployments' bases (see the module note). */
export function fleetBasis(parts: readonly { name: string; basis: Basis }[]): Basis {
  if (parts.length === 1) return parts[0]!.basis;
  if (parts.length === 0) throw new Error('sweep: a fleet basis needs at least one deployment');
  const out: Record<string, unknown> = {};
  for (const f of BASIS_FIELDS) {
    const values = parts.map((p) => p.basis[f]);
    if (new Set(values.map((v) => canonicalJson(v ?? null))).size === 1) {
      if (values[0] !== undefined) out[f] = values[0];
    } else if (LISTED.has(f)) {
      out[f] = parts.map((p) => `${p.name}: ${String(p.basis[f])}`).join('; ');
    } else if (f === 'slo') {
      out[f] = 'none';
    } else {
      throw new Error(
        `sweep: the deployments' bases of one figure differ in ${f} (${values.map((v) => JSON.stringify(v)).join(' vs ')}): a defect`,
      );
    }
  }
  return out as unknown as Basis;
}

/** What the points of a sweep share, and where they differ, in the basis of one metric. */
export interface SweepMetricBasis {
  /** Points with a value of the metric (each has a basis). */
  points: number;
  /** The basis fields every such point shares, with their value (`BASIS_FIELDS` order). */
  common: Partial<Basis>;
  /**
   * Fields whose value differs between the points, named as `compareBases` names them
   * (`slo.ttftP99Seconds` for one SLO), sorted. Expected in a sweep (an axis changes the
   * precision, the hardware — seen in `source` — or the load — `utilization`), and stated.
   */
  varies: string[];
  /** The fields of `varies` that make the values incomparable (boundary, power kind, currency-year). */
  incomparable: string[];
}

/** The shared basis and the varying fields of one metric over the given bases. */
export function summarizeBases(bases: readonly Basis[]): SweepMetricBasis {
  const varies = new Set<string>();
  for (const b of bases.slice(1)) for (const d of compareBases(bases[0]!, b)) varies.add(d.field);
  const common: Record<string, unknown> = {};
  const first = bases[0];
  if (first)
    for (const f of BASIS_FIELDS) {
      const v = first[f];
      const differs = f === 'slo' ? [...varies].some((x) => x.startsWith('slo')) : varies.has(f);
      if (v !== undefined && !differs) common[f] = v;
    }
  const sorted = [...varies].sort();
  return {
    points: bases.length,
    common: common as Partial<Basis>,
    varies: sorted,
    incomparable: sorted.filter((f) => INCOMPARABLE_FIELDS.includes(f)),
  };
}

/**
 * Why values of one metric over these bases must not be ranked against each other (their
 * bases differ in an incomparable field: every such field with its values, sorted), or undefined.
 */
export function incomparableReason(metric: string, bases: readonly Basis[]): string | undefined {
  const { incomparable } = summarizeBases(bases);
  if (incomparable.length === 0) return undefined;
  const values = (f: string) =>
    [...new Set(bases.map((b) => String(b[f as keyof Basis] ?? '(none)')))].sort().join(' vs ');
  return `${metric} values are not comparable: their bases differ in ${incomparable.map((f) => `${f} (${values(f)})`).join(', ')}`;
}
