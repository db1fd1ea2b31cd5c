/**
 * `createApiApp(deps)`: the HTTP API of docs/api.md and the dashboard's static files as one Hono
 * app. Every route is declared once in the route table below (method, path, summary, request
 * schemas, responses) — handlers are registered from it and `/openapi.json` is written from it.
 *
 * Request pipeline for `/api`: bearer token (when configured) → body size limit → JSON content
 * type → zod validation of body and query → handler. Every check runs before the handler
 * touches the store, so a rejected request writes nothing. Errors all have one shape
 * (`errors.ts`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { TOOL_VERSION, engineVersion as engineVersionOf } from '../../app/engine-version.js';
import type { Catalog } from '../../catalog/catalog.js';
import { ERROR_CODES } from '../../core/errors.js';
import type { LpSolver } from '../../core/lp.js';
import type { Executor } from '../../jobs/types.js';
import type { CalibrationTable } from '../../perf/calibration.js';
import { scenarioJsonSchema } from '../../scenario/index.js';
import type { RunSummary, Store, StoredRun } from '../../store/types.js';
import { createAnalyses } from './analyses.js';
import { createByteCache } from './byte-cache.js';
import {
  errorResponse,
  HTTP_ERROR_CODES,
  HttpError,
  invalidRequest,
  notFound,
  type ApiErrorBody,
} from './errors.js';
import { isFinalStatus, type RunEvent } from './event-bus.js';
import { buildOpenApi } from './openapi.js';
import { route, type AnyRoute } from './route-table.js';
import { createRunService, type RunService } from './runs.js';
import { scenarioFromRef, scenarioFromYaml, scenarioSummary, storeScenario } from './scenarios.js';
import { createSweepService, type SweepService } from './sweeps.js';
import {
  ClaimValidateBody,
  CompareBody,
  CostBody,
  FrontierBody,
  ListQuery,
  RunBody,
  RunListQuery,
  ScenarioRefBody,
  SourcedYamlBody,
  YamlBody,
} from './schemas.js';
import { addStaticRoutes } from './static.js';

/** Default request body limit: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Default memory for encoded bodies of final runs served again (`GET /api/runs/:id`): 64 MiB. */
export const DEFAULT_FINAL_RUN_CACHE_BYTES = 64 * 1024 * 1024;

/** Scenario names kept in memory for run lists before the memo starts over. */
const MAX_REMEMBERED_NAMES = 10_000;

export type ExampleKind = 'scenario' | 'plan' | 'build-vs-rent' | 'sweep';

export interface ApiExample {
  id: string;
  name: string;
  file: string;
  kind: ExampleKind;
  yaml: string;
}

export interface ApiDeps {
  store: Store;
  executor: Executor;
  catalog: Catalog;
  calibration: CalibrationTable;
  /** For plan and build-vs-rent: a solver, or a loader called once on first use. */
  solver: LpSolver | (() => Promise<LpSolver>);
  /** ISO 8601 UTC now (the store never reads a clock; tests pin it). */
  nowIso(): string;
  /** The built-in examples (`GET /api/examples`). */
  examples: readonly ApiExample[];
  /** Directory of the built dashboard (`web/dist`); absent or missing: a page says how to build it. */
  staticRoot?: string;
  /** Request body limit in bytes (default {@link DEFAULT_MAX_BODY_BYTES}). */
  maxBodyBytes?: number;
  /** When set, every `/api` request needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Memory for encoded bodies of final runs (default {@link DEFAULT_FINAL_RUN_CACHE_BYTES}; 0: none). */
  finalRunCacheBytes?: number;
  /** Defects and failed background writes, one line each (default: dropped). */
  log?(message: string): void;
}

/** The Hono app, plus what its owner needs to stop it cleanly. */
export type ApiApp = Hono & {
  readonly runs: RunService;
  /** Sweeps started by `POST /api/sweeps`. */
  readonly sweeps: SweepService;
  readonly engineVersion: string;
  /** The route table (`/openapi.json` is written from it). */
  readonly routeTable: readonly AnyRoute[];
  /** Record unfinished runs and sweeps failed (`reason`) and wait for their jobs; the caller then closes executor and store. */
  shutdown(reason: string): Promise<void>;
};

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

