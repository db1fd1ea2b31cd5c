/**
 * KV-cache manager with a prefix cache and offload tiers (DESIGN §5): the vLLM v1
 * `KVCacheManager` contract in block *counts*, over SGLang's radix prefix cache, with LRU
 * eviction in simulated time into host DRAM / NVMe tiers.
 *
 * Block accounting. HBM's `numTotalBlocks` are split three ways at all times:
 *   pool (free, no content) + cached (owned by runs of the radix tree in HBM) + Σ private
 *   (held by one running request: its uncached prompt tail and its output) = total.
 * A running request holds `⌈tokens / B⌉` blocks: its claimed cached prefix (shared, counted
 * once, ref-counted along the tree path) plus private blocks. Free blocks, as the interface
 * reports them, are pool + cached blocks no running request references (evictable).
 *
 * Prefix cache. `radix-tree.ts` holds the shape: runs of one content each, a block owned by
 * the run holding its last token. `lookupPrefix` follows the prompt's segments, stops at
 * `promptTokens − 1` (the last prompt token is always recomputed to sample) and rounds down
 * to whole blocks. The first `allocate` claims that prefix: it splits the run at the cut so
 * references cover exactly the claimed blocks, increments ref counts along the path and
 * touches them (LRU time = `nowSeconds`), then takes private blocks for the rest. `free`
 * inserts the request's *full prompt blocks* into the tree (ref counts −1, access time =
 * now); private blocks already cached by someone else and all non-prompt blocks go back to
 * the pool.
 *
 * Why only prompt blocks: an agent session's call k+1 re-sends call k's output as a segment
 * with its own `contentId`, which the manager cannot know while call k runs (the workload
 * assigns it later). Output blocks are therefore never cached; the next call recomputes
 * them once as prompt, and from then on they are cached as part of that call's prompt.
 *
 * Eviction. When the pool runs short, unreferenced *leaf* runs of HBM leave in the order of
 * the eviction policy's sort key (LRU: `lastAccessSeconds`, ties by insertion order); a run
 * larger than the shortfall is split and only its deepest blocks leave. A leaf here means a
 * run with no children in its own tier, so the tiers along any root path never get faster
 * going deeper and every cached prefix stays contiguous.
 *
 * Offload tiers (fastest first). Evicted runs go to tier 1; a full tier makes room by
 * demoting its own LRU leaf runs to the next tier; the last tier drops them; a run larger
 * than a whole tier fills it and passes its deepest blocks on. Runs in offload tiers are
 * never referenced. `lookupPrefix` reports the offloaded part of a hit as
 * `fromOffloadTokens` with `reloadSeconds` = Σ over the tiers involved of
 * `latencySeconds + tokens · kvBytesPerToken / bandwidthBytesPerSecond`. With
 * `recomputeSecondsForTokens` it picks, among "reload the first k tiers' part, recompute
 * the rest", the cheapest (ties: reload more); what is recomputed counts as not cached.
 * `allocate` then moves the reloaded runs back to HBM (they need free HBM blocks like any
 * other allocation; the offload copy is not kept). `free` promotes offloaded runs that the
 * request recomputed back into HBM with its own blocks.
 *
 * Details. A first `allocate` for fewer tokens than the cached prefix still claims the whole
 * prefix (the request holds at least those blocks). A request preempted mid-prefill caches
 * only the full prompt blocks it had allocated. A run left without children is cut back to
 * its last whole block (its tail tokens back no block). Stats: `evictedBlocks` counts blocks
 * leaving HBM, `offloadedBlocks` those of them kept by an offload tier (demotions between
 * offload tiers are not counted again), `numCachedBlocks` the cached blocks in HBM.
 *
 * Cost (design note, no micro-benchmark). Let S be a prompt's segments and R the runs on
 * its tree path (R ≤ S + splits; an operation splits at most two runs on its path), H the
 * runs in a tier's eviction heap and T the number of tiers. `lookupPrefix` is O(R) with O(1)
 * child lookups (a single child inline, a Map at branch points). The first `allocate` is
 * O(R log H), later ones O(1); each run evicted adds O(T log H) (one heap move per tier it
 * passes). `free` is O(R log H). Nothing is O(blocks): a run of a million tokens is one
 * object, splits happen only where prompts diverge, at claimed lengths and at eviction
 * boundaries, and pieces of a run demoted bit by bit re-join in their tier. Memory: one
 * object of 14 fields per run (~150 bytes), a per-tier child-count array on runs with
 * children, a Map only on branch points, one small record per running request. A thousand
 * replicas of 100k blocks hold about as many runs as distinct cached segments, not blocks.
 */
