import { describe, expect, it } from 'vitest';
import { defaultDbPath } from './paths.js';

describe('defaultDbPath', () => {
  it('uses AIFACTORY_DB when set, on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32', 'freebsd']) {
      expect(
        defaultDbPath({ AIFACTORY_DB: 'data/my.db', XDG_DATA_HOME: '/x' }, platform, '/h'),
      ).toBe('data/my.db');
    }
  });

  it('ignores an empty AIFACTORY_DB', () => {
    expect(defaultDbPath({ AIFACTORY_DB: '' }, 'linux', '/home/ada')).toBe(
      '/home/ada/.local/share/aifactory/aifactory.db',
    );
  });

  it('follows XDG_DATA_HOME on Linux and other Unix systems', () => {
    expect(defaultDbPath({ XDG_DATA_HOME: '/data/ada' }, 'linux', '/home/ada')).toBe(
      '/data/ada/aifactory/aifactory.db',
    );
    expect(defaultDbPath({ XDG_DATA_HOME: '/data/ada/' }, 'freebsd', '/home/ada')).toBe(
      '/data/ada/aifactory/aifactory.db',
    );
  });

  it('falls back to ~/.local/share without XDG_DATA_HOME or with a relative one (invalid per XDG)', () => {
    expect(defaultDbPath({}, 'linux', '/home/ada')).toBe(
      '/home/ada/.local/share/aifactory/aifactory.db',
    );
    expect(defaultDbPath({ XDG_DATA_HOME: 'rel/data' }, 'linux', '/home/ada')).toBe(
      '/home/ada/.local/share/aifactory/aifactory.db',
    );
  });

  it('uses Application Support on macOS (not XDG)', () => {
    expect(defaultDbPath({ XDG_DATA_HOME: '/data' }, 'darwin', '/Users/ada')).toBe(
      '/Users/ada/Library/Application Support/aifactory/aifactory.db',
    );
  });

  it('uses %APPDATA% on Windows, with backslashes', () => {
    expect(
      defaultDbPath({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada'),
    ).toBe('C:\\Users\\ada\\AppData\\Roaming\\aifactory\\aifactory.db');
    expect(defaultDbPath({}, 'win32', 'C:\\Users\\ada')).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\aifactory\\aifactory.db',
    );
  });
});
