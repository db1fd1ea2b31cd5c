/**
 * The prefix cache's radix tree (SGLang `radix_cache.py`) over *segment runs* instead of
 * token ids, as a pure structure: no block accounting here, only the shape.
 *
 * Token identity. A prompt is a list of `PromptSegment`s; the token at stream position `p`
 * is identified by `(contentId, offset)` of the segment holding it. Two prompts share exactly
 * the positions where these identities agree from the start — which is the `types.ts` rule
 * (common leading segments plus the overlap of the first differing pair with one contentId).
 *
 * A node is one run of one content: `contentId`, tokens `[contentOffsetTokens, +length)` of
 * it, at stream positions `[startTokens, endTokens)`. A long edge crossing segments is a
 * chain of nodes, so a prompt's path has O(segments + splits) nodes. Children are keyed by
 * the identity of their first token — `contentId` in a Map, then a short chain of siblings
 * with the same content at other offsets (only when a prompt repeats a content back to back).
 *
 * Blocks. Block `k` holds positions `[k·B, (k+1)·B)` and belongs to the node that holds its
 * last token, so a node owns `⌊end/B⌋ − ⌊start/B⌋` blocks: O(1), no per-block objects, and a
 * split at any position partitions the blocks exactly. Every block ending at or before a
 * matched position is owned by a node on the matched path, so a match of `L` tokens holds
 * exactly `⌊L/B⌋` whole blocks.
 */
import type { PromptSegment } from '../types.js';

/** Tier value of a run that is being moved between tiers (in no tier's accounting). */
export const TIER_IN_TRANSIT = -1;

export interface RunNode {
  contentId: number;
  contentOffsetTokens: number;
  startTokens: number;
  endTokens: number;
  parent: RunNode | undefined;
  /**
   * Children: undefined for a leaf; the child itself when all children share one contentId
   * (the common case: a session's context is a chain); a Map keyed by contentId otherwise
   * (then with ≥ 2 keys). Same-content children at other offsets chain via `nextSameContent`.
   */
  children: RunNode | Map<number, RunNode> | undefined;
  /** Next sibling with the same contentId at another offset (rare). */
  nextSameContent: RunNode | undefined;
  /**
   * Settled children in HBM (tier 0). Inline, not in `numChildrenByTier`: "is this run an
   * evictable leaf?" is asked for every run a request's path passes, and a separate array is
   * one more cache miss per run.
   */
  numHbmChildren: number;
  /**
   * Settled children per offload tier index (index 0 unused: see `numHbmChildren`); undefined
   * until the first child in an offload tier.
   */
  numChildrenByTier: number[] | undefined;
  /** Running requests whose claimed prefix includes this run. */
  refCount: number;
  lastAccessSeconds: number;
  insertionSeq: number;
  /** 0 = HBM, 1… = offload tiers, `TIER_IN_TRANSIT` while moving. */
  tier: number;
  /** Position in its tier's eviction heap, −1 when not there. */
  heapIndex: number;
  /**
   * Pieces (see `extendRun`): a run that grew at its end holds the runs it absorbed as
   * pieces. `innerEnds[i]` is where piece i ends (a block boundary) and `innerSeqs[i]` its
   * insertion number; the last piece ends at `endTokens` with `insertionSeq`. Undefined (or
   * empty) for a run of one piece.
   */
  innerEnds: number[] | undefined;
  innerSeqs: number[] | undefined;
}

export function createRootRun(): RunNode {
  return createRun(-1, 0, 0, 0, 0, 0, 0);
}

export function createRun(
  contentId: number,
  contentOffsetTokens: number,
  startTokens: number,
  endTokens: number,
  lastAccessSeconds: number,
  insertionSeq: number,
  tier: number,
): RunNode {
  return {
    contentId,
    contentOffsetTokens,
    startTokens,
    endTokens,
    parent: undefined,
    children: undefined,
    nextSameContent: undefined,
    numHbmChildren: 0,
    numChildrenByTier: undefined,
    refCount: 0,
    lastAccessSeconds,
    insertionSeq,
    tier,
    heapIndex: -1,
    innerEnds: undefined,
    innerSeqs: undefined,
  };
}

/** Blocks whose last token lies in the run. O(1). */
export function numBlocksOwned(node: RunNode, blockSizeTokens: number): number {
  return (
    Math.floor(node.endTokens / blockSizeTokens) - Math.floor(node.startTokens / blockSizeTokens)
  );
}

/** Blocks of the run that end at or before stream position `capTokens`. O(1). */
export function numBlocksOwnedBefore(
  node: RunNode,
  blockSizeTokens: number,
  capTokens: number,
): number {
  if (node.startTokens >= capTokens) return 0;
  return (
    Math.floor(Math.min(node.endTokens, capTokens) / blockSizeTokens) -
    Math.floor(node.startTokens / blockSizeTokens)
  );
}

