/**
 * The OpenAI-compatible response bodies our endpoints write (`serve-sim`, the llama.cpp
 * adapter): a streamed chunk (`chat.completion.chunk` / `text_completion`), the non-streamed
 * body, and `usage`. One definition so both endpoints answer alike (the load generator's
 * parser is tested against them).
 */

export type ApiKind = 'chat' | 'completion';

/** What every body of one response repeats. */
export interface ResponseIds {
  id: string;
  created: number;
  model: string;
}

export const usageBody = (promptTokens: number, completionTokens: number) => ({
  prompt_tokens: promptTokens,
  completion_tokens: completionTokens,
  total_tokens: promptTokens + completionTokens,
});

/**
 * One streamed chunk: `text` as the delta (chat: with `role` on the first), or, when `finish`
 * is set, the empty delta carrying the finish reason.
 */
export function streamChunk(
  kind: ApiKind,
  ids: ResponseIds,
  text: string,
  first: boolean,
  finish: string | null,
) {
  return kind === 'chat'
    ? {
        id: ids.id,
        object: 'chat.completion.chunk',
        created: ids.created,
        model: ids.model,
        choices: [
          {
            index: 0,
            delta: finish ? {} : { ...(first ? { role: 'assistant' } : {}), content: text },
            finish_reason: finish,
          },
        ],
      }
    : {
        id: ids.id,
        object: 'text_completion',
        created: ids.created,
        model: ids.model,
        choices: [{ index: 0, text: finish ? '' : text, finish_reason: finish }],
      };
}

/** The whole (non-streamed) response with its usage. */
export function completionBody(
  kind: ApiKind,
  ids: ResponseIds,
  text: string,
  finish: string,
  usage: ReturnType<typeof usageBody>,
) {
  return kind === 'chat'
    ? {
        id: ids.id,
        object: 'chat.completion',
        created: ids.created,
        model: ids.model,
        choices: [
          { index: 0, message: { role: 'assistant', content: text }, finish_reason: finish },
        ],
        usage,
      }
    : {
        id: ids.id,
        object: 'text_completion',
        created: ids.created,
        model: ids.model,
        choices: [{ index: 0, text, finish_reason: finish }],
        usage,
      };
}
