/**
 * The input file of a planning view (plan or build-vs-rent YAML): pick a built-in example of
 * that kind, edit it in place if wanted, and submit.
 */
import { useEffect, useState } from 'preact/hooks';
import { examples } from '../state.js';
import type { ExampleKind } from '../types.js';
import { Card, Collapsible } from './ui.js';
import { YamlEditor } from './YamlEditor.js';

export function FileInput(props: {
  kind: ExampleKind;
  initialExample?: string | null;
  busy: boolean;
  action: string;
  onSubmit: (yaml: string) => void;
  testid?: string;
}) {
  const [list, setList] = useState<{ id: string; name: string; yaml: string }[]>([]);
  const [picked, setPicked] = useState<string>(props.initialExample ?? '');
  const [yaml, setYaml] = useState('');
  /** Bumped when an example is loaded (the editor then shows it). */
  const [revision, setRevision] = useState(0);
  useEffect(() => {
    void examples().then((ex) => {
      const mine = ex.filter((e) => e.kind === props.kind);
      setList(mine);
      const first = mine.find((e) => e.id === picked) ?? mine[0];
      if (first) {
        setPicked(first.id);
        setYaml(first.yaml);
        setRevision((r) => r + 1);
      }
    });
  }, [props.kind]);
  const choose = (id: string) => {
    setPicked(id);
    const e = list.find((x) => x.id === id);
    if (e) {
      setYaml(e.yaml);
      setRevision((r) => r + 1);
    }
  };
  return (
    <Card title="Input">
      <div class="row">
        <div class="field">
          <label>Example</label>
          <select
            value={picked}
            onChange={(e) => choose((e.target as HTMLSelectElement).value)}
            data-testid={props.testid}
          >
            {list.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </div>
        <button
          class="primary"
          disabled={props.busy || !yaml.trim()}
          onClick={() => props.onSubmit(yaml)}
          data-action={props.action}
        >
          {props.action === 'plan' ? 'Plan' : 'Analyse'}
        </button>
      </div>
      <div style={{ marginTop: '10px' }}>
        <Collapsible summary="Edit the YAML">
          <YamlEditor value={yaml} revision={revision} onChange={setYaml} height="360px" />
        </Collapsible>
      </div>
    </Card>
  );
}
