#!/usr/bin/env node
// The project runs its TypeScript sources directly through tsx's loader: no build step
// stands between a checkout and a working command.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/main.ts')