import type { KvCacheStats, PrefixLookup, SimRequest } from '../types.js';
import { evictsBefore } from './eviction-policy.js';
import {
  numBlocksFor,
  requireTokenCount,
  resolveKvCacheOptions,
  type CachedRunView,
  type KvCache,
  type KvCacheOptions,
  type OffloadTierUsage,
  type ResolvedKvCacheOptions,
} from './kv-options.js';
import {
  TIER_IN_TRANSIT,
  attachChild,
  childrenOf,
  continuesAsOnlyChild,
  createRootRun,
  createRun,
  detachChild,
  extendRun,
  findChild,
  hasChildren,
  matchPrompt,
  mergeIntoChild,
  numBlocksOwned,
  numBlocksOwnedBefore,
  onlyChild,
  splitRun,
  truncateRun,
  type RunNode,
} from './radix-tree.js';
import { RunHeap } from './run-heap.js';

interface TierState {
  name: string;
  capacityBlocks: number;
  bandwidthBytesPerSecond: number;
  latencySeconds: number;
  numUsedBlocks: number;
  /** The tier's evictable leaf runs, in eviction order. */
  heap: RunHeap<RunNode>;
}

interface RequestState {
  /** Largest `numTokens` allocated (at least the claimed prefix). */
  numTokens: number;
  /** Deepest claimed run (ends at the claimed length); undefined when nothing was cached. */
  claimedNode: RunNode | undefined;
  numClaimedBlocks: number;
  numPrivateBlocks: number;
}

/** What a lookup found and what the first `allocate` would claim. */
interface PrefixPlan {
  path: RunNode[];
  /** Tokens claimed as cached (whole blocks): HBM part + the offloaded part worth reloading. */
  cutTokens: number;
  numReloadBlocks: number;
  reloadSeconds: number;
}

class PrefixCacheKvCacheManager implements KvCache {
  readonly prefixCaching = true;
  readonly blockSizeTokens: number;
  readonly numTotalBlocks: number;
  private readonly root = createRootRun();
  /** Index 0 is HBM (usage = cached blocks); 1… are the offload tiers. */
  private readonly tiers: TierState[];
  private readonly kvBytesPerToken: number;
  private readonly recomputeSecondsForTokens: ((numTokens: number) => number) | undefined;
  private readonly requests = new Map<number, RequestState>();
  private numPoolBlocks: number;
  /** Cached HBM blocks in runs with refCount 0. */
  private numEvictableBlocks = 0;
  private nextInsertionSeq = 0;
  private lookupTokens = 0;
  private hitTokens = 0;
  private offloadHitTokens = 0;
  private evictedBlocks = 0;
  private offloadedBlocks = 0;
  /**
   * The last `lookupPrefix` plan and the request it was for. The scheduler looks a waiting
   * request up and then allocates it with nothing in between; `allocate` reuses the plan
   * instead of walking the request's path again (an agent call's path has a run per earlier
   * call). Any `allocate` or `free` drops it first: they are the only changes to the tree.
   */
  private lastPlan: PrefixPlan | undefined;
  private lastPlanRequest: SimRequest | undefined;

  constructor(
    o: ResolvedKvCacheOptions,
    /** See `createPrefixCacheKvCacheManager`'s `internal.evictTailInPlace`. */
    private readonly evictTailInPlace = true,
    /** See `createPrefixCacheKvCacheManager`'s `internal.extendRuns`. */
    private readonly extendRuns = true,
  ) {
    this.blockSizeTokens = o.blockSizeTokens;
    this.numTotalBlocks = o.numTotalBlocks;
    this.numPoolBlocks = o.numTotalBlocks;
    this.kvBytesPerToken = o.kvBytesPerToken;
    this.recomputeSecondsForTokens = o.recomputeSecondsForTokens;
    const policy = o.evictionPolicy;
    const before = (a: RunNode, b: RunNode): boolean => evictsBefore(policy, a, b);
    this.tiers = [
      {
        name: 'hbm',
        capacityBlocks: o.numTotalBlocks,
        bandwidthBytesPerSecond: Number.POSITIVE_INFINITY,
        latencySeconds: 0,
        numUsedBlocks: 0,
        heap: new RunHeap(before),
      },
      ...o.offloadTiers.map((t) => ({
        name: t.name,
        capacityBlocks: t.capacityBlocks,
        bandwidthBytesPerSecond: t.bandwidthBytesPerSecond,
        latencySeconds: t.latencySeconds,
        numUsedBlocks: 0,
        heap: new RunHeap(before),
      })),
    ];
  }

  numFreeBlocks(): number {
    return this.numPoolBlocks + this.numEvictableBlocks;
  }

  numUsedBlocks(): number {
    return this.numTotalBlocks - this.numFreeBlocks();
  }

  numBlocksFor(numTokens: number): number {
    return numBlocksFor(numTokens, this.blockSizeTokens);
  }

