/**
 * Metric conventions: how TTFT, the per-request token gap, the pooled gap and E2E are read from
 * a request record. `aifactory` is DESIGN §3; `vllm` and `aiperf` reproduce those tools so a
 * result can be quoted next to theirs (reference/workloads-and-metrics.md). A convention is an
 * object chosen from a typed registry by name.
 *
 * | | aifactory (DESIGN §3) | vllm (`vllm bench serve`) | aiperf (NVIDIA AIPerf) |
 * |---|---|---|---|
 * | latency origin | intended send time | dispatch (`st = perf_counter()` before the POST) | dispatch (request start) |
 * | TTFT stamped on | first chunk with generated content (text, reasoning or tool-call delta) | first message whose `choices` is non-empty, content or not (PR #3768 trap) | first non-empty content response |
 * | E2E ends at | last content chunk (last token) | last data message, usage-only chunk included (`most_recent_timestamp`) | last response |
 * | (E2E−TTFT)/(N−1) is called | TPOT | TPOT | ITL |
 * | pooled gaps are called | ITL: between content chunks, 0 for each further token inside a chunk (inference-perf's rule) | ITL: between consecutive `choices` messages | ICL: between consecutive content responses |
 * | N (output tokens) | last `usage.completion_tokens`; else Σ chunk tokens | same (vLLM re-tokenises when usage is absent: here the client tokenizer, else Σ chunk tokens) | client tokenizer (AIPerf re-tokenises by default); else usage (`--use-server-token-count`); else Σ chunk tokens |
 *
 * Sources: vllm-project/vllm `vllm/benchmarks/lib/endpoint_request_func.py`
 * (`async_request_openai_chat_completions`: `if choices := data.get("choices")` stamps TTFT,
 * `output.itl.append(timestamp - most_recent_timestamp)`, `output.latency =
 * most_recent_timestamp - st`) and `vllm/benchmarks/serve.py` (`tpot = (latency - ttft) /
 * (output_len - 1)`); AIPerf metrics reference (docs.nvidia.com/aiperf, "Metrics Reference":
 * TTFT on the first non-empty response, ITL = (request_latency − TTFT)/(OSL − 1), ICL = gaps
 * between responses, output token count by tokenising unless server counts are requested).
 */
import type { RecordedChunk, RequestRecord } from './records.js';

export const CONVENTION_NAMES = ['aifactory', 'vllm', 'aiperf'] as const;
export type ConventionName = (typeof CONVENTION_NAMES)[number];

/** Where an output-token count came from. */
export type OutputTokenBasis = 'usage' | 'client-tokenizer' | 'chunks';

export interface MetricConvention {
  readonly name: ConventionName;
  /** Column names the convention's tool uses. */
  readonly labels: { ttft: string; perRequestGap: string; pooledGap: string; e2e: string };
  /** What latencies count from. */
  originSeconds(r: RequestRecord): number | null;
  /** Index of the chunk TTFT is stamped on, or −1. */
  firstTokenIndex(r: RequestRecord): number;
  /** End of the request for E2E. */
  endSeconds(r: RequestRecord): number | null;
  /** Append the request's pooled gaps to `out`, seconds. */
  pooledGaps(r: RequestRecord, out: number[]): void;
  /** Output tokens N and where the count came from. */
  outputTokens(r: RequestRecord): { tokens: number; basis: OutputTokenBasis };
}

const hasContent = (c: RecordedChunk): boolean => c.content !== null;

const sumChunkTokens = (r: RequestRecord): number => r.chunks.reduce((a, c) => a + c.tokens, 0);

const usageTokens = (r: RequestRecord): number | null => r.usage?.completionTokens ?? null;

const clientTokens = (r: RequestRecord): number | null =>
  r.terminal?.kind === 'done' ? r.terminal.clientTokens : null;

function lastIndex(chunks: readonly RecordedChunk[], test: (c: RecordedChunk) => boolean): number {
  for (let i = chunks.length - 1; i >= 0; i--) if (test(chunks[i]!)) return i;
  return -1;
}

const lastDataSeconds = (r: RequestRecord): number | null =>
  r.chunks.length ? r.chunks[r.chunks.length - 1]!.tSeconds : null;

function gapsBetween(
  r: RequestRecord,
  test: (c: RecordedChunk) => boolean,
  out: number[],
  zerosInside: boolean,
): void {
  let previous: number | null = null;
  for (const c of r.chunks) {
    if (!test(c)) continue;
    if (previous !== null) out.push(c.tSeconds - previous);
    if (zerosInside) for (let k = 1; k < c.tokens; k++) out.push(0);
    previous = c.tSeconds;
  }
}

const firstBy =
  (test: (c: RecordedChunk) => boolean) =>
  (r: RequestRecord): number =>
    r.chunks.findIndex(test);

const AIFACTORY: MetricConvention = {
  name: 'aifactory',
  labels: { ttft: 'TTFT', perRequestGap: 'TPOT', pooledGap: 'ITL', e2e: 'E2E' },
  originSeconds: (r) => r.intendedSeconds,
  firstTokenIndex: firstBy(hasContent),
  endSeconds: (r) => {
    const i = lastIndex(r.chunks, hasContent);
    return i < 0 ? null : r.chunks[i]!.tSeconds;
  },
  pooledGaps: (r, out) => gapsBetween(r, hasContent, out, true),
  outputTokens: (r) => {
    const u = usageTokens(r);
    return u !== null
      ? { tokens: u, basis: 'usage' }
      : { tokens: sumChunkTokens(r), basis: 'chunks' };
  },
};

const VLLM: MetricConvention = {
  name: 'vllm',
  labels: { ttft: 'TTFT', perRequestGap: 'TPOT', pooledGap: 'ITL', e2e: 'E2EL' },
  originSeconds: (r) => r.dispatchedSeconds,
  firstTokenIndex: firstBy((c) => c.choices),
  endSeconds: lastDataSeconds,
  pooledGaps: (r, out) => gapsBetween(r, (c) => c.choices, out, false),
  outputTokens: (r) => {
    const u = usageTokens(r);
    if (u !== null) return { tokens: u, basis: 'usage' };
    const c = clientTokens(r);
    return c !== null
      ? { tokens: c, basis: 'client-tokenizer' }
      : { tokens: sumChunkTokens(r), basis: 'chunks' };
  },
};

const AIPERF: MetricConvention = {
  name: 'aiperf',
  labels: { ttft: 'TTFT', perRequestGap: 'ITL', pooledGap: 'ICL', e2e: 'request latency' },
  originSeconds: (r) => r.dispatchedSeconds,
  firstTokenIndex: firstBy(hasContent),
  endSeconds: lastDataSeconds,
  pooledGaps: (r, out) => gapsBetween(r, hasContent, out, false),
  outputTokens: (r) => {
    const c = clientTokens(r);
    if (c !== null) return { tokens: c, basis: 'client-tokenizer' };
    const u = usageTokens(r);
    return u !== null
      ? { tokens: u, basis: 'usage' }
      : { tokens: sumChunkTokens(r), basis: 'chunks' };
  },
};

/** The conventions by name. */
export const METRIC_CONVENTIONS: { readonly [K in ConventionName]: MetricConvention } = {
  aifactory: AIFACTORY,
  vllm: VLLM,
  aiperf: AIPERF,
};
