/**
 * How many concurrent streams one load-generator process sustains with p99 dispatch lag under
 * 5 ms (issue 5: target ≥ 2,000). The mock OpenAI server runs in a child process (so its work
 * does not count against the client's event loop); the client sends open-loop Poisson traffic
 * at rate N / stream lifetime (Little's law: about N streams in flight), each stream 20 tokens
 * one chunk every 100 ms after a 50 ms TTFT, and reports per N: peak streams in flight at the
 * server, dispatch lag p50/p99/max, failures, chunks/s parsed. Prints figures; asserts nothing.
 *
 * `--preconnect F` opens F × N connections before each point starts (default 0).
 * `--semi-space-mb M` runs the client in a Node process whose V8 young generation is fixed at
 * semi-spaces of M MB (`--min-semi-space-size=M --max-semi-space-size=M`; default 2; 0 keeps
 * V8's own sizing, which grows them to 16 MB): a minor GC then comes more often and copies less,
 * so each pause of the event loop — what delays sends at thousands of streams — is shorter.
 * The last two columns are the p99 lag of the requests intended after the first stream lifetime
 * of each point (the connection ramp left out), for comparison, and the client process's CPU
 * time over the point's wall time.
 *
 * Run: `npx tsx bench/loadgen-streams.ts [N,N,…] [secondsPerPoint] [--preconnect F] [--semi-space-mb M]`.
 */
import { fork, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runBench } from '../src/measure/loadgen/bench.js';
import type { ScenarioClassWithSlo } from '../src/measure/loadgen/load.js';
import { startMockServer } from '../src/measure/loadgen/mock-server.js';

const TTFT_SECONDS = 0.05;
const ITL_SECONDS = 0.1;
const OUTPUT_TOKENS = 20;
const LIFETIME_SECONDS = TTFT_SECONDS + (OUTPUT_TOKENS - 1) * ITL_SECONDS;

if (process.argv.includes('--serve')) {
  const server = await startMockServer({ ttftSeconds: TTFT_SECONDS, itlSeconds: ITL_SECONDS });
  process.send?.({ url: server.url });
  process.on('message', (m: { stats?: boolean }) => {
    if (m.stats) {
      process.send?.({ stats: { ...server.stats } });
      server.stats.maxActive = server.stats.active;
    }
  });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
} else {
  const args = process.argv.slice(2);
  const flag = (name: string): number | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = Number(args[i + 1]);
    args.splice(i, 2);
    return v;
  };
  const semiSpaceMb = flag('--semi-space-mb') ?? 2;
  const sized = process.execArgv.some((a) => a.startsWith('--max-semi-space-size'));
  if (semiSpaceMb > 0 && !sized) {
    // The client again, in a process with that young generation (V8 sizes it at start-up).
    const { status } = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        `--min-semi-space-size=${semiSpaceMb}`,
        `--max-semi-space-size=${semiSpaceMb}`,
        fileURLToPath(import.meta.url),
        ...process.argv.slice(2),
      ],
      { stdio: 'inherit' },
    );
    process.exit(status ?? 1);
  }
  const preconnectFactor = flag('--preconnect') ?? 0;
  const targets = (args[0] ?? '500,1000,2000,3000').split(',').map(Number);
  const seconds = Number(args[1] ?? 8);
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: ['--import', 'tsx'],
  });
  const url = await new Promise<string>((resolve) =>
    child.once('message', (m: { url: string }) => resolve(m.url)),
  );
  const serverStats = (): Promise<{ maxActive: number }> =>
    new Promise((resolve) => {
      child.once('message', (m: { stats: { maxActive: number } }) => resolve(m.stats));
      child.send({ stats: true });
    });
  const cls: ScenarioClassWithSlo = {
    name: 'stream',
    kind: 'request',
    arrivals: { process: 'poisson', requestsPerSecond: 1 },
    inputTokens: { dist: 'fixed', value: 100 },
    outputTokens: { dist: 'fixed', value: OUTPUT_TOKENS },
    slo: {},
  };
  console.log(
    `streams: ${OUTPUT_TOKENS} tokens, TTFT ${TTFT_SECONDS * 1000} ms, one chunk per ${ITL_SECONDS * 1000} ms; ${seconds} s per point; preconnect ${preconnectFactor} × N; young generation ${sized ? process.execArgv.filter((a) => a.includes('semi-space')).join(' ') : "V8's default sizing"}; Node ${process.version}`,
  );
  console.log(
    'target  rate/s  peak in flight  requests  failed  chunks/s  lag p50 ms  lag p99 ms  lag max ms  p99 < 5 ms  p99 after ramp  client CPU %',
  );
  let best = 0;
  const failures: string[] = [];
  for (const n of targets) {
    await serverStats(); // reset the peak
    const rate = n / LIFETIME_SECONDS;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const run = await runBench({
      endpoint: { baseUrl: url, api: 'chat', model: 'mock-model' },
      workload: { kind: 'scenario', classes: [cls], seed: n },
      loads: [{ kind: 'rate', process: 'poisson', ratePerSecond: rate }],
      durationSeconds: seconds,
      saturation: false,
      preconnect: Math.ceil(preconnectFactor * n),
    });
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuShare = (cpu.user + cpu.system) / 1e6 / elapsed;
    const s = run.stages[0]!;
    const peak = (await serverStats()).maxActive;
    if (s.counts.failed > 0) {
      const kinds = Object.entries(s.counts.byErrorKind).filter(([, c]) => c > 0);
      const first = run.events.find((e) => e.type === 'error');
      failures.push(
        `${n} streams: ${kinds.map(([k, c]) => `${k} ${c}`).join(', ')} (first: ${first?.type === 'error' ? first.message : ''})`,
      );
    }
    const chunks = run.events.filter((e) => e.type === 'chunk').length;
    const lag = s.dispatchLag;
    const afterRamp = run.log.records
      .filter((r) => r.intendedSeconds >= LIFETIME_SECONDS && r.dispatchedSeconds !== null)
      .map((r) => r.dispatchedSeconds! - r.intendedSeconds)
      .sort((a, b) => a - b);
    const p99AfterRamp = afterRamp.length
      ? afterRamp[Math.min(afterRamp.length - 1, Math.ceil(0.99 * afterRamp.length) - 1)]!
      : null;
    const ok = lag.p99Seconds !== null && lag.p99Seconds < 0.005 && s.counts.failed === 0;
    if (ok) best = Math.max(best, peak);
    const f = (x: number | null): string => (x === null ? '—' : (x * 1000).toFixed(2));
    console.log(
      [
        String(n).padStart(6),
        rate.toFixed(0).padStart(6),
        String(peak).padStart(14),
        String(s.counts.requests).padStart(8),
        String(s.counts.failed).padStart(6),
        (chunks / elapsed).toFixed(0).padStart(8),
        f(lag.p50Seconds).padStart(10),
        f(lag.p99Seconds).padStart(10),
        f(lag.maxSeconds).padStart(10),
        (ok ? 'yes' : 'no').padStart(10),
        f(p99AfterRamp).padStart(14),
        (cpuShare * 100).toFixed(0).padStart(12),
      ].join('  '),
    );
  }
  if (failures.length > 0) console.log(`failures: ${failures.join('; ')}`);
  console.log(
    `sustained with p99 dispatch lag < 5 ms and no failures: ${best} concurrent streams (peak at the server)`,
  );
  child.disconnect();
}