  numBlocksHeld(requestId: number): number {
    const st = this.requests.get(requestId);
    return st === undefined ? 0 : st.numClaimedBlocks + st.numPrivateBlocks;
  }

  lookupPrefix(request: SimRequest, _nowSeconds: number): PrefixLookup {
    const plan = this.plan(request);
    this.lastPlan = plan;
    this.lastPlanRequest = request;
    return {
      cachedTokens: plan.cutTokens,
      fromOffloadTokens: plan.numReloadBlocks * this.blockSizeTokens,
      reloadSeconds: plan.reloadSeconds,
    };
  }

  allocate(request: SimRequest, numTokens: number, nowSeconds: number): boolean {
    requireTokenCount(numTokens, request);
    const bs = this.blockSizeTokens;
    const lastPlan = this.lastPlanRequest === request ? this.lastPlan : undefined;
    this.lastPlan = undefined;
    this.lastPlanRequest = undefined;
    const st = this.requests.get(request.id);
    if (st !== undefined) {
      const numNeededBlocks =
        Math.ceil(numTokens / bs) - (st.numClaimedBlocks + st.numPrivateBlocks);
      if (numNeededBlocks > this.numFreeBlocks()) return false;
      if (numNeededBlocks > 0) {
        this.takeFromPool(numNeededBlocks);
        st.numPrivateBlocks += numNeededBlocks;
      }
      st.numTokens = Math.max(st.numTokens, numTokens);
      return true;
    }

    const plan = lastPlan ?? this.plan(request);
    const cut = plan.cutTokens;
    const numClaimedBlocks = cut / bs;
    const numPrivateBlocks = Math.max(0, Math.ceil(numTokens / bs) - numClaimedBlocks);
    let numNewlyPinnedBlocks = 0;
    for (const node of plan.path) {
      if (node.startTokens >= cut) break;
      if (node.tier === 0 && node.refCount === 0)
        numNewlyPinnedBlocks += numBlocksOwnedBefore(node, bs, cut);
    }
    if (plan.numReloadBlocks + numPrivateBlocks > this.numFreeBlocks() - numNewlyPinnedBlocks)
      return false;

    let claimedNode: RunNode | undefined;
    for (const pathNode of plan.path) {
      if (pathNode.startTokens >= cut) break;
      const node = pathNode.endTokens > cut ? this.split(pathNode, cut) : pathNode;
      if (node.tier === 0) {
        if (node.refCount === 0) this.numEvictableBlocks -= numBlocksOwned(node, bs);
        node.refCount++;
        this.refresh(node);
        this.touch(node, nowSeconds);
      } else {
        this.removeFromTier(node);
        node.refCount = 1;
        node.lastAccessSeconds = nowSeconds;
        this.setTier(node, 0);
      }
      claimedNode = node;
    }
    this.numPoolBlocks -= plan.numReloadBlocks;
    this.takeFromPool(numPrivateBlocks);
    this.requests.set(request.id, {
      numTokens: Math.max(numTokens, cut),
      claimedNode,
      numClaimedBlocks,
      numPrivateBlocks,
    });
    this.lookupTokens += request.promptTokens;
    this.hitTokens += cut;
    this.offloadHitTokens += plan.numReloadBlocks * bs;
    return true;
  }

  free(request: SimRequest, nowSeconds: number): void {
    this.lastPlan = undefined;
    this.lastPlanRequest = undefined;
    const st = this.requests.get(request.id);
    if (st === undefined) return;
    this.requests.delete(request.id);
    const bs = this.blockSizeTokens;
    const limit =
      Math.min(Math.floor(request.promptTokens / bs), Math.floor(st.numTokens / bs)) * bs;
    const claimedTokens = st.numClaimedBlocks * bs;
    let numPrivateLeft = st.numPrivateBlocks;
    let node = this.root;
    let pos = 0;
    for (const seg of request.segments) {
      if (pos >= limit) break;
      let off = 0;
      while (off < seg.tokens && pos < limit) {
        const len = Math.min(seg.tokens - off, limit - pos);
        let child = findChild(node, seg.contentId, off);
        if (child === undefined && this.canExtend(node, seg.contentId, off, nowSeconds)) {
          // Continue the run just walked instead of hanging a new one under it (`extendRun`):
          // the same blocks, counts and eviction key, one node per session context.
          const numBlocks = Math.floor((pos + len) / bs) - Math.floor(pos / bs);
          extendRun(node, pos + len, this.nextInsertionSeq++);
          numPrivateLeft -= numBlocks;
          this.tiers[0]!.numUsedBlocks += numBlocks;
          this.numEvictableBlocks += numBlocks;
          if (node.heapIndex >= 0) this.tiers[0]!.heap.update(node);
          else this.refresh(node);
          off += len;
          pos += len;
          continue;
        }
        if (child === undefined) {
          child = createRun(
            seg.contentId,
            off,
            pos,
            pos + len,
            nowSeconds,
            this.nextInsertionSeq++,
            TIER_IN_TRANSIT,
          );
          attachChild(node, child);
          numPrivateLeft -= numBlocksOwned(child, bs);
          this.setTier(child, 0);
        } else {
          if (child.endTokens - child.startTokens > len) child = this.split(child, pos + len);
          const numBlocks = numBlocksOwned(child, bs);
          if (child.endTokens <= claimedTokens) {
            child.refCount--;
            if (child.refCount === 0) this.numEvictableBlocks += numBlocks;
          } else if (child.tier === 0) {
            numPrivateLeft -= numBlocks;
            this.numPoolBlocks += numBlocks;
          } else {
            this.removeFromTier(child);
            numPrivateLeft -= numBlocks;
            this.setTier(child, 0);
          }
          this.touch(child, nowSeconds);
          this.refresh(child);
        }
        const m = child.endTokens - child.startTokens;
        off += m;
        pos += m;
        node = child;
      }
    }
    this.numPoolBlocks += numPrivateLeft;
  }

