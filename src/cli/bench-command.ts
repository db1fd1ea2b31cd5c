/**
 * `aifactory bench <scenario> --url <base>`: drive an OpenAI-compatible endpoint with the
 * scenario's workload (or a trace, `--trace`), at the scenario's own arrivals or a sweep of
 * concurrencies (`--concurrency 1,2,4`) or rates (`--rate 1,2,4 --arrival poisson`), write the
 * raw event log (`--out events.jsonl`) and print the summary table or `--json` report
 * (`--report file.json` writes it too). Network I/O is this edge's business (docs/layers.md).
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Command } from 'commander';
import { AifError, ERROR_CODES } from '../core/errors.js';
import {
  benchReportText,
  buildBenchReport,
  CONVENTION_NAMES,
  DEFAULT_SATURATION_RULE,
  eventLine,
  JsonlFileSink,
  RATE_PROCESSES,
  runBench,
  type ApiKind,
  type BenchWorkload,
  type ClientTokenizer,
  type ConventionName,
  type EndpointConfig,
  type LoadPoint,
  type RateProcess,
  type ScenarioClassWithSlo,
  type StageEnergy,
} from '../measure/loadgen/index.js';
import { parseScenarioYaml } from '../scenario/index.js';
import { parseTrace } from '../sim/trace/index.js';
import { inputError, json, read, type CliIo } from './io.js';
import { contentId, dbOption, recordInStore } from './store-record.js';

/** What the command needs besides `CliIo`: a tokenizer for the cross-check (none by default). */
export interface BenchCommandDeps {
  tokenizer?: ClientTokenizer;
  /** Environment read by `--api-key-env` (default: the process's). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Default stage duration when neither `--duration` nor `--max-requests` bounds a stage. */
export const DEFAULT_BENCH_DURATION_SECONDS = 60;

const usage = (option: string, message: string, value: string, expected: string): AifError =>
  new AifError(ERROR_CODES.INVALID_ARGUMENT, `--${option}: ${message}`, [
    { path: option, message, value, expected },
  ]);

function numberList(option: string, text: string, integer: boolean): number[] {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (
    values.length === 0 ||
    values.some((v) => !(Number.isFinite(v) && v > 0 && (!integer || Number.isInteger(v))))
  )
    throw usage(
      option,
      'not a list of positive numbers',
      text,
      integer ? 'e.g. 1,2,4,8' : 'e.g. 0.5,1,2',
    );
  return values;
}

function positive(option: string, text: string | undefined, integer = false): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!(Number.isFinite(v) && v > 0 && (!integer || Number.isInteger(v))))
    throw usage(
      option,
      'not a positive number',
      text,
      integer ? 'a positive integer' : 'a number > 0',
    );
  return v;
}

function oneOf<T extends string>(option: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text))
    throw usage(option, 'unknown value', text, `one of: ${allowed.join(', ')}`);
  return text as T;
}

/**
 * The first model `GET /v1/models` names, or undefined. Over node:http(s) rather than fetch so
 * that an extra trusted CA (`--ca-file`) applies to it as to the streams.
 */
