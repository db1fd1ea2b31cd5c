/**
 * Compare (POST /api/compare): per metric, how far a is from b (a ÷ b − 1, percent). Pairs with
 * a verdict (equal bases, or normalised by request) are coloured by the better side; pairs with
 * no verdict are grey — their difference is shown, but it is not a comparison.
 */
import type { EChartsOption } from 'echarts';
import type { CompareResult, MetricComparison } from '../types.js';
import { fmtNum } from '../format.js';
import { asOption, asParams, baseOption, categoryAxis, escapeHtml, valueAxis } from './common.js';

export interface RatioRow {
  name: string;
  ratio: number;
  comparable: boolean;
  better?: 'a' | 'b' | 'equal';
  blocking: string[];
  /** Why there is no verdict (bases differ, units differ, or no rule says which way is better). */
  refusal?: string;
}

/** a ÷ b per pair with finite, positive values on both sides (log axis). */
export function ratioRows(result: CompareResult): RatioRow[] {
  const rows: RatioRow[] = [];
  for (const p of result.pairs) {
    const a = p.a.value;
    const b = p.b.value;
    if (!(Number.isFinite(a) && Number.isFinite(b) && a > 0 && b > 0)) continue;
    rows.push({
      name: p.name,
      ratio: p.verdict ? p.verdict.ratioAOverB : a / b,
      comparable: !!p.verdict,
      ...(p.verdict ? { better: p.verdict.better } : {}),
      blocking: p.blocking.map((d) => d.field),
      ...(p.refusal ? { refusal: p.refusal } : {}),
    });
  }
  return rows;
}

export const VERDICT_COLORS = {
  a: '#2563eb',
  b: '#d97706',
  equal: '#16a34a',
  /** No verdict because the bases differ. */
  refused: '#cbd5e1',
  /** No verdict for another reason (no rule says which way is better; units differ). */
  undirected: '#94a3b8',
};

/** a ÷ b − 1, in percent (0: equal; +100: a is twice b). */
export const percentDifference = (r: RatioRow): number => (r.ratio - 1) * 100;

const signedPercent = (v: number): string =>
  `${v > 0 ? '+' : v < 0 ? '−' : ''}${fmtNum(Math.abs(v))}%`;

export function ratioColor(r: RatioRow): string {
  if (r.comparable) return VERDICT_COLORS[r.better ?? 'equal'];
  return r.blocking.length ? VERDICT_COLORS.refused : VERDICT_COLORS.undirected;
}

export function compareRatioOption(result: CompareResult): EChartsOption {
  const rows = ratioRows(result);
  const names = rows.map((r) => r.name);
  return asOption({
    ...baseOption(
      'a against b per metric',
      'verdict: blue a better, amber b better, green equal; no verdict: light grey bases differ, grey no rule says which way is better',
    ),
    legend: { show: false },
    grid: { left: 280, right: 48, top: 64, bottom: 44 },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (raw: unknown) => {
        const i = asParams(raw)[0]?.dataIndex;
        const r = i !== undefined ? rows[i] : undefined;
        if (!r) return '';
        return [
          `<b>${escapeHtml(r.name)}</b>`,
          `a ÷ b = <b>${fmtNum(r.ratio)}</b> (a ${signedPercent(percentDifference(r))} against b)`,
          r.comparable
            ? `verdict: ${r.better === 'equal' ? 'equal' : `${r.better} better`}`
            : r.blocking.length
              ? `no verdict: bases differ in ${escapeHtml(r.blocking.join(', '))}`
              : `no verdict: ${escapeHtml((r.refusal ?? '').replace(/^no verdict on '[^']*': /, ''))}`,
        ].join('<br/>');
      },
    },
    yAxis: {
      ...categoryAxis('', names),
      inverse: true,
      axisLabel: { fontSize: 11, color: '#475569', width: 260, overflow: 'truncate' },
    },
    xAxis: valueAxis('a ÷ b − 1 (%)', { position: 'bottom', formatter: (v) => signedPercent(v) }),
    series: [
      {
        type: 'bar',
        name: 'a ÷ b − 1',
        barMaxWidth: 14,
        data: rows.map((r) => ({
          value: percentDifference(r),
          itemStyle: { color: ratioColor(r) },
        })),
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: '#64748b' },
          label: { show: false },
          data: [{ xAxis: 0 }],
        },
      },
    ],
  });
}

/** The basis fields of a pair, each with a's and b's value and whether they differ/block. */
export interface BasisFieldRow {
  field: string;
  a: string;
  b: string;
  differs: boolean;
  blocking: boolean;
}

const show = (v: unknown): string =>
  v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v);

export function basisFieldRows(pair: MetricComparison): BasisFieldRow[] {
  const diff = new Map(pair.differences.map((d) => [d.field as string, d]));
  const blocking = new Set(pair.blocking.map((d) => d.field as string));
  const rows: BasisFieldRow[] = [];
  const a = pair.a.basis as unknown as Record<string, unknown>;
  const b = pair.b.basis as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    if (k === 'slo') {
      const sa = a.slo === 'none' || a.slo === undefined ? {} : (a.slo as Record<string, unknown>);
      const sb = b.slo === 'none' || b.slo === undefined ? {} : (b.slo as Record<string, unknown>);
      if (a.slo === 'none' || b.slo === 'none') {
        rows.push({
          field: 'slo',
          a: show(a.slo),
          b: show(b.slo),
          differs: diff.has('slo'),
          blocking: blocking.has('slo'),
        });
        continue;
      }
      for (const t of [...new Set([...Object.keys(sa), ...Object.keys(sb)])].sort()) {
        const f = `slo.${t}`;
        rows.push({
          field: f,
          a: show(sa[t]),
          b: show(sb[t]),
          differs: diff.has(f),
          blocking: blocking.has(f),
        });
      }
      continue;
    }
    rows.push({
      field: k,
      a: show(a[k]),
      b: show(b[k]),
      differs: diff.has(k),
      blocking: blocking.has(k),
    });
  }
  return rows;
}