  /**
   * May `free` grow `node` by the next `contentId` tokens from `offsetTokens` (`extendRun`)
   * instead of adding a child? Only where the child would be indistinguishable from a piece:
   * HBM without offload tiers (offloaded runs coalesce by other rules), a leaf released and
   * touched by this same `free` (ref count 0, access time now, as the new child's), the same
   * content continuing without a gap, and the run ending on a block boundary.
   */
  private canExtend(
    node: RunNode,
    contentId: number,
    offsetTokens: number,
    nowSeconds: number,
  ): boolean {
    return (
      this.extendRuns &&
      node !== this.root &&
      this.tiers.length === 1 &&
      node.tier === 0 &&
      node.children === undefined &&
      node.refCount === 0 &&
      node.lastAccessSeconds === nowSeconds &&
      node.contentId === contentId &&
      node.contentOffsetTokens + (node.endTokens - node.startTokens) === offsetTokens &&
      node.endTokens % this.blockSizeTokens === 0
    );
  }

  stats(): KvCacheStats {
    return {
      lookupTokens: this.lookupTokens,
      hitTokens: this.hitTokens,
      offloadHitTokens: this.offloadHitTokens,
      evictedBlocks: this.evictedBlocks,
      offloadedBlocks: this.offloadedBlocks,
      numCachedBlocks: this.tiers[0]!.numUsedBlocks,
    };
  }

  cachedRuns(): CachedRunView[] {
    const out: CachedRunView[] = [];
    const visit = (node: RunNode): void => {
      for (const child of sortedChildren(node)) {
        // A run with pieces (`extendRun`) shows as the chain of runs it stands for.
        const ends = [...(child.innerEnds ?? []), child.endTokens];
        let start = child.startTokens;
        for (const end of ends) {
          out.push({
            contentId: child.contentId,
            contentOffsetTokens: child.contentOffsetTokens + (start - child.startTokens),
            startTokens: start,
            endTokens: end,
            numBlocks:
              Math.floor(end / this.blockSizeTokens) - Math.floor(start / this.blockSizeTokens),
            tier: this.tiers[child.tier]?.name ?? 'in-transit',
            refCount: child.refCount,
            lastAccessSeconds: child.lastAccessSeconds,
          });
          start = end;
        }
        visit(child);
      }
    };
    visit(this.root);
    return out;
  }

  offloadTierUsage(): OffloadTierUsage[] {
    return this.tiers.slice(1).map((t) => ({
      name: t.name,
      capacityBlocks: t.capacityBlocks,
      numUsedBlocks: t.numUsedBlocks,
    }));
  }

  audit(): string[] {
    return auditPrefixCache(this.auditView());
  }

  /** Internal state for `auditPrefixCache`. */
  private auditView(): AuditView {
    return {
      root: this.root,
      tiers: this.tiers,
      requests: this.requests,
      blockSizeTokens: this.blockSizeTokens,
      numTotalBlocks: this.numTotalBlocks,
      numPoolBlocks: this.numPoolBlocks,
      numEvictableBlocks: this.numEvictableBlocks,
    };
  }

  // ── planning ────────────────────────────────────────────────────────────────────────

