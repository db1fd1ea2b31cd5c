import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { AifError, ERROR_CODES } from '../core/errors.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parseScenarioYaml } from '../scenario/index.js';
import { estimateScenario } from './estimate.js';
import { simulateScenario, type SimDeploymentResult, type SimResult } from './simulate.js';

const catalog = defaultCatalog();

const simulateYaml = (yaml: string): SimResult =>
  simulateScenario(parseScenarioYaml(yaml, 'test.yaml'), catalog, BUILTIN_CALIBRATION, {
    toolVersion: 'test',
  });

/** One deployment of Llama 3.1 70B fp8 on H100 (tp 4), for the scenarios below. */
const deploymentYaml = (o: {
  name?: string;
  replicas?: number;
  engine?: string;
  extra?: string;
}): string => `
  - name: ${o.name ?? 'd'}
    model: llama-3.1-70b
    system: hgx-h100-8gpu
    precision: fp8
    parallelism: { tp: 4 }
    replicas: ${o.replicas ?? 1}
    engine: ${o.engine ?? '{ name: vllm }'}${o.extra ?? ''}`;

/** A chat scenario: one deployment, one Poisson request class, small enough to run in ~1 s. */
const chatYaml = (
  o: {
    seed?: number;
    replicas?: number;
    requestsPerSecond?: number;
    inputTokens?: string;
    outputTokens?: string;
    simulation?: string;
    failures?: string;
    pue?: number;
  } = {},
): string => `
name: chat test
seed: ${o.seed ?? 1}
${o.pue === undefined ? '' : `site: { pue: ${o.pue} }`}
deployments:${deploymentYaml({ replicas: o.replicas ?? 1 })}
workload:
  classes:
    - name: chat
      kind: request
      arrivals: { process: poisson, requestsPerSecond: ${o.requestsPerSecond ?? 4} }
      inputTokens: ${o.inputTokens ?? '{ dist: lognormal, median: 512, p90: 1536 }'}
      outputTokens: ${o.outputTokens ?? '{ dist: lognormal, median: 128, p90: 384 }'}
      slo: { ttftP99Seconds: 2, tpotP99Seconds: 0.1 }
simulation: ${o.simulation ?? '{ durationSeconds: 120, warmupSeconds: 20 }'}
${o.failures ? `failures: ${o.failures}` : ''}
`;

const only = (r: SimResult): SimDeploymentResult => {
  if (r.deployments.length !== 1) throw new Error(`${r.deployments.length} deployments, not 1`);
  return r.deployments[0]!;
};

/** Mean of a time series over the intervals that start at or after `fromSeconds`. */
const seriesMeanFrom = (d: SimDeploymentResult, name: string, fromSeconds: number): number => {
  const ts = d.timeSeries;
  const values = ts.series[name];
  if (!values) throw new Error(`no series ${name}`);
  const first = Math.ceil((fromSeconds - ts.startSeconds) / ts.intervalSeconds);
  const tail = values.slice(first);
  return tail.reduce((a, b) => a + b, 0) / tail.length;
};

describe('simulateScenario: reproducibility', () => {
  const yaml = chatYaml({ seed: 7 });

  it('gives a byte-identical result for the same scenario and seed', () => {
    expect(JSON.stringify(simulateYaml(yaml))).toBe(JSON.stringify(simulateYaml(yaml)));
  });

  it('gives a different result for a different seed', () => {
    const a = simulateYaml(yaml);
    const b = simulateYaml(chatYaml({ seed: 8 }));
    expect(b.rng.seed).toBe(8);
    expect(JSON.stringify(b.deployments)).not.toBe(JSON.stringify(a.deployments));
  });
});

