/**
 * The scenario schema: the file users write (DESIGN §2, §11). One zod schema gives the input
 * type (`ScenarioInput`, what users write: bare numbers for fixed distributions) and the output
 * type (`Scenario`, normalised). Every mapping is strict — an unknown key is an error, so a typo
 * never passes silently — and every field says what it means, so the JSON Schema documents itself.
 *
 * Units are in the field names (seconds, tokens, requests per second, USD per kWh, …).
 * Catalog objects are referenced by id and resolved by `resolve.ts`; defaults are applied there,
 * from sourced tables, and listed — never here.
 */
import { z } from 'zod';
import { NUMBER_FORMAT_IDS } from '../catalog/types.js';
import { ENGINE_NAMES } from './engine-defaults.js';
import {
  bool,
  expectedMessage,
  fractionClosedOpen,
  fractionOpenClosed,
  list,
  mapping,
  nonNegativeInt,
  nonNegativeNumber,
  numberAtLeast,
  oneOf,
  positiveInt,
  positiveNumber,
  text,
} from './fields.js';

const isRecord = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * Run a cross-field check even when some fields of the mapping failed their own checks, so a
 * file's problems are all reported at once. Such checks must tolerate invalid field values.
 */
const evenWithFieldIssues = { when: (payload: { value: unknown }) => isRecord(payload.value) };

// ---------------------------------------------------------------------------------------------
// Distributions
// ---------------------------------------------------------------------------------------------

export const DISTRIBUTION_KINDS = ['fixed', 'lognormal', 'uniform', 'empirical'] as const;

/**
 * A distribution of a non-negative quantity, written the way people think about it. A bare
 * number means `fixed`. `minimum` is the smallest sensible value (1 for token counts).
 */
export function distribution(minimum: 0 | 1, unit: string, description: string) {
  const value = (d: string) => (minimum === 0 ? nonNegativeNumber(d) : numberAtLeast(minimum, d));
  const fixed = mapping(
    { dist: z.literal('fixed'), value: value(`The value, in ${unit}.`) },
    'a fixed value',
    'Always the same value.',
  );
  const lognormal = mapping(
    {
      dist: z.literal('lognormal'),
      median: value(`Median (p50), in ${unit}.`),
      p90: value(`90th percentile, in ${unit}; must exceed the median.`),
    },
    'a lognormal distribution',
    'Lognormal, given by its median and 90th percentile (σ = ln(p90/median) / 1.2816).',
  ).superRefine((d, ctx) => {
    if (!(d.p90 > d.median)) {
      ctx.addIssue({
        code: 'custom',
        path: ['p90'],
        message: 'the 90th percentile must exceed the median',
        params: { expected: `a number > median (${d.median})` },
      });
    }
  });
  const uniform = mapping(
    {
      dist: z.literal('uniform'),
      min: value(`Smallest value, in ${unit}.`),
      max: value(`Largest value, in ${unit}.`),
    },
    'a uniform distribution',
    'Uniform between min and max (inclusive).',
  ).superRefine((d, ctx) => {
    if (d.max < d.min) {
      ctx.addIssue({
        code: 'custom',
        path: ['max'],
        message: 'max must not be below min',
        params: { expected: `a number ≥ min (${d.min})` },
      });
    }
  });
  const empirical = mapping(
    {
      dist: z.literal('empirical'),
      values: list(
        value(`One observed value, in ${unit}.`),
        'numbers',
        'Observed values, sampled uniformly.',
      ),
    },
    'an empirical distribution',
    'Resample from observed values.',
  );
  const kinds = `{dist: ${DISTRIBUTION_KINDS.join(' | ')}, …}`;
  const byKind = z.discriminatedUnion('dist', [fixed, lognormal, uniform, empirical], {
    error: expectedMessage(`a distribution ${kinds}`),
  });
  const minWords = minimum === 0 ? 'a number ≥ 0' : `a number ≥ ${minimum}`;
  return z
    .union([value(`A fixed value, in ${unit}.`), byKind], {
      error: expectedMessage(`${minWords} or a distribution ${kinds}`),
    })
    .transform((d) => (typeof d === 'number' ? { dist: 'fixed' as const, value: d } : d))
    .describe(description);
}

// ---------------------------------------------------------------------------------------------
// Site
// ---------------------------------------------------------------------------------------------

const PueCurvePointSchema = mapping(
  {
    itLoadFraction: fractionOpenClosed('IT load as a fraction of the design IT load.'),
    pue: numberAtLeast(1, 'PUE at that load (facility power / IT power).'),
  },
  'a PUE curve point',
  'One point of the PUE curve.',
);

