/**
 * The build-vs-rent MILP over load-duration blocks (DESIGN §7). Variables, all ≥ 0:
 *
 *   own[p]          integer  owned replicas entering service at the start of period p
 *                            (p ≥ first owned period; ≤ the owned cap or ⌈horizon peak⌉)
 *   res[k][p]       integer  replicas committed under reserved option k at the start of p
 *                            (p ≤ P − term_k; ≤ the option's cap or ⌈horizon peak⌉)
 *   busy[p][b]               owned replicas busy in block b of period p
 *   rent[j][p][b]            replicas rented under hourly option j (≤ its cap)
 *
 * minimise  Σ own·(capex + fixed opex + residual) + Σ res·(upfront + hourly)
 *           + Σ busy·energy + Σ rent·price            (all discounted, `build-vs-rent-model.ts`)
 * s.t.      busy[p][b] + Σₖ R_k(p) + Σⱼ δⱼ·rent[j][p][b] ≥ demand[p][b]     (cover)
 *           busy[p][b] ≤ O(p)                                               (owned in service)
 *           O(p) ≤ own cap,   R_k(p) ≤ cap_k
 * where O(p) = Σ own[q] over q in service at p, R_k(p) likewise over the term.
 *
 * Whole replicas for owned and reserved capacity (integers); rentals are averages over a
 * block's hours, so continuous. The objective equals `evaluatePortfolio` of the decoded
 * portfolio (same coefficients).
 */
import type { LpConstraint, LpProblem, LpSolution, LpTerm, LpVariable } from '../core/lp.js';
import { lpValue } from '../core/lp.js';
import type { Portfolio } from './build-vs-rent-evaluate.js';
import {
  firstOwnedPeriod,
  hourlyCoefficient,
  lastReservedStart,
  ownedActive,
  ownedEnergyCoefficient,
  ownedUnitCost,
  reservedActive,
  reservedUnitCost,
  type BuildVsRentProblem,
} from './build-vs-rent-model.js';

const ownVar = (p: number) => `own[${p}]`;
const resVar = (k: string, p: number) => `res[${k}][${p}]`;
const busyVar = (p: number, b: number) => `busy[${p}][${b}]`;
const rentVar = (j: string, p: number, b: number) => `rent[${j}][${p}][${b}]`;

export interface BuildVsRentLp {
  problem: LpProblem;
  /** Turn a solution into a portfolio (integers rounded, tiny negatives clipped). */
  decode(solution: LpSolution): Portfolio;
}

