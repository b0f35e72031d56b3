import fs from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { migrateCommandDatabase, openCommandContext } from '../cli/command-context.ts'
import { isoDate } from '../contracts/case.ts'
import { loadConfig } from '../shared/config.ts'
import { AppError } from '../shared/errors.ts'
import { operatorLanguage } from '../shared/messages/operator-language.ts'
import { cannotReadFile, echoed, parseWholeNumber } from '../shared/validate.ts'
import { formatSimulationText } from './domain/simulation-text.ts'

/** Where the commands write; a test passes its own. */
export interface CommandOutput {
  write(text: string): void
}

const stdout: CommandOutput = { write: (text) => process.stdout.write(text) }

function readDate(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined
  const parsed = isoDate.safeParse(value)
  if (!parsed.success) {
    throw new AppError(
      'validation',
      { key: 'validation.date', params: { field: flag, raw: echoed(value) } },
      { field: flag },
    )
  }
  return parsed.data
}

function readLimit(value: string | undefined): number {
  if (value === undefined) return 50
  return parseWholeNumber(value, '--limit', { min: 0, max: 100_000 })
}

/** The draft's policy id: the simulation compares it with that policy's past claims. */
async function readDraftPolicyId(yaml: string, name: string): Promise<string> {
  const { parsePolicyFile, policyFileError } = await import('../policies/index.ts')
  const parsed = parsePolicyFile(yaml, name)
  if (!parsed.ok) throw policyFileError(parsed.errors, 'yaml')
  return parsed.document.id
}

/** Command-line commands of the insight feature. */
export function registerReportCommands(program: Command, out: CommandOutput = stdout): void {
  program
    .command('simulate')
    .description(
      'Decide past claims of a policy with a draft version of it and show what would change (coverage, basis, remedies, payers, exclusions, clauses, cost)',
    )
    .argument('<draft>', 'the draft policy file (YAML); its id names the policy')
    .option('--from <date>', 'first day of claim creation to include, YYYY-MM-DD')
    .option('--to <date>', 'last day of claim creation to include, YYYY-MM-DD')
    .option('--limit <n>', 'how many changed claims to list (all are counted)', '50')
    .option(
      '--term <duration>',
      "what if the warranty term were this ISO 8601 duration, e.g. P3Y (default: the draft's coverage term when it changes it)",
    )
    .option('--json', 'print the whole result as JSON')
    .action(
      async (
        draft: string,
        options: { from?: string; to?: string; limit?: string; term?: string; json?: boolean },
      ) => {
        if (options.term !== undefined && !/^P(?=\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?$/.test(options.term)) {
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
        const from = readDate(options.from, '--from')
        const to = readDate(options.to, '--to')
        if (from && to && to < from)
          throw new AppError(
            'validation',
            { key: 'validation.not-before', params: { field: '--to', other: '--from' } },
            { field: '--to' },
          )
        const limit = readLimit(options.limit)
        let yaml: string
        try {
          yaml = fs.readFileSync(draft, 'utf8')
        } catch (error) {
          throw cannotReadFile(draft, error, 'draft')
        }
        const draftName = path.basename(draft)
        const policyId = await readDraftPolicyId(yaml, draftName)
        const { simulateDraftPolicy } = await import('./simulate-with-term.ts')
        const ctx = await openCommandContext(loadConfig())
        try {
          if (!ctx.policies.summary(policyId)) {
            throw new AppError(
              'validation',
              {
                key: 'reports.no-published-policy',
                params: { file: draftName, field: 'id', policy: policyId },
              },
              {
                field: 'id',
              },
            )
          }
          await migrateCommandDatabase(ctx.db)
          const result = await simulateDraftPolicy(ctx, {
            policyId,
            yaml,
            from,
            to,
            limit,
            draftName,
            term: options.term,
          })
          out.write(
            options.json
              ? `${JSON.stringify(result, null, 2)}\n`
              : formatSimulationText(result, operatorLanguage()),
          )
        } finally {
          await ctx.close()
        }
      },
    )
}