export const SiteSchema = mapping(
  {
    region: text(
      'Region id, e.g. `us-va`: energy price, carbon and jurisdiction defaults come from it.',
    ).optional(),
    jurisdiction: text('Legal jurisdiction the site serves from, e.g. `us`, `eu`.').optional(),
    pue: numberAtLeast(
      1,
      'Power usage effectiveness at the operating load (facility / IT power).',
    ).optional(),
    pueCurve: list(
      PueCurvePointSchema,
      'PUE curve points',
      'PUE against IT load, ascending in load; linear between points.',
    ).optional(),
    energyPriceUsdPerKwh: nonNegativeNumber('Energy price, US dollars per kWh.').optional(),
    carbonGramsPerKwh: nonNegativeNumber('Grid carbon intensity, grams CO2e per kWh.').optional(),
    powerEnvelopeMw: positiveNumber('Contracted facility power envelope, MW.').optional(),
  },
  'site settings',
  'The facility: region, PUE, energy price, carbon intensity.',
).superRefine((site, ctx) => {
  if (site.pue !== undefined && site.pueCurve !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['pueCurve'],
      message: 'give either pue or pueCurve, not both',
      params: { expected: 'pue or pueCurve' },
    });
  }
  const curve: unknown[] = Array.isArray(site.pueCurve) ? site.pueCurve : [];
  for (let i = 1; i < curve.length; i++) {
    const prev = curve[i - 1];
    const cur = curve[i];
    if (
      isRecord(prev) &&
      isRecord(cur) &&
      typeof prev.itLoadFraction === 'number' &&
      typeof cur.itLoadFraction === 'number' &&
      !(cur.itLoadFraction > prev.itLoadFraction)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['pueCurve', i, 'itLoadFraction'],
        message: 'PUE curve points must ascend in itLoadFraction',
        params: { expected: `a number > ${prev.itLoadFraction}` },
      });
    }
  }
}, evenWithFieldIssues);

// ---------------------------------------------------------------------------------------------
// Deployments
// ---------------------------------------------------------------------------------------------

export { NUMBER_FORMAT_IDS };

export const PRECISION_GROUPS = [
  'attention',
  'denseMlp',
  'experts',
  'lmHead',
  'kvCache',
  'activations',
] as const;
export type PrecisionGroup = (typeof PRECISION_GROUPS)[number];

const format = (group: string) => oneOf(NUMBER_FORMAT_IDS, `Number format of ${group}.`).optional();

const PrecisionObjectSchema = mapping(
  {
    preset: text(
      'Precision preset to start from (e.g. `fp8`); the groups below override it.',
    ).optional(),
    attention: format('attention weights (QKV and output projections)'),
    denseMlp: format('dense MLP weights'),
    experts: format('MoE expert weights'),
    lmHead: format('the LM head'),
    kvCache: format('the KV cache'),
    activations: format('activations (sets the tensor-core rate of the GEMMs)'),
  },
  'per-group precision formats',
  'Per-tensor-group formats. Without `preset`, all six groups are required.',
).superRefine((p, ctx) => {
  if (p.preset !== undefined) return;
  for (const group of PRECISION_GROUPS) {
    if (p[group] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [group],
        message: `missing format for '${group}' (give all six groups, or a preset to start from)`,
        params: { expected: `one of: ${NUMBER_FORMAT_IDS.join(', ')}` },
      });
    }
  }
});

const PrecisionSchema = z
  .union([text('A precision preset name, e.g. `bf16`, `fp8`, `nvfp4`.'), PrecisionObjectSchema], {
    error: expectedMessage('a precision preset name or a mapping of per-group formats'),
  })
  .describe('Precision: a preset name, or per-tensor-group formats (DESIGN §4).');

export const ParallelPlanSchema = mapping(
  {
    tp: positiveInt('Tensor-parallel degree.'),
    pp: positiveInt('Pipeline-parallel stages (default 1, listed in defaultsApplied).').optional(),
    ep: positiveInt('Expert-parallel degree, MoE models only (default 1).').optional(),
    attnDp: positiveInt('Attention data-parallel ranks, MoE models only (default 1).').optional(),
  },
  'a parallel plan',
  'Parallel plan of one replica; GPUs per replica = tp · pp · attnDp.',
);

const ParallelismSchema = z
  .union([z.literal('auto'), ParallelPlanSchema], {
    error: expectedMessage("'auto' or a mapping {tp, pp?, ep?, attnDp?}"),
  })
  .describe("'auto' lets the planner choose the plan; or state it.");

export const KV_OFFLOAD_TIERS = ['host-dram', 'nvme'] as const;

const KvOffloadTierSchema = mapping(
  {
    tier: oneOf(KV_OFFLOAD_TIERS, 'Where evicted KV blocks are kept.'),
    capacityGb: positiveNumber('Capacity of the tier per replica, GB (1e9 bytes).'),
    bandwidthGbPerSecond: positiveNumber(
      'Reload bandwidth from the tier to HBM, GB/s (e.g. PCIe Gen5 x16 ≈ 55 GB/s effective).',
    ),
    latencySeconds: nonNegativeNumber('Fixed latency of one reload, seconds.').optional(),
  },
  'a KV offload tier',
  'A slower tier holding evicted prefix blocks (DESIGN §5).',
);

