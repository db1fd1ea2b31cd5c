/**
 * Every route and every error kind of docs/api.md, in process (`app.request`), over a real
 * in-memory SQLite store and the in-process executor. Results are compared with the CLI's
 * `--json` output for the same input; each rejection is checked to write nothing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../catalog/catalog.js';
import { contentHash } from '../../core/hash.js';
import { parseScenarioYaml, scenarioJsonSchema } from '../../scenario/index.js';
import { NOT_BUILT_HTML } from './static.js';
import {
  cliStdout,
  FIXTURE,
  fixtureYaml,
  makeApi,
  parseSse,
  postJson,
  rowCounts,
  type TestApi,
} from './test-helpers.js';

const LLAMA = 'examples/llama70b-fp8-h100.yaml';
const read = (f: string): string => readFileSync(f, 'utf8');
const body = async (res: Response): Promise<unknown> => JSON.parse(await res.text()) as unknown;
type ErrorBody = {
  error: {
    code: string;
    message: string;
    issues: { path: string; message: string; line?: number; column?: number; file?: string }[];
  };
};

describe('API routes', () => {
  let t: TestApi;
  beforeAll(() => {
    t = makeApi();
  });
  afterAll(() => t.close());

  it('GET /api/health names the tool, engine and catalog versions', async () => {
    const res = await t.app.request('/api/health');
    expect(res.status).toBe(200);
    const h = (await body(res)) as Record<string, unknown>;
    expect(h.ok).toBe(true);
    expect(h.catalogVersion).toBe(defaultCatalog().version);
    expect(h.engineVersion).toBe(t.app.engineVersion);
    expect(String(h.engineVersion)).toContain(`aifactory@${String(h.toolVersion)}`);
  });

  it('GET /api/examples lists the example files with their kinds', async () => {
    const list = (await body(await t.app.request('/api/examples'))) as {
      id: string;
      kind: string;
      yaml: string;
      file: string;
    }[];
    const byId = new Map(list.map((e) => [e.id, e]));
    expect(byId.get('chat-fleet-h100')?.kind).toBe('scenario');
    expect(byId.get('plan-100mw-virginia')?.kind).toBe('plan');
    expect(byId.get('build-vs-rent-coding-agents')?.kind).toBe('build-vs-rent');
    expect(byId.get('chat-fleet-h100')?.yaml).toBe(read('examples/chat-fleet-h100.yaml'));
    expect(list.every((e) => e.file.endsWith('.yaml'))).toBe(true);
  });

  it('GET /api/catalog lists every accelerator, system and model', async () => {
    const c = (await body(await t.app.request('/api/catalog'))) as {
      version: string;
      accelerators: { id: string; vendor: string }[];
      systems: { id: string; acceleratorId: string; acceleratorsPerSystem: number }[];
      models: { id: string; name: string }[];
    };
    const cat = defaultCatalog();
    expect(c.version).toBe(cat.version);
    expect(c.accelerators.map((a) => a.id).sort()).toEqual([...cat.accelerators.keys()].sort());
    expect(c.models.map((m) => m.id).sort()).toEqual([...cat.models.keys()].sort());
    const h100 = c.systems.find((s) => s.id === 'hgx-h100-8gpu');
    expect(h100).toMatchObject({ acceleratorId: 'h100-sxm', acceleratorsPerSystem: 8 });
  });

  it('GET /api/schema/scenario is the scenario JSON Schema', async () => {
    expect(await body(await t.app.request('/api/schema/scenario'))).toEqual(
      JSON.parse(JSON.stringify(scenarioJsonSchema())),
    );
  });

  it('POST /api/scenarios/validate returns the hash and parsed scenario, and stores nothing', async () => {
    const before = rowCounts(t.store);
    const res = await postJson(t.app, '/api/scenarios/validate', { yaml: fixtureYaml() });
    expect(res.status).toBe(200);
    const v = (await body(res)) as { ok: boolean; hash: string; name: string; scenario: unknown };
    const parsed = parseScenarioYaml(fixtureYaml(), FIXTURE);
    expect(v.ok).toBe(true);
    expect(v.hash).toBe(contentHash(parsed));
    expect(v.scenario).toEqual(JSON.parse(JSON.stringify(parsed)));
    expect(rowCounts(t.store)).toEqual(before);
  });

  it('POST /api/scenarios stores once (201, then 200) and GET returns it as written', async () => {
    const yaml = read(LLAMA);
    const first = await postJson(t.app, '/api/scenarios', { yaml });
    expect(first.status).toBe(201);
    const row = (await body(first)) as { hash: string; name: string; schemaVersion: number };
    const again = await postJson(t.app, '/api/scenarios', { yaml });
    expect(again.status).toBe(200);
    expect(await body(again)).toEqual(row);
    const list = (await body(await t.app.request('/api/scenarios'))) as { hash: string }[];
    expect(list.filter((s) => s.hash === row.hash)).toHaveLength(1);
    const one = (await body(await t.app.request(`/api/scenarios/${row.hash}`))) as {
      yaml: string;
      scenario: unknown;
      name: string;
    };
    expect(one.yaml).toBe(yaml);
    expect(one.name).toBe(parseScenarioYaml(yaml, LLAMA).name);
    expect(one.scenario).toEqual(JSON.parse(JSON.stringify(parseScenarioYaml(yaml, LLAMA))));
    const limited = (await body(await t.app.request('/api/scenarios?limit=1'))) as unknown[];
    expect(limited).toHaveLength(1);
  });

  it('POST /api/estimates equals `aifactory estimate --json`, then answers from the store', async () => {
    const cli = JSON.parse(await cliStdout(['estimate', LLAMA, '--json'])) as unknown;
    const first = await postJson(t.app, '/api/estimates', { yaml: read(LLAMA) });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-aifactory-cache')).toBe('miss');
    expect(await body(first)).toEqual(cli);
    const runs = rowCounts(t.store).runs;
    const hash = contentHash(parseScenarioYaml(read(LLAMA), LLAMA));
    const second = await postJson(t.app, '/api/estimates', { scenarioHash: hash });
    expect(second.headers.get('x-aifactory-cache')).toBe('hit');
    expect(second.headers.get('x-aifactory-run-id')).toBe(first.headers.get('x-aifactory-run-id'));
    expect(await body(second)).toEqual(cli);
    expect(rowCounts(t.store).runs).toBe(runs);
    const run = t.store.getRun(first.headers.get('x-aifactory-run-id')!)!;
    expect(run).toMatchObject({ kind: 'estimate', status: 'done', scenarioHash: hash });
  });

  it('GET /api/claims, /api/claims/:id and POST …/validate equal the CLI', async () => {
    const list = await body(await t.app.request('/api/claims'));
    expect(list).toEqual(JSON.parse(await cliStdout(['claims', 'list', '--json'])));
    const id = (list as { id: string }[])[0]!.id;
    expect(await body(await t.app.request(`/api/claims/${id}`))).toEqual(
      JSON.parse(await cliStdout(['claims', 'show', id, '--json'])),
    );
    const plain = await t.app.request(`/api/claims/${id}/validate`, { method: 'POST' });
    expect(plain.status).toBe(200);
    expect(await body(plain)).toEqual(
      JSON.parse(await cliStdout(['claims', 'validate', id, '--json'])),
    );
    const withWorkload = await postJson(t.app, `/api/claims/${id}/validate`, {
      inputTokens: 2048,
      outputTokens: 256,
    });
    expect(await body(withWorkload)).toEqual(
      JSON.parse(
        await cliStdout([
          'claims',
          'validate',
          id,
          '--input-tokens',
          '2048',
          '--output-tokens',
          '256',
          '--json',
        ]),
      ),
    );
  });

  it('POST /api/plans equals `aifactory plan --json`', async () => {
    const file = 'examples/plan-100mw-virginia.yaml';
    const res = await postJson(t.app, '/api/plans', { yaml: read(file), source: file });
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual(JSON.parse(await cliStdout(['plan', file, '--json'])));
  });

  it('POST /api/build-vs-rent equals `aifactory build-vs-rent --json`', async () => {
    const file = 'examples/build-vs-rent-coding-agents.yaml';
    const res = await postJson(t.app, '/api/build-vs-rent', { yaml: read(file), source: file });
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual(JSON.parse(await cliStdout(['build-vs-rent', file, '--json'])));
  });

  it('POST /api/cost {yaml} equals `aifactory cost --json`', async () => {
    const res = await postJson(t.app, '/api/cost', { yaml: fixtureYaml() });
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual(JSON.parse(await cliStdout(['cost', FIXTURE, '--json'])));
  });

  it('POST /api/compare of two scenarios equals `aifactory compare --json`', async () => {
    const res = await postJson(t.app, '/api/compare', {
      a: { yaml: fixtureYaml() },
      b: { yaml: read(LLAMA) },
      ignore: ['workload'],
    });
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual(
      JSON.parse(await cliStdout(['compare', FIXTURE, LLAMA, '--ignore', 'workload', '--json'])),
    );
  });

  it('POST /api/frontier puts the deployment on each system with consistent cost and power', async () => {
    const res = await postJson(t.app, '/api/frontier', {
      yaml: fixtureYaml(),
      systems: ['hgx-h100-8gpu', 'hgx-b200-8gpu', 'workstation-rtx-4090'],
    });
    expect(res.status).toBe(200);
    const f = (await body(res)) as {
      points: {
        systemId: string;
        tokensPerSecondPerUser: number;
        outputTokensPerSecondPerGpu: number;
        costPerMillionOutputTokensUsd: number | null;
        tokensPerSecondPerMw: number | null;
        basis: { model: string };
      }[];
      skipped: { systemId: string; reason: string }[];
    };
    // A 70B model in fp8 does not fit one 24 GB card: skipped with a reason, not an error.
    expect(f.skipped.map((s) => s.systemId)).toEqual(['workstation-rtx-4090']);
    for (const system of ['hgx-h100-8gpu', 'hgx-b200-8gpu']) {
      const pts = f.points.filter((p) => p.systemId === system);
      expect(pts.length).toBeGreaterThan(2);
      expect(pts.every((p) => p.basis.model === 'llama-3.1-70b')).toBe(true);
      // One USD per GPU-hour and one kW per GPU per system: cost × throughput and
      // throughput ÷ tok/s-per-MW are the same at every point of its frontier.
      const usdPerGpuHour = pts.map(
        (p) => (p.costPerMillionOutputTokensUsd! * p.outputTokensPerSecondPerGpu * 3600) / 1e6,
      );
      const kwPerGpu = pts.map(
        (p) => (p.outputTokensPerSecondPerGpu / p.tokensPerSecondPerMw!) * 1000,
      );
      for (const x of usdPerGpuHour) expect(x).toBeCloseTo(usdPerGpuHour[0]!, 6);
      for (const x of kwPerGpu) expect(x).toBeCloseTo(kwPerGpu[0]!, 6);
      // Along a frontier, more interactivity costs throughput.
      const byUser = [...pts].sort((a, b) => a.tokensPerSecondPerUser - b.tokensPerSecondPerUser);
      expect(byUser[0]!.outputTokensPerSecondPerGpu).toBeGreaterThan(
        byUser.at(-1)!.outputTokensPerSecondPerGpu,
      );
    }
  });

  it('serves /openapi.json', async () => {
    const res = await t.app.request('/openapi.json');
    expect(res.status).toBe(200);
    expect(((await body(res)) as { openapi: string }).openapi).toBe('3.1.0');
  });
});

describe('API errors (each rejection writes nothing)', () => {
  let t: TestApi;
  beforeAll(() => {
    t = makeApi({ maxBodyBytes: 64 * 1024 });
  });
  afterAll(() => t.close());

  /** Send, check status and code, check the store did not change; return the error body. */
  async function rejected(
    send: () => Promise<Response> | Response,
    status: number,
    code: string,
  ): Promise<ErrorBody> {
    const before = rowCounts(t.store);
    const res = await send();
    expect(res.status).toBe(status);
    const e = (await body(res)) as ErrorBody;
    expect(e.error.code).toBe(code);
    expect(typeof e.error.message).toBe('string');
    expect(Array.isArray(e.error.issues)).toBe(true);
    expect(rowCounts(t.store)).toEqual(before);
    return e;
  }

  it('400: a body that breaks the schema names each field', async () => {
    const e = await rejected(
      () => postJson(t.app, '/api/runs', { yaml: fixtureYaml(), seed: -1, colour: 'red' }),
      400,
      'E_INVALID_ARGUMENT',
    );
    expect(e.error.issues.map((i) => i.path).sort()).toEqual(['colour', 'seed']);
    const both = await rejected(
      () =>
        postJson(t.app, '/api/runs', {
          yaml: fixtureYaml(),
          scenarioHash: 'fnv1a64:0123456789abcdef',
        }),
      400,
      'E_INVALID_ARGUMENT',
    );
    expect(both.error.issues[0]!.message).toContain('only one of');
    await rejected(() => postJson(t.app, '/api/runs', {}), 400, 'E_INVALID_ARGUMENT');
    await rejected(
      () => postJson(t.app, '/api/frontier', { yaml: fixtureYaml(), systems: [] }),
      400,
      'E_INVALID_ARGUMENT',
    );
    await rejected(
      () =>
        postJson(t.app, '/api/compare', {
          a: { yaml: 'x' },
          b: { runId: 'r' },
          ignore: ['precision'],
        }),
      400,
      'E_INVALID_ARGUMENT',
    );
  });

  it('400: a YAML syntax error carries line and column', async () => {
    const yaml = 'name: x\nseed: 1\ndeployments: [\n  - broken: {\n';
    const e = await rejected(() => postJson(t.app, '/api/runs', { yaml }), 400, 'E_SCENARIO_YAML');
    expect(e.error.issues[0]!.line).toBeGreaterThan(0);
    expect(e.error.issues[0]!.column).toBeGreaterThan(0);
    expect(e.error.issues[0]!.file).toBe('yaml');
  });

  it('400: an invalid scenario names the field with its YAML line/column', async () => {
    const yaml = fixtureYaml().replace('model: llama-3.1-70b', 'model: llama-9000');
    const line = yaml.split('\n').findIndex((l) => l.includes('llama-9000')) + 1;
    for (const path of [
      '/api/runs',
      '/api/scenarios',
      '/api/estimates',
      '/api/scenarios/validate',
    ]) {
      const e = await rejected(() => postJson(t.app, path, { yaml }), 400, 'E_CATALOG_UNKNOWN_ID');
      const issue = e.error.issues.find((i) => i.path === 'deployments.0.model');
      expect(issue?.line).toBe(line);
    }
    const typo = fixtureYaml().replace('seed: 11', 'seed: eleven');
    const t2 = await rejected(
      () => postJson(t.app, '/api/runs', { yaml: typo }),
      400,
      'E_SCENARIO_INVALID',
    );
    expect(t2.error.issues[0]).toMatchObject({
      path: 'seed',
      line: typo.split('\n').findIndex((l) => l.startsWith('seed:')) + 1,
    });
  });

  it('400: a plan file with a YAML error or a bad field is located', async () => {
    const bad = read('examples/plan-100mw-virginia.yaml').replace('seed: 7', 'seed: [');
    const e = await rejected(
      () => postJson(t.app, '/api/plans', { yaml: bad }),
      400,
      'E_INPUT_FORMAT',
    );
    expect(e.error.issues[0]!.line).toBeGreaterThan(0);
    const wrong = read('examples/plan-100mw-virginia.yaml').replace(
      'model: llama-3.1-70b',
      'model: 42',
    );
    const w = await rejected(
      () => postJson(t.app, '/api/plans', { yaml: wrong }),
      400,
      'E_SCENARIO_INVALID',
    );
    expect(w.error.issues.some((i) => i.line !== undefined)).toBe(true);
  });

  it('400: an unknown id in a body (scenario hash, run id, system id)', async () => {
    const e = await rejected(
      () => postJson(t.app, '/api/runs', { scenarioHash: 'fnv1a64:0123456789abcdef' }),
      400,
      'E_INVALID_ARGUMENT',
    );
    expect(e.error.issues[0]!.path).toBe('scenarioHash');
    await rejected(
      () =>
        postJson(t.app, '/api/compare', { a: { runId: 'run_nope' }, b: { yaml: fixtureYaml() } }),
      400,
      'E_INVALID_ARGUMENT',
    );
    await rejected(
      () => postJson(t.app, '/api/cost', { runId: 'run_nope' }),
      400,
      'E_INVALID_ARGUMENT',
    );
    const s = await rejected(
      () =>
        postJson(t.app, '/api/frontier', {
          yaml: fixtureYaml(),
          systems: ['hgx-h100-8gpu', 'nope'],
        }),
      400,
      'E_INVALID_ARGUMENT',
    );
    expect(s.error.issues[0]!.path).toBe('systems.1');
  });

  it('400: a body that is not JSON', async () => {
    await rejected(() => postJson(t.app, '/api/runs', '{"yaml": '), 400, 'E_INPUT_FORMAT');
  });

  it('400: a bad query parameter', async () => {
    const e = await rejected(() => t.app.request('/api/runs?limit=0'), 400, 'E_INVALID_ARGUMENT');
    expect(e.error.issues[0]!.path).toBe('limit');
  });

  it('404: unknown run, scenario, claim and route', async () => {
    await rejected(() => t.app.request('/api/runs/run_0000000000000000'), 404, 'E_NOT_FOUND');
    await rejected(
      () => t.app.request('/api/runs/run_0000000000000000/events'),
      404,
      'E_NOT_FOUND',
    );
    await rejected(
      () => t.app.request('/api/runs/run_0000000000000000/cancel', { method: 'POST' }),
      404,
      'E_NOT_FOUND',
    );
    await rejected(
      () => t.app.request('/api/scenarios/fnv1a64:0123456789abcdef'),
      404,
      'E_NOT_FOUND',
    );
    await rejected(() => t.app.request('/api/claims/no-such-claim'), 404, 'E_NOT_FOUND');
    await rejected(
      () => t.app.request('/api/claims/no-such-claim/validate', { method: 'POST' }),
      404,
      'E_NOT_FOUND',
    );
    await rejected(() => t.app.request('/api/nothing-here'), 404, 'E_NOT_FOUND');
    await rejected(() => t.app.request('/api/health', { method: 'DELETE' }), 404, 'E_NOT_FOUND');
  });

  it('409: cancelling a finished run; comparing or costing a run that is not done', async () => {
    const res = await postJson(t.app, '/api/runs', { yaml: fixtureYaml() });
    const { id } = (await body(res)) as { id: string };
    // Wait for the end through the event stream.
    const events = parseSse(await (await t.app.request(`/api/runs/${id}/events`)).text());
    expect(events.at(-1)!.event).toBe('done');
    const e = await rejected(
      () => t.app.request(`/api/runs/${id}/cancel`, { method: 'POST' }),
      409,
      'E_CONFLICT',
    );
    expect(e.error.message).toContain('done');
    expect(t.store.getRun(id)!.status).toBe('done');
    // A run that is not done: one a previous server left queued (not running here).
    const queued = t.store.createRun({
      kind: 'simulate',
      scenarioHash: t.store.getRun(id)!.scenarioHash,
      seed: 999,
      engineVersion: t.app.engineVersion,
      createdAt: '2026-02-01T00:00:00.000Z',
    });
    await rejected(
      () => postJson(t.app, '/api/compare', { a: { runId: queued.id }, b: { runId: id } }),
      409,
      'E_CONFLICT',
    );
    await rejected(() => postJson(t.app, '/api/cost', { runId: queued.id }), 409, 'E_CONFLICT');
  });

  it('413: a body over the limit', async () => {
    const e = await rejected(
      () => postJson(t.app, '/api/runs', { yaml: `# ${'x'.repeat(70 * 1024)}\n${fixtureYaml()}` }),
      413,
      'E_TOO_LARGE',
    );
    expect(e.error.message).toContain(String(64 * 1024));
  });

  it('415: a body that is not declared JSON', async () => {
    await rejected(
      () =>
        t.app.request('/api/runs', {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ yaml: fixtureYaml() }),
        }),
      415,
      'E_UNSUPPORTED_MEDIA',
    );
    await rejected(
      () =>
        t.app.request('/api/claims/x/validate', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'inputTokens=5',
        }),
      415,
      'E_UNSUPPORTED_MEDIA',
    );
  });
});

