import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../measure/loadgen/mock-server.js';
import { runCli } from './program.js';
import { fileIo } from './test-support.js';

const KEY_VAR = 'AIFACTORY_TEST_BENCH_KEY';
const CERT = 'test/fixtures/tls/test-only-cert.pem';

let server: MockServer | undefined;
afterEach(async () => {
  delete process.env[KEY_VAR];
  await server?.close();
  server = undefined;
});

describe('aifactory bench over https with a private CA and an API key from the environment', () => {
  it('finds the model and streams every request, sends the key, and keeps it out of the report', async () => {
    server = await startMockServer({
      tls: {
        keyPem: readFileSync('test/fixtures/tls/test-only-key.pem', 'utf8'),
        certPem: readFileSync(CERT, 'utf8'),
      },
    });
    process.env[KEY_VAR] = 'sk-test-not-a-secret';
    const m = fileIo();
    const code = await runCli(
      [
        'bench',
        'examples/chat-fleet-h100.yaml',
        '--url',
        server.url,
        '--concurrency',
        '2',
        '--max-requests',
        '4',
        '--no-saturation-stop',
        '--json',
        '--ca-file',
        CERT,
        '--api-key-env',
        KEY_VAR,
      ],
      m.io,
    );
    expect(code, m.err()).toBe(0);
    const report = JSON.parse(m.out()) as {
      target: { model: string };
      stages: { counts: { requests: number; failed: number } }[];
    };
    // No --model: GET /v1/models over https with the same CA named it.
    expect(report.target.model).toBe('mock-model');
    expect(report.stages[0]!.counts).toMatchObject({ requests: 4, failed: 0 });
    expect(server.bodies).toHaveLength(4);
    expect(server.authorizations.length).toBeGreaterThanOrEqual(5); // models + 4 streams
    expect(new Set(server.authorizations)).toEqual(new Set(['Bearer sk-test-not-a-secret']));
    expect(m.out()).not.toContain('sk-test-not-a-secret');
  });

  it('refuses an unset key variable and a CA file without a certificate, before sending anything', async () => {
    for (const [flag, value] of [
      ['--api-key-env', KEY_VAR],
      ['--ca-file', 'README.md'],
    ] as const) {
      const m = fileIo();
      const args = ['bench', 'examples/chat-fleet-h100.yaml', '--url', 'https://127.0.0.1:9'];
      expect(await runCli([...args, flag, value], m.io)).not.toBe(0);
      expect(m.err()).toContain(flag);
      if (flag === '--api-key-env') expect(m.err()).toContain(KEY_VAR);
    }
  });
});
