import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { estimateScenario } from '../app/estimate.js';
import { engineVersion, TOOL_VERSION } from '../app/engine-version.js';
import { simulateScenario, type SimResult } from '../app/simulate.js';
import { defaultCatalog } from '../catalog/catalog.js';
import { canonicalJson, contentHash } from '../core/hash.js';
import { isAifError } from '../core/errors.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parseScenarioYaml } from '../scenario/index.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/types.js';
import type { CliIo } from './io.js';
import {
  addReportCommand,
  jsonForScript,
  renderReportHtml,
  REPORT_CSP,
  REPORT_DATA_ID,
  runReport,
  type ReportBundle,
} from './report-command.js';

// examples/chat-fleet-h100.yaml, 30 simulated seconds: a real result in well under a second.
const yaml = readFileSync('examples/chat-fleet-h100.yaml', 'utf8')
  .replace(/durationSeconds: 300/, 'durationSeconds: 30')
  .replace(/warmupSeconds: 60/, 'warmupSeconds: 6');
const scenario = parseScenarioYaml(yaml, 'chat-fleet-short.yaml');
const catalog = defaultCatalog();
const result: SimResult = simulateScenario(scenario, catalog, BUILTIN_CALIBRATION, {
  toolVersion: TOOL_VERSION,
});

/** A stand-in bundle: renders nothing, but shows where it lands and that it is escaped. */
const BUNDLE: ReportBundle = {
  js: 'window.__bundle = "</script><b>not html</b>"; /* bundle-js-marker */',
  css: '.x { color: red } /* bundle-css-marker </style> */',
};

function memoryIo(files: Record<string, string> = {}) {
  const written = new Map<string, string>();
  let out = '';
  const io: CliIo = {
    readFile: (p) => {
      if (files[p] === undefined) throw Object.assign(new Error(`ENOENT ${p}`), { code: 'ENOENT' });
      return files[p]!;
    },
    writeFile: (p, t) => void written.set(p, t),
    stdout: (s) => void (out += s),
    stderr: () => {},
  };
  return { io, written, out: () => out };
}

/** The JSON in the page's data element, parsed as the bundle does. */
function embeddedData(html: string): { result: SimResult; generatedBy: string } {
  const m = new RegExp(
    `<script type="application/json" id="${REPORT_DATA_ID}">([\\s\\S]*?)</script>`,
  ).exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!) as { result: SimResult; generatedBy: string };
}

