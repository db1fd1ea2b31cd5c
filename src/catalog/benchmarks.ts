/**
 * MLPerf Inference datacenter LLM tasks, rounds v3.1–v6.x: dataset, token-length distributions,
 * latency limits and run rules, each with its source. Pure data plus one lookup
 * (`findMlperfTask`).
 *
 * Basis: MLPerf "tokens" are output (generated) tokens; throughput is output tokens/s for the
 * whole system. Output-length figures are those of the reference model on the task's dataset
 * (what the accuracy checker compares `TOKENS_PER_SAMPLE` against), not of any submitter.
 *
 * Not included, on purpose:
 * - `llama3.1-8b-edge` (edge suite, 5,000 samples, SingleStream/Offline) — not datacenter.
 * - `edge-agentic` (BFCL v4 function calling, edge suite, 2026) — not datacenter.
 * - `qwen3-vl-235b-a22b` (v6.0 datacenter, vision-language, 48,289 samples) — multimodal, no
 *   catalog model; add when the catalog models VLMs.
 * - v4.0 had no Llama 2 low-latency variant: a low-latency limit was dropped from the rules
 *   before v4.0 shipped; the interactive variant first appears in v5.0.
 */
import type { SourceRef } from '../core/source.js';

/** MLPerf Inference round, as MLCommons writes it. */
export type MlperfRound = 'v3.1' | 'v4.0' | 'v4.1' | 'v5.0' | 'v5.1' | 'v6.0' | 'v6.1';

/** Datacenter scenarios that LLM tasks are submitted in. */
export type MlperfScenario = 'Offline' | 'Server' | 'Interactive';

/** What a distribution's `maxTokens` is. */
export type TokenMaxKind =
  /** The largest value seen in a published run of the reference. */
  | 'observed'
  /** The reference generation cap (`max_new_tokens`/`max_tokens`): outputs never exceed it. */
  | 'generation-limit'
  /** The dataset's length filter or truncation: inputs never exceed it. */
  | 'dataset-limit'
  /** Only the model's context window is published; the dataset maximum is lower. */
  | 'context-limit';

/** Token lengths of one side (input or output) of a task's samples. */
export interface TokenLengthDistribution {
  /**
   * Mean tokens per sample. Absent where no public source gives it (never invented): the
   * input means of llama2-70b, mixtral-8x7b and gptj are not published in the sources reached.
   */
  meanTokens?: number;
  /**
   * Where no mean is published: an assumed mean with its reasoning, used by the validators and
   * reported as `assumption` in every case that relies on it. Never mixed with `meanTokens`.
   */
  assumedMean?: { tokens: number; ref: SourceRef };
  p50Tokens?: number;
  p90Tokens?: number;
  p99Tokens?: number;
  /** Upper bound; see `maxKind` for whether it is observed or a limit. */
  maxTokens: number;
  maxKind: TokenMaxKind;
  /** Largest value seen in a published run, where it differs from a limit in `maxTokens`. */
  observedMaxTokens?: number;
  minTokens?: number;
  /**
   * Quantiles of a published sample of the task's own lengths (e.g. the output token counts of
   * the compliance TEST06 logs of real submissions): the shape the validators fit to, where one
   * exists. `quantiles` are ascending `[probability, tokens]` pairs.
   */
  publishedSample?: { size: number; quantiles: [number, number][]; ref: SourceRef };
  ref: SourceRef;
}

/** A scenario's p99 latency limits. LLM tasks since v4.0 bound TTFT and TPOT separately. */
export interface LatencyLimit {
  /** p99 time to first token, seconds. Absent for GPT-J (request latency only). */
  ttftP99Seconds?: number;
  /** p99 time per output token after the first, seconds. Absent for GPT-J. */
  tpotP99Seconds?: number;
  /** p99 whole-request latency, seconds (GPT-J only). */
  requestP99Seconds?: number;
  /** First round the limit applied in. */
  sinceRound: MlperfRound;
  ref: SourceRef;
}

/** Accuracy variants of a task and what they compare against. */
export interface AccuracyTarget {
  /** Submitted variants: benchmark-name suffix and the fraction of the reference score required. */
  variants: { suffix: '99' | '99.9' | null; fractionOfReference: number }[];
  /** Reference scores and extra output-length gates, as the rules state them. */
  reference: string;
  ref: SourceRef;
}

