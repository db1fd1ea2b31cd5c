import { describe, expect, it } from 'vitest';
import { countWords, PROMPT_WORDS, promptText, segmentText } from './prompt.js';

describe('synthetic prompts', () => {
  it('the vocabulary has 128 distinct words (the hash masks to 7 bits)', () => {
    expect(PROMPT_WORDS.length).toBe(128);
    expect(new Set(PROMPT_WORDS).size).toBe(128);
  });

  it('a prompt of n tokens is n words', () => {
    expect(
      countWords(
        promptText([
          { contentId: 3, tokens: 500 },
          { contentId: 9, tokens: 12 },
        ]),
      ),
    ).toBe(512);
    expect(promptText([])).toBe('');
  });

  it('segments with the same content id share their leading words (prefix caching survives)', () => {
    const long = segmentText({ contentId: 42, tokens: 300 });
    const short = segmentText({ contentId: 42, tokens: 120 });
    expect(long.startsWith(short)).toBe(true);
    expect(segmentText({ contentId: 43, tokens: 120 })).not.toBe(short);
  });

  it('is deterministic and changes with the salt', () => {
    const s = [{ contentId: 1, tokens: 50 }];
    expect(promptText(s, 5)).toBe(promptText(s, 5));
    expect(promptText(s, 5)).not.toBe(promptText(s, 6));
  });
});
