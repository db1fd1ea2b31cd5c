/**
 * Frontier across systems (POST /api/frontier): the scenario's model and workload on each
 * chosen catalog system — output tok/s per GPU against tok/s per user — with cost per 1M
 * output tokens and tokens per MW along the same curves.
 */
import { useMemo, useState } from 'preact/hooks';
import { api } from '../api.js';
import {
  frontierCostOption,
  frontierCurves,
  frontierOption,
  frontierPerMwOption,
} from '../charts/frontier.js';
import { Chart } from '../components/Chart.js';
import { initialSource, resolveSource, SourcePicker } from '../components/SourcePicker.js';
import { Card, ErrorBox, Loading, PageHeader } from '../components/ui.js';
import { fmtNum, fmtUsd } from '../format.js';
import { useAction, useAsync } from '../hooks.js';
import type { Route } from '../router.js';
import type { ScenarioRef } from '../types.js';

const MAX_SYSTEMS = 8;
const DEFAULT_SYSTEMS = ['hgx-h100-8gpu', 'hgx-h200-8gpu', 'hgx-b200-8gpu'];

export function FrontierView({ route }: { route: Route }) {
  const catalog = useAsync(() => api.catalog(), []);
  const [source, setSource] = useState(() => initialSource(route.query));
  const [systems, setSystems] = useState<string[]>(
    () => route.query.get('systems')?.split(',').filter(Boolean) ?? DEFAULT_SYSTEMS,
  );
  const compute = useAction(async () => {
    const ref = await resolveSource(source);
    if ('runId' in ref) throw new Error('pick a scenario, not a run');
    return api.frontier(ref as ScenarioRef, systems);
  });
  const curves = useMemo(
    () => (compute.data ? frontierCurves(compute.data.points) : null),
    [compute.data],
  );
  const options = useMemo(
    () =>
      curves && {
        main: frontierOption(curves),
        cost: frontierCostOption(curves),
        mw: frontierPerMwOption(curves),
      },
    [curves],
  );
  const toggle = (id: string) =>
    setSystems((s) =>
      s.includes(id) ? s.filter((x) => x !== id) : s.length < MAX_SYSTEMS ? [...s, id] : s,
    );

  return (
    <div>
      <PageHeader
        title="Throughput–interactivity frontier"
        subtitle={
          compute.data
            ? `${compute.data.scenario.name}: deployment ${compute.data.deployment}, class ${compute.data.className} moved to each system (planner-chosen plan, analytical estimate).`
            : "The scenario's model, precision and workload on each system (planner-chosen plan, analytical estimate)."
        }
      />
      <Card title="Inputs">
        <div class="row">
          <SourcePicker value={source} onChange={setSource} testid="frontier-source" />
          <button
            class="primary"
            disabled={compute.loading || systems.length === 0}
            onClick={() => void compute.run()}
            data-action="frontier"
          >
            Compute frontier
          </button>
        </div>
        <h3>
          Systems{' '}
          <span class="muted">
            ({systems.length} of at most {MAX_SYSTEMS})
          </span>
        </h3>
        {catalog.loading && <Loading />}
        <ErrorBox error={catalog.error} />
        {catalog.data && (
          <div class="checks">
            {catalog.data.systems.map((s) => (
              <label key={s.id} title={s.name}>
                <input
                  type="checkbox"
                  checked={systems.includes(s.id)}
                  onChange={() => toggle(s.id)}
                  data-system={s.id}
                />
                {s.id}{' '}
                <span class="muted">
                  ({s.acceleratorsPerSystem} × {s.acceleratorId})
                </span>
              </label>
            ))}
          </div>
        )}
      </Card>
      {compute.loading && <Loading what="Estimating every plan on each system" />}
      <ErrorBox error={compute.error} />
      {options && curves && (
        <>
          <Card>
            <Chart id="frontier" option={options.main} height={380} />
          </Card>
          <div class="chart-grid">
            <Card>
              <Chart id="frontier-cost" option={options.cost} />
            </Card>
            <Card>
              <Chart id="frontier-per-mw" option={options.mw} />
            </Card>
          </div>
          {(compute.data!.skipped.length > 0 || compute.data!.notes.length > 0) && (
            <ul class="warnings">
              {compute.data!.skipped.map((x) => (
                <li key={x.systemId}>
                  {x.systemId} skipped: {x.reason}
                </li>
              ))}
              {compute.data!.notes.map((n, k) => (
                <li key={k}>{n}</li>
              ))}
            </ul>
          )}
          <Card title="Best point per system">
            <table class="table">
              <thead>
                <tr>
                  <th>system</th>
                  <th class="num">points</th>
                  <th class="num">max tok/s per GPU</th>
                  <th class="num">max tok/s per user</th>
                  <th class="num">lowest $ per 1M output</th>
                  <th class="num">max tok/s per MW</th>
                </tr>
              </thead>
              <tbody>
                {[...curves].map(([sys, rows]) => {
                  const costs = rows
                    .map((r) => r.costPerMillion)
                    .filter((x): x is number => x !== null);
                  const mw = rows.map((r) => r.perMw).filter((x): x is number => x !== null);
                  return (
                    <tr key={sys}>
                      <td>{sys}</td>
                      <td class="num">{rows.length}</td>
                      <td class="num">{fmtNum(Math.max(...rows.map((r) => r.perGpu)))}</td>
                      <td class="num">{fmtNum(Math.max(...rows.map((r) => r.perUser)))}</td>
                      <td class="num">{costs.length ? fmtUsd(Math.min(...costs)) : '—'}</td>
                      <td class="num">{mw.length ? fmtNum(Math.max(...mw)) : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </Card>
        </>
      )}
    </div>
  );
}
