#!/usr/bin/env node
import { pathToFileURL } from 'node:url'
import { cliBundle } from './cli-bundle.js'

// Packages nearly every command uses are loaded first: the bundle leaves them outside, and
// through the TypeScript loader (the fallback) each of their ~60 files would be a round
// trip to its thread. The sources' imports of them then find the same modules.
await Promise.all([import('commander'), import('zod'), import('yaml')])
const bundle = await cliBundle()
if (bundle !== undefined) {
  // Stack traces name the TypeScript sources, not the bundle.
  process.setSourceMapsEnabled(true)
  await import(pathToFileURL(bundle).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../src/cli/main.ts')
}
