import path from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const webRoot = import.meta.dirname

// The app is served by the API server itself, so the dev server only proxies /api to it.
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
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
