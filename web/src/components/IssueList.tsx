/** A list of a YAML text's issues at their line:column; clicking one moves the editor there. */
import type { EditorView as CmView } from 'codemirror';
import { issueMessage, issueRange } from '../lint.js';
import type { ApiIssue } from '../types.js';

export function IssueList(props: {
  issues: readonly ApiIssue[];
  message: string;
  /** The editor the issues point into (unset until it mounts). */
  view: () => CmView | null;
  testid: string;
}) {
  const jump = (i: ApiIssue) => {
    const v = props.view();
    if (!v) return;
    const { from } = issueRange(v.state.doc, i);
    v.dispatch({ selection: { anchor: from }, scrollIntoView: true });
    v.focus();
  };
  const n = props.issues.length;
  return (
    <>
      <p>
        <b>{n}</b> issue{n === 1 ? '' : 's'}: {props.message}
      </p>
      <ul class="issues" data-testid={props.testid}>
        {props.issues.map((i, k) => (
          <li key={k} onClick={() => jump(i)} title="go to the line">
            <span class="mono">{i.line !== undefined ? `${i.line}:${i.column ?? 1}` : '—'}</span>{' '}
            {issueMessage(i)}
          </li>
        ))}
      </ul>
    </>
  );
}
