/**
 * The factory scorecard of a serving-twin run, as text: per deployment the core metrics with
 * their basis, latency percentiles per class, SLO attainment, power and availability.
 */
import type { SimDeploymentResult, SimResult } from '../app/simulate.js';
import type { LatencySummary } from '../sim/metrics/index.js';
import { formatNumber, formatSlo, formatValue, shortBasis, table } from './format.js';

const ms = (s: number | null): string => (s === null ? '—' : formatValue(s, 's'));

const latencyRow = (name: string, l: LatencySummary): string[] => [
  name,
  ms(l.p50Seconds),
  ms(l.p90Seconds),
  ms(l.p99Seconds),
  ms(l.p999Seconds),
  ms(l.meanSeconds),
  String(l.count),
];

function deploymentText(d: SimDeploymentResult): string[] {
  const lines = [
    `${d.name}: ${d.model} ${d.precision} on ${d.plan.replicas} × ${d.plan.gpusPerReplica} ${d.accelerator} (tp${d.plan.tp} pp${d.plan.pp} ep${d.plan.ep} dp${d.plan.attnDp}), ${d.engine}, router ${d.router}`,
    ...(d.decode
      ? [
          `  disaggregated: the ${d.plan.replicas} replicas above prefill; ${d.decode.plan.replicas} × ${d.decode.plan.gpusPerReplica} decode (tp${d.decode.plan.tp} pp${d.decode.plan.pp} ep${d.decode.plan.ep} dp${d.decode.plan.attnDp}), KV ${formatNumber(d.decode.kvBlocksPerReplica)} blocks each; KV transfer over ${d.decode.kvTransfer.link} at ${formatNumber(d.decode.kvTransfer.bytesPerSecondPerGpu / 1e9)} GB/s per GPU + ${formatNumber(d.decode.kvTransfer.latencySeconds * 1e3)} ms; ${formatNumber(d.counters.numKvTransfers)} transfers`,
        ]
      : []),
    `  calibration ${d.calibration.key}; KV ${formatNumber(d.kvBlocksPerReplica)} blocks per replica`,
    '',
    '  scorecard',
    ...table(
      [
        ['metric', 'value', 'basis'],
        ...d.scorecard.map((m) => [
          m.basis.powerKind ? `${m.name} (${m.basis.boundary})` : m.name,
          formatValue(m.value, m.unit),
          shortBasis(m),
        ]),
      ],
      '  ',
    ),
    '',
  ];
  for (const c of d.metrics.classes) {
    lines.push(
      `  class ${c.name}: SLO ${formatSlo(Object.keys(c.slo.targets).length ? c.slo.targets : 'none')}; attainment ${c.sloAttainment === null ? '—' : formatValue(c.sloAttainment, 'fraction')}; goodput ${formatNumber(c.goodputRequestsPerSecond)} req/s, ${formatNumber(c.tokenGoodputTokensPerSecond)} tok/s; ${c.numCompleted} done, ${c.numDropped} dropped, ${c.numRetries} retried, ${c.numPreemptions} preemptions`,
      ...table(
        [
          ['latency', 'p50', 'p90', 'p99', 'p99.9', 'mean', 'n'],
          latencyRow('TTFT', c.ttft),
          latencyRow('TPOT', c.tpot),
          latencyRow('ITL', c.itl),
          latencyRow('E2E', c.e2e),
          latencyRow('queueing', c.queueing),
        ],
        '    ',
      ),
    );
  }
  const e = d.energy;
  lines.push(
    '',
    `  power drawn (mean over the window): chip ${formatNumber(e.meanPowerWatts.chip)} W, node ${formatNumber(e.meanPowerWatts.node)} W, facility ${formatNumber(e.meanPowerWatts.facility)} W (PUE ${e.pue})`,
    `  utilization: busy ${formatValue(d.utilization.busyShare, 'fraction')}, MFU ${formatValue(d.utilization.mfu, 'fraction')}, MBU ${formatValue(d.utilization.mbu, 'fraction')}, KV occupancy mean ${formatValue(d.utilization.kvOccupancyMean, 'fraction')}`,
    `  prefix cache hit rate ${d.kvCache.hitRate === null ? '—' : formatValue(d.kvCache.hitRate, 'fraction')} (${formatNumber(d.kvCache.hitTokens)} of ${formatNumber(d.kvCache.lookupTokens)} prompt tokens); offload hits ${formatNumber(d.kvCache.offloadHitTokens)} tokens`,
    `  availability: capacity ${formatValue(d.availability.capacityAvailability, 'fraction')} (≥ ${d.availability.minReplicasUp} of ${d.availability.numReplicas} up), with SLOs ${d.availability.serviceAvailabilityBySlo === null ? '—' : formatValue(d.availability.serviceAvailabilityBySlo, 'fraction')}; ${d.availability.numFailures} failures, ${d.availability.numRepairs} repairs`,
    ...(d.autoscaling
      ? [
          `  autoscaling (${d.autoscaling.minReplicas}…${d.autoscaling.maxReplicas} replicas): ${d.autoscaling.scaleOuts} scale-outs, ${d.autoscaling.scaleIns} scale-ins; ${formatNumber(d.autoscaling.meanProvisionedReplicas)} replicas provisioned on average over the window`,
        ]
      : []),
    `  twin: ${formatNumber(d.counters.numIterations)} iterations (${formatNumber(d.counters.numJumpedIterations)} in decode jumps), ${formatNumber(d.counters.numEvents)} events`,
  );
  for (const w of d.warnings) lines.push(`  warning: ${w}`);
  return lines;
}

export function renderRun(r: SimResult, outFile?: string): string {
  const lines = [
    `${r.scenario.name} — serving twin, seed ${r.scenario.seed}, ${formatNumber(r.simulation.durationSeconds)} s simulated (first ${formatNumber(r.simulation.warmupSeconds)} s warm-up excluded)`,
    `scenario hash ${r.scenario.hash}; catalog ${r.catalogVersion}; aifactory ${r.toolVersion}`,
    '',
  ];
  for (const d of r.deployments) lines.push(...deploymentText(d), '');
  lines.push('assumptions:', ...r.assumptions.map((a) => `  - ${a}`));
  if (r.defaultsApplied.length)
    lines.push(`defaults applied: ${r.defaultsApplied.length} (see the JSON result)`);
  if (outFile) lines.push(`result written to ${outFile}`);
  return `${lines.join('\n')}\n`;
}