export interface MlperfTask {
  /** Benchmark name as submitted (results tables, `summary_results.json`). */
  id: string;
  /** Other spellings: accuracy variants, v5.0 interactive names, loadgen names (`llama3_1-…`). */
  aliases: string[];
  /** Catalog model id. */
  modelId: string;
  suite: 'datacenter';
  rounds: { first: MlperfRound; last?: MlperfRound; ref: SourceRef };
  accuracyTarget: AccuracyTarget;
  dataset: {
    name: string;
    /** Samples in the performance (QSL) set. */
    numSamples: number;
    /** Samples in a separate accuracy set, where the task has one (gpt-oss-120b). */
    accuracyNumSamples?: number;
    ref: SourceRef;
  };
  input: TokenLengthDistribution;
  output: TokenLengthDistribution;
  /** Offline has no latency bound. */
  latencyLimits: { Server: LatencyLimit; Interactive?: LatencyLimit };
  /** Minimum run duration, seconds (loadgen `min_duration`, Offline and Server). */
  minDurationSeconds: number;
  minDurationRef: SourceRef;
  /**
   * Minimum queries. Offline: samples in the single Offline query (loadgen
   * `Offline.min_query_count`). Server: the submission checker's table value; early stopping
   * decides validity in practice, so treat it as nominal.
   */
  minQueryCount: { Offline: number; Server?: number; ref: SourceRef };
  /** Closed division. Open division allows any model change, speculation included. */
  speculativeDecodingAllowed: {
    Offline: boolean;
    Server: boolean;
    Interactive?: boolean;
    ref: SourceRef;
  };
  ref: SourceRef;
}

// ---------------------------------------------------------------------------------------------
// Shared sources

const MLPERF_CONF = 'mlcommons/inference loadgen/mlperf.conf';
const MLPERF_CONF_DATE = '2026-08-20';
const CHECKER =
  'mlcommons/inference tools/submission/submission_checker/constants.py (MODEL_CONFIG v5.0/v5.1/v6.0, LLM_LATENCY_LIMITS)';
const PUBLIC_DATA = 'shared/reference/public-data.json, category mlperf_constraint';

/** loadgen `*.Offline.min_duration = 600000` and `*.Server.min_duration = 600000` (ms). */
const MIN_DURATION_SECONDS = 600;
/** Submission checker `min-queries[...]["Server"]` for every LLM task. */
const SERVER_MIN_QUERIES = 270_336;

const durationRef: SourceRef = {
  source: `${MLPERF_CONF}: *.Server.min_duration = 600000; *.Offline.min_duration = 600000`,
  date: MLPERF_CONF_DATE,
  provenance: 'published-config',
};

const noSpeculationRef: SourceRef = {
  source:
    'mlcommons.org/2026/03/mlperf-inference-gpt-oss ("This workload also features the first standard for speculative decoding in MLPerf", DeepSeek-R1 Interactive, v6.0)',
  date: '2026-03-24',
  provenance: 'derived',
  note: 'Closed division only. The v6.0 post calls DeepSeek-R1 Interactive the first MLPerf standard for speculative decoding, so no other closed LLM task/scenario permits it; read as false for all others.',
};

const limit = (
  ttftP99Seconds: number,
  tpotP99Seconds: number,
  sinceRound: MlperfRound,
  note: string,
): LatencyLimit => ({
  ttftP99Seconds,
  tpotP99Seconds,
  sinceRound,
  ref: {
    source: `${PUBLIC_DATA}; ${MLPERF_CONF}; ${CHECKER}`,
    date: MLPERF_CONF_DATE,
    provenance: 'published-config',
    note,
  },
});

// ---------------------------------------------------------------------------------------------
// The table

