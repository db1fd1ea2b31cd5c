import { requireArg } from '../../core/errors.js';
import type { MonotonicClock } from './monotonic-clock.js';
import type { LineProcess, SpawnLines } from './line-process.js';
import type {
  PowerQuantity,
  PowerSample,
  PowerSampler,
  PowerSourceName,
  PowerTrace,
} from './power-sample.js';

/** One parsed line with the monotonic time it arrived. */
export interface ArrivedRow<R> {
  row: R;
  arrivalSeconds: number;
}

export interface StreamSamplerSpec<R> {
  name: PowerSourceName;
  command: string;
  args: readonly string[];
  fields: readonly string[];
  quantities: readonly PowerQuantity[];
  /** Pure: one line of tool output → a row, or undefined for headers and blanks; may throw. */
  parseLine: (line: string, lineNumber: number) => R | undefined;
  /** Pure: the rows so far, with arrival times → samples on the monotonic clock. */
  toSamples: (rows: readonly ArrivedRow<R>[]) => PowerSample[];
  spawnLines: SpawnLines;
  clock: MonotonicClock;
}

/**
 * A sampler over a tool that prints readings in a loop (`nvidia-smi -lms`, `dcgmi dmon`). The
 * process plumbing is injected (`spawnLines`), parsing and time mapping are pure functions, so
 * tests feed recorded lines and a fake clock. A line that fails to parse is kept as a warning,
 * never fatal; a tool that fails to start shows up as a warning and an empty trace.
 */
export function createStreamSampler<R>(spec: StreamSamplerSpec<R>): PowerSampler {
  const rows: ArrivedRow<R>[] = [];
  const warnings: string[] = [];
  let lineNumber = 0;
  let proc: LineProcess | undefined;
  let stopped = false;

  const trace = (): PowerTrace => ({
    source: spec.name,
    scope: 'chip',
    quantities: spec.quantities,
    fields: spec.fields,
    samples: spec.toSamples(rows),
    warnings: [...warnings],
  });

  return {
    name: spec.name,
    scope: 'chip',
    async start() {
      requireArg(
        proc === undefined && !stopped,
        `${spec.name} sampler`,
        'start() may be called once',
      );
      proc = spec.spawnLines(spec.command, spec.args, (line) => {
        const arrivalSeconds = spec.clock();
        lineNumber++;
        try {
          const row = spec.parseLine(line, lineNumber);
          if (row !== undefined) rows.push({ row, arrivalSeconds });
        } catch (e) {
          if (warnings.length < 100) warnings.push((e as Error).message);
        }
      });
      void proc.exited.then((exit) => {
        if (exit.error && !stopped) warnings.push(`${spec.command} exited: ${exit.error}`);
      });
    },
    trace,
    async stop() {
      stopped = true;
      if (proc) await proc.stop();
      return trace();
    },
  };
}
