/**
 * `aifactory serve` as a function (`startApiServer`): over a real socket on 127.0.0.1 port 0
 * with a database file — runs a stopped server left unfinished are marked failed at start, a
 * run goes 202 → SSE → done, and close() stops it — and the refusal to expose the API on a
 * non-loopback address without a token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../catalog/catalog.js';
import { runCli } from '../../cli/program.js';
import {
  checkExposure,
  isLoopbackHost,
  startApiServer,
  TOKEN_ENV,
  type ServeAppParts,
} from '../../cli/serve-app-command.js';
import { isAifError } from '../../core/errors.js';
import { createInProcessExecutor } from '../../jobs/in-process.js';
import { createHighsSolver } from '../../solver/highs.js';
import { openSqliteStore } from '../../store/sqlite-store.js';
import { DEFAULT_MAX_BODY_BYTES } from './app.js';
import { scenarioFromYaml, storeScenario } from './scenarios.js';
import { fixtureYaml, parseSse, steppingClock } from './test-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'aif-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parts = (log: string[]): ServeAppParts => ({
  openStore: (path) => openSqliteStore(path),
  createExecutor: () => createInProcessExecutor(),
  loadSolver: createHighsSolver,
  nowIso: steppingClock('2026-03-01T00:00:00.000Z'),
  log: (m) => void log.push(m),
});

describe('aifactory serve', () => {
  it('serves over a socket: interrupted runs failed at start, a run with SSE, a clean close', async () => {
    const db = join(dir, 'serve.db');
    // A run a previous server left running.
    const previous = openSqliteStore(db);
    const input = scenarioFromYaml(fixtureYaml(), 'yaml', defaultCatalog());
    storeScenario(previous, input, '2026-02-01T00:00:00.000Z');
    const left = previous.createRun({
      kind: 'simulate',
      scenarioHash: input.hash,
      seed: 5,
      engineVersion: 'older',
      createdAt: '2026-02-01T00:00:00.000Z',
    });
    previous.close();

    const log: string[] = [];
    const server = await startApiServer(
      {
        host: '127.0.0.1',
        port: 0,
        db,
        workers: 1,
        maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
        staticRoot: join(dir, 'no-dashboard'),
        examplesDir: 'examples',
      },
      parts(log),
    );
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect(server.interruptedRuns).toBe(1);

      const health = await fetch(`${server.url}/api/health`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { ok: boolean }).ok).toBe(true);
      const page = await fetch(`${server.url}/`);
      expect(await page.text()).toContain('npm run build');

      const old = (await (await fetch(`${server.url}/api/runs/${left.id}`)).json()) as {
        status: string;
        error: { code: string };
      };
      expect(old.status).toBe('failed');
      expect(old.error.code).toBe('E_INTERRUPTED');

      const res = await fetch(`${server.url}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ yaml: fixtureYaml() }),
      });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      const events = await fetch(`${server.url}/api/runs/${id}/events`);
      expect(events.headers.get('content-type')).toContain('text/event-stream');
      const parsed = parseSse(await events.text());
      expect(parsed.at(-1)).toEqual({ event: 'done', data: { id, status: 'done' } });
      const run = (await (await fetch(`${server.url}/api/runs/${id}`)).json()) as {
        status: string;
        result: { kind: string };
      };
      expect(run.status).toBe('done');
      expect(run.result.kind).toBe('aifactory.sim');
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
    expect(log).toEqual([]);
    // The database was closed cleanly and kept the run.
    const after = openSqliteStore(db);
    expect(after.listRuns().some((r) => r.status === 'done')).toBe(true);
    after.close();
  });

  it('refuses a non-loopback address without a token, before opening anything', async () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('192.168.1.10')).toBe(false);
    expect(isLoopbackHost('::')).toBe(false);
    expect(() => checkExposure('0.0.0.0', 'secret')).not.toThrow();
    try {
      checkExposure('0.0.0.0', undefined);
      expect.unreachable();
    } catch (e) {
      expect(isAifError(e) && e.code).toBe('E_INVALID_ARGUMENT');
      expect(isAifError(e) && e.issues[0]!.path).toBe('host');
    }
    let opened = 0;
    const p = parts([]);
    await expect(
      startApiServer(
        { host: '0.0.0.0', port: 0, db: ':memory:', workers: 1, maxBodyBytes: 1024 },
        { ...p, openStore: (path) => (opened++, p.openStore(path)) },
      ),
    ).rejects.toThrow(/without a token/);
    expect(opened).toBe(0);
  });

  it('`aifactory serve --host 0.0.0.0` without a token exits 2 with the reason', async () => {
    const saved = process.env[TOKEN_ENV];
    delete process.env[TOKEN_ENV];
    try {
      let err = '';
      const code = await runCli(['serve', '--host', '0.0.0.0', '--db', ':memory:'], {
        readFile: () => '',
        writeFile: () => {},
        stdout: () => {},
        stderr: (s) => void (err += s),
      });
      expect(code).toBe(2);
      expect(err).toContain('E_INVALID_ARGUMENT');
      expect(err).toContain('--token');
      const bad = await runCli(['serve', '--port', '70000'], {
        readFile: () => '',
        writeFile: () => {},
        stdout: () => {},
        stderr: () => {},
      });
      expect(bad).toBe(2);
    } finally {
      if (saved !== undefined) process.env[TOKEN_ENV] = saved;
    }
  });
});
