/**
 * Scenario editor: YAML in CodeMirror, validated against the scenario schema by the server
 * (POST /api/scenarios/validate) as the text changes — issues appear as lint diagnostics at
 * their line/column and as a list — with Save, Estimate and Run.
 */
import type { Diagnostic } from '@codemirror/lint';
import { forceLinting } from '@codemirror/lint';
import type { Text } from '@codemirror/state';
import type { EditorView as CmView } from 'codemirror';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { EstimatePanel } from '../components/EstimatePanel.js';
import { Card, ErrorBox, Loading, PageHeader } from '../components/ui.js';
import { YamlEditor } from '../components/YamlEditor.js';
import { useAction } from '../hooks.js';
import { issuesToDiagnostics } from '../lint.js';
import { IssueList } from '../components/IssueList.js';
import { navigate, type Route } from '../router.js';
import { examples, getEditor, setEditor, typedInEditor, useEditor } from '../state.js';
import type { ApiIssue, ValidateOk } from '../types.js';

type Validation =
  | { state: 'idle' }
  | { state: 'ok'; result: ValidateOk }
  | { state: 'invalid'; issues: ApiIssue[]; message: string }
  | { state: 'error'; message: string };

export function EditorView({ route }: { route: Route }) {
  const editor = useEditor();
  const cm = useRef<CmView | null>(null);
  const [validation, setValidation] = useState<Validation>({ state: 'idle' });
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(false);

  const example = route.query.get('example');
  const scenarioHash = route.query.get('scenario');
  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      setLoadError(undefined);
      if (example) {
        const e = (await examples()).find((x) => x.id === example);
        if (!e) throw new Error(`no example '${example}'`);
        if (!cancelled) setEditor({ yaml: e.yaml, origin: `example:${e.id}` });
      } else if (scenarioHash) {
        const s = await api.scenario(scenarioHash);
        if (!cancelled)
          setEditor({
            yaml: s.yaml ?? JSON.stringify(s.scenario, null, 2),
            origin: `scenario:${s.hash}`,
          });
      } else if (!getEditor().yaml.trim()) {
        const e = (await examples()).find((x) => x.kind === 'scenario');
        if (e && !cancelled) setEditor({ yaml: e.yaml, origin: `example:${e.id}` });
      }
    };
    setLoading(true);
    load()
      .catch((e: unknown) => !cancelled && setLoadError(e))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [example, scenarioHash]);

  const lint = useCallback(async (doc: Text): Promise<Diagnostic[]> => {
    const text = doc.toString();
    if (!text.trim()) {
      setValidation({ state: 'idle' });
      return [];
    }
    try {
      const result = await api.validateScenario(text);
      setValidation({ state: 'ok', result });
      return [];
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) {
        const issues = e.issues.length ? e.issues : [{ path: '', message: e.message }];
        setValidation({
          state: 'invalid',
          issues,
          message: (e.message.split('\n')[0] ?? '').replace(/:$/, ''),
        });
        return issuesToDiagnostics(doc, issues);
      }
      setValidation({ state: 'error', message: e instanceof Error ? e.message : String(e) });
      return [];
    }
  }, []);

  const save = useAction(() => api.saveScenario(getEditor().yaml));
  const estimate = useAction(() => api.estimate({ yaml: getEditor().yaml }));
  const [seed, setSeed] = useState('');
  const run = useAction(async () => {
    const n = seed.trim() === '' ? undefined : Number(seed);
    if (n !== undefined && !(Number.isInteger(n) && n >= 0))
      throw new Error(`seed must be a whole number ≥ 0, got '${seed}'`);
    const r = await api.startRun({ yaml: getEditor().yaml }, n);
    navigate(['runs', r.id]);
    return r;
  });

  const busy = save.loading || estimate.loading || run.loading;
  return (
    <div>
      <PageHeader
        title="Scenario editor"
        subtitle={
          <>
            {editor.origin ? <span class="mono">{editor.origin}</span> : 'a new scenario'} — checked
            against the scenario schema as you type
          </>
        }
        actions={
          <>
            <button onClick={() => cm.current && forceLinting(cm.current)} data-action="validate">
              Validate
            </button>
            <button disabled={busy} onClick={() => void save.run()} data-action="save">
              Save
            </button>
            <button disabled={busy} onClick={() => void estimate.run()} data-action="estimate">
              Estimate
            </button>
            <input
              type="number"
              min={0}
              step={1}
              placeholder="seed (scenario's)"
              value={seed}
              onInput={(e) => setSeed((e.target as HTMLInputElement).value)}
              style={{ width: '150px' }}
              aria-label="seed"
              data-testid="seed"
            />
            <button
              class="primary"
              disabled={busy}
              onClick={() => void run.run()}
              data-action="run"
            >
              Run
            </button>
          </>
        }
      />
      <ErrorBox error={loadError} />
      {loading && <Loading what="Loading the scenario" />}
      <div class="grid-editor">
        <Card title="YAML">
          <YamlEditor
            value={editor.yaml}
            revision={editor.revision}
            onChange={typedInEditor}
            lint={lint}
            onReady={(v) => (cm.current = v)}
            height="560px"
            testid="yaml-editor"
          />
        </Card>
        <Card title="Validation" testid="validation">
          {validation.state === 'idle' && (
            <p class="muted">Validation runs a moment after each edit.</p>
          )}
          {validation.state === 'ok' && (
            <div>
              <p class="valid" data-testid="valid">
                ✓ valid scenario — {validation.result.name}
              </p>
              <p class="mono muted">{validation.result.hash}</p>
            </div>
          )}
          {validation.state === 'invalid' && (
            <div>
              <IssueList
                issues={validation.issues}
                message={validation.message}
                view={() => cm.current}
                testid="issues"
              />
            </div>
          )}
          {validation.state === 'error' && (
            <div class="error">validation unavailable: {validation.message}</div>
          )}
          {save.data && (
            <p class="valid">
              saved as <span class="mono">{save.data.hash}</span>
            </p>
          )}
          <ErrorBox error={save.error} />
          <ErrorBox error={run.error} />
          <h3>Next</h3>
          <p class="muted">
            <a href="#/frontier?source=editor">Frontier across systems</a> ·{' '}
            <a href="#/cost?source=editor">Cost and power</a> ·{' '}
            <a href="#/compare?a=editor">Compare with another scenario</a>
          </p>
        </Card>
      </div>
      {estimate.loading && <Loading what="Estimating" />}
      <ErrorBox error={estimate.error} />
      {estimate.data && <EstimatePanel report={estimate.data} />}
    </div>
  );
}
