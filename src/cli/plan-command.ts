/**
 * `aifactory plan <plan.yaml>`: the capacity timeline — announced vs procurable MW, systems,
 * GPUs, tokens/s and cost per token per quarter — with what binds; `--json` for the whole
 * report (chart data: the timeline and the Monte Carlo percentiles).
 */
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { planCapacity, type PlanReport } from '../app/plan.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parsePlanObject } from '../scenario/plan-schema.js';
import { createHighsSolver } from '../solver/highs.js';
import { formatNumber, table } from './format.js';
import { inputError, json, loadCatalog, located, read, type CliIo } from './io.js';

const mw = (x: number | undefined): string => (x === undefined ? '—' : x.toFixed(1));

export function renderPlan(r: PlanReport): string {
  const lines = [
    `${r.name} — capacity plan (${r.periods[0]} … ${r.periods.at(-1)}), ${r.currencyYear}`,
    `  procurable = passed ${r.requiredGates.join(', ')} and energized; announced shown beside it, never summed`,
    '',
    '  capacity per system at the workloads’ SLO (analytical estimate)',
    ...table(
      [
        ['system', 'workload', 'GPUs', 'output tok/s per system', 'note'],
        ...r.capacity.map((c) => [
          c.systemId,
          c.workload,
          String(c.gpusPerSystem),
          formatNumber(c.tokensPerSecondPerSystem),
          c.note ?? '',
        ]),
      ],
      '    ',
    ),
    '',
    '  at the full envelope (provisioned power; usable IT MW after design-day PUE and redundancy)',
    ...table(
      [
        [
          'site',
          'envelope MW',
          'usable IT MW',
          'PUE (design day)',
          'system',
          'fit',
          'binds',
          'output tok/s',
          'tok/s per MW',
        ],
        ...r.sites.flatMap((s) =>
          s.fullBuild.map((b) => [
            s.id,
            mw(s.envelopeMw),
            mw(s.usableItMwAtFullEnvelope),
            s.designDayPue.toFixed(3),
            b.systemId,
            String(b.systems),
            b.binding,
            Object.entries(b.tokensPerSecondByWorkload)
              .map(([w, v]) => `${formatNumber(v)} (${w})`)
              .join(', '),
            Object.values(b.tokensPerSecondPerMwByWorkload)
              .map((v) => formatNumber(v))
              .join(', '),
          ]),
        ),
      ],
      '    ',
    ),
    '',
    `  timeline (facility MW${r.monteCarlo ? `; procurable P10/P50/P90 over ${r.monteCarlo.samples} samples of gate delays, P10 pessimistic` : ''})`,
    ...table(
      [
        [
          'quarter',
          'announced MW',
          'procurable MW',
          ...(r.monteCarlo ? ['P10/P50/P90 MW'] : []),
          'usable IT MW',
          'systems',
          'GPUs',
          'demand tok/s',
          'served tok/s',
          'USD per 1M out',
          'tok/s per MW',
        ],
        ...r.timeline.map((t) => [
          t.period,
          mw(t.announcedMw),
          mw(t.procurableMw),
          ...(r.monteCarlo
            ? [
                t.procurableMwPercentiles
                  ? `${mw(t.procurableMwPercentiles.p10)}/${mw(t.procurableMwPercentiles.p50)}/${mw(t.procurableMwPercentiles.p90)}`
                  : '—',
              ]
            : []),
          mw(t.usableItMw),
          Object.entries(t.systems)
            .filter(([, n]) => n > 0)
            .map(([id, n]) => `${n} ${id}`)
            .join(', ') || '—',
          formatNumber(t.gpus),
          formatNumber(t.demandTokensPerSecond),
          formatNumber(t.servedTokensPerSecond),
          t.usdPerMillionOutputTokens === null ? '—' : t.usdPerMillionOutputTokens.toFixed(3),
          t.tokensPerSecondPerProcurableMw === null
            ? '—'
            : formatNumber(t.tokensPerSecondPerProcurableMw),
        ]),
      ],
      '    ',
    ),
    '',
    `  placement: ${r.placement.objective}, discounted cost ${formatNumber(r.placement.cost.totalUsd)} USD (capex ${formatNumber(r.placement.cost.capexUsd)}, opex ${formatNumber(r.placement.cost.opexUsd)}); solver ${r.placement.solver}`,
  ];
  if (r.monteCarlo)
    for (const s of r.monteCarlo.sites) {
      const held = Object.entries(s.heldBy)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${(100 * v).toFixed(0)}%`)
        .join(', ');
      lines.push(
        `  ${s.siteId}: procurable from ${s.plannedProcurableFrom ?? 'never (a required gate has no date)'} as planned; with gate delays P10/P50/P90 ${s.procurableFrom ? `${s.procurableFrom.p10} / ${s.procurableFrom.p50} / ${s.procurableFrom.p90}` : 'never'}${held ? ` (held by ${held})` : ''}`,
      );
    }
  if (r.placement.binding.length) {
    lines.push('  what binds (shadow prices from the LP with the integer decisions fixed)');
    for (const b of r.placement.binding.slice(0, 8))
      lines.push(`    ${b.kind} ${b.constraint}: ${formatNumber(b.shadowPrice)} ${b.unit}`);
  }
  for (const m of r.placement.messages) lines.push(`  unserved: ${m}`);
  lines.push('', '  assumptions', ...r.assumptions.map((a) => `    - ${a}`));
  return `${lines.join('\n')}\n`;
}

export function addPlanCommand(
  program: Command,
  io: CliIo,
  catalogOption: () => import('commander').Option,
): void {
  program
    .command('plan')
    .description(
      'power-constrained capacity plan: announced vs procurable MW per quarter, systems placed by MILP, tokens/s and cost per token, what binds',
    )
    .argument('<plan>', 'plan YAML file (see examples/plan-100mw-virginia.yaml)')
    .option('--json', 'print the full report as JSON (timeline and Monte Carlo: chart data)')
    .addOption(catalogOption())
    .action(async (file: string, opts: { json?: boolean; catalog?: string }) => {
      const text = read(io, file);
      let obj: unknown;
      try {
        obj = parseYaml(text);
      } catch (e) {
        throw inputError(
          `${file} is not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
        );
      }
      const catalog = loadCatalog(io, opts.catalog);
      const solver = await createHighsSolver();
      const report = located(text, file, () =>
        planCapacity(parsePlanObject(obj, file), catalog, BUILTIN_CALIBRATION, solver),
      );
      io.stdout(opts.json ? json(report) : renderPlan(report));
    });
}
