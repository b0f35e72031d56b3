import type { Command } from 'commander'
import { migrateCommandDatabase, openCommandContext } from '../cli/command-context.ts'
import { isoDate } from '../contracts/case.ts'
import { loadConfig } from '../shared/config.ts'
import { AppError, isAppError } from '../shared/errors.ts'
import { operatorLanguage, operatorText } from '../shared/messages/operator-language.ts'
import { echoed, refuseEmptyFlag } from '../shared/validate.ts'
import { formatReliabilityText } from './domain/reliability-text.ts'
import { termText } from './reliability.schemas.ts'

export interface CommandOutput {
  write(text: string): void
}

const stdout: CommandOutput = { write: (text) => process.stdout.write(text) }

/** The report refuses a day later than today naming its own field; here it came from --as-of. */
const asOfFlag = () =>
  new AppError(
    'validation',
    { key: 'validation.not-future', params: { field: '--as-of' } },
    { field: '--as-of' },
  )

/** Command-line commands of the reliability feature. */
export function registerReliabilityCommands(program: Command, out: CommandOutput = stdout): void {
  program
    .command('reliability')
    .description(
      'Field reliability of a model: Weibull and lognormal fits, survival, early warnings and warranty forecasts',
    )
    .requiredOption('--model <model>', 'catalogue name (matched as imports match it) or model id')
    .option('--batch <batch>', 'only this production batch')
    .option('--as-of <date>', "analysis date, YYYY-MM-DD (default today in the zone of the model's policies)")
    .option('--term <duration>', 'what if the warranty term were this ISO 8601 duration, e.g. P3Y')
    .option('--json', 'print the whole report as one JSON object')
    .action(
      async (options: { model: string; batch?: string; asOf?: string; term?: string; json?: boolean }) => {
        if (options.asOf !== undefined && !isoDate.safeParse(options.asOf).success) {
          throw new AppError(
            'validation',
            { key: 'validation.date', params: { field: '--as-of', raw: echoed(options.asOf) } },
            { field: '--as-of' },
          )
        }
        refuseEmptyFlag(options.batch, '--batch')
        // The API's own rule: a bare P, which names no years, months or days, is no term.
        if (options.term !== undefined && !termText.safeParse(options.term).success) {
          throw new AppError(
            'validation',
            {
              key: 'validation.duration',
              params: { field: '--term', example: 'P3Y', raw: echoed(options.term) },
            },
            {
              field: '--term',
            },
          )
        }
        const ctx = await openCommandContext(loadConfig())
        try {
          await migrateCommandDatabase(ctx.db)
          const { buildReliabilityReport } = await import('./build-reliability-report.ts')
          const report = await buildReliabilityReport(ctx, {
            model: options.model,
            batch: options.batch,
            asOf: options.asOf,
            term: options.term,
          }).catch((error: unknown) => {
            // The report names the model's field; here it came from --model.
            if (isAppError(error) && error.field === 'asOf') throw asOfFlag()
            if (isAppError(error) && error.code === 'not-found' && error.field === 'model')
              throw new AppError(
                'not-found',
                {
                  key: 'reliability.cli.no-model',
                  params: { field: '--model', model: echoed(options.model) },
                },
                { field: '--model' },
              )
            throw error
          })
          out.write(
            options.json
              ? `${JSON.stringify(report, null, 2)}\n`
              : formatReliabilityText(report, operatorLanguage()),
          )
        } finally {
          await ctx.close()
        }
      },
    )

  program
    .command('reliability-warnings')
    .description(
      'Run the monthly early-warning check on every model; each new warning is recorded once, sent as a reliability.warning event and e-mailed to the managers once',
    )
    .option(
      '--as-of <date>',
      "analysis date, YYYY-MM-DD (default each model's today in the zone of its policies)",
    )
    .action(async (options: { asOf?: string }) => {
      if (options.asOf !== undefined && !isoDate.safeParse(options.asOf).success) {
        throw new AppError(
          'validation',
          { key: 'validation.date', params: { field: '--as-of', raw: echoed(options.asOf) } },
          { field: '--as-of' },
        )
      }
      const ctx = await openCommandContext(loadConfig())
      try {
        await migrateCommandDatabase(ctx.db)
        const { raiseReliabilityFlags } = await import('./raise-flags.ts')
        const result = await raiseReliabilityFlags(ctx, options.asOf).catch((error: unknown) => {
          throw isAppError(error) && error.field === 'asOf' ? asOfFlag() : error
        })
        out.write(
          `${operatorText('cli.reliability.warnings', {
            models: result.models,
            warnings: result.warnings,
            raised: result.raised,
            mailed: result.mailed,
          })}\n`,
        )
      } finally {
        await ctx.close()
      }
    })
}
