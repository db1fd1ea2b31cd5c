/**
 * The human form of an `EstimateReport`: compact sections with units, each figure followed by
 * its key basis. `--json` prints the report itself.
 */
import type { ClassEstimate, DeploymentEstimate, EstimateReport } from '../app/estimate.js';
import { formatNumber, formatSlo, formatValue, metricRows, shortBasis, table } from './format.js';

const showValue = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function classSection(c: ClassEstimate): string[] {
  const lines: string[] = [];
  const r = c.request;
  lines.push(
    `  Class ${c.className} (${c.kind}; SLO ${formatSlo(c.latency.ttftSeconds.basis.slo)})`,
    `    request: mean prompt ${formatNumber(r.meanInputTokens.value)} tokens (${formatNumber(r.meanCachedInputTokens.value)} cached), mean output ${formatNumber(r.meanOutputTokens.value)} tokens`,
    ...r.derivation.map((d) => `      · ${d}`),
    `    concurrency: ${c.concurrencyDerivation}`,
  );
  if (c.capacityExceeded)
    lines.push(
      '    !! offered rate EXCEEDS capacity: figures are at capacity, the queue grows without bound',
    );
  lines.push('    Throughput');
  lines.push(
    ...metricRows([
      ['output tok/s per replica', c.throughput.outputTokensPerSecondPerReplica],
      ['output tok/s per GPU', c.throughput.outputTokensPerSecondPerGpu],
      ['input tok/s per replica', c.throughput.inputTokensPerSecondPerReplica],
      ['input tok/s per GPU', c.throughput.inputTokensPerSecondPerGpu],
      ['requests/s per replica', c.throughput.requestsPerSecondPerReplica],
      ['output tok/s, deployment', c.throughput.outputTokensPerSecondDeployment],
      ['requests in system/replica', c.concurrencyPerReplica],
      ['running seqs/replica', c.runningSeqsPerReplica],
      ['offered req/s per replica', c.offeredRequestsPerSecondPerReplica],
      ['capacity req/s per replica', c.capacityRequestsPerSecondPerReplica],
    ]),
  );
  lines.push('    Latency (steady-state means)');
  lines.push(
    ...metricRows([
      ['TTFT', c.latency.ttftSeconds],
      ['TPOT', c.latency.tpotSeconds],
      ['E2E', c.latency.e2eSeconds],
    ]),
  );
  if (c.slo.checks.length) {
    lines.push('    SLO (mean vs p99 target — optimistic; goodput needs the serving twin)');
    lines.push(
      ...table(
        c.slo.checks.map((k) => [
          k.target,
          formatValue(k.estimateSeconds, 's'),
          `target ${formatValue(k.targetSeconds, 's')}`,
          k.met ? 'met' : 'MISSED',
        ]),
        '      ',
      ),
    );
  }
  lines.push(`    Utilization (limited by: ${c.limitedBy})`);
  lines.push(
    ...metricRows([
      ['MFU', c.utilization.mfu],
      ['MBU', c.utilization.mbu],
      ['KV-cache occupancy', c.utilization.kvOccupancy],
      ['busy', c.utilization.busy],
    ]),
  );
  const p = c.power;
  lines.push(
    `    Power and energy${p.pue ? ` (PUE ${formatNumber(p.pue.value)} from ${p.pue.source})` : ''}`,
  );
  lines.push(
    ...metricRows([
      ['chip W per replica', p.chipWattsPerReplica],
      ['node W per replica', p.nodeWattsPerReplica],
      ['facility W per replica', p.facilityWattsPerReplica],
      ['tokens/J at chip', p.tokensPerJouleChip],
      ['tokens/J at node', p.tokensPerJouleNode],
      ['tokens/J at facility', p.tokensPerJouleFacility],
      ['tok/s per MW drawn', p.tokensPerSecondPerMwDrawn],
      ['tok/s per MW provisioned', p.tokensPerSecondPerMwProvisioned],
    ]),
  );
  lines.push(...p.notes.map((n) => `      · ${n}`));
  if (c.frontier.length) {
    const first = c.frontier[0]!;
    const basis = shortBasis(first.outputTokensPerSecondPerGpu).replace(/, conc [^;]*/, '');
    lines.push(`    Throughput–interactivity frontier (${basis})`);
    lines.push(
      ...table(
        [
          ['conc/replica', 'tok/s per GPU', 'tok/s per user', 'TTFT', 'TPOT', 'limited by'],
          ...c.frontier.map((f) => [
            formatNumber(f.concurrencyPerReplica),
            formatNumber(f.outputTokensPerSecondPerGpu.value),
            formatNumber(f.outputTokensPerSecondPerUser.value),
            formatValue(f.ttftSeconds.value, 's'),
            formatValue(f.tpotSeconds.value, 's'),
            f.limitedBy,
          ]),
        ],
        '      ',
      ),
    );
  }
  return lines;
}

