import { describe, expect, it } from 'vitest';
import { segmentTokens, sharedPrefixTokens } from './segments.js';

describe('sharedPrefixTokens (the PromptSegment contract)', () => {
  it('counts equal leading segments in full', () => {
    const a = [
      { contentId: 1, tokens: 100 },
      { contentId: 2, tokens: 50 },
    ];
    expect(sharedPrefixTokens(a, [...a, { contentId: 3, tokens: 7 }])).toBe(150);
  });

  it('adds the overlap of the first differing pair when it has the same content', () => {
    expect(
      sharedPrefixTokens(
        [
          { contentId: 1, tokens: 100 },
          { contentId: 2, tokens: 30 },
        ],
        [
          { contentId: 1, tokens: 100 },
          { contentId: 2, tokens: 80 },
          { contentId: 9, tokens: 5 },
        ],
      ),
    ).toBe(130);
  });

  it('stops at the first segment with different content', () => {
    expect(
      sharedPrefixTokens(
        [
          { contentId: 1, tokens: 100 },
          { contentId: 2, tokens: 30 },
        ],
        [
          { contentId: 1, tokens: 100 },
          { contentId: 3, tokens: 30 },
        ],
      ),
    ).toBe(100);
    expect(sharedPrefixTokens([{ contentId: 1, tokens: 10 }], [{ contentId: 2, tokens: 10 }])).toBe(
      0,
    );
  });

  it('sums a prompt’s tokens', () => {
    expect(
      segmentTokens([
        { contentId: 1, tokens: 3 },
        { contentId: 2, tokens: 4 },
      ]),
    ).toBe(7);
    expect(segmentTokens([])).toBe(0);
  });
});
