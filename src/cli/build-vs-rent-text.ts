/**
 * The human form of a build-vs-rent result: the cheapest mix, NPVs of the pure options and the
 * optimum, break-even utilization, the cost-vs-owned-fraction curve and a compact load-duration
 * split. Money in USD of the report's currency-year; `--json` prints the result itself.
 */
import type { BuildVsRentResult } from '../app/build-vs-rent.js';
import { formatNumber, table, withCommas } from './format.js';

const usd = (x: number): string => `$${withCommas(x)}`;
const musd = (x: number): string => `$${(x / 1e6).toFixed(2)}M`;
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function buildVsRentText(result: BuildVsRentResult): string {
  const r = result.report;
  const lines: string[] = [];
  lines.push(
    `Build vs rent: ${r.name}`,
    `  horizon ${r.horizon.years} years, periods of ${r.horizon.periodMonths} months × ${r.horizon.blocksPerPeriod} load blocks; money in ${r.currencyYear}, NPV at t = 0`,
    `  demand: peak ${formatNumber(r.demand.peakReplicas)} replicas, mean ${formatNumber(r.demand.meanReplicas)}, ${withCommas(r.demand.replicaHours)} replica-hours`,
    '',
    `Cheapest: ${r.cheapest} — NPV ${musd(r.optimum.npv.value)} (${r.currencyYear})`,
  );
  const mix = r.optimum.mix;
  lines.push('  served share of replica-hours:');
  lines.push(
    ...table(
      Object.entries(mix.servedShareBySource)
        .filter(([, v]) => v > 1e-9)
        .map(([k, v]) => [k, pct(v)]),
      '    ',
    ),
  );
  lines.push(`  owned replicas in service by period: ${mix.ownedReplicasByPeriod.join(' ')}`);
  for (const [k, v] of Object.entries(mix.reservedReplicasByPeriod))
    lines.push(`  ${k} replicas by period: ${v.join(' ')}`);
  lines.push('', `NPV of costs (${r.currencyYear}), cheapest first:`);
  lines.push(
    ...table(
      r.ranking.map((o) => [
        o.name,
        musd(o.npv.value),
        o.feasible ? '' : `INFEASIBLE: ${o.violations[0] ?? ''}`,
        o.description,
      ]),
      '  ',
    ),
  );
  if (r.breakEven) {
    const u = r.breakEven.utilization.value;
    lines.push(
      '',
      `Break-even utilization (${r.breakEven.utilization.name}): ${Number.isFinite(u) ? pct(u) : 'never'}${u > 1 ? ' — owning never pays at these prices' : ''}`,
      `  ${r.breakEven.formula}; S = ${r.breakEven.discountedLifeYears.toFixed(3)} years`,
    );
  }
  if (r.costVsOwnedFraction.points.length) {
    lines.push('', `Cost against owned fraction of peak (${r.currencyYear}):`);
    lines.push(
      ...table(
        r.costVsOwnedFraction.points.map((p) => [
          pct(p.ownedFraction),
          musd(p.npvUsd),
          p.feasible ? '' : 'infeasible',
        ]),
        '  ',
      ),
    );
  }
  lines.push(
    '',
    'Load-duration split of the optimum (replicas, per period: first, middle and last block):',
  );
  const byPeriod = new Map<number, typeof r.loadDuration>();
  for (const row of r.loadDuration)
    byPeriod.set(row.period, [...(byPeriod.get(row.period) ?? []), row]);
  const rows: string[][] = [['period', 'block', 'hours', 'demand', 'owned', 'reserved', 'rented']];
  for (const [p, blocks] of byPeriod) {
    const picks = [...new Set([0, Math.floor(blocks.length / 2), blocks.length - 1])];
    for (const i of picks) {
      const b = blocks[i]!;
      const rented = Object.entries(b.rentedReplicasByOption)
        .filter(([, v]) => v > 1e-6)
        .map(([k, v]) => `${k} ${formatNumber(v)}`)
        .join(', ');
      rows.push([
        String(p),
        String(b.block),
        String(b.hours),
        formatNumber(b.demandReplicas),
        formatNumber(b.ownedReplicas),
        formatNumber(b.reservedReplicas),
        rented || '-',
      ]);
    }
  }
  lines.push(...table(rows, '  '));
  lines.push(
    '',
    `Solver: ${r.lp.solver}; ${r.lp.variables} variables (${r.lp.integerVariables} integer), ${r.lp.constraints} constraints; objective ${usd(r.lp.objectiveUsd)}`,
  );
  lines.push('', 'Assumptions:', ...r.assumptions.map((a) => `  · ${a}`));
  return lines.join('\n');
}
