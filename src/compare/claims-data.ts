/**
 * Built-in vendor claims, copied as data from reference/public-data.json (category
 * `vendor_claim`, 19 items) with each claim's source and date. Items that are the inputs of
 * another claim's arithmetic (NVIDIA's per-GPU throughput and $/GPU-hour examples) appear as
 * those inputs and as claims of their own where they state a figure. Conditions a claim leaves
 * out are listed with what the secondary sources say about them; nothing is filled in.
 */
import type { Claim, ClaimInput } from './claims.js';

const NVIDIA_TCO_BLOG =
  "NVIDIA blog 'Rethinking AI TCO: why cost per token is the only metric that matters' (Apr 2026), as reported by https://en.theblockbeats.news/flash/343757 and https://agileleadershipdayindia.org/news/2026/apr/nvidia-blackwell-cost-per-token-ai-tco.html; formula image https://blogs.nvidia.com/wp-content/uploads/2026/04/inference-equation-token-5115300-scaled.png";
const NVIDIA_PERSPECTIVES_TCO =
  'https://perspectives.nvidia.com/task/faq/highest-token-cost-efficiency-accelerator-benchmarks/';
const INFERENCEX_CONSTANTS =
  'SemiAnalysisAI/InferenceX-app packages/app/src/lib/constants.ts (GPU_SPECS; commit 77ca49a)';
const NVIDIA_INFERENCEMAX_BLOG =
  'https://developer.nvidia.com/blog/nvidia-blackwell-leads-on-new-semianalysis-inferencemax-benchmarks';
const NVIDIA_INFERENCEMAX_PRESS =
  'https://metropulsenews.com/nvidia-blackwell-raises-bar-in-new-inferencemax-benchmarks-delivering-unmatched-efficiency-and-effectivity (copy of NVIDIA InferenceMAX v1 press post)';
const MLPERF_V6_NVIDIA =
  'https://www.storagereview.com/news/nvidia-sets-mlperf-inference-v6-0-records-with-blackwell-ultra-platform ; https://butlerscryptohelp.com/?p=18849 (copy of NVIDIA blog)';

const input = (value: number, unit: string, source: string): ClaimInput => ({
  value,
  unit,
  source,
});

/** NVIDIA's DeepSeek-R1 example (TCO blog): tok/s per GPU and $/GPU-hour of each side. */
const GB300_TOK = input(
  6000,
  'tok/s per GPU',
  `${NVIDIA_TCO_BLOG} (GB300 NVL72, DeepSeek-R1, FP4 + MTP)`,
);
const H200_TOK = input(90, 'tok/s per GPU', `${NVIDIA_TCO_BLOG} (HGX H200, DeepSeek-R1)`);
const GB300_USD = input(
  2.65,
  'USD per GPU-hour',
  `${NVIDIA_TCO_BLOG} (equals InferenceX costh GB300 2.652)`,
);
const H200_USD = input(
  1.41,
  'USD per GPU-hour',
  `${NVIDIA_TCO_BLOG} (equals InferenceX costh H200)`,
);
const GB300_KW = input(
  2.1,
  'kW per GPU (all-in provisioned utility power)',
  `${INFERENCEX_CONSTANTS} GB300`,
);
const H200_KW = input(
  1.73,
  'kW per GPU (all-in provisioned utility power)',
  `${INFERENCEX_CONSTANTS} H200`,
);

/** What NVIDIA's DeepSeek-R1 example (50×, 35×) leaves out, per the secondary sources. */
const NVIDIA_TCO_EXAMPLE_MISSING: Claim['missingConditions'] = [
  {
    condition: 'model',
    note: 'the Apr-2026 blog example is DeepSeek-R1; NVIDIA Perspectives pages attribute the 50×/35× to GPT-OSS-120B',
  },
  {
    condition: 'workload',
    note: 'input/output sequence lengths not stated (InferenceX’s primary fixed-sequence scenario is 8k/1k)',
  },
  {
    condition: 'interactivity',
    note: 'each per-GPU figure is a point on an InferenceX throughput–interactivity curve; the tok/s/user of either point is not stated',
  },
  {
    condition: 'precision-pairing',
    note: 'GB300 runs FP4 (+MTP) per theblockbeats; the H200 precision is not stated (Hopper has no FP4 tensor cores): FP4 vs FP8 at best',
  },
  {
    condition: 'speculative-decoding',
    note: 'GB300 uses MTP; whether the H200 point uses MTP is not stated',
  },
  {
    condition: 'hardware',
    note: '"vs Hopper" in the headline; the worked example uses HGX H200',
  },
];

