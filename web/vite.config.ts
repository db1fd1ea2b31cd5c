/**
 * The dashboard's build (`npm run build`): two passes of this config.
 * - default mode: the single-page dashboard (`web/index.html`) into `web/dist`, with a relative
 *   base so `aifactory serve` serves it from `/`;
 * - `--mode report`: the run report bundle (`web/src/report/main.tsx`) as one IIFE script and
 *   one stylesheet in `web/dist/report/`, which `aifactory report --html` inlines into a single
 *   self-contained HTML file.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

const shared: UserConfig = {
  root,
  base: './',
  publicDir: false,
  logLevel: 'warn',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  resolve: {
    alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
  },
};

export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'report') {
    return {
      ...shared,
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      build: {
        outDir: 'dist/report',
        emptyOutDir: true,
        minify: true,
        reportCompressedSize: false,
        lib: {
          entry: fileURLToPath(new URL('./src/report/main.tsx', import.meta.url)),
          formats: ['iife'],
          name: 'AifactoryReport',
          fileName: () => 'report.js',
          cssFileName: 'report',
        },
      },
    };
  }
  return {
    ...shared,
    build: {
      outDir: 'dist',
      // The report pass writes dist/report after this one; keep the folder tidy on a rebuild.
      emptyOutDir: true,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 2000,
    },
    server: {
      proxy: { '/api': 'http://127.0.0.1:8787', '/openapi.json': 'http://127.0.0.1:8787' },
    },
  };
});
