/**
 * Scenario library: the built-in examples (GET /api/examples) and stored scenarios (GET
 * /api/scenarios). Plans, build-vs-rent files and sweep specs open in their own views (a sweep
 * in the Sweeps view's New sweep editor).
 */
import type { ComponentChildren } from 'preact';
import { api } from '../api.js';
import { Badge, Card, ErrorBox, Loading, PageHeader } from '../components/ui.js';
import { fmtTime } from '../format.js';
import { useAction, useAsync } from '../hooks.js';
import { navigate } from '../router.js';
import { examples, setEditor } from '../state.js';
import type { Example, ScenarioRef } from '../types.js';

const KIND_LABEL: Record<Example['kind'], string> = {
  scenario: 'scenario',
  plan: 'plan',
  'build-vs-rent': 'build vs rent',
  sweep: 'sweep',
};

/** A table with the given column heads (a last unnamed one holds the row's buttons). */
function Table(props: { heads: string[]; children: ComponentChildren }) {
  return (
    <table class="table">
      <thead>
        <tr>
          {props.heads.map((h) => (
            <th key={h}>{h}</th>
          ))}
          <th />
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}

/** The row's buttons: open in the editor (or its view) and, where it is a scenario, run it. */
function ActionsCell(props: {
  openLabel: string;
  onOpen: () => void;
  onRun?: () => void;
  running: boolean;
}) {
  return (
    <td class="num">
      <span class="row" style={{ justifyContent: 'flex-end', gap: '6px' }}>
        <button onClick={props.onOpen} data-action="open">
          {props.openLabel}
        </button>
        {props.onRun && (
          <button class="primary" disabled={props.running} onClick={props.onRun} data-action="run">
            Run
          </button>
        )}
      </span>
    </td>
  );
}

export function LibraryView() {
  const ex = useAsync(() => examples(), []);
  const stored = useAsync(() => api.scenarios(), []);
  const start = useAction(async (ref: ScenarioRef) => {
    const r = await api.startRun(ref);
    navigate(['runs', r.id]);
    return r;
  });

  const open = (e: Example) => {
    if (e.kind === 'plan') return navigate(['capacity'], { example: e.id });
    if (e.kind === 'build-vs-rent') return navigate(['build-vs-rent'], { example: e.id });
    if (e.kind === 'sweep') return navigate(['sweeps', 'new'], { example: e.id });
    setEditor({ yaml: e.yaml, origin: `example:${e.id}` });
    navigate(['editor']);
  };

  return (
    <div>
      <PageHeader
        title="Scenario library"
        subtitle="Built-in examples and the scenarios stored on this server. Open one in the editor, or run it with the serving twin."
      />
      <ErrorBox error={start.error} />
      <Card title="Built-in examples" testid="examples">
        {ex.loading && <Loading />}
        <ErrorBox error={ex.error} />
        {ex.data && (
          <Table heads={['name', 'file', 'kind']}>
            {ex.data.map((e) => (
              <tr key={e.id} data-example={e.id}>
                <td>
                  <a
                    href="#"
                    onClick={(ev) => {
                      ev.preventDefault();
                      open(e);
                    }}
                  >
                    {e.name}
                  </a>
                </td>
                <td class="mono muted">{e.file}</td>
                <td>
                  <Badge kind={e.kind === 'scenario' ? 'info' : 'muted'}>
                    {KIND_LABEL[e.kind]}
                  </Badge>
                </td>
                <ActionsCell
                  openLabel={e.kind === 'scenario' ? 'Edit' : 'Open'}
                  onOpen={() => open(e)}
                  {...(e.kind === 'scenario'
                    ? { onRun: () => void start.run({ yaml: e.yaml }) }
                    : {})}
                  running={start.loading}
                />
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card
        title="Stored scenarios"
        testid="stored-scenarios"
        actions={<button onClick={stored.reload}>Refresh</button>}
      >
        {stored.loading && <Loading />}
        <ErrorBox error={stored.error} />
        {stored.data && stored.data.length === 0 && (
          <p class="muted">
            None yet: save one from the editor, or run one (runs store their scenario).
          </p>
        )}
        {stored.data && stored.data.length > 0 && (
          <Table heads={['name', 'hash', 'stored']}>
            {stored.data.map((s) => (
              <tr key={s.hash}>
                <td>
                  <a href={`#/editor?scenario=${encodeURIComponent(s.hash)}`}>{s.name}</a>
                </td>
                <td class="mono muted">{s.hash}</td>
                <td class="muted">{fmtTime(s.createdAt)}</td>
                <ActionsCell
                  openLabel="Edit"
                  onOpen={() => navigate(['editor'], { scenario: s.hash })}
                  onRun={() => void start.run({ scenarioHash: s.hash })}
                  running={start.loading}
                />
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </div>
  );
}
