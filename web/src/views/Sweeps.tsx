/**
 * Stored parameter sweeps (GET /api/runs?kind=sweep: `aifactory sweep --db` or POST
 * /api/sweeps) and, for one (GET /api/runs/:id → the SweepResult): the summary with the chosen
 * configuration, the Pareto scatter, the bisection rounds of a capacity search, and every point.
 * `#/sweeps/new` holds the New sweep panel (a spec in the editor, Start → POST /api/sweeps); a
 * running sweep shows its live progress (the run's SSE) with Cancel, then its result.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, followRun } from '../api.js';
import {
  axisTitles,
  infeasibleReason,
  metricCell,
  metricText,
  pointLabel,
  showValue,
  sweepCapacityOption,
  sweepColumns,
  sweepParetoOption,
  sweepBasis,
  sweepRows,
} from '../charts/sweep.js';
import { Chart } from '../components/Chart.js';
import { NewSweep } from '../components/NewSweep.js';
import { SweepProgressCard, type LiveSweep } from '../components/SweepProgressCard.js';
import { Badge, Card, ErrorBox, KeyValues, Loading, PageHeader } from '../components/ui.js';
import { fmtNum, fmtPercent, fmtTime, fmtValue } from '../format.js';
import { useAction, useAsync } from '../hooks.js';
import { href, navigate, type Route } from '../router.js';
import type { SweepResult } from '../types.js';
import { STATUS_KIND } from './Runs.js';

function strategyText(r: SweepResult): string {
  const s = r.strategy;
  if (s.kind === 'grid') return 'grid (every combination of the axes)';
  if (s.kind === 'random') return `random (${s.samples} samples)`;
  const tol =
    s.relativeTolerance !== undefined
      ? `high/low ≤ 1 + ${s.relativeTolerance}`
      : `high − low ≤ ${s.absoluteTolerance}`;
  return `capacity search on ${s.path} in [${fmtNum(s.low)}, ${fmtNum(s.high)}] to ${tol}, at most ${s.maxIterations} rounds`;
}

function constraintText(r: SweepResult): string {
  if (r.constraints.length === 0) return 'none';
  const unit = (m: string) => r.metricUnits[m] ?? '';
  return r.constraints
    .map((c) =>
      [
        c.min !== undefined ? `${c.metric} ≥ ${fmtValue(c.min, unit(c.metric))}` : '',
        c.max !== undefined ? `${c.metric} ≤ ${fmtValue(c.max, unit(c.metric))}` : '',
      ]
        .filter(Boolean)
        .join(', '),
    )
    .join('; ');
}

/**
 * The basis of the figures shown (DESIGN §1): the fields every one shares at every point once,
 * then per metric its other shared fields and the fields that vary over the points.
 */
