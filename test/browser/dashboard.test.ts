/**
 * The web dashboard in a real browser (Debian chromium through playwright-core): the API runs
 * in-process on 127.0.0.1 (any free port) over an in-memory store and the in-process executor,
 * serving the built dashboard (`web/dist`, built here first when missing). The test runs the
 * built-in chat-fleet example from the library, checks that the scorecard and the charts show
 * the API's numbers for that run, validates YAML as it is typed, compares two runs, visits the
 * analysis views, opens a sweep stored through POST /api/sweeps in the Sweeps view, starts the
 * built-in sweep example from the Sweeps view's editor and follows it to its result (on a server
 * with a worker thread, as `aifactory serve` runs), marks a refused sweep spec at its line, and
 * opens the self-contained HTML report with every network request refused.
 * Screenshots go to test-artifacts/screenshots/.
 *
 * Without /usr/bin/chromium the suite is skipped (with a message), or fails when CI is set.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimResult } from '../../src/app/simulate.js';
import { defaultCatalog } from '../../src/catalog/catalog.js';
import { renderReportHtml } from '../../src/cli/report-command.js';
import type { EstimateReport } from '../../src/app/estimate.js';
import type { CompareResult } from '../../src/compare/compare.js';
import type { SweepResult } from '../../src/sweep/run.js';
import { createInProcessExecutor } from '../../src/jobs/in-process.js';
import type { Executor } from '../../src/jobs/types.js';
import { createWorkerPoolExecutor } from '../../src/jobs/worker-pool.js';
import { BUILTIN_CALIBRATION } from '../../src/perf/calibration-data.js';
import { createApiApp, type ApiApp } from '../../src/server/api/app.js';
import { loadExamples } from '../../src/server/api/examples.js';
import { createHighsSolver } from '../../src/solver/highs.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/types.js';

const CHROMIUM = '/usr/bin/chromium';
const WEB_DIST = resolve('web/dist');
const REPORT_DIR = resolve('web/dist/report');
const SHOTS = resolve('test-artifacts/screenshots');
const EXAMPLE = 'chat-fleet-h100';
/** The built-in sweep the New sweep panel starts from: 8 points of 60 simulated seconds. */
const SWEEP_EXAMPLE = 'sweep-chat-h100';
/** Upper bound of any one wait in the page (a run of the example takes a few seconds). */
const WAIT_MS = 60_000;

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !process.env.CI)
  console.warn(
    `test/browser/dashboard.test.ts skipped: ${CHROMIUM} is missing (apt-get install chromium; CI fails instead of skipping)`,
  );

/** Build the dashboard and the report bundle when they are missing (`npm run build` does both). */
async function ensureBuilt(): Promise<void> {
  const { build } = await import('vite');
  const config = resolve('web/vite.config.ts');
  // The dashboard pass empties web/dist, so it goes first.
  if (!existsSync(resolve(WEB_DIST, 'index.html')))
    await build({ configFile: config, mode: 'production', logLevel: 'warn' });
  if (!existsSync(resolve(REPORT_DIR, 'report.js')))
    await build({ configFile: config, mode: 'report', logLevel: 'warn' });
}

interface Plotted {
  series: { name?: string; data: unknown[] }[];
}

/**
 * What the page's functions see (they run in the browser; the root tsconfig has no DOM lib):
 * the document and the ECharts module the dashboard exposes on `window`.
 */
interface BrowserGlobals {
  document: { querySelector(selector: string): unknown };
  echarts?: {
    getInstanceByDom(
      el: unknown,
    ): { getOption(): { series?: { name?: string; data?: unknown[] }[] } } | undefined;
  };
}

/** The option ECharts holds for the chart `<div data-chart=id>` (null when there is none). */
async function plotted(page: Page, id: string): Promise<Plotted | null> {
  return page.evaluate((chartId) => {
    const g = globalThis as unknown as BrowserGlobals;
    const el = g.document.querySelector(`[data-chart="${chartId}"]`);
    const option = el ? g.echarts?.getInstanceByDom(el)?.getOption() : undefined;
    if (!option) return null;
    return { series: (option.series ?? []).map((s) => ({ name: s.name, data: s.data ?? [] })) };
  }, id);
}

