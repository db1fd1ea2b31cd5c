import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * A long-running tool whose stdout is consumed line by line (`nvidia-smi -lms`, `dcgmi dmon`).
 * Samplers take a `SpawnLines` so tests can feed recorded output without the tool installed.
 */
export interface LineProcess {
  /** Ask the process to end (SIGTERM) and wait for it. */
  stop(): Promise<void>;
  /** Settles when the process ends on its own or after `stop`; carries an error text, if any. */
  readonly exited: Promise<{ exitCode: number | null; error?: string }>;
}

export type SpawnLines = (
  command: string,
  args: readonly string[],
  onLine: (line: string) => void,
) => LineProcess;

/** Run a one-shot command and return its stdout (for polled tools such as `amd-smi`). */
export type RunText = (command: string, args: readonly string[]) => Promise<string>;

/** `SpawnLines` backed by `node:child_process`. A missing tool surfaces through `exited`. */
export const spawnLines: SpawnLines = (command, args, onLine) => {
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString('utf8');
  });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', onLine);
  const exited = new Promise<{ exitCode: number | null; error?: string }>((resolve) => {
    child.on('error', (e) => resolve({ exitCode: null, error: `${command}: ${e.message}` }));
    child.on('close', (code) =>
      resolve(
        code === 0 || code === null ? { exitCode: code } : { exitCode: code, error: stderr.trim() },
      ),
    );
  });
  return {
    exited,
    async stop() {
      if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
      await exited;
    },
  };
};

/** `RunText` backed by `node:child_process` (execFile), with a timeout. */
export function runTextWithTimeout(timeoutMs: number): RunText {
  return (command, args) =>
    new Promise((resolve, reject) => {
      execFile(command, [...args], { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      );
    });
}
