import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CRASH_ENGINE_VERSION, crashResultJson } from './crash-writer.js';
import { openSqliteStore } from './sqlite-store.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const COMMITS_BEFORE_KILL = 20;
const KILLS = 3;
/** A writer that has not committed enough by then is a failure, not a wait. */
const WATCHDOG_MS = 30_000;

/**
 * Starts the writer on `dbPath`, SIGKILLs it as soon as it has reported `commitsBeforeKill`
 * commits (it is then in the middle of its next run's writes), and returns every id it reported.
 */
function killWriterAfter(dbPath: string, commitsBeforeKill: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dbPath], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const committed: string[] = [];
    let pending = '';
    let stderr = '';
    let killed = false;
    const watchdog = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`writer reported ${committed.length} commits in ${WATCHDOG_MS} ms: ${stderr}`),
      );
    }, WATCHDOG_MS);
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? ''; // a line cut by the kill is not a report
      for (const line of lines) {
        const m = /^committed (run_[0-9a-f]{16})$/.exec(line);
        if (m) committed.push(m[1]!);
        else stderr += `unexpected output: ${line}\n`;
      }
      if (!killed && committed.length >= commitsBeforeKill) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    // 'close', not 'exit': every line written before the kill has been read by then.
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      if (signal === 'SIGKILL' && killed) resolve(committed);
      else reject(new Error(`writer ended on its own (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}

describe('file store under kill -9', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every committed run, whole, through ${KILLS} kills of a writer`, async () => {
    dir = mkdtempSync(join(tmpdir(), 'aifactory-crash-'));
    const dbPath = join(dir, 'aifactory.db');
    const reported: string[] = [];

    for (let kill = 1; kill <= KILLS; kill++) {
      const ids = await killWriterAfter(dbPath, COMMITS_BEFORE_KILL);
      expect(ids.length).toBeGreaterThanOrEqual(COMMITS_BEFORE_KILL);
      reported.push(...ids);

      const store = openSqliteStore(dbPath); // recovers the WAL left by the killed writer
      const raw = new Database(dbPath, { readonly: true });
      try {
        expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(raw.pragma('foreign_key_check')).toEqual([]);

        for (const id of reported) {
          const run = store.getRun(id);
          expect(run?.status, id).toBe('done');
          expect(run!.resultJson === crashResultJson(id), `result of ${id}`).toBe(true);
          expect(run!.engineVersion).toBe(CRASH_ENGINE_VERSION);
        }

        // No run is half-written: each is in a state the writer commits, with what that state
        // needs. The writer can die with at most one run unfinished, and at most one done run
        // whose line it had not printed yet.
        const all = store.listRuns({ limit: 1_000_000 });
        const done = all.filter((r) => r.status === 'done');
        const unfinished = all.filter((r) => r.status === 'queued' || r.status === 'running');
        for (const r of done) {
          const whole = store.getRun(r.id)!.resultJson;
          expect(whole === crashResultJson(r.id), `result of ${r.id}`).toBe(true);
        }
        for (const r of unfinished) expect(store.getRun(r.id)!.resultJson).toBeNull();
        expect(unfinished.length).toBeLessThanOrEqual(1);
        expect(done.length).toBeGreaterThanOrEqual(reported.length);
        expect(done.length).toBeLessThanOrEqual(reported.length + kill);
        // Runs interrupted by earlier kills, failed below in their round.
        const failed = all.filter((r) => r.status === 'failed');
        expect(failed.length).toBeLessThanOrEqual(kill - 1);
        expect(done.length + unfinished.length + failed.length).toBe(all.length);

        // What a restarting server does: the interrupted run becomes failed, not lost.
        expect(store.failUnfinishedRuns!(new Date().toISOString(), 'writer killed')).toBe(
          unfinished.length,
        );
        for (const r of unfinished) {
          expect(JSON.parse(store.getRun(r.id)!.errorJson!)).toMatchObject({
            code: 'E_INTERRUPTED',
          });
        }
      } finally {
        raw.close();
        store.close();
      }
    }
  }, 120_000);
});
