/**
 * Validation issues (a 400 of POST /api/scenarios/validate, POST /api/sweeps…) as CodeMirror
 * diagnostics at their line/column; issues without a position mark the first line. Pure.
 */
import type { Diagnostic } from '@codemirror/lint';
import type { Text } from '@codemirror/state';
import type { ApiIssue } from './types.js';

export function issueMessage(i: ApiIssue): string {
  const parts = [i.path ? `${i.path}: ${i.message}` : i.message];
  const extra: string[] = [];
  if (i.value !== undefined)
    extra.push(`got ${typeof i.value === 'string' ? i.value : JSON.stringify(i.value)}`);
  if (i.expected !== undefined)
    extra.push(
      `expected ${typeof i.expected === 'string' ? i.expected : JSON.stringify(i.expected)}`,
    );
  if (extra.length) parts.push(`(${extra.join(', ')})`);
  return parts.join(' ');
}

/** Document range of an issue: from its column to the end of its line (1-based line/column). */
export function issueRange(doc: Text, i: ApiIssue): { from: number; to: number } {
  const lineNo = i.line !== undefined && i.line >= 1 ? Math.min(i.line, doc.lines) : 1;
  const line = doc.line(lineNo);
  const col = i.column !== undefined && i.column >= 1 ? i.column - 1 : 0;
  const from = Math.min(line.from + col, line.to);
  const to = line.to > from ? line.to : Math.min(from + 1, doc.length);
  return { from, to };
}

export function issuesToDiagnostics(
  doc: Text,
  issues: readonly ApiIssue[],
  source = 'scenario schema',
): Diagnostic[] {
  return issues.map((i) => ({
    ...issueRange(doc, i),
    severity: 'error' as const,
    source,
    message: issueMessage(i),
  }));
}
