/**
 * The bench report as text: one row per stage (load, requests, errors, throughput, goodput,
 * SLO attainment, latency percentiles in the convention's names, dispatch lag), then the
 * flags, the saturation stop and the accounting check.
 */
import type { ErrorKind } from './events.js';
import type { BenchReport } from './report.js';

const ms = (s: number | null): string => (s === null ? '—' : (s * 1000).toFixed(1));
const num = (x: number | null, digits = 1): string => (x === null ? '—' : x.toFixed(digits));
const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Text summary of a report. */
export function benchReportText(report: BenchReport): string {
  const l = report.labels;
  const out: string[] = [];
  out.push(
    `aifactory bench — ${report.target.baseUrl} (${report.target.api}, model ${report.target.model}); metric convention: ${report.convention}`,
  );
  const rows = report.stages.map((s) => [
    s.label,
    String(s.counts.requests),
    String(s.counts.failed),
    num(s.throughput.outputTokensPerSecond),
    num(s.throughput.outputTokensPerSecondPerGpu),
    num(s.goodput.outputTokensPerSecond),
    pct(s.goodput.sloAttainment),
    `${ms(s.latency.ttft.p50Seconds)}/${ms(s.latency.ttft.p99Seconds)}`,
    `${ms(s.latency.perRequestGap.p50Seconds)}/${ms(s.latency.perRequestGap.p99Seconds)}`,
    `${ms(s.latency.pooledGap.p50Seconds)}/${ms(s.latency.pooledGap.p99Seconds)}`,
    `${ms(s.latency.e2e.p50Seconds)}/${ms(s.latency.e2e.p99Seconds)}`,
    num(s.interactivityTokensPerSecondPerUser),
    `${ms(s.dispatchLag.p99Seconds)}${s.dispatchLag.exceeded ? ' !' : ''}`,
  ]);
  out.push(
    table(
      [
        'load',
        'req',
        'err',
        'out tok/s',
        'tok/s/GPU',
        'goodput tok/s',
        'SLO met',
        `${l.ttft} p50/p99 ms`,
        `${l.perRequestGap} p50/p99 ms`,
        `${l.pooledGap} p50/p99 ms`,
        `${l.e2e} p50/p99 ms`,
        'tok/s/user',
        'lag p99 ms',
      ],
      rows,
    ),
  );
  for (const s of report.stages) {
    const kinds = (Object.entries(s.counts.byErrorKind) as [ErrorKind, number][]).filter(
      ([, n]) => n > 0,
    );
    if (kinds.length)
      out.push(`${s.label}: errors ${kinds.map(([k, n]) => `${k} ${n}`).join(', ')}`);
    for (const f of s.flags) if (!f.startsWith('errors:')) out.push(`${s.label}: ${f}`);
    const c = s.tokens.crossCheck;
    out.push(
      `${s.label}: output tokens ${s.tokens.outputTokens} (usage ${s.tokens.outputTokensBasis.usage}, client tokenizer ${s.tokens.outputTokensBasis['client-tokenizer']}, chunk counts ${s.tokens.outputTokensBasis.chunks} requests); tokenizer cross-check: ${
        c.status === 'checked'
          ? `${c.tokenizer}: client ${c.clientTokens} vs usage ${c.usageTokens} (${pct(c.relativeDiscrepancy)}, worst request ${pct(c.maxAbsRelativeDiscrepancy)})`
          : `not checked (${c.reason})`
      }; prompt tokens requested ${s.tokens.promptTokensRequested}, served ${s.tokens.promptTokensServed ?? 'unknown'}`,
    );
  }
  for (const e of report.energy)
    out.push(
      `stage ${e.stage}: ${e.tokensPerJoule.toFixed(3)} tok/J at boundary ${e.boundary} (${e.energyJoules.toFixed(0)} J, ${e.source})${e.note ? ` — ${e.note}` : ''}`,
    );
  if (report.saturation.stoppedBy) out.push(`sweep stopped: ${report.saturation.stoppedBy}`);
  const a = report.accounting;
  out.push(
    a.issues.length === 0 && a.requestsEnded === a.requestsScheduled
      ? `accounting: ${a.requestsScheduled} requests scheduled, each ended exactly once`
      : `accounting: ${a.requestsScheduled} scheduled, ${a.requestsEnded} ended; issues: ${a.issues.slice(0, 5).join('; ')}`,
  );
  return `${out.join('\n')}\n`;
}