/** Build the MILP of a problem. Pure; O(P² + P·B·options) terms. */
export function buildVsRentLp(pr: BuildVsRentProblem): BuildVsRentLp {
  const P = pr.periods.length;
  const horizonPeak = Math.ceil(Math.max(0, ...pr.periods.map((p) => p.peakDemand)) - 1e-9);
  const variables: LpVariable[] = [];
  const objective: LpTerm[] = [];
  const constraints: LpConstraint[] = [];
  const own = pr.own;

  const ownStarts: number[] = [];
  if (own) {
    const upper = Math.min(own.maxReplicas ?? Infinity, horizonPeak);
    for (let p = firstOwnedPeriod(pr, own); p < P; p++) {
      ownStarts.push(p);
      variables.push({ name: ownVar(p), upper, integer: true });
      const c = ownedUnitCost(pr, own, p);
      objective.push({
        variable: ownVar(p),
        coefficient: c.capexUsd + c.fixedOpexUsd + c.residualUsd,
      });
    }
  }
  const resStarts = new Map<string, number[]>();
  for (const r of pr.reserved) {
    const starts: number[] = [];
    const upper = Math.min(r.maxReplicas ?? Infinity, horizonPeak);
    for (let p = 0; p <= lastReservedStart(pr, r); p++) {
      starts.push(p);
      variables.push({ name: resVar(r.name, p), upper, integer: true });
      const c = reservedUnitCost(pr, r, p);
      objective.push({ variable: resVar(r.name, p), coefficient: c.upfrontUsd + c.hourlyUsd });
    }
    resStarts.set(r.name, starts);
  }
  const ownedTerms = (q: number, sign: number): LpTerm[] =>
    own
      ? ownStarts
          .filter((p) => ownedActive(pr, own, p, q))
          .map((p) => ({ variable: ownVar(p), coefficient: sign }))
      : [];
  const reservedTerms = (k: string, q: number): LpTerm[] => {
    const r = pr.reserved.find((o) => o.name === k)!;
    return (resStarts.get(k) ?? [])
      .filter((p) => reservedActive(pr, r, p, q))
      .map((p) => ({ variable: resVar(k, p), coefficient: 1 }));
  };

  pr.periods.forEach((period, p) => {
    const ownedNow = ownedTerms(p, 1);
    if (own?.maxReplicas !== undefined && ownedNow.length > 0)
      constraints.push({
        name: `owncap[${p}]`,
        terms: ownedNow,
        sense: '<=',
        rhs: own.maxReplicas,
      });
    for (const r of pr.reserved) {
      const terms = reservedTerms(r.name, p);
      if (r.maxReplicas !== undefined && terms.length > 0)
        constraints.push({
          name: `rescap[${r.name}][${p}]`,
          terms,
          sense: '<=',
          rhs: r.maxReplicas,
        });
    }
    const reservedNow = pr.reserved.flatMap((r) => reservedTerms(r.name, p));
    period.blocks.forEach((block, b) => {
      const cover: LpTerm[] = [...reservedNow];
      if (own && ownedNow.length > 0) {
        variables.push({ name: busyVar(p, b) });
        objective.push({
          variable: busyVar(p, b),
          coefficient: ownedEnergyCoefficient(pr, own, p, b),
        });
        cover.push({ variable: busyVar(p, b), coefficient: 1 });
        constraints.push({
          name: `busy[${p}][${b}]`,
          terms: [{ variable: busyVar(p, b), coefficient: 1 }, ...ownedTerms(p, -1)],
          sense: '<=',
          rhs: 0,
        });
      }
      for (const o of pr.hourly) {
        variables.push({ name: rentVar(o.name, p, b), upper: o.maxReplicas ?? Infinity });
        objective.push({
          variable: rentVar(o.name, p, b),
          coefficient: hourlyCoefficient(pr, o, p, b),
        });
        cover.push({ variable: rentVar(o.name, p, b), coefficient: o.deliveredFraction });
      }
      constraints.push({
        name: `cover[${p}][${b}]`,
        terms: cover,
        sense: '>=',
        rhs: block.meanDemand,
      });
    });
  });

  const problem: LpProblem = {
    name: `build-vs-rent: ${P} periods × ${pr.periods[0]?.blocks.length ?? 0} blocks, ${pr.currencyYear}`,
    sense: 'minimize',
    objective,
    variables,
    constraints,
  };
  const clip = (x: number) => (x < 0 ? 0 : x);
  const decode = (s: LpSolution): Portfolio => ({
    ownedAdded: pr.periods.map((_, p) =>
      own && p >= (ownStarts[0] ?? P) ? Math.round(lpValue(s, ownVar(p))) : 0,
    ),
    reservedAdded: Object.fromEntries(
      pr.reserved.map((r) => [
        r.name,
        pr.periods.map((_, p) =>
          (resStarts.get(r.name) ?? []).includes(p) ? Math.round(lpValue(s, resVar(r.name, p))) : 0,
        ),
      ]),
    ),
    ownedServed: pr.periods.map((period, p) =>
      period.blocks.map((_, b) => clip(lpValue(s, busyVar(p, b)))),
    ),
    hourlyRented: Object.fromEntries(
      pr.hourly.map((o) => [
        o.name,
        pr.periods.map((period, p) =>
          period.blocks.map((_, b) => clip(lpValue(s, rentVar(o.name, p, b)))),
        ),
      ]),
    ),
  });
  return { problem, decode };
}
