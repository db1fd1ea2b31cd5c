/**
 * Pick what a view works on: the scenario in the editor, a built-in example, a stored scenario,
 * or (where allowed) a finished run. Values: `editor`, `example:<id>`, `scenario:<hash>`,
 * `run:<id>`; `resolveSource` turns one into a request body part.
 */
import { api } from '../api.js';
import { useAsync } from '../hooks.js';
import { examples, getEditor } from '../state.js';
import type { ExampleKind } from '../types.js';

export type SourceRef = { yaml: string } | { scenarioHash: string } | { runId: string };

export async function resolveSource(value: string): Promise<SourceRef> {
  if (value === 'editor') {
    const yaml = getEditor().yaml;
    if (!yaml.trim()) throw new Error('the editor is empty: open a scenario first');
    return { yaml };
  }
  const [kind, ...rest] = value.split(':');
  const id = rest.join(':');
  if (kind === 'example') {
    const e = (await examples()).find((x) => x.id === id);
    if (!e) throw new Error(`no example '${id}'`);
    return { yaml: e.yaml };
  }
  if (kind === 'scenario') return { scenarioHash: id };
  if (kind === 'run') return { runId: id };
  throw new Error(`unknown source '${value}'`);
}

/** The source as YAML (stored scenarios fetched), for routes that take `{yaml}` only. */
export async function resolveYaml(value: string): Promise<string> {
  const ref = await resolveSource(value);
  if ('yaml' in ref) return ref.yaml;
  if ('scenarioHash' in ref) {
    const s = await api.scenario(ref.scenarioHash);
    return s.yaml ?? JSON.stringify(s.scenario, null, 2);
  }
  throw new Error('a run has no scenario YAML here: pick a scenario');
}

export function SourcePicker(props: {
  value: string;
  onChange: (v: string) => void;
  label?: string;
  runs?: boolean;
  kind?: ExampleKind;
  testid?: string;
}) {
  const kind = props.kind ?? 'scenario';
  const ex = useAsync(() => examples(), []);
  const stored = useAsync(() => api.scenarios(), [], kind === 'scenario');
  const runs = useAsync(() => api.runs(), [], !!props.runs);
  const editor = getEditor();
  return (
    <div class="field">
      <label>{props.label ?? 'Scenario'}</label>
      <select
        value={props.value}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
        data-testid={props.testid}
      >
        {kind === 'scenario' && (
          <option value="editor" disabled={!editor.yaml.trim()}>
            the scenario in the editor{editor.origin ? ` (${editor.origin})` : ''}
          </option>
        )}
        <optgroup label="Built-in examples">
          {(ex.data ?? [])
            .filter((e) => e.kind === kind)
            .map((e) => (
              <option key={e.id} value={`example:${e.id}`}>
                {e.name}
              </option>
            ))}
        </optgroup>
        {kind === 'scenario' && (stored.data?.length ?? 0) > 0 && (
          <optgroup label="Stored scenarios">
            {stored.data!.map((s) => (
              <option key={s.hash} value={`scenario:${s.hash}`}>
                {s.name} ({s.hash.slice(-8)})
              </option>
            ))}
          </optgroup>
        )}
        {props.runs && (runs.data?.length ?? 0) > 0 && (
          <optgroup label="Finished runs">
            {runs
              .data!.filter((r) => r.status === 'done')
              .map((r) => (
                <option key={r.id} value={`run:${r.id}`}>
                  run {r.id} — {r.scenarioName ?? r.scenarioHash} (seed {r.seed})
                </option>
              ))}
          </optgroup>
        )}
      </select>
    </div>
  );
}

/** A sensible initial source: the route's `?source=` (or `example=`/`run=`), else the editor, else the first example. */
export function initialSource(query: URLSearchParams, firstExampleId?: string): string {
  const s = query.get('source');
  if (s) return s;
  if (query.get('run')) return `run:${query.get('run')}`;
  if (query.get('example')) return `example:${query.get('example')}`;
  if (getEditor().yaml.trim()) return 'editor';
  return firstExampleId ? `example:${firstExampleId}` : 'editor';
}