export const EngineSchema = mapping(
  {
    name: oneOf(ENGINE_NAMES, 'Serving engine; unstated settings take its documented defaults.'),
    maxNumSeqs: positiveInt('Maximum sequences running at once per replica.').optional(),
    maxNumBatchedTokens: positiveInt(
      'Token budget of one engine iteration per replica.',
    ).optional(),
    blockSize: positiveInt('KV-cache block (page) size, tokens.').optional(),
    gpuMemoryUtilization: fractionOpenClosed(
      'GPU memory fraction as the engine defines it: vLLM gpu_memory_utilization / SGLang mem_fraction_static (of total memory), TensorRT-LLM kv_cache_free_gpu_memory_fraction (of memory free after weights).',
    ).optional(),
    chunkedPrefill: bool('Split long prefills into chunks under the token budget.').optional(),
    prefixCaching: bool('Reuse KV blocks of shared prefixes.').optional(),
    asyncScheduling: bool('Overlap host scheduling with device work.').optional(),
    kvBlocks: positiveInt(
      "KV-cache capacity in blocks, to match a real engine's log line.",
    ).optional(),
    kvOffload: list(
      KvOffloadTierSchema,
      'KV offload tiers',
      'Offload tiers for evicted prefix blocks, fastest first (serving twin).',
    ).optional(),
  },
  'engine settings',
  'Engine settings that change timing or memory.',
);

export const SpeculativeSchema = mapping(
  {
    drafter: text('Drafter name as in the catalog, e.g. `mtp`, `eagle3`.'),
    draftTokens: positiveInt('Draft tokens proposed per step (k).'),
  },
  'speculative decoding settings',
  'Speculative decoding; acceptance comes from the catalog, never fitted.',
);

/** Routing policies of the serving twin (sim/router registry; a test keeps the two equal). */
export const ROUTER_NAMES = [
  'round-robin',
  'random',
  'least-outstanding-requests',
  'least-outstanding-tokens',
  'kv-aware',
  'session-affinity',
  'prefix-affinity',
  'power-of-two-choices',
] as const;

export const DisaggregationSchema = mapping(
  {
    decode: mapping(
      {
        parallelism: ParallelPlanSchema,
        replicas: positiveInt('Decode replicas (workers).'),
        engine: EngineSchema.omit({ name: true })
          .partial()
          .describe("Settings that differ on the decode workers (the rest are the deployment's).")
          .optional(),
      },
      'the decode pool',
      'The decode workers: their parallel plan, count and engine settings.',
    ),
    kvTransfer: mapping(
      {
        bandwidthGbPerSecond: positiveNumber(
          'Link bandwidth per sending GPU, one direction, GB/s (default: the scale-up fabric when a prefill and a decode replica fit one scale-up domain, else 50 GB/s, one 400 Gb/s NIC per GPU).',
        ).optional(),
        latencySeconds: nonNegativeNumber(
          'Fixed time per transfer, seconds (default 0.001).',
        ).optional(),
      },
      'KV transfer settings',
      'The link that carries each prompt’s KV cache from a prefill to a decode replica.',
    ).optional(),
  },
  'disaggregation settings',
  "Disaggregated prefill/decode (DESIGN §5): the deployment's own plan and replicas are the prefill workers; `decode` states the decode workers.",
);

/**
 * A target-tracking autoscaler of a deployment's replicas (serving twin; `sim/failures/
 * autoscaler.ts`). Kubernetes HPA defaults, where stated below, come from
 * https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/ (sync period 15 s;
 * scale-down stabilization window 300 s).
 */
export const AutoscalerSchema = mapping(
  {
    minReplicas: nonNegativeInt(
      'Fewest replicas the autoscaler keeps provisioned (default 1, as Kubernetes HPA).',
    ).optional(),
    maxReplicas: positiveInt('Most replicas the autoscaler may provision.'),
    targetOutstandingRequestsPerReplica: positiveNumber(
      'Outstanding requests (waiting + running) one serving replica should carry; desired replicas = ceil(Σ outstanding / target).',
    ),
    evaluateEverySeconds: positiveNumber(
      'Seconds between autoscaler evaluations (default 15, the Kubernetes HPA sync period).',
    ).optional(),
    coldStartSeconds: nonNegativeNumber(
      'Seconds from a scale-out decision until the new replica serves: node or pod start, model load and engine start (no default: it depends on the model size, the storage and the engine).',
    ),
    scaleInCooldownSeconds: nonNegativeNumber(
      'No scale-in until this long after the last scaling action, seconds (default 300, the Kubernetes HPA scale-down stabilization window).',
    ).optional(),
  },
  'autoscaler settings',
  'Scale the replicas with the load (serving twin): `replicas` is then the count at t = 0.',
);