const json = (c: Context, value: unknown, status: 200 | 201 | 202 = 200): Response =>
  c.json(value as object, status);

/** A JSON response whose body is stored JSON text (results are served without re-encoding). */
const rawJson = (c: Context, text: string, status: 200 | 201 | 202 = 200): Response =>
  c.body(text, status, { 'content-type': 'application/json; charset=UTF-8' });

const runSummary = (r: RunSummary, scenarioName: string | undefined) => ({
  id: r.id,
  kind: r.kind,
  scenarioHash: r.scenarioHash,
  scenarioName: scenarioName ?? null,
  seed: r.seed,
  engineVersion: r.engineVersion,
  status: r.status,
  progress: r.progress,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** The run row with `result` (done) or `error` (failed) spliced in as stored JSON text. */
function runJson(r: StoredRun, scenarioName: string | undefined): string {
  const head = JSON.stringify(runSummary(r, scenarioName));
  if (r.status === 'done' && r.resultJson !== null)
    return `${head.slice(0, -1)},"result":${r.resultJson}}`;
  if (r.status === 'failed' && r.errorJson !== null)
    return `${head.slice(0, -1)},"error":${r.errorJson}}`;
  return head;
}

function sseMessage(e: RunEvent): { event: string; data: string } {
  return e.type === 'progress'
    ? {
        event: 'progress',
        data: JSON.stringify(
          e.sweep ? { fraction: e.fraction, sweep: e.sweep } : { fraction: e.fraction },
        ),
      }
    : { event: e.type, data: JSON.stringify({ id: e.id, status: e.status }) };
}

export function createApiApp(deps: ApiDeps): ApiApp {
  const { store, catalog, calibration } = deps;
  const engineVersion = engineVersionOf(catalog, calibration);
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let solverLoad: Promise<LpSolver> | undefined;
  const solver = (): Promise<LpSolver> =>
    (solverLoad ??=
      typeof deps.solver === 'function' ? deps.solver() : Promise.resolve(deps.solver));
  const runs = createRunService({
    store,
    executor: deps.executor,
    engineVersion,
    nowIso: deps.nowIso,
    ...(deps.log ? { log: deps.log } : {}),
  });
  const sweeps = createSweepService({
    store,
    executor: deps.executor,
    catalog,
    engineVersion,
    nowIso: deps.nowIso,
    ...(deps.log ? { log: deps.log } : {}),
    // A sweep's progress and end go to the runs' SSE stream.
    events: runs.events,
  });
  const analyses = createAnalyses({ store, catalog, calibration, solver });
  // A scenario's name never changes (its row is keyed by content): remember the names read.
  const scenarioNameByHash = new Map<string, string>();
  const scenarioName = (hash: string): string | undefined => {
    let name = scenarioNameByHash.get(hash);
    if (name === undefined) {
      name = store.getScenario(hash)?.name;
      if (name === undefined) return undefined;
      if (scenarioNameByHash.size >= MAX_REMEMBERED_NAMES) scenarioNameByHash.clear();
      scenarioNameByHash.set(hash, name);
    }
    return name;
  };
  const finalRuns = createByteCache(deps.finalRunCacheBytes ?? DEFAULT_FINAL_RUN_CACHE_BYTES);
  const encoder = new TextEncoder();

  const routes: AnyRoute[] = [
    route({
      method: 'get',
      path: '/api/health',
      summary: 'liveness and the versions results are keyed by',
      responses: { 200: '{ok, toolVersion, engineVersion, catalogVersion}' },
      handle: ({ c }) =>
        json(c, {
          ok: true,
          toolVersion: TOOL_VERSION,
          engineVersion,
          catalogVersion: catalog.version,
        }),
    }),
    route({
      method: 'get',
      path: '/api/examples',
      summary: 'the built-in example files',
      responses: {
        200: '[{id, name, file, kind: scenario | plan | build-vs-rent | sweep, yaml}] (a sweep: its base file inline)',
      },
      handle: ({ c }) => json(c, deps.examples),
    }),
    route({
      method: 'get',
      path: '/api/catalog',
      summary: 'catalog ids and names (accelerators, systems, models)',
      responses: {
        200: '{version, accelerators: [{id, name, vendor}], systems: [{id, name, acceleratorId, acceleratorsPerSystem}], models: [{id, name}]}',
      },
      handle: ({ c }) =>
        json(c, {
          version: catalog.version,
          accelerators: [...catalog.accelerators.values()].map((a) => ({
            id: a.id,
            name: a.name,
            vendor: a.vendor,
          })),
          systems: [...catalog.systems.values()].map((s) => ({
            id: s.id,
            name: s.name,
            acceleratorId: s.acceleratorId,
            acceleratorsPerSystem: s.acceleratorCount,
          })),
          models: [...catalog.models.values()].map((m) => ({ id: m.id, name: m.name })),
        }),
    }),
    route({
      method: 'get',
      path: '/api/schema/scenario',
      summary: 'the scenario JSON Schema (`aifactory schema`)',
      responses: { 200: 'JSON Schema (draft 2020-12)' },
      handle: ({ c }) => json(c, scenarioJsonSchema()),
    }),
    route({
      method: 'post',
      path: '/api/scenarios/validate',
      summary: 'parse and check a scenario against the catalog; stores nothing',
      body: YamlBody,
      responses: {
        200: '{ok: true, hash, name, scenario}',
        400: 'issues with path and YAML line/column',
      },
      handle: ({ c, body }) => {
        const input = scenarioFromYaml(body.yaml, 'yaml', catalog);
        return json(c, {
          ok: true,
          hash: input.hash,
          name: input.scenario.name,
          scenario: input.scenario,
        });
      },
    }),
    route({
      method: 'post',
      path: '/api/scenarios',
      summary: 'store a scenario (idempotent by content hash)',
      body: YamlBody,
      responses: {
        201: '{hash, name, schemaVersion, createdAt}: stored now',
        200: '{hash, name, schemaVersion, createdAt}: already stored',
        400: 'issues with path and YAML line/column',
      },
      handle: ({ c, body }) => {
        const input = scenarioFromYaml(body.yaml, 'yaml', catalog);
        const { row, created } = storeScenario(store, input, deps.nowIso());
        return json(c, scenarioSummary(row), created ? 201 : 200);
      },
    }),
    route({
      method: 'get',
      path: '/api/scenarios',
      summary: 'stored scenarios, newest first',
      query: ListQuery,
      responses: { 200: '[{hash, name, schemaVersion, createdAt}]' },
      handle: ({ c, query }) =>
        json(
          c,
          store
            .listScenarios(query.limit !== undefined ? { limit: query.limit } : {})
            .map(scenarioSummary),
        ),
    }),
    route({
      method: 'get',
      path: '/api/scenarios/:hash',
      summary: 'one stored scenario with its YAML and parsed form',
      responses: {
        200: '{hash, name, schemaVersion, createdAt, yaml, scenario}',
        404: 'no such scenario',
      },
      handle: ({ c, param }) => {
        const row = store.getScenario(param('hash'));
        if (!row) throw notFound('scenario', param('hash'));
        return json(c, {
          ...scenarioSummary(row),
          yaml: row.sourceYaml,
          scenario: JSON.parse(row.canonicalJson) as unknown,
        });
      },
    }),
    route({
      method: 'post',
      path: '/api/estimates',
      summary: 'the `aifactory estimate --json` report (cached by scenario, seed and engine)',
      body: ScenarioRefBody,
      responses: {
        200: 'the EstimateReport',
        400: 'bad scenario (issues with YAML line/column) or unknown scenarioHash',
      },
      handle: async ({ c, body }) => {
        const input = scenarioFromRef(body, store, catalog);
        const { run, cached } = await runs.runToCompletion('estimate', input, input.scenario.seed);
        c.header('x-aifactory-cache', cached ? 'hit' : 'miss');
        c.header('x-aifactory-run-id', run.id);
        return rawJson(c, run.resultJson!);
      },
    }),
    route({
      method: 'post',
      path: '/api/runs',
      summary: 'simulate a scenario with the serving twin (answered from cache when stored)',
      body: RunBody,
      responses: {
        202: '{id, status: "queued"}: started (or joined a run of the same key)',
        200: '{id, status: "done", cached: true}: a stored result matches',
        400: 'bad scenario (issues with YAML line/column) or unknown scenarioHash',
      },
      handle: ({ c, body }) => {
        const input = scenarioFromRef(body, store, catalog);
        const { run, cached } = runs.submit('simulate', input, body.seed ?? input.scenario.seed);
        c.header('location', `/api/runs/${run.id}`);
        return cached
          ? json(c, { id: run.id, status: run.status, cached: true })
          : json(c, { id: run.id, status: run.status }, 202);
      },
    }),
    route({
      method: 'get',
      path: '/api/runs',
      summary: 'runs, newest first',
      query: RunListQuery,
      responses: {
        200: '[{id, kind, scenarioHash, scenarioName, seed, engineVersion, status, progress, createdAt, updatedAt}]',
      },
      handle: ({ c, query }) => {
        const rows = store.listRuns({
          ...(query.limit !== undefined ? { limit: query.limit } : {}),
          ...(query.scenarioHash !== undefined ? { scenarioHash: query.scenarioHash } : {}),
          ...(query.kind !== undefined ? { kind: query.kind } : {}),
        });
        return json(
          c,
          rows.map((r) => runSummary(r, scenarioName(r.scenarioHash))),
        );
      },
    }),
    route({
      method: 'get',
      path: '/api/runs/:id',
      summary:
        'one run, with `result` (the `aifactory run --json` SimResult; a sweep: the SweepResult) when done, `error` when failed',
      responses: { 200: 'the run row plus result or error', 404: 'no such run' },
      handle: ({ c, param }) => {
        const id = param('id');
        let body = finalRuns.get(id);
        if (body === undefined) {
          const run = store.getRun(id);
          if (!run) throw notFound('run', id);
          const text = runJson(run, scenarioName(run.scenarioHash));
          if (!isFinalStatus(run.status)) {
            // A running sweep also says how far it is (clients that cannot follow the SSE).
            const p = sweeps.progressOf(id);
            return rawJson(
              c,
              p ? `${text.slice(0, -1)},"sweepProgress":${JSON.stringify(p.sweep)}}` : text,
            );
          }
          body = encoder.encode(text);
          finalRuns.set(id, body);
        }
        return c.body(body as Uint8Array<ArrayBuffer>, 200, {
          'content-type': 'application/json; charset=UTF-8',
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/runs/:id/events',
      summary: 'server-sent events: progress, then one done | failed | cancelled; the stream ends',
      stream: 'sse',
      responses: {
        200: '`event: progress` `data: {fraction}` (a sweep: `{fraction, sweep: {done, total, totalIsBound, feasible, failed, cached, batch, elapsedSeconds}}`) …; `event: done|failed|cancelled` `data: {id, status}`',
        404: 'no such run',
      },
      handle: ({ c, param }) => {
        const id = param('id');
        const run = store.getRun(id);
        if (!run) throw notFound('run', id);
        // Subscribe now, synchronously after the read: no event can fall between the two.
        const queue: RunEvent[] = [];
        let wake: (() => void) | undefined;
        // Sweeps this process runs send their progress on the same bus.
        const live = !isFinalStatus(run.status) && (runs.isActive(id) || sweeps.isActive(id));
        const unsubscribe = live
          ? runs.events.subscribe(id, (e) => {
              queue.push(e);
              wake?.();
            })
          : () => {};
        // Read with the subscription: the queued events are newer than this one.
        const sweep = sweeps.progressOf(id);
        const first: RunEvent = sweep
          ? { type: 'progress', ...sweep }
          : { type: 'progress', fraction: run.progress };
        return streamSSE(
          c,
          async (stream) => {
            let aborted = false;
            stream.onAbort(() => {
              aborted = true;
              unsubscribe();
              wake?.();
            });
            if (isFinalStatus(run.status)) {
              await stream.writeSSE(sseMessage({ type: run.status, id, status: run.status }));
              return;
            }
            await stream.writeSSE(sseMessage(first));
            // A run no process is running (left by a server that stopped) gets no more events.
            if (!live) return;
            for (;;) {
              for (let e = queue.shift(); e !== undefined; e = queue.shift()) {
                await stream.writeSSE(sseMessage(e));
                if (e.type !== 'progress') return;
              }
              if (aborted) return;
              await new Promise<void>((resolve) => (wake = resolve));
              wake = undefined;
            }
          },
          async (e) => {
            unsubscribe();
            deps.log?.(`SSE stream of run ${id} failed: ${e.message}`);
          },
        );
      },
    }),
    route({
      method: 'post',
      path: '/api/runs/:id/cancel',
      summary: 'cancel a queued or running run',
      responses: {
        200: '{id, status: "cancelled"}',
        404: 'no such run',
        409: 'the run is already final',
      },
      handle: ({ c, param }) => {
        const id = param('id');
        const run = sweeps.isActive(id) ? sweeps.cancel(id) : runs.cancel(id);
        return json(c, { id: run.id, status: run.status });
      },
    }),
    route({
      method: 'post',
      path: '/api/sweeps',
      summary:
        'run a parameter sweep (`aifactory sweep --db`) in the background: its points and the sweep are kept as runs',
      body: YamlBody,
      responses: {
        202: '{id, status: "running"}: the `sweep` run; `GET /api/runs/:id` gives the SweepResult when done',
        400: 'bad spec (issues with YAML line/column), `baseFile` given, or an axis value the base scenario or the catalog refuses',
      },
      handle: ({ c, body }) => {
        const run = sweeps.start(body.yaml);
        c.header('location', `/api/runs/${run.id}`);
        return json(c, { id: run.id, status: run.status }, 202);
      },
    }),
    route({
      method: 'post',
      path: '/api/compare',
      summary: 'the `aifactory compare --json` result of two runs or scenarios',
      body: CompareBody,
      responses: {
        200: 'the comparison (every basis difference; a verdict only on equal bases)',
        400: 'bad scenario, unknown run id or field',
        409: 'a named run is not done',
      },
      handle: ({ c, body }) => json(c, analyses.compare(body)),
    }),
    route({
      method: 'post',
      path: '/api/frontier',
      summary:
        "the scenario's deployment on up to 8 systems: throughput–interactivity frontiers with cost and tok/s per MW",
      body: FrontierBody,
      responses: {
        200: '{points: [{systemId, plan, concurrencyPerReplica, tokensPerSecondPerUser, outputTokensPerSecondPerGpu, costPerMillionOutputTokensUsd, tokensPerSecondPerMw, basis}], skipped, notes, assumptions, …}',
        400: 'bad scenario, unknown system id',
      },
      handle: ({ c, body }) => json(c, analyses.frontier(body)),
    }),
    route({
      method: 'get',
      path: '/api/claims',
      summary: '`aifactory claims list --json`',
      responses: { 200: 'the claims' },
      handle: ({ c }) => json(c, analyses.claimsList()),
    }),
    route({
      method: 'get',
      path: '/api/claims/:id',
      summary: '`aifactory claims show <id> --json`',
      responses: { 200: 'the claim', 404: 'no such claim' },
      handle: ({ c, param }) => json(c, analyses.claim(param('id'))),
    }),
    route({
      method: 'post',
      path: '/api/claims/:id/validate',
      summary: '`aifactory claims validate <id> --json` (body optional: the CLI options)',
      body: ClaimValidateBody,
      bodyOptional: true,
      responses: { 200: 'the validation', 400: 'bad options', 404: 'no such claim' },
      handle: ({ c, param, body }) => json(c, analyses.validateClaim(param('id'), body)),
    }),
    route({
      method: 'post',
      path: '/api/plans',
      summary: '`aifactory plan --json` of a plan file',
      body: SourcedYamlBody,
      responses: { 200: 'the PlanReport', 400: 'bad plan file (issues with YAML line/column)' },
      handle: async ({ c, body }) => json(c, await analyses.plan(body.yaml, body.source)),
    }),
    route({
      method: 'post',
      path: '/api/build-vs-rent',
      summary: '`aifactory build-vs-rent --json` of a build-vs-rent file',
      body: SourcedYamlBody,
      responses: {
        200: 'the build-vs-rent result',
        400: 'bad file (issues with YAML line/column)',
      },
      handle: async ({ c, body }) => json(c, await analyses.buildVsRent(body.yaml, body.source)),
    }),
    route({
      method: 'post',
      path: '/api/cost',
      summary: '`aifactory cost --json`: from a done run, else from the estimate',
      body: CostBody,
      responses: {
        200: 'the CostReport',
        400: 'bad scenario or unknown run id',
        409: 'the run is not done',
      },
      handle: ({ c, body }) => json(c, analyses.cost(body)),
    }),
  ];

  const app = new Hono();
  const onDefect = (e: unknown): void =>
    deps.log?.(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  const send = (c: Context, status: number, body: ApiErrorBody): Response => {
    if (status === 401) c.header('www-authenticate', 'Bearer');
    return c.json(body, status as 400);
  };
  app.onError((e, c) => {
    const { status, body } = errorResponse(e, onDefect);
    return send(c, status, body);
  });
  app.notFound((c) => {
    const { status, body } = errorResponse(
      new HttpError(404, HTTP_ERROR_CODES.NOT_FOUND, `no route ${c.req.method} ${c.req.path}`),
    );
    return send(c, status, body);
  });

  if (deps.token !== undefined) {
    const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
    const expected = digest(deps.token);
    app.use('/api/*', async (c, next) => {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
      // Equal-length digests: the comparison time says nothing about the token.
      if (!m || !timingSafeEqual(digest(m[1]!), expected))
        throw new HttpError(
          401,
          HTTP_ERROR_CODES.UNAUTHORIZED,
          m ? 'wrong token' : 'missing `Authorization: Bearer <token>` header',
        );
      await next();
    });
  }
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) =>
        send(c, 413, {
          error: {
            code: HTTP_ERROR_CODES.TOO_LARGE,
            message: `request body over ${maxBodyBytes} bytes`,
            issues: [{ path: '', message: 'body too large', expected: `≤ ${maxBodyBytes} bytes` }],
          },
        }),
    }),
  );

  for (const r of routes)
    app.on(r.method.toUpperCase(), r.path, async (c) => {
      let body: unknown = undefined;
      if (r.body) {
        const text = await c.req.text();
        if (text === '' && r.bodyOptional) body = {};
        else {
          const type = c.req.header('content-type') ?? '';
          if (!JSON_TYPE.test(type))
            throw new HttpError(
              415,
              HTTP_ERROR_CODES.UNSUPPORTED_MEDIA,
              `request body must be JSON (content-type: application/json), got '${type || 'none'}'`,
              [
                {
                  path: '',
                  message: 'unsupported content type',
                  value: type,
                  expected: 'application/json',
                },
              ],
            );
          try {
            body = JSON.parse(text) as unknown;
          } catch (e) {
            throw new HttpError(400, ERROR_CODES.INPUT_FORMAT, 'request body is not valid JSON', [
              {
                path: '',
                message: e instanceof Error ? e.message : String(e),
                expected: 'a JSON object',
              },
            ]);
          }
        }
        const parsed = r.body.safeParse(body);
        if (!parsed.success) throw invalidRequest('body', parsed.error, body);
        body = parsed.data;
      }
      let query: unknown = undefined;
      if (r.query) {
        const raw = c.req.query();
        const parsed = r.query.safeParse(raw);
        if (!parsed.success) throw invalidRequest('query', parsed.error, raw);
        query = parsed.data;
      }
      return r.handle({
        c,
        body: body as never,
        query: query as never,
        param: (name) => c.req.param(name) ?? '',
      });
    });

  let openApi: unknown;
  app.get('/openapi.json', (c) =>
    c.json(
      (openApi ??= buildOpenApi(routes, {
        title: 'aifactory API',
        version: TOOL_VERSION,
        description:
          'AI inference infrastructure as a factory: scenarios, estimates, serving-twin runs, economics, plans. Conventions: docs/api.md.',
      })) as object,
    ),
  );
  addStaticRoutes(app, deps.staticRoot);

  return Object.assign(app, {
    runs,
    sweeps,
    engineVersion,
    routeTable: routes as readonly AnyRoute[],
    shutdown: async (reason: string) => {
      await Promise.all([runs.shutdown(reason), sweeps.shutdown(reason)]);
    },
  });
}
