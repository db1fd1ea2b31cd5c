/**
 * Scenario parsing: YAML text (or a plain object from JSON/HTTP) → a validated `Scenario`.
 * Every problem is reported at once, each as an `ErrorIssue` with its dotted path, the value as
 * written, what was expected in words, and — for YAML — the file, line and column of the node.
 * Pure: the caller reads the file and passes its text.
 */
import type { z } from 'zod';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { AifError, ERROR_CODES, type ErrorCode, type ErrorIssue } from '../core/errors.js';
import { expectedFromMessage, FIELDS_PREFIX } from './fields.js';
import { ScenarioSchema, type Scenario } from './schema.js';
import { closest } from './suggest.js';

type Segment = PropertyKey;

/** What a source knows about the node at a path. */
interface Located {
  found: boolean;
  value?: unknown;
  line?: number;
  column?: number;
}

/** Finds values and positions by path, in a YAML document or a plain object. */
interface Locator {
  /** The node at `path`; when absent, the position is that of its nearest existing ancestor. */
  at(path: readonly Segment[]): Located;
  /** The key of the last segment of `path` (for unknown keys), when the source has positions. */
  keyAt(path: readonly Segment[]): Located;
}

// ---------------------------------------------------------------------------------------------
// Locators
// ---------------------------------------------------------------------------------------------

interface Ranged {
  range?: readonly [number, number, number] | null;
}

function yamlLocator(doc: Document, lineCounter: LineCounter): Locator {
  const position = (node: unknown): { line?: number; column?: number } => {
    const offset = (node as Ranged | null)?.range?.[0];
    if (offset === undefined) return {};
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const valueOf = (node: unknown): unknown => {
    if (isScalar(node)) return node.value;
    if (isMap(node) || isSeq(node)) return node.toJSON();
    return node ?? null;
  };

  /** Walk to `path`; returns the node, the key node of the last map step, or the ancestor. */
  const walk = (path: readonly Segment[]) => {
    let cur: unknown = doc.contents;
    let key: unknown;
    for (const seg of path) {
      if (isAlias(cur)) cur = cur.resolve(doc);
      if (isMap(cur)) {
        const pair = cur.items.find((p) => keyText(p.key) === String(seg));
        if (!pair) return { found: false as const, ancestor: cur };
        key = pair.key;
        // `tp:` with nothing after it has a null value: point at the key.
        cur = pair.value ?? pair.key;
        if (pair.value === null) return { found: true as const, node: null, key, at: pair.key };
      } else if (isSeq(cur) && typeof seg === 'number' && seg < cur.items.length) {
        cur = cur.items[seg];
        key = undefined;
      } else {
        return { found: false as const, ancestor: cur };
      }
    }
    if (isAlias(cur)) cur = cur.resolve(doc);
    return { found: true as const, node: cur, key, at: cur };
  };

  return {
    at(path) {
      if (path.length === 0 && doc.contents === null)
        return { found: true, value: null, line: 1, column: 1 };
      const w = walk(path);
      if (!w.found) return { found: false, ...position(w.ancestor) };
      return { found: true, value: valueOf(w.node), ...position(w.at) };
    },
    keyAt(path) {
      const w = walk(path);
      if (!w.found) return { found: false, ...position(w.ancestor) };
      return { found: true, value: valueOf(w.node), ...position(w.key ?? w.at) };
    },
  };
}

const keyText = (key: unknown): string => (isScalar(key) ? String(key.value) : String(key));

function objectLocator(root: unknown): Locator {
  const at = (path: readonly Segment[]): Located => {
    let cur: unknown = root;
    for (const seg of path) {
      if (Array.isArray(cur) && typeof seg === 'number' && seg < cur.length) cur = cur[seg];
      else if (cur !== null && typeof cur === 'object' && Object.hasOwn(cur, seg as string)) {
        cur = (cur as Record<PropertyKey, unknown>)[seg];
      } else return { found: false };
    }
    return { found: true, value: cur };
  };
  return { at, keyAt: at };
}

// ---------------------------------------------------------------------------------------------
// zod issues → ErrorIssues
// ---------------------------------------------------------------------------------------------

type ZodIssue = z.core.$ZodIssue;

/**
 * Replace union failures by the issues of the branch the value was meant for: the branch whose
 * failures lie inside the value (not a type or literal mismatch at the value itself), with the
 * fewest issues. When no branch fits even the shape, the union's own issue stands.
 */
function flatten(issue: ZodIssue, prefix: readonly Segment[]): ZodIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const fits = issue.errors.filter(
      (branch) =>
        !branch.some(
          (e) => e.path.length === 0 && (e.code === 'invalid_type' || e.code === 'invalid_value'),
        ),
    );
    const best = fits.reduce<ZodIssue[] | undefined>(
      (b, branch) => (b === undefined || branch.length < b.length ? branch : b),
      undefined,
    );
    if (best) return best.flatMap((e) => flatten(e, path));
  }
  return [{ ...issue, path } as ZodIssue];
}

const dotted = (path: readonly Segment[]): string => path.map(String).join('.');

const customExpected = (issue: ZodIssue): string | undefined => {
  if (issue.code !== 'custom') return undefined;
  const expected: unknown = issue.params?.['expected'];
  return typeof expected === 'string' ? expected : undefined;
};

function messageFor(issue: ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return 'wrong type';
    case 'too_small':
    case 'too_big':
      return Array.isArray(value) ? 'wrong number of items' : 'out of range';
    case 'invalid_value': {
      const hint = typeof value === 'string' ? closest(value, issue.values.map(String)) : undefined;
      return hint ? `not an accepted value (did you mean '${hint}'?)` : 'not an accepted value';
    }
    case 'invalid_union':
      return 'not one of the accepted forms';
    case 'custom':
      return issue.message;
    default:
      return 'invalid value';
  }
}