describe('simulateScenario agrees with estimateScenario at low load', () => {
  // Two requests per second of fixed shape (256 prompt, 512 output tokens) on one tp-4 replica:
  // about 13 requests in the system, decode-dominated, far below the replica's capacity, so the
  // estimate's steady state (decode step at the mean batch, own prefill, half an iteration of
  // wait) is what the twin should see on average.
  const yaml = chatYaml({
    requestsPerSecond: 2,
    inputTokens: '256',
    outputTokens: '512',
    simulation: '{ durationSeconds: 300, warmupSeconds: 30 }',
  });
  const scenario = parseScenarioYaml(yaml, 'test.yaml');
  const sim = only(
    simulateScenario(scenario, catalog, BUILTIN_CALIBRATION, { toolVersion: 'test' }),
  ).metrics.classes[0]!;
  const est = estimateScenario(scenario, catalog, BUILTIN_CALIBRATION).deployments[0]!;
  const estClass = est.classes[0]!;

  it('has enough requests for the means to settle', () => {
    expect(sim.numCompleted).toBeGreaterThan(400);
  });

  it('gives the estimate’s mean TPOT within 3%', () => {
    // The step time is nearly linear in batch size here, so averaging it over the twin's
    // fluctuating batch gives the step at the mean batch (the estimate) up to a small Jensen
    // gap; 3% also covers the sampling noise of ~500 requests (observed: under 1%).
    const rel = sim.tpot.meanSeconds! / estClass.latency.tpotSeconds.value - 1;
    expect(Math.abs(rel)).toBeLessThan(0.03);
  });

  it('gives the estimate’s mean TTFT within 10%, the calibrated per-request overhead included in both', () => {
    // Both add the calibration's requestOverheadSeconds (HTTP, tokenisation outside the engine
    // loop): the estimate to its TTFT, the twin as the delay before a request enters the fleet.
    // The engine part — half the iteration in flight plus the request's own prefill plus a
    // little prefill queueing — must agree. 10%: the wait for the iteration in flight is uniform
    // over a ~12 ms step and the prefill is ~20 ms, so a few hundred requests leave a few
    // percent of noise.
    const rel = sim.ttft.meanSeconds! / estClass.latency.ttftSeconds.value - 1;
    expect(Math.abs(rel)).toBeLessThan(0.1);
  });
});

describe('simulateScenario: prefix caching for coding agents', () => {
  // The coding-agent session shape (src/sim/workload/coding-agent.ts), 12 sessions at a time on
  // each of two identical single-replica deployments; only prefixCaching differs.
  const session = `
        calls: { dist: lognormal, median: 44, p90: 145 }
        firstPromptTokens: { dist: lognormal, median: 20000, p90: 50000 }
        appendTokens: { dist: lognormal, median: 1500, p90: 8000 }
        outputTokens: { dist: lognormal, median: 216, p90: 879 }
        thinkSeconds: { dist: lognormal, median: 10, p90: 168 }
        compaction: { thresholdTokens: 235000, summaryTokens: { dist: lognormal, median: 15000, p90: 30000 } }`;
  const agentClass = (name: string, deployment: string) => `
    - name: ${name}
      deployment: ${deployment}
      kind: agent-session
      arrivals: { process: closed-loop, concurrency: 12 }
      session:${session}
      slo: {}`;
  const result = simulateYaml(`
name: agents test
seed: 4
deployments:${deploymentYaml({ name: 'on', engine: '{ name: vllm, prefixCaching: true }', extra: '\n    router: session-affinity' })}${deploymentYaml({ name: 'off', engine: '{ name: vllm, prefixCaching: false }', extra: '\n    router: session-affinity' })}
workload:
  classes:${agentClass('agents-on', 'on')}${agentClass('agents-off', 'off')}
simulation: { durationSeconds: 400, warmupSeconds: 60 }
`);
  const [on, off] = result.deployments;

  it('serves each class on the deployment it names', () => {
    expect(on!.classes).toEqual(['agents-on']);
    expect(off!.classes).toEqual(['agents-off']);
    expect(on!.metrics.total.numCompleted).toBeGreaterThan(30);
    expect(off!.metrics.total.numCompleted).toBeGreaterThan(30);
  });

  it('reads most prompt tokens from the cache with prefix caching on', () => {
    expect(on!.kvCache.hitRate).toBeGreaterThan(0.5);
    expect(on!.metrics.total.numCachedPromptTokens).toBeGreaterThan(
      0.5 * on!.metrics.total.numPromptTokens,
    );
  });

  it('reads nothing from the cache with prefix caching off', () => {
    expect(off!.kvCache.hitTokens).toBe(0);
    expect(off!.kvCache.hitRate ?? 0).toBe(0);
    expect(off!.metrics.total.numCachedPromptTokens).toBe(0);
  });

  it('gives a shorter mean TTFT with the cache on (it recomputes only the new tokens)', () => {
    expect(on!.metrics.total.ttft.meanSeconds!).toBeLessThan(off!.metrics.total.ttft.meanSeconds!);
  });
});

