/**
 * One workload source over several (one per class): open-loop requests come out earliest first,
 * ties broken by source order; a completion goes back to the source of the request's class.
 */
import type { FollowUp, SimRequest, WorkloadSource } from '../types.js';
import { invalidArgument } from '../invalid.js';
import { zeroCounters, type CountingWorkloadSource, type WorkloadSourceCounters } from './spec.js';

const hasCounters = (
  s: WorkloadSource,
): s is WorkloadSource & Pick<CountingWorkloadSource, 'counters'> =>
  typeof (s as Partial<CountingWorkloadSource>).counters === 'function';

class MergedSource implements CountingWorkloadSource {
  readonly name = 'merged';
  private readonly sources: readonly WorkloadSource[];
  /** Source index by `classIndex`, learnt from the requests each source emits. */
  private readonly sourceOfClass = new Map<number, number>();

  constructor(sources: readonly WorkloadSource[]) {
    this.sources = sources.slice();
  }

  peekSeconds(): number | undefined {
    const i = this.earliest();
    return i < 0 ? undefined : this.sources[i]!.peekSeconds();
  }

  next(): SimRequest | undefined {
    const i = this.earliest();
    if (i < 0) return undefined;
    const request = this.sources[i]!.next();
    if (request !== undefined) this.claim(request, i);
    return request;
  }

  onComplete(request: SimRequest, nowSeconds: number, ok: boolean): FollowUp[] {
    const i = this.sourceOfClass.get(request.classIndex);
    if (i === undefined)
      invalidArgument(
        'mergeSources.onComplete',
        `no source emitted class ${request.classIndex} (request ${request.id})`,
      );
    const released = this.sources[i]!.onComplete(request, nowSeconds, ok);
    for (const f of released) this.claim(f.request, i);
    return released;
  }

  /** Σ of the counters of the sources that keep them. */
  counters(): WorkloadSourceCounters {
    const total = zeroCounters();
    for (const s of this.sources) {
      if (!hasCounters(s)) continue;
      const c = s.counters();
      for (const key of Object.keys(total) as (keyof WorkloadSourceCounters)[]) {
        total[key] += c[key];
      }
    }
    return total;
  }

  /** Index of the source with the earliest pending arrival (lowest index on ties), or −1. */
  private earliest(): number {
    let best = -1;
    let bestSeconds = Infinity;
    for (let i = 0; i < this.sources.length; i++) {
      const t = this.sources[i]!.peekSeconds();
      if (t !== undefined && (best < 0 || t < bestSeconds)) {
        best = i;
        bestSeconds = t;
      }
    }
    return best;
  }

  private claim(request: SimRequest, sourceIndex: number): void {
    const owner = this.sourceOfClass.get(request.classIndex);
    if (owner === undefined) this.sourceOfClass.set(request.classIndex, sourceIndex);
    else if (owner !== sourceIndex)
      invalidArgument(
        'mergeSources',
        `sources ${owner} and ${sourceIndex} both emit class ${request.classIndex}: give each source its own classIndex`,
      );
  }
}

/**
 * Merge sources into one. `peekSeconds`/`next` take the earliest pending arrival across the
 * sources (ties: the earlier source in the list); `onComplete` is dispatched to the source
 * that emitted the request's `classIndex` (so each source must use its own classIndex).
 * O(number of sources) per call; no per-request state.
 * @throws AifError(E_INVALID_ARGUMENT) when two sources emit the same classIndex, or a
 *   completion names a class no source emitted.
 */
export function mergeSources(sources: readonly WorkloadSource[]): CountingWorkloadSource {
  return new MergedSource(sources);
}
