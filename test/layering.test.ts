import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Runs dependency-cruiser with the layering rules of .dependency-cruiser.cjs (docs/layers.md).
describe('layering', () => {
  it('no source file imports outward or pulls I/O into a pure layer', () => {
    let output = '';
    let failed = false;
    try {
      output = execFileSync(
        'npx',
        ['depcruise', 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch (e) {
      failed = true;
      const err = e as { stdout?: string; stderr?: string };
      output = `${err.stdout ?? ''}${err.stderr ?? ''}`;
    }
    expect(failed, output).toBe(false);
  });

  it('the rules catch a pure layer importing a node builtin', () => {
    // A fixture outside src/ that pretends to be in a pure layer proves the rule can fail.
    let failed = false;
    try {
      execFileSync(
        'npx',
        [
          'depcruise',
          'test/fixtures/layering/src',
          '--config',
          '.dependency-cruiser.cjs',
          '--output-type',
          'err',
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch {
      failed = true;
    }
    expect(failed).toBe(true);
  });
});
