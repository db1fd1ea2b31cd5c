/**
 * Child process of `crash.test.ts`: writes runs to a file store as fast as it can until it is
 * killed (`node --import tsx src/store/crash-writer.ts <dbPath>`). After each run's last commit
 * it prints `committed <id>`, so every id the parent has read was committed before the kill.
 * Bounded (time and count) so that it cannot outlive a parent that forgot to kill it.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { openSqliteStore } from './sqlite-store.js';

export const CRASH_ENGINE_VERSION = 'aifactory@crash-test catalog:none calibration:none';
const MAX_RUNS = 5_000;
const MAX_WALL_MS = 60_000;
const CHUNKS_PER_RESULT = 4_700;

/**
 * The result of run `runId`: ~200 KB of JSON (multi-byte UTF-8 included) whose every chunk
 * names the run, so that a torn, truncated or swapped result cannot pass for the right one.
 */
export function crashResultJson(runId: string): string {
  const chunks = Array.from({ length: CHUNKS_PER_RESULT }, (_, i) => `${runId}·${i}·結果·😀`);
  return JSON.stringify({ runId, chunks });
}

function writeUntilKilled(dbPath: string): void {
  const store = openSqliteStore(dbPath);
  const deadlineMs = Date.now() + MAX_WALL_MS;
  for (let seed = 0; seed < MAX_RUNS && Date.now() < deadlineMs; seed++) {
    const now = new Date().toISOString();
    const name = `crash-${randomBytes(8).toString('hex')}`;
    const { hash } = store.putScenario({
      hash: `fnv1a64:${name}`,
      name,
      schemaVersion: 1,
      canonicalJson: JSON.stringify({ name }),
      sourceYaml: null,
      createdAt: now,
    });
    const run = store.createRun({
      kind: 'simulate',
      scenarioHash: hash,
      seed,
      engineVersion: CRASH_ENGINE_VERSION,
      createdAt: now,
    });
    store.updateRun(run.id, { status: 'running', progress: 0.5, updatedAt: now });
    store.updateRun(run.id, {
      status: 'done',
      resultJson: crashResultJson(run.id),
      updatedAt: now,
    });
    // Writes to a pipe are synchronous on Linux: the line is out before the next write starts.
    process.stdout.write(`committed ${run.id}\n`);
  }
  store.close();
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(invokedPath).href) {
  const dbPath = process.argv[2];
  if (dbPath === undefined) {
    process.stderr.write('usage: node --import tsx src/store/crash-writer.ts <dbPath>\n');
    process.exit(2);
  }
  writeUntilKilled(dbPath);
}