function SweepBasis({ r, metrics }: { r: SweepResult; metrics: readonly string[] }) {
  const recorded = (r as Partial<SweepResult>).basis !== undefined;
  const view = useMemo(() => (recorded ? sweepBasis(r, metrics) : undefined), [r, metrics]);
  if (!view)
    return (
      <p class="muted" data-testid="sweep-basis">
        not recorded: this sweep was stored before sweeps kept their bases
      </p>
    );
  return (
    <div data-testid="sweep-basis">
      <p class="common-basis">
        <span class="muted">Every point, every figure below: </span>
        {view.shared.map(([k, v]) => (
          <span class="basis-chip" key={k}>
            <b>{k}</b> {v}
          </span>
        ))}
      </p>
      <table class="table compact">
        <thead>
          <tr>
            <th>metric</th>
            <th>also shared by every point</th>
            <th>varies over the points</th>
          </tr>
        </thead>
        <tbody>
          {view.metrics.map((m) => (
            <tr key={m.metric} data-metric={m.metric} data-varies={m.varies.join(' ')}>
              <td title={m.source ? `source: ${m.source}` : undefined}>{m.metric}</td>
              <td>
                {m.points === 0
                  ? 'no value at any point'
                  : m.common.map(([k, v]) => `${k} ${v}`).join(' · ') || '—'}
              </td>
              <td>
                {m.varies.length ? m.varies.join(', ') : <span class="muted">nothing</span>}
                {m.incomparable.length > 0 && (
                  <Badge
                    kind="bad"
                    title="values at different boundaries or currency-years are not ranked"
                  >
                    not comparable: {m.incomparable.join(', ')}
                  </Badge>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small">
        A field varies where an axis changes it: the hardware shows in source (the calibration), the
        load in utilization. Each point’s basis is in the SweepResult JSON.
      </p>
    </div>
  );
}

function SweepDetail({ r }: { r: SweepResult }) {
  const cols = useMemo(() => sweepColumns(r), [r]);
  const rows = useMemo(() => sweepRows(r), [r]);
  const pareto = useMemo(() => sweepParetoOption(r), [r]);
  const capacity = useMemo(() => sweepCapacityOption(r), [r]);
  const chosen = r.chosen ? r.points.find((p) => p.key === r.chosen!.key) : undefined;
  const titles = axisTitles(cols.varying);
  return (
    <>
      <Card title="Summary" testid="sweep-summary">
        <KeyValues
          items={[
            ['sweep', r.description ? `${r.name} — ${r.description}` : r.name],
            ['strategy', strategyText(r)],
            [
              'points',
              `${r.counts.points} in ${r.counts.batches} batch${r.counts.batches === 1 ? '' : 'es'}${r.counts.failed ? `, ${r.counts.failed} failed` : ''}`,
            ],
            ['feasible', <span data-testid="sweep-feasible">{r.counts.feasible}</span>],
            [
              'objective',
              `${r.objective.sense} ${r.objective.metric} (${r.metricUnits[r.objective.metric] ?? ''})`,
            ],
            ['constraints', constraintText(r)],
            [
              'Pareto set',
              r.pareto.refused
                ? `refused — ${r.pareto.refused}`
                : `${r.pareto.keys.length} point${r.pareto.keys.length === 1 ? '' : 's'} over ${r.pareto.objectives.map((o) => `${o.metric} ${o.sense === 'minimize' ? '↓' : '↑'}`).join(', ')}${r.pareto.leftOut ? ` (${r.pareto.leftOut} feasible points lack a Pareto metric)` : ''}`,
            ],
            ...cols.fixed.map((f): [string, ComponentChildren] => [
              `every point: ${f.path}`,
              showValue(f.value),
            ]),
            ['engine', <span class="mono">{r.engineVersion}</span>],
            [
              'spec',
              <span class="mono">
                {r.specHash}, seed {r.seed}
              </span>,
            ],
          ]}
        />
        <h3>Basis</h3>
        <SweepBasis r={r} metrics={cols.metrics} />
        <h3>Chosen configuration</h3>
        {r.chosen && chosen ? (
          <div data-testid="sweep-chosen" data-key={r.chosen.key}>
            <KeyValues
              items={[
                ...r.chosen.assignments.map((a): [string, ComponentChildren] => [
                  a.path,
                  <b data-axis={a.path}>{showValue(a.value)}</b>,
                ]),
                ...cols.metrics.map((m): [string, ComponentChildren] => [
                  `${m}${m === r.chosen!.metric ? ' (objective)' : ''}`,
                  <span data-metric={m} data-value={chosen.metrics.values[m]}>
                    {metricText(r, chosen, m)}
                  </span>,
                ]),
                ['point', <span class="mono">{r.chosen.key}</span>],
              ]}
            />
          </div>
        ) : (
          <p class="muted" data-testid="sweep-chosen">
            none — {r.chosenReason ?? ''}
          </p>
        )}
      </Card>
      <Card>
        <Chart id="sweep-pareto" option={pareto} height={400} />
      </Card>
      {capacity && (
        <Card>
          <Chart id="sweep-capacity" option={capacity} height={340} />
        </Card>
      )}
      <Card title={`Points (${r.points.length}), best first`}>
        <table class="table compact sweep-points" data-testid="sweep-points">
          <thead>
            <tr>
              <th title="▶ chosen, ★ Pareto set" />
              {titles.map((t, i) => (
                <th key={cols.varying[i]} title={cols.varying[i]}>
                  {t}
                </th>
              ))}
              {cols.metrics.map((m) => (
                <th key={m} class="num" title={m}>
                  {m.replace(/([a-z0-9])(?=[A-Z])/g, '$1 ')}
                  <br />
                  <span class="muted">{r.metricUnits[m] ?? ''}</span>
                </th>
              ))}
              <th>feasible</th>
              <th>point</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ point: p, chosen: isChosen, pareto: inPareto }) => (
              <tr
                key={p.key}
                data-key={p.key}
                data-pareto={inPareto ? 'yes' : 'no'}
                class={isChosen ? 'selected' : ''}
                title={pointLabel(r, p, cols.varying)}
              >
                <td>
                  {isChosen ? '▶' : ''}
                  {inPareto ? '★' : ''}
                </td>
                {cols.varying.map((path) => {
                  const a = p.assignments.find((x) => x.path === path);
                  return (
                    <td key={path} class="nowrap">
                      {a ? showValue(a.value) : ''}
                    </td>
                  );
                })}
                {cols.metrics.map((m) => (
                  <td key={m} class="num" data-metric={m} data-value={p.metrics.values[m]}>
                    {p.metrics.values[m] !== undefined ? (
                      metricCell(r, p, m)
                    ) : (
                      <span class="muted" title={p.metrics.absent[m]}>
                        —
                      </span>
                    )}
                  </td>
                ))}
                <td>
                  {p.feasible ? (
                    <Badge kind="ok">yes</Badge>
                  ) : (
                    <Badge kind={p.error ? 'bad' : 'warn'} title={infeasibleReason(p)}>
                      {p.error ? 'failed' : 'no'}
                    </Badge>
                  )}
                  {!p.feasible && <div class="muted small">{infeasibleReason(p)}</div>}
                </td>
                <td class="mono muted" title={p.key}>
                  {p.key.replace(/^[^:]*:/, '').slice(0, 12)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}

export function SweepsView({ id: arg, route }: { id?: string | undefined; route?: Route }) {
  const creating = arg === 'new';
  const id = creating ? undefined : arg;
  // Read again when the view moves (a sweep just started is listed).
  const list = useAsync(() => api.runs('sweep'), [arg]);
  const run = useAsync(() => api.sweep(id!), [id], id !== undefined);
  const cancel = useAction(() => api.cancelRun(id!));
  const [live, setLive] = useState<LiveSweep | undefined>(undefined);
  const [followError, setFollowError] = useState<unknown>(undefined);
  const data = run.data?.id === id ? run.data : undefined;
  const running = data?.kind === 'sweep' && (data.status === 'running' || data.status === 'queued');

  // Follow a running sweep: its progress events, then the result once it ends.
  useEffect(() => {
    setFollowError(undefined);
    if (!id || !running || !data) return;
    let stopped = false;
    setLive({ id, fraction: data.progress, sweep: data.sweepProgress, at: Date.now() });
    const stop = followRun(api, id, {
      onProgress: (fraction, sweep) =>
        !stopped &&
        setLive((l) => ({
          id,
          fraction,
          sweep: sweep ?? (l?.id === id ? l.sweep : undefined),
          at: Date.now(),
        })),
      onEnd: (status) => {
        if (stopped) return;
        setLive((l) => (l?.id === id ? { ...l, ended: status } : l));
        run.reload();
        list.reload();
      },
      onError: (m) => !stopped && setFollowError(new Error(m)),
    });
    return () => {
      stopped = true;
      stop();
    };
  }, [id, running]);

  const r = data?.status === 'done' ? data.result : undefined;
  const shownLive = live && live.id === id && data?.kind === 'sweep' ? live : undefined;
  return (
    <div>
      <PageHeader
        title={r ? r.name : creating ? 'New sweep' : 'Sweeps'}
        subtitle={
          r
            ? `Sweep of ${data?.scenarioName ?? 'its base scenario'}: ${r.counts.points} points, ${r.counts.feasible} feasible.`
            : running
              ? `Sweep of ${data?.scenarioName ?? 'its base scenario'}, running.`
              : creating
                ? 'A sweep spec, checked and run by this server (POST /api/sweeps): its points are simulated by the serving twin and kept as runs.'
                : 'Parameter sweeps kept in this server’s store (aifactory sweep --db, POST /api/sweeps).'
        }
        actions={
          <>
            {!creating && (
              <button
                class="primary"
                onClick={() => navigate(['sweeps', 'new'])}
                data-action="new-sweep"
              >
                New sweep
              </button>
            )}
            <button
              onClick={() => {
                list.reload();
                if (id) run.reload();
              }}
            >
              Refresh
            </button>
          </>
        }
      />
      {creating && <NewSweep example={route?.query.get('example') ?? undefined} />}
      {id && run.loading && !data && <Loading what="Loading the sweep" />}
      <ErrorBox error={run.error} />
      <ErrorBox error={followError} />
      <ErrorBox error={cancel.error} />
      {data && data.kind !== 'sweep' && (
        <div class="error">
          run {id} is a {data.kind} run, not a sweep: <a href={href(['runs', id!])}>open it</a>
        </div>
      )}
      {shownLive && (
        <SweepProgressCard
          live={shownLive}
          status={data!.status}
          onCancel={() => void cancel.run()}
          cancelling={cancel.loading}
        />
      )}
      {data && data.kind === 'sweep' && data.status !== 'done' && !(running && shownLive) && (
        <Card title={<span class="mono">{id}</span>}>
          <Badge kind={STATUS_KIND[data.status]}>{data.status}</Badge>{' '}
          {data.status === 'failed' && (
            <span data-testid="sweep-failed">{JSON.stringify(data.error)}</span>
          )}
          {data.status === 'cancelled' && <span class="muted">the sweep was cancelled</span>}
          {running && <span class="muted">the result shows here when the last point is done</span>}
        </Card>
      )}
      {r && data?.kind === 'sweep' && <SweepDetail key={id} r={r} />}
      <Card title="Stored sweeps">
        {list.loading && !list.data && <Loading />}
        <ErrorBox error={list.error} />
        {list.data && list.data.length === 0 && (
          <p class="muted">
            No sweeps yet. Start one with <b>New sweep</b>, run one with{' '}
            <span class="mono">aifactory sweep spec.yaml --db</span> on this server’s database, or
            send a spec to POST /api/sweeps.
          </p>
        )}
        {list.data && list.data.length > 0 && (
          <table class="table" data-testid="sweeps">
            <thead>
              <tr>
                <th>run</th>
                <th>base scenario</th>
                <th class="num">seed</th>
                <th>status</th>
                <th>created</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((s) => (
                <tr key={s.id} class={s.id === id ? 'selected' : ''} data-sweep={s.id}>
                  <td class="mono">
                    <a href={href(['sweeps', s.id])}>{s.id}</a>
                  </td>
                  <td>{s.scenarioName ?? <span class="mono">{s.scenarioHash}</span>}</td>
                  <td class="num">{s.seed}</td>
                  <td>
                    <Badge kind={STATUS_KIND[s.status]}>
                      {s.status}
                      {s.status === 'running' ? ` ${fmtPercent(s.progress, 0)}` : ''}
                    </Badge>
                  </td>
                  <td class="muted">{fmtTime(s.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
