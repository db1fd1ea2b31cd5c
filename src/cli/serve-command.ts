/**
 * `aifactory serve-sim <scenario>`: start the twin-backed OpenAI-compatible endpoint on a
 * socket and keep serving until the process is stopped.
 */
import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { parseScenarioYaml } from '../scenario/index.js';
import { createServeSim } from '../server/serve-sim.js';
import {
  calibrationOption,
  inputError,
  loadCalibration,
  loadCatalog,
  read,
  type CliIo,
} from './io.js';

export function addServeSimCommand(
  program: Command,
  io: CliIo,
  catalogOption: () => import('commander').Option,
): void {
  program
    .command('serve-sim')
    .description(
      'serve an OpenAI-compatible streaming API (/v1/chat/completions, /v1/completions) whose token timing comes from the serving twin running in real time',
    )
    .argument('<scenario>', 'scenario YAML file (the deployment to simulate)')
    .option('--port <n>', 'TCP port', '8000')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--deployment <name>', 'deployment to serve when the scenario has several')
    .option('--speed <x>', 'simulated seconds per wall-clock second', '1')
    .addOption(catalogOption())
    .addOption(calibrationOption())
    .action(
      async (
        file: string,
        opts: {
          port: string;
          host: string;
          deployment?: string;
          speed: string;
          catalog?: string;
          calibration?: string[];
        },
      ) => {
        const port = Number(opts.port);
        const speed = Number(opts.speed);
        if (!(Number.isInteger(port) && port >= 0 && port < 65536))
          throw inputError(`--port must be an integer 0–65535, got '${opts.port}'`);
        if (!(Number.isFinite(speed) && speed > 0))
          throw inputError(`--speed must be a positive number, got '${opts.speed}'`);
        const scenario = parseScenarioYaml(read(io, file), file);
        const catalog = loadCatalog(io, opts.catalog);
        const sim = createServeSim({
          scenario,
          catalog,
          calibration: loadCalibration(io, opts.calibration, catalog),
          ...(opts.deployment ? { deployment: opts.deployment } : {}),
          speed,
          nowMs: () => performance.now(),
          setTimer: (fn, ms) => setTimeout(fn, ms),
          clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
        });
        await new Promise<void>((resolve, reject) => {
          const server = serve({ fetch: sim.app.fetch, port, hostname: opts.host }, (info) => {
            io.stdout(
              `serve-sim: ${sim.live.model} (${sim.live.deployment}, ${sim.live.replicas} replicas, ${speed}× real time) on http://${opts.host}:${info.port}/v1 — tokens are placeholders; stop with Ctrl+C\n`,
            );
          });
          server.on('error', reject);
          server.on('close', () => resolve());
        });
      },
    );
}