export const BUILTIN_CLAIMS: readonly Claim[] = [
  {
    id: 'nvidia-gb300-tokens-per-mw-vs-hopper',
    claimant: 'NVIDIA',
    statement: 'GB300 NVL72 delivers up to 50x more tokens per megawatt than Hopper',
    source: `${NVIDIA_TCO_BLOG}; also ${NVIDIA_PERSPECTIVES_TCO}`,
    date: '2026-04',
    metric: 'tokens-per-mw',
    kind: 'ratio',
    value: 50,
    unit: 'x (up to)',
    qualifier: 'up-to',
    model: 'deepseek-r1',
    subject: {
      label: 'GB300 NVL72',
      systemId: 'gb300-nvl72',
      precision: 'nvfp4',
      speculative: 'mtp',
    },
    baseline: { label: 'Hopper (example: HGX H200)', systemId: 'hgx-h200-8gpu' },
    statedConditions: [
      'DeepSeek-R1 (blog example)',
      'GB300 NVL72: 6,000 tok/s per GPU, FP4 + MTP',
      'HGX H200: 90 tok/s per GPU',
      'points from SemiAnalysis InferenceX curves',
    ],
    missingConditions: [
      ...NVIDIA_TCO_EXAMPLE_MISSING,
      {
        condition: 'power-basis',
        note: 'the MW basis is not stated; the arithmetic here uses InferenceX’s all-in provisioned utility kW per GPU (GB300 2.1, H200 1.73), built from TDPs, not measured',
      },
    ],
    arithmetic: {
      formula: 'tokens-per-mw-ratio',
      inputs: {
        subjectTokensPerSecondPerGpu: GB300_TOK,
        subjectKwPerGpu: GB300_KW,
        baselineTokensPerSecondPerGpu: H200_TOK,
        baselineKwPerGpu: H200_KW,
      },
    },
    referenceItems: [
      'NVIDIA: GB300 NVL72 throughput per megawatt vs Hopper',
      'NVIDIA example: GB300 NVL72 tokens per GPU per second (DeepSeek-R1, FP4+MTP)',
      'NVIDIA example: HGX H200 tokens per GPU per second (DeepSeek-R1)',
      'InferenceX all-in provisioned utility power per GPU - GB300',
      'InferenceX all-in provisioned utility power per GPU - H200',
    ],
  },
  {
    id: 'nvidia-gb300-cost-per-token-vs-hopper',
    claimant: 'NVIDIA',
    statement: 'GB300 NVL72 delivers up to 35x lower cost per million tokens than Hopper',
    source: NVIDIA_TCO_BLOG,
    date: '2026-04',
    metric: 'cost-per-token',
    kind: 'ratio',
    value: 35,
    unit: 'x lower (up to)',
    qualifier: 'up-to',
    model: 'deepseek-r1',
    subject: {
      label: 'GB300 NVL72',
      systemId: 'gb300-nvl72',
      precision: 'nvfp4',
      speculative: 'mtp',
    },
    baseline: { label: 'Hopper (example: HGX H200)', systemId: 'hgx-h200-8gpu' },
    statedConditions: [
      'DeepSeek-R1 (blog example)',
      'price basis: USD per GPU-hour 2.65 (GB300) and 1.41 (H200), equal to InferenceX hyperscaler-owned TCO (costh, 4-year life)',
      'published cost per M tokens: H200 $4.20, GB300 $0.12',
    ],
    missingConditions: [
      ...NVIDIA_TCO_EXAMPLE_MISSING,
      {
        condition: 'price-basis',
        note: 'whether tokens are output or total (input + output; InferenceX’s default) is not stated; the currency-year of the $/GPU-hour is not stated',
      },
    ],
    arithmetic: {
      formula: 'cost-per-token-ratio',
      inputs: {
        subjectTokensPerSecondPerGpu: GB300_TOK,
        subjectUsdPerGpuHour: GB300_USD,
        baselineTokensPerSecondPerGpu: H200_TOK,
        baselineUsdPerGpuHour: H200_USD,
      },
      published: [
        { name: 'HGX H200 cost per million tokens', value: 4.2, unit: 'USD per M tokens' },
        { name: 'GB300 NVL72 cost per million tokens', value: 0.12, unit: 'USD per M tokens' },
      ],
    },
    referenceItems: [
      'NVIDIA: GB300 NVL72 cost per million tokens vs Hopper',
      'NVIDIA example: HGX H200 cost per GPU-hour',
      'NVIDIA example: GB300 NVL72 cost per GPU-hour',
      'NVIDIA example: HGX H200 tokens per GPU per second (DeepSeek-R1)',
      'NVIDIA example: GB300 NVL72 tokens per GPU per second (DeepSeek-R1, FP4+MTP)',
    ],
  },
  {
    id: 'nvidia-h200-cost-per-million-tokens-example',
    claimant: 'NVIDIA',
    statement: 'HGX H200 serves DeepSeek-R1 at $4.20 per million tokens',
    source: NVIDIA_TCO_BLOG,
    date: '2026-04',
    metric: 'cost-per-token',
    kind: 'absolute',
    value: 4.2,
    unit: 'USD per million tokens',
    qualifier: 'approx',
    model: 'deepseek-r1',
    subject: { label: 'HGX H200', systemId: 'hgx-h200-8gpu' },
    statedConditions: ['DeepSeek-R1', '90 tok/s per GPU', '$1.41 per GPU-hour'],
    missingConditions: NVIDIA_TCO_EXAMPLE_MISSING.filter((m) =>
      ['workload', 'interactivity'].includes(m.condition),
    ),
    arithmetic: {
      formula: 'cost-per-million-tokens',
      inputs: { usdPerGpuHour: H200_USD, tokensPerSecondPerGpu: H200_TOK },
    },
    referenceItems: [
      'NVIDIA example: HGX H200 cost per million tokens',
      'NVIDIA example: HGX H200 cost per GPU-hour',
      'NVIDIA example: HGX H200 tokens per GPU per second (DeepSeek-R1)',
    ],
    notes: '1.41 ÷ (90 × 3600 ÷ 1e6) = 4.35, not 4.20: the published figure is 3.5% low.',
  },
  {
    id: 'nvidia-gb300-cost-per-million-tokens-example',
    claimant: 'NVIDIA',
    statement: 'GB300 NVL72 serves DeepSeek-R1 (FP4 + MTP) at $0.12 per million tokens',
    source: NVIDIA_TCO_BLOG,
    date: '2026-04',
    metric: 'cost-per-token',
    kind: 'absolute',
    value: 0.12,
    unit: 'USD per million tokens',
    qualifier: 'approx',
    model: 'deepseek-r1',
    subject: {
      label: 'GB300 NVL72',
      systemId: 'gb300-nvl72',
      precision: 'nvfp4',
      speculative: 'mtp',
    },
    statedConditions: ['DeepSeek-R1', 'FP4 + MTP', '6,000 tok/s per GPU', '$2.65 per GPU-hour'],
    missingConditions: NVIDIA_TCO_EXAMPLE_MISSING.filter((m) =>
      ['workload', 'interactivity'].includes(m.condition),
    ),
    arithmetic: {
      formula: 'cost-per-million-tokens',
      inputs: { usdPerGpuHour: GB300_USD, tokensPerSecondPerGpu: GB300_TOK },
    },
    referenceItems: [
      'NVIDIA example: GB300 NVL72 cost per million tokens',
      'NVIDIA example: GB300 NVL72 cost per GPU-hour',
      'NVIDIA example: GB300 NVL72 tokens per GPU per second (DeepSeek-R1, FP4+MTP)',
    ],
  },
  {
    id: 'nvidia-gb200-tokens-per-mw-vs-hopper-gpt-oss',
    claimant: 'NVIDIA',
    statement:
      'GB200 NVL72 delivers 10x the throughput per megawatt of Hopper on MoE (GPT-OSS-120B)',
    source:
      'https://perspectives.nvidia.com/task/faq/optimizing-throughput-scale-nvidia-blackwell-architecture/',
    date: '2026',
    metric: 'tokens-per-mw',
    kind: 'ratio',
    value: 10,
    unit: 'x',
    qualifier: 'approx',
    model: 'gpt-oss-120b',
    subject: { label: 'GB200 NVL72', systemId: 'gb200-nvl72' },
    baseline: { label: 'Hopper (H100 or H200 not stated)' },
    statedConditions: ['GPT-OSS-120B (MoE)'],
    missingConditions: [
      {
        condition: 'hardware',
        note: 'which Hopper system (H100 or H200, HGX or other) is not stated',
      },
      { condition: 'workload', note: 'sequence lengths not stated' },
      { condition: 'interactivity', note: 'interactivity not stated' },
      { condition: 'precision-pairing', note: 'precisions not stated' },
      {
        condition: 'power-basis',
        note: 'provisioned or drawn MW, and at which boundary, not stated',
      },
      { condition: 'speculative-decoding', note: 'not stated' },
    ],
    referenceItems: ['NVIDIA: GB200 NVL72 throughput per megawatt vs Hopper (MoE, GPT-OSS-120B)'],
  },
  {
    id: 'nvidia-inferencemax-gb200-vs-h200-dsr1-50tps',
    claimant: 'NVIDIA',
    statement:
      'On InferenceMAX v1, GB200 NVL72 delivers 15x the throughput of H200 on DeepSeek-R1 8k/1k at 50 tok/s per user',
    source: NVIDIA_INFERENCEMAX_BLOG,
    date: '2025-10',
    metric: 'throughput-per-gpu',
    kind: 'ratio',
    value: 15,
    unit: 'x',
    qualifier: 'at',
    model: 'deepseek-r1',
    subject: { label: 'GB200 NVL72', systemId: 'gb200-nvl72' },
    baseline: { label: 'H200 (InferenceMAX single node: HGX H200)', systemId: 'hgx-h200-8gpu' },
    workload: { inputTokens: 8192, outputTokens: 1024 },
    interactivityTokensPerSecondPerUser: 50,
    statedConditions: [
      'DeepSeek-R1',
      'ISL 8k / OSL 1k (InferenceMAX fixed-sequence scenario)',
      'at 50 tok/s per user',
      'GB200 NVL72 up to 10,000 tok/s per GPU',
    ],
    missingConditions: [
      {
        condition: 'precision-pairing',
        note: 'precisions of the two curves not stated (InferenceMAX v1 ran GB200 in FP4 and H200 in FP8)',
      },
      {
        condition: 'speculative-decoding',
        note: 'whether either side uses MTP is not stated',
      },
    ],
    referenceItems: [
      'NVIDIA on InferenceMAX v1: GB200 NVL72 vs H200 throughput, DeepSeek-R1 8k/1k @ 50 tok/s/user',
      'NVIDIA on InferenceMAX v1: GB200 NVL72 DeepSeek-R1 8k/1k throughput',
    ],
    notes:
      'Implied H200 throughput at 50 tok/s/user: 10,000 ÷ 15 ≈ 667 tok/s per GPU (not published). InferenceX throughput counts input + output tokens per GPU.',
  },
  {
    id: 'nvidia-inferencemax-gb200-dsr1-throughput',
    claimant: 'NVIDIA',
    statement:
      'GB200 NVL72 delivers up to 10,000 tok/s per GPU on DeepSeek-R1 8k/1k at 50 tok/s per user',
    source: NVIDIA_INFERENCEMAX_BLOG,
    date: '2025-10',
    metric: 'throughput-per-gpu',
    kind: 'absolute',
    value: 10000,
    unit: 'tok/s per GPU',
    qualifier: 'up-to',
    model: 'deepseek-r1',
    subject: { label: 'GB200 NVL72', systemId: 'gb200-nvl72' },
    workload: { inputTokens: 8192, outputTokens: 1024 },
    interactivityTokensPerSecondPerUser: 50,
    statedConditions: ['DeepSeek-R1', 'ISL 8k / OSL 1k', 'at 50 tok/s per user'],
    missingConditions: [
      { condition: 'precision-pairing', note: 'precision not stated (FP4 in InferenceMAX v1)' },
      { condition: 'speculative-decoding', note: 'not stated' },
      {
        condition: 'workload',
        note: 'whether tok/s counts output or input + output tokens (InferenceX’s default) is not stated',
      },
    ],
    referenceItems: ['NVIDIA on InferenceMAX v1: GB200 NVL72 DeepSeek-R1 8k/1k throughput'],
  },
  {
    id: 'nvidia-gb200-roi-15x',
    claimant: 'NVIDIA',
    statement: 'A $5M GB200 NVL72 investment generates $75M in token revenue (15x ROI)',
    source:
      'https://metropulsenews.com/nvidia-blackwell-raises-bar-in-new-inferencemax-benchmarks-delivering-unmatched-efficiency-and-effectivity (copy of NVIDIA press post)',
    date: '2025-10',
    metric: 'revenue-per-investment',
    kind: 'ratio',
    value: 15,
    unit: 'x (revenue ÷ investment)',
    qualifier: 'approx',
    model: 'deepseek-r1',
    subject: { label: 'GB200 NVL72', systemId: 'gb200-nvl72' },
    statedConditions: ['DeepSeek-R1 token revenue over 3 years (NVIDIA developer blog caption)'],
    missingConditions: [
      { condition: 'price-basis', note: 'token price and share of tokens sold not stated' },
      { condition: 'workload', note: 'not stated' },
      { condition: 'interactivity', note: 'not stated' },
      {
        condition: 'power-basis',
        note: 'energy, facility and operating costs: whether the $5M includes them is not stated',
      },
    ],
    arithmetic: {
      formula: 'quotient',
      inputs: {
        numerator: input(75e6, 'USD token revenue', NVIDIA_INFERENCEMAX_PRESS),
        denominator: input(5e6, 'USD investment', NVIDIA_INFERENCEMAX_PRESS),
      },
    },
    referenceItems: ['NVIDIA: $5M GB200 NVL72 investment -> token revenue'],
  },
  {
    id: 'nvidia-b200-gpt-oss-throughput',
    claimant: 'NVIDIA',
    statement: 'B200 delivers 60,000 tok/s per GPU on gpt-oss (and up to 1,000 tok/s per user)',
    source: NVIDIA_INFERENCEMAX_PRESS,
    date: '2025-10',
    metric: 'throughput-per-gpu',
    kind: 'absolute',
    value: 60000,
    unit: 'tok/s per GPU',
    qualifier: 'up-to',
    model: 'gpt-oss-120b',
    subject: { label: 'B200 (system not stated)' },
    statedConditions: ['gpt-oss'],
    missingConditions: [
      { condition: 'model', note: 'gpt-oss-120b or gpt-oss-20b not stated' },
      { condition: 'hardware', note: 'B200 system (HGX B200 or DGX) not stated' },
      { condition: 'workload', note: 'not stated' },
      {
        condition: 'interactivity',
        note: 'the 60,000 and the 1,000 tok/s per user are different points',
      },
      { condition: 'precision-pairing', note: 'not stated (MXFP4 is gpt-oss’s native format)' },
    ],
    referenceItems: ['NVIDIA: B200 gpt-oss throughput'],
  },
  {
    id: 'nvidia-b200-gpt-oss-cost',
    claimant: 'NVIDIA',
    statement: 'B200 serves gpt-oss at two cents per million tokens',
    source: NVIDIA_INFERENCEMAX_PRESS,
    date: '2025-10',
    metric: 'cost-per-token',
    kind: 'absolute',
    value: 0.02,
    unit: 'USD per million tokens',
    qualifier: 'approx',
    model: 'gpt-oss-120b',
    subject: { label: 'B200 (system not stated)' },
    statedConditions: ['gpt-oss'],
    missingConditions: [
      { condition: 'hardware', note: 'B200 system not stated' },
      { condition: 'price-basis', note: '$/GPU-hour and token count (output or total) not stated' },
      { condition: 'workload', note: 'not stated' },
      { condition: 'interactivity', note: 'not stated' },
    ],
    referenceItems: ['NVIDIA: B200 gpt-oss cost'],
    notes:
      'The press post also claims 5x lower cost per token in 2 months on the same hardware (software).',
  },
  {
    id: 'mlperf-v6-dsr1-offline-gb300-per-gpu',
    claimant: 'NVIDIA (MLPerf Inference v6.0 result, vendor-reported)',
    statement: 'GB300 NVL72 x4 (288 GPUs): 2,494,310 tok/s on DeepSeek-R1 Offline, ~8,661 per GPU',
    source: MLPERF_V6_NVIDIA,
    date: '2026-04-01',
    metric: 'throughput-per-gpu',
    kind: 'absolute',
    value: 8661,
    unit: 'tok/s per GPU',
    qualifier: 'approx',
    model: 'deepseek-r1',
    subject: { label: 'GB300 NVL72 x4 (288 GPUs)', systemId: 'gb300-nvl72' },
    statedConditions: ['MLPerf Inference v6.0 DeepSeek-R1 Offline scenario', '288 GPUs'],
    missingConditions: [
      { condition: 'precision-pairing', note: 'precision not stated in the source read' },
      {
        condition: 'workload',
        note: 'MLPerf’s DeepSeek-R1 dataset, not a fixed ISL/OSL; Offline has no latency bound',
      },
    ],
    arithmetic: {
      formula: 'quotient',
      inputs: {
        numerator: input(2494310, 'tok/s', MLPERF_V6_NVIDIA),
        denominator: input(288, 'GPUs', MLPERF_V6_NVIDIA),
      },
    },
    referenceItems: ['MLPerf v6.0 DeepSeek-R1 Offline, GB300 NVL72 x4 (288 GPUs)'],
  },
  {
    id: 'mlperf-v6-dsr1-server-gb300-total',
    claimant: 'NVIDIA (MLPerf Inference v6.0 result, vendor-reported)',
    statement: 'GB300 NVL72 (288 GPUs): 1,555,110 tok/s on DeepSeek-R1 Server',
    source: MLPERF_V6_NVIDIA,
    date: '2026-04-01',
    metric: 'throughput',
    kind: 'absolute',
    value: 1555110,
    unit: 'tok/s',
    qualifier: 'at',
    model: 'deepseek-r1',
    subject: { label: 'GB300 NVL72 (288 GPUs)', systemId: 'gb300-nvl72' },
    statedConditions: [
      'MLPerf Inference v6.0 DeepSeek-R1 Server scenario (TTFT/TPOT limits)',
      '288 GPUs',
    ],
    missingConditions: [
      { condition: 'precision-pairing', note: 'precision not stated in the source read' },
      { condition: 'workload', note: 'MLPerf’s DeepSeek-R1 dataset, not a fixed ISL/OSL' },
    ],
    referenceItems: ['MLPerf v6.0 DeepSeek-R1 Server, GB300 NVL72 (288 GPUs)'],
    notes:
      '1,555,110 ÷ 288 = 5,400 tok/s per GPU, not the 8,064 per GPU reported for the same scenario: the two vendor-reported figures disagree at 288 GPUs.',
  },
  {
    id: 'mlperf-v6-dsr1-server-per-gpu-gain',
    claimant: 'NVIDIA (MLPerf Inference v6.0 vs v5.1, vendor-reported)',
    statement:
      'GB300 NVL72 DeepSeek-R1 Server throughput per GPU rose to 8,064 tok/s from 2,907 in v5.1 (2.77x, same hardware)',
    source: MLPERF_V6_NVIDIA,
    date: '2026-04-01',
    metric: 'throughput-per-gpu',
    kind: 'ratio',
    value: 2.77,
    unit: 'x (same hardware, software)',
    qualifier: 'approx',
    model: 'deepseek-r1',
    subject: { label: 'GB300 NVL72, MLPerf v6.0 software', systemId: 'gb300-nvl72' },
    baseline: { label: 'GB300 NVL72, MLPerf v5.1 software', systemId: 'gb300-nvl72' },
    statedConditions: ['MLPerf DeepSeek-R1 Server scenario', 'same hardware'],
    missingConditions: [
      {
        condition: 'software-version',
        note: 'the gain is software (engine, kernels, parallelism); the twin models one software state',
      },
      { condition: 'system-size', note: 'GPU count of the 8,064 tok/s per GPU figure not stated' },
    ],
    arithmetic: {
      formula: 'quotient',
      inputs: {
        numerator: input(8064, 'tok/s per GPU (v6.0)', MLPERF_V6_NVIDIA),
        denominator: input(2907, 'tok/s per GPU (v5.1)', MLPERF_V6_NVIDIA),
      },
    },
    referenceItems: ['MLPerf v6.0 DeepSeek-R1 Server per GPU, GB300 NVL72'],
  },
  {
    id: 'mlperf-v6-dsr1-interactive-nvidia-best',
    claimant: 'NVIDIA (MLPerf Inference v6.0 result, vendor-reported)',
    statement: 'NVIDIA best DeepSeek-R1 Interactive result: 250,634 tok/s',
    source: MLPERF_V6_NVIDIA,
    date: '2026-04-01',
    metric: 'throughput',
    kind: 'absolute',
    value: 250634,
    unit: 'tok/s',
    qualifier: 'at',
    model: 'deepseek-r1',
    subject: { label: 'NVIDIA (system not stated)' },
    statedConditions: ['MLPerf Inference v6.0 DeepSeek-R1 Interactive scenario'],
    missingConditions: [
      { condition: 'hardware', note: 'system not stated in the source read' },
      { condition: 'system-size', note: 'GPU count not stated in the source read' },
    ],
    referenceItems: ['MLPerf v6.0 DeepSeek-R1 Interactive, NVIDIA best'],
  },
  ...(
    [
      ['offline', 'Offline', 1046150, '1,046,150'],
      ['server', 'Server', 1096770, '1,096,770'],
      ['interactive', 'Interactive', 677199, '677,199'],
    ] as const
  ).map(([key, scenario, value, words]): Claim => ({
    id: `mlperf-v6-gpt-oss-120b-${key}-nvidia-best`,
    claimant: 'NVIDIA (MLPerf Inference v6.0 result, vendor-reported)',
    statement: `NVIDIA best GPT-OSS-120B ${scenario} result: ${words} tok/s`,
    source: MLPERF_V6_NVIDIA,
    date: '2026-04-01',
    metric: 'throughput',
    kind: 'absolute',
    value,
    unit: 'tok/s',
    qualifier: 'at',
    model: 'gpt-oss-120b',
    subject: { label: 'NVIDIA (system not stated)' },
    statedConditions: [`MLPerf Inference v6.0 GPT-OSS-120B ${scenario} scenario`],
    missingConditions: [
      { condition: 'hardware', note: 'system not stated in the source read' },
      { condition: 'system-size', note: 'GPU count not stated in the source read' },
    ],
    referenceItems: ['MLPerf v6.0 GPT-OSS-120B Offline / Server / Interactive (NVIDIA best)'],
  })),
];
