/**
 * The Sweeps view's "New sweep" panel: a sweep spec (docs/sweeps.md) in CodeMirror, prefilled
 * from a built-in sweep example (GET /api/examples, `kind: "sweep"`, its base scenario inline),
 * and **Start** (POST /api/sweeps). The server checks the spec when it is started — schema, the
 * inline base, every axis value against the scenario schema and the catalog — and answers a bad
 * one with 400 and its issues at their line/column: they become lint diagnostics at that line
 * (underlined, gutter mark, message on hover; kept through edits until the next Start) and a
 * list beside the editor. On 202 the view goes to the sweep's run.
 */
import { setDiagnostics } from '@codemirror/lint';
import type { EditorView as CmView } from 'codemirror';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useAction } from '../hooks.js';
import { issuesToDiagnostics } from '../lint.js';
import { IssueList } from './IssueList.js';
import { navigate } from '../router.js';
import {
  examples,
  getSweepEditor,
  setSweepEditor,
  typedInSweepEditor,
  useSweepEditor,
} from '../state.js';
import type { ApiIssue, Example } from '../types.js';
import { Card, ErrorBox, Loading } from './ui.js';
import { YamlEditor } from './YamlEditor.js';

/** The example the panel starts from when none is asked for (a small grid, about 8 points). */
export const DEFAULT_SWEEP_EXAMPLE = 'sweep-chat-h100';

/** A refused spec: its issues and the first line of the server's message. */
interface Refusal {
  message: string;
  issues: ApiIssue[];
}

export function NewSweep({ example }: { example?: string | undefined }) {
  const editor = useSweepEditor();
  const cm = useRef<CmView | null>(null);
  const [sweepExamples, setSweepExamples] = useState<Example[]>([]);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setLoadError(undefined);
    examples()
      .then((all) => {
        if (cancelled) return;
        const mine = all.filter((e) => e.kind === 'sweep');
        setSweepExamples(mine);
        const wanted = example
          ? mine.find((e) => e.id === example)
          : getSweepEditor().yaml.trim()
            ? undefined
            : (mine.find((e) => e.id === DEFAULT_SWEEP_EXAMPLE) ?? mine[0]);
        if (example && !wanted) throw new Error(`no sweep example '${example}'`);
        if (wanted) setSweepEditor({ yaml: wanted.yaml, origin: `example:${wanted.id}` });
      })
      .catch((e: unknown) => !cancelled && setLoadError(e))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [example]);

  /** Show the issues at their lines (or clear them). */
  const mark = (issues: readonly ApiIssue[]) => {
    const v = cm.current;
    if (!v) return;
    v.dispatch(setDiagnostics(v.state, issuesToDiagnostics(v.state.doc, issues, 'sweep spec')));
  };

  const start = useAction(async () => {
    setRefusal(undefined);
    mark([]);
    try {
      const r = await api.startSweep(getSweepEditor().yaml);
      navigate(['sweeps', r.id]);
      return r;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 400) throw e;
      const issues = e.issues.length ? e.issues : [{ path: '', message: e.message }];
      setRefusal({ message: (e.message.split('\n')[0] ?? '').replace(/:$/, ''), issues });
      mark(issues);
      return undefined;
    }
  });

  const load = (id: string) => {
    const e = sweepExamples.find((x) => x.id === id);
    if (!e) return;
    setRefusal(undefined);
    setSweepEditor({ yaml: e.yaml, origin: `example:${e.id}` });
    mark([]);
  };

  const origin = editor.origin.replace(/^example:/, '').replace(/ \(edited\)$/, '');
  return (
    <Card
      title="New sweep"
      testid="new-sweep"
      actions={
        <>
          <select
            value={sweepExamples.some((e) => e.id === origin) ? origin : ''}
            onChange={(ev) => load((ev.target as HTMLSelectElement).value)}
            aria-label="sweep example"
            data-testid="sweep-example"
          >
            <option value="" disabled>
              load a built-in example…
            </option>
            {sweepExamples.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
          <button
            class="primary"
            disabled={start.loading || !editor.yaml.trim()}
            onClick={() => void start.run()}
            data-action="start-sweep"
          >
            {start.loading ? 'Starting…' : 'Start'}
          </button>
        </>
      }
    >
      <ErrorBox error={loadError} />
      {loading && <Loading what="Loading the sweep examples" />}
      <div class="grid-editor">
        <div>
          <p class="muted small">
            {editor.origin ? <span class="mono">{editor.origin}</span> : 'a new spec'} — a sweep
            spec with its base scenario inline (<span class="mono">base:</span>); the server reads
            no files, so <span class="mono">baseFile:</span> is refused.
          </p>
          <YamlEditor
            value={editor.yaml}
            revision={editor.revision}
            onChange={typedInSweepEditor}
            gutter
            wrap
            onReady={(v) => (cm.current = v)}
            height="460px"
            testid="sweep-yaml-editor"
          />
        </div>
        <div data-testid="sweep-check">
          <h3>Checks</h3>
          {!refusal && (
            <p class="muted">
              <b>Start</b> checks the spec before anything runs: its schema, the base scenario, and
              every axis value applied to the base (scenario schema, catalog ids). Problems are
              marked at their line here; nothing is stored until the spec passes.
            </p>
          )}
          {refusal && (
            <div>
              <IssueList
                issues={refusal.issues}
                message={refusal.message}
                view={() => cm.current}
                testid="sweep-issues"
              />
              <p class="muted small">Marked as of the last Start; Start again to recheck.</p>
            </div>
          )}
          <ErrorBox error={start.error} />
          <h3>What runs</h3>
          <p class="muted small">
            Every point not already stored (same scenario, seed and engine) is simulated by the
            serving twin on this server’s workers; the points and the sweep are kept as runs, as{' '}
            <span class="mono">aifactory sweep --db</span> keeps them. Progress shows here while it
            runs; <b>Cancel</b> stops its jobs.
          </p>
        </div>
      </div>
    </Card>
  );
}