export const DeploymentSchema = mapping(
  {
    name: text('Deployment name, unique in the scenario.'),
    model: text('Catalog model id, e.g. `llama-3.1-70b`.'),
    system: text('Catalog system id, e.g. `hgx-h100-8gpu`.'),
    precision: PrecisionSchema,
    parallelism: ParallelismSchema,
    replicas: positiveInt('Number of replicas (give this or `systems`).').optional(),
    systems: positiveInt(
      'Number of systems; replicas = systems · accelerators per system / GPUs per replica.',
    ).optional(),
    engine: EngineSchema,
    speculative: SpeculativeSchema.optional(),
    router: oneOf(ROUTER_NAMES, 'How requests are assigned to replicas.').optional(),
    powerCapWatts: positiveNumber(
      'Board power cap per accelerator, watts; steps slow down along the power-cap curve.',
    ).optional(),
    spares: nonNegativeInt(
      'Spare replicas (N+k) swapped in for failed ones (serving twin).',
    ).optional(),
    disaggregation: DisaggregationSchema.optional(),
    autoscaler: AutoscalerSchema.optional(),
  },
  'a deployment',
  'A model on a system with a parallel plan, engine settings and a size.',
).superRefine((d, ctx) => {
  if ((d.replicas === undefined) === (d.systems === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [d.replicas === undefined ? 'replicas' : 'systems'],
      message:
        d.replicas === undefined
          ? 'size the deployment with replicas or systems'
          : 'give replicas or systems, not both',
      params: { expected: 'exactly one of: replicas, systems' },
    });
  }
  const a: unknown = d.autoscaler;
  if (!isRecord(a)) return;
  const issue = (path: (string | number)[], message: string, expected: string): void =>
    ctx.addIssue({ code: 'custom', path, message, params: { expected } });
  const min = typeof a.minReplicas === 'number' ? a.minReplicas : 1;
  if (typeof a.maxReplicas === 'number' && a.maxReplicas < min)
    issue(
      ['autoscaler', 'maxReplicas'],
      `maxReplicas ${a.maxReplicas} is below minReplicas ${min}`,
      `an integer ≥ minReplicas (${min})`,
    );
  if (d.disaggregation !== undefined)
    issue(
      ['autoscaler'],
      'the serving twin autoscales deployments that serve requests end to end, not disaggregated prefill/decode pools',
      'no autoscaler with disaggregation',
    );
  if (d.systems !== undefined && d.replicas === undefined)
    issue(
      ['replicas'],
      'an autoscaled deployment states its initial replicas (not systems)',
      'replicas: the count at t = 0',
    );
  else if (
    typeof d.replicas === 'number' &&
    typeof a.maxReplicas === 'number' &&
    (d.replicas < min || d.replicas > a.maxReplicas)
  )
    issue(
      ['replicas'],
      `the initial ${d.replicas} replicas lie outside the autoscaler's range ${min}…${a.maxReplicas}`,
      `an integer in [minReplicas, maxReplicas] = [${min}, ${a.maxReplicas}]`,
    );
}, evenWithFieldIssues);

// ---------------------------------------------------------------------------------------------
// Workload
// ---------------------------------------------------------------------------------------------

const rates = {
  requestsPerSecond: positiveNumber(
    'Mean arrival rate of requests, per second (request classes).',
  ).optional(),
  sessionsPerSecond: positiveNumber(
    'Mean arrival rate of sessions, per second (agent-session classes).',
  ).optional(),
};

const oneRate = (
  a: { requestsPerSecond?: number; sessionsPerSecond?: number },
  ctx: z.RefinementCtx,
) => {
  if ((a.requestsPerSecond === undefined) === (a.sessionsPerSecond === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [a.requestsPerSecond === undefined ? 'requestsPerSecond' : 'sessionsPerSecond'],
      message:
        a.requestsPerSecond === undefined
          ? 'give an arrival rate'
          : 'give requestsPerSecond or sessionsPerSecond, not both',
      params: { expected: 'exactly one of: requestsPerSecond, sessionsPerSecond' },
    });
  }
};

export const ARRIVAL_PROCESSES = ['poisson', 'gamma', 'diurnal', 'closed-loop'] as const;

const ArrivalsSchema = z
  .discriminatedUnion(
    'process',
    [
      mapping(
        { process: z.literal('poisson'), ...rates },
        'Poisson arrivals',
        'Poisson arrivals at a mean rate.',
      ).superRefine(oneRate),
      mapping(
        {
          process: z.literal('gamma'),
          ...rates,
          cv: positiveNumber(
            'Coefficient of variation of inter-arrival times (1 = Poisson; > 1 bursty).',
          ),
        },
        'gamma arrivals',
        'Gamma-distributed inter-arrival times: bursty traffic.',
      ).superRefine(oneRate),
      mapping(
        {
          process: z.literal('diurnal'),
          ...rates,
          hourlyMultipliers: list(
            positiveNumber('Rate multiplier of one slice of the period (normalised to mean 1).'),
            'positive numbers',
            'Rate profile over the period in equal slices (24 = hourly over a day); the stated rate is the mean.',
          ),
          periodSeconds: positiveNumber(
            'Length of the profile period, seconds (default 86400: a day).',
          ).optional(),
        },
        'diurnal arrivals',
        'Poisson arrivals whose rate follows a daily (or other periodic) profile.',
      ).superRefine(oneRate),
      mapping(
        {
          process: z.literal('closed-loop'),
          concurrency: positiveInt(
            'Clients in the class, fleet-wide; each sends its next request (or session) when the last ends.',
          ),
        },
        'closed-loop arrivals',
        'A fixed number of clients, each with one request or session in flight.',
      ),
    ],
    { error: expectedMessage(`arrivals {process: ${ARRIVAL_PROCESSES.join(' | ')}, …}`) },
  )
  .describe('Arrival process of the class.');

