/**
 * Helpers every CLI command shares: reading files through `CliIo` with input errors that name
 * the file, loading the catalog with an optional extension, printing JSON.
 */
import { Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { defaultCatalog, type Catalog } from '../catalog/catalog.js';
import { extendCatalog } from '../catalog/catalog-extension.js';
import { AifError, ERROR_CODES, isAifError } from '../core/errors.js';
import { locateIssues } from '../scenario/index.js';
import type { CalibrationTable } from '../perf/calibration.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { layerCalibrationFiles, parseCalibrationFileJson } from '../perf/calibration-file.js';

/** Everything the CLI does to the outside world. */
export interface CliIo {
  /** Read a text file; throw (any error) when it cannot be read. */
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  stdout(s: string): void;
  stderr(s: string): void;
  /** Wall-clock milliseconds, for progress bars only (absent: no progress). */
  nowMs?(): number;
  /** stderr is a terminal (progress bars redraw in place). */
  stderrIsTty?: boolean;
}

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** An input problem told in one message (no field path to point at). */
export const inputError = (message: string): AifError =>
  new AifError(ERROR_CODES.INPUT_FORMAT, message);

export function read(io: CliIo, file: string): string {
  try {
    return io.readFile(file);
  } catch (e) {
    const why = (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));
    throw inputError(`cannot read '${file}' (${why})`);
  }
}

export function loadCatalog(io: CliIo, extension: string | undefined): Catalog {
  const base = defaultCatalog();
  if (extension === undefined) return base;
  const text = read(io, extension);
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw inputError(
      `catalog extension ${extension} is not valid YAML/JSON: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    );
  }
  try {
    return extendCatalog(base, data);
  } catch (e) {
    if (isAifError(e))
      throw new AifError(
        e.code,
        `${extension}: ${e.message}`,
        e.issues.map((i) => ({ ...i, file: extension })),
      );
    throw e;
  }
}

/** `--calibration <file...>`: calibration files layered over the built-in table. */
export const calibrationOption = (): Option =>
  new Option(
    '--calibration <file...>',
    'calibration files (from `calibrate bench|probe`) whose entries replace the built-in ones for their keys; later files win',
  );

/**
 * The calibration table a command uses: BUILTIN_CALIBRATION with the files' entries over it
 * (perf/calibration-file.ts `layerCalibrationFiles`); the built-in table when no file is given.
 * @throws AifError E_INPUT_FORMAT naming the file, field, value and expectation.
 */
export function loadCalibration(
  io: CliIo,
  files: readonly string[] | undefined,
  catalog: Catalog,
  base: CalibrationTable = BUILTIN_CALIBRATION,
): CalibrationTable {
  if (!files || files.length === 0) return base;
  return layerCalibrationFiles(
    base,
    files.map((path) => ({ path, file: parseCalibrationFileJson(read(io, path), path) })),
    [...catalog.accelerators.values()],
  );
}

/** Run `f`; issues raised after parsing carry paths only, so give them the file's positions. */
export function located<T>(text: string, file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isAifError(e) && e.issues.length) throw locateIssues(e, text, file);
    throw e;
  }
}
