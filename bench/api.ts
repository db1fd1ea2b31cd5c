/**
 * Case `api-cached-reads`: the HTTP API serving stored results, as the dashboard reads them.
 * Starts `aifactory serve`'s server (`startApiServer`) on 127.0.0.1:0 with a temporary
 * database, finishes one simulation run, then drives GET /api/runs/:id (the whole stored
 * SimResult, ~29 kB) and GET /api/health with autocannon: 50 connections for 5 s each.
 * Target: ≥ 1,000 requests/s with 0 errors. The load generator runs in the same process as the
 * server (one event loop for both), so the figures are a lower bound.
 *
 * Prints figures; asserts nothing. Standalone: `npx tsx bench/api.ts`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { startApiServer } from '../src/cli/serve-app-command.js';
import { createInProcessExecutor } from '../src/jobs/in-process.js';
import { createHighsSolver } from '../src/solver/highs.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';

const CONNECTIONS = 50;
const SECONDS = 5;
const TARGET_REQUESTS_PER_SECOND = 1000;
const SCENARIO = 'test/fixtures/api/chat-fleet-short.yaml';

export async function benchApiCachedReads(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aif-bench-api-'));
  const server = await startApiServer(
    {
      host: '127.0.0.1',
      port: 0,
      db: join(dir, 'bench.db'),
      workers: 1,
      maxBodyBytes: 1024 * 1024,
      staticRoot: join(dir, 'no-dashboard'),
    },
    {
      openStore: (path) => openSqliteStore(path),
      createExecutor: () => createInProcessExecutor(),
      loadSolver: createHighsSolver,
      nowIso: () => new Date().toISOString(),
      log: (m) => console.error(`api bench: ${m}`),
    },
  );
  try {
    const res = await fetch(`${server.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ yaml: readFileSync(SCENARIO, 'utf8') }),
    });
    const { id } = (await res.json()) as { id: string };
    await (await fetch(`${server.url}/api/runs/${id}/events`)).text();
    const run = await fetch(`${server.url}/api/runs/${id}`);
    const bytes = (await run.arrayBuffer()).byteLength;
    console.log(
      `api-cached-reads: run ${id} done; GET /api/runs/:id body ${(bytes / 1024).toFixed(1)} kB`,
    );
    for (const [label, path] of [
      ['GET /api/runs/:id', `/api/runs/${id}`],
      ['GET /api/health', '/api/health'],
    ] as const) {
      const r = await autocannon({
        url: `${server.url}${path}`,
        connections: CONNECTIONS,
        duration: SECONDS,
      });
      const errors = r.errors + r.timeouts + r.non2xx;
      console.log(
        `api-cached-reads ${label.padEnd(18)} ${r.requests.average.toFixed(0).padStart(6)} req/s, latency p50 ${r.latency.p50} ms p99 ${r.latency.p99} ms, ${errors} errors (${CONNECTIONS} connections, ${r.duration.toFixed(1)} s; target ≥ ${TARGET_REQUESTS_PER_SECOND} req/s, 0 errors: ${r.requests.average >= TARGET_REQUESTS_PER_SECOND && errors === 0 ? 'met' : 'NOT met'})`,
      );
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchApiCachedReads();