function deploymentSection(d: DeploymentEstimate): string[] {
  const lines: string[] = [];
  const p = d.plan;
  lines.push(
    `Deployment ${d.name} — ${d.model} ${d.precision} on ${d.system} (${d.accelerator}), engine ${d.engine.name}`,
    `  plan         tp${p.tp} pp${p.pp} ep${p.ep} dp${p.attnDp} (${p.chosenBy === 'planner' ? 'chosen by the planner' : 'stated'}) × ${p.replicas} replicas of ${p.gpusPerReplica} GPUs = ${p.gpus} GPUs (${formatNumber(p.systems)} × ${d.system})`,
    `  engine       ${d.engineBehaviour.basis}; KV admission ${d.engineBehaviour.kvAdmission} (${d.engineBehaviour.kvAdmissionSource})`,
    `  calibration  ${d.calibration.key} — ${d.calibration.source}`,
  );
  if (d.planSearch) {
    lines.push(
      `  plan search over ${d.planSearch.gpusSearched} GPUs (scale-up domain ${d.planSearch.domainSize}): ${d.planSearch.objective}`,
    );
    lines.push(
      ...table(
        d.planSearch.candidates.map((c) => [
          c.plan,
          c.feasible ? `${formatNumber(c.objective?.value ?? 0)} tok/s per system` : 'infeasible',
          c.reason ?? '',
        ]),
        '    ',
      ),
    );
  }
  const m = d.memory;
  lines.push(
    `  Memory per GPU (${d.engine.name} gpuMemoryUtilization ${m.gpuMemoryUtilization} of ${m.gpuMemoryUtilizationOf} memory) — fits: ${m.fits ? 'yes' : `NO (${m.reason ?? ''})`}`,
  );
  lines.push(
    ...metricRows(
      [
        ['HBM', m.hbmGbPerGpu],
        ['usable', m.usableGbPerGpu],
        ['weights', m.weightsGbPerGpu],
        ['activations', m.activationsGbPerGpu],
        ['runtime reserve', m.reserveGbPerGpu],
        ['KV cache', m.kvCacheGbPerGpu],
        ['unallocated', m.unallocatedGbPerGpu],
        ['max KV tokens per replica', m.maxKvTokensPerReplica],
      ],
      '    ',
    ),
  );
  for (const c of d.classes) lines.push('', ...classSection(c));
  if (d.warnings.length) lines.push('', '  Warnings', ...d.warnings.map((w) => `    ! ${w}`));
  return lines;
}

export function renderEstimate(r: EstimateReport): string {
  const lines: string[] = [
    `${r.scenario.name}`,
    `  scenario ${r.scenario.hash}  seed ${r.scenario.seed}  catalog ${r.catalogVersion}`,
    `  method: ${r.method}`,
  ];
  for (const d of r.deployments) lines.push('', ...deploymentSection(d));
  lines.push('', `Defaults applied (${r.defaultsApplied.length})`);
  lines.push(...r.defaultsApplied.map((d) => `  ${d.path} = ${showValue(d.value)}  — ${d.source}`));
  lines.push('', 'Assumptions', ...r.assumptions.map((a) => `  - ${a}`));
  if (r.notUsed.length) lines.push('', `Not used by the estimate: ${r.notUsed.join('; ')}`);
  return `${lines.join('\n')}\n`;
}
