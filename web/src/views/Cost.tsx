/**
 * Cost and power (POST /api/cost): the TCO waterfall per hour and the cost per 1M tokens of
 * each operating point, with every input's source; and the power waterfall chip → node →
 * facility — from the estimate's power report (a scenario) or the run's mean power (a run).
 */
import { useMemo, useState } from 'preact/hooks';
import { api } from '../api.js';
import {
  costPerTokenOption,
  costWaterfallOption,
  powerLevelsFromEstimate,
  powerLevelsFromRun,
  powerWaterfallOption,
} from '../charts/waterfall.js';
import { Chart } from '../components/Chart.js';
import {
  initialSource,
  resolveSource,
  resolveYaml,
  SourcePicker,
} from '../components/SourcePicker.js';
import { Badge, Card, Collapsible, ErrorBox, Loading, PageHeader } from '../components/ui.js';
import { fmtNum, fmtUsd } from '../format.js';
import { useAction } from '../hooks.js';
import type { Route } from '../router.js';
import type { CostReport, DeploymentCost, EstimateReport, SimResult } from '../types.js';
import type { EChartsOption } from 'echarts';

interface CostData {
  cost: CostReport;
  estimate?: EstimateReport;
  run?: SimResult;
}

interface PowerChart {
  id: string;
  title: string;
  option: EChartsOption;
}

function powerCharts(d: CostData): PowerChart[] {
  if (d.run)
    return d.run.deployments.map((dep, i) => ({
      id: `power-waterfall-${i}`,
      title: dep.name,
      option: powerWaterfallOption(
        powerLevelsFromRun(dep.energy),
        `${dep.name}: run mean over the measurement window, whole deployment`,
      ),
    }));
  const out: PowerChart[] = [];
  d.estimate?.deployments.forEach((dep, i) =>
    dep.classes.forEach((c, j) =>
      out.push({
        id: `power-waterfall-${i}-${j}`,
        title: `${dep.name} / ${c.className}`,
        option: powerWaterfallOption(
          powerLevelsFromEstimate(c.power),
          `${dep.name} / ${c.className}: estimate, per replica of ${dep.plan.gpusPerReplica} GPUs`,
        ),
      }),
    ),
  );
  return out;
}

function DeploymentCostCard({
  d,
  di,
  currencyYear,
}: {
  d: DeploymentCost;
  di: number;
  currencyYear: string;
}) {
  const charts = useMemo(
    () =>
      d.points.map((p) => ({
        tco: costWaterfallOption(p, currencyYear),
        perToken: costPerTokenOption(p, currencyYear),
      })),
    [d, currencyYear],
  );
  return (
    <Card
      title={
        <>
          {d.name}{' '}
          <span class="muted">
            — {d.gpus} × {d.accelerator} in {d.systems} × {d.system}
          </span>
        </>
      }
      actions={
        <>
          <Badge kind="info">{d.ownership}</Badge>
          <Badge>nameplate IT {fmtNum(d.nameplateItKw)} kW</Badge>
        </>
      }
    >
      {d.points.map((p, pi) => (
        <div key={p.name}>
          <div class="stats">
            <div class="stat">
              <span>per hour</span>
              <b>{fmtUsd(p.usdPerHour.value)}</b>
            </div>
            <div class="stat">
              <span>per GPU-hour</span>
              <b>{fmtUsd(p.usdPerGpuHour.value)}</b>
            </div>
            <div class="stat">
              <span>per 1M output tokens</span>
              <b data-testid="usd-per-million-output">
                {fmtUsd(p.costPerToken.usdPerMillion.output.value)}
              </b>
            </div>
            <div class="stat">
              <span>facility power</span>
              <b>{fmtNum(p.facilityPowerWatts / 1000)} kW</b>
            </div>
          </div>
          <p class="muted">
            {p.name}: {p.utilization}. Power: {p.facilityPowerSource}.
          </p>
          <div class="chart-grid">
            <Chart id={`cost-waterfall-${di}-${pi}`} option={charts[pi]!.tco} />
            <Chart id={`cost-per-token-${di}-${pi}`} option={charts[pi]!.perToken} />
          </div>
        </div>
      ))}
      <Collapsible summary={`Inputs and their sources (${d.inputs.length})`}>
        <table class="table compact">
          <thead>
            <tr>
              <th>input</th>
              <th class="num">value</th>
              <th>unit</th>
              <th>source</th>
            </tr>
          </thead>
          <tbody>
            {d.inputs.map((i) => (
              <tr key={i.path}>
                <td class="mono">{i.path}</td>
                <td class="num">
                  {typeof i.value === 'number' ? fmtNum(i.value) : String(i.value)}
                </td>
                <td>{i.unit}</td>
                <td>{i.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Collapsible>
      {d.warnings.length > 0 && (
        <ul class="warnings">
          {d.warnings.map((w, k) => (
            <li key={k}>{w}</li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function CostView({ route }: { route: Route }) {
  const [source, setSource] = useState(() => initialSource(route.query));
  const compute = useAction(async (): Promise<CostData> => {
    const ref = await resolveSource(source);
    if ('runId' in ref) {
      const [cost, run] = await Promise.all([api.cost({ runId: ref.runId }), api.run(ref.runId)]);
      return { cost, ...(run.result ? { run: run.result } : {}) };
    }
    const yaml = await resolveYaml(source);
    const [cost, estimate] = await Promise.all([api.cost({ yaml }), api.estimate({ yaml })]);
    return { cost, estimate };
  });
  const power = useMemo(() => (compute.data ? powerCharts(compute.data) : []), [compute.data]);
  const c = compute.data?.cost;
  return (
    <div>
      <PageHeader
        title="Cost and power"
        subtitle="TCO per hour and per token from a scenario's estimate or a run's goodput and drawn power; power from chip to facility."
      />
      <Card title="Inputs">
        <div class="row">
          <SourcePicker
            value={source}
            onChange={setSource}
            runs
            label="Scenario or run"
            testid="cost-source"
          />
          <button
            class="primary"
            disabled={compute.loading}
            onClick={() => void compute.run()}
            data-action="cost"
          >
            Price it
          </button>
        </div>
      </Card>
      {compute.loading && <Loading what="Pricing" />}
      <ErrorBox error={compute.error} />
      {c && (
        <>
          <p class="muted">
            {c.scenario.name} — from the {c.from}, {c.currencyYear}, catalog {c.catalogVersion}
          </p>
          {c.deployments.map((d, di) => (
            <DeploymentCostCard key={d.name} d={d} di={di} currencyYear={c.currencyYear} />
          ))}
          <div class="chart-grid">
            {power.map((p) => (
              <Card key={p.id} title={`Power — ${p.title}`}>
                <Chart id={p.id} option={p.option} />
              </Card>
            ))}
          </div>
          <Collapsible
            summary={`Defaults applied (${c.defaultsApplied.length}) and assumptions (${c.assumptions.length})`}
          >
            <ul>
              {c.defaultsApplied.map((x, k) => (
                <li key={k}>
                  <span class="mono">{x.path}</span> = {JSON.stringify(x.value)} — {x.source}
                </li>
              ))}
              {c.assumptions.map((a, k) => (
                <li key={`a${k}`}>{a}</li>
              ))}
            </ul>
          </Collapsible>
        </>
      )}
    </div>
  );
}
