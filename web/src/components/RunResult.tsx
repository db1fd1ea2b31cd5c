/**
 * A finished run (SimResult): per deployment the scorecard with each metric's basis, the
 * latency percentiles per class and the time series (load, KV occupancy, power, replicas).
 * Shared by the dashboard's run view and the self-contained HTML report.
 */
import { useMemo } from 'preact/hooks';
import {
  kvChartOption,
  loadChartOption,
  powerChartOption,
  replicasChartOption,
} from '../charts/timeseries.js';
import { powerLevelsFromRun, powerWaterfallOption } from '../charts/waterfall.js';
import { fmtNum, fmtPercent, fmtSeconds, fmtWatts } from '../format.js';
import {
  LATENCY_LABEL,
  PERCENTILES,
  latencyRows,
  splitBasis,
  type BasisKey,
} from '../scorecard.js';
import type { Basis, SimDeploymentResult, SimResult } from '../types.js';
import { Chart } from './Chart.js';
import { Badge, basisEntries, Card, Collapsible, KeyValues, MetricValue } from './ui.js';

const BASIS_LABEL: Record<BasisKey, string> = {
  model: 'model',
  precision: 'precision',
  workload: 'workload',
  slo: 'SLO',
  utilization: 'utilization',
  boundary: 'boundary',
  powerKind: 'power',
  currencyYear: 'currency',
  provenance: 'provenance',
  energyPriceUsdPerKwh: 'energy price',
  source: 'source',
};

function basisValue(b: Basis, k: BasisKey): string {
  const label = BASIS_LABEL[k];
  return basisEntries(b).find(([l]) => l === label)?.[1] ?? '—';
}