/** Every http(s) URL and every element that could load something from elsewhere. */
function externalReferences(html: string): string[] {
  return [
    ...(html.match(/https?:\/\/[^\s"'<>)]+/g) ?? []),
    ...(html.match(/<(?:link|img|iframe|object|embed)\b[^>]*>/gi) ?? []),
    ...(html.match(/<script\b[^>]*\bsrc=/gi) ?? []),
    ...(html.match(/@import|url\(\s*['"]?(?!data:)/gi) ?? []),
  ];
}

describe('renderReportHtml', () => {
  const html = renderReportHtml(result, BUNDLE, 'test');

  it('embeds the whole result as JSON the page can read back', () => {
    expect(embeddedData(html).result).toEqual(result);
    expect(html).toContain(`<title>${result.scenario.name} — aifactory run report</title>`);
  });

  it('inlines the bundle so no element closes early, and forbids the network', () => {
    expect(html).toContain('bundle-js-marker');
    expect(html).toContain('bundle-css-marker');
    expect(html.match(/<\/script>/gi)).toHaveLength(2); // the data element and the bundle
    expect(html.match(/<\/style>/gi)).toHaveLength(1);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(REPORT_CSP).toMatch(/default-src 'none'/);
    expect(externalReferences(html)).toEqual([]);
  });

  it('keeps markup in the data from ending the data element', () => {
    const hostile = {
      ...result,
      scenario: { ...result.scenario, name: 'a </script><script>alert(1)</script> & b' },
    };
    const page = renderReportHtml(hostile, BUNDLE, 'test');
    expect(embeddedData(page).result.scenario.name).toBe(hostile.scenario.name);
    expect(page).toContain(
      '<title>a &#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62; &#38; b — aifactory run report</title>',
    );
    expect(jsonForScript('\u2028<')).toBe('"\\u2028\\u003c"');
  });
});

describe('aifactory report', () => {
  const file = 'runs/chat.json';

  it('writes the HTML report of a result file next to it', () => {
    const m = memoryIo({ [file]: JSON.stringify(result) });
    runReport(file, { html: true }, m.io, { bundle: () => BUNDLE });
    const html = m.written.get('runs/chat.html');
    expect(html).toBeDefined();
    expect(embeddedData(html!).result).toEqual(result);
    expect(embeddedData(html!).generatedBy).toBe(`aifactory ${TOOL_VERSION} report of ${file}`);
    expect(m.out()).toMatch(/^report: wrote runs\/chat\.html \(\d+ KB/);
  });

  it('prints the scorecard without --html', () => {
    const m = memoryIo({ [file]: JSON.stringify(result) });
    runReport(file, {}, m.io, { bundle: () => BUNDLE });
    expect(m.written.size).toBe(0);
    expect(m.out()).toContain(result.scenario.name);
    expect(m.out()).toContain('token goodput');
  });

  it('refuses what is not a serving-twin result, naming the file', () => {
    const estimate = estimateScenario(scenario, catalog, BUILTIN_CALIBRATION);
    const m = memoryIo({ 'e.json': JSON.stringify(estimate), 'x.json': '{oops' });
    expect(() => runReport('e.json', { html: true }, m.io, { bundle: () => BUNDLE })).toThrow(
      /e\.json is not a serving-twin result.*got 'aifactory\.estimate'/,
    );
    expect(() => runReport('x.json', { html: true }, m.io)).toThrow(/x\.json is not JSON/);
    expect(() => runReport('missing.json', { html: true }, m.io)).toThrow(
      /cannot read 'missing\.json'/,
    );
  });

  describe('a run id in the store', () => {
    function storeWith(): { store: Store; done: string; running: string; estimate: string } {
      const store = openSqliteStore(':memory:');
      const hash = contentHash(scenario);
      store.putScenario({
        hash,
        name: scenario.name,
        schemaVersion: 1,
        canonicalJson: canonicalJson(scenario),
        sourceYaml: yaml,
        createdAt: '2026-01-01T00:00:00.000Z',
      });
      const engine = engineVersion(catalog, BUILTIN_CALIBRATION);
      const make = (kind: 'simulate' | 'estimate', seed: number) =>
        store.createRun({
          kind,
          scenarioHash: hash,
          seed,
          engineVersion: engine,
          createdAt: '2026-01-01T00:00:01.000Z',
        }).id;
      const finish = (id: string, json: string) => {
        store.updateRun(id, { status: 'running', updatedAt: '2026-01-01T00:00:02.000Z' });
        store.updateRun(id, {
          status: 'done',
          progress: 1,
          resultJson: json,
          updatedAt: '2026-01-01T00:00:03.000Z',
        });
      };
      const done = make('simulate', 11);
      finish(done, JSON.stringify(result));
      const running = make('simulate', 12);
      store.updateRun(running, { status: 'running', updatedAt: '2026-01-01T00:00:02.000Z' });
      const estimate = make('estimate', 11);
      finish(estimate, JSON.stringify(estimateScenario(scenario, catalog, BUILTIN_CALIBRATION)));
      return { store, done, running, estimate };
    }

    it('reports a done simulation run from --db', () => {
      const s = storeWith();
      const m = memoryIo();
      const opened: string[] = [];
      const deps = { bundle: () => BUNDLE, openStore: (p: string) => (opened.push(p), s.store) };
      runReport(s.done, { html: true, db: 'my.db' }, m.io, deps);
      expect(opened).toEqual(['my.db']);
      const html = m.written.get(`.aifactory/reports/${s.done}.html`);
      expect(embeddedData(html!).result).toEqual(result);
    });

    it('says why a run cannot be reported', () => {
      const deps = (store: Store) => ({
        bundle: () => BUNDLE,
        openStore: () => store,
        defaultDb: () => 'default.db',
      });
      const m = memoryIo();
      expect(() =>
        runReport(storeWith().running, { html: true }, m.io, deps(storeWith().store)),
      ).toThrow(/no run/);
      const s = storeWith();
      expect(() => runReport(s.running, { html: true }, m.io, deps(s.store))).toThrow(
        /is running, not done/,
      );
      const t = storeWith();
      expect(() => runReport(t.estimate, { html: true }, m.io, deps(t.store))).toThrow(
        /an estimate run/,
      );
      const u = storeWith();
      expect(() => runReport('run_0000000000000000', { html: true }, m.io, deps(u.store))).toThrow(
        /no run 'run_0000000000000000' in default\.db/,
      );
    });
  });

  it('is a command of the CLI', async () => {
    const m = memoryIo({ [file]: JSON.stringify(result) });
    const program = new Command().exitOverride();
    addReportCommand(program, m.io, { bundle: () => BUNDLE });
    await program.parseAsync(['report', file, '--html', '--out', 'out/r.html'], { from: 'user' });
    expect(embeddedData(m.written.get('out/r.html')!).result.scenario.hash).toBe(
      result.scenario.hash,
    );
  });

  it('tells how to build the bundle when it is missing', () => {
    const m = memoryIo({ [file]: JSON.stringify(result) });
    try {
      runReport(file, { html: true }, m.io);
      expect.unreachable();
    } catch (e) {
      expect(isAifError(e) && e.message).toMatch(/report bundle is not built.*npm run build/);
    }
  });
});
