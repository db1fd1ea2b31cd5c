/**
 * The built-in example files for `GET /api/examples`: every `*.yaml` in a directory, with its
 * kind told from its top-level keys (a scenario has `deployments`, a plan `sites` and
 * `horizon`, a build-vs-rent file `replica`, a sweep spec `axes` or `strategy` and `objective`)
 * and its `name:`. A sweep spec naming its base scenario by file (`baseFile:`) is given with that
 * file inline (`base:`), as `POST /api/sweeps` takes it: the server reads no paths a request names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ApiExample, ExampleKind } from './app.js';

/** The kind of an example file from its parsed top level; undefined when it is none of them. */
export function exampleKind(doc: unknown): ExampleKind | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const has = (k: string): boolean => Object.hasOwn(doc, k);
  if (has('deployments')) return 'scenario';
  if (has('sites') && has('horizon')) return 'plan';
  if (has('replica') && has('demand')) return 'build-vs-rent';
  if (has('strategy') && has('objective')) return 'sweep';
  return undefined;
}

/**
 * A sweep spec's top-level `baseFile: <file>` line replaced by `base:` and the file's text
 * indented under it (comments kept), so the spec stands alone. Unchanged when it has no such
 * line or `read` has no such file.
 */
export function inlineSweepBase(yaml: string, read: (file: string) => string | undefined): string {
  const m = /^baseFile:[ \t]*(.*)$/m.exec(yaml);
  if (!m) return yaml;
  let file: unknown;
  try {
    file = (parseYaml(yaml) as { baseFile?: unknown }).baseFile;
  } catch {
    return yaml;
  }
  const text = typeof file === 'string' ? read(file) : undefined;
  if (text === undefined) return yaml;
  const body = text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l.trim() ? `  ${l}` : ''))
    .join('\n');
  const head = `base: # ${String(file)}, inline (the server reads no files a request names)`;
  return `${yaml.slice(0, m.index)}${head}\n${body}${yaml.slice(m.index + m[0].length)}`;
}

/** One example from its file name and text; undefined for YAML of no known kind. */
export function exampleFrom(file: string, yaml: string): ApiExample | undefined {
  let doc: unknown;
  try {
    doc = parseYaml(yaml);
  } catch {
    return undefined;
  }
  const kind = exampleKind(doc);
  if (!kind) return undefined;
  const id = (file.split('/').pop() ?? file).replace(/\.ya?ml$/i, '');
  const name = (doc as { name?: unknown }).name;
  return { id, name: typeof name === 'string' ? name : id, file, kind, yaml };
}

/** Every example in `dir`, sorted by file name (none when the directory is missing). */
export function loadExamples(dir: string): ApiExample[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.ya?ml$/i.test(f));
  } catch {
    return [];
  }
  const read = (f: string): string | undefined => {
    try {
      return readFileSync(join(dir, f), 'utf8');
    } catch {
      return undefined;
    }
  };
  return files
    .sort()
    .map((f) => {
      const e = exampleFrom(`examples/${f}`, read(f) ?? '');
      return e?.kind === 'sweep' ? { ...e, yaml: inlineSweepBase(e.yaml, read) } : e;
    })
    .filter((e): e is ApiExample => e !== undefined);
}
