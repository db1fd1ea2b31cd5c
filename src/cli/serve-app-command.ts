/**
 * `aifactory serve`: the HTTP API (docs/api.md) and the web dashboard on one port. The command
 * is a thin edge: `startApiServer` opens the store, marks runs a stopped server left unfinished
 * as failed, starts the worker-thread executor and the socket, and returns a handle whose
 * `close()` stops it in order (socket, runs, executor, store) — tests call it directly; the
 * command only adds option parsing and SIGINT/SIGTERM.
 */
import { availableParallelism, homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Command } from 'commander';
import { defaultCatalog } from '../catalog/catalog.js';
import { AifError, ERROR_CODES } from '../core/errors.js';
import type { LpSolver } from '../core/lp.js';
import type { Executor } from '../jobs/types.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { createApiApp, DEFAULT_MAX_BODY_BYTES, type ApiApp } from '../server/api/app.js';
import { loadExamples } from '../server/api/examples.js';
import { defaultDbPath } from '../store/paths.js';
import type { Store } from '../store/types.js';
import type { CliIo } from './io.js';

/** Environment variable holding the API token when `--token` is not given. */
export const TOKEN_ENV = 'AIFACTORY_API_TOKEN';

export interface ServeAppOptions {
  host: string;
  port: number;
  /** Database file (`:memory:` for none). */
  db: string;
  /** Worker threads of the executor. */
  workers: number;
  token?: string;
  maxBodyBytes: number;
  /** Built dashboard directory (default: the package's `web/dist`). */
  staticRoot?: string;
  /** Example files directory (default: the package's `examples/`). */
  examplesDir?: string;
}

/** What the server is made of; the command passes the real ones, tests may pass others. */
export interface ServeAppParts {
  openStore(path: string): Store;
  createExecutor(threads: number): Executor;
  loadSolver(): Promise<LpSolver>;
  nowIso(): string;
  log(message: string): void;
}

export interface RunningApiServer {
  /** `http://host:port` as bound (the real port when 0 was asked for). */
  url: string;
  port: number;
  app: ApiApp;
  /** Number of runs a previous server left queued/running, now recorded as failed. */
  interruptedRuns: number;
  /** Stop accepting connections, fail unfinished runs, close executor and store. */
  close(): Promise<void>;
}

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Loopback: only this machine can connect, so no token is needed. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Refuse a setup that would expose the API without a token.
 * @throws AifError E_INVALID_ARGUMENT naming `--host` and the way out.
 */
export function checkExposure(host: string, token: string | undefined): void {
  if (isLoopbackHost(host) || token !== undefined) return;
  throw new AifError(
    ERROR_CODES.INVALID_ARGUMENT,
    `refusing to serve on ${host} without a token: anyone who can reach it could run jobs and read results`,
    [
      {
        path: 'host',
        message: 'not a loopback address, and no token given',
        value: host,
        expected: `127.0.0.1 / localhost / ::1, or --token <secret> (or ${TOKEN_ENV})`,
      },
    ],
  );
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** Open everything and listen; resolves once the socket is bound. */
export async function startApiServer(
  opts: ServeAppOptions,
  parts: ServeAppParts,
): Promise<RunningApiServer> {
  checkExposure(opts.host, opts.token);
  const store = parts.openStore(opts.db);
  let executor: Executor | undefined;
  try {
    const interruptedRuns =
      store.failUnfinishedRuns?.(parts.nowIso(), 'the server stopped before the run finished') ?? 0;
    executor = parts.createExecutor(opts.workers);
    const app = createApiApp({
      store,
      executor,
      catalog: defaultCatalog(),
      calibration: BUILTIN_CALIBRATION,
      solver: parts.loadSolver,
      nowIso: parts.nowIso,
      examples: loadExamples(opts.examplesDir ?? `${PACKAGE_ROOT}examples`),
      staticRoot: opts.staticRoot ?? `${PACKAGE_ROOT}web/dist`,
      maxBodyBytes: opts.maxBodyBytes,
      ...(opts.token !== undefined ? { token: opts.token } : {}),
      log: parts.log,
    });
    const server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, () => resolve(s));
      s.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
    let closing: Promise<void> | undefined;
    const exec = executor;
    return {
      url: `http://${urlHost(opts.host)}:${port}`,
      port,
      app,
      interruptedRuns,
      close: () =>
        (closing ??= (async () => {
          // Open SSE streams would keep `close` waiting: end them with the runs.
          const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
          await app.shutdown('the server stopped before the run finished');
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          await stopped;
          await exec.close();
          store.close();
        })()),
    };
  } catch (e) {
    await executor?.close();
    store.close();
    throw e;
  }
}