async function servedModel(
  baseUrl: string,
  auth: { apiKey?: string; extraCaPem?: string },
): Promise<string | undefined> {
  const base = baseUrl.replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(`${/\/v1$/.test(base) ? base : `${base}/v1`}/models`);
  } catch {
    return undefined;
  }
  const get = url.protocol === 'https:' ? https.get : http.get;
  return new Promise((resolve) => {
    const req = get(
      url,
      {
        timeout: 10_000,
        headers: auth.apiKey ? { authorization: `Bearer ${auth.apiKey}` } : {},
        ...(auth.extraCaPem && url.protocol === 'https:'
          ? { ca: [...tls.rootCertificates, auth.extraCaPem] }
          : {}),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (s: string) => (text += s));
        res.on('end', () => {
          if (res.statusCode !== 200) return resolve(undefined);
          try {
            const id = (JSON.parse(text) as { data?: { id?: unknown }[] }).data?.[0]?.id;
            resolve(typeof id === 'string' ? id : undefined);
          } catch {
            resolve(undefined);
          }
        });
        res.on('error', () => resolve(undefined));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

interface BenchCliOptions {
  url: string;
  model?: string;
  api: string;
  out?: string;
  report?: string;
  concurrency?: string;
  rate?: string;
  arrival: string;
  cv?: string;
  duration?: string;
  maxRequests?: string;
  warmup?: string;
  drain?: string;
  trace?: string;
  traceFormat?: string;
  timeScale?: string;
  convention: string;
  ignoreEos?: boolean;
  gpus?: string;
  lagThresholdMs: string;
  saturationStop: boolean;
  timeout?: string;
  stallTimeout?: string;
  apiKeyEnv?: string;
  caFile?: string;
  preconnect?: string;
  energy?: string;
  json?: boolean;
  db?: string;
}

export function addBenchCommand(program: Command, io: CliIo, deps: BenchCommandDeps = {}): void {
  program
    .command('bench')
    .description(
      'measure an OpenAI-compatible endpoint with the scenario workload: TTFT/TPOT/ITL/E2E, goodput, dispatch lag; raw event log as JSONL',
    )
    .argument('<scenario>', 'scenario YAML file (workload classes and SLOs)')
    .requiredOption('--url <base>', 'server base URL, e.g. http://127.0.0.1:8000')
    .option('--model <name>', 'served model name (default: the first of GET /v1/models)')
    .option('--api <kind>', 'chat | completions', 'chat')
    .option('--out <file.jsonl>', 'write the raw event log (one JSON object per event)')
    .option('--report <file.json>', 'write the JSON report (with chart data)')
    .option('--concurrency <list>', 'closed-loop sweep: clients (sessions) in flight, e.g. 1,2,4,8')
    .option('--rate <list>', 'open-loop sweep: requests (sessions) per second, e.g. 1,2,4')
    .option(
      '--arrival <process>',
      `open-loop process for --rate: ${RATE_PROCESSES.join(' | ')}`,
      'poisson',
    )
    .option('--cv <number>', 'gamma arrivals: coefficient of variation of the gaps (default 1)')
    .option(
      '--duration <seconds>',
      `per stage; default ${DEFAULT_BENCH_DURATION_SECONDS} s unless --max-requests is given`,
    )
    .option('--max-requests <n>', 'per stage: at most this many requests')
    .option(
      '--warmup <seconds>',
      'per stage: requests intended earlier are left out of the metrics',
    )
    .option(
      '--drain <seconds>',
      'time for in-flight requests after a stage ends before they are cancelled (default 60)',
    )
    .option(
      '--trace <file>',
      'replay a trace (Mooncake, Azure, BurstGPT, ShareGPT, vLLM requests) instead of the classes',
    )
    .option('--trace-format <format>', 'trace format (default: detected)')
    .option('--time-scale <factor>', 'trace replay speed-up (2 = twice as fast)')
    .option(
      '--convention <name>',
      `metric definitions: ${CONVENTION_NAMES.join(' | ')}`,
      'aifactory',
    )
    .option('--ignore-eos', 'send ignore_eos and min_tokens = max_tokens (vLLM/SGLang extensions)')
    .option('--gpus <n>', 'accelerators behind the endpoint, for tokens/s per GPU')
    .option('--lag-threshold-ms <ms>', 'flag a stage whose p99 dispatch lag exceeds this', '5')
    .option('--no-saturation-stop', 'run every sweep point even past saturation')
    .option('--timeout <seconds>', 'whole-request limit (default 600)')
    .option('--stall-timeout <seconds>', 'limit on silence within a request (default 120)')
    .option(
      '--api-key-env <name>',
      'environment variable holding the API key, sent as Authorization: Bearer (never stored in the report)',
    )
    .option(
      '--ca-file <pem>',
      'certificate authority (PEM) to trust for https besides the bundled roots (a private CA or a self-signed server)',
    )
    .option(
      '--preconnect <n>',
      'open this many connections before each stage (e.g. the streams expected in flight)',
    )
    .option(
      '--energy <file.json>',
      'energy per stage window: [{stage, energyJoules, windowSeconds, boundary, source}]',
    )
    .option('--json', 'print the JSON report instead of the table')
    .addOption(dbOption('the report and its raw event log'))
    .action(async (file: string, opts: BenchCliOptions) => {
      const text = read(io, file);
      const scenario = parseScenarioYaml(text, file);
      const classes = scenario.workload.classes as unknown as ScenarioClassWithSlo[];
      const api = oneOf<ApiKind>('api', opts.api, ['chat', 'completions']);
      const convention = oneOf<ConventionName>('convention', opts.convention, CONVENTION_NAMES);
      if (opts.concurrency !== undefined && opts.rate !== undefined)
        throw inputError('give --concurrency or --rate, not both');
      let loads: LoadPoint[] = [{ kind: 'scenario' }];
      if (opts.concurrency !== undefined)
        loads = numberList('concurrency', opts.concurrency, true).map((concurrency) => ({
          kind: 'concurrency',
          concurrency,
        }));
      if (opts.rate !== undefined) {
        const process = oneOf<RateProcess>('arrival', opts.arrival, RATE_PROCESSES);
        const cv = positive('cv', opts.cv);
        loads = numberList('rate', opts.rate, false).map((ratePerSecond) => ({
          kind: 'rate',
          process,
          ratePerSecond,
          ...(cv === undefined ? {} : { cv }),
        }));
      }
      let workload: BenchWorkload = { kind: 'scenario', classes, seed: scenario.seed };
      if (opts.trace !== undefined) {
        const parsed = parseTrace(read(io, opts.trace), {
          fileName: opts.trace,
          ...(opts.traceFormat === undefined ? {} : { format: opts.traceFormat as never }),
        });
        const timeScale = positive('time-scale', opts.timeScale);
        const first = classes[0];
        workload = {
          kind: 'trace',
          records: parsed.records,
          className: first?.name ?? 'trace',
          ...(first?.slo === undefined ? {} : { slo: first.slo }),
          ...(timeScale === undefined ? {} : { timeScale }),
        };
      }
      const maxRequests = positive('max-requests', opts.maxRequests, true);
      const durationSeconds =
        positive('duration', opts.duration) ??
        (maxRequests === undefined && opts.trace === undefined
          ? DEFAULT_BENCH_DURATION_SECONDS
          : undefined);
      let energy: StageEnergy[] | undefined;
      if (opts.energy !== undefined) {
        try {
          energy = JSON.parse(read(io, opts.energy)) as StageEnergy[];
        } catch (e) {
          throw inputError(`${opts.energy} is not JSON: ${String(e)}`);
        }
      }
      let apiKey: string | undefined;
      if (opts.apiKeyEnv !== undefined) {
        apiKey = (deps.env ?? process.env)[opts.apiKeyEnv];
        if (!apiKey)
          throw usage(
            'api-key-env',
            'the environment variable is unset or empty',
            opts.apiKeyEnv,
            'the name of a set variable holding the key',
          );
      }
      const extraCaPem = opts.caFile !== undefined ? read(io, opts.caFile) : undefined;
      if (extraCaPem !== undefined && !extraCaPem.includes('-----BEGIN CERTIFICATE-----'))
        throw usage('ca-file', 'no PEM certificate in the file', opts.caFile!, 'a PEM file');
      const model =
        opts.model ??
        (await servedModel(opts.url, {
          ...(apiKey ? { apiKey } : {}),
          ...(extraCaPem ? { extraCaPem } : {}),
        }));
      if (model === undefined)
        throw inputError(`--model not given and ${opts.url}/v1/models names no model`);
      const requestTimeoutSeconds = positive('timeout', opts.timeout);
      const stallTimeoutSeconds = positive('stall-timeout', opts.stallTimeout);
      const endpoint: EndpointConfig = {
        baseUrl: opts.url,
        api,
        model,
        ...(opts.ignoreEos ? { ignoreEos: true } : {}),
        ...(requestTimeoutSeconds === undefined ? {} : { requestTimeoutSeconds }),
        ...(stallTimeoutSeconds === undefined ? {} : { stallTimeoutSeconds }),
        ...(deps.tokenizer ? { tokenizer: deps.tokenizer } : {}),
        ...(apiKey ? { apiKey } : {}),
        ...(extraCaPem ? { extraCaPem } : {}),
      };
      const saturation = opts.saturationStop ? DEFAULT_SATURATION_RULE : null;
      const sink = opts.out !== undefined ? new JsonlFileSink(opts.out) : undefined;
      const warmupSeconds = positive('warmup', opts.warmup);
      const drainSeconds = positive('drain', opts.drain);
      const numGpus = positive('gpus', opts.gpus, true);
      const lagMs = positive('lag-threshold-ms', opts.lagThresholdMs)!;
      const preconnect = positive('preconnect', opts.preconnect, true);
      let run;
      try {
        run = await runBench({
          endpoint,
          workload,
          loads,
          convention,
          saturation: saturation ?? false,
          dispatchLagThresholdSeconds: lagMs / 1000,
          ...(durationSeconds === undefined ? {} : { durationSeconds }),
          ...(maxRequests === undefined ? {} : { maxRequests }),
          ...(warmupSeconds === undefined ? {} : { warmupSeconds }),
          ...(drainSeconds === undefined ? {} : { drainSeconds }),
          ...(numGpus === undefined ? {} : { numGpus }),
          ...(preconnect === undefined ? {} : { preconnect }),
          ...(sink ? { sink } : {}),
          onStage: (m) =>
            io.stderr(
              `${m.label}: ${m.counts.ok}/${m.counts.requests} ok, ${m.throughput.outputTokensPerSecond.toFixed(1)} output tok/s\n`,
            ),
        });
      } finally {
        await sink?.close();
      }
      const report = buildBenchReport(run, { endpoint, saturation, ...(energy ? { energy } : {}) });
      if (opts.report !== undefined) io.writeFile(opts.report, json(report));
      recordInStore(opts.db, (store, nowIso) => {
        const reportJson = json(report);
        store.putBenchRun({
          id: contentId('bench', reportJson),
          reportJson,
          rawLogJsonl: run.events.map(eventLine).join(''),
          createdAt: nowIso,
        });
      });
      io.stdout(opts.json ? json(report) : benchReportText(report));
    });
}
