/**
 * Shared pieces of the API tests: a real app over an in-memory SQLite store and the in-process
 * executor, a pinned clock, request and SSE helpers, and the CLI run in memory (the API's
 * results are checked against the CLI's `--json` output for the same input).
 */
import { readFileSync } from 'node:fs';
import { defaultCatalog } from '../../catalog/catalog.js';
import { runCli } from '../../cli/program.js';
import { createInProcessExecutor } from '../../jobs/in-process.js';
import type { Executor } from '../../jobs/types.js';
import { BUILTIN_CALIBRATION } from '../../perf/calibration-data.js';
import { createHighsSolver } from '../../solver/highs.js';
import { openSqliteStore } from '../../store/sqlite-store.js';
import type { Store } from '../../store/types.js';
import { createApiApp, type ApiApp, type ApiDeps } from './app.js';
import { loadExamples } from './examples.js';

export const FIXTURE = 'test/fixtures/api/chat-fleet-short.yaml';
export const fixtureYaml = (): string => readFileSync(FIXTURE, 'utf8');

/** ISO timestamps one millisecond apart, from a fixed start: ordered, reproducible. */
export function steppingClock(startIso = '2026-01-01T00:00:00.000Z'): () => string {
  let ms = Date.parse(startIso);
  return () => new Date(ms++).toISOString();
}

export interface TestApi {
  app: ApiApp;
  store: Store;
  executor: Executor;
  close(): Promise<void>;
}

export function makeApi(over: Partial<ApiDeps> = {}): TestApi {
  const store = over.store ?? openSqliteStore(':memory:');
  const executor = over.executor ?? createInProcessExecutor();
  const app = createApiApp({
    store,
    executor,
    catalog: defaultCatalog(),
    calibration: BUILTIN_CALIBRATION,
    solver: createHighsSolver,
    nowIso: steppingClock(),
    examples: loadExamples('examples'),
    ...over,
  });
  return {
    app,
    store,
    executor,
    async close() {
      await app.shutdown('test over');
      await executor.close();
      store.close();
    },
  };
}

export const postJson = (
  app: ApiApp,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> =>
  Promise.resolve(
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );

export interface SseEvent {
  event: string;
  data: unknown;
}

/** The events of a whole SSE body (`event:` and `data:` lines, blank-line separated). */
export function parseSse(text: string): SseEvent[] {
  return text
    .split(/\n\n+/)
    .map((block) => block.trim())
    .filter((block) => block.length > 0 && !block.startsWith(':'))
    .map((block) => {
      const lines = block.split('\n');
      const event =
        lines
          .find((l) => l.startsWith('event:'))
          ?.slice(6)
          .trim() ?? 'message';
      const data = lines
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      return { event, data: JSON.parse(data) as unknown };
    });
}

/** Rows the API could have written (scenarios, runs). */
export function rowCounts(store: Store): { scenarios: number; runs: number } {
  return {
    scenarios: store.listScenarios({ limit: 1_000_000 }).length,
    runs: store.listRuns({ limit: 1_000_000 }).length,
  };
}

/**
 * Run the CLI in memory: files are read from disk unless `files` holds them; written files are
 * kept in `files`. Returns stdout; throws with stderr on a non-zero exit.
 */
export async function cliStdout(
  argv: string[],
  files: Map<string, string> = new Map(),
): Promise<string> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    readFile: (p) => files.get(p) ?? readFileSync(p, 'utf8'),
    writeFile: (p, t) => void files.set(p, t),
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
  });
  if (code !== 0) throw new Error(`aifactory ${argv.join(' ')} exited ${code}: ${err}`);
  return out;
}
