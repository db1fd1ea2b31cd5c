/**
 * Human and JSON forms of `aifactory compare`: per metric both values, every basis difference
 * and the verdict — or the refusal, naming each differing field with both values.
 */
import type { CompareResult, MetricComparison } from '../compare/compare.js';
import { formatValue, table } from './format.js';

const show = (x: unknown): string =>
  x === undefined ? '(not stated)' : typeof x === 'string' ? x : JSON.stringify(x);

function pairLines(p: MetricComparison): string[] {
  const lines = [`  ${p.name}`];
  lines.push(
    ...table(
      [
        ['a', formatValue(p.a.value, p.a.unit), p.a.basis.provenance],
        ['b', formatValue(p.b.value, p.b.unit), p.b.basis.provenance],
      ],
      '      ',
    ),
  );
  const shown = p.differences.filter((d) => d.field !== 'source');
  if (shown.length) {
    lines.push('    basis differences:');
    lines.push(
      ...table(
        shown.map((d) => [d.field, `a: ${show(d.a)}`, `b: ${show(d.b)}`]),
        '      ',
      ),
    );
  }
  if (p.verdict) lines.push(`    verdict: ${p.verdict.text}`);
  else if (p.refusal) lines.push(`    ${p.refusal}`);
  return lines;
}

/** `aifactory compare` as text. */
export function compareText(r: CompareResult): string {
  const lines = [`compare  a: ${r.a}`, `         b: ${r.b}`];
  lines.push(
    r.optionsApplied.length
      ? `normalisations stated: ${r.optionsApplied.join('; ')}`
      : 'normalisations stated: none (verdicts only where bases are equal)',
  );
  const verdicts = r.pairs.filter((p) => p.verdict).length;
  lines.push(
    `${r.pairs.length} metrics paired: ${verdicts} with a verdict, ${r.pairs.length - verdicts} refused`,
    '',
  );
  for (const p of r.pairs) lines.push(...pairLines(p), '');
  if (r.onlyInA.length) lines.push(`only in a: ${r.onlyInA.join(', ')}`);
  if (r.onlyInB.length) lines.push(`only in b: ${r.onlyInB.join(', ')}`);
  return lines.join('\n').trimEnd() + '\n';
}

/** `aifactory compare --json`: the result as plain data. */
export function compareJson(r: CompareResult): unknown {
  return r;
}
