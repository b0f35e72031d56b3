import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const webRoot = import.meta.dirname

/**
 * Writes a Brotli and a gzip copy beside every text asset once the bundle is written, so
 * the server sends compressed files without compressing on each request.
 */
function precompressAssets(): Plugin {
  // The folder this build writes, `--outDir` included: the configured one may hold another build.
  let outDir = ''
  return {
    name: 'aftercare-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir)
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
          const full = path.join(dir, entry.name)
          return entry.isDirectory() ? walk(full) : [full]
        })
      for (const file of walk(outDir).filter((f) => /\.(js|css|html|svg|json)$/.test(f))) {
        const bytes = fs.readFileSync(file)
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(bytes, { level: 9 }))
        fs.writeFileSync(
          `${file}.br`,
          zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }),
        )
      }
    },
  }
}

// The app is served by the API server itself, so the dev server only proxies /api to it.
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), precompressAssets()],
  build: {
    outDir: path.join(webRoot, 'dist'),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // Staff console and charts are split with React.lazy; keep the public entry small.
    chunkSizeWarningLimit: 250,
    rollupOptions: {
      output: {
        // Libraries change less often than our pages: their own files stay cached across releases.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined
          if (/node_modules\/(react|react-dom|scheduler)\//.test(id)) return 'react'
          if (id.includes('node_modules/react-router')) return 'router'
          if (/node_modules\/(i18next|react-i18next|html-parse-stringify|void-elements)\//.test(id))
            return 'i18n'
          if (/node_modules\/(chart\.js|@kurkle)\//.test(id)) return 'charts'
          return undefined
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
})
