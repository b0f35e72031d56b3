import fs from 'node:fs'
import cliProgress from 'cli-progress'
import { Argument, type Command } from 'commander'
import { migrateCommandDatabase, openCommandContext } from '../cli/command-context.ts'
import type { AppContext } from '../shared/app-context.ts'
import { loadConfig } from '../shared/config.ts'
import { AppError } from '../shared/errors.ts'
import { operatorLanguage, operatorText } from '../shared/messages/operator-language.ts'
import {
  cannotReadFile,
  cannotWriteFile,
  echoed,
  refuseEmptyFileFlag,
  refuseUnwritablePath,
} from '../shared/validate.ts'
import { openWholeFile } from '../shared/whole-file.ts'
import { formatImportSummary, type ImportSummary, rejectsPathBeside } from './csv-import.ts'
import { EXPORT_KINDS, type ExportKind } from './export-kinds.ts'
import type { ImportOptions } from './import-units.ts'

const IMPORT_KINDS = [...EXPORT_KINDS, 'models', 'claims'] as const
type ImportKind = (typeof IMPORT_KINDS)[number]

type Importer = (ctx: AppContext, options: ImportOptions) => Promise<ImportSummary>

/** Each import, loaded only once the command's arguments are checked. */
const IMPORTERS: Record<ImportKind, () => Promise<Importer>> = {
  units: async () => (await import('./import-units.ts')).importUnits,
  customers: async () => (await import('./import-parties.ts')).importCustomers,
  dealers: async () => (await import('./import-parties.ts')).importDealers,
  models: async () => (await import('./import-models.ts')).importModels,
  claims: async () => (await import('../reliability/index.ts')).importClaims,
}

async function withContext<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  // One command at a time: no read connection to keep apart, and none to keep a whole-file
  // import in the write-ahead log.
  const ctx = await openCommandContext(loadConfig(), { readConnection: false })
  try {
    await migrateCommandDatabase(ctx.db)
    return await work(ctx)
  } finally {
    await ctx.close()
  }
}

/** A progress bar on stderr, only when a person is watching a terminal. */
function createProgress(): { update(read: number, total: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update() {}, stop() {} }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      // The bar's own placeholders are left for it to fill.
      format: operatorText('cli.import.progress'),
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  )
  let started = false
  return {
    update(read, total) {
      if (!started) {
        bar.start(total, 0)
        started = true
      }
      bar.update(read)
    },
    stop() {
      if (started) bar.stop()
    },
  }
}

/** Command-line commands of the registry feature. */
export function registerRegistryCommands(program: Command): void {
  program
    .command('import')
    .description(
      'Import models, units, customers, dealers or past claims from a CSV file (re-importing the same file changes nothing)',
    )
    .addArgument(new Argument('<kind>', 'what the file holds').choices(IMPORT_KINDS))
    .argument('<file>', 'the CSV file, with a header row')
    .option('--rejects <path>', 'where to write rejected rows (default: FILE.rejects.csv beside the file)')
    .addHelpText(
      'after',
      `
Units need the columns serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer and may add
policy,policyVersion,activatedOn,customer (e-mail),batch,shippedBy,secondHand,proofOfPurchase,
warrantyCard,replacedBy. Customers need email,name; dealers need name,country,email.
Models (the catalogue, imported before units) need model,category,policy and may add
aliases and standardPackage (each |-separated), brand, selfChecks (|-separated), part,
warrantyTerm (P1Y), description, descriptionZh (the description in Chinese); any other
column is a specification of the model.
Claims (history from an earlier system, on units already imported) need
serial,claimedOn,problemKind,faultConfirmed,remedy and may add partsCost,labourCost,inboundFreight,
returnFreight (amounts such as 120.50), each with its payer column (partsCostPayer, labourCostPayer,
inboundFreightPayer, returnFreightPayer: vendor, dealer, manufacturer or customer), currency, and
exclusion (the finding that ruled out free service, such as liquid-damage or not-manufacturing-defect,
needed when a confirmed fault got no free remedy); they are stored closed and marked as imported, one per serial, claim day and problem kind.
Bad rows are written to the rejects file with their line, field and error; good rows are kept.`,
    )
    .action(async (kind: ImportKind, file: string, options: { rejects?: string }) => {
      if (!fs.existsSync(file))
        throw new AppError(
          'validation',
          { key: 'validation.no-such-file', params: { field: '<file>', file: echoed(file) } },
          { field: 'file' },
        )
      refuseUnreadable(file)
      refuseEmptyFileFlag(options.rejects, '--rejects')
      // Found only when the first row is rejected, the rows before it would be in already.
      refuseUnwritablePath(options.rejects ?? rejectsPathBeside(file), '--rejects')
      const importer = await IMPORTERS[kind]()
      await withContext(async (ctx) => {
        const progress = createProgress()
        try {
          const summary = await importer(ctx, {
            file,
            // This process serves nothing else while it imports.
            exclusive: true,
            ...(options.rejects ? { rejectsPath: options.rejects } : {}),
            onProgress: (read, total) => progress.update(read, total),
          })
          progress.stop()
          process.stdout.write(`${formatImportSummary(summary, operatorLanguage())}\n`)
          if (summary.rejected > 0) process.exitCode = 2
        } finally {
          progress.stop()
        }
      })
    })

  program
    .command('export')
    .description('Export units, customers or dealers as CSV that imports back cleanly')
    .addArgument(new Argument('<kind>', 'what to export').choices(EXPORT_KINDS))
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (kind: ExportKind, options: { out?: string }) => {
      refuseEmptyFileFlag(options.out, '--out')
      // The file is opened before anything is read, so a path that cannot be written is named
      // as the flag it came from, not thrown as a system error halfway; it takes its name
      // only whole, so a failed export leaves the previous one as it was.
      const target = options.out
        ? openWholeFile(options.out, (error) => cannotWriteFile(options.out ?? '', error, '--out'))
        : undefined
      try {
        const { exportRegistry } = await import('./export-registry.ts')
        await withContext(async (ctx) => {
          const count = await exportRegistry(ctx, kind, target?.stream ?? process.stdout)
          if (target) {
            await target.commit()
            process.stderr.write(
              `${operatorText('cli.export.written', { count, exportKind: kind, file: options.out ?? '' })}\n`,
            )
          }
        })
      } finally {
        target?.discard()
      }
    })

  program
    .command('units')
    .description('Look at registered units')
    .command('show')
    .description('Show one unit and its sale as JSON')
    .argument('<serial>', 'the serial printed on the unit')
    .action(async (serial: string) => {
      const [{ findUnitBySerial }, { toUnitView }] = await Promise.all([
        import('./unit.store.ts'),
        import('./unit-view.ts'),
      ])
      await withContext(async (ctx) => {
        const unit = await findUnitBySerial(ctx.db, serial)
        if (!unit)
          throw new AppError(
            'not-found',
            { key: 'registry.cli.no-unit', params: { field: 'serial', serial: echoed(serial) } },
            { field: 'serial' },
          )
        process.stdout.write(`${JSON.stringify(toUnitView(unit), null, 2)}\n`)
      })
    })
}

/**
 * Refuses a file the import could not read (a folder, no permission) as bad input naming
 * `<file>`; the import itself would stop on it as an unexpected failure.
 */
function refuseUnreadable(file: string): void {
  let fd: number | undefined
  try {
    fd = fs.openSync(file, 'r')
    fs.readSync(fd, Buffer.alloc(1), 0, 1, 0)
  } catch (error) {
    throw cannotReadFile(file, error, 'file', '<file>')
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}