  private plan(request: SimRequest): PrefixPlan {
    const bs = this.blockSizeTokens;
    const maxTokens = Math.max(0, request.promptTokens - 1);
    const { path, matchedTokens } = matchPrompt(this.root, request.segments, maxTokens);
    const capTokens = matchedTokens - (matchedTokens % bs);
    let numHbmBlocks = 0;
    // Offloaded runs of the path, grouped by tier in path order; allocated only when there are
    // some (without offload tiers, never).
    let groupTiers: number[] | undefined;
    let groupBlocks: number[] | undefined;
    for (const node of path) {
      if (node.startTokens >= capTokens) break;
      const numBlocks = numBlocksOwnedBefore(node, bs, capTokens);
      if (numBlocks === 0) continue;
      if (node.tier === 0) numHbmBlocks += numBlocks;
      else if (groupTiers !== undefined && groupTiers[groupTiers.length - 1] === node.tier)
        groupBlocks![groupBlocks!.length - 1]! += numBlocks;
      else {
        (groupTiers ??= []).push(node.tier);
        (groupBlocks ??= []).push(numBlocks);
      }
    }
    if (groupTiers === undefined || groupBlocks === undefined)
      return { path, cutTokens: numHbmBlocks * bs, numReloadBlocks: 0, reloadSeconds: 0 };
    const numGroups = groupTiers.length;
    const tiersOfGroups = groupTiers;
    const blocksOfGroups = groupBlocks;
    const reloadSecondsOf = (g: number): number => {
      const tier = this.tiers[tiersOfGroups[g]!]!;
      const bytes = blocksOfGroups[g]! * bs * this.kvBytesPerToken;
      return tier.latencySeconds + bytes / tier.bandwidthBytesPerSecond;
    };
    // Reload the first k groups (tiers are slower deeper down), recompute the rest.
    let k = numGroups;
    const recompute = this.recomputeSecondsForTokens;
    if (recompute !== undefined && numGroups > 0) {
      const reloadPrefixSeconds = [0];
      for (let g = 0; g < numGroups; g++)
        reloadPrefixSeconds.push(reloadPrefixSeconds[g]! + reloadSecondsOf(g));
      let bestSeconds = Number.POSITIVE_INFINITY;
      let restBlocks = 0;
      for (let j = numGroups; j >= 0; j--) {
        if (j < numGroups) restBlocks += groupBlocks[j]!;
        const seconds = reloadPrefixSeconds[j]! + (restBlocks > 0 ? recompute(restBlocks * bs) : 0);
        if (seconds < bestSeconds) {
          bestSeconds = seconds;
          k = j;
        }
      }
    }
    let numReloadBlocks = 0;
    let reloadSeconds = 0;
    for (let g = 0; g < k; g++) {
      numReloadBlocks += groupBlocks[g]!;
      reloadSeconds += reloadSecondsOf(g);
    }
    return {
      path,
      cutTokens: (numHbmBlocks + numReloadBlocks) * bs,
      numReloadBlocks,
      reloadSeconds,
    };
  }

  // ── tiers and eviction ──────────────────────────────────────────────────────────────

  /** Take `numBlocks` from the pool, evicting unreferenced HBM runs for any shortfall. */
  private takeFromPool(numBlocks: number): void {
    if (this.numPoolBlocks < numBlocks) this.evictFromTier(0, numBlocks - this.numPoolBlocks);
    this.numPoolBlocks -= numBlocks;
  }

  /** Move `numBlocks` blocks out of tier `t` (its leaf runs, in policy order) to tier t+1. */
  private evictFromTier(t: number, numBlocks: number): void {
    const bs = this.blockSizeTokens;
    const tier = this.tiers[t]!;
    let numNeeded = numBlocks;
    while (numNeeded > 0) {
      const victim = tier.heap.peek();
      if (victim === undefined)
        throw new Error(
          `KvCacheManager: internal error, tier ${tier.name} has no evictable run for ${numNeeded} blocks`,
        );
      if (numBlocksOwned(victim, bs) > numNeeded) {
        if (
          this.evictTailInPlace &&
          t === 0 &&
          this.tiers.length === 1 &&
          victim.children === undefined
        ) {
          // Shortcut for the common case — a decode step taking a block or two from a long
          // cached run, with nowhere to offload it to: cut the run's tail in place. This is
          // exactly the state the general path leaves (split, remove the deeper part, drop
          // it): one leaf with the victim's content, start, access time, insertion number and
          // eviction key, ending `numNeeded` blocks earlier, still first in the heap (keys in
          // a heap are unique: pieces of one run form a chain, so at most one is a leaf).
          if (truncateRun(victim, (Math.floor(victim.endTokens / bs) - numNeeded) * bs))
            tier.heap.update(victim);
          tier.numUsedBlocks -= numNeeded;
          this.numEvictableBlocks -= numNeeded;
          this.evictedBlocks += numNeeded;
          this.numPoolBlocks += numNeeded;
          return;
        }
        this.split(victim, (Math.floor(victim.endTokens / bs) - numNeeded) * bs);
      }
      const numMoved = numBlocksOwned(victim, bs);
      this.removeFromTier(victim);
      numNeeded -= numMoved;
      if (t === 0) {
        this.evictedBlocks += numMoved;
        this.numPoolBlocks += numMoved;
      }
      this.moveDown(victim, t + 1, t === 0);
    }
  }

