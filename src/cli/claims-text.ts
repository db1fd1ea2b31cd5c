/**
 * Human forms of `aifactory claims list|show|validate`: the registry as a table, one claim with
 * its stated and missing conditions and arithmetic, and a validation's status with the table
 * behind it.
 */
import type { ClaimValidation } from '../app/claims.js';
import { reproduceArithmetic, type Claim } from '../compare/claims.js';
import { formatNumber, table } from './format.js';

const num = (x: number | undefined): string => (x === undefined ? '—' : formatNumber(x));

/** `claims list`: id, claimant, claimed value, metric, date. */
export function claimsListText(claims: readonly Claim[]): string {
  const rows = [
    ['id', 'claim', 'metric', 'date'],
    ...claims.map((c) => [
      c.id,
      `${c.qualifier === 'up-to' ? 'up to ' : c.qualifier === 'approx' ? '~' : ''}${formatNumber(c.value)} ${c.unit}`,
      c.metric,
      c.date,
    ]),
  ];
  return `${table(rows, '').join('\n')}\n${claims.length} claims; status is 'directional' until validated (claims validate <id>)\n`;
}

/** `claims show <id>`: the claim, its conditions and its arithmetic. */
export function claimShowText(c: Claim): string {
  const lines = [
    `${c.id}: ${c.statement}`,
    `  claimant: ${c.claimant}, ${c.date}`,
    `  source: ${c.source}`,
    `  metric: ${c.metric} (${c.kind}), ${c.qualifier} ${c.value} ${c.unit}`,
    `  subject: ${c.subject.label}${c.subject.systemId ? ` [${c.subject.systemId}]` : ''}${c.subject.precision ? `, ${c.subject.precision}` : ''}${c.subject.speculative ? `, speculative ${c.subject.speculative}` : ''}`,
  ];
  if (c.baseline)
    lines.push(
      `  baseline: ${c.baseline.label}${c.baseline.systemId ? ` [${c.baseline.systemId}]` : ''}${c.baseline.precision ? `, ${c.baseline.precision}` : ''}${c.baseline.speculative ? `, speculative ${c.baseline.speculative}` : ''}`,
    );
  if (c.model) lines.push(`  model: ${c.model}`);
  if (c.workload)
    lines.push(`  workload: ISL ${c.workload.inputTokens} / OSL ${c.workload.outputTokens}`);
  if (c.interactivityTokensPerSecondPerUser !== undefined)
    lines.push(`  interactivity: ${c.interactivityTokensPerSecondPerUser} tok/s per user`);
  lines.push('  stated conditions:', ...c.statedConditions.map((s) => `    - ${s}`));
  lines.push(
    '  left out:',
    ...(c.missingConditions.length
      ? c.missingConditions.map((m) => `    - ${m.condition}: ${m.note}`)
      : ['    (nothing listed)']),
  );
  const a = reproduceArithmetic(c);
  if (a)
    lines.push(
      `  arithmetic: ${a.text} (${(a.deviationFraction * 100).toFixed(1)}% from the claimed ${c.value})`,
      ...Object.entries(c.arithmetic!.inputs).map(
        ([k, v]) => `    ${k} = ${v.value} ${v.unit} (${v.source})`,
      ),
    );
  if (c.notes) lines.push(`  notes: ${c.notes}`);
  return lines.join('\n') + '\n';
}

/** `claims validate <id>`: status, reason, the table, notes and what is missing. */
export function claimValidationText(v: ClaimValidation): string {
  const lines = [
    `${v.claimId}: claimed ${formatNumber(v.claimedValue)} ${v.unit}`,
    `status: ${v.status} — ${v.reason}`,
  ];
  if (v.modelValue !== undefined)
    lines.push(`model value at the claim's conditions: ${formatNumber(v.modelValue)}`);
  if (v.rows.length) {
    lines.push('');
    lines.push(
      ...table(
        [
          ['condition', 'subject', 'baseline', 'unit', 'ratio', 'note'],
          ...v.rows.map((r) => [
            r.condition,
            num(r.subjectValue),
            num(r.baselineValue),
            r.unit,
            r.ratio === undefined ? '—' : `${formatNumber(r.ratio)}x`,
            r.note,
          ]),
        ],
        '  ',
      ),
    );
  }
  if (v.notes.length) lines.push('', 'notes:', ...v.notes.map((n) => `  - ${n}`));
  if (v.conditionsMissing.length)
    lines.push('', 'conditions missing:', ...v.conditionsMissing.map((n) => `  - ${n}`));
  lines.push('', `method: ${v.method}`);
  return lines.join('\n') + '\n';
}