export function Scorecard({ d, index }: { d: SimDeploymentResult; index: number }) {
  const { common, varying } = useMemo(() => splitBasis(d.scorecard), [d]);
  const first = d.scorecard[0];
  return (
    <div class="scorecard" data-testid={`scorecard-${index}`}>
      {first && common.length > 0 && (
        <p class="common-basis">
          <span class="muted">Basis of every figure: </span>
          {common.map((k) => (
            <span class="basis-chip" key={k} title={BASIS_LABEL[k]}>
              <b>{BASIS_LABEL[k]}</b> {basisValue(first.basis, k)}
            </span>
          ))}
        </p>
      )}
      <table class="table">
        <thead>
          <tr>
            <th>metric</th>
            <th class="num">value</th>
            {varying.map((k) => (
              <th key={k}>{BASIS_LABEL[k]}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {d.scorecard.map((m, i) => (
            <tr key={i} data-metric={m.name}>
              <td>{m.name}</td>
              <td class="num">
                <MetricValue m={m} />
              </td>
              {varying.map((k) => (
                <td key={k} class="basis-cell">
                  {basisValue(m.basis, k)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function LatencyTable({ d, index }: { d: SimDeploymentResult; index: number }) {
  const rows = useMemo(() => latencyRows(d), [d]);
  return (
    <table class="table latency" data-testid={`latency-${index}`}>
      <thead>
        <tr>
          <th>class</th>
          <th>latency</th>
          <th class="num">n</th>
          {PERCENTILES.map(([, l]) => (
            <th class="num" key={l}>
              {l}
            </th>
          ))}
          <th>SLO (p99)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i} class={r.kind === 'ttft' ? 'group-start' : ''}>
            <td>{r.kind === 'ttft' ? r.className : ''}</td>
            <td>{LATENCY_LABEL[r.kind]}</td>
            <td class="num">{fmtNum(r.summary.count)}</td>
            {PERCENTILES.map(([k, l]) => (
              <td class="num" key={l} data-value={String(r.summary[k])}>
                {fmtSeconds(r.summary[k])}
              </td>
            ))}
            <td>
              {r.target ? (
                <Badge kind={r.target.met === null ? 'muted' : r.target.met ? 'ok' : 'bad'}>
                  ≤ {fmtSeconds(r.target.seconds)}{' '}
                  {r.target.met === null ? '—' : r.target.met ? 'met' : 'missed'}
                </Badge>
              ) : (
                <span class="muted">—</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DeploymentResult({ d, i, warmup }: { d: SimDeploymentResult; i: number; warmup: number }) {
  const options = useMemo(
    () => ({
      load: loadChartOption(d.timeSeries, warmup),
      kv: kvChartOption(d.timeSeries, warmup, d.utilization),
      power: powerChartOption(d.timeSeries, warmup, d.energy),
      replicas: replicasChartOption(d.timeSeries, warmup),
      powerWaterfall: powerWaterfallOption(
        powerLevelsFromRun(d.energy),
        `mean over the ${fmtSeconds(d.energy.windowSeconds)} window, whole deployment`,
      ),
    }),
    [d, warmup],
  );
  const plan = d.plan;
  return (
    <div class="deployment" data-deployment={d.name}>
      <Card
        title={
          <>
            {d.name}{' '}
            <span class="muted">
              — {d.model} {d.precision} on {d.system}
            </span>
          </>
        }
        actions={<Badge kind="info">{d.engine}</Badge>}
      >
        <KeyValues
          items={[
            [
              'plan',
              `tp${plan.tp} pp${plan.pp} ep${plan.ep} dp${plan.attnDp} × ${plan.replicas} replicas = ${plan.gpus} GPUs`,
            ],
            ['router', d.router],
            ['calibration', `${d.calibration.key} (${d.calibration.source})`],
            ['classes', d.classes.join(', ')],
            [
              'mean power',
              `${fmtWatts(d.energy.meanPowerWatts.chip)} chip · ${fmtWatts(d.energy.meanPowerWatts.node)} node · ${fmtWatts(d.energy.meanPowerWatts.facility)} facility (PUE ${fmtNum(d.energy.pue)})`,
            ],
            [
              'KV cache',
              `hit rate ${fmtPercent(d.kvCache.hitRate)}, mean occupancy ${fmtPercent(d.utilization.kvOccupancyMean)} (max ${fmtPercent(d.utilization.kvOccupancyMax)})`,
            ],
            [
              'availability',
              `capacity ${fmtPercent(d.availability.capacityAvailability, 2)}, failures ${d.availability.numFailures}`,
            ],
          ]}
        />
        {d.warnings.length > 0 && (
          <ul class="warnings">
            {d.warnings.map((w, k) => (
              <li key={k}>{w}</li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Scorecard" testid="scorecard-card">
        <Scorecard d={d} index={i} />
      </Card>
      <Card title="Latency percentiles">
        <LatencyTable d={d} index={i} />
      </Card>
      <div class="chart-grid">
        <Card>
          <Chart id={`ts-load-${i}`} option={options.load} />
        </Card>
        <Card>
          <Chart id={`ts-kv-${i}`} option={options.kv} />
        </Card>
        <Card>
          <Chart id={`ts-power-${i}`} option={options.power} />
        </Card>
        <Card>
          <Chart id={`power-waterfall-${i}`} option={options.powerWaterfall} />
        </Card>
        {options.replicas && (
          <Card>
            <Chart id={`ts-replicas-${i}`} option={options.replicas} />
          </Card>
        )}
      </div>
    </div>
  );
}

export function RunResult({ result }: { result: SimResult }) {
  return (
    <div class="run-result" data-testid="run-result">
      <Card title="Run" class="run-meta">
        <KeyValues
          items={[
            ['scenario', result.scenario.name],
            ['hash', <span class="mono">{result.scenario.hash}</span>],
            ['seed', String(result.scenario.seed)],
            [
              'simulated',
              `${fmtSeconds(result.simulation.durationSeconds)} (warm-up ${fmtSeconds(result.simulation.warmupSeconds)} excluded)`,
            ],
            [
              'versions',
              `${result.toolVersion} · catalog ${result.catalogVersion} · rng ${result.rng.algorithm}`,
            ],
            ['method', result.method],
          ]}
        />
      </Card>
      {result.deployments.map((d, i) => (
        <DeploymentResult key={d.name} d={d} i={i} warmup={result.simulation.warmupSeconds} />
      ))}
      <Collapsible
        summary={`Defaults applied (${result.defaultsApplied.length}) and assumptions (${result.assumptions.length})`}
      >
        <table class="table compact">
          <thead>
            <tr>
              <th>field</th>
              <th>value</th>
              <th>source</th>
            </tr>
          </thead>
          <tbody>
            {result.defaultsApplied.map((x, k) => (
              <tr key={k}>
                <td class="mono">{x.path}</td>
                <td class="mono">
                  {typeof x.value === 'string' ? x.value : JSON.stringify(x.value)}
                </td>
                <td>{x.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <ul>
          {result.assumptions.map((a, k) => (
            <li key={k}>{a}</li>
          ))}
        </ul>
      </Collapsible>
    </div>
  );
}