describe('simulateScenario: failures', () => {
  // Deliberately low MTBF (0.5 h per GPU on 3 replicas × 4 GPUs: a failure every ~2.5 min on
  // average) and repairs that outlast the run. Failure times come from their own random
  // streams, so the runs below differ only in the retry limit and the measurement window.
  const run = (retryLimit: number, warmupSeconds: number) =>
    only(
      simulateYaml(
        chatYaml({
          seed: 3,
          replicas: 3,
          requestsPerSecond: 10,
          failures: `{ acceleratorMtbfHours: 0.5, repairHours: 4, retryLimit: ${retryLimit} }`,
          simulation: `{ durationSeconds: 600, warmupSeconds: ${warmupSeconds} }`,
        }),
      ),
    );
  const retried = run(1, 0);
  const dropped = run(0, 0);
  // Warm-up ends just after the first failure: the requests it hit arrived before the window.
  const firstFailureSeconds = retried.availability.capacitySteps.find(
    (s) => s.numUp < 3,
  )?.atSeconds;
  const warmed = run(1, Math.ceil(firstFailureSeconds ?? 0) + 1);

  it('sees failures inside the run and less than full capacity availability', () => {
    expect(firstFailureSeconds).toBeGreaterThan(10);
    for (const d of [retried, dropped, warmed]) {
      expect(d.availability.numFailures).toBeGreaterThan(0);
      expect(d.availability.capacityAvailability).toBeLessThan(1);
      expect(d.availability.capacityAvailability).toBeGreaterThan(0);
    }
  });

  it('starts the replicasUp series at the fleet size and follows the failures down', () => {
    const up = retried.timeSeries.series.replicasUp!;
    expect(up[0]).toBe(3);
    expect(Math.min(...up)).toBeLessThan(3);
  });

  it('retries lost requests within the retry limit and drops them beyond it', () => {
    expect(retried.counters.numRetries).toBeGreaterThan(0);
    expect(dropped.counters.numRetries).toBe(0);
    expect(dropped.counters.numDropped).toBeGreaterThan(0);
    expect(dropped.metrics.total.numDroppedByReason['retry-limit']).toBe(
      dropped.metrics.total.numDropped,
    );
  });

  it('loses no request: arrivals = completed + dropped + still in flight', () => {
    for (const d of [retried, dropped, warmed]) {
      const c = d.counters;
      expect(c.numCompleted + c.numDropped + c.numInFlightAtEnd).toBe(c.numArrivals);
    }
  });

  it('counts the same retries, drops and completions in the metrics as in the counters without warm-up', () => {
    for (const d of [retried, dropped]) {
      expect(d.metrics.total.numRetries).toBe(d.counters.numRetries);
      expect(d.metrics.total.numDropped).toBe(d.counters.numDropped);
      expect(d.metrics.total.numCompleted).toBe(d.counters.numCompleted);
    }
  });

  it('counts in the metrics only the retries of requests arriving after warm-up', () => {
    // The window does not change the simulation, only what the metrics count.
    expect(warmed.counters).toEqual(retried.counters);
    expect(warmed.metrics.total.numRetries).toBeLessThan(warmed.counters.numRetries);
    expect(warmed.metrics.total.numDropped).toBeLessThanOrEqual(warmed.counters.numDropped);
    expect(warmed.metrics.total.numCompleted).toBeLessThan(warmed.counters.numCompleted);
  });
});

describe('simulateScenario: scenario checks', () => {
  it('refuses a class without a deployment when there are several deployments', () => {
    const yaml = `
name: two deployments
seed: 1
deployments:${deploymentYaml({ name: 'a' })}${deploymentYaml({ name: 'b' })}
workload:
  classes:
    - name: served
      deployment: a
      kind: request
      arrivals: { process: poisson, requestsPerSecond: 1 }
      inputTokens: 100
      outputTokens: 10
      slo: {}
    - name: orphan
      kind: request
      arrivals: { process: poisson, requestsPerSecond: 1 }
      inputTokens: 100
      outputTokens: 10
      slo: {}
simulation: { durationSeconds: 10, warmupSeconds: 1 }
`;
    let error: unknown;
    try {
      simulateYaml(yaml);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AifError);
    const e = error as AifError;
    expect(e.code).toBe(ERROR_CODES.SCENARIO_INVALID);
    expect(e.issues.map((i) => i.path)).toEqual(['workload.classes.1.deployment']);
    expect(e.issues[0]!.expected).toContain('a, b');
  });
});

