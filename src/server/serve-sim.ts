/**
 * `aifactory serve-sim <scenario>`: an OpenAI-compatible endpoint whose token timing comes from
 * the serving twin running in real time (DESIGN §9). Requests to `/v1/chat/completions` and
 * `/v1/completions` (streaming SSE with `stream_options.include_usage`, or not) enter the
 * simulated fleet when they arrive; each token is sent when the simulated replica samples it.
 * Tokens are placeholder text. Being real time, it is exempt from byte-determinism.
 *
 * Token counts: prompt tokens ≈ ⌈characters / 4⌉ per message (OpenAI's rule of thumb for
 * English text; no tokenizer is loaded), each message a prompt segment with its content hash,
 * so a conversation that resends its history hits the prefix cache; output tokens =
 * `max_tokens` (or `max_completion_tokens`), else the mean output length of the scenario's
 * first request class — said in the `x-aifactory-output-tokens` header.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { ChatSchema, CompletionSchema, textOf } from './openai-request.js';
import { completionBody, streamChunk, usageBody } from './openai-response.js';
import { createLiveTwin, type LiveTwin } from '../app/live-twin.js';
import type { Catalog } from '../catalog/catalog.js';
import { distributionMean } from '../core/distributions.js';
import { fnv1a64 } from '../core/hash.js';
import type { CalibrationTable } from '../perf/calibration.js';
import type { Sequence } from '../sim/scheduler/scheduler.js';
import type { PromptSegment, SimRequest } from '../sim/types.js';
import type { Scenario } from '../scenario/index.js';

export interface ServeSimOptions {
  scenario: Scenario;
  catalog: Catalog;
  calibration: CalibrationTable;
  /** Deployment to serve when the scenario has several. */
  deployment?: string;
  /** Monotonic wall clock, milliseconds. */
  nowMs(): number;
  /** Simulated seconds per wall-clock second (default 1: real time). */
  speed?: number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export interface ServeSim {
  app: Hono;
  live: LiveTwin;
  /** Requests in the simulated fleet now. */
  inFlight(): number;
  close(): void;
}

/** About four characters per token (OpenAI's rule of thumb for English text). */
const CHARS_PER_TOKEN = 4;
const tokensOf = (text: string): number => Math.max(1, Math.ceil(text.length / CHARS_PER_TOKEN));

/** One segment per message (or prompt), with a content id from its text's hash. */
function segmentsOf(texts: readonly string[]): PromptSegment[] {
  return texts.map((t) => ({
    // The low 48 bits of FNV-1a 64: a non-negative safe integer per distinct text.
    contentId: Number.parseInt(fnv1a64(t).replace(/^.*:/, '').slice(-12), 16),
    tokens: tokensOf(t),
  }));
}

interface Pending {
  kind: 'chat' | 'completion';
  model: string;
  stream: boolean;
  includeUsage: boolean;
  created: number;
  /** Stream controller (stream) or resolver of the whole response (not stream). */
  controller?: ReadableStreamDefaultController<Uint8Array>;
  resolve?: (r: Response) => void;
  sentTokens: number;
  closed: boolean;
  request: SimRequest;
}

const encoder = new TextEncoder();
const PLACEHOLDER = 'tok ';

