/**
 * Case 2 of `bench/twin.ts` alone (the fleet hour), for profiling: `npx tsx bench/twin-fleet.ts
 * [replicas]` runs it at `replicas` replicas (default 1,000) with the session rate scaled to
 * 0.015 per replica, and prints wall and CPU time, peak RSS, the counters and a SHA-256 of the
 * result JSON (to check that a speed change leaves the result byte-identical).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { simulateScenario } from '../src/app/simulate.js';
import { defaultCatalog } from '../src/catalog/catalog.js';
import { BUILTIN_CALIBRATION } from '../src/perf/calibration-data.js';
import { case2Scenario } from './twin.js';

const replicas = Number(process.argv[2] ?? 1000);
const catalog = defaultCatalog();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = simulateScenario(case2Scenario(replicas), catalog, BUILTIN_CALIBRATION, {
  toolVersion: 'bench',
});
const wallSeconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const k = result.deployments[0]!.counters;
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
console.log(
  `${replicas} replicas: ${wallSeconds.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU, ` +
    `${hwm ? (Number(hwm[1]) / 1024).toFixed(0) : '?'} MiB peak RSS; ${k.numArrivals} requests, ${k.numEvents} events, ` +
    `${k.numIterations} iterations (${(k.numIterations / wallSeconds / 1e6).toFixed(2)} M/s)`,
);
console.log(`result sha256 ${createHash('sha256').update(JSON.stringify(result)).digest('hex')}`);