export const SloSchema = mapping(
  {
    ttftP99Seconds: positiveNumber('99th-percentile time to first token, seconds.').optional(),
    tpotP99Seconds: positiveNumber('99th-percentile time per output token, seconds.').optional(),
    e2eP99Seconds: positiveNumber('99th-percentile end-to-end latency, seconds.').optional(),
  },
  'SLO targets',
  'Latency targets; goodput counts requests that meet all of them. `{}` means none.',
);

const RequestClassSchema = mapping(
  {
    name: text('Class name, unique in the workload.'),
    kind: z.literal('request'),
    arrivals: ArrivalsSchema,
    inputTokens: distribution(1, 'tokens', 'Prompt length, tokens.'),
    outputTokens: distribution(1, 'tokens', 'Output length, tokens.'),
    cachedPrefixFraction: fractionClosedOpen(
      'Share of prompt tokens that hit a shared cached prefix.',
    ).optional(),
    slo: SloSchema,
    deployment: text(
      'Deployment serving the class (its name); required when the scenario has several.',
    ).optional(),
    priority: nonNegativeInt('Scheduling priority: 0 is served first (default 0).').optional(),
  },
  'a request class',
  'Independent requests (chat, RAG, completion).',
).superRefine((c, ctx) => {
  const arrivals: unknown = c.arrivals;
  if (isRecord(arrivals) && arrivals.sessionsPerSecond !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['arrivals', 'sessionsPerSecond'],
      message: 'request classes arrive in requests per second',
      params: { expected: 'requestsPerSecond' },
    });
  }
}, evenWithFieldIssues);

const SessionSchema = mapping(
  {
    calls: distribution(1, 'calls', 'LLM calls per session.'),
    firstPromptTokens: distribution(1, 'tokens', 'Prompt tokens of the first call.'),
    appendTokens: distribution(
      0,
      'tokens',
      'New tokens appended to the context before each later call (tool results, user turns).',
    ),
    outputTokens: distribution(1, 'tokens', 'Output tokens per call.'),
    thinkSeconds: distribution(
      0,
      'seconds',
      'Tool / user time between a call ending and the next starting, seconds.',
    ),
    systemPromptTokens: nonNegativeInt(
      'Tokens of a system prompt shared by every session of the class (part of the first prompt).',
    ).optional(),
    subAgents: mapping(
      {
        probabilityPerCall: fractionClosedOpen(
          'Probability that a call forks sub-agent sessions; the parent waits for them.',
        ),
        childrenPerFork: distribution(1, 'sessions', 'Child sessions per fork.').optional(),
        calls: distribution(1, 'calls', 'LLM calls per child session.'),
        taskTokens: distribution(
          0,
          'tokens',
          "Task tokens appended to the child's inherited context.",
        ),
      },
      'sub-agent settings',
      'Sub-agents: a call forks child sessions that start from the parent context; the parent joins them.',
    ).optional(),
    compaction: mapping(
      {
        thresholdTokens: positiveInt('Prompt tokens above which the context is compacted.'),
        summaryTokens: distribution(1, 'tokens', 'Length of the summary that replaces it.'),
      },
      'compaction settings',
      'Context compaction, as coding agents do when the context nears the window.',
    ).optional(),
  },
  'agent-session settings',
  'Shape of a session: a chain of calls over a growing context.',
);

const AgentSessionClassSchema = mapping(
  {
    name: text('Class name, unique in the workload.'),
    kind: z.literal('agent-session'),
    arrivals: ArrivalsSchema,
    session: SessionSchema,
    slo: SloSchema,
    deployment: text(
      'Deployment serving the class (its name); required when the scenario has several.',
    ).optional(),
    priority: nonNegativeInt('Scheduling priority: 0 is served first (default 0).').optional(),
  },
  'an agent-session class',
  'Agent sessions: chains of LLM calls whose prompts grow and share a prefix.',
).superRefine((c, ctx) => {
  const arrivals: unknown = c.arrivals;
  if (isRecord(arrivals) && arrivals.requestsPerSecond !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['arrivals', 'requestsPerSecond'],
      message: 'agent-session classes arrive in sessions per second',
      params: { expected: 'sessionsPerSecond' },
    });
  }
}, evenWithFieldIssues);

export const WORKLOAD_CLASS_KINDS = ['request', 'agent-session'] as const;

export const WorkloadClassSchema = z
  .discriminatedUnion('kind', [RequestClassSchema, AgentSessionClassSchema], {
    error: expectedMessage(`a workload class {kind: ${WORKLOAD_CLASS_KINDS.join(' | ')}, …}`),
  })
  .describe('One class of traffic with its own lengths, arrivals and SLOs.');

