import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { type Plugin, defineConfig } from 'vite';

/**
 * Writes .br and .gz beside each text asset, so the server sends them compressed without
 * compressing on the request path (@fastify/static's preCompressed).
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'switchboard-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async writeBundle(_options, bundle) {
      for (const file of Object.keys(bundle).filter((f) => /\.(js|css|html|svg)$/.test(f))) {
        const path = join(outDir, file);
        const content = await readFile(path);
        await writeFile(`${path}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        await writeFile(`${path}.gz`, gzipSync(content, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  // React's automatic JSX runtime through esbuild: no Babel plugin, nothing else to install.
  esbuild: { jsx: 'automatic' },
  resolve: {
    alias: {
      // The form rules the server applies, reused as they are (pure functions, no Node APIs).
      '@switchboard/catalog/connection-form': fileURLToPath(new URL('../catalog/src/connection-form.ts', import.meta.url)),
      '@switchboard/catalog/definition': fileURLToPath(new URL('../catalog/src/definition.ts', import.meta.url)),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The CSP allows no inline script; every browser that runs es2022 preloads modules natively.
    modulePreload: { polyfill: false },
    // Keep icons and fonts as files: inline data would be re-downloaded with every script change.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  plugins: [precompress()],
  // `npm run dev -w packages/console` against a service on 8080.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