  /** Move every run of tier `t` (blocks or not) to slower tiers. */
  private emptyTier(t: number): void {
    const heap = this.tiers[t]!.heap;
    for (let victim = heap.peek(); victim !== undefined; victim = heap.peek()) {
      this.removeFromTier(victim);
      this.moveDown(victim, t + 1, false);
    }
  }

  /**
   * Settle a run that is in transit into tier `t` or slower: make room there, or, when the
   * run is larger than the whole tier, fill the tier with its shallowest blocks and pass the
   * rest on. Past the last tier the run is dropped.
   */
  private moveDown(node: RunNode, firstTier: number, countAsOffload: boolean): void {
    const bs = this.blockSizeTokens;
    for (let t = firstTier; ; t++) {
      if (t >= this.tiers.length) {
        this.drop(node);
        return;
      }
      const tier = this.tiers[t]!;
      const numBlocks = numBlocksOwned(node, bs);
      if (numBlocks > tier.capacityBlocks) {
        this.emptyTier(t);
        const at = (Math.floor(node.startTokens / bs) + tier.capacityBlocks) * bs;
        this.place(this.split(node, at), t, countAsOffload);
        continue;
      }
      const numRoomBlocks = tier.capacityBlocks - tier.numUsedBlocks;
      if (numRoomBlocks < numBlocks) this.evictFromTier(t, numBlocks - numRoomBlocks);
      this.place(node, t, countAsOffload);
      return;
    }
  }

  private place(node: RunNode, t: number, countAsOffload: boolean): void {
    const numBlocks = numBlocksOwned(node, this.blockSizeTokens);
    if (!hasChildren(node)) {
      if (numBlocks === 0) {
        this.drop(node);
        return;
      }
      this.trimTail(node);
    }
    this.setTier(node, t);
    if (countAsOffload) this.offloadedBlocks += numBlocks;
    this.coalesce(node);
  }

  /**
   * Re-join a run placed in an offload tier with its parent and its only child when they
   * sit in the same tier and continue one content: eviction splits runs to move exactly the
   * blocks needed, and without this a run demoted piece by piece would stay in pieces.
   * Runs in offload tiers are never referenced, so no request points at the discarded one.
   */
  private coalesce(node: RunNode): void {
    const parent = node.parent!;
    if (parent !== this.root && parent.tier === node.tier && continuesAsOnlyChild(parent, node))
      this.mergeIntoChild(parent, node);
    const child = onlyChild(node);
    if (child !== undefined && child.tier === node.tier && continuesAsOnlyChild(node, child))
      this.mergeIntoChild(node, child);
  }

  private mergeIntoChild(upper: RunNode, lower: RunNode): void {
    const heap = this.tiers[upper.tier]!.heap;
    if (upper.heapIndex >= 0) heap.remove(upper);
    mergeIntoChild(upper, lower);
    if (lower.heapIndex >= 0) heap.update(lower);
  }

  /** Remove a childless run in transit from the tree, then any parent left empty. */
  private drop(node: RunNode): void {
    if (hasChildren(node) || node.tier !== TIER_IN_TRANSIT)
      throw new Error('KvCacheManager: internal error, dropping a run with children');
    let parent = node.parent!;
    detachChild(node);
    // A parent left without children and without blocks of its own holds nothing.
    while (
      parent !== this.root &&
      parent.tier !== TIER_IN_TRANSIT &&
      parent.refCount === 0 &&
      !hasChildren(parent) &&
      numBlocksOwned(parent, this.blockSizeTokens) === 0
    ) {
      const grandparent = parent.parent!;
      this.removeFromTier(parent);
      detachChild(parent);
      parent = grandparent;
    }
    if (parent !== this.root && parent.tier !== TIER_IN_TRANSIT && !hasChildren(parent))
      this.trimTail(parent);
  }

  /**
   * Cut a childless run back to its last whole block: the tokens after it back no block, and
   * leaving them would let a later split create a run that holds nothing.
   */
  private trimTail(node: RunNode): void {
    const bs = this.blockSizeTokens;
    const end = Math.max(node.startTokens, Math.floor(node.endTokens / bs) * bs);
    if (truncateRun(node, end) && node.heapIndex >= 0) this.tiers[node.tier]!.heap.update(node);
  }

