/**
 * `aifactory worker` processes for the queue tests: each is `node --import tsx src/cli/main.ts
 * worker --queue <url> …`, started from the repository root, ready once it prints its
 * "serving" line. Its BullMQ worker name (`processedBy` on the jobs it takes) is the CLI's
 * default, `<hostname>:<pid>`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** The BullMQ worker name: what `job.processedBy` says for jobs this process took. */
  name: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** SIGTERM (graceful close), then SIGKILL after `graceMs`. Safe to call on a dead process. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnWorkerOptions {
  queueName: string;
  concurrency?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  readyTimeoutMs?: number;
}

export async function spawnQueueWorker(url: string, o: SpawnWorkerOptions): Promise<WorkerProcess> {
  const args = [
    '--import',
    'tsx',
    'src/cli/main.ts',
    'worker',
    '--queue',
    url,
    '--queue-name',
    o.queueName,
    '--concurrency',
    String(o.concurrency ?? 1),
    ...(o.lockDurationMs ? ['--lock-duration', String(o.lockDurationMs)] : []),
    ...(o.stalledIntervalMs ? ['--stalled-interval', String(o.stalledIntervalMs)] : []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const wp: WorkerProcess = {
    child,
    name: `${hostname()}:${child.pid}`,
    output: () => out,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(t);
    },
  };
  const timeoutMs = o.readyTimeoutMs ?? 45_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`worker process not ready after ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const poll = setInterval(() => {
      if (/worker: serving/.test(out)) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      } else if (child.exitCode !== null || child.signalCode !== null) {
        clearTimeout(timer);
        clearInterval(poll);
        reject(new Error(`worker process exited before it was ready:\n${out}`));
      }
    }, 50);
  }).catch(async (e: unknown) => {
    await wp.stop(1000);
    throw e;
  });
  return wp;
}
