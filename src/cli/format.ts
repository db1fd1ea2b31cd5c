/**
 * Display formatting for the CLI: numbers with units (locale-independent, so output is the same
 * on every machine), aligned tables, and a metric with its key basis on one line.
 */
import type { Metric } from '../core/basis.js';

/** Thousands separators without locale: 1234567.8 → `1,234,568`. */
export function withCommas(x: number): string {
  const sign = x < 0 ? '-' : '';
  const s = Math.round(Math.abs(x)).toString();
  return sign + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A number for reading: integers with separators from 100 up, else 3 significant digits. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 100) return withCommas(x);
  if (x === 0) return '0';
  return Number(x.toPrecision(3)).toString();
}

/** A value in its unit: seconds below 1 s as ms, fractions as percent. */
export function formatValue(value: number, unit: string): string {
  if (unit === 'fraction') return `${(value * 100).toFixed(1)}%`;
  if (unit === 's')
    return Math.abs(value) < 1 ? `${formatNumber(value * 1e3)} ms` : `${value.toFixed(2)} s`;
  return `${formatNumber(value)} ${unit}`;
}

/** Signed percentage, e.g. `+12.3%`. */
export const formatPct = (x: number): string =>
  Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(1)}%` : String(x);

/** The calibration key named in a basis source (`calibration h100-sxm/vllm: …`). */
function calibrationKey(source: string): string | undefined {
  return /calibration ([^:;]+)/.exec(source)?.[1]?.trim();
}

/**
 * Key basis of a metric, short: provenance; model precision; workload; boundary and power kind
 * (power and energy figures only — elsewhere the label names the boundary); calibration; PUE.
 * E.g. `modeled; llama-3.1-70b fp8; chat ISL 1371/OSL 199 mean, conc 32/replica; calib h100-sxm/vllm`.
 * The SLO is printed once per class, not on every line.
 */
export function shortBasis(m: Metric): string {
  const b = m.basis;
  const parts = [b.provenance, `${b.model} ${b.precision}`];
  if (!b.workload.startsWith('n/a')) parts.push(b.workload);
  if (b.powerKind) parts.push(`${b.boundary} ${b.powerKind}`);
  const key = calibrationKey(b.source);
  if (key) parts.push(`calib ${key}`);
  const pue = /PUE [\d.]+/.exec(b.source);
  if (pue) parts.push(pue[0]);
  return parts.join('; ');
}

/** An SLO in words: `TTFT p99 ≤ 2.00 s, TPOT p99 ≤ 100 ms`, or `none`. */
export function formatSlo(slo: Metric['basis']['slo']): string {
  if (slo === 'none') return 'none';
  const names: Record<string, string> = {
    ttftP99Seconds: 'TTFT p99',
    tpotP99Seconds: 'TPOT p99',
    e2eP99Seconds: 'E2E p99',
  };
  return Object.entries(slo)
    .map(([k, v]) => `${names[k] ?? k} ≤ ${formatValue(v as number, 's')}`)
    .join(', ');
}

/** Rows of cells as aligned text columns; numbers (first char digit, sign or %) right-aligned. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const numeric = (c: string) => /^[-+]?[\d,.]+(%| |$)/.test(c);
  return rows.map(
    (r) =>
      indent +
      r
        .map((c, i) =>
          numeric(c) && i > 0
            ? c.padStart(widths[i]!)
            : i === r.length - 1
              ? c
              : c.padEnd(widths[i]!),
        )
        .join('  ')
        .trimEnd(),
  );
}

/** `label  value unit  (key basis)` rows for a list of metrics, aligned. */
export function metricRows(
  metrics: readonly [string, Metric | undefined][],
  indent = '      ',
): string[] {
  const rows = metrics
    .filter((m): m is [string, Metric] => m[1] !== undefined)
    .map(([label, m]) => [label, formatValue(m.value, m.unit), `(${shortBasis(m)})`]);
  return table(rows, indent);
}