/** The first child (chain head) with the given contentId. O(1). */
function headFor(parent: RunNode, contentId: number): RunNode | undefined {
  const c = parent.children;
  if (c === undefined || c instanceof Map) return c?.get(contentId);
  return c.contentId === contentId ? c : undefined;
}

/** Make `head` the chain head for `contentId` (undefined: no child with that contentId). */
function setHead(parent: RunNode, contentId: number, head: RunNode | undefined): void {
  const c = parent.children;
  if (c instanceof Map) {
    if (head !== undefined) c.set(contentId, head);
    else {
      c.delete(contentId);
      if (c.size === 1) parent.children = c.values().next().value;
    }
  } else if (c === undefined || c.contentId === contentId) parent.children = head;
  else if (head !== undefined)
    parent.children = new Map([
      [c.contentId, c],
      [contentId, head],
    ]);
}

/** The child whose first token is `(contentId, contentOffsetTokens)`, if any. O(1) expected. */
export function findChild(
  parent: RunNode,
  contentId: number,
  contentOffsetTokens: number,
): RunNode | undefined {
  let child = headFor(parent, contentId);
  while (child !== undefined && child.contentOffsetTokens !== contentOffsetTokens)
    child = child.nextSameContent;
  return child;
}

export function hasChildren(node: RunNode): boolean {
  return node.children !== undefined;
}

/** All children (order: by first contentId as inserted, then offset chain). O(children). */
export function childrenOf(node: RunNode): RunNode[] {
  const c = node.children;
  const heads = c === undefined ? [] : c instanceof Map ? [...c.values()] : [c];
  const out: RunNode[] = [];
  for (const head of heads)
    for (let x: RunNode | undefined = head; x !== undefined; x = x.nextSameContent) out.push(x);
  return out;
}

/** The only child, if the run has exactly one. O(1). */
export function onlyChild(node: RunNode): RunNode | undefined {
  const c = node.children;
  return c === undefined || c instanceof Map || c.nextSameContent !== undefined ? undefined : c;
}

/** Hang `child` under `parent` (its first token must be new among the parent's children). */
export function attachChild(parent: RunNode, child: RunNode): void {
  child.parent = parent;
  child.nextSameContent = undefined;
  const head = headFor(parent, child.contentId);
  if (head === undefined) {
    setHead(parent, child.contentId, child);
    return;
  }
  let last = head;
  while (last.nextSameContent !== undefined) last = last.nextSameContent;
  last.nextSameContent = child;
}

/** Unhook `child` from its parent. */
export function detachChild(child: RunNode): void {
  relink(child.parent!, child, child.nextSameContent);
  child.parent = undefined;
  child.nextSameContent = undefined;
}

/**
 * Put `stand` where `child` sits among `parent`'s children (undefined: splice `child` out).
 * `stand.nextSameContent` must already be `child`'s successor in the same-content chain.
 */
function relink(parent: RunNode, child: RunNode, stand: RunNode | undefined): void {
  const head = headFor(parent, child.contentId)!;
  if (head === child) {
    setHead(parent, child.contentId, stand);
    return;
  }
  let prev = head;
  while (prev.nextSameContent !== child) prev = prev.nextSameContent!;
  prev.nextSameContent = stand;
}

/**
 * Split `node` at stream position `atTokens` (strictly inside it). The node object keeps the
 * *deeper* part, so references to the deepest run of a path stay valid; the returned new
 * node is the shallower part, takes the node's place under its parent and copies its ref
 * count, access time, insertion number and tier. Child counts are the caller's business
 * (the new node has one child, `node`). O(1).
 */
export function splitRun(node: RunNode, atTokens: number): RunNode {
  const prefixLength = atTokens - node.startTokens;
  if (!(prefixLength > 0 && atTokens < node.endTokens))
    throw new RangeError(
      `splitRun: ${atTokens} must lie strictly inside [${node.startTokens}, ${node.endTokens})`,
    );
  const prefix = createRun(
    node.contentId,
    node.contentOffsetTokens,
    node.startTokens,
    atTokens,
    node.lastAccessSeconds,
    node.insertionSeq,
    node.tier,
  );
  prefix.refCount = node.refCount;
  const ends = node.innerEnds;
  if (ends !== undefined && ends.length > 0) {
    // Pieces ending before `atTokens` go up; the piece holding the cut is in both parts, with
    // its insertion number, as a split of a separate run would copy it.
    const seqs = node.innerSeqs!;
    let j = 0;
    while (j < ends.length && ends[j]! < atTokens) j++;
    if (j > 0) {
      prefix.innerEnds = ends.slice(0, j);
      prefix.innerSeqs = seqs.slice(0, j);
    }
    prefix.insertionSeq = j < ends.length ? seqs[j]! : node.insertionSeq;
    const from = j < ends.length && ends[j] === atTokens ? j + 1 : j;
    if (from >= ends.length) {
      node.innerEnds = undefined;
      node.innerSeqs = undefined;
    } else {
      node.innerEnds = ends.slice(from);
      node.innerSeqs = seqs.slice(from);
    }
  }
  const parent = node.parent!;
  prefix.nextSameContent = node.nextSameContent;
  relink(parent, node, prefix);
  prefix.parent = parent;
  node.contentOffsetTokens += prefixLength;
  node.startTokens = atTokens;
  node.nextSameContent = undefined;
  prefix.children = node;
  node.parent = prefix;
  return prefix;
}

