#!/usr/bin/env node
// The project runs its TypeScript sources directly through tsx's loader: no build step
// stands between a checkout and a working command.
import { register } from 'tsx/esm/api'

// Packages nearly every command uses are loaded first, by Node's own loader: through the
// TypeScript loader each of their ~60 files would be a round trip to its thread (about
// 70 ms of CPU at every start). The sources' imports of them then find the same modules.
await Promise.all([import('commander'), import('zod'), import('yaml')])
register()
await import('../src/cli/main.ts')
