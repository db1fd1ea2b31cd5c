/**
 * An estimate report (POST /api/estimates): per deployment the plan and memory fit, per class
 * the headline figures with their basis, the throughput–interactivity frontier and the power
 * waterfall chip → node → facility from the power report.
 */
import { useMemo } from 'preact/hooks';
import { estimateFrontierOption } from '../charts/frontier.js';
import { powerLevelsFromEstimate, powerWaterfallOption } from '../charts/waterfall.js';
import { fmtNum } from '../format.js';
import type { ClassEstimate, DeploymentEstimate, EstimateReport, Metric } from '../types.js';
import { Chart } from './Chart.js';
import { Badge, Card, Collapsible, KeyValues, MetricValue } from './ui.js';

function headline(c: ClassEstimate): Metric[] {
  const p = c.power;
  return [
    c.throughput.outputTokensPerSecondPerGpu,
    c.throughput.outputTokensPerSecondDeployment,
    c.latency.ttftSeconds,
    c.latency.tpotSeconds,
    c.utilization.mfu,
    c.utilization.mbu,
    p.tokensPerJouleChip,
    p.tokensPerJouleNode,
    ...(p.tokensPerJouleFacility ? [p.tokensPerJouleFacility] : []),
    ...(p.tokensPerSecondPerMwDrawn ? [p.tokensPerSecondPerMwDrawn] : []),
    ...(p.tokensPerSecondPerMwProvisioned ? [p.tokensPerSecondPerMwProvisioned] : []),
  ].filter((m): m is Metric => !!m);
}

function ClassPanel({
  d,
  c,
  di,
  ci,
}: {
  d: DeploymentEstimate;
  c: ClassEstimate;
  di: number;
  ci: number;
}) {
  const frontier = useMemo(() => {
    const perUser = c.frontier.find(
      (f) => f.concurrencyPerReplica === c.concurrencyPerReplica.value,
    )?.outputTokensPerSecondPerUser.value;
    const tpot = c.latency.tpotSeconds.value;
    return estimateFrontierOption(c, {
      perUser: perUser ?? (tpot > 0 ? 1 / tpot : 0),
      perGpu: c.throughput.outputTokensPerSecondPerGpu.value,
    });
  }, [c]);
  const power = useMemo(
    () =>
      powerWaterfallOption(
        powerLevelsFromEstimate(c.power),
        `per replica (${d.plan.gpusPerReplica} GPUs), drawn at the operating point${c.power.pue ? `; PUE ${fmtNum(c.power.pue.value)} from ${c.power.pue.source}` : '; no PUE stated: stops at the node'}`,
      ),
    [c, d],
  );
  return (
    <Card
      title={
        <>
          class {c.className} <span class="muted">({c.kind})</span>
        </>
      }
      actions={
        <>
          {c.capacityExceeded && <Badge kind="bad">capacity exceeded</Badge>}
          <Badge kind={c.slo.allMet ? 'ok' : 'bad'} title={c.slo.note}>
            SLO {c.slo.allMet ? 'met (means)' : 'missed'}
          </Badge>
          <Badge>limited by {c.limitedBy}</Badge>
        </>
      }
    >
      <table class="table" data-testid={`estimate-metrics-${di}-${ci}`}>
        <thead>
          <tr>
            <th>figure</th>
            <th class="num">value</th>
            <th>boundary</th>
            <th>utilization</th>
            <th>provenance</th>
          </tr>
        </thead>
        <tbody>
          {headline(c).map((m) => (
            <tr key={m.name} data-metric={m.name}>
              <td>{m.name}</td>
              <td class="num">
                <MetricValue m={m} />
              </td>
              <td class="basis-cell">
                {m.basis.boundary}
                {m.basis.powerKind ? ` (${m.basis.powerKind})` : ''}
              </td>
              <td class="basis-cell">{m.basis.utilization}</td>
              <td class="basis-cell">{m.basis.provenance}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="chart-grid" style={{ marginTop: '12px' }}>
        <Chart id={`estimate-frontier-${di}-${ci}`} option={frontier} />
        <Chart id={`power-waterfall-estimate-${di}-${ci}`} option={power} />
      </div>
      {c.power.notes.length > 0 && (
        <Collapsible summary="Power model notes">
          <ul>
            {c.power.notes.map((n, k) => (
              <li key={k}>{n}</li>
            ))}
          </ul>
        </Collapsible>
      )}
    </Card>
  );
}

export function EstimatePanel({ report }: { report: EstimateReport }) {
  return (
    <div data-testid="estimate">
      {report.deployments.map((d, di) => (
        <div key={d.name}>
          <Card
            title={
              <>
                Estimate: {d.name}{' '}
                <span class="muted">
                  — {d.model} {d.precision} on {d.system}
                </span>
              </>
            }
            actions={
              <Badge kind={d.memory.fits ? 'ok' : 'bad'}>
                {d.memory.fits ? 'fits in memory' : 'does not fit'}
              </Badge>
            }
          >
            <KeyValues
              items={[
                [
                  'plan',
                  `tp${d.plan.tp} pp${d.plan.pp} ep${d.plan.ep} dp${d.plan.attnDp} (${d.plan.chosenBy}) × ${d.plan.replicas} replicas = ${d.plan.gpus} GPUs on ${d.plan.systems} × ${d.system}`,
                ],
                ['engine', `${d.engine.name} — ${d.engineBehaviour.basis}`],
                ['calibration', `${d.calibration.key} (${d.calibration.source})`],
                ['method', report.method],
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
          {d.classes.map((c, ci) => (
            <ClassPanel key={c.className} d={d} c={c} di={di} ci={ci} />
          ))}
        </div>
      ))}
    </div>
  );
}