/**
 * Grow a childless run at its end by `[node.endTokens, endTokens)` of its content, inserted as
 * number `insertionSeq`: the state a separate child run of those tokens would give, kept in
 * one object. The old end becomes a piece boundary and `insertionSeq` the run's (its deepest
 * piece's) number, the key a separate leaf child would have. Only for runs whose pieces can
 * never be told apart later except by that number: same tier, ref count and access time (the
 * caller checks), and the old end on a block boundary, so every piece owns a block and
 * cutting the run's tail (`truncateRun`) removes pieces exactly as evicting separate leaf runs
 * would. A path through such runs has one node per run instead of one per growth. O(1)
 * amortised.
 */
export function extendRun(node: RunNode, endTokens: number, insertionSeq: number): void {
  if (!(node.children === undefined && endTokens > node.endTokens))
    throw new RangeError(`extendRun: the run must be a leaf ending before ${endTokens}`);
  (node.innerEnds ??= []).push(node.endTokens);
  (node.innerSeqs ??= []).push(node.insertionSeq);
  node.endTokens = endTokens;
  node.insertionSeq = insertionSeq;
}

/**
 * Cut a run back to end at `endTokens` (> start), dropping the pieces left empty: the deepest
 * remaining piece's insertion number becomes the run's. Returns whether that number changed
 * (the caller re-keys the run in its eviction heap). O(pieces dropped).
 */
export function truncateRun(node: RunNode, endTokens: number): boolean {
  node.endTokens = endTokens;
  const ends = node.innerEnds;
  if (ends === undefined || ends.length === 0 || ends[ends.length - 1]! < endTokens) return false;
  const seqs = node.innerSeqs!;
  while (ends.length > 0 && ends[ends.length - 1]! >= endTokens) {
    ends.pop();
    node.insertionSeq = seqs.pop()!;
  }
  return true;
}

/** Does `upper` have exactly one child, `lower`, continuing `upper`'s content without a gap? */
export function continuesAsOnlyChild(upper: RunNode, lower: RunNode): boolean {
  return (
    onlyChild(upper) === lower &&
    lower.contentOffsetTokens ===
      upper.contentOffsetTokens + (lower.startTokens - upper.startTokens)
  );
}

/**
 * Undo a split: `lower` (the only child of `upper`, same content, see
 * `continuesAsOnlyChild`) absorbs `upper` and takes its place under `upper`'s parent; the
 * `upper` object is discarded. The node object that survives is the deeper one, as in
 * `splitRun`, so it keeps its children without re-parenting them. Access time becomes the
 * later of the two, insertion number the earlier; ref count and tier are the caller's
 * business (they must be equal). O(1).
 */
export function mergeIntoChild(upper: RunNode, lower: RunNode): void {
  if (upper.innerEnds?.length || lower.innerEnds?.length)
    throw new RangeError('mergeIntoChild: runs with pieces (extendRun) do not merge');
  const parent = upper.parent!;
  lower.startTokens = upper.startTokens;
  lower.contentOffsetTokens = upper.contentOffsetTokens;
  lower.lastAccessSeconds = Math.max(upper.lastAccessSeconds, lower.lastAccessSeconds);
  lower.insertionSeq = Math.min(upper.insertionSeq, lower.insertionSeq);
  lower.nextSameContent = upper.nextSameContent;
  relink(parent, upper, lower);
  lower.parent = parent;
  upper.parent = undefined;
  upper.children = undefined;
  upper.nextSameContent = undefined;
}

export interface PromptMatch {
  /** Nodes the prompt runs through, root excluded, shallowest first; the last may be partial. */
  path: RunNode[];
  /** Stream positions matched, ≤ maxTokens. */
  matchedTokens: number;
}

/** Follow the prompt's token identities from the root, at most `maxTokens` of them. O(path). */
export function matchPrompt(
  root: RunNode,
  segments: readonly PromptSegment[],
  maxTokens: number,
): PromptMatch {
  const path: RunNode[] = [];
  let node = root;
  let pos = 0;
  for (const seg of segments) {
    let off = 0;
    while (off < seg.tokens && pos < maxTokens) {
      const child = findChild(node, seg.contentId, off);
      if (child === undefined) return { path, matchedTokens: pos };
      const length = child.endTokens - child.startTokens;
      const m = Math.min(length, seg.tokens - off, maxTokens - pos);
      path.push(child);
      pos += m;
      off += m;
      if (m < length) return { path, matchedTokens: pos };
      node = child;
    }
    if (pos >= maxTokens) break;
  }
  return { path, matchedTokens: pos };
}
