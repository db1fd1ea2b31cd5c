/**
 * Typed client of the aifactory HTTP API (docs/api.md). Every call resolves with the parsed JSON
 * body or rejects with an `ApiError` carrying the API's error code and issues (line/column for
 * YAML). Paths are relative, so the dashboard works wherever `aifactory serve` mounts it.
 */
import type {
  ApiErrorBody,
  ApiIssue,
  BuildVsRentResult,
  CatalogSummary,
  Claim,
  ClaimValidation,
  CompareResult,
  CompareSide,
  CostReport,
  EstimateReport,
  Example,
  FrontierResponse,
  Health,
  PlanReport,
  RunDetail,
  RunRow,
  RunStarted,
  ScenarioDetail,
  ScenarioRef,
  ScenarioRow,
  SimResult,
  SweepProgress,
  SweepResult,
  ValidateOk,
} from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const TOKEN_KEY = 'aifactory.apiToken';

/** Bearer token for a server bound off loopback (`serve --token`); kept in localStorage. */
export function apiToken(): string | null {
  try {
    return globalThis.localStorage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

export function setApiToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

export interface ApiClientOptions {
  /** Base URL the `api/...` paths resolve against (default: the page's base). */
  base?: string;
  fetch?: typeof fetch;
  token?: () => string | null;
}

function isErrorBody(x: unknown): x is ApiErrorBody {
  return (
    typeof x === 'object' &&
    x !== null &&
    'error' in x &&
    typeof (x as ApiErrorBody).error === 'object' &&
    (x as ApiErrorBody).error !== null
  );
}

export function createApiClient(options: ApiClientOptions = {}) {
  const doFetch = options.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const token = options.token ?? apiToken;
  const url = (path: string): string =>
    options.base ? new URL(path, options.base).toString() : path;

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const t = token();
    if (t) headers.authorization = `Bearer ${t}`;
    const res = await doFetch(url(path), {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: reported below
    }
    if (!res.ok) {
      if (isErrorBody(parsed))
        throw new ApiError(
          res.status,
          parsed.error.code,
          parsed.error.message,
          parsed.error.issues ?? [],
        );
      throw new ApiError(
        res.status,
        'E_HTTP',
        `${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`,
      );
    }
    if (parsed === undefined)
      throw new ApiError(res.status, 'E_HTTP', `${method} ${path}: the response is not JSON`);
    return parsed as T;
  }

  const get = <T>(path: string) => request<T>('GET', path);
  const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, body);
  const enc = encodeURIComponent;

  return {
    health: () => get<Health>('api/health'),
    examples: () => get<Example[]>('api/examples'),
    catalog: () => get<CatalogSummary>('api/catalog'),
    scenarioSchema: () => get<unknown>('api/schema/scenario'),
    validateScenario: (yaml: string) => post<ValidateOk>('api/scenarios/validate', { yaml }),
    saveScenario: (yaml: string) =>
      post<Omit<ScenarioDetail, 'yaml' | 'scenario'>>('api/scenarios', { yaml }),
    scenarios: () => get<ScenarioRow[]>('api/scenarios'),
    scenario: (hash: string) => get<ScenarioDetail>(`api/scenarios/${enc(hash)}`),
    estimate: (ref: ScenarioRef) => post<EstimateReport>('api/estimates', ref),
    startRun: (ref: ScenarioRef, seed?: number) =>
      post<RunStarted>('api/runs', seed === undefined ? ref : { ...ref, seed }),
    runs: (kind?: 'simulate' | 'estimate' | 'sweep' | 'sweep-point') =>
      get<RunRow[]>(kind ? `api/runs?kind=${enc(kind)}` : 'api/runs'),
    run: (id: string) => get<RunDetail<SimResult>>(`api/runs/${enc(id)}`),
    /** A `sweep` run: its result is the SweepResult. */
    sweep: (id: string) => get<RunDetail<SweepResult>>(`api/runs/${enc(id)}`),
    /** Start a sweep (spec YAML, its base inline): 202 with the `sweep` run's id. */
    startSweep: (yaml: string) => post<RunStarted>('api/sweeps', { yaml }),
    cancelRun: (id: string) => post<RunStarted>(`api/runs/${enc(id)}/cancel`),
    /** URL of the run's server-sent events (progress, then done/failed/cancelled). */
    runEventsUrl: (id: string) => url(`api/runs/${enc(id)}/events`),
    compare: (
      a: CompareSide,
      b: CompareSide,
      opts: { ignore?: string[]; assumeEqual?: string[] } = {},
    ) => post<CompareResult>('api/compare', { a, b, ...opts }),
    frontier: (ref: ScenarioRef, systems: string[]) =>
      post<FrontierResponse>('api/frontier', { ...ref, systems }),
    claims: () => get<Claim[]>('api/claims'),
    claim: (id: string) => get<Claim>(`api/claims/${enc(id)}`),
    validateClaim: (id: string) => post<ClaimValidation>(`api/claims/${enc(id)}/validate`),
    plan: (yaml: string) => post<PlanReport>('api/plans', { yaml }),
    buildVsRent: (yaml: string) => post<BuildVsRentResult>('api/build-vs-rent', { yaml }),
    cost: (ref: { runId: string } | { yaml: string }) => post<CostReport>('api/cost', ref),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The client the dashboard uses. */
export const api: ApiClient = createApiClient();

export interface RunEventHandlers {
  /** `sweep`: a sweep's points done/total, feasible so far, elapsed (sweep runs only). */
  onProgress(fraction: number, sweep?: SweepProgress): void;
  onEnd(status: 'done' | 'failed' | 'cancelled'): void;
  onError(message: string): void;
}

/**
 * Follow a run: server-sent events when possible (no token needed), else polling
 * `GET /api/runs/:id` (EventSource cannot send an Authorization header). Returns a stop function.
 */
export function followRun(client: ApiClient, id: string, h: RunEventHandlers): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const finish = (status: 'done' | 'failed' | 'cancelled') => {
    if (stopped) return;
    stopped = true;
    h.onEnd(status);
  };
  const poll = async () => {
    if (stopped) return;
    try {
      const run = await client.run(id);
      if (run.status === 'done' || run.status === 'failed' || run.status === 'cancelled')
        return finish(run.status);
      if (run.sweepProgress) h.onProgress(run.progress, run.sweepProgress);
      else h.onProgress(run.progress);
    } catch (e) {
      h.onError(e instanceof Error ? e.message : String(e));
    }
    if (!stopped) timer = setTimeout(() => void poll(), 500);
  };
  if (apiToken() || typeof EventSource === 'undefined') {
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }
  const es = new EventSource(client.runEventsUrl(id));
  es.addEventListener('progress', (ev) => {
    try {
      const data = JSON.parse((ev as MessageEvent<string>).data) as {
        fraction?: number;
        sweep?: SweepProgress;
      };
      if (typeof data.fraction === 'number') {
        if (data.sweep) h.onProgress(data.fraction, data.sweep);
        else h.onProgress(data.fraction);
      }
    } catch {
      // ignore a malformed event
    }
  });
  for (const status of ['done', 'failed', 'cancelled'] as const)
    es.addEventListener(status, () => {
      es.close();
      finish(status);
    });
  es.onerror = () => {
    // The stream ended or broke: ask the run itself.
    es.close();
    if (!stopped) void poll();
  };
  return () => {
    stopped = true;
    es.close();
    if (timer) clearTimeout(timer);
  };
}