export const MLPERF_LLM_TASKS: MlperfTask[] = [
  {
    id: 'gptj-99',
    aliases: ['gptj-99.9', 'gptj', 'gpt-j', 'gpt-j-99', 'gpt-j-99.9', 'gpt-j-6b'],
    modelId: 'gpt-j-6b',
    suite: 'datacenter',
    rounds: {
      first: 'v3.1',
      last: 'v5.0',
      ref: {
        source: `${CHECKER}: gptj-99/-99.9 listed in v5.0, absent from v5.1 and v6.0; mlcommons.org/2025/09/small-llm-inference-5-1 (Llama 3.1 8B replaces GPT-J in v5.1)`,
        date: '2025-09',
        provenance: 'published-config',
        note: 'Introduced in v3.1 (MLCommons Llama 2 70B post: GPT-J "had a successful debut in the v3.1 round"). Datacenter and edge.',
      },
    },
    accuracyTarget: {
      variants: [
        { suffix: '99', fractionOfReference: 0.99 },
        { suffix: '99.9', fractionOfReference: 0.999 },
      ],
      reference:
        'FP32 ROUGE-1 42.9865, ROUGE-2 20.1235, ROUGE-L 29.9881; total generated length gen_len ≥ 90% of 4,016,878 characters',
      ref: {
        source: `mlcommons/inference docs/index.md (GPT-J); ${CHECKER} v5.0 accuracy-target`,
        provenance: 'published-config',
      },
    },
    dataset: {
      name: 'CNN/DailyMail v3.0.0 validation (max_seq_len 2048)',
      numSamples: 13_368,
      ref: {
        source: `mlcommons/inference docs/index.md (GPT-J); ${MLPERF_CONF}: gptj.*.performance_sample_count_override = 13368`,
        provenance: 'published-config',
      },
    },
    input: {
      maxTokens: 1919,
      maxKind: 'dataset-limit',
      ref: {
        source:
          'mlcommons/inference language/gpt-j/dataset.py (tokenizer(..., truncation=True, max_length=1919)); rules: CNN Dailymail max_seq_len=2048',
        provenance: 'published-config',
        note: 'Inputs are truncated to 1,919 tokens (GPT-J tokenizer) so 1,919 + 128 new tokens fit 2,048. Mean input length not published in the sources reached.',
      },
    },
    output: {
      meanTokens: 69,
      minTokens: 30,
      maxTokens: 128,
      maxKind: 'generation-limit',
      ref: {
        source: `${MLPERF_CONF}: gptj.*.infer_token_latencies = 1; gptj.*.token_latency_scaling_factor = 69. Reference generate kwargs max_new_tokens=128, min_new_tokens=30, num_beams=4 (mlcommons/inference language/gpt-j backend)`,
        date: MLPERF_CONF_DATE,
        provenance: 'published-config',
        note: "GPT-J does not report tokens: loadgen infers tokens/s as samples/s × 69, MLCommons' tokens-per-sample figure. Consistent with gen_len 4,016,878 chars / 13,368 samples ≈ 300 chars per summary.",
      },
    },
    latencyLimits: {
      Server: {
        requestP99Seconds: 20,
        sinceRound: 'v3.1',
        ref: {
          source: `${MLPERF_CONF}: gptj.Server.target_latency = 20000 (ms); ${CHECKER} latency-constraint gptj-99 Server 20 s`,
          date: MLPERF_CONF_DATE,
          provenance: 'published-config',
          note: 'Whole-request p99 latency; GPT-J has no TTFT/TPOT limits.',
        },
      },
    },
    minDurationSeconds: MIN_DURATION_SECONDS,
    minDurationRef: durationRef,
    minQueryCount: {
      Offline: 13_368,
      Server: SERVER_MIN_QUERIES,
      ref: {
        source: `${MLPERF_CONF}: gptj.Offline.min_query_count = 13368; ${CHECKER} min-queries`,
        provenance: 'published-config',
      },
    },
    speculativeDecodingAllowed: { Offline: false, Server: false, ref: noSpeculationRef },
    ref: {
      source: 'mlcommons/inference language/gpt-j; mlcommons/inference docs/index.md',
      provenance: 'published-config',
    },
  },

  {
    id: 'llama2-70b-99',
    aliases: [
      'llama2-70b-99.9',
      'llama2-70b',
      'llama2-70b-interactive-99',
      'llama2-70b-interactive-99.9',
      'llama2-70b-interactive',
      'llama-2-70b',
    ],
    modelId: 'llama-2-70b',
    suite: 'datacenter',
    rounds: {
      first: 'v4.0',
      ref: {
        source:
          'mlcommons.org/2024/03/mlperf-llama2-70b (introduced in v4.0); mlcommons.org/2025/04/llm-inference-v5 (Interactive added in v5.0)',
        provenance: 'published-config',
        note: 'v5.0 submitted the low-latency variant as separate benchmarks llama2-70b-interactive-99/-99.9 (Server scenario with interactive limits); v5.1+ as the Interactive scenario of llama2-70b-99/-99.9.',
      },
    },
    accuracyTarget: {
      variants: [
        { suffix: '99', fractionOfReference: 0.99 },
        { suffix: '99.9', fractionOfReference: 0.999 },
      ],
      reference:
        'FP16 ROUGE-1 44.4312, ROUGE-2 22.0352, ROUGE-L 28.6162; tokens per sample within 90–110% of 294.45',
      ref: {
        source: `mlcommons/inference language/llama2-70b/README.md (Accuracy Target); ${CHECKER} accuracy-target / accuracy-upper-limit`,
        provenance: 'published-config',
      },
    },
    dataset: {
      name: 'OpenOrca GPT-4 split, filtered (input ≤ 1024 tokens), equal sampling of COT/NIV/FLAN/T0',
      numSamples: 24_576,
      ref: {
        source: `mlcommons/inference language/llama2-70b/README.md (processorca.py --seqlen_limit=1024 --num_total_samples=24576); ${MLPERF_CONF}: llama2-70b.*.performance_sample_count_override = 24576`,
        provenance: 'published-config',
      },
    },
    input: {
      maxTokens: 1024,
      maxKind: 'dataset-limit',
      ref: {
        source:
          'mlcommons/inference language/llama2-70b/README.md (processorca.py --seqlen_limit=1024); community.amd.com MLPerf v4.1 post ("24,576 samples from the OpenORCA dataset, each with up to 1,024 input and output tokens")',
        provenance: 'published-config',
        note: 'Mean input length not published in the sources reached (the MLCommons Llama 2 70B post shows a histogram only).',
      },
      assumedMean: {
        tokens: 300,
        ref: {
          source: 'aifactory assumption',
          provenance: 'assumption',
          note: 'OpenOrca GPT-4 prompts (system prompt + question) are a few hundred tokens; 300 is taken as the mean until a published figure replaces it. Not fitted to any MLPerf result.',
        },
      },
    },
    output: {
      meanTokens: 294.45,
      minTokens: 1,
      maxTokens: 1024,
      maxKind: 'generation-limit',
      publishedSample: {
        size: 200,
        quantiles: [
          [0.05, 93],
          [0.1, 117.9],
          [0.25, 184.5],
          [0.5, 282],
          [0.75, 397.75],
          [0.9, 520.3],
          [0.95, 639.4],
        ],
        ref: {
          source:
            'data/reference/mlperf-test06-output-lengths.json: token_count of the 100 samples of the compliance TEST06 accuracy logs of NVIDIA B200-SXM-180GBx1 and DGX-H100 ×8 (TensorRT-LLM) (mlcommons/inference_results_v4.1, closed/NVIDIA/compliance/…/llama2-70b-99/Server/TEST06), pooled; linear-interpolation quantiles',
          date: '2024-08-28',
          provenance: 'derived',
          note: 'The same 100 prompts generated on two systems. The sample mean runs above the full-dataset mean (see meanTokens), which sets the level; the sample gives the shape only.',
        },
      },
      ref: {
        source:
          'mlcommons/inference language/llama2-70b/README.md (FP16 reference on DGX-H100: "Tokens per sample: 294.45"); docs/index.md; generation max_tokens=1024, min_tokens=1 (reference SUT; AMD v5.1 harness sampling_params)',
        provenance: 'published-config',
        note: 'Submitted accuracy logs report ~272–301 tokens/sample (public-data.json). A 3,000-sample performance subset on MI325X ran 4212.49 tok/s at 16.1778 samples/s = 260 tokens/sample (ASUSTeK v5.1 log), i.e. subsets vary.',
      },
    },
    latencyLimits: {
      Server: limit(
        2,
        0.2,
        'v4.0',
        'llama2-70b.Server.ttft_latency = 2000, tpot_latency = 200 (ms). Rounds v4.0+.',
      ),
      Interactive: limit(
        0.45,
        0.04,
        'v5.0',
        'llama2-70b-interactive.Server.ttft_latency = 450, tpot_latency = 40 (ms). v5.0: benchmark llama2-70b-interactive-99/-99.9 (Server scenario); v5.1+: Interactive scenario of llama2-70b-99/-99.9.',
      ),
    },
    minDurationSeconds: MIN_DURATION_SECONDS,
    minDurationRef: durationRef,
    minQueryCount: {
      Offline: 24_576,
      Server: SERVER_MIN_QUERIES,
      ref: {
        source: `${MLPERF_CONF}: llama2-70b.Offline.min_query_count = 24576; ${CHECKER} min-queries`,
        provenance: 'published-config',
      },
    },
    speculativeDecodingAllowed: {
      Offline: false,
      Server: false,
      Interactive: false,
      ref: noSpeculationRef,
    },
    ref: {
      source:
        'mlcommons/inference language/llama2-70b; mlcommons.org/2024/03/mlperf-llama2-70b; mlcommons.org/2025/04/llm-inference-v5',
      provenance: 'published-config',
    },
  },

  {
    id: 'mixtral-8x7b',
    aliases: ['mixtral'],
    modelId: 'mixtral-8x7b',
    suite: 'datacenter',
    rounds: {
      first: 'v4.1',
      ref: {
        source: `${PUBLIC_DATA} (mixtral-8x7b Server limits: "Rounds: v4.1+"); ${CHECKER}`,
        provenance: 'published-config',
      },
    },
    accuracyTarget: {
      variants: [{ suffix: null, fractionOfReference: 0.99 }],
      reference:
        'OpenOrca ROUGE-1 45.5989, ROUGE-2 23.3526, ROUGE-L 30.4608; GSM8K 73.66; MBXP 60.16; tokens per sample ≥ 90% of 144.84 and ≤ 110% of 145.9',
      ref: {
        source: `mlcommons/inference language/mixtral-8x7b/README.md (Accuracy Target); ${CHECKER}`,
        provenance: 'published-config',
      },
    },
    dataset: {
      name: 'OpenOrca (5k, GPT-4 split) + GSM8K (5k) + MBXP (5k)',
      numSamples: 15_000,
      ref: {
        source: `mlcommons/inference language/mixtral-8x7b/README.md ("5K samples from each one"); ${MLPERF_CONF}: mixtral-8x7b.*.performance_sample_count_override = 15000`,
        provenance: 'published-config',
      },
    },
    input: {
      maxTokens: 2048,
      maxKind: 'dataset-limit',
      ref: {
        source:
          'mlcommons/inference docs/index.md (Mixtral-8x7B: each subset max_seq_len=2048); mlcommons/inference_policies PR #295 review ("Input max is 2048, and output max is 1024")',
        date: '2024-06-25',
        provenance: 'published-config',
        note: 'Mean input length not published in the sources reached.',
      },
      assumedMean: {
        tokens: 367,
        ref: {
          source:
            'aifactory assumption from dataset rows quoted in mlcommons/inference language/mixtral-8x7b: standalone_infer/hf_eval_all.py docstring (GSM8K row train.548: tok_input_len 662, input "[INST] As an expert problem solver solve step by step …") and evaluate-accuracy.py docstring (MBXP row: tok_input_len 139)',
          date: '2024-09',
          provenance: 'assumption',
          note: 'One third each (5,000 samples per dataset): OpenOrca ~300 tokens (as assumed for llama2-70b, same source dataset and tokenizer family), GSM8K ~662 (every GSM8K prompt carries the same few-shot step-by-step template, so the row shown is typical), MBXP ~139 (one row; prompts are a signature and docstring): (300 + 662 + 139) / 3 ≈ 367. Replaces an earlier 230 that assumed ~150-token GSM8K prompts, which the GSM8K row contradicts. Not fitted to any MLPerf result.',
        },
      },
    },
    output: {
      meanTokens: 144.84,
      maxTokens: 1024,
      maxKind: 'generation-limit',
      publishedSample: {
        size: 200,
        quantiles: [
          [0.05, 37.95],
          [0.1, 49],
          [0.25, 73.25],
          [0.5, 106.5],
          [0.75, 177],
          [0.9, 288.7],
          [0.95, 413.85],
        ],
        ref: {
          source:
            'data/reference/mlperf-test06-output-lengths.json: token_count of the 100 samples of the compliance TEST06 accuracy logs of NVIDIA DGX-H100 ×8 and GH200 ×1 (TensorRT-LLM) (mlcommons/inference_results_v4.1, closed/NVIDIA/compliance/…/mixtral-8x7b/Server/TEST06), pooled; linear-interpolation quantiles',
          date: '2024-08-28',
          provenance: 'derived',
          note: 'The same 100 prompts generated on two systems. The sample mean runs above the full-dataset mean (see meanTokens), which sets the level; the sample gives the shape only.',
        },
      },
      ref: {
        source:
          'mlcommons/inference language/mixtral-8x7b/README.md ("tokens_per_sample: 144.84", non-EOS tokens); mlcommons/inference_policies PR #295 ("output max is 1024")',
        provenance: 'published-config',
        note: 'Checker upper limit uses 145.9 × 1.1.',
      },
    },
    latencyLimits: {
      Server: limit(
        2,
        0.2,
        'v4.1',
        'mixtral-8x7b.Server.ttft_latency = 2000, tpot_latency = 200 (ms). Rounds v4.1+.',
      ),
    },
    minDurationSeconds: MIN_DURATION_SECONDS,
    minDurationRef: durationRef,
    minQueryCount: {
      Offline: 15_000,
      Server: SERVER_MIN_QUERIES,
      ref: {
        source: `${MLPERF_CONF}: mixtral-8x7b.Offline.min_query_count = 15000; ${CHECKER} min-queries`,
        provenance: 'published-config',
      },
    },
    speculativeDecodingAllowed: { Offline: false, Server: false, ref: noSpeculationRef },
    ref: { source: 'mlcommons/inference language/mixtral-8x7b', provenance: 'published-config' },
  },

  {
    id: 'llama3.1-405b',
    aliases: [
      'llama3_1-405b',
      'llama3.1-405b-interactive',
      'llama3_1-405b-interactive',
      'llama-3.1-405b',
    ],
    modelId: 'llama-3.1-405b',
    suite: 'datacenter',
    rounds: {
      first: 'v5.0',
      ref: {
        source:
          'mlcommons.org/2025/04/llm-inference-v5 (added in v5.0); Interactive scenario v5.1+ (public-data.json)',
        provenance: 'published-config',
      },
    },
    accuracyTarget: {
      variants: [{ suffix: null, fractionOfReference: 0.99 }],
      reference:
        'FP16 ROUGE-L 21.6666 (summarization), exact match 90.1335 (retrieval/QA); tokens per sample within 90–110% of 684.68',
      ref: {
        source: `mlcommons/inference language/llama3.1-405b/README.md (Accuracy Target); ${CHECKER}`,
        provenance: 'published-config',
      },
    },
    dataset: {
      name: 'Subset of LongBench, LongDataCollections, RULER, GovReport-Summary',
      numSamples: 8313,
      ref: {
        source: `mlcommons/inference language/llama3.1-405b/README.md (total-sample-count 8313); ${MLPERF_CONF}: llama3_1-405b.*.performance_sample_count_override = 8313`,
        provenance: 'published-config',
      },
    },
    input: {
      meanTokens: 9400,
      maxTokens: 128_000,
      maxKind: 'context-limit',
      ref: {
        source:
          'mlcommons.org/2025/04/llm-inference-v5 ("mean input/output context lengths of 9,400 and 680 tokens"; "context window of 128,000 tokens"); stored copy of the post read',
        date: '2025-04-02',
        provenance: 'published-config',
        note: 'The post shows an input histogram but states no maximum; 128,000 is the model context window it cites, not the dataset maximum.',
      },
    },
    output: {
      meanTokens: 684.68,
      minTokens: 1,
      maxTokens: 2000,
      maxKind: 'generation-limit',
      ref: {
        source:
          'mlcommons/inference language/llama3.1-405b/README.md ("tokens_per_sample: 684.68"); language/llama3.1-405b/SUT_VLLM.py (max_tokens 2000, min_tokens 1)',
        provenance: 'published-config',
        note: 'The MLCommons post rounds it to 680.',
      },
    },
    latencyLimits: {
      Server: limit(
        6,
        0.175,
        'v5.0',
        'llama3_1-405b.Server.ttft_latency = 6000, tpot_latency = 175 (ms). Rounds v5.0+.',
      ),
      Interactive: limit(
        4.5,
        0.08,
        'v5.1',
        'llama3_1-405b-interactive.Server.ttft_latency = 4500, tpot_latency = 80 (ms). Rounds v5.1+.',
      ),
    },
    minDurationSeconds: MIN_DURATION_SECONDS,
    minDurationRef: durationRef,
    minQueryCount: {
      Offline: 8313,
      Server: SERVER_MIN_QUERIES,
      ref: {
        source: `${MLPERF_CONF}: llama3_1-405b.Offline.min_query_count = 8313; ${CHECKER} min-queries`,
        provenance: 'published-config',
      },
    },
    speculativeDecodingAllowed: {
      Offline: false,
      Server: false,
      Interactive: false,
      ref: noSpeculationRef,
    },
    ref: {
      source: 'mlcommons/inference language/llama3.1-405b; mlcommons.org/2025/04/llm-inference-v5',
      provenance: 'published-config',
    },
  },

  {
    id: 'llama3.1-8b',
    aliases: ['llama3_1-8b', 'llama3.1-8b-interactive', 'llama3_1-8b-interactive', 'llama-3.1-8b'],
    modelId: 'llama-3.1-8b',
    suite: 'datacenter',
    rounds: {
      first: 'v5.1',
      ref: {
        source: `mlcommons.org/2025/09/small-llm-inference-5-1; ${CHECKER} v5.1 models`,
        date: '2025-09',
        provenance: 'published-config',
      },
    },
    accuracyTarget: {
      variants: [{ suffix: null, fractionOfReference: 0.99 }],
      reference:
        'BF16 ROUGE-1 38.7792, ROUGE-2 15.9075, ROUGE-L 24.4957, ROUGE-Lsum 35.793; gen_len within 90–110% of 8,167,644 characters over 13,368 samples',
      ref: {
        source: `mlcommons/inference language/llama3.1-8b/README.md (Accuracy Target, Datacenter); ${CHECKER}`,
        provenance: 'published-config',
      },
    },
    dataset: {
      name: 'CNN/DailyMail v3.0.0 (max_seq_len 2048), full validation set',
      numSamples: 13_368,
      ref: {
        source: `mlcommons/inference language/llama3.1-8b/README.md; ${MLPERF_CONF}: llama3_1-8b.*.performance_sample_count_override = 13368`,
        provenance: 'published-config',
      },
    },
    input: {
      meanTokens: 778,
      maxTokens: 2048,
      maxKind: 'dataset-limit',
      ref: {
        source:
          'mlcommons.org/2025/09/small-llm-inference-5-1 (mean input 778 tokens), as quoted in a stored third-party research summary (primary page text beyond its opening not retrieved); max: rules/NVIDIA dataset metadata CNN/DailyMail max_seq_len 2048',
        date: '2025-09',
        provenance: 'third-party',
        note: 'Verify against the MLCommons post when it can be read in full.',
      },
    },
    output: {
      meanTokens: 128,
      maxTokens: 128,
      maxKind: 'generation-limit',
      ref: {
        source:
          'ntuhpc/inference_results_v5.1 (mirror of mlcommons/inference_results_v5.1) closed/RedHat/results/XE8640_4xH100_vLLM/llama3.1-8b/Offline/performance/run_1/mlperf_log_summary.txt: 5777.08 tokens/s ÷ 45.1334 samples/s; mlcommons/inference issue #2256 (reference max_tokens = 128; "most of the generated outputs being 128 tokens")',
        date: '2025-09-09',
        provenance: 'derived',
        note: 'Derived: 5777.08 / 45.1334 = 128.0 tokens/sample in a valid Offline run, i.e. virtually every output hits the 128-token cap. Consistent with the accuracy gen_len of 8,167,644 characters / 13,368 = 611 characters per summary. The MLCommons post\'s "output 73 tokens" (as quoted second-hand) matches the length of the reference highlights, not the model\'s generated outputs.',
      },
    },
    latencyLimits: {
      Server: limit(
        2,
        0.1,
        'v5.1',
        'llama3_1-8b.Server.ttft_latency = 2000, tpot_latency = 100 (ms). Rounds v5.1+.',
      ),
      Interactive: limit(
        0.5,
        0.03,
        'v5.1',
        'llama3_1-8b-interactive.Server.ttft_latency = 500, tpot_latency = 30 (ms). Rounds v5.1+.',
      ),
    },
    minDurationSeconds: MIN_DURATION_SECONDS,
    minDurationRef: durationRef,
    minQueryCount: {
      Offline: 13_368,
      Server: SERVER_MIN_QUERIES,
      ref: {
        source: `${MLPERF_CONF}: llama3_1-8b.Offline.min_query_count = 13368; ${CHECKER} min-queries`,
        provenance: 'published-config',
      },
    },
    speculativeDecodingAllowed: {
      Offline: false,
      Server: false,
      Interactive: false,
      ref: noSpeculationRef,
    },
    ref: { source: 'mlcommons/inference language/llama3.1-8b', provenance: 'published-config' },
  },

  {
    id: 'deepseek-r1',
    aliases: ['deepseek-r1-interactive'],
    modelId: 'deepseek-r1',
    suite: 'datacenter',
    rounds: {
      first: 'v5.1',
      ref: {
        source:
          'mlcommons.org/2025/09/deepseek-inference-5-1 (first reasoning benchmark, v5.1); Interactive scenario v6.0 (mlcommons.org/2026/03/mlperf-inference-gpt-oss)',
        provenance: 'published-config',
      },
    },
    accuracyTarget: {
      variants: [{ suffix: null, fractionOfReference: 0.99 }],
      reference:
        'exact match 81.3582 (math/QA exact match, LiveCodeBench code execution); tokens per sample within 90–110% of 3886.2274',
      ref: {
        source: `${CHECKER} v5.1/v6.0 accuracy-target deepseek-r1`,
        provenance: 'published-config',
      },
    },
    dataset: {
      name: 'mlperf_deepseek_r1: AIME, MATH500, GPQA, MMLU-Pro, LiveCodeBench (code_generation_lite)',
      numSamples: 4388,
      ref: {
        source: `mlcommons/inference language/deepseek-r1/README.md; ${MLPERF_CONF}: deepseek-r1.*.performance_sample_count_override = 4388`,
        provenance: 'published-config',
      },
    },
    input: {
      meanTokens: 800,
      maxTokens: 3136,
      maxKind: 'dataset-limit',
      ref: {
        source:
          'mean: mlcommons.org/2025/09/deepseek-inference-5-1 (mean input 800 tokens), as quoted in a stored third-party research summary; max: mlcommons/inference language/deepseek-r1/utils/backend_registry.py (MAX_ISL = 3136, plus 4 template tokens)',
        date: '2025-09',
        provenance: 'third-party',
      },
    },
    output: {
      meanTokens: 3886.2274,
      maxTokens: 20_000,
      maxKind: 'generation-limit',
      ref: {
        source: `${CHECKER} (TOKENS_PER_SAMPLE reference 3886.2274); mlcommons/inference language/deepseek-r1/utils/backend_registry.py (MAX_OSL = 20 * 1000)`,
        provenance: 'published-config',
        note: 'Earlier PyTorch reference eval: mean-output-tok-len 4043.45 (README, 32K cap). MLCommons post: mean output 3,880. v6.1 submissions report ~3,720–3,860 tokens/sample (public-data.json).',
      },
    },
    latencyLimits: {
      Server: limit(
        2,
        0.08,
        'v5.1',
        'deepseek-r1.Server.ttft_latency = 2000, tpot_latency = 80 (ms). Rounds v5.1+.',
      ),
      Interactive: limit(
        1.5,
        0.015,
        'v6.0',
        'deepseek-r1-interactive.Server.ttft_latency = 1500, tpot_latency = 15 (ms). Rounds v6.0+, with speculative decoding (EAGLE-style, DeepSeek MTP head).',
      ),
    },
    minDurationSeconds: MIN_DURATION_SECONDS,
    minDurationRef: durationRef,
    minQueryCount: {
      Offline: 4388,
      Server: SERVER_MIN_QUERIES,
      ref: {
        source: `${MLPERF_CONF}: deepseek-r1.Offline.min_query_count = 4388; ${CHECKER} min-queries`,
        provenance: 'published-config',
        note: "NVIDIA's v6.1 harness notes the full Offline query it submits is 105,312 samples (24 × 4388) to reach 600 s.",
      },
    },
    speculativeDecodingAllowed: {
      Offline: false,
      Server: false,
      Interactive: true,
      ref: {
        source:
          'mlcommons.org/2026/03/mlperf-inference-gpt-oss (DeepSeek-R1 Interactive: EAGLE-style decoding with the deepseek-ai/deepseek-r1 MTP head, speculative-num-steps=3, speculative-eagle-topk=1; no retraining or quantization of the MTP head); inference_rules.adoc Appendix C',
        date: '2026-03-24',
        provenance: 'published-config',
        note: 'Interactive only; Offline/Server read as not permitted (the Interactive scenario is the "first standard for speculative decoding in MLPerf").',
      },
    },
    ref: {
      source:
        'mlcommons/inference language/deepseek-r1; mlcommons.org/2025/09/deepseek-inference-5-1',
      provenance: 'published-config',
    },
  },

  {
    id: 'gpt-oss-120b',
    aliases: ['gpt-oss-120b-interactive', 'gpt-oss'],
    modelId: 'gpt-oss-120b',
    suite: 'datacenter',
    rounds: {
      first: 'v6.0',
      ref: {
        source: 'mlcommons.org/2026/03/mlperf-inference-gpt-oss (new in v6.0)',
        date: '2026-03-24',
        provenance: 'published-config',
      },
    },
    accuracyTarget: {
      variants: [{ suffix: null, fractionOfReference: 0.99 }],
      reference:
        'accuracy dataset (high reasoning effort): reference 83.13% exact match, threshold 82.30%; per dataset AIME 2024 82.92%, GPQA-Diamond 74.95%, LiveCodeBench v6 84.68%. TEST07 checks accuracy in performance mode (GPQA, 60.698%); TEST09 checks mean output length within ±10% of 1278.20',
      ref: {
        source: `mlcommons/inference language/gpt-oss-120b/README.md; mlcommons.org/2026/03/mlperf-inference-gpt-oss; ${CHECKER}`,
        provenance: 'published-config',
      },
    },
    dataset: {
      name: 'Performance: ccdv/pubmed-summarization sample, low reasoning effort (Harmony format). Accuracy: AIME 2024, LiveCodeBench v6, GPQA-Diamond, high effort',
      numSamples: 6396,
      accuracyNumSamples: 4395,
      ref: {
        source: `${CHECKER} v6.0 (performance-sample-count gpt-oss-120b 6396; accuracy-sample-count 4395); mlcommons/inference compliance/TEST09/README.md (dataset size 6396)`,
        provenance: 'published-config',
      },
    },
    input: {
      meanTokens: 5000,
      maxTokens: 131_072,
      maxKind: 'context-limit',
      ref: {
        source:
          'mlcommons.org/2026/03/mlperf-inference-gpt-oss (performance mode: "Mean input sequence length: 5,000 tokens"); stored snapshot of the post read',
        date: '2026-03-24',
        provenance: 'published-config',
        note: 'No dataset maximum is published; 131,072 is the gpt-oss-120b context window (openai/gpt-oss-120b config, max_position_embeddings), a bound, not the dataset maximum.',
      },
    },
    output: {
      meanTokens: 1278.2,
      minTokens: 518,
      maxTokens: 10_240,
      maxKind: 'generation-limit',
      observedMaxTokens: 3154,
      ref: {
        source:
          'mlcommons/inference compliance/TEST09/README.md and compliance/TEST09/gpt-oss-120b/audit.config (reference mean OSL 1278.20 on the performance dataset; example run: min 518, max 3154, std 247.0 over 6396 samples); language/gpt-oss-120b/README.md (performance max_output_len 10240)',
        provenance: 'published-config',
        note: 'The MLCommons post rounds the mean to 1,250.',
      },
    },
    latencyLimits: {
      Server: limit(
        3,
        0.08,
        'v6.0',
        'gpt-oss-120b Server: TTFT 3000 ms, TPOT 80 ms. Rounds v6.0+.',
      ),
      Interactive: limit(
        2,
        0.015,
        'v6.0',
        'gpt-oss-120b Interactive: TTFT 2000 ms, TPOT 15 ms (loadgen, checker LLM_LATENCY_LIMITS and the MLCommons post). A second-hand summary of inference_rules.adoc reports 20 ms there; loadgen/checker 15 ms govern validity.',
      ),
    },
    minDurationSeconds: MIN_DURATION_SECONDS,
    minDurationRef: durationRef,
    minQueryCount: {
      Offline: 6396,
      Server: SERVER_MIN_QUERIES,
      ref: {
        source: `${MLPERF_CONF}: gpt-oss-120b.*.performance_sample_count_override (no Offline.min_query_count entry; performance sample count used); ${CHECKER} min-queries`,
        provenance: 'published-config',
      },
    },
    speculativeDecodingAllowed: {
      Offline: false,
      Server: false,
      Interactive: false,
      ref: noSpeculationRef,
    },
    ref: {
      source:
        'mlcommons/inference language/gpt-oss-120b; mlcommons.org/2026/03/mlperf-inference-gpt-oss',
      provenance: 'published-config',
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Lookup

/**
 * Normalises a benchmark name to its task family key: lowercase; loadgen `_` between digits
 * becomes `.` (`llama3_1` → `llama3.1`); `llama-2`/`llama-3.1` model-style spellings lose the
 * hyphen; the accuracy suffix (`-99`, `-99.9`) and `-interactive` are stripped; `gpt-j` → `gptj`.
 *
 * `normalizeBenchmarkName('Llama2-70B-Interactive-99.9')` → `'llama2-70b'`.
 */
export const normalizeBenchmarkName = (benchmarkName: string): string => {
  let s = benchmarkName.trim().toLowerCase().replace(/\s+/g, '-');
  s = s.replace(/(\d)_(\d)/g, '$1.$2');
  s = s.replace(/^llama-(\d)/, 'llama$1');
  s = s.replace(/^gpt-j(?=$|-)/, 'gptj');
  s = s.replace(/-(99\.9|99)$/, '');
  s = s.replace(/-interactive$/, '');
  // gpt-j-6b / gptj-6b → gptj (the model id spelling)
  s = s.replace(/^gptj-6b$/, 'gptj');
  return s;
};

/**
 * The MLPerf LLM task a benchmark name refers to, by parsing the name (see
 * `normalizeBenchmarkName`) and comparing its family key with each task's id and aliases.
 * Returns `undefined` for non-LLM benchmarks (`resnet50`) and edge-only tasks
 * (`llama3.1-8b-edge`).
 */
export const findMlperfTask = (benchmarkName: string): MlperfTask | undefined => {
  const key = normalizeBenchmarkName(benchmarkName);
  if (key === '') return undefined;
  return MLPERF_LLM_TASKS.find(
    (task) =>
      normalizeBenchmarkName(task.id) === key ||
      task.aliases.some((a) => normalizeBenchmarkName(a) === key),
  );
};