export const WorkloadSchema = mapping(
  { classes: list(WorkloadClassSchema, 'workload classes', 'Traffic classes served together.') },
  'a workload',
  'The traffic the fleet serves.',
).superRefine((w, ctx) => {
  uniqueNames(w.classes, ['classes'], 'class', ctx);
}, evenWithFieldIssues);

// ---------------------------------------------------------------------------------------------
// Later parts: simulation, failures, economics, estimate
// ---------------------------------------------------------------------------------------------

export const SimulationSchema = mapping(
  {
    durationSeconds: positiveNumber('Simulated time, seconds (warm-up included).'),
    warmupSeconds: nonNegativeNumber('Initial time excluded from metrics, seconds.'),
    timeSeriesIntervalSeconds: positiveNumber(
      'Interval of the time series in the result, seconds (default: duration / 120).',
    ).optional(),
    decodeJumps: bool(
      'Advance unchanged decode batches in one event (equal to step-by-step within 0.1%; default true).',
    ).optional(),
  },
  'simulation settings',
  'Serving-twin settings (DESIGN §5).',
).superRefine((s, ctx) => {
  if (!(s.warmupSeconds < s.durationSeconds)) {
    ctx.addIssue({
      code: 'custom',
      path: ['warmupSeconds'],
      message: 'warm-up must be shorter than the simulated duration',
      params: { expected: `a number < durationSeconds (${s.durationSeconds})` },
    });
  }
});

export const FailuresSchema = mapping(
  {
    acceleratorMtbfHours: positiveNumber('Mean time between failures of one accelerator, hours.'),
    repairHours: distribution(0, 'hours', 'Time to repair a failed accelerator, hours.'),
    weibullShape: positiveNumber(
      'Weibull shape of times to failure (1 = exponential; < 1 infant mortality).',
    ).optional(),
    nodeMtbfHours: positiveNumber(
      'Mean time between failures of one node from non-accelerator causes, hours.',
    ).optional(),
    retryLimit: nonNegativeInt(
      'Times a request lost to a failure is retried before it is dropped (default 1).',
    ).optional(),
    minReplicasUpFraction: fractionOpenClosed(
      'Share of replicas that must be up for the service to count as available (default 1).',
    ).optional(),
  },
  'failure settings',
  'Failures and repairs (DESIGN §5).',
);

export const OWNERSHIP_KINDS = ['own', 'rent', 'reserved'] as const;
export const AMORTIZATION_KINDS = ['straight-line', 'annuity'] as const;
export const COST_SPLIT_RULES = ['accelerator-time', 'price-ratio', 'total-tokens'] as const;
export const TARIFF_DAYS = ['weekdays', 'weekends', 'all'] as const;

const TimeOfUseBlockSchema = mapping(
  {
    days: oneOf(TARIFF_DAYS, 'Days the block applies to (weekdays = Monday–Friday).'),
    fromHour: nonNegativeInt('First hour of the block, 0–23, local time at the site.'),
    toHour: positiveInt('Hour the block ends (exclusive), 1–24; split blocks that cross midnight.'),
    priceUsdPerKwh: nonNegativeNumber('Energy price in the block, US dollars per kWh.'),
  },
  'a time-of-use block',
  'One price block of a time-of-use tariff.',
).superRefine((b, ctx) => {
  if (
    typeof b.fromHour === 'number' &&
    typeof b.toHour === 'number' &&
    !(b.fromHour < b.toHour && b.toHour <= 24)
  )
    ctx.addIssue({
      code: 'custom',
      path: ['toHour'],
      message: 'a block needs fromHour < toHour ≤ 24',
      params: { expected: `an integer in (${b.fromHour}, 24]` },
    });
}, evenWithFieldIssues);

const tokenKindNumbers = (what: string) =>
  mapping(
    {
      uncachedInput: nonNegativeNumber(`${what} of one uncached input (prompt) token.`),
      cachedInput: nonNegativeNumber(`${what} of one cached input (prefix-cache hit) token.`),
      output: nonNegativeNumber(`${what} of one output token.`),
    },
    `${what} per token kind`,
    `${what} per token, by kind.`,
  );

const CostSplitSchema = mapping(
  {
    rule: oneOf(
      COST_SPLIT_RULES,
      'How cost is split between token kinds: by accelerator time (default), by a price ratio, or all tokens alike (InferenceX).',
    ),
    ratio: tokenKindNumbers('Relative price').optional(),
    acceleratorSecondsPerToken: tokenKindNumbers('Accelerator-seconds').optional(),
  },
  'a cost split',
  'The rule that splits cost per token between uncached input, cached input and output.',
).superRefine((c, ctx) => {
  if (c.rule === 'price-ratio' && c.ratio === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['ratio'],
      message: 'the price-ratio rule needs a ratio',
      params: { expected: '{ uncachedInput, cachedInput, output }' },
    });
  if (c.rule !== 'price-ratio' && c.ratio !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['ratio'],
      message: 'ratio applies to the price-ratio rule only',
      params: { expected: 'no ratio, or rule: price-ratio' },
    });
  if (c.rule !== 'accelerator-time' && c.acceleratorSecondsPerToken !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['acceleratorSecondsPerToken'],
      message: 'acceleratorSecondsPerToken applies to the accelerator-time rule only',
      params: { expected: 'no acceleratorSecondsPerToken, or rule: accelerator-time' },
    });
}, evenWithFieldIssues);

