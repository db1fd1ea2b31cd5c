/**
 * Deterministic synthetic prompt text of approximately a requested token length.
 *
 * The approximation: a prompt of n tokens is n words, each a common lower-case English word
 * written with a leading space (" the", " time", …). Byte-pair tokenizers with large
 * vocabularies — Llama 3's 128k tiktoken-based vocabulary, OpenAI cl100k/o200k, Qwen2's 151k —
 * encode each such word as exactly one token, so the text is n tokens ± the template: the
 * server adds its chat template (typically 5–30 tokens) and a BOS token. Smaller vocabularies
 * (Llama 2 / Mistral 32k SentencePiece) also hold these words as single pieces; rarer
 * tokenizers may split some. The report compares the requested prompt tokens with the
 * server's `usage.prompt_tokens`, so the error is measured, not assumed.
 *
 * Prefix sharing is kept: a prompt is its `PromptSegment`s in order, and the word at position
 * p of a segment with content id c depends only on (salt, c, p). Two segments with the same
 * content id therefore share their first min(a, b) words — the twin's `PromptSegment`
 * contract — so the server's prefix cache sees the sharing the twin models. Words are chosen by
 * a 32-bit integer hash; no random stream is consumed, so prompts do not perturb the workload.
 */
import type { PromptSegment } from '../../sim/types.js';

/** 128 common English words, each one BPE token with its leading space. */
export const PROMPT_WORDS: readonly string[] = [
  'the',
  'of',
  'and',
  'to',
  'in',
  'is',
  'for',
  'on',
  'with',
  'as',
  'at',
  'by',
  'from',
  'that',
  'this',
  'it',
  'be',
  'are',
  'was',
  'or',
  'an',
  'not',
  'but',
  'can',
  'all',
  'has',
  'have',
  'more',
  'one',
  'new',
  'will',
  'about',
  'time',
  'your',
  'their',
  'other',
  'some',
  'there',
  'we',
  'you',
  'they',
  'when',
  'which',
  'what',
  'if',
  'would',
  'like',
  'into',
  'than',
  'its',
  'only',
  'over',
  'also',
  'after',
  'first',
  'two',
  'use',
  'work',
  'any',
  'how',
  'our',
  'just',
  'most',
  'people',
  'years',
  'way',
  'each',
  'well',
  'many',
  'may',
  'then',
  'these',
  'could',
  'should',
  'very',
  'here',
  'long',
  'make',
  'back',
  'data',
  'system',
  'water',
  'light',
  'power',
  'house',
  'world',
  'city',
  'field',
  'group',
  'level',
  'market',
  'number',
  'order',
  'place',
  'point',
  'price',
  'road',
  'school',
  'state',
  'story',
  'table',
  'team',
  'value',
  'week',
  'book',
  'car',
  'case',
  'day',
  'door',
  'food',
  'game',
  'hand',
  'line',
  'life',
  'month',
  'music',
  'name',
  'night',
  'page',
  'part',
  'plan',
  'rate',
  'room',
  'side',
  'sound',
  'test',
  'tree',
  'model',
];

/** A 32-bit integer hash of (salt, contentId, position): splitmix32-style finaliser. */
function wordIndex(salt: number, contentId: number, position: number): number {
  let h = (Math.imul(contentId, 0x9e3779b1) ^ Math.imul(position, 0x85ebca77) ^ salt) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  return h & (PROMPT_WORDS.length - 1);
}

/**
 * The text of one segment: `tokens` words, each with a leading space. O(tokens).
 * @example segmentText({ contentId: 7, tokens: 3 }) // e.g. " price the work"
 */
export function segmentText(segment: PromptSegment, salt = 0): string {
  const parts = new Array<string>(segment.tokens);
  for (let p = 0; p < segment.tokens; p++)
    parts[p] = PROMPT_WORDS[wordIndex(salt, segment.contentId, p)]!;
  return segment.tokens > 0 ? ` ${parts.join(' ')}` : '';
}

/**
 * The prompt text of a request: its segments' texts concatenated, about Σ tokens tokens (see
 * the module note for the approximation). Same segments and salt ⇒ same text.
 */
export function promptText(segments: readonly PromptSegment[], salt = 0): string {
  let text = '';
  for (const s of segments) text += segmentText(s, salt);
  return text;
}

/** Words in a text: the synthetic prompt's own token estimate (1 word ≈ 1 token). */
export const countWords = (text: string): number => {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
};