export function createServeSim(o: ServeSimOptions): ServeSim {
  const speed = o.speed ?? 1;
  const t0 = o.nowMs();
  const simNow = (): number => ((o.nowMs() - t0) / 1000) * speed;
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let timer: unknown;

  const send = (p: Pending, payload: unknown): void => {
    if (p.closed || !p.controller) return;
    try {
      p.controller.enqueue(encoder.encode(`data: ${JSON.stringify(payload)}\n\n`));
    } catch {
      p.closed = true; // the client went away
    }
  };
  const idsOf = (p: Pending) => ({
    id: `${p.kind === 'chat' ? 'chatcmpl' : 'cmpl'}-sim-${p.request.id}`,
    created: p.created,
    model: p.model,
  });
  const chunk = (p: Pending, text: string, first: boolean, finish: string | null) =>
    streamChunk(p.kind, idsOf(p), text, first, finish);
  const usageOf = (p: Pending) => usageBody(p.request.promptTokens, p.sentTokens);

  const live = createLiveTwin(
    o.scenario,
    o.catalog,
    o.calibration,
    {
      onToken(seq: Sequence, count: number) {
        const p = pending.get(seq.request.id);
        if (!p) return;
        for (let k = 0; k < count; k++) {
          if (p.stream) send(p, chunk(p, PLACEHOLDER, p.sentTokens === 0, null));
          p.sentTokens++;
        }
      },
      onCompletion(seq: Sequence) {
        const p = pending.get(seq.request.id);
        if (!p) return;
        pending.delete(seq.request.id);
        finishResponse(p, 'length');
      },
      onDrop(requestId: number) {
        const p = pending.get(requestId);
        if (!p) return;
        pending.delete(requestId);
        if (p.stream) {
          send(p, { error: { message: 'rejected by the simulated engine', type: 'server_error' } });
          close(p);
        } else
          p.resolve?.(
            Response.json(
              { error: { message: 'rejected by the simulated engine', type: 'server_error' } },
              { status: 503 },
            ),
          );
      },
    },
    o.deployment,
  );

  const close = (p: Pending): void => {
    if (p.closed || !p.controller) return;
    p.closed = true;
    try {
      p.controller.enqueue(encoder.encode('data: [DONE]\n\n'));
      p.controller.close();
    } catch {
      // already closed by the client
    }
  };

  function finishResponse(p: Pending, reason: string): void {
    if (p.stream) {
      send(p, chunk(p, '', false, reason));
      if (p.includeUsage)
        send(p, { ...chunk(p, '', false, reason), choices: [], usage: usageOf(p) });
      close(p);
      return;
    }
    const text = PLACEHOLDER.repeat(p.sentTokens);
    const body = completionBody(p.kind, idsOf(p), text, reason, usageOf(p));
    p.resolve?.(Response.json(body));
  }

  /** Advance the twin to now and wake up at its next event. */
  const pump = (): void => {
    if (timer !== undefined) o.clearTimer(timer);
    timer = undefined;
    live.twin.advanceTo(simNow());
    const next = live.twin.nextEventSeconds();
    if (next !== undefined)
      timer = o.setTimer(pump, Math.max(0, ((next - simNow()) / speed) * 1000));
  };

  const firstClass = o.scenario.workload.classes.find((c) => c.kind === 'request');
  const defaultOutputTokens =
    firstClass && firstClass.kind === 'request'
      ? Math.max(1, Math.round(distributionMean(toSpec(firstClass.outputTokens))))
      : undefined;

  const admit = (
    kind: Pending['kind'],
    texts: string[],
    body: z.infer<typeof ChatSchema> | z.infer<typeof CompletionSchema>,
  ): Response | Promise<Response> => {
    const stated = body.max_completion_tokens ?? body.max_tokens;
    const outputTokens = stated ?? defaultOutputTokens;
    if (outputTokens === undefined)
      return Response.json(
        {
          error: {
            message:
              'max_tokens is required: the scenario has no request class to take a default output length from',
            type: 'invalid_request_error',
            param: 'max_tokens',
          },
        },
        { status: 400 },
      );
    const now = simNow();
    const segments = segmentsOf(texts);
    const request: SimRequest = {
      id: nextId++,
      classIndex: 0,
      arrivalSeconds: now,
      promptTokens: segments.reduce((a, s) => a + s.tokens, 0),
      outputTokens,
      segments,
      priority: 0,
    };
    const p: Pending = {
      kind,
      model: body.model ?? live.model,
      stream: body.stream === true,
      includeUsage: body.stream_options?.include_usage === true,
      created: Math.floor(Date.now() / 1000),
      sentTokens: 0,
      closed: false,
      request,
    };
    pending.set(request.id, p);
    const headers = {
      'x-aifactory-output-tokens': stated !== undefined ? 'max_tokens' : 'scenario class mean',
    };
    // The stream exists before the request enters the twin, so no token can precede it.
    let response: Response | Promise<Response>;
    if (p.stream) {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          p.controller = controller;
        },
        cancel() {
          p.closed = true;
        },
      });
      response = new Response(stream, {
        headers: {
          ...headers,
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
        },
      });
    } else
      response = new Promise<Response>((resolve) => {
        p.resolve = (r) => {
          for (const [k, v] of Object.entries(headers)) r.headers.set(k, v);
          resolve(r);
        };
      });
    // The request reaches the engine after the calibrated client/HTTP overhead, as in `run`.
    live.twin.inject(request, now + live.requestOverheadSeconds);
    pump();
    return response;
  };

  const badRequest = (e: z.ZodError) =>
    Response.json(
      {
        error: {
          message: e.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
          type: 'invalid_request_error',
          param: e.issues[0]?.path.join('.') ?? null,
        },
      },
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
      data: [
        { id: live.model, object: 'model', owned_by: `aifactory serve-sim (${live.deployment})` },
      ],
    }),
  );
  app.post('/v1/chat/completions', async (c) => {
    const parsed = ChatSchema.safeParse(await readJson(c.req.raw));
    if (!parsed.success) return badRequest(parsed.error);
    return admit(
      'chat',
      parsed.data.messages.map((m) => `${m.role}: ${textOf(m.content)}`),
      parsed.data,
    );
  });
  app.post('/v1/completions', async (c) => {
    const parsed = CompletionSchema.safeParse(await readJson(c.req.raw));
    if (!parsed.success) return badRequest(parsed.error);
    const prompt = parsed.data.prompt;
    return admit('completion', typeof prompt === 'string' ? [prompt] : prompt, parsed.data);
  });

  return {
    app,
    live,
    inFlight: () => pending.size,
    close() {
      if (timer !== undefined) o.clearTimer(timer);
      timer = undefined;
      for (const p of pending.values()) close(p);
      pending.clear();
    },
  };
}

/** A scenario distribution (bare number = fixed) as core's DistributionSpec. */
function toSpec(
  d: number | Parameters<typeof distributionMean>[0],
): Parameters<typeof distributionMean>[0] {
  return typeof d === 'number' ? { dist: 'fixed', value: d } : d;
}
