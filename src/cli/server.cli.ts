import type { Command } from 'commander'
import { buildContext } from '../app/build-context.ts'
import { migrateToLatest } from '../db/migrations.ts'
import { buildApp } from '../http/app.ts'
import { loadConfig } from '../shared/config.ts'
import { AppError } from '../shared/errors.ts'

function parsePort(raw: string): number {
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AppError('validation', `--port must be a whole number from 0 to 65535, got "${raw}"`, {
      field: '--port',
    })
  }
  return port
}

export function registerServerCommands(program: Command): void {
  program
    .command('migrate')
    .description('Create or update the database tables (SQLite in the data folder, or DATABASE_URL)')
    .action(async () => {
      const ctx = buildContext(loadConfig())
      try {
        const { applied } = await migrateToLatest(ctx.db)
        console.log(applied.length ? `applied ${applied.length} migrations` : 'database is up to date')
      } finally {
        await ctx.close()
      }
    })

  program
    .command('serve')
    .description('Serve the API and web app')
    .option('--port <port>', 'port to listen on (default PORT or 3000)')
    .option('--host <host>', 'address to listen on (default HOST or 127.0.0.1)')
    .action(async (options: { port?: string; host?: string }) => {
      const config = loadConfig(process.env, {
        ...(options.port === undefined ? {} : { port: parsePort(options.port) }),
        ...(options.host === undefined ? {} : { host: options.host }),
      })
      const ctx = buildContext(config)
      await migrateToLatest(ctx.db)
      const app = await buildApp(ctx, { logger: process.env.AFTERCARE_LOG === '1' })
      const address = await app.listen({ port: config.port, host: config.host })
      console.log(`Aftercare is serving on ${address} (${ctx.engine})`)
    })
}