describe('simulateScenario: energy, Little’s law and the scorecard basis', () => {
  const d = only(
    simulateYaml(
      chatYaml({
        seed: 5,
        replicas: 2,
        requestsPerSecond: 8,
        pue: 1.3,
        simulation: '{ durationSeconds: 600, warmupSeconds: 30, timeSeriesIntervalSeconds: 1 }',
      }),
    ),
  );

  it('draws energy at chip ≤ node ≤ facility, facility = node × PUE', () => {
    const j = d.energy.energyJoules;
    expect(j.chip).toBeGreaterThan(0);
    expect(j.chip).toBeLessThanOrEqual(j.node);
    expect(j.node).toBeLessThanOrEqual(j.facility);
    expect(j.facility).toBeCloseTo(j.node * 1.3, 6);
    const w = d.energy.meanPowerWatts;
    expect(w.chip).toBeLessThanOrEqual(w.node);
    expect(w.node).toBeLessThanOrEqual(w.facility);
    expect(w.chip).toBeCloseTo(j.chip / d.energy.windowSeconds, 6);
  });

  it('obeys Little’s law: mean requests in system = completion rate × mean E2E within 5%', () => {
    // inSystemRequests is sampled once a second; after warm-up its mean is the time-average
    // number in system L (~21 here). λ = completions per second and W = mean E2E of requests
    // arriving in the window. 5%: the requests still running at the end are left out of λ and W
    // (~2.5 s of a 570-s window, under 1%, always making λW low) and ~570 correlated samples
    // leave about 1% of noise (observed over six seeds: +0.5% to +1.5%).
    const total = d.metrics.total;
    const littleL = seriesMeanFrom(d, 'inSystemRequests', d.metrics.warmupSeconds);
    const lambdaW = total.completedRequestsPerSecond * total.e2e.meanSeconds!;
    expect(littleL).toBeGreaterThan(5);
    expect(Math.abs(littleL / lambdaW - 1)).toBeLessThan(0.05);
  });

  it('gives every scorecard metric a basis with provenance modeled', () => {
    expect(d.scorecard.length).toBeGreaterThan(5);
    for (const m of d.scorecard) {
      expect(m.basis.provenance, m.name).toBe('modeled');
      expect(m.basis.model).toBe('llama-3.1-70b');
      expect(m.basis.source).toMatch(/serving twin/);
      expect(Number.isFinite(m.value), m.name).toBe(true);
    }
  });
});

