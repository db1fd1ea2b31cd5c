import { describe, expect, it } from 'vitest';
import {
  attachChild,
  childrenOf,
  continuesAsOnlyChild,
  createRootRun,
  createRun,
  detachChild,
  findChild,
  matchPrompt,
  mergeIntoChild,
  numBlocksOwned,
  numBlocksOwnedBefore,
  onlyChild,
  splitRun,
  type RunNode,
} from './radix-tree.js';

const run = (contentId: number, offset: number, start: number, end: number): RunNode =>
  createRun(contentId, offset, start, end, 0, 0, 0);
const seg = (contentId: number, tokens: number) => ({ contentId, tokens });

describe('radix tree of segment runs', () => {
  it('gives each block to the run holding its last token', () => {
    // Block size 4: blocks end at 4, 8, 12.
    expect(numBlocksOwned(run(1, 0, 0, 6), 4)).toBe(1);
    expect(numBlocksOwned(run(1, 6, 6, 8), 4)).toBe(1);
    expect(numBlocksOwned(run(1, 8, 8, 11), 4)).toBe(0);
    expect(numBlocksOwned(run(1, 0, 3, 12), 4)).toBe(3);
    expect(numBlocksOwnedBefore(run(1, 0, 3, 12), 4, 8)).toBe(2);
    expect(numBlocksOwnedBefore(run(1, 0, 8, 12), 4, 8)).toBe(0);
  });

  it('matches a prompt run by run and stops inside a run where it diverges', () => {
    const root = createRootRun();
    const a = run(1, 0, 0, 10);
    const b = run(2, 0, 10, 16);
    attachChild(root, a);
    attachChild(a, b);
    expect(matchPrompt(root, [seg(1, 10), seg(2, 9)], 100)).toEqual({
      path: [a, b],
      matchedTokens: 16,
    });
    expect(matchPrompt(root, [seg(1, 7), seg(2, 9)], 100).matchedTokens).toBe(7);
    expect(matchPrompt(root, [seg(1, 10), seg(2, 9)], 12).matchedTokens).toBe(12);
    expect(matchPrompt(root, [seg(3, 5)], 100)).toEqual({ path: [], matchedTokens: 0 });
  });

  it('keeps the deeper part in the split node so references to it stay valid', () => {
    const root = createRootRun();
    const a = run(1, 0, 0, 10);
    a.refCount = 2;
    attachChild(root, a);
    const prefix = splitRun(a, 4);
    expect([prefix.startTokens, prefix.endTokens, prefix.refCount]).toEqual([0, 4, 2]);
    expect([a.startTokens, a.endTokens, a.contentOffsetTokens, a.parent]).toEqual([
      4,
      10,
      4,
      prefix,
    ]);
    expect(findChild(root, 1, 0)).toBe(prefix);
    expect(findChild(prefix, 1, 4)).toBe(a);
    expect(onlyChild(prefix)).toBe(a);
    expect(() => splitRun(a, 10)).toThrow(RangeError);
  });

  it('chains siblings of one content at different offsets and unhooks them', () => {
    const root = createRootRun();
    const head = run(1, 0, 0, 4);
    attachChild(root, head);
    const x = run(1, 4, 4, 8);
    const y = run(1, 0, 4, 8);
    const z = run(2, 0, 4, 8);
    [x, y, z].forEach((c) => attachChild(head, c));
    expect([findChild(head, 1, 4), findChild(head, 1, 0), findChild(head, 2, 0)]).toEqual([
      x,
      y,
      z,
    ]);
    detachChild(x);
    expect([findChild(head, 1, 4), findChild(head, 1, 0)]).toEqual([undefined, y]);
    const prefix = splitRun(y, 6);
    expect(findChild(head, 1, 0)).toBe(prefix);
    detachChild(prefix);
    expect(childrenOf(head)).toEqual([z]);
    expect(head.children).toBe(z); // back to the inline single-child form
    detachChild(z);
    expect(head.children).toBeUndefined();
  });

  it('re-joins a split run into its deeper part, which keeps its children', () => {
    const root = createRootRun();
    const a = run(1, 0, 0, 10);
    attachChild(root, a);
    const leaf = run(2, 0, 10, 12);
    attachChild(a, leaf);
    const prefix = splitRun(a, 4);
    prefix.lastAccessSeconds = 7;
    expect(continuesAsOnlyChild(prefix, a)).toBe(true);
    expect(continuesAsOnlyChild(a, leaf)).toBe(false); // another content
    mergeIntoChild(prefix, a);
    expect([a.startTokens, a.endTokens, a.contentOffsetTokens, a.lastAccessSeconds]).toEqual([
      0, 10, 0, 7,
    ]);
    expect([findChild(root, 1, 0), a.parent, onlyChild(a)]).toEqual([a, root, leaf]);
  });
});
