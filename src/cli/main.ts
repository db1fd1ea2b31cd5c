/**
 * The process edge of the CLI: real files, real stdout/stderr, argv and the exit code.
 * Everything else is in `program.ts`, which tests run in memory.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { runCli, type CliIo } from './program.js';

// A reader that stops early (`aifactory … | head`) closes the pipe: stop quietly, not with a stack.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const io: CliIo = {
  readFile: (path) => readFileSync(path, 'utf8'),
  writeFile: (path, text) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, 'utf8');
  },
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  nowMs: () => performance.now(),
  stderrIsTty: process.stderr.isTTY === true,
};

process.exitCode = await runCli(process.argv.slice(2), io);