describe('simulateScenario: disaggregated prefill/decode', () => {
  // One TP4 prefill replica and two TP2 decode replicas of Llama 3.1 70B on one HGX H100 node.
  const disaggYaml = (o: { parallelism?: string; seed?: number } = {}) => `
name: disagg test
seed: ${o.seed ?? 3}
site: { pue: 1.2 }
deployments:
  - name: d
    model: llama-3.1-70b
    system: hgx-h100-8gpu
    precision: fp8
    parallelism: ${o.parallelism ?? '{ tp: 4 }'}
    replicas: 1
    engine: { name: vllm }
    disaggregation:
      decode: { parallelism: { tp: 2 }, replicas: 2, engine: { maxNumSeqs: 128 } }
workload:
  classes:
    - name: chat
      kind: request
      arrivals: { process: poisson, requestsPerSecond: 3 }
      inputTokens: { dist: lognormal, median: 2000, p90: 6000 }
      outputTokens: { dist: lognormal, median: 200, p90: 600 }
      slo: { ttftP99Seconds: 2, tpotP99Seconds: 0.1 }
simulation: { durationSeconds: 120, warmupSeconds: 20 }
`;
  const r = simulateYaml(disaggYaml());
  const d = only(r);
  const agg = only(simulateYaml(chatYaml({ seed: 3, replicas: 1, requestsPerSecond: 3 })));

  it('describes both pools and the link; counts GPUs of both', () => {
    expect(d.plan).toMatchObject({ tp: 4, replicas: 1, gpusPerReplica: 4, gpus: 8 });
    expect(d.decode?.plan).toMatchObject({ tp: 2, replicas: 2, gpusPerReplica: 2 });
    // 4 + 2 GPUs fit one 8-GPU NVLink domain: the KV crosses NVLink.
    expect(d.decode?.kvTransfer.link).toBe('scale-up');
    expect(d.decode?.kvTransfer.bytesPerSecondPerGpu).toBe(
      catalog.accelerators.get('h100-sxm')!.scaleUpBandwidthBytesPerSecond.value,
    );
  });

  it('hands every multi-token request from prefill to decode once', () => {
    const c = d.counters;
    expect(c.numCompleted).toBeGreaterThan(250);
    expect(c.numDropped).toBe(0);
    // Each completed request crossed once; those still in flight at the end may have too.
    expect(c.numKvTransfers).toBeGreaterThanOrEqual(c.numCompleted);
    expect(c.numKvTransfers).toBeLessThanOrEqual(c.numCompleted + c.numInFlightAtEnd);
    expect(c.numArrivals).toBe(c.numCompleted + c.numInFlightAtEnd);
  });

  it('idles at the idle power of all three replicas: energy above one replica’s', () => {
    // Six GPUs in use here against four in the aggregated run of the same load.
    expect(d.energy.meanPowerWatts.chip).toBeGreaterThan(agg.energy.meanPowerWatts.chip);
    expect(d.energy.energyJoules.facility).toBeCloseTo(d.energy.energyJoules.node * 1.2, 6);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(simulateYaml(disaggYaml()))).toBe(JSON.stringify(r));
  });

  it('refuses parallelism auto with a disaggregated deployment, naming the field', () => {
    let error: unknown;
    try {
      simulateYaml(disaggYaml({ parallelism: 'auto' }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AifError);
    expect((error as AifError).issues.map((i) => i.path)).toContain('deployments.0.parallelism');
  });
});

describe('simulateScenario: autoscaling', () => {
  // Two replicas at t = 0 for a load one replica carries: after the cooldown the autoscaler
  // releases an idle one, and the power drops by that replica's idle draw.
  const yaml = `
name: autoscaling test
seed: 3
deployments:${deploymentYaml({
    replicas: 2,
    extra: `
    autoscaler:
      maxReplicas: 2
      targetOutstandingRequestsPerReplica: 8
      evaluateEverySeconds: 5
      coldStartSeconds: 60
      scaleInCooldownSeconds: 30`,
  })}
workload:
  classes:
    - name: chat
      kind: request
      arrivals: { process: poisson, requestsPerSecond: 1 }
      inputTokens: { dist: lognormal, median: 512, p90: 1536 }
      outputTokens: { dist: lognormal, median: 128, p90: 384 }
      slo: { ttftP99Seconds: 2, tpotP99Seconds: 0.1 }
simulation: { durationSeconds: 120, warmupSeconds: 20, timeSeriesIntervalSeconds: 5 }
`;
  const d = only(simulateYaml(yaml));

  it('reports the scale-ins, the provisioned replicas and the allocation they imply', () => {
    const a = d.autoscaling!;
    expect(a.scaleOuts).toBe(0);
    expect(a.scaleIns).toBe(1);
    expect(a.series[0]).toEqual({ atSeconds: 0, numProvisioned: 2, numServing: 2 });
    const scaleIn = a.series[1]!;
    expect(scaleIn.numProvisioned).toBe(1);
    // The cooldown runs from t = 0; evaluations every 5 s.
    expect(scaleIn.atSeconds).toBeGreaterThanOrEqual(30);
    expect(scaleIn.atSeconds % 5).toBe(0);
    expect(a.meanProvisionedReplicas).toBeCloseTo(
      (2 * (scaleIn.atSeconds - 20) + 1 * (120 - scaleIn.atSeconds)) / 100,
      12,
    );
    expect(d.utilization.allocationShare).toBeCloseTo(a.meanProvisionedReplicas / 2, 12);
    expect(d.plan).toMatchObject({ replicas: 2, gpus: 8 });
    const provisioned = d.timeSeries.series.provisionedReplicas!;
    expect(provisioned[0]).toBe(2);
    expect(provisioned.at(-1)).toBe(1);
  });

  it('draws less power once a replica is scaled in', () => {
    const at = firstScaleInSeconds(d);
    const before = seriesMeanBetween(d, 'chipPowerWatts', 0, at);
    const after = seriesMeanBetween(d, 'chipPowerWatts', at + 5, 120);
    expect(after).toBeLessThan(before);
    expect(d.counters.numDropped).toBe(0);
  });

  it('lists the Kubernetes HPA defaults it applied', () => {
    const r = simulateYaml(yaml);
    expect(r.defaultsApplied).toContainEqual(
      expect.objectContaining({ path: 'deployments.0.autoscaler.minReplicas', value: 1 }),
    );
  });
});

/** Time of the first scale-in. */
const firstScaleInSeconds = (d: SimDeploymentResult): number => d.autoscaling!.series[1]!.atSeconds;

/** Mean of series `name` over the intervals within [fromSeconds, toSeconds). */
const seriesMeanBetween = (
  d: SimDeploymentResult,
  name: string,
  fromSeconds: number,
  toSeconds: number,
): number => {
  const ts = d.timeSeries;
  const xs = ts.series[name]!.filter((_, k) => {
    const t = ts.startSeconds + k * ts.intervalSeconds;
    return t >= fromSeconds && t + ts.intervalSeconds <= toSeconds;
  });
  return xs.reduce((s, x) => s + x, 0) / xs.length;
};
