/**
 * The built-in example files for `GET /api/examples`: every `*.yaml` in a directory, with its
 * kind told from its top-level keys (a scenario has `deployments`, a plan `sites` and
 * `horizon`, a build-vs-rent file `replica`) and its `name:`.
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
  return undefined;
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
  return files
    .sort()
    .map((f) => exampleFrom(`examples/${f}`, readFileSync(join(dir, f), 'utf8')))
    .filter((e): e is ApiExample => e !== undefined);
}
