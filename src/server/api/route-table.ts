/**
 * The route table's shape: each route states its method, path, summary, request schemas and
 * responses once; `app.ts` registers handlers from it and `openapi.ts` writes the OpenAPI
 * document from it, so the two cannot disagree.
 */
import type { Context } from 'hono';
import type { z } from 'zod';

export type HttpMethod = 'get' | 'post';

/** What a handler gets: the validated body and query, the path parameters, the context. */
export interface RouteInput<B, Q> {
  c: Context;
  body: B;
  query: Q;
  param(name: string): string;
}

export interface RouteSpec<B = unknown, Q = unknown> {
  method: HttpMethod;
  /** Hono path (`/api/runs/:id`). */
  path: string;
  summary: string;
  /** JSON request body schema; absent: the route takes no body. */
  body?: z.ZodType<B>;
  /** The body may be left out (then it is parsed as `{}`). */
  bodyOptional?: boolean;
  query?: z.ZodType<Q>;
  /** Status → description; `stream: 'sse'` marks an event-stream success response. */
  responses: Record<number, string>;
  stream?: 'sse';
  handle(input: RouteInput<B, Q>): Response | Promise<Response>;
}

/** A route with its input types erased, as the table holds it. */
export type AnyRoute = RouteSpec<never, never>;

/** Declare a route; body and query types follow from the schemas. */
export function route<B = undefined, Q = undefined>(spec: RouteSpec<B, Q>): AnyRoute {
  return spec as unknown as AnyRoute;
}
