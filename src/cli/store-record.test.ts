import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite-store.js';
import { runCli, type CliIo } from './program.js';

const dir = mkdtempSync(join(tmpdir(), 'aif-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  let out = '';
  let err = '';
  const written = new Map<string, string>();
  const cli: CliIo = {
    readFile: (p) => written.get(p) ?? readFileSync(p, 'utf8'),
    writeFile: (p, t) => void written.set(p, t),
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
  };
  return { cli, out: () => out, err: () => err, written };
}

describe('--db records results in the store', () => {
  it('calibrate probe keeps the calibration file it wrote, once per content', async () => {
    const db = join(dir, 'cal.db');
    const args = ['calibrate', 'probe', 'test/fixtures/measure/gpu-probe-sample.json'];
    const m = io();
    expect(await runCli([...args, '--out', 'p.json', '--db', db], m.cli), m.err()).toBe(0);
    const store = openSqliteStore(db);
    try {
      const cals = store.listCalibrations();
      expect(cals).toHaveLength(1);
      expect(cals[0]!.id).toMatch(/^cal_[0-9a-f]{16}$/);
      expect(cals[0]!.fileJson).toBe(m.written.get('p.json'));
      expect(cals[0]!.provenance).toContain(
        'gpu-probe from test/fixtures/measure/gpu-probe-sample.json',
      );
    } finally {
      store.close();
    }
  });

  it('claims validate keeps the check it printed, under the claim id', async () => {
    const db = join(dir, 'claims.db');
    const id = 'nvidia-gb300-tokens-per-mw-vs-hopper';
    const m = io();
    expect(await runCli(['claims', 'validate', id, '--json', '--db', db], m.cli), m.err()).toBe(0);
    const store = openSqliteStore(db);
    try {
      const checks = store.listClaimChecks({ claimId: id });
      expect(checks).toHaveLength(1);
      expect(checks[0]!.resultJson).toBe(m.out());
      expect(store.listClaimChecks({ claimId: 'another-claim' })).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('without --db nothing is opened or written', async () => {
    const m = io();
    const args = [
      'calibrate',
      'probe',
      'test/fixtures/measure/gpu-probe-sample.json',
      '--out',
      'q.json',
    ];
    expect(await runCli(args, m.cli)).toBe(0);
    expect([...m.written.keys()]).toEqual(['q.json']);
  });
});
