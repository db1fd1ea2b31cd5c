/**
 * Where the store lives when the user names no file (`--db`). Pure: the caller passes
 * `process.env`, `process.platform` and `os.homedir()`, so every platform's answer is testable
 * on any machine.
 */
import { posix, win32 } from 'node:path';

const APP_DIR = 'aifactory';
const DB_FILE = 'aifactory.db';

/**
 * The default database path:
 * - `AIFACTORY_DB` when set and non-empty (as given; a relative path is the caller's cwd's);
 * - Windows: `%APPDATA%\aifactory\aifactory.db` (without APPDATA: `<home>\AppData\Roaming\…`);
 * - macOS: `~/Library/Application Support/aifactory/aifactory.db`;
 * - Linux and others: `$XDG_DATA_HOME/aifactory/aifactory.db`, or
 *   `~/.local/share/aifactory/aifactory.db` when XDG_DATA_HOME is unset or relative (the XDG
 *   Base Directory spec says a relative value is invalid and must be ignored).
 */
export function defaultDbPath(
  env: Record<string, string | undefined>,
  platform: string,
  homeDir: string,
): string {
  const override = env.AIFACTORY_DB;
  if (override !== undefined && override !== '') return override;
  if (platform === 'win32') {
    const appData = env.APPDATA || win32.join(homeDir, 'AppData', 'Roaming');
    return win32.join(appData, APP_DIR, DB_FILE);
  }
  if (platform === 'darwin') {
    return posix.join(homeDir, 'Library', 'Application Support', APP_DIR, DB_FILE);
  }
  const xdgDataHome = env.XDG_DATA_HOME;
  const dataHome =
    xdgDataHome !== undefined && posix.isAbsolute(xdgDataHome)
      ? xdgDataHome
      : posix.join(homeDir, '.local', 'share');
  return posix.join(dataHome, APP_DIR, DB_FILE);
}