/** An uncertain input as cost analysts write it (econ/uncertain.ts samples it). */
function uncertain(unit: string, description: string) {
  const value = (d: string) => nonNegativeNumber(d);
  const triangular = mapping(
    {
      dist: z.literal('triangular'),
      min: value(`Lowest value, ${unit}.`),
      mode: value(`Most likely value, ${unit}.`),
      max: value(`Highest value, ${unit}.`),
    },
    'a triangular distribution',
    'Triangular between min and max with its peak at mode.',
  ).superRefine((d, ctx) => {
    if (!(d.min <= d.mode && d.mode <= d.max && d.min < d.max))
      ctx.addIssue({
        code: 'custom',
        path: ['mode'],
        message: 'needs min ≤ mode ≤ max and min < max',
        params: { expected: `min ≤ mode ≤ max (got ${d.min}, ${d.mode}, ${d.max})` },
      });
  });
  const lognormal = mapping(
    {
      dist: z.literal('lognormal'),
      median: value(`Median, ${unit}.`),
      p90: value(`90th percentile, ${unit}; must exceed the median.`),
    },
    'a lognormal distribution',
    'Lognormal by median and 90th percentile.',
  ).superRefine((d, ctx) => {
    if (!(d.median > 0 && d.p90 > d.median))
      ctx.addIssue({
        code: 'custom',
        path: ['p90'],
        message: 'needs 0 < median < p90',
        params: { expected: `a number > median (${d.median})` },
      });
  });
  const uniform = mapping(
    { dist: z.literal('uniform'), min: value(`Lowest, ${unit}.`), max: value(`Highest, ${unit}.`) },
    'a uniform distribution',
    'Uniform between min and max.',
  ).superRefine((d, ctx) => {
    if (!(d.max > d.min))
      ctx.addIssue({
        code: 'custom',
        path: ['max'],
        message: 'max must exceed min',
        params: { expected: `a number > min (${d.min})` },
      });
  });
  return z
    .discriminatedUnion('dist', [triangular, lognormal, uniform], {
      error: expectedMessage('a distribution {dist: triangular | lognormal | uniform, …}'),
    })
    .describe(description)
    .optional();
}

export const UncertaintySchema = mapping(
  {
    capexFactor: uncertain(
      '× the stated capex',
      'System, network, storage and facility capex as a multiple of the stated values.',
    ),
    energyPriceFactor: uncertain(
      '× the energy price',
      'Energy price as a multiple of the stated price or tariff.',
    ),
    pueFactor: uncertain('× the PUE', 'Facility overhead (PUE) as a multiple of the stated PUE.'),
    throughputFactor: uncertain(
      '× the token rates',
      'Token throughput (utilization, goodput) as a multiple of the modeled rates.',
    ),
    lifeYears: uncertain('years', 'Useful life of the hardware, years.'),
    costOfCapital: uncertain('per year', 'Annual cost of capital (annuity amortization).'),
  },
  'uncertainty settings',
  'Distributions of uncertain cost inputs for the Monte Carlo of `aifactory cost --monte-carlo` (DESIGN §7); inputs left out stay at their values.',
);

