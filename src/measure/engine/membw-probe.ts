/**
 * A small memory-bandwidth probe for the CPU that runs the llama.cpp engine: one worker thread
 * per core (`os.availableParallelism()`), each owning two buffers far larger than the caches,
 * all starting together on a shared barrier. Two kernels, both native loops over large buffers
 * (a JavaScript element loop would measure the JIT, not the memory):
 *
 * - `read`: `Buffer.compare(a, b)` of two equal buffers — glibc `memcmp` reads both to the end,
 *   2·size bytes read per call, nothing written. This is the traffic of decode: streaming
 *   weights in.
 * - `copy`: `a.set(b)` — `memmove`, counted as 2·size bytes (read + write; write-allocate traffic
 *   not counted, so on a CPU without streaming stores the true traffic is higher).
 *
 * Each repetition runs every worker for a fixed number of passes; the aggregate rate is
 * Σ bytes / (slowest worker's elapsed time). Reported: the median and the best repetition.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface MembwProbeOptions {
  /** Worker threads (default: `os.availableParallelism()`). */
  threads?: number;
  /** Bytes of each of a worker's two buffers (default 256 MiB). */
  bufferBytes?: number;
  /** Passes over the buffers per worker per repetition (default 4). */
  passes?: number;
  repetitions?: number;
}

export interface MembwKernelResult {
  kernel: 'read' | 'copy';
  /** Aggregate bytes/s of each repetition. */
  bytesPerSecond: number[];
  medianBytesPerSecond: number;
  bestBytesPerSecond: number;
}

export interface MembwProbeResult {
  threads: number;
  bufferBytesPerWorker: number;
  passes: number;
  repetitions: number;
  method: string;
  read: MembwKernelResult;
  copy: MembwKernelResult;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { bufferBytes } = workerData;
const a = Buffer.alloc(bufferBytes, 7);
const b = Buffer.alloc(bufferBytes, 7);
parentPort.on('message', (m) => {
  if (m.cmd === 'exit') { parentPort.close(); return; }
  const barrier = new Int32Array(m.barrier);
  Atomics.add(barrier, 0, 1);
  while (Atomics.load(barrier, 0) < m.threads) {}
  const t0 = process.hrtime.bigint();
  let bytes = 0;
  let check = 0;
  for (let i = 0; i < m.passes; i++) {
    if (m.kernel === 'read') { check += Buffer.compare(a, b); bytes += 2 * bufferBytes; }
    else { a.set(b); bytes += 2 * bufferBytes; }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  parentPort.postMessage({ bytes, seconds, check });
});
parentPort.postMessage({ ready: true });
`;

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export async function probeMemoryBandwidth(o: MembwProbeOptions = {}): Promise<MembwProbeResult> {
  const threads = o.threads ?? availableParallelism();
  const bufferBytes = o.bufferBytes ?? 256 * 2 ** 20;
  const passes = o.passes ?? 4;
  const repetitions = o.repetitions ?? 5;
  const workers = await Promise.all(
    Array.from({ length: threads }, async () => {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { bufferBytes } });
      await new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
      });
      return w;
    }),
  );
  const run = async (kernel: 'read' | 'copy'): Promise<MembwKernelResult> => {
    const rates: number[] = [];
    for (let r = 0; r < repetitions + 1; r++) {
      const barrier = new SharedArrayBuffer(4);
      const results = await Promise.all(
        workers.map(
          (w) =>
            new Promise<{ bytes: number; seconds: number }>((resolve) => {
              w.once('message', resolve);
              w.postMessage({ cmd: 'run', kernel, passes, threads, barrier });
            }),
        ),
      );
      const bytes = results.reduce((acc, x) => acc + x.bytes, 0);
      const seconds = Math.max(...results.map((x) => x.seconds));
      if (r > 0) rates.push(bytes / seconds); // repetition 0 warms pages and caches
    }
    return {
      kernel,
      bytesPerSecond: rates,
      medianBytesPerSecond: median(rates),
      bestBytesPerSecond: Math.max(...rates),
    };
  };
  try {
    const read = await run('read');
    const copy = await run('copy');
    return {
      threads,
      bufferBytesPerWorker: 2 * bufferBytes,
      passes,
      repetitions,
      method:
        `${threads} worker_threads (one per core), each with two ${bufferBytes / 2 ** 20} MiB buffers, started on a shared barrier; ` +
        `read = Buffer.compare of two equal buffers (memcmp, 2·size bytes read), copy = TypedArray.set (memmove, 2·size bytes counted); ` +
        `${passes} passes per worker per repetition, ${repetitions} repetitions after one warm-up; rate = Σ bytes / slowest worker's time`,
      read,
      copy,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
