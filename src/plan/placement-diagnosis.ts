/**
 * What binds in a placement, and why demand goes unserved: turns the row duals of the
 * fixed-integer LP (`placement.ts`) into `BindingConstraint`s and one sentence per unserved
 * demand and period that names the constraint holding it back. Pure.
 */
import type { PlacementRow } from './placement-lp.js';
import {
  siteEligibility,
  type BindingConstraint,
  type BindingKind,
  type PlacementDemand,
  type PlacementDemandOutcome,
  type PlacementProblem,
} from './placement-model.js';

const REPORTED: ReadonlySet<string> = new Set<BindingKind>([
  'power',
  'space',
  'budget',
  'demand',
  'jurisdiction',
  'latency',
  'lead-time',
]);

/** Order in which binding kinds are named as the reason for unserved demand. */
const REASON_ORDER: readonly BindingKind[] = [
  'lead-time',
  'power',
  'space',
  'budget',
  'jurisdiction',
  'latency',
];

/**
 * Improvement of the objective per unit relaxation of a row, from its dual (∂objective/∂rhs):
 * a `<=` row relaxes upward, a `>=` row downward; a demand row (`=`) relaxes downward under
 * min-cost (less to serve) and upward under max-served (more to serve), both `+dual`.
 */
export function relaxationValue(
  sense: 'minimize' | 'maximize',
  rowSense: '<=' | '>=' | '=',
  dual: number,
): number {
  if (rowSense === '=') return dual;
  const up = sense === 'minimize' ? -dual : dual;
  return rowSense === '<=' ? up : -up;
}

/** The binding constraints: reported kinds with a shadow price above `tolerance`, sorted. */
export function bindingConstraints(options: {
  problem: PlacementProblem;
  rows: ReadonlyMap<string, PlacementRow>;
  rowSenses: ReadonlyMap<string, '<=' | '>=' | '='>;
  duals: Readonly<Record<string, number>>;
  sense: 'minimize' | 'maximize';
  objectiveUnit: string;
  tolerance: number;
}): BindingConstraint[] {
  const { problem, rows, rowSenses, duals, sense, objectiveUnit, tolerance } = options;
  const out: BindingConstraint[] = [];
  for (const [name, row] of rows) {
    if (!REPORTED.has(row.kind)) continue;
    const price = relaxationValue(sense, rowSenses.get(name)!, duals[name] ?? 0);
    if (!(price > tolerance)) continue;
    out.push({
      kind: row.kind as BindingKind,
      constraint: name,
      ...(row.siteId !== undefined ? { siteId: row.siteId } : {}),
      ...(row.systemTypeId !== undefined ? { systemTypeId: row.systemTypeId } : {}),
      ...(row.demandId !== undefined ? { demandId: row.demandId } : {}),
      ...(row.periodIndex !== undefined
        ? { periodIndex: row.periodIndex, periodLabel: problem.periods[row.periodIndex]!.label }
        : {}),
      shadowPrice: price,
      unit: `${objectiveUnit} per ${row.rhsUnit}`,
    });
  }
  const order = (k: BindingKind) => REASON_ORDER.indexOf(k) + (k === 'demand' ? 100 : 0);
  return out.sort((a, b) => order(a.kind) - order(b.kind) || b.shadowPrice - a.shadowPrice);
}

