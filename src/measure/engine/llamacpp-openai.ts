/**
 * An OpenAI-compatible endpoint in front of the llama.cpp engine, with the API shape of
 * `aifactory serve-sim` (src/server/serve-sim.ts): `POST /v1/completions` and
 * `POST /v1/chat/completions`, streaming SSE (`data: {chunk}\n\n` … `data: [DONE]\n\n`) or one
 * JSON body, `stream_options.include_usage` adding a final chunk with `choices: []` and `usage`,
 * and `GET /v1/models`.
 *
 * Token counts are the engine's: `prompt_tokens` from the model's own tokenizer (BOS included),
 * `completion_tokens` = tokens sampled. End-of-sequence is ignored, so every request generates
 * `max_tokens` (or `max_completion_tokens`; default 16, OpenAI's default for completions, said in
 * the `x-aifactory-output-tokens` header). A chat prompt is the messages as `role: content`
 * lines (the random model has no chat template). A client that disconnects stops its generation.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { ChatSchema, CompletionSchema, textOf } from '../../server/openai-request.js';
import { completionBody, streamChunk, usageBody } from '../../server/openai-response.js';
import type { LlamaCppEngine } from './llamacpp-engine.js';

export interface LlamaCppOpenAiOptions {
  engine: LlamaCppEngine;
  /** Model id reported in responses and `/v1/models`. */
  modelName: string;
  /** Unix seconds for `created` (injected clock). */
  nowSeconds(): number;
}

export const DEFAULT_MAX_TOKENS = 16;

type Common = z.infer<typeof ChatSchema> | z.infer<typeof CompletionSchema>;

const encoder = new TextEncoder();

const errorBody = (message: string, type: string, param: string | null = null) => ({
  error: { message, type, param },
});

export function createLlamaCppOpenAiApp(o: LlamaCppOpenAiOptions): Hono {
  let nextId = 0;

  const respond = (kind: 'chat' | 'completion', prompt: string, body: Common): Response => {
    const stated = body.max_completion_tokens ?? body.max_tokens;
    const maxTokens = stated ?? DEFAULT_MAX_TOKENS;
    const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-llamacpp-${nextId++}`;
    const model = body.model ?? o.modelName;
    const created = Math.floor(o.nowSeconds());
    const headers = {
      'x-aifactory-output-tokens': stated !== undefined ? 'max_tokens' : 'default 16',
    };
    const ids = { id, created, model };
    const chunk = (text: string, first: boolean, finish: string | null) =>
      streamChunk(kind, ids, text, first, finish);
    const promptTokens = o.engine.tokenize(prompt).length + 1;
    const contextTokens = o.engine.info.contextTokensPerSequence;
    if (promptTokens + maxTokens > contextTokens)
      return Response.json(
        errorBody(
          `prompt (${promptTokens} tokens) + max_tokens (${maxTokens}) exceed the ${contextTokens}-token context of a sequence`,
          'invalid_request_error',
          'max_tokens',
        ),
        { status: 400 },
      );
    const abort = new AbortController();

    if (body.stream !== true) {
      let text = '';
      return new Response(
        new ReadableStream<Uint8Array>({
          async start(controller) {
            try {
              const r = await o.engine.generate({
                prompt,
                maxTokens,
                signal: abort.signal,
                onToken: (t) => (text += t),
              });
              const out = completionBody(
                kind,
                ids,
                text,
                r.finishReason,
                usageBody(r.promptTokens, r.completionTokens),
              );
              controller.enqueue(encoder.encode(JSON.stringify(out)));
            } catch (e) {
              controller.enqueue(
                encoder.encode(
                  JSON.stringify(
                    errorBody(e instanceof Error ? e.message : String(e), 'server_error'),
                  ),
                ),
              );
            }
            controller.close();
          },
          cancel() {
            abort.abort();
          },
        }),
        { headers: { ...headers, 'content-type': 'application/json' } },
      );
    }

    const includeUsage = body.stream_options?.include_usage === true;
    let closed = false;
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (payload: unknown): void => {
          if (closed) return;
          try {
            controller.enqueue(encoder.encode(`data: ${JSON.stringify(payload)}\n\n`));
          } catch {
            closed = true;
            abort.abort();
          }
        };
        let sent = 0;
        try {
          const r = await o.engine.generate({
            prompt,
            maxTokens,
            signal: abort.signal,
            onToken: (t) => send(chunk(t, sent++ === 0, null)),
          });
          send(chunk('', false, r.finishReason));
          if (includeUsage)
            send({
              ...chunk('', false, r.finishReason),
              choices: [],
              usage: usageBody(r.promptTokens, r.completionTokens),
            });
        } catch (e) {
          send(errorBody(e instanceof Error ? e.message : String(e), 'server_error'));
        }
        if (!closed) {
          closed = true;
          try {
            controller.enqueue(encoder.encode('data: [DONE]\n\n'));
            controller.close();
          } catch {
            // the client went away
          }
        }
      },
      cancel() {
        closed = true;
        abort.abort();
      },
    });
    return new Response(stream, {
      headers: { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    });
  };

  const badRequest = (e: z.ZodError) =>
    Response.json(
      errorBody(
        e.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
        'invalid_request_error',
        e.issues[0]?.path.join('.') ?? null,
      ),
      { status: 400 },
    );
  const readJson = async (req: Request): Promise<unknown> => {
    try {
      return await req.json();
    } catch {
      return undefined;
    }
  };

  const app = new Hono();
  app.get('/v1/models', (c) =>
    c.json({
      object: 'list',
      data: [{ id: o.modelName, object: 'model', owned_by: `aifactory ${o.engine.info.binding}` }],
    }),
  );
  app.post('/v1/chat/completions', async (c) => {
    const parsed = ChatSchema.safeParse(await readJson(c.req.raw));
    if (!parsed.success) return badRequest(parsed.error);
    const prompt = parsed.data.messages.map((m) => `${m.role}: ${textOf(m.content)}`).join('\n');
    return respond('chat', prompt, parsed.data);
  });
  app.post('/v1/completions', async (c) => {
    const parsed = CompletionSchema.safeParse(await readJson(c.req.raw));
    if (!parsed.success) return badRequest(parsed.error);
    const p = parsed.data.prompt;
    return respond('completion', typeof p === 'string' ? p : p.join(''), parsed.data);
  });
  return app;
}
