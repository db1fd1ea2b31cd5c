/**
 * Workload descriptions of the public measurement sets the project validates against, other
 * than MLPerf (see `benchmarks.ts`): ML.ENERGY Leaderboard v3.0 tasks, how aiconfigurator's
 * silicon samples were measured, and the InferenceX method. Pure data with sources.
 *
 * Bases differ — keep them apart: ML.ENERGY energy is GPU-only joules per *output* token;
 * InferenceX "tokens" are input + output; MLPerf tokens are output only.
 */
import type { SourceRef } from '../core/source.js';

// ---------------------------------------------------------------------------------------------
// ML.ENERGY Leaderboard v3.0

/** A mean token count with its source. */
export interface MeanTokens {
  meanTokens: number;
  p50Tokens?: number;
  p90Tokens?: number;
  ref: SourceRef;
}

/** One model's measured mean output length on a task (output length depends on the model). */
export interface MlEnergyOutputExample {
  modelId: string;
  gpu: 'H100' | 'B200';
  meanOutputTokens: number;
  ref: SourceRef;
}

export interface MlEnergyTask {
  /** Task id as in `ml-energy/leaderboard public/data/tasks/<id>.json`. */
  id: 'lm-arena-chat' | 'gpqa';
  /** Name the v3.0 blog uses. */
  displayName: string;
  /** Source of the prompts; the models generate their own outputs. */
  dataset: string;
  /** Whether the models run with reasoning (thinking) on. */
  reasoning: boolean;
  /** Mean prompt tokens. */
  input: MeanTokens;
  /**
   * Mean output tokens across models (each model's minimum-energy configuration on B200).
   * Output length is a property of the model as much as of the task: use `examples` for a
   * specific model.
   */
  output: MeanTokens;
  examples: MlEnergyOutputExample[];
  /** Serving engine used for every LLM configuration in v3.0. */
  runtime: string;
  ref: SourceRef;
}

const MLENERGY_BLOG: SourceRef = {
  source:
    'ml-energy/blog docs/posts/ml-energy-leaderboard-v3.0.md ("Reading the ML.ENERGY Leaderboard v3.0")',
  date: '2026-01-13',
  provenance: 'measured',
};

const inputNote =
  'The post gives prompt means as "(mean 634 vs. 224)" right after its Text Conversation | Problem Solving case-study table, without naming the order. Read as Text Conversation 634, Problem Solving 224 (same order as the table; LMArena prompts include long pasted content, GPQA-Diamond items are single questions with four options). The pairing is our reading.';

export const MLENERGY_TASKS: MlEnergyTask[] = [
  {
    id: 'lm-arena-chat',
    displayName: 'Text Conversation (LLM Chat, LM Arena)',
    dataset: 'LMArena Human Preference prompts',
    reasoning: false,
    input: {
      meanTokens: 634,
      ref: { ...MLENERGY_BLOG, provenance: 'derived', note: inputNote },
    },
    output: {
      meanTokens: 717,
      ref: {
        ...MLENERGY_BLOG,
        note: 'Problem Solving "mean 6,988 vs. 717" Text Conversation; mean over models of each model\'s minimum-energy configuration on B200. No p50/p90 published at task level.',
      },
    },
    examples: [
      {
        modelId: 'Qwen/Qwen3-32B',
        gpu: 'B200',
        meanOutputTokens: 627,
        ref: {
          ...MLENERGY_BLOG,
          note: 'Case study, 1x B200, reasoning off: average output tokens 627.',
        },
      },
      {
        modelId: 'Qwen/Qwen3-14B',
        gpu: 'H100',
        meanOutputTokens: 613.5,
        ref: {
          source:
            'ml-energy/leaderboard public/data/tasks/lm-arena-chat.json (commit 0ea52b6), Qwen/Qwen3-14B on 1x H100, max_num_seqs 128: avg_output_len 613.52',
          provenance: 'measured',
          note: 'Other batch sizes of the same model: 611–625 tokens.',
        },
      },
    ],
    runtime: 'vLLM 0.11.1',
    ref: {
      source:
        'ml-energy/benchmark docs/overview.md (task list, request datasets, vLLM 0.11.1); ml-energy/leaderboard public/data/tasks/lm-arena-chat.json',
      provenance: 'published-config',
    },
  },
  {
    id: 'gpqa',
    displayName: 'Problem Solving (GPQA)',
    dataset: 'GPQA Diamond questions',
    reasoning: true,
    input: {
      meanTokens: 224,
      ref: { ...MLENERGY_BLOG, provenance: 'derived', note: inputNote },
    },
    output: {
      meanTokens: 6988,
      ref: {
        ...MLENERGY_BLOG,
        note: '"Problem Solving on average generates 10x more output tokens than Text Conversation (mean 6,988 vs. 717)"; minimum-energy configurations on B200, mean over models.',
      },
    },
    examples: [
      {
        modelId: 'Qwen/Qwen3-32B',
        gpu: 'B200',
        meanOutputTokens: 7035,
        ref: {
          ...MLENERGY_BLOG,
          note: 'Case study, 1x B200, reasoning on: average output tokens 7,035 (max batch 128 vs 512 for chat).',
        },
      },
    ],
    runtime: 'vLLM 0.11.1',
    ref: {
      source:
        'ml-energy/benchmark docs/overview.md (task list, request datasets, vLLM 0.11.1); ml-energy/leaderboard public/data/tasks/gpqa.json',
      provenance: 'published-config',
    },
  },
];

