/**
 * `aifactory report <run> [--html] [--out file] [--db file]`: a finished serving-twin run — a
 * result JSON file written by `aifactory run`, or a run id in the store — as the text
 * scorecard, or with `--html` as ONE self-contained HTML file: the dashboard's report bundle
 * (`web/dist/report/report.js` and `report.css`, built by `npm run build`) and the result JSON
 * inlined, with a Content-Security-Policy that forbids every network request. It opens from
 * disk, offline, and shows the same scorecard, latency table and charts as the run view.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { SimResult } from '../app/simulate.js';
import { TOOL_VERSION } from '../app/engine-version.js';
import { AifError, ERROR_CODES } from '../core/errors.js';
import { defaultDbPath } from '../store/paths.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/types.js';
import { inputError, read, type CliIo } from './io.js';
import { renderRun } from './run-text.js';

/** The built report bundle: one IIFE script and its stylesheet. */
export interface ReportBundle {
  js: string;
  css: string;
}

/** Where the bundle is built (`vite build --mode report`, part of `npm run build`). */
export const REPORT_BUNDLE_DIR = fileURLToPath(new URL('../../web/dist/report/', import.meta.url));

/** The id of the `<script type="application/json">` the bundle reads the result from. */
export const REPORT_DATA_ID = 'aifactory-data';

/** No network: scripts and styles only inline, images only as data URIs, nothing else at all. */
export const REPORT_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export interface ReportDeps {
  /** The report bundle (default: read from {@link REPORT_BUNDLE_DIR} through `io`). */
  bundle?: () => ReportBundle;
  /** Open the store a run id is looked up in (default: SQLite, read-only). */
  openStore?: (path: string) => Store;
  /** The database used when `--db` is not given (default: the per-user path `serve` uses). */
  defaultDb?: () => string;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON that can sit inside `<script>`: no `<` (so no `</script>` or `<!--`), no raw U+2028/9. */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** Script or style text that cannot close its element early. */
const inlineSafe = (text: string, tag: 'script' | 'style'): string =>
  text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');

/** The self-contained report page of a result. */
export function renderReportHtml(
  result: SimResult,
  bundle: ReportBundle,
  generatedBy: string,
): string {
  const data = { result, generatedBy };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="generator" content="${escapeHtml(generatedBy)}">
<title>${escapeHtml(`${result.scenario.name} — aifactory run report`)}</title>
<style>
${inlineSafe(bundle.css, 'style')}
</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="${REPORT_DATA_ID}">${jsonForScript(data)}</script>
<script>
${inlineSafe(bundle.js, 'script')}
</script>
</body>
</html>
`;
}

/** The result of a parsed file or stored run, checked to be a serving-twin result. */
export function asSimResult(value: unknown, from: string): SimResult {
  const r = value as Partial<SimResult> | null;
  if (
    r === null ||
    typeof r !== 'object' ||
    r.kind !== 'aifactory.sim' ||
    !Array.isArray(r.deployments)
  )
    throw inputError(
      `${from} is not a serving-twin result (expected the JSON of \`aifactory run\`, kind 'aifactory.sim'${r && typeof r === 'object' && typeof r.kind === 'string' ? `, got '${r.kind}'` : ''})`,
    );
  return r as SimResult;
}

const RUN_ID = /^run_[0-9a-f]+$/i;

function resultFromStore(id: string, db: string, deps: ReportDeps): SimResult {
  const open = deps.openStore ?? ((p: string) => openSqliteStore(p, { readonly: true }));
  if (!deps.openStore && db !== ':memory:' && !existsSync(db))
    throw inputError(
      `no run '${id}': the database ${db} does not exist (give a result file, or --db)`,
    );
  const store = open(db);
  try {
    const run = store.getRun(id);
    if (!run) throw inputError(`no run '${id}' in ${db}`);
    if (run.status !== 'done' || run.resultJson === null)
      throw new AifError(
        ERROR_CODES.INVALID_ARGUMENT,
        `run ${id} is ${run.status}, not done: nothing to report yet`,
      );
    if (run.kind !== 'simulate')
      throw inputError(
        `run ${id} is a${run.kind === 'estimate' ? 'n' : ''} ${run.kind} run; the report shows serving-twin (simulate) runs`,
      );
    return asSimResult(JSON.parse(run.resultJson) as unknown, `run ${id}`);
  } finally {
    store.close();
  }
}

function defaultBundle(io: CliIo): ReportBundle {
  const file = (name: string) => `${REPORT_BUNDLE_DIR}${name}`;
  try {
    return { js: io.readFile(file('report.js')), css: io.readFile(file('report.css')) };
  } catch {
    throw inputError(
      `the report bundle is not built (${file('report.js')} is missing): run \`npm run build\` first`,
    );
  }
}

export interface ReportOptions {
  html?: boolean;
  out?: string;
  db?: string;
}

/** Load the run and print its scorecard, or write the HTML report and say where. */
export function runReport(
  arg: string,
  opts: ReportOptions,
  io: CliIo,
  deps: ReportDeps = {},
): void {
  let result: SimResult;
  let source: string;
  const looksLikeId = RUN_ID.test(arg);
  let text: string | undefined;
  if (!looksLikeId) text = read(io, arg);
  else if (opts.db === undefined) {
    try {
      text = io.readFile(arg);
    } catch {
      // not a file of that name: a run id
    }
  }
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw inputError(`${arg} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    result = asSimResult(parsed, arg);
    source = arg;
  } else {
    const db =
      opts.db ??
      (deps.defaultDb ?? (() => defaultDbPath(process.env, process.platform, homedir())))();
    result = resultFromStore(arg, db, deps);
    source = arg;
  }

  if (!opts.html) {
    io.stdout(renderRun(result));
    return;
  }
  const bundle = (deps.bundle ?? (() => defaultBundle(io)))();
  const html = renderReportHtml(result, bundle, `aifactory ${TOOL_VERSION} report of ${source}`);
  const out =
    opts.out ??
    (text !== undefined
      ? `${arg.replace(/\.json$/i, '')}.html`
      : `.aifactory/reports/${basename(arg)}.html`);
  io.writeFile(out, html);
  io.stdout(
    `report: wrote ${out} (${Math.round(html.length / 1024)} KB, self-contained: open it in a browser)\n`,
  );
}

export function addReportCommand(program: Command, io: CliIo, deps: ReportDeps = {}): void {
  program
    .command('report')
    .description(
      'report a finished serving-twin run (a result JSON file or a stored run id): the scorecard, or with --html one self-contained HTML file with the dashboard’s charts',
    )
    .argument(
      '<run>',
      'result JSON file written by `aifactory run`, or a run id (run_…) in the store',
    )
    .option(
      '--html',
      'write a self-contained HTML report (scorecard, latency percentiles, time-series charts)',
    )
    .option(
      '--out <file>',
      'where to write the HTML (default: <result>.html, or .aifactory/reports/<run id>.html)',
    )
    .option(
      '--db <file>',
      'SQLite store to look the run id up in (default: the one `aifactory serve` uses)',
    )
    .action((run: string, opts: ReportOptions) => runReport(run, opts, io, deps));
}