function toErrorIssues(issue: ZodIssue, locator: Locator, file: string | undefined): ErrorIssue[] {
  const where = (l: Located) => ({
    ...(l.line !== undefined ? { line: l.line, column: l.column } : {}),
    ...(file !== undefined ? { file } : {}),
  });

  if (issue.code === 'unrecognized_keys') {
    const expected = expectedFromMessage(issue.message);
    const known = expected?.startsWith(FIELDS_PREFIX)
      ? expected.slice(FIELDS_PREFIX.length).split(', ')
      : [];
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      const loc = locator.keyAt(path);
      const hint = closest(key, known);
      return {
        path: dotted(path),
        message: `unknown field '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}`,
        ...(loc.found ? { value: loc.value } : {}),
        ...(expected !== undefined ? { expected } : {}),
        ...where(loc),
      };
    });
  }

  const loc = locator.at(issue.path);
  const expected = customExpected(issue) ?? expectedFromMessage(issue.message);
  const last = issue.path[issue.path.length - 1];
  const missing = !loc.found && issue.code !== 'custom';
  return [
    {
      path: dotted(issue.path),
      message: missing ? `missing required field '${String(last)}'` : messageFor(issue, loc.value),
      ...(loc.found ? { value: loc.value } : {}),
      ...(expected !== undefined ? { expected } : {}),
      ...where(loc),
    },
  ];
}

const byPosition = (a: ErrorIssue, b: ErrorIssue): number =>
  a.line === undefined || b.line === undefined
    ? 0
    : a.line - b.line || (a.column ?? 0) - (b.column ?? 0);

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'nothing';
  if (value !== null && typeof value === 'object') {
    const json = JSON.stringify(value);
    return json.length > 60 ? `${json.slice(0, 57)}...` : json;
  }
  return String(value);
}

/** One line per issue: `file:line:col path: message (got X, expected Y)`. */
export function formatIssues(issues: readonly ErrorIssue[]): string {
  return issues
    .map((i) => {
      const where =
        i.file !== undefined && i.line !== undefined
          ? `${i.file}:${i.line}:${i.column ?? 1}`
          : (i.file ?? '');
      const details = [
        ...('value' in i ? [`got ${show(i.value)}`] : []),
        ...(i.expected !== undefined ? [`expected ${i.expected}`] : []),
      ];
      const path = i.path === '' ? '(root)' : i.path;
      return `${where}${where ? ' ' : ''}${path}: ${i.message}${details.length ? ` (${details.join(', ')})` : ''}`;
    })
    .join('\n');
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

function validate(
  data: unknown,
  locator: Locator,
  source: string,
  file: string | undefined,
): Scenario {
  const result = ScenarioSchema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues
    .flatMap((i) => flatten(i, []))
    .flatMap((i) => toErrorIssues(i, locator, file))
    .sort(byPosition);
  throw new AifError(
    ERROR_CODES.SCENARIO_INVALID,
    `${source}: the scenario has ${plural(issues.length, 'problem')}:\n${formatIssues(issues)}`,
    issues,
  );
}

/**
 * A YAML document with positions, or `code` (default E_SCENARIO_YAML) listing every syntax
 * error with its 1-based line and column in `fileName`. Merge keys (`<<: *base`) are allowed so
 * deployments share settings; duplicate keys are errors. Every YAML input (scenarios, sweep
 * specs, plan and build-vs-rent bodies) goes through here.
 */
export function parseYamlPositioned(
  text: string,
  fileName: string,
  code: ErrorCode = ERROR_CODES.SCENARIO_YAML,
): { doc: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: true,
    uniqueKeys: true,
    merge: true,
  });
  if (doc.errors.length > 0) {
    const issues: ErrorIssue[] = doc.errors.map((e) => ({
      path: '',
      message: (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ''),
      expected: 'valid YAML',
      file: fileName,
      ...(e.linePos ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}),
    }));
    throw new AifError(
      code,
      `${fileName}: not valid YAML (${plural(issues.length, 'error')}):\n${formatIssues(issues)}`,
      issues,
    );
  }
  return { doc, lineCounter };
}

/**
 * Parse and validate a scenario written in YAML.
 * Throws `E_SCENARIO_YAML` for syntax errors and `E_SCENARIO_INVALID` for schema failures,
 * with every issue positioned (1-based line and column) in `fileName`.
 */
export function parseScenarioYaml(text: string, fileName: string): Scenario {
  const { doc, lineCounter } = parseYamlPositioned(text, fileName);
  return validate(doc.toJS(), yamlLocator(doc, lineCounter), fileName, fileName);
}

/** Validate a scenario given as plain data (JSON file, HTTP body); issues carry no positions. */
export function parseScenarioObject(obj: unknown, source: string): Scenario {
  return validate(obj, objectLocator(obj), source, source);
}

/**
 * Give the issues of an error raised after parsing (e.g. by `resolveScenario`, whose issues
 * carry paths only) the file positions of their paths in the YAML text.
 */
export function locateIssues(error: AifError, text: string, fileName: string): AifError {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true });
  const locator = yamlLocator(doc, lineCounter);
  const issues = error.issues.map((i) => {
    const path =
      i.path === '' ? [] : i.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const loc = locator.at(path);
    return {
      ...i,
      file: fileName,
      ...(loc.line !== undefined ? { line: loc.line, column: loc.column } : {}),
    };
  });
  const head = error.message.split('\n')[0] ?? error.message;
  return new AifError(error.code, `${fileName}: ${head}\n${formatIssues(issues)}`, issues);
}