export const EconomicsSchema = mapping(
  {
    ownership: oneOf(
      OWNERSHIP_KINDS,
      'Own the hardware, rent on demand, or reserve cloud capacity.',
    ),
    depreciationYears: positiveNumber(
      'Useful life for straight-line depreciation, years.',
    ).optional(),
    costOfCapital: fractionClosedOpen('Annual cost of capital (0.08 = 8 %).').optional(),
    amortization: oneOf(
      AMORTIZATION_KINDS,
      'Straight-line depreciation, or an annuity at costOfCapital (default: annuity when costOfCapital is given).',
    ).optional(),
    currencyYear: text('Currency and year of every money figure, e.g. `USD-2026`.')
      .regex(/^[A-Z]{3}-\d{4}$/, { error: expectedMessage('a currency-year like USD-2026') })
      .describe('Currency and year of every money figure, e.g. `USD-2026`.')
      .optional(),
    energyPriceUsdPerKwh: nonNegativeNumber(
      'Energy price, US dollars per kWh (overrides site.energyPriceUsdPerKwh and the region default).',
    ).optional(),
    timeOfUse: list(
      TimeOfUseBlockSchema,
      'time-of-use blocks',
      'A time-of-use tariff: price blocks covering every hour of the week exactly once.',
    ).optional(),
    systemCapexUsd: nonNegativeNumber(
      'Purchase price of one system (server or rack), US dollars (default: the catalog price).',
    ).optional(),
    networkingCapexShare: nonNegativeNumber(
      'Cluster networking capex as a share of system capex (0.15 = 15 %).',
    ).optional(),
    storageCapexShare: nonNegativeNumber(
      'Storage capex as a share of system capex (0.05 = 5 %).',
    ).optional(),
    facilityCapexUsdPerMw: nonNegativeNumber(
      'Facility build cost, US dollars per MW of critical IT load (building instead of renting space).',
    ).optional(),
    facilityLifeYears: positiveNumber(
      'Life over which the facility build is amortized, years.',
    ).optional(),
    maintenanceShareOfCapexPerYear: fractionClosedOpen(
      'Hardware maintenance per year as a share of hardware capex (0.06 = 6 %).',
    ).optional(),
    staffUsdPerYear: nonNegativeNumber('Operations staff cost, US dollars per year.').optional(),
    colocationUsdPerKwMonth: nonNegativeNumber(
      'Colocation price, US dollars per kW of contracted IT power per month (renting space).',
    ).optional(),
    softwareUsdPerGpuYear: nonNegativeNumber(
      'Software licences and support, US dollars per GPU per year.',
    ).optional(),
    rentUsdPerGpuHour: nonNegativeNumber(
      'Cloud price when renting or reserving, US dollars per GPU-hour (default: sourced cloud prices).',
    ).optional(),
    costSplit: CostSplitSchema.optional(),
    uncertainty: UncertaintySchema.optional(),
  },
  'economics settings',
  'Economic assumptions (DESIGN §7); unstated values come from sourced econ tables.',
).superRefine((e, ctx) => {
  const both = (a: keyof typeof e, b: keyof typeof e, why: string) => {
    if (e[a] !== undefined && e[b] !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [b],
        message: why,
        params: { expected: `${a} or ${b}` },
      });
  };
  both(
    'energyPriceUsdPerKwh',
    'timeOfUse',
    'give either energyPriceUsdPerKwh or timeOfUse, not both',
  );
  both(
    'facilityCapexUsdPerMw',
    'colocationUsdPerKwMonth',
    'give either facilityCapexUsdPerMw (build) or colocationUsdPerKwMonth (rent space), not both',
  );
  if (e.amortization === 'annuity' && e.costOfCapital === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['costOfCapital'],
      message: 'the annuity needs a cost of capital',
      params: { expected: 'a number in [0, 1)' },
    });
}, evenWithFieldIssues);

export const EstimateSchema = mapping(
  {
    concurrencyPerReplica: list(
      positiveInt('Concurrent requests per replica.'),
      'positive integers',
      'Extra concurrency points for the throughput–interactivity frontier.',
    ).optional(),
  },
  'estimate settings',
  'Settings of the analytical estimate.',
);

// ---------------------------------------------------------------------------------------------
// Scenario
// ---------------------------------------------------------------------------------------------

/** Names must be unique in a list; tolerates invalid items (see `evenWithFieldIssues`). */
function uniqueNames(
  items: unknown,
  at: (string | number)[],
  what: string,
  ctx: z.RefinementCtx,
): void {
  if (!Array.isArray(items)) return;
  const seen = new Map<string, number>();
  items.forEach((item: unknown, i) => {
    const name = isRecord(item) ? item.name : undefined;
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, i);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      path: [...at, i, 'name'],
      message: `${what} name '${name}' is already used by ${at.join('.')}.${first}`,
      params: { expected: `a ${what} name not used before` },
    });
  });
}

export const ScenarioSchema = mapping(
  {
    name: text('Scenario name.'),
    seed: nonNegativeInt('Seed of every random stream: same scenario + seed = same numbers.'),
    description: text('What question the scenario answers.').optional(),
    site: SiteSchema.optional(),
    deployments: list(DeploymentSchema, 'deployments', 'What runs where.'),
    workload: WorkloadSchema,
    estimate: EstimateSchema.optional(),
    simulation: SimulationSchema.optional(),
    failures: FailuresSchema.optional(),
    economics: EconomicsSchema.optional(),
  },
  'a scenario',
  'An aifactory scenario: site, deployments, workload and assumptions — the unit that is run, stored and compared.',
).superRefine((s, ctx) => {
  uniqueNames(s.deployments, ['deployments'], 'deployment', ctx);
}, evenWithFieldIssues);

/** What users write. */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
/** A validated scenario: distributions normalised to objects. */
export type Scenario = z.output<typeof ScenarioSchema>;

export type Site = NonNullable<Scenario['site']>;
export type DeploymentConfig = Scenario['deployments'][number];
export type EngineConfig = DeploymentConfig['engine'];
export type ParallelismConfig = DeploymentConfig['parallelism'];
export type PrecisionConfig = DeploymentConfig['precision'];
export type Workload = Scenario['workload'];
export type WorkloadClass = Workload['classes'][number];
export type Distribution = Extract<WorkloadClass, { kind: 'request' }>['inputTokens'];
export type Arrivals = WorkloadClass['arrivals'];
export type Slo = WorkloadClass['slo'];
