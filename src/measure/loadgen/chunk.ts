/**
 * Reading one streamed OpenAI-compatible chunk (the JSON of an SSE `data:` message): what it
 * generated, its finish reason and usage. Chat chunks carry `choices[0].delta` with `content`,
 * `reasoning_content` (vLLM, SGLang, DeepSeek) or `reasoning` (newer vLLM, OpenRouter) and
 * `tool_calls`; completion chunks carry `choices[0].text`. With
 * `stream_options: {include_usage: true}` the last chunk before `[DONE]` has `choices: []` and
 * `usage` (OpenAI API reference, "Chat completion chunk object"); servers with continuous usage
 * stats (vLLM `continuous_usage_stats`) put a cumulative `usage` on every chunk.
 */
import type { ChunkContent } from './events.js';

/** Which endpoint a stream comes from. */
export type ApiKind = 'chat' | 'completions';

export interface ChunkUsage {
  promptTokens: number | null;
  completionTokens: number | null;
}

export interface ChunkInfo {
  /** `choices` is a non-empty array. */
  choices: boolean;
  /** The first kind of generated content present (text, then reasoning, then tool call). */
  content: ChunkContent | null;
  /** Generated text of the chunk (content or reasoning; tool-call arguments), for the tokenizer. */
  text: string;
  finishReason: string | null;
  usage: ChunkUsage | null;
}

/** A chunk that cannot be read: the reason, for the `malformed-sse` error. */
export interface ChunkProblem {
  problem: string;
  /** True when the server reported an error object (`stream-error`), not malformed data. */
  serverError: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

const count = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;

function toolCallText(toolCalls: unknown): string | null {
  if (!Array.isArray(toolCalls) || toolCalls.length === 0) return null;
  let text = '';
  for (const call of toolCalls) {
    if (!isObject(call)) continue;
    const fn = call.function;
    if (isObject(fn)) {
      if (typeof fn.name === 'string') text += fn.name;
      if (typeof fn.arguments === 'string') text += fn.arguments;
    }
  }
  return text;
}

/**
 * Read a parsed chunk. Returns a `ChunkProblem` for an `{"error": …}` object (server error) or
 * for a value that is no completion chunk (no `choices` array and no `usage`).
 */
export function readChunk(value: unknown, api: ApiKind): ChunkInfo | ChunkProblem {
  if (!isObject(value)) return { problem: 'chunk is not a JSON object', serverError: false };
  if (value.error !== undefined && value.error !== null) {
    const err = value.error;
    const message =
      isObject(err) && typeof err.message === 'string' ? err.message : JSON.stringify(err);
    return { problem: `server error in stream: ${message}`, serverError: true };
  }
  const rawUsage = value.usage;
  const usage: ChunkUsage | null = isObject(rawUsage)
    ? {
        promptTokens: count(rawUsage.prompt_tokens),
        completionTokens: count(rawUsage.completion_tokens),
      }
    : null;
  const choicesValue = value.choices;
  if (choicesValue !== undefined && !Array.isArray(choicesValue))
    return { problem: '`choices` is not an array', serverError: false };
  if (choicesValue === undefined && usage === null)
    return { problem: 'chunk has neither `choices` nor `usage`', serverError: false };
  const choices = Array.isArray(choicesValue) && choicesValue.length > 0;
  let content: ChunkContent | null = null;
  let text = '';
  let finishReason: string | null = null;
  if (choices) {
    const choice = (choicesValue as unknown[])[0];
    if (!isObject(choice)) return { problem: '`choices[0]` is not an object', serverError: false };
    if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
    if (api === 'completions') {
      if (nonEmptyString(choice.text)) {
        content = 'text';
        text = choice.text;
      }
    } else {
      const delta = choice.delta;
      if (delta !== undefined && delta !== null && !isObject(delta))
        return { problem: '`choices[0].delta` is not an object', serverError: false };
      if (isObject(delta)) {
        const reasoning = nonEmptyString(delta.reasoning_content)
          ? delta.reasoning_content
          : nonEmptyString(delta.reasoning)
            ? delta.reasoning
            : null;
        const tools = toolCallText(delta.tool_calls);
        if (nonEmptyString(delta.content)) {
          content = 'text';
          text = delta.content;
        } else if (reasoning !== null) {
          content = 'reasoning';
          text = reasoning;
        } else if (tools !== null) {
          content = 'tool-call';
          text = tools;
        }
      }
    }
  }
  return { choices, content, text, finishReason, usage };
}

export const isChunkProblem = (c: ChunkInfo | ChunkProblem): c is ChunkProblem => 'problem' in c;
