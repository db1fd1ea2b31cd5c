/**
 * The basis of a number: the conditions that make it comparable (DESIGN §1, §3). Every metric
 * aifactory reports is a `Metric` carrying its `Basis`; `compareBases` lists differences.
 */
export type Provenance = 'modeled' | 'measured' | 'vendor-claim' | 'assumption' | 'published';

/** Accounting boundary of an energy or power figure (DESIGN §3). */
export type Boundary = 'chip' | 'node' | 'rack' | 'it' | 'facility';

/** Whether a power figure is nameplate/design (`provisioned`) or average use (`drawn`). */
export type PowerKind = 'provisioned' | 'drawn';

export interface SloBasis {
  ttftP99Seconds?: number;
  tpotP99Seconds?: number;
  e2eP99Seconds?: number;
}

export interface Basis {
  model: string;
  precision: string;
  /** Short description of the workload, e.g. `isl=1024 osl=1024 concurrency=64`. */
  workload: string;
  slo: SloBasis | 'none';
  /** Utilization the number holds at, e.g. `concurrency 64`, `busy 100%`. */
  utilization: string;
  boundary: Boundary | 'replica' | 'gpu' | 'system' | 'n/a';
  /** Currency and year for money, e.g. `USD-2026`; `n/a` for physical quantities. */
  currencyYear: string;
  provenance: Provenance;
  /** Where the number or its inputs come from (catalog ids, calibration id, file). */
  source: string;
  /** Power kind, for figures per watt or per MW. */
  powerKind?: PowerKind;
  /**
   * Energy price the number holds at, US dollars per kWh (money figures that include energy).
   * Absent when the figure does not depend on an energy price.
   */
  energyPriceUsdPerKwh?: number;
}

export interface Metric {
  name: string;
  value: number;
  unit: string;
  basis: Basis;
}

export interface BasisDifference {
  field: keyof Basis | `slo.${keyof SloBasis}`;
  a: unknown;
  b: unknown;
}

/** List every field in which two bases differ (DESIGN §10). Empty = comparable. */
export function compareBases(a: Basis, b: Basis): BasisDifference[] {
  const diffs: BasisDifference[] = [];
  const keys = Object.keys({ ...a, ...b }) as (keyof Basis)[];
  for (const key of keys.sort()) {
    if (key === 'slo') {
      const sa = a.slo === 'none' ? {} : a.slo;
      const sb = b.slo === 'none' ? {} : b.slo;
      if (a.slo === 'none' || b.slo === 'none') {
        if (a.slo !== b.slo) diffs.push({ field: 'slo', a: a.slo, b: b.slo });
        continue;
      }
      for (const k of Object.keys({ ...sa, ...sb }).sort() as (keyof SloBasis)[]) {
        if (sa[k] !== sb[k]) diffs.push({ field: `slo.${k}`, a: sa[k], b: sb[k] });
      }
    } else if (a[key] !== b[key]) {
      diffs.push({ field: key, a: a[key], b: b[key] });
    }
  }
  return diffs;
}

export function metric(name: string, value: number, unit: string, basis: Basis): Metric {
  return { name, value, unit, basis };
}