const integer =
  (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new AifError(
        ERROR_CODES.INVALID_ARGUMENT,
        `${name} must be an integer ${min}–${max}, got '${v}'`,
        [{ path: name, message: 'out of range', value: v, expected: `an integer ${min}–${max}` }],
      );
    return n;
  };

/** The real parts: SQLite file, worker threads, HiGHS, the wall clock, stderr. */
async function realParts(io: CliIo): Promise<ServeAppParts> {
  const [{ openSqliteStore }, { createWorkerPoolExecutor }, { createHighsSolver }] =
    await Promise.all([
      import('../store/sqlite-store.js'),
      import('../jobs/worker-pool.js'),
      import('../solver/highs.js'),
    ]);
  return {
    openStore: (path) => openSqliteStore(path),
    createExecutor: (threads) => createWorkerPoolExecutor({ threads }),
    loadSolver: createHighsSolver,
    nowIso: () => new Date().toISOString(),
    log: (m) => io.stderr(`serve: ${m}\n`),
  };
}

export function addServeAppCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description(
      'serve the HTTP API (docs/api.md) and the web dashboard: scenarios, estimates, serving-twin runs with live progress, comparisons, costs, plans',
    )
    .option(
      '--host <address>',
      'address to bind (a non-loopback address needs --token)',
      '127.0.0.1',
    )
    .option('--port <n>', 'TCP port (0: any free port)', '8787')
    .option(
      '--db <file>',
      'SQLite database file (default: per-user data directory, or AIFACTORY_DB)',
    )
    .option('--workers <n>', 'worker threads for simulations (default: min(2, CPUs))')
    .option(
      '--token <secret>',
      `bearer token every /api request must carry (default: ${TOKEN_ENV})`,
    )
    .option('--max-body-bytes <n>', 'largest request body accepted', String(DEFAULT_MAX_BODY_BYTES))
    .action(
      async (opts: {
        host: string;
        port: string;
        db?: string;
        workers?: string;
        token?: string;
        maxBodyBytes: string;
      }) => {
        const token = opts.token || process.env[TOKEN_ENV] || undefined;
        const options: ServeAppOptions = {
          host: opts.host,
          port: integer('port', 0, 65535)(opts.port),
          db: opts.db ?? defaultDbPath(process.env, process.platform, homedir()),
          workers:
            opts.workers !== undefined
              ? integer('workers', 1, 256)(opts.workers)
              : Math.min(2, availableParallelism()),
          maxBodyBytes: integer('max-body-bytes', 1)(opts.maxBodyBytes),
          ...(token !== undefined ? { token } : {}),
        };
        checkExposure(options.host, options.token);
        const server = await startApiServer(options, await realParts(io));
        io.stdout(
          `aifactory serve: ${server.url} (API ${server.url}/api, OpenAPI ${server.url}/openapi.json; database ${options.db}; ${options.workers} worker thread${options.workers === 1 ? '' : 's'}${server.interruptedRuns ? `; ${server.interruptedRuns} unfinished run(s) of a previous server marked failed` : ''}) — stop with Ctrl+C\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            io.stdout('aifactory serve: stopping\n');
            server.close().then(resolve, (e: unknown) => {
              io.stderr(
                `serve: error while stopping: ${e instanceof Error ? e.message : String(e)}\n`,
              );
              resolve();
            });
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      },
    );
}