// ---------------------------------------------------------------------------------------------
// aiconfigurator silicon samples: how TTFT/TPOT were measured

/** One finding about a measurement method, with its source. */
export interface MethodNote {
  topic: string;
  finding: string;
  ref: SourceRef;
}

export interface SiliconMeasurementNotes {
  /** One-paragraph summary for reports. */
  summary: string;
  /**
   * Statistic the `silicon_ttft_ms` / `silicon_tpot_ms` columns hold, as far as the sources
   * show. `mean` for the rows traced to InferenceX database dumps; not stated for the rest.
   */
  latencyStatistic: {
    ttft: 'mean';
    tpot: 'mean';
    certainty: 'documented-for-some-rows';
    ref: SourceRef;
  };
  /** How requests are issued: closed-loop, a fixed number of requests in flight. */
  requestPattern: 'closed-loop-concurrency';
  notes: MethodNote[];
}

export const AICONFIGURATOR_BENCH_NOTES: SiliconMeasurementNotes = {
  summary:
    'Silicon TTFT/TPOT are per-configuration summary values from closed-loop benchmarks: a client keeps `concurrency` requests in flight (no arrival process, request rate unlimited), on synthetic random prompts of fixed ISL/OSL with EOS ignored, about 10 × concurrency requests per point. Where the source is traceable (rows labelled db-dump/config_id/workflow_run_id — InferenceX runs), the values are MEANS (mean_ttft, mean_tpot), not medians or p99. TPOT is the per-request (E2E − TTFT)/(N − 1) of vLLM/SGLang bench tools. Compare them with mean predictions, not with MLPerf p99 limits.',
  latencyStatistic: {
    ttft: 'mean',
    tpot: 'mean',
    certainty: 'documented-for-some-rows',
    ref: {
      source:
        'ai-dynamo/aisimulate scripts/e2e_accuracy (campaign over InferenceX measurement tables configs/workflow_runs/benchmark_results): "silicon_ttft_ms": bench["metrics"]["mean_ttft"] * 1000, "silicon_tpot_ms": bench["metrics"]["mean_tpot"] * 1000; points without positive mean_ttft/mean_tpot are excluded ("missing_mean_latency")',
      date: '2026',
      provenance: 'published-config',
      note: "aiconfigurator's own silicon_sample.csv does not state the statistic per row; shared/reference/README.md says to treat the values as typical, not a percentile. Older rows (source_file=…/aic-auto-gap-analysis/data/<system>/<backend>/<version>/<model>.csv) come from aiconfigurator's eval harness, whose parsers keep avg, p50, p90, p99 side by side; which one was copied is not documented.",
    },
  },
  requestPattern: 'closed-loop-concurrency',
  notes: [
    {
      topic: 'batch_size column',
      finding:
        'batch_size is concurrency per attention-DP rank; total concurrency = batch_size × attention_dp_size (also silicon_concurrency in silicon_data_source).',
      ref: {
        source: 'shared/reference/README.md (aiconfigurator-silicon field notes)',
        provenance: 'published-config',
      },
    },
    {
      topic: 'aiconfigurator eval client: genai-perf',
      finding:
        '`aiconfigurator eval` runs `genai-perf profile --endpoint-type chat --streaming --concurrency N --request-count 10N --warmup-request-count 2N --num-dataset-entries 12N --synthetic-input-tokens-mean ISL --synthetic-input-tokens-stddev 0 --output-tokens-mean OSL --output-tokens-stddev 0` with max_tokens = min_tokens = OSL and ignore_eos; it parses avg/p50/p90/p95/p99/min/max/std of time_to_first_token and inter_token_latency.',
      ref: {
        source:
          'ai-dynamo/aiconfigurator src/aiconfigurator/eval/benchmarks/genai_perf_runner.py; src/aiconfigurator/eval/pipeline.py (imports genai_perf runner)',
        provenance: 'published-config',
      },
    },
    {
      topic: 'aiconfigurator eval client: SGLang bench_serving (alternative runner)',
      finding:
        'bench_serving.py --dataset-name random --random-input-len ISL --random-output-len OSL --random-range-ratio 1 --num-prompts 10 × concurrency --max-concurrency N (request rate unlimited), seed 42, 0 warmups; mean_ttft_ms → time_to_first_token_avg, median_ttft_ms → _p50, p99 → _p99; ITL likewise.',
      ref: {
        source:
          'ai-dynamo/aiconfigurator src/aiconfigurator/eval/benchmarks/bench_serving_runner.py',
        provenance: 'published-config',
      },
    },
    {
      topic: 'Auto concurrency sweep',
      finding:
        'With BENCHMARK_CONCURRENCY=auto the eval picks up to 6 points from 1 to the engine max_batch_size (1, ~1/8, 1/4, 1/2, 3/4 of max, max), snapped to a grid.',
      ref: {
        source:
          'ai-dynamo/aiconfigurator src/aiconfigurator/eval/pipeline.py (_auto_concurrency_values); tools/automation/README.md',
        provenance: 'published-config',
      },
    },
    {
      topic: 'InferenceX-sourced rows',
      finding:
        'Rows whose silicon_data_source reads db-dump/<date>; config_id; workflow_run_id; <image> match the InferenceX measurement database: vLLM/SGLang serving benchmark with random prompts, input length drawn from 80–100% of ISL (range ratio 0.8), request rate inf, --max-concurrency sweep, --ignore-eos, num-prompts 10 × concurrency, 2 × concurrency warmups.',
      ref: {
        source:
          'ai-dynamo/aisimulate e2e accuracy campaign (replay workload: request_count = concurrency × 10, random_range_ratio 0.8); shared/reference/public-data.json inferencex_methodology items',
        provenance: 'derived',
        note: 'The match is by field names and workflow; aiconfigurator does not document the import.',
      },
    },
    {
      topic: 'Prefix caching',
      finding:
        'Random synthetic prompts: no prefix reuse, so TTFT includes full prefill of every prompt.',
      ref: {
        source:
          'shared/reference/public-data.json inferencex_methodology ("Prefix caching avoided (random data)")',
        provenance: 'published-config',
      },
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// InferenceX method

export interface InferenceXMethod {
  /** Fixed ISL/OSL pairs, tokens. */
  scenarios: { inputTokens: number; outputTokens: number; status: string }[];
  /** Input length drawn uniformly from [ratio × ISL, ISL]. */
  randomRangeRatio: number;
  /** Interactivity axis = 1000 / median TPOT (ms), tokens/s/user. */
  interactivityDefinition: string;
  /** Throughput axis: total (input + output) tokens/s per GPU. */
  throughputDefinition: string;
  loadPattern: string;
  refs: SourceRef[];
}

export const INFERENCEX_METHOD: InferenceXMethod = {
  scenarios: [
    { inputTokens: 1024, outputTokens: 1024, status: 'deprecated for all models 2026-07-17' },
    { inputTokens: 1024, outputTokens: 8192, status: 'deprecated 2026-03-27' },
    { inputTokens: 8192, outputTokens: 1024, status: 'primary fixed-sequence scenario' },
  ],
  randomRangeRatio: 0.8,
  interactivityDefinition:
    'x-axis = median interactivity = 1000 / median TPOT (ms), tokens/s/user; note MEDIAN here, whereas the rows aiconfigurator/aisimulate import use mean_ttft/mean_tpot',
  throughputDefinition:
    'tput_per_gpu = total_token_throughput (input + output) / GPUs (single node: tp × pp × pcp; disaggregated: prefill + decode GPUs); output_tput_per_gpu uses decode GPUs, input_tput_per_gpu prefill GPUs',
  loadPattern:
    'Random token prompts; --request-rate inf with a --max-concurrency sweep (closed loop); --ignore-eos; num-prompts = 10 × concurrency in single-node scripts; warmups 2 × concurrency; prefix caching avoided by random data. AgentX trace-replay agentic scenario added 2026-08.',
  refs: [
    {
      source:
        'SemiAnalysisAI/InferenceX MODELS.md; InferenceX-app content/blog/inferencemax-open-source-inference-benchmarking.mdx (via public-data.json inferencex_methodology "fixed-sequence scenarios")',
      date: '2026-08-21',
      provenance: 'published-config',
    },
    {
      source:
        'SemiAnalysisAI/InferenceX .github/workflows/benchmark-tmpl.yml (RANDOM_RANGE_RATIO); benchmarks/benchmark_lib.sh (via public-data.json inferencex_methodology "random input length range ratio")',
      date: '2026-08-21',
      provenance: 'published-config',
    },
    {
      source:
        'SemiAnalysisAI/InferenceX utils/process_result.py; InferenceX-app inference-chart-config.json (via public-data.json inferencex_methodology "interactivity definition")',
      date: '2026-08-21',
      provenance: 'published-config',
    },
  ],
};