describe('API auth', () => {
  const token = 's3cret-token';
  let t: TestApi;
  beforeAll(() => {
    t = makeApi({ token });
  });
  afterAll(() => t.close());

  it('401 without or with a wrong bearer token, and writes nothing', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: token },
    ];
    for (const headers of attempts) {
      const before = rowCounts(t.store);
      const res = await postJson(t.app, '/api/scenarios', { yaml: fixtureYaml() }, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(((await body(res)) as ErrorBody).error.code).toBe('E_UNAUTHORIZED');
      expect(rowCounts(t.store)).toEqual(before);
    }
    expect((await t.app.request('/api/health')).status).toBe(401);
  });

  it('accepts the right token; /openapi.json and the dashboard need none', async () => {
    const ok = await t.app.request('/api/health', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
    const created = await postJson(
      t.app,
      '/api/scenarios',
      { yaml: fixtureYaml() },
      {
        authorization: `Bearer ${token}`,
      },
    );
    expect(created.status).toBe(201);
    expect((await t.app.request('/openapi.json')).status).toBe(200);
    expect((await t.app.request('/')).status).toBe(200);
  });
});

describe('dashboard static files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aif-web-'));
  const INDEX = '<!doctype html><title>dashboard</title>';
  beforeAll(() => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves files, index.html for client routes, 404 for missing files and /api', async () => {
    const t = makeApi({ staticRoot: dir });
    try {
      const root = await t.app.request('/');
      expect(await root.text()).toBe(INDEX);
      const js = await t.app.request('/assets/app.js');
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toContain('javascript');
      expect(await js.text()).toBe('console.log(1)');
      const client = await t.app.request('/runs/run_0123');
      expect(client.status).toBe(200);
      expect(await client.text()).toBe(INDEX);
      expect((await t.app.request('/assets/missing.js')).status).toBe(404);
      const api = await t.app.request('/api/unknown');
      expect(api.status).toBe(404);
      expect(((await body(api)) as ErrorBody).error.code).toBe('E_NOT_FOUND');
    } finally {
      await t.close();
    }
  });

  it('says how to build the dashboard when it is not built', async () => {
    const t = makeApi({ staticRoot: join(dir, 'no-such-dir') });
    try {
      const res = await t.app.request('/');
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toBe(NOT_BUILT_HTML);
      expect(html).toContain('npm run build');
    } finally {
      await t.close();
    }
  });
});
