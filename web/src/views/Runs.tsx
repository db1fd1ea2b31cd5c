/** Runs on this server (GET /api/runs), newest first; pick two to compare. */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { Badge, Card, ErrorBox, Loading, PageHeader } from '../components/ui.js';
import { fmtPercent, fmtTime } from '../format.js';
import { useAsync } from '../hooks.js';
import { href, navigate } from '../router.js';
import type { RunStatus } from '../types.js';

export const STATUS_KIND: Record<RunStatus, 'ok' | 'warn' | 'bad' | 'info' | 'muted'> = {
  queued: 'muted',
  running: 'info',
  done: 'ok',
  failed: 'bad',
  cancelled: 'warn',
};

export function RunsView() {
  const runs = useAsync(() => api.runs(), []);
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (id: string) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  return (
    <div>
      <PageHeader
        title="Runs"
        subtitle="Serving-twin runs on this server. Results are cached by scenario, seed and engine version."
        actions={
          <>
            <button onClick={runs.reload}>Refresh</button>
            <button
              class="primary"
              disabled={picked.length !== 2}
              onClick={() =>
                navigate(['compare'], { a: `run:${picked[0]}`, b: `run:${picked[1]}` })
              }
              data-action="compare-picked"
            >
              Compare the two picked
            </button>
          </>
        }
      />
      <Card>
        {runs.loading && <Loading />}
        <ErrorBox error={runs.error} />
        {runs.data && runs.data.length === 0 && (
          <p class="muted">
            No runs yet. Start one from the <a href={href(['library'])}>scenario library</a> or the
            editor.
          </p>
        )}
        {runs.data && runs.data.length > 0 && (
          <table class="table" data-testid="runs">
            <thead>
              <tr>
                <th />
                <th>run</th>
                <th>scenario</th>
                <th class="num">seed</th>
                <th>status</th>
                <th>created</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((r) => (
                <tr key={r.id} class={picked.includes(r.id) ? 'selected' : ''}>
                  <td>
                    <input
                      type="checkbox"
                      checked={picked.includes(r.id)}
                      disabled={r.status !== 'done'}
                      onChange={() => toggle(r.id)}
                      aria-label={`pick ${r.id}`}
                    />
                  </td>
                  <td class="mono">
                    <a href={href([r.kind === 'sweep' ? 'sweeps' : 'runs', r.id])}>{r.id}</a>
                  </td>
                  <td>{r.scenarioName ?? <span class="mono">{r.scenarioHash}</span>}</td>
                  <td class="num">{r.seed}</td>
                  <td>
                    <Badge kind={STATUS_KIND[r.status]}>
                      {r.status}
                      {r.status === 'running' ? ` ${fmtPercent(r.progress, 0)}` : ''}
                    </Badge>
                  </td>
                  <td class="muted">{fmtTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
