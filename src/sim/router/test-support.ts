/**
 * Fixtures for router tests: requests, fixed fleets and a fleet whose loads follow the routed
 * requests. Plain data, no test framework, so the conformance suite can use it.
 */
import type { FleetView, PromptSegment, ReplicaLoad, SimRequest } from '../types.js';

/** A request with `id`; the prompt is one segment of content `id` unless overridden. */
export function makeRequest(id: number, overrides: Partial<SimRequest> = {}): SimRequest {
  const promptTokens = overrides.promptTokens ?? 100;
  const segments: readonly PromptSegment[] = overrides.segments ?? [
    { contentId: id, tokens: promptTokens },
  ];
  return {
    id,
    classIndex: 0,
    arrivalSeconds: id,
    promptTokens,
    outputTokens: 50,
    priority: 0,
    segments,
    ...overrides,
  };
}

/** A replica's load with everything idle and up, overridden by `overrides`. */
export function makeLoad(index: number, overrides: Partial<ReplicaLoad> = {}): ReplicaLoad {
  return {
    index,
    up: true,
    numOutstandingRequests: 0,
    numOutstandingTokens: 0,
    numFreeKvBlocks: 1000,
    numTotalKvBlocks: 1000,
    ...overrides,
  };
}

/** A fleet with fixed loads: replica i has `makeLoad(i, overrides[i])`. */
export function fixedFleet(overrides: readonly Partial<ReplicaLoad>[]): FleetView {
  const loads = overrides.map((o, i) => makeLoad(i, o));
  return {
    numReplicas: loads.length,
    load(index) {
      const load = loads[index];
      if (load === undefined) throw new RangeError(`fixedFleet: no replica ${index}`);
      return load;
    },
  };
}

/**
 * A fleet whose loads follow what was routed to it: `assign` adds the request (one request,
 * prompt + output tokens, its prompt's KV blocks), `complete` removes it. `setUp` fails or
 * restores a replica. Blocks are 16 tokens.
 */
export class TrackingFleet implements FleetView {
  readonly #loads: ReplicaLoad[];

  constructor(numReplicas: number, numTotalKvBlocks = 1000) {
    this.#loads = Array.from({ length: numReplicas }, (_, i) =>
      makeLoad(i, { numFreeKvBlocks: numTotalKvBlocks, numTotalKvBlocks }),
    );
  }

  get numReplicas(): number {
    return this.#loads.length;
  }

  load(index: number): ReplicaLoad {
    const load = this.#loads[index];
    if (load === undefined) throw new RangeError(`TrackingFleet: no replica ${index}`);
    return load;
  }

  setUp(index: number, up: boolean): void {
    this.load(index).up = up;
  }

  assign(index: number, request: SimRequest): void {
    const load = this.load(index);
    load.numOutstandingRequests += 1;
    load.numOutstandingTokens += request.promptTokens + request.outputTokens;
    load.numFreeKvBlocks = Math.max(0, load.numFreeKvBlocks - Math.ceil(request.promptTokens / 16));
  }

  complete(index: number, request: SimRequest): void {
    const load = this.load(index);
    load.numOutstandingRequests -= 1;
    load.numOutstandingTokens -= request.promptTokens + request.outputTokens;
    load.numFreeKvBlocks = Math.min(
      load.numTotalKvBlocks,
      load.numFreeKvBlocks + Math.ceil(request.promptTokens / 16),
    );
  }
}
