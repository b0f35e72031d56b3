import type { Command } from 'commander'
import { heapGrowthPercent, limitHeapGrowth, settleHeap } from '../app/heap-growth.ts'
import type { runServer } from '../app/run-server.ts'
import { registerBackupCommands } from '../db/backup.cli.ts'
import type { AppContext } from '../shared/app-context.ts'
import { loadConfig, parseListenHost } from '../shared/config.ts'
import { AppError } from '../shared/errors.ts'
import { operatorLanguage, operatorText } from '../shared/messages/operator-language.ts'
import { echoed, parseWholeNumber } from '../shared/validate.ts'
import { migrateCommandDatabase, openCommandContext } from './command-context.ts'
import { startBanner } from './start-banner.ts'

const parsePort = (raw: string): number => parseWholeNumber(raw, '--port', { min: 0, max: 65535 })

interface ListenOptions {
  port?: string
  host?: string
}

function configFromOptions(options: ListenOptions) {
  return loadConfig(process.env, {
    ...(options.port === undefined ? {} : { port: parsePort(options.port) }),
    ...(options.host === undefined ? {} : { host: parseListenHost(options.host, '--host') }),
  })
}

/** Where the address and port came from, for a refusal to name. */
const listenFields = (options: ListenOptions) => ({
  host: options.host === undefined ? 'HOST' : '--host',
  port: options.port === undefined ? 'PORT' : '--port',
})

/**
 * A listen the system refused because of the address or port asked for is bad input naming
 * that flag (or variable), not an unexpected failure with a stack trace.
 */
function listenRefusal(
  error: unknown,
  config: { host: string; port: number },
  fields: { host: string; port: string },
): AppError | undefined {
  const code = (error as { code?: unknown }).code
  const host = echoed(config.host)
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new AppError(
        'validation',
        { key: 'config.host-not-found', params: { field: fields.host, host } },
        { field: fields.host },
      )
    case 'EADDRNOTAVAIL':
      return new AppError(
        'validation',
        { key: 'config.host-not-here', params: { field: fields.host, host } },
        { field: fields.host },
      )
    case 'EADDRINUSE':
      return new AppError(
        'validation',
        { key: 'config.port-in-use', params: { field: fields.port, port: config.port, host } },
        { field: fields.port },
      )
    case 'EACCES':
      return new AppError(
        'validation',
        { key: 'config.port-denied', params: { field: fields.port, port: config.port } },
        { field: fields.port },
      )
    default:
      return undefined
  }
}

/** Serves until SIGINT or SIGTERM, then lets running work finish and closes the database. */
async function serveUntilStopped(
  ctx: AppContext & { close(): Promise<void> },
  fields: { host: string; port: string },
) {
  limitHeapGrowth(heapGrowthPercent())
  const { rateLimitsFromEnv, runServer } = await import('../app/run-server.ts')
  let server: Awaited<ReturnType<typeof runServer>>
  try {
    server = await runServer(ctx, {
      host: ctx.config.host,
      port: ctx.config.port,
      logger: process.env.AFTERCARE_LOG === '1',
      rateLimits: rateLimitsFromEnv(),
    })
  } catch (error) {
    await ctx.close()
    throw listenRefusal(error, ctx.config, fields) ?? error
  }
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await server.stop()
    await ctx.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
  const started = performance.now()
  void server.app.warrantyCacheFilled.then((units) => {
    settleHeap()
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    if (units > 0) console.log(operatorText('cli.serve.cache-filled', { units, seconds }))
  })
  return server.address
}

export function registerServerCommands(program: Command): void {
  program
    .command('migrate')
    .description('Create or update the database tables (SQLite in the data folder, or DATABASE_URL)')
    .action(async () => {
      const ctx = await openCommandContext(loadConfig())
      try {
        const { applied } = await migrateCommandDatabase(ctx.db)
        console.log(
          applied.length
            ? operatorText('cli.migrate.applied', { count: applied.length })
            : operatorText('cli.migrate.up-to-date'),
        )
      } finally {
        await ctx.close()
      }
    })

  program
    .command('serve')
    .description('Serve the API and web app, and run the outbox and SLA workers')
    .option('--port <port>', 'port to listen on (default PORT or 3000; 0 picks a free one)')
    .option('--host <host>', 'address to listen on (default HOST or 127.0.0.1)')
    .action(async (options: ListenOptions) => {
      // The server answers a write only after its group flush (see openDatabase).
      const ctx = await openCommandContext(configFromOptions(options), { durability: 'group' })
      await migrateCommandDatabase(ctx.db)
      const address = await serveUntilStopped(ctx, listenFields(options))
      console.log(operatorText('cli.serve.serving', { address, engine: ctx.engine }))
    })

  program
    .command('start')
    .description('Migrate, seed the demo on an empty database, build the web app if needed, and serve')
    .option('--port <port>', 'port to listen on (default PORT or 3000; 0 picks a free one)')
    .option('--host <host>', 'address to listen on (default HOST or 127.0.0.1)')
    .action(async (options: ListenOptions) => {
      // The server answers a write only after its group flush (see openDatabase).
      const ctx = await openCommandContext(configFromOptions(options), { durability: 'group' })
      const [{ withStartLock }, { listDemoSignIns, seedDemoOnFirstStart }, { buildWebIfStale }] =
        await Promise.all([
          import('../db/migration-lock.ts'),
          import('../app/seed-demo.ts'),
          import('../app/build-web.ts'),
        ])
      // Another first start on the same database waits until the demo is whole, then finds it.
      try {
        await withStartLock(ctx.db, async () => {
          const { applied } = await migrateCommandDatabase(ctx.db)
          if (applied.length > 0) console.log(operatorText('cli.start.applied', { count: applied.length }))
          await seedDemoOnFirstStart(ctx, () => console.log(operatorText('cli.start.seeding')))
        })
      } catch (error) {
        // A seeding refused on losing the lock may still be writing through the pool: closing
        // it stops the seeding at its next query, and lets the process end once it is refused.
        await ctx.close()
        throw error
      }
      await buildWebIfStale((line) => console.log(operatorText(line)))
      const signIns = await listDemoSignIns(ctx)
      const address = await serveUntilStopped(ctx, listenFields(options))
      console.log(startBanner(operatorLanguage(), { address, engine: ctx.engine, signIns }).join('\n'))
    })

  registerBackupCommands(program)
}
