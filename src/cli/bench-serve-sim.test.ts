import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parseScenarioYaml } from '../scenario/index.js';
import { createServeSim } from '../server/serve-sim.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { runCli } from './program.js';
import { fileIo } from './test-support.js';

describe('aifactory bench against aifactory serve-sim on 127.0.0.1', () => {
  it('sweeps two concurrencies with bounded requests; every request ends once, none fails; --db keeps the report and raw log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aif-bench-db-'));
    const db = join(dir, 'bench.db');
    const scenario = parseScenarioYaml(
      readFileSync('examples/chat-fleet-h100.yaml', 'utf8'),
      'chat-fleet-h100.yaml',
    );
    // 20× real time keeps the run short: each request takes a few simulated seconds.
    const sim = createServeSim({
      scenario,
      catalog: defaultCatalog(),
      calibration: BUILTIN_CALIBRATION,
      speed: 20,
      nowMs: () => performance.now(),
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    });
    const server = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    const { io, out: printed, err: errors } = fileIo();
    try {
      const code = await runCli(
        [
          'bench',
          'examples/chat-fleet-h100.yaml',
          '--url',
          `http://127.0.0.1:${port}`,
          '--concurrency',
          '2,4',
          '--max-requests',
          '8',
          '--no-saturation-stop',
          '--json',
          '--db',
          db,
        ],
        io,
      );
      expect(code, errors()).toBe(0);
    } finally {
      sim.close();
      await new Promise((r) => server.close(r));
    }
    const out = printed();
    const report = JSON.parse(out) as {
      stages: {
        counts: { requests: number; ok: number; failed: number };
        latency: { ttft: { p50Seconds: number | null } };
        tokens: { outputTokens: number };
      }[];
      accounting: { requestsScheduled: number; requestsEnded: number; issues: string[] };
    };
    expect(report.stages).toHaveLength(2);
    for (const s of report.stages) {
      expect(s.counts.requests).toBe(8);
      expect(s.counts.failed).toBe(0);
      expect(s.tokens.outputTokens).toBeGreaterThan(0);
    }
    expect(report.accounting.requestsEnded).toBe(report.accounting.requestsScheduled);
    expect(report.accounting.issues).toEqual([]);

    // The stored bench run: the printed report and one JSONL line per event, each request's
    // `scheduled` event once.
    const store = openSqliteStore(db);
    try {
      const [row] = store.listBenchRuns();
      const stored = store.getBenchRun(row!.id)!;
      expect(stored.reportJson).toBe(out);
      const events = stored
        .rawLogJsonl!.trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string });
      expect(events.filter((e) => e.type === 'scheduled')).toHaveLength(
        report.accounting.requestsScheduled,
      );
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
