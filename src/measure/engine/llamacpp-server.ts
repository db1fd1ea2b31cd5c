/**
 * Start the llama.cpp engine behind its OpenAI-compatible endpoint on a local port
 * (`@hono/node-server`, as `aifactory serve-sim` does). Port 0 picks a free one.
 */
import { serve } from '@hono/node-server';
import {
  startLlamaCppEngine,
  type LlamaCppEngine,
  type LlamaCppEngineOptions,
} from './llamacpp-engine.js';
import { createLlamaCppOpenAiApp } from './llamacpp-openai.js';

export interface LlamaCppServerOptions extends LlamaCppEngineOptions {
  host?: string;
  port?: number;
  modelName?: string;
}

export interface LlamaCppServer {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  baseUrl: string;
  port: number;
  engine: LlamaCppEngine;
  close(): Promise<void>;
}

export async function startLlamaCppServer(o: LlamaCppServerOptions): Promise<LlamaCppServer> {
  const engine = await startLlamaCppEngine(o);
  const app = createLlamaCppOpenAiApp({
    engine,
    modelName: o.modelName ?? 'aifactory-random-llama',
    nowSeconds: () => Date.now() / 1000,
  });
  const host = o.host ?? '127.0.0.1';
  let server: ReturnType<typeof serve>;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve({ fetch: app.fetch, port: o.port ?? 0, hostname: host }, (info) =>
      resolve(info.port),
    );
    server.once('error', reject);
  });
  return {
    baseUrl: `http://${host}:${port}/v1`,
    port,
    engine,
    async close() {
      await new Promise<void>((resolve) => {
        const s = server as unknown as {
          close(cb: () => void): void;
          closeAllConnections?(): void;
        };
        s.closeAllConnections?.();
        s.close(() => resolve());
      });
      await engine.close();
    },
  };
}