/** Wait for a chart with a canvas and at least one non-empty series; return what it plots. */
async function chartRendered(page: Page, id: string): Promise<Plotted> {
  await page.waitForSelector(`[data-chart="${id}"] canvas`, { timeout: WAIT_MS });
  await page.waitForFunction(
    (chartId) => {
      const g = globalThis as unknown as BrowserGlobals;
      const el = g.document.querySelector(`[data-chart="${chartId}"]`);
      const option = el ? g.echarts?.getInstanceByDom(el)?.getOption() : undefined;
      return !!option && (option.series ?? []).some((s) => (s.data?.length ?? 0) > 0);
    },
    id,
    { timeout: WAIT_MS },
  );
  const p = await plotted(page, id);
  expect(p, id).not.toBeNull();
  return p!;
}

/** A full-page screenshot into test-artifacts/screenshots/<name>.png. */
const shot_ = (p: Page, name: string) =>
  p.screenshot({ path: resolve(SHOTS, `${name}.png`), fullPage: true });

const yValues = (s: { data: unknown[] }): unknown[] =>
  s.data.map((d) => (d as [number, number])[1]);

describe.skipIf(!haveChromium && !process.env.CI)('web dashboard in chromium', () => {
  let browser: Browser;
  let page: Page;
  let server: ServerType;
  let app: ApiApp;
  let store: Store;
  let executor: Executor;
  let base = '';
  const pageErrors: string[] = [];
  const runIds: string[] = [];

  const api = async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status, `${path}: ${res.status}`).toBeLessThan(300);
    return (await res.json()) as T;
  };
  const shot = (name: string) => shot_(page, name);
  const go = async (hash: string) => {
    await page.goto(`${base}/#/${hash}`);
    await page.waitForSelector('.page-head h1', { timeout: WAIT_MS });
  };

  beforeAll(async () => {
    if (!haveChromium)
      throw new Error(`${CHROMIUM} is missing: the CI image must install chromium`);
    await ensureBuilt();
    mkdirSync(SHOTS, { recursive: true });
    store = openSqliteStore(':memory:');
    executor = createInProcessExecutor();
    let ms = Date.parse('2026-01-01T00:00:00.000Z');
    app = createApiApp({
      store,
      executor,
      catalog: defaultCatalog(),
      calibration: BUILTIN_CALIBRATION,
      solver: createHighsSolver,
      nowIso: () => new Date(ms++).toISOString(),
      examples: loadExamples('examples'),
      staticRoot: WEB_DIST,
    });
    const port = await new Promise<number>((ok, fail) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
        ok(info.port),
      );
      server.once('error', fail);
    });
    base = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      timeout: WAIT_MS,
    });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
    await app?.shutdown('test over');
    await executor?.close();
    store?.close();
  }, 60_000);

  it('lists the examples and runs one from the library, ending in its scorecard', async () => {
    await go('library');
    await page.waitForSelector(`[data-example="${EXAMPLE}"]`);
    await shot('library');
    await page.click(`[data-example="${EXAMPLE}"] [data-action="run"]`);
    await page.waitForURL(/#\/runs\/run_[0-9a-f]+/);
    const id = /#\/runs\/(run_[0-9a-f]+)/.exec(page.url())![1]!;
    runIds.push(id);
    await page.waitForSelector('[data-testid="scorecard-0"]', { timeout: WAIT_MS });
    const run = await api<{ status: string; result: SimResult }>(`/api/runs/${id}`);
    expect(run.status).toBe('done');
    expect(await page.textContent('.page-head h1')).toBe(run.result.scenario.name);
  }, 120_000);

  it("shows the run's scorecard, latencies and time series as the API returns them", async () => {
    const id = runIds[0]!;
    const { result } = await api<{ result: SimResult }>(`/api/runs/${id}`);
    const d = result.deployments[0]!;

    // Scorecard: every metric, its value as the API has it, its basis on hover.
    const rows = await page.$$eval('[data-testid="scorecard-0"] tr[data-metric]', (trs) =>
      trs.map((tr) => ({
        name: tr.getAttribute('data-metric'),
        value: tr.querySelector('[data-value]')?.getAttribute('data-value'),
        basis: tr.querySelector('.tip')?.textContent ?? '',
      })),
    );
    expect(rows.map((r) => r.name)).toEqual(d.scorecard.map((m) => m.name));
    rows.forEach((r, i) => {
      expect(r.value).toBe(String(d.scorecard[i]!.value));
      expect(r.basis).toContain(d.scorecard[i]!.basis.boundary);
      expect(r.basis).toContain(d.scorecard[i]!.basis.source);
    });
    const tokensPerSecond = d.scorecard.find((m) => m.name === 'output throughput')!;
    expect(rows.find((r) => r.name === 'output throughput')!.value).toBe(
      String(tokensPerSecond.value),
    );

    // Latency table: TTFT p99 of the first class.
    const p99 = await page.$$eval('[data-testid="latency-0"] tbody tr', (trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll('td[data-value]')].map((td) => td.getAttribute('data-value')),
      ),
    );
    expect(p99[0]![4]).toBe(String(d.metrics.classes[0]!.ttft.p99Seconds));

    // Time series: canvases, and the plotted points are the result's series.
    const load = await chartRendered(page, 'ts-load-0');
    expect(yValues(load.series.find((s) => s.name === 'output tok/s')!)).toEqual(
      d.timeSeries.ratesPerSecond.outputTokens,
    );
    const kv = await chartRendered(page, 'ts-kv-0');
    expect(yValues(kv.series[0]!)).toEqual(d.timeSeries.series.kvOccupancy);
    const power = await chartRendered(page, 'ts-power-0');
    expect(yValues(power.series[0]!)).toEqual(d.timeSeries.series.chipPowerWatts);
    await chartRendered(page, 'power-waterfall-0');
    await shot('run');
  }, 120_000);

  it('estimates the scenario in the editor: figures with bases, frontier, power waterfall', async () => {
    await go(`editor?example=${EXAMPLE}`);
    await page.waitForSelector('[data-testid="valid"]', { timeout: WAIT_MS });
    await page.click('[data-action="estimate"]');
    await page.waitForSelector('[data-testid="estimate"]', { timeout: WAIT_MS });
    const estimate = await api<EstimateReport>('/api/estimates', {
      yaml: readFileSync(`examples/${EXAMPLE}.yaml`, 'utf8'),
    });
    const c = estimate.deployments[0]!.classes[0]!;
    const byX = (x: unknown, y: unknown) => (x as number[])[0]! - (y as number[])[0]!;
    const frontier = await chartRendered(page, 'estimate-frontier-0-0');
    expect([...frontier.series[0]!.data].sort(byX)).toEqual(
      c.frontier
        .map((f) => [f.outputTokensPerSecondPerUser.value, f.outputTokensPerSecondPerGpu.value])
        .sort(byX),
    );
    const power = await chartRendered(page, 'power-waterfall-estimate-0-0');
    const bars = (power.series[1]!.data as { value: number }[]).map((x) => x.value);
    expect(bars[0]).toBe(c.power.chipWattsPerReplica.value);
    expect(bars).toContain(c.power.facilityWattsPerReplica!.value);
    const perGpu = await page.getAttribute(
      '[data-testid="estimate-metrics-0-0"] tr[data-metric="output tok/s per GPU"] [data-value]',
      'data-value',
    );
    expect(perGpu).toBe(String(c.throughput.outputTokensPerSecondPerGpu.value));
    await shot('estimate');
  }, 120_000);

  it('runs the scenario again from the editor with another seed', async () => {
    await go(`editor?example=${EXAMPLE}`);
    await page.waitForSelector('[data-testid="valid"]', { timeout: WAIT_MS });
    await page.fill('[data-testid="seed"]', '12');
    await page.click('[data-action="run"]');
    await page.waitForURL((u) => /#\/runs\/run_/.test(u.hash) && !u.hash.includes(runIds[0]!));
    const id = /#\/runs\/(run_[0-9a-f]+)/.exec(page.url())![1]!;
    runIds.push(id);
    await page.waitForSelector('[data-testid="scorecard-0"]', { timeout: WAIT_MS });
    const run = await api<{ seed: number; result: SimResult }>(`/api/runs/${id}`);
    expect(run.seed).toBe(12);
    expect(run.result.scenario.seed).toBe(12);
  }, 120_000);

  it('marks schema errors in the YAML at their line as they are typed', async () => {
    await go('library');
    await go(`editor?example=${EXAMPLE}`);
    await page.waitForSelector('[data-testid="valid"]', { timeout: WAIT_MS });
    await page.click('.cm-content');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nnotAScenarioField: 1\n');
    // Validation runs while typing too; wait for the verdict on the whole line.
    await page.waitForSelector('[data-testid="issues"] li:has-text("notAScenarioField")', {
      timeout: WAIT_MS,
    });
    await page.waitForSelector('.cm-lintRange-error', { timeout: WAIT_MS });
    const issue = await page.textContent('[data-testid="issues"] li');
    expect(issue).toContain('notAScenarioField');
    // The issue is placed where the field was typed: after the file's last line break, one more.
    const fieldLine = readFileSync(`examples/${EXAMPLE}.yaml`, 'utf8').split('\n').length + 1;
    expect(issue).toMatch(new RegExp(`^${fieldLine}:1 `));
    // …and the editor underlines that line.
    const marked = await page.textContent('.cm-lintRange-error');
    expect(marked).toContain('notAScenarioField');
    await shot('editor');
  }, 120_000);

  it('compares the two runs and highlights every basis difference', async () => {
    const [a, b] = runIds;
    const expected = await api<CompareResult>('/api/compare', { a: { runId: a }, b: { runId: b } });
    await go(`compare?a=run:${a}&b=run:${b}`);
    await page.click('[data-action="compare"]');
    await page.waitForSelector('[data-testid="compare-result"]', { timeout: WAIT_MS });
    const chips = await page.$$eval('[data-testid="compare-pairs"] tr[data-pair]', (trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll('[data-diff]')].map((c) => c.getAttribute('data-diff')),
      ),
    );
    expect(chips).toEqual(expected.pairs.map((p) => p.differences.map((x) => x.field)));
    expect(chips.flat().length).toBeGreaterThan(0); // the seeds differ: at least the source does
    const ratio = await chartRendered(page, 'compare-ratio');
    expect(ratio.series[0]!.data.length).toBe(expected.pairs.length);
    // A row opens both bases field by field, the differing fields highlighted.
    await page.click('[data-testid="compare-pairs"] tr[data-pair]');
    const highlighted = await page.$$eval(
      '[data-testid="compare-pairs"] tr.diff-info td:first-child, [data-testid="compare-pairs"] tr.diff-blocking td:first-child',
      (tds) => tds.map((td) => td.textContent),
    );
    expect(highlighted.sort()).toEqual(expected.pairs[0]!.differences.map((x) => x.field).sort());
    await shot('compare');
  }, 120_000);

  it('prices the run and draws the cost and power waterfalls', async () => {
    await go(`cost?source=run:${runIds[0]}`);
    await page.click('[data-action="cost"]');
    const cost = await chartRendered(page, 'cost-waterfall-0-0');
    const report = await api<{
      deployments: {
        points: { tco: { waterfall: { usdPerHour: number }[]; usdPerHour: number } }[];
      }[];
    }>('/api/cost', { runId: runIds[0] });
    const tco = report.deployments[0]!.points[0]!.tco;
    const bars = (cost.series[1]!.data as { value: number }[]).map((x) => x.value);
    expect(bars).toEqual([...tco.waterfall.map((w) => w.usdPerHour), tco.usdPerHour]);
    await chartRendered(page, 'power-waterfall-0');
    await shot('cost');
  }, 120_000);

  it('draws the frontier of chosen systems', async () => {
    await go(`frontier?source=example:${EXAMPLE}`);
    await page.click('[data-action="frontier"]');
    const f = await chartRendered(page, 'frontier');
    expect(f.series.map((s) => s.name).sort()).toEqual([
      'hgx-b200-8gpu',
      'hgx-h100-8gpu',
      'hgx-h200-8gpu',
    ]);
    await chartRendered(page, 'frontier-cost');
    await chartRendered(page, 'frontier-per-mw');
    await shot('frontier');
  }, 120_000);

  it('plans capacity: announced vs procurable over time', async () => {
    await go('capacity?example=plan-100mw-virginia');
    await page.click('[data-action="plan"]');
    const c = await chartRendered(page, 'capacity-timeline');
    const plan = await api<{ timeline: { announcedMw: number; procurableMw: number }[] }>(
      '/api/plans',
      {
        yaml: readFileSync('examples/plan-100mw-virginia.yaml', 'utf8'),
      },
    );
    expect(c.series.find((s) => s.name === 'announced MW')!.data).toEqual(
      plan.timeline.map((t) => t.announcedMw),
    );
    expect(c.series.find((s) => s.name === 'procurable MW (as planned)')!.data).toEqual(
      plan.timeline.map((t) => t.procurableMw),
    );
    await shot('capacity');
  }, 120_000);

  it('draws build-vs-rent curves', async () => {
    await go('build-vs-rent');
    await page.click('[data-action="build-vs-rent"]');
    await chartRendered(page, 'bvr-cost-vs-owned');
    await chartRendered(page, 'bvr-load-duration');
    await chartRendered(page, 'bvr-ranking');
    await shot('build-vs-rent');
  }, 120_000);

  it('validates a claim', async () => {
    await go('claims/nvidia-gb300-tokens-per-mw-vs-hopper');
    await page.click('[data-action="validate-claim"]');
    await chartRendered(page, 'claim-ratio');
    await page.waitForSelector('[data-testid="claim-validation"]');
    await shot('claims');
  }, 120_000);

  it('opens the self-contained HTML report offline with the same charts', async () => {
    const { result } = await api<{ result: SimResult }>(`/api/runs/${runIds[0]}`);
    const bundle = {
      js: readFileSync(resolve(REPORT_DIR, 'report.js'), 'utf8'),
      css: readFileSync(resolve(REPORT_DIR, 'report.css'), 'utf8'),
    };
    const file = resolve('test-artifacts/report.html');
    writeFileSync(file, renderReportHtml(result, bundle, 'dashboard test'));
    const offline = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const refused: string[] = [];
    await offline.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      refused.push(url);
      return route.abort();
    });
    const errors: string[] = [];
    offline.on('pageerror', (e) => errors.push(e.message));
    await offline.goto(`file://${file}`);
    await offline.waitForSelector('[data-testid="scorecard-0"]', { timeout: WAIT_MS });
    const kv = await chartRendered(offline, 'ts-kv-0');
    expect(yValues(kv.series[0]!)).toEqual(result.deployments[0]!.timeSeries.series.kvOccupancy);
    await chartRendered(offline, 'ts-load-0');
    await chartRendered(offline, 'ts-power-0');
    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
    await offline.screenshot({ path: resolve(SHOTS, 'report.png'), fullPage: true });
    await offline.close();
  }, 120_000);

  it('asks for the API token of a server that needs one, and then works', async () => {
    const tokenStore = openSqliteStore(':memory:');
    const tokenExecutor = createInProcessExecutor();
    const tokenApp = createApiApp({
      store: tokenStore,
      executor: tokenExecutor,
      catalog: defaultCatalog(),
      calibration: BUILTIN_CALIBRATION,
      solver: createHighsSolver,
      nowIso: () => '2026-01-01T00:00:00.000Z',
      examples: loadExamples('examples'),
      staticRoot: WEB_DIST,
      token: 'sesame',
    });
    let tokenServer: ServerType | undefined;
    const port = await new Promise<number>((ok) => {
      tokenServer = serve({ fetch: tokenApp.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
        ok(info.port),
      );
    });
    const p = await browser.newPage();
    try {
      await p.goto(`http://127.0.0.1:${port}/#/library`);
      await p.waitForSelector('[data-testid="health"] input[name="token"]', { timeout: WAIT_MS });
      await p.fill('[data-testid="health"] input[name="token"]', 'sesame');
      await p.press('[data-testid="health"] input[name="token"]', 'Enter');
      await p.waitForSelector(`[data-example="${EXAMPLE}"]`, { timeout: WAIT_MS });
      expect(await p.textContent('[data-testid="health"]')).toContain('catalog');
    } finally {
      await p.close();
      await new Promise<void>((ok) => (tokenServer ? tokenServer.close(() => ok()) : ok()));
      await tokenApp.shutdown('test over');
      await tokenExecutor.close();
      tokenStore.close();
    }
  }, 120_000);

  it('opens a stored sweep: summary, Pareto chart and points as the API has them', async () => {
    const yaml = readFileSync('test/fixtures/sweep/inline-grid.yaml', 'utf8');
    const started = await api<{ id: string }>('/api/sweeps', { yaml });
    await app.sweeps.idle();
    const { status, result } = await api<{ status: string; result: SweepResult }>(
      `/api/runs/${started.id}`,
    );
    expect(status).toBe('done');
    await go('sweeps');
    await page.click(`[data-sweep="${started.id}"] a`);
    await page.waitForSelector('[data-testid="sweep-summary"]');
    expect(await page.textContent('.page-head h1')).toBe(result.name);
    expect(await page.textContent('[data-testid="sweep-feasible"]')).toBe(
      String(result.counts.feasible),
    );
    expect(await page.getAttribute('[data-testid="sweep-chosen"]', 'data-key')).toBe(
      result.chosen!.key,
    );

    // The Pareto scatter plots the API's goodput and cost per 1M output tokens.
    const xy = (p: SweepResult['points'][number]) => [
      p.metrics.values.goodputTokensPerSecond,
      p.metrics.values.costUsdPerMillionOutputTokens,
    ];
    const pareto = await chartRendered(page, 'sweep-pareto');
    const set = pareto.series.find((s) => s.name === 'Pareto set')!;
    expect(set.data).toEqual(
      result.points.filter((p) => result.pareto.keys.includes(p.key)).map(xy),
    );
    const chosen = result.points.find((p) => p.key === result.chosen!.key)!;
    expect(pareto.series.find((s) => s.name === 'chosen')!.data).toEqual([xy(chosen)]);
    expect(pareto.series.find((s) => s.name === 'infeasible')!.data.length).toBeGreaterThan(0);

    // The points table: every point, its goodput as the API has it, the Pareto set marked.
    const rows = await page.$$eval('[data-testid="sweep-points"] tbody tr', (trs) =>
      trs.map((tr) => ({
        key: tr.getAttribute('data-key'),
        pareto: tr.getAttribute('data-pareto'),
        goodput: tr
          .querySelector('[data-metric="goodputTokensPerSecond"]')
          ?.getAttribute('data-value'),
      })),
    );
    expect(rows.map((r) => r.key).sort()).toEqual(result.points.map((p) => p.key).sort());
    for (const r of rows) {
      const p = result.points.find((x) => x.key === r.key)!;
      expect(r.goodput).toBe(String(p.metrics.values.goodputTokensPerSecond));
      expect(r.pareto).toBe(result.pareto.keys.includes(p.key) ? 'yes' : 'no');
    }
    await shot('sweeps');
    copyFileSync(resolve(SHOTS, 'sweeps.png'), resolve('docs/img/dashboard-sweeps.png'));
  }, 120_000);

  describe('a sweep started from the dashboard', () => {
    // Its own server with a worker thread (as `aifactory serve` runs): the in-process executor
    // would hold the event loop while the points simulate, and the page would see no progress.
    let sweepStore: Store;
    let pool: Executor;
    let sweepApp: ApiApp;
    let sweepServer: ServerType | undefined;
    let sweepBase = '';
    let p: Page;
    const sweepApi = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${sweepBase}${path}`);
      expect(res.status, `${path}: ${res.status}`).toBe(200);
      return (await res.json()) as T;
    };

    beforeAll(async () => {
      sweepStore = openSqliteStore(':memory:');
      pool = createWorkerPoolExecutor({ threads: 1 });
      sweepApp = createApiApp({
        store: sweepStore,
        executor: pool,
        catalog: defaultCatalog(),
        calibration: BUILTIN_CALIBRATION,
        solver: createHighsSolver,
        nowIso: () => new Date().toISOString(),
        examples: loadExamples('examples'),
        staticRoot: WEB_DIST,
      });
      const port = await new Promise<number>((ok) => {
        sweepServer = serve(
          { fetch: sweepApp.fetch, port: 0, hostname: '127.0.0.1' },
          (info: AddressInfo) => ok(info.port),
        );
      });
      sweepBase = `http://127.0.0.1:${port}`;
      p = await browser.newPage({ viewport: { width: 1360, height: 900 } });
      p.setDefaultTimeout(WAIT_MS);
      p.on('pageerror', (e) => pageErrors.push(e.message));
    }, 120_000);

    afterAll(async () => {
      await p?.close();
      await new Promise<void>((ok) => (sweepServer ? sweepServer.close(() => ok()) : ok()));
      await sweepApp?.shutdown('test over');
      await pool?.close();
      sweepStore?.close();
    }, 60_000);

    it('opens the built-in sweep from the library, starts it, follows its progress to the result', async () => {
      await p.goto(`${sweepBase}/#/library`);
      await p.click(`[data-example="${SWEEP_EXAMPLE}"] [data-action="open"]`);
      await p.waitForURL(/#\/sweeps\/new\?example=sweep-chat-h100$/);
      // The editor holds the example with its base scenario inline (the server reads no files).
      await p.waitForSelector('[data-testid="sweep-yaml-editor"] .cm-line:has-text("base: #")');
      expect(await p.textContent('[data-testid="sweep-yaml-editor"]')).not.toContain('baseFile:');
      await shot_(p, 'sweeps-new-example');

      await p.click('[data-action="start-sweep"]');
      await p.waitForURL(/#\/sweeps\/run_[0-9a-f]+$/);
      const id = /#\/sweeps\/(run_[0-9a-f]+)/.exec(p.url())![1]!;
      // Live progress while it runs: points done of the total, feasible so far, elapsed.
      await p.waitForSelector('[data-testid="sweep-progress-figures"][data-state="running"]');
      expect(await p.textContent('[data-testid="sweep-progress-points"]')).toMatch(
        /^\d+ of 8 points$/,
      );
      expect(await p.textContent('[data-testid="sweep-progress-elapsed"]')).toMatch(/^\d+:\d\d$/);
      expect(await p.isVisible('[data-action="cancel-sweep"]')).toBe(true);
      // A few points in (or the end, on a fast machine) for the picture.
      await p.waitForFunction((sel) => {
        const el = (globalThis as unknown as BrowserGlobals).document.querySelector(sel) as {
          getAttribute(n: string): string | null;
        } | null;
        return (
          !!el &&
          (Number(el.getAttribute('data-done')) >= 3 || el.getAttribute('data-state') !== 'running')
        );
      }, '[data-testid="sweep-progress-figures"]');
      await p.screenshot({ path: resolve(SHOTS, 'sweeps-progress.png') });
      copyFileSync(
        resolve(SHOTS, 'sweeps-progress.png'),
        resolve('docs/img/dashboard-sweeps-progress.png'),
      );

      // Then the result, as the API has it, with the progress at its total.
      await p.waitForSelector('[data-testid="sweep-summary"]', { timeout: WAIT_MS });
      const run = await sweepApi<{ status: string; result: SweepResult }>(`/api/runs/${id}`);
      expect(run.status).toBe('done');
      const r = run.result;
      expect(r.counts.points).toBe(8);
      const figures = '[data-testid="sweep-progress-figures"]';
      expect(await p.getAttribute(figures, 'data-state')).toBe('done');
      expect(await p.getAttribute(figures, 'data-done')).toBe(String(r.counts.points));
      expect(await p.getAttribute(figures, 'data-total')).toBe(String(r.counts.points));
      expect(await p.getAttribute(figures, 'data-feasible')).toBe(String(r.counts.feasible));
      expect(await p.textContent('.page-head h1')).toBe(r.name);
      expect(await p.getAttribute('[data-testid="sweep-chosen"]', 'data-key')).toBe(r.chosen!.key);
      for (const a of r.chosen!.assignments)
        expect(await p.textContent(`[data-testid="sweep-chosen"] [data-axis="${a.path}"]`)).toBe(
          typeof a.value === 'string' ? a.value : JSON.stringify(a.value),
        );
      const objective = await p.getAttribute(
        `[data-testid="sweep-chosen"] [data-metric="${r.chosen!.metric}"]`,
        'data-value',
      );
      expect(objective).toBe(String(r.chosen!.value));
      // The sweep is listed, done.
      expect(await p.textContent(`[data-sweep="${id}"]`)).toContain('done');
      await chartRendered(p, 'sweep-pareto');
    }, 180_000);

    it('marks a spec the server refuses at its line, and starts nothing', async () => {
      const before = (await sweepApi<unknown[]>('/api/runs?kind=sweep')).length;
      await p.goto(`${sweepBase}/#/sweeps/new`);
      await p.waitForSelector('[data-testid="sweep-yaml-editor"] .cm-line:has-text("base: #")');
      // max_num_seqs −1: the scenario schema refuses it (a positive integer).
      const target = '    values: [32, 64, 128, 256]';
      // The axes are near the end: go there (CodeMirror renders only the lines in view).
      await p.click('[data-testid="sweep-yaml-editor"] .cm-content');
      await p.keyboard.press('Control+End');
      await p.click(`[data-testid="sweep-yaml-editor"] .cm-line:has-text("${target.trim()}")`);
      await p.keyboard.press('End');
      for (let i = 0; i < '64, 128, 256]'.length; i++) await p.keyboard.press('Backspace');
      await p.keyboard.type('-1]');
      await p.waitForSelector(
        '[data-testid="sweep-yaml-editor"] .cm-line:has-text("values: [32, -1]")',
      );
      await p.click('[data-action="start-sweep"]');
      await p.waitForSelector('[data-testid="sweep-issues"] li');
      const examples = await sweepApi<{ id: string; yaml: string }[]>('/api/examples');
      const yaml = examples.find((e) => e.id === SWEEP_EXAMPLE)!.yaml;
      const line = yaml.split('\n').findIndex((l) => l === target) + 1;
      expect(line).toBeGreaterThan(0);
      const issue = await p.textContent('[data-testid="sweep-issues"] li');
      expect(issue).toMatch(new RegExp(`^${line}:\\d+ axes\\.2\\.values\\.1`));
      expect(issue).toContain('maxNumSeqs');
      // …and the editor underlines that line, with a mark in the gutter.
      await p.waitForSelector('.cm-lintRange-error');
      expect(await p.textContent('.cm-lintRange-error')).toContain('-1');
      await p.waitForSelector('.cm-lint-marker-error');
      expect(p.url()).toMatch(/#\/sweeps\/new$/);
      expect((await sweepApi<unknown[]>('/api/runs?kind=sweep')).length).toBe(before);
      await shot_(p, 'sweeps-new');
      copyFileSync(resolve(SHOTS, 'sweeps-new.png'), resolve('docs/img/dashboard-sweeps-new.png'));
    }, 120_000);
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
