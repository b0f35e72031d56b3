#!/usr/bin/env node
import { pathToFileURL } from 'node:url'
import { cliBundle } from './cli-bundle.js'

const bundle = await cliBundle()
if (bundle !== undefined) {
  // Stack traces name the TypeScript sources, not the bundle.
  process.setSourceMapsEnabled(true)
  await import(pathToFileURL(bundle).href)
} else {
  // Packages most commands use are loaded first: through the TypeScript loader each of
  // their ~60 files would be a round trip to its thread. The sources' imports of them then
  // find the same modules. (The bundle loads them where it needs them: deciding from kept
  // policies needs neither the validation nor the YAML library.)
  await Promise.all([import('commander'), import('zod'), import('yaml')])
  const { register } = await import('tsx/esm/api')
  register()
  await import('../src/cli/main.ts')
}
