/**
 * The source of a request class (chat, RAG, completion): independent requests whose prompt and
 * output lengths are drawn from the class's distributions. Open-loop arrivals come from an
 * `ArrivalProcess`; closed-loop clients send their next request when the last one ends.
 * Lazy: one pending arrival time is held, requests are built when popped.
 */
import { requireArg } from '../../core/errors.js';
import type { RngStream } from '../../core/rng.js';
import type { FollowUp, PromptSegment, SimRequest } from '../types.js';
import { classFeed, type OpenLoopFeed } from './feed.js';
import type { IdAllocator } from './ids.js';
import { invalidArgument } from '../invalid.js';
import { createCountSampler, type Sampler } from './sample.js';
import {
  zeroCounters,
  type CountingWorkloadSource,
  type RequestClassSpec,
  type SourceOptions,
  type WorkloadSourceCounters,
} from './spec.js';

/**
 * Prompt segments of a request class. Without a shared prefix: one segment with a fresh
 * contentId. With f = cachedPrefixFraction: [{shared contentId, round(f·prompt)},
 * {fresh contentId, the rest}], zero-token segments omitted; all prompts of the class share
 * min(their shared lengths) leading tokens (the `PromptSegment` contract).
 */
function requestSegments(
  promptTokens: number,
  fraction: number,
  sharedContentId: number,
  ids: IdAllocator,
): PromptSegment[] {
  const sharedTokens = Math.min(promptTokens, Math.round(fraction * promptTokens));
  const uniqueTokens = promptTokens - sharedTokens;
  const segments: PromptSegment[] = [];
  if (sharedTokens > 0) segments.push({ contentId: sharedContentId, tokens: sharedTokens });
  if (uniqueTokens > 0) segments.push({ contentId: ids.nextContentId(), tokens: uniqueTokens });
  return segments;
}

class RequestClassSource implements CountingWorkloadSource {
  readonly name: string;
  private readonly classIndex: number;
  private readonly priority: number;
  private readonly ids: IdAllocator;
  private readonly rng: RngStream;
  private readonly feed: OpenLoopFeed;
  private readonly closedLoop: boolean;
  private readonly sampleInput: Sampler;
  private readonly sampleOutput: Sampler;
  private readonly prefixFraction: number;
  private readonly sharedContentId: number;
  /** Closed loop only: requests in flight, so a completion is honoured once. */
  private readonly inFlight = new Set<number>();
  private readonly counts: WorkloadSourceCounters = zeroCounters();

  constructor(spec: RequestClassSpec, options: SourceOptions) {
    const fraction = spec.cachedPrefixFraction ?? 0;
    requireArg(
      fraction >= 0 && fraction < 1,
      'createRequestSource',
      `cachedPrefixFraction must be in [0, 1), got ${fraction}`,
    );
    this.name = options.name ?? `class-${options.classIndex}`;
    this.classIndex = options.classIndex;
    this.priority = spec.priority ?? 0;
    this.ids = options.ids;
    this.rng = options.rng.requests;
    this.sampleInput = createCountSampler(spec.inputTokens, 1);
    this.sampleOutput = createCountSampler(spec.outputTokens, 1);
    this.prefixFraction = fraction;
    this.sharedContentId = fraction > 0 ? options.ids.nextContentId() : -1;
    ({ feed: this.feed, closedLoop: this.closedLoop } = classFeed(
      spec.arrivals,
      options.rng.arrivals,
      'createRequestSource',
    ));
  }

  peekSeconds(): number | undefined {
    return this.feed.peekSeconds();
  }

  next(): SimRequest | undefined {
    const arrivalSeconds = this.feed.peekSeconds();
    if (arrivalSeconds === undefined) return undefined;
    this.feed.take();
    return this.create(arrivalSeconds);
  }

  onComplete(request: SimRequest, nowSeconds: number, ok: boolean): FollowUp[] {
    if (request.classIndex !== this.classIndex)
      invalidArgument(
        'RequestClassSource.onComplete',
        `request ${request.id} belongs to class ${request.classIndex}, not ${this.classIndex}`,
      );
    if (ok) this.counts.requestsCompleted++;
    else this.counts.requestsDropped++;
    if (!this.closedLoop) return [];
    if (!this.inFlight.delete(request.id))
      invalidArgument(
        'RequestClassSource.onComplete',
        `request ${request.id} is not in flight (completed twice?)`,
      );
    // The client sends its next request at once, whether the last one succeeded or not.
    return [{ atSeconds: nowSeconds, request: this.create(nowSeconds) }];
  }

  counters(): WorkloadSourceCounters {
    return { ...this.counts };
  }

  private create(arrivalSeconds: number): SimRequest {
    const promptTokens = this.sampleInput(this.rng);
    const outputTokens = this.sampleOutput(this.rng);
    const segments = requestSegments(
      promptTokens,
      this.prefixFraction,
      this.sharedContentId,
      this.ids,
    );
    const request: SimRequest = {
      id: this.ids.nextRequestId(),
      classIndex: this.classIndex,
      arrivalSeconds,
      promptTokens,
      outputTokens,
      segments,
      priority: this.priority,
    };
    this.counts.requestsCreated++;
    if (this.closedLoop) this.inFlight.add(request.id);
    return request;
  }
}

/**
 * The source of a request class. Open loop: requests at the arrival process's times; closed
 * loop: `concurrency` requests at t = 0 (ids in order), then each completion (or drop) releases
 * one new request at the completion time.
 * @throws AifError(E_INVALID_ARGUMENT) for a prefix fraction outside [0, 1) or a bad concurrency.
 */
export function createRequestSource(
  spec: RequestClassSpec,
  options: SourceOptions,
): CountingWorkloadSource {
  return new RequestClassSource(spec, options);
}
