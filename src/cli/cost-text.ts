/**
 * The human form of a `CostReport`: per deployment and operating point, the cost waterfall,
 * all-in USD per GPU-hour, and cost per 1M tokens per kind with the split rule printed, then
 * the basis line, inputs, defaults and assumptions. `--json` prints the report itself.
 */
import type { CostReport, DeploymentCost, OperatingPointCost } from '../app/cost.js';
import type { CostUncertaintyReport } from '../app/cost-uncertainty.js';
import { formatNumber, formatSlo, table } from './format.js';

const usd = (x: number): string => {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  const digits = a >= 100 ? 0 : a >= 1 ? 2 : 4;
  const [whole = '', frac] = a.toFixed(digits).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${x < 0 ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
};
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const showValue = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function pointSection(p: OperatingPointCost, currencyYear: string): string[] {
  const c = p.costPerToken;
  const b = p.usdPerGpuHour.basis;
  const lines = [
    `  ${p.name} — at ${p.utilization}`,
    `    facility power ${usd(p.facilityPowerWatts / 1000)} kW (${p.facilityPowerSource})`,
    `    Cost waterfall (${currencyYear} per hour, ${p.tco.amortization})`,
    ...table(
      [
        ['item', 'USD/hour', 'share', 'how'],
        ...p.tco.waterfall.map((w) => [w.item, usd(w.usdPerHour), pct(w.share), w.derivation]),
        ['total', usd(p.tco.usdPerHour), pct(1), `${usd(p.tco.usdPerYear)} USD per year`],
      ],
      '      ',
    ),
    `    all-in: ${usd(p.tco.usdPerGpuHour)} USD per GPU-hour (${p.tco.numGpus} GPUs)`,
    `    Cost per 1M tokens — split rule ${c.rule}: ${c.ruleDescription}`,
    ...table(
      [
        ['kind', 'USD/1M', 'share of cost', 'tok/s'],
        [
          'uncached input',
          usd(c.usdPerMillion.uncachedInput.value),
          pct(c.costShare.uncachedInput),
          usd(p.tokensPerSecond.uncachedInput),
        ],
        [
          'cached input',
          usd(c.usdPerMillion.cachedInput.value),
          pct(c.costShare.cachedInput),
          usd(p.tokensPerSecond.cachedInput),
        ],
        [
          'output',
          usd(c.usdPerMillion.output.value),
          pct(c.costShare.output),
          usd(p.tokensPerSecond.output),
        ],
        ['blended (all kinds)', usd(c.usdPerMillion.blended.value), pct(1), ''],
      ],
      '      ',
    ),
  ];
  if (c.usdPerRequest)
    lines.push(`    per request: ${usd(c.usdPerRequest.value)} USD — ${c.usdPerRequest.name}`);
  if (c.usdPerSession)
    lines.push(
      `    per agent session: ${usd(c.usdPerSession.value)} USD — ${c.usdPerSession.name}`,
    );
  lines.push(
    `    basis: ${b.provenance}; ${b.model} ${b.precision}; ${b.workload}; SLO ${formatSlo(b.slo)}; ${c.usdPerMillion.output.basis.utilization}; boundary ${b.boundary}; ${b.currencyYear}`,
  );
  return lines;
}

function deploymentSection(d: DeploymentCost, currencyYear: string): string[] {
  const lines = [
    `Deployment ${d.name}: ${d.gpus} × ${d.accelerator} in ${d.systems} × ${d.system} (${d.ownership}); nameplate IT ${usd(d.nameplateItKw)} kW`,
    '  Inputs',
    ...table(
      d.inputs.map((i) => [i.path, `${showValue(i.value)}${i.unit ? ` ${i.unit}` : ''}`, i.source]),
      '    ',
    ),
  ];
  for (const p of d.points) lines.push(...pointSection(p, currencyYear));
  for (const w of d.warnings) lines.push(`  ! ${w}`);
  return lines;
}

/** Render a cost report as text. */
export function renderCostReport(report: CostReport): string {
  const lines = [
    `Cost of ${report.scenario.name} (from the ${report.from}; catalog ${report.catalogVersion}; scenario ${report.scenario.hash.slice(0, 12)}) — ${report.currencyYear}`,
    '',
  ];
  for (const d of report.deployments) lines.push(...deploymentSection(d, report.currencyYear), '');
  if (report.defaultsApplied.length) {
    lines.push('Defaults applied');
    for (const d of report.defaultsApplied)
      lines.push(`  ${d.path} = ${showValue(d.value)} — ${d.source}`);
  }
  if (report.notUsed.length) lines.push('Not used', ...report.notUsed.map((n) => `  ${n}`));
  lines.push('Assumptions', ...report.assumptions.map((a) => `  - ${a}`));
  return lines.join('\n') + '\n';
}

/** `cost --tornado / --monte-carlo`: the bars and percentiles of one operating point. */
export function renderCostUncertainty(a: CostUncertaintyReport & { deployment: string }): string {
  const money = (x: number) => formatNumber(x);
  const lines = [
    '',
    `Uncertainty — ${a.deployment}, ${a.point} (${a.currencyYear}; ${a.method})`,
    `  base: ${money(a.base.usdPerMillionOutput)} USD per 1M output tokens, ${money(a.base.usdPerMillionBlended)} blended, TCO ${money(a.base.tcoUsdPerHour)} USD/hour`,
  ];
  if (a.tornado) {
    const t = a.tornado;
    lines.push(`  tornado, each input ±${t.pct}% (USD per 1M output tokens), largest swing first`);
    lines.push(
      ...table(
        [
          ['input', 'low', 'high', 'at low', 'at high', 'swing'],
          ...t.usdPerMillionOutput.bars.map((b) => [
            b.input,
            formatNumber(b.lowInput),
            formatNumber(b.highInput),
            money(b.lowOutput),
            money(b.highOutput),
            money(b.swing),
          ]),
        ],
        '    ',
      ),
    );
  }
  if (a.monteCarlo) {
    const mc = a.monteCarlo;
    lines.push(
      `  Monte Carlo: ${mc.samples} samples, seed ${mc.rng.seed} (${mc.rng.algorithm}); percentiles ${mc.percentileMethod}`,
    );
    const row = (name: string, o: { p10: number; p50: number; p90: number; mean: number }) => [
      name,
      money(o.p10),
      money(o.p50),
      money(o.p90),
      money(o.mean),
    ];
    lines.push(
      ...table(
        [
          ['output', 'P10', 'P50', 'P90', 'mean'],
          row('USD per 1M output tokens', mc.outputs.usdPerMillionOutput),
          row('USD per 1M tokens, blended', mc.outputs.usdPerMillionBlended),
          row('TCO, USD/hour', mc.outputs.tcoUsdPerHour),
        ],
        '    ',
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
