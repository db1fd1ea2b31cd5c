/**
 * The dashboard's static files (`web/dist`) for every path outside `/api`: files as they are,
 * and `index.html` for client routes (paths without a file extension), so a reload on
 * `/runs/run_…` opens the dashboard there. Without a build, `/` says how to make one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, Hono, Next } from 'hono';

/** The page `/` serves when the dashboard has not been built. */
export const NOT_BUILT_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>aifactory</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>aifactory</h1>
<p>The API is running (<a href="/api/health">/api/health</a>,
<a href="/openapi.json">/openapi.json</a>), but the web dashboard is not built.</p>
<p>Build it with <code>npm run build</code> (it writes <code>web/dist</code>), then reload this page.</p>
</body></html>
`;

const isApi = (path: string): boolean => path === '/api' || path.startsWith('/api/');
/** A client route: no file extension in the last segment. */
const isClientRoute = (path: string): boolean => !/\.[^/]*$/.test(path);

/** Register static serving on `app` (after the API routes). */
export function addStaticRoutes(app: Hono, staticRoot: string | undefined): void {
  const built = (): boolean =>
    staticRoot !== undefined && existsSync(join(staticRoot, 'index.html'));
  // Made on first use: serveStatic complains on stderr about a root that does not exist yet.
  let serve: { files: ReturnType<typeof serveStatic>; index: ReturnType<typeof serveStatic> };
  const handlers = () =>
    (serve ??= {
      files: serveStatic({ root: staticRoot! }),
      index: serveStatic({ root: staticRoot!, path: 'index.html' }),
    });

  app.get('*', async (c: Context, next: Next) => {
    const path = c.req.path;
    if (isApi(path)) return next();
    if (!built()) {
      if (path === '/' || path === '/index.html') return c.html(NOT_BUILT_HTML, 200);
      return next();
    }
    const { files, index } = handlers();
    const res = await files(c, async () => {});
    if (res) return res;
    if (isClientRoute(path)) {
      const page = await index(c, async () => {});
      if (page) return page;
    }
    return next();
  });
}