  /** Take a settled run out of its tier's accounting; it is then in transit. */
  private removeFromTier(node: RunNode): void {
    const t = node.tier;
    const tier = this.tiers[t]!;
    const numBlocks = numBlocksOwned(node, this.blockSizeTokens);
    if (node.heapIndex >= 0) tier.heap.remove(node);
    tier.numUsedBlocks -= numBlocks;
    if (t === 0 && node.refCount === 0) this.numEvictableBlocks -= numBlocks;
    const parent = node.parent!;
    if (t === 0) parent.numHbmChildren--;
    else parent.numChildrenByTier![t]!--;
    node.tier = TIER_IN_TRANSIT;
    this.refresh(parent);
  }

  /** Settle a run in transit into tier `t`. */
  private setTier(node: RunNode, t: number): void {
    const numBlocks = numBlocksOwned(node, this.blockSizeTokens);
    node.tier = t;
    this.tiers[t]!.numUsedBlocks += numBlocks;
    if (t === 0 && node.refCount === 0) this.numEvictableBlocks += numBlocks;
    const parent = node.parent!;
    if (t === 0) parent.numHbmChildren++;
    else (parent.numChildrenByTier ??= new Array<number>(this.tiers.length).fill(0))[t]!++;
    this.refresh(node);
    this.refresh(parent);
  }

  /** Split keeping child counts right (the node object keeps the deeper part). */
  private split(node: RunNode, atTokens: number): RunNode {
    const prefix = splitRun(node, atTokens);
    if (node.tier === 0) prefix.numHbmChildren = 1;
    else if (node.tier !== TIER_IN_TRANSIT) {
      prefix.numChildrenByTier = new Array<number>(this.tiers.length).fill(0);
      prefix.numChildrenByTier[node.tier] = 1;
    }
    return prefix;
  }

  /** Put the run in its tier's eviction heap iff it is an evictable leaf there. */
  private refresh(node: RunNode): void {
    if (node === this.root || node.tier === TIER_IN_TRANSIT) return;
    const heap = this.tiers[node.tier]!.heap;
    if (isEvictableLeaf(node)) {
      if (node.heapIndex < 0) heap.push(node);
    } else if (node.heapIndex >= 0) heap.remove(node);
  }

  private touch(node: RunNode, nowSeconds: number): void {
    node.lastAccessSeconds = nowSeconds;
    if (node.heapIndex >= 0) this.tiers[node.tier]!.heap.update(node);
  }
}

/** Settled children of `node` in tier `t`. */
function numChildrenIn(node: RunNode, t: number): number {
  return t === 0 ? node.numHbmChildren : (node.numChildrenByTier?.[t] ?? 0);
}

/** No children in its own tier and, in HBM, no running request referencing it. */
function isEvictableLeaf(node: RunNode): boolean {
  return node.tier === 0
    ? node.numHbmChildren === 0 && node.refCount === 0
    : (node.numChildrenByTier?.[node.tier] ?? 0) === 0;
}

function sortedChildren(node: RunNode): RunNode[] {
  return childrenOf(node).sort(
    (a, b) => a.contentId - b.contentId || a.contentOffsetTokens - b.contentOffsetTokens,
  );
}

interface AuditView {
  root: RunNode;
  tiers: readonly TierState[];
  requests: ReadonlyMap<number, RequestState>;
  blockSizeTokens: number;
  numTotalBlocks: number;
  numPoolBlocks: number;
  numEvictableBlocks: number;
}

