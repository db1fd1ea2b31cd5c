/**
 * Build vs rent (POST /api/build-vs-rent): the cheapest mix of owned, reserved and hourly
 * capacity for a demand curve — NPV against the owned fraction, the load-duration split by
 * source, the strategies ranked, and the break-even utilization.
 */
import { useMemo } from 'preact/hooks';
import { api } from '../api.js';
import { costVsOwnedOption, loadDurationOption, rankingOption } from '../charts/buildVsRent.js';
import { Chart } from '../components/Chart.js';
import { FileInput } from '../components/FileInput.js';
import { Card, Collapsible, ErrorBox, Loading, MetricValue, PageHeader } from '../components/ui.js';
import { fmtNum, fmtPercent, fmtUsd } from '../format.js';
import { useAction } from '../hooks.js';
import type { Route } from '../router.js';
import type { BuildVsRentResult } from '../types.js';

function Result({ result }: { result: BuildVsRentResult }) {
  const r = result.report;
  const options = useMemo(
    () => ({ owned: costVsOwnedOption(r), load: loadDurationOption(r), ranking: rankingOption(r) }),
    [r],
  );
  return (
    <div data-testid="bvr-result">
      <p class="muted">
        {r.name} — {r.currencyYear}, {r.horizon.years} years in {r.horizon.periodMonths}-month
        periods
      </p>
      <div class="stats">
        <div class="stat">
          <span>optimum NPV</span>
          <b>{fmtUsd(r.optimum.npv.value)}</b>
        </div>
        <div class="stat">
          <span>owned, share of peak</span>
          <b>{fmtPercent(r.optimum.mix.ownedFractionOfPeak, 0)}</b>
        </div>
        <div class="stat">
          <span>peak / mean demand</span>
          <b>
            {fmtNum(r.demand.peakReplicas)} / {fmtNum(r.demand.meanReplicas)}
          </b>
        </div>
        {r.breakEven && (
          <div class="stat" title={r.breakEven.formula}>
            <span>break-even utilization</span>
            <b>
              <MetricValue m={r.breakEven.utilization} />
            </b>
          </div>
        )}
      </div>
      <div class="chart-grid">
        <Card>
          <Chart id="bvr-cost-vs-owned" option={options.owned} />
        </Card>
        <Card>
          <Chart id="bvr-ranking" option={options.ranking} />
        </Card>
      </div>
      <Card>
        <Chart id="bvr-load-duration" option={options.load} height={360} />
      </Card>
      <div class="grid-2">
        <Card title="Share of demand served by source">
          <table class="table">
            <tbody>
              {Object.entries(r.optimum.mix.servedShareBySource).map(([k, v]) => (
                <tr key={k}>
                  <td>{k}</td>
                  <td class="num">{fmtPercent(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card title="Optimiser">
          <p>
            {r.lp.solver}: {r.lp.variables} variables ({r.lp.integerVariables} integer),{' '}
            {r.lp.constraints} constraints, objective {fmtUsd(r.lp.objectiveUsd)}.
          </p>
          <p class="muted">{r.optimum.description}</p>
        </Card>
      </div>
      <Collapsible
        summary={`Defaults applied (${result.defaultsApplied.length}) and assumptions (${r.assumptions.length})`}
      >
        <ul>
          {result.defaultsApplied.map((d, k) => (
            <li key={k}>
              <span class="mono">{d.field}</span> = {String(d.value)} — {d.source}
            </li>
          ))}
          {r.assumptions.map((a, k) => (
            <li key={`a${k}`}>{a}</li>
          ))}
        </ul>
      </Collapsible>
    </div>
  );
}

export function BuildVsRentView({ route }: { route: Route }) {
  const bvr = useAction((yaml: string) => api.buildVsRent(yaml));
  return (
    <div>
      <PageHeader
        title="Build vs rent"
        subtitle="The cheapest mix of owned, reserved, on-demand, spot and API capacity for a demand curve (MILP)."
      />
      <FileInput
        kind="build-vs-rent"
        initialExample={route.query.get('example')}
        busy={bvr.loading}
        action="build-vs-rent"
        onSubmit={(y) => void bvr.run(y)}
        testid="bvr-example"
      />
      {bvr.loading && <Loading what="Optimising" />}
      <ErrorBox error={bvr.error} />
      {bvr.data && <Result result={bvr.data} />}
    </div>
  );
}
