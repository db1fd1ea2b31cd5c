/**
 * Test support for CLI command tests (not exported from the package): an in-memory `CliIo`
 * with files from a map, writes captured, stdout and stderr collected.
 */
import { readFileSync } from 'node:fs';
import type { CliIo } from './program.js';

export function memoryIo(files: Record<string, string> = {}) {
  const written = new Map<string, string>();
  let out = '';
  let err = '';
  const io: CliIo = {
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
    writeFile: (path, text) => void written.set(path, text),
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
  };
  return { io, written, out: () => out, err: () => err };
}

/** A `CliIo` over the real file system (reads only; writes dropped), output captured. */
export function fileIo() {
  let out = '';
  let err = '';
  const io: CliIo = {
    readFile: (path) => readFileSync(path, 'utf8'),
    writeFile: () => undefined,
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
  };
  return { io, out: () => out, err: () => err };
}