/** Brute-force check of every invariant; one line per violation. O(runs + requests·path). */
function auditPrefixCache(v: AuditView): string[] {
  const problems: string[] = [];
  const bs = v.blockSizeTokens;
  const expectedRefs = new Map<RunNode, number>();
  let numPrivateBlocks = 0;
  for (const [id, st] of v.requests) {
    numPrivateBlocks += st.numPrivateBlocks;
    if (st.numPrivateBlocks < 0)
      problems.push(`request ${id} holds ${st.numPrivateBlocks} private blocks`);
    const claimedEnd = st.claimedNode?.endTokens ?? 0;
    if (claimedEnd !== st.numClaimedBlocks * bs)
      problems.push(
        `request ${id} claims ${st.numClaimedBlocks} blocks but its path ends at ${claimedEnd}`,
      );
    for (let n = st.claimedNode; n !== undefined && n !== v.root; n = n.parent)
      expectedRefs.set(n, (expectedRefs.get(n) ?? 0) + 1);
  }
  const usedByTier = v.tiers.map(() => 0);
  const heapMembers = v.tiers.map(() => 0);
  let numEvictable = 0;
  const visit = (node: RunNode): void => {
    const counts = v.tiers.map(() => 0);
    for (const child of childrenOf(node)) {
      const where = `run ${child.contentId}@[${child.startTokens},${child.endTokens})`;
      if (child.parent !== node) problems.push(`${where} has a wrong parent link`);
      if (child.tier < 0 || child.tier >= v.tiers.length) {
        problems.push(`${where} is in tier ${child.tier}`);
        continue;
      }
      counts[child.tier]!++;
      if (child.startTokens !== node.endTokens)
        problems.push(`${where} does not start where its parent ends`);
      if (child.endTokens <= child.startTokens) problems.push(`${where} is empty`);
      if (node !== v.root && child.tier < node.tier)
        problems.push(`${where} is in a faster tier than its parent`);
      const refs = expectedRefs.get(child) ?? 0;
      if (child.refCount !== refs)
        problems.push(`${where} has refCount ${child.refCount}, expected ${refs}`);
      if (child.tier > 0 && child.refCount !== 0)
        problems.push(`${where} is offloaded but referenced`);
      const numBlocks = numBlocksOwned(child, bs);
      usedByTier[child.tier]! += numBlocks;
      if (child.tier === 0 && child.refCount === 0) numEvictable += numBlocks;
      if (numBlocks === 0 && !hasChildren(child)) problems.push(`${where} holds nothing`);
      if (!hasChildren(child) && child.endTokens % bs !== 0)
        problems.push(`${where} is a leaf ending inside a block`);
      const ends = child.innerEnds ?? [];
      if ((child.innerSeqs ?? []).length !== ends.length)
        problems.push(`${where} has ${ends.length} piece ends but other piece numbers`);
      ends.forEach((end, i) => {
        if (end % bs !== 0 || end <= (i > 0 ? ends[i - 1]! : child.startTokens))
          problems.push(`${where} has a piece ending at ${end}`);
      });
      if (ends.length > 0 && ends[ends.length - 1]! >= child.endTokens)
        problems.push(`${where} has an empty last piece`);
      const shouldBeInHeap = isEvictableLeafAudit(child);
      const inHeap = v.tiers[child.tier]!.heap.has(child);
      if (inHeap) heapMembers[child.tier]!++;
      if (shouldBeInHeap !== inHeap)
        problems.push(`${where} heap membership is ${inHeap}, expected ${shouldBeInHeap}`);
      visit(child);
    }
    counts.forEach((c, t) => {
      const recorded = numChildrenIn(node, t);
      if (recorded !== c)
        problems.push(
          `run ${node.contentId}@${node.startTokens} counts ${recorded} children in tier ${t}, has ${c}`,
        );
    });
  };
  visit(v.root);
  v.tiers.forEach((tier, t) => {
    if (tier.numUsedBlocks !== usedByTier[t])
      problems.push(
        `tier ${tier.name} records ${tier.numUsedBlocks} blocks, holds ${usedByTier[t]}`,
      );
    if (tier.numUsedBlocks > tier.capacityBlocks) problems.push(`tier ${tier.name} over capacity`);
    if (tier.heap.size !== heapMembers[t])
      problems.push(
        `tier ${tier.name} heap has ${tier.heap.size} items, ${heapMembers[t]} in the tree`,
      );
  });
  if (v.numEvictableBlocks !== numEvictable)
    problems.push(`evictable ${v.numEvictableBlocks} ≠ ${numEvictable} blocks`);
  if (v.numPoolBlocks < 0) problems.push(`pool is ${v.numPoolBlocks} blocks`);
  const sum = v.numPoolBlocks + usedByTier[0]! + numPrivateBlocks;
  if (sum !== v.numTotalBlocks)
    problems.push(`pool + cached + private = ${sum} ≠ ${v.numTotalBlocks} blocks`);
  return problems;
}

function isEvictableLeafAudit(node: RunNode): boolean {
  const sameTierChildren = childrenOf(node).filter((c) => c.tier === node.tier).length;
  return sameTierChildren === 0 && (node.tier > 0 || node.refCount === 0);
}

/**
 * A manager with a radix prefix cache and optional offload tiers. `internal.evictTailInPlace`
 * (default true) lets an eviction that takes the tail of a childless HBM run cut it in place;
 * false sends every eviction through the general split-and-drop path — only for the test
 * that proves the two leave the same state. `internal.extendRuns` (default true) lets `free`
 * grow the run a prompt continues (`extendRun`) instead of hanging a new run under it; false
 * keeps one run per insertion — likewise only for the test that proves the two the same.
 * @throws AifError E_INVALID_ARGUMENT for invalid block counts, sizes or tiers.
 */
export function createPrefixCacheKvCacheManager(
  options: Omit<KvCacheOptions, 'prefixCaching'>,
  internal: { evictTailInPlace?: boolean; extendRuns?: boolean } = {},
): KvCache {
  return new PrefixCacheKvCacheManager(
    resolveKvCacheOptions({ ...options, prefixCaching: true }),
    internal.evictTailInPlace ?? true,
    internal.extendRuns ?? true,
  );
}