/** A number for a sentence: three significant figures, exponent notation from a million. */
export function formatQuantity(x: number): string {
  if (x === 0) return '0';
  if (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}

const describe = (b: BindingConstraint): string => {
  const where = [b.siteId, b.systemTypeId].filter((x) => x !== undefined).join(' ');
  const when = b.periodLabel !== undefined ? ` in ${b.periodLabel}` : '';
  const price = `shadow price ${formatQuantity(b.shadowPrice)} ${b.unit}`;
  return where || when ? `${where}${when}: ${price}` : price;
};

/**
 * Name the reason demand `d` is unserved in period `p` and write its sentence. The rows
 * considered: lead time at eligible sites up to `p`; power and space at eligible sites from
 * `p` on (installs are cumulative, so a later cap also holds `p` back); the budget; and the
 * jurisdiction and latency rows of `d` in `p`. The first kind in `REASON_ORDER` with a
 * positive price is the reason; the others are listed as also binding. With no eligible
 * site, the rule that excludes them is the reason; with none priced, integrality.
 */
export function explainUnserved(options: {
  problem: PlacementProblem;
  demand: PlacementDemand;
  periodIndex: number;
  unservedTokensPerSecond: number;
  binding: readonly BindingConstraint[];
}): Pick<PlacementDemandOutcome, 'reason' | 'message'> {
  const { problem, demand: d, periodIndex: p, unservedTokensPerSecond, binding } = options;
  const label = problem.periods[p]!.label;
  const head =
    `${d.sovereign ? 'sovereign ' : ''}demand ${d.id} in ${label}: ` +
    `${formatQuantity(unservedTokensPerSecond)} of ${formatQuantity(d.tokensPerSecondByPeriod[p]!)} tok/s unserved;`;
  const capable = problem.sites.filter((s) =>
    s.systems.some((o) => (o.tokensPerSecondByClass[d.workloadClass] ?? 0) > 0),
  );
  const eligible = capable.filter((s) => siteEligibility(s, d) === 'allowed');
  const eligibleIds = new Set(eligible.map((s) => s.id));
  const scope = d.sovereign ? `${d.jurisdiction} sites'` : `eligible sites'`;

  const relevant = binding.filter((b) => {
    if (b.kind === 'budget') return true;
    if (b.kind === 'jurisdiction' || b.kind === 'latency')
      return b.demandId === d.id && b.periodIndex === p;
    if (!eligibleIds.has(b.siteId ?? '')) return false;
    if (b.kind === 'lead-time') return (b.periodIndex ?? 0) <= p;
    if (b.kind === 'power' || b.kind === 'space') return (b.periodIndex ?? 0) >= p;
    return false;
  });
  const byKind = (k: BindingKind) => {
    const all = relevant.filter((b) => b.kind === k);
    // A cap in a later period holds p back only through cumulative installs: prefer p's own.
    const own = all.filter((b) => b.periodIndex === p);
    return (k === 'power' || k === 'space') && own.length > 0 ? own : all;
  };
  const top = (bs: readonly BindingConstraint[]) =>
    bs
      .slice(0, 3)
      .map((b) => describe(b))
      .join('; ');
  const also = (except: BindingKind) => {
    const others = REASON_ORDER.filter((k) => k !== except && byKind(k).length > 0);
    return others.length === 0
      ? ''
      : `; also binding: ${others.map((k) => `${k} (${top(byKind(k))})`).join(', ')}`;
  };

  if (capable.length === 0)
    return {
      reason: 'demand',
      message: `${head} no system type at any site serves workload class '${d.workloadClass}'.`,
    };
  if (eligible.length === 0) {
    const rule: BindingKind = capable.some((s) => siteEligibility(s, d) === 'jurisdiction')
      ? 'jurisdiction'
      : 'latency';
    const where =
      rule === 'jurisdiction'
        ? `no site in jurisdiction ${d.jurisdiction} can serve '${d.workloadClass}'`
        : `no site in its allowed latency regions (${(d.allowedLatencyRegions ?? []).join(', ')}) can serve '${d.workloadClass}'`;
    const priced = byKind(rule);
    return {
      reason: rule,
      message: `${head} ${where}; ${rule} binds${priced.length > 0 ? ` (${top(priced)})` : ''}${also(rule)}.`,
    };
  }
  const reason = REASON_ORDER.find((k) => byKind(k).length > 0);
  if (reason === undefined)
    return {
      reason: 'integrality',
      message:
        `${head} no constraint has a positive shadow price — the remainder is worth less than ` +
        `one more whole system at the unserved penalty (integrality: power or space below one system).`,
    };
  const phrase: Record<BindingKind, string> = {
    'lead-time': 'supply lead time binds',
    power: `${scope} usable power binds`,
    space: `${scope} space binds`,
    budget: 'the budget binds',
    jurisdiction: 'jurisdiction binds',
    latency: 'latency regions bind',
    demand: 'demand binds',
  };
  return {
    reason,
    message: `${head} ${phrase[reason]} (${top(byKind(reason))})${also(reason)}.`,
  };
}
