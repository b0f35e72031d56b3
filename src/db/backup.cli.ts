import path from 'node:path'
import type { Command } from 'commander'
import { migrateCommandDatabase, openCommandContext } from '../cli/command-context.ts'
import { loadConfig } from '../shared/config.ts'
import { operatorText } from '../shared/messages/operator-language.ts'

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('Write every table to FILE as JSON lines, from one consistent snapshot (either engine)')
    .argument('<FILE>', 'where to write the backup')
    .action(async (file: string) => {
      const { backupDatabase } = await import('./backup.ts')
      const ctx = await openCommandContext(loadConfig())
      try {
        const report = await backupDatabase(ctx.db, ctx.engine, path.resolve(file), ctx.now())
        console.log(operatorText('cli.backup.written', { rows: report.rows, tables: report.tables, file }))
      } finally {
        await ctx.close()
      }
    })

  program
    .command('restore')
    .description('Load a backup into an empty database (migrated first), all in one transaction')
    .argument('<FILE>', 'a file written by `aftercare backup`')
    .option('--force', 'empty a database that already holds data before restoring')
    .action(async (file: string, options: { force?: boolean }) => {
      const { restoreDatabase } = await import('./backup.ts')
      const ctx = await openCommandContext(loadConfig())
      try {
        await migrateCommandDatabase(ctx.db)
        const report = await restoreDatabase(ctx.db, ctx.engine, path.resolve(file), {
          force: options.force === true,
        })
        console.log(operatorText('cli.restore.done', { rows: report.rows, tables: report.tables, file }))
      } finally {
        await ctx.close()
      }
    })
}
