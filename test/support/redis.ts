/**
 * A Redis for tests: `AIFACTORY_TEST_REDIS_URL` when set (CI provides one), else a private
 * `redis-server` started on a free local port (no persistence) and stopped by `stop()`.
 *
 * Availability is decided when the module loads (`redisAvailability()`), so a test file can
 * `describe.skipIf(...)`: without a URL and without `redis-server` on the PATH the queue tests
 * are skipped with a message — unless `CI` is set, where a missing Redis is a failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

export const TEST_REDIS_URL_ENV = 'AIFACTORY_TEST_REDIS_URL';

export interface TestRedis {
  url: string;
  /** Whether this process started the server (false: an external one from the environment). */
  owned: boolean;
  stop(): Promise<void>;
}

export interface RedisAvailability {
  /** `url`: use the environment's server; `spawn`: start `redis-server`; `none`: neither. */
  mode: 'url' | 'spawn' | 'none';
  /** Path of `redis-server` when mode is `spawn`. */
  binary?: string;
  /** Why the tests are skipped, when mode is `none`. */
  reason?: string;
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function redisAvailability(): RedisAvailability {
  if (process.env[TEST_REDIS_URL_ENV]) return { mode: 'url' };
  const binary = findOnPath('redis-server');
  if (binary) return { mode: 'spawn', binary };
  return {
    mode: 'none',
    reason: `no Redis for the queue tests: set ${TEST_REDIS_URL_ENV}=redis://… or install redis-server (Debian: apt-get install redis-server)`,
  };
}

/** True where a missing Redis must fail the run rather than skip the tests. */
export const redisRequired = (): boolean => Boolean(process.env.CI);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function waitForReady(child: ChildProcess, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`redis-server on port ${port} not ready after ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (/ready to accept connections/i.test(out)) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`redis-server on port ${port} exited (code ${code}):\n${out}`));
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** The environment's Redis, or a fresh private `redis-server`. Throws when neither exists. */
export async function startTestRedis(): Promise<TestRedis> {
  const avail = redisAvailability();
  if (avail.mode === 'url')
    return { url: process.env[TEST_REDIS_URL_ENV]!, owned: false, stop: async () => {} };
  if (avail.mode === 'none') throw new Error(avail.reason);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(
      avail.binary!,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'yes',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await waitForReady(child, port, 10_000);
    } catch (e) {
      lastError = e;
      child.kill('SIGKILL');
      continue;
    }
    const stop = async (): Promise<void> => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
        }, 5_000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        child.kill('SIGTERM');
      });
    };
    return { url: `redis://127.0.0.1:${port}`, owned: true, stop };
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/** A queue name no other test (or test run sharing the same Redis) uses. */
export function uniqueQueueName(label: string): string {
  return `aif-test-${label}-${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
}
