/**
 * The OpenAI-compatible request bodies our endpoints accept (`serve-sim`, the llama.cpp adapter):
 * `/v1/chat/completions` and `/v1/completions` with streaming options — the fields they read,
 * everything else passed through. One definition so both endpoints answer the same requests.
 */
import { z } from 'zod';

export const ContentSchema = z.union([
  z.string(),
  z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough()),
]);

const CommonSchema = {
  model: z.string().optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().optional(),
};

export const ChatSchema = z
  .object({
    ...CommonSchema,
    messages: z
      .array(z.object({ role: z.string(), content: ContentSchema.nullable() }).passthrough())
      .min(1),
  })
  .passthrough();

export const CompletionSchema = z
  .object({ ...CommonSchema, prompt: z.union([z.string(), z.array(z.string()).min(1)]) })
  .passthrough();

/** The text of a message's content (string or parts). */
export const textOf = (c: z.infer<typeof ContentSchema> | null): string =>
  c === null ? '' : typeof c === 'string' ? c : c.map((p) => p.text ?? '').join('');
