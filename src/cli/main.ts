/**
 * The process edge of the CLI: real files, real stdout/stderr, argv and the exit code.
 * Everything else is in `program.ts`, which tests run in memory.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { runCli, type CliIo } from './program.js';

// A reader that stops early (`aifactory … | head`) closes the pipe: stop quietly, not with a stack.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const io: CliIo = {
  readFile: (path) => readFileSync(path, 'utf8'),
  writeFile: (path, text) => writeFileSync(path, text, 'utf8'),
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
};

process.exitCode = await runCli(process.argv.slice(2), io);
