/**
 * Capacity timeline (POST /api/plans): announced vs procurable facility MW per quarter (never
 * summed) with the Monte Carlo band, what the procurable power serves against demand, when
 * each site is procurable, and what binds the placement.
 */
import { useMemo } from 'preact/hooks';
import { api } from '../api.js';
import { capacityOption, servedOption } from '../charts/capacity.js';
import { Chart } from '../components/Chart.js';
import { FileInput } from '../components/FileInput.js';
import { Card, Collapsible, ErrorBox, Loading, PageHeader } from '../components/ui.js';
import { fmtNum, fmtUsd } from '../format.js';
import { useAction } from '../hooks.js';
import type { Route } from '../router.js';
import type { PlanReport } from '../types.js';

function PlanResult({ plan }: { plan: PlanReport }) {
  const options = useMemo(
    () => ({ capacity: capacityOption(plan), served: servedOption(plan) }),
    [plan],
  );
  const mcSites = plan.monteCarlo?.sites ?? [];
  return (
    <div data-testid="plan-result">
      <p class="muted">
        {plan.name} — seed {plan.seed}, {plan.currencyYear}; procurable requires{' '}
        {plan.requiredGates.join(', ')}
      </p>
      <Card>
        <Chart id="capacity-timeline" option={options.capacity} height={360} />
      </Card>
      <Card>
        <Chart id="capacity-served" option={options.served} />
      </Card>
      <div class="grid-2">
        <Card title="Sites">
          <table class="table">
            <thead>
              <tr>
                <th>site</th>
                <th class="num">envelope</th>
                <th class="num">usable IT</th>
                <th class="num">PUE</th>
                <th>planned</th>
                <th>P10 / P50 / P90</th>
              </tr>
            </thead>
            <tbody>
              {plan.sites.map((s) => {
                const mc = mcSites.find((m) => m.siteId === s.id);
                return (
                  <tr key={s.id}>
                    <td>
                      {s.id} <span class="muted">({s.jurisdiction})</span>
                    </td>
                    <td class="num">{fmtNum(s.envelopeMw)} MW</td>
                    <td class="num">{fmtNum(s.usableItMwAtFullEnvelope)} MW</td>
                    <td class="num">{fmtNum(s.designDayPue)}</td>
                    <td>{mc?.plannedProcurableFrom ?? '—'}</td>
                    <td>
                      {mc?.procurableFrom
                        ? `${mc.procurableFrom.p10 ?? '—'} / ${mc.procurableFrom.p50 ?? '—'} / ${mc.procurableFrom.p90 ?? '—'}`
                        : mc
                          ? 'not procurable in the samples'
                          : '—'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Card>
        <Card title="Capacity per system at the workload's SLO">
          <table class="table">
            <thead>
              <tr>
                <th>system</th>
                <th>workload</th>
                <th class="num">tok/s per system</th>
                <th class="num">per GPU</th>
              </tr>
            </thead>
            <tbody>
              {plan.capacity.map((c) => (
                <tr key={`${c.systemId}/${c.workload}`} title={c.note ?? c.basis.source}>
                  <td>{c.systemId}</td>
                  <td>{c.workload}</td>
                  <td class="num">{fmtNum(c.tokensPerSecondPerSystem)}</td>
                  <td class="num">{fmtNum(c.tokensPerSecondPerSystem / c.gpusPerSystem)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </div>
      <Card title="Placement">
        <p>
          {plan.placement.objective}, {plan.placement.solver}: capex{' '}
          {fmtUsd(plan.placement.cost.capexUsd)}, opex {fmtUsd(plan.placement.cost.opexUsd)}, total{' '}
          {fmtUsd(plan.placement.cost.totalUsd)}.
        </p>
        {plan.placement.messages.length > 0 && (
          <ul class="warnings">
            {plan.placement.messages.map((m, k) => (
              <li key={k}>{m}</li>
            ))}
          </ul>
        )}
        {plan.placement.binding.length > 0 ? (
          <table class="table compact" style={{ marginTop: '8px' }}>
            <thead>
              <tr>
                <th>binding</th>
                <th>constraint</th>
                <th>where</th>
                <th>quarter</th>
                <th class="num">shadow price</th>
              </tr>
            </thead>
            <tbody>
              {plan.placement.binding.slice(0, 30).map((b, k) => (
                <tr key={k}>
                  <td>{b.kind}</td>
                  <td class="mono">{b.constraint}</td>
                  <td>{[b.siteId, b.systemTypeId, b.demandId].filter(Boolean).join(' / ')}</td>
                  <td>{b.periodLabel ?? '—'}</td>
                  <td class="num">
                    {fmtNum(b.shadowPrice)} {b.unit}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">
            No binding constraint: every demand is served within power, space and lead times.
          </p>
        )}
      </Card>
      <Collapsible summary={`Assumptions (${plan.assumptions.length})`}>
        <ul>
          {plan.assumptions.map((a, k) => (
            <li key={k}>{a}</li>
          ))}
        </ul>
      </Collapsible>
    </div>
  );
}

export function CapacityView({ route }: { route: Route }) {
  const plan = useAction((yaml: string) => api.plan(yaml));
  return (
    <div>
      <PageHeader
        title="Capacity timeline"
        subtitle="What a power envelope serves, and when it is procurable: announced and procurable megawatts side by side."
      />
      <FileInput
        kind="plan"
        initialExample={route.query.get('example')}
        busy={plan.loading}
        action="plan"
        onSubmit={(y) => void plan.run(y)}
        testid="plan-example"
      />
      {plan.loading && <Loading what="Planning (placement MILP and Monte Carlo)" />}
      <ErrorBox error={plan.error} />
      {plan.data && <PlanResult plan={plan.data} />}
    </div>
  );
}
