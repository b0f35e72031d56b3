import type { Command } from 'commander'
import { openCommandContext } from '../cli/command-context.ts'
import { minorToDecimal } from '../contracts/money.ts'
import type { Db } from '../db/database.ts'
import { loadConfig } from '../shared/config.ts'
import { AppError } from '../shared/errors.ts'
import { operatorText } from '../shared/messages/operator-language.ts'
import {
  cannotWriteFile,
  echoed,
  parseJsonFlag,
  parseOrThrow,
  parseWholeNumber,
  refuseEmptyFlag,
} from '../shared/validate.ts'
import { openWholeFile } from '../shared/whole-file.ts'
import { isEmptyDraft, RECOVERY_STATES } from './domain/recovery-lifecycle.ts'
import { ACTION_BODIES } from './recovery.schemas.ts'

/*
 * What each command runs is loaded once its flags are checked (see command-context.ts).
 * The system actor comes from the sign-in module, loaded with the rest.
 */
const systemActor = async () => (await import('../auth/index.ts')).SYSTEM_ACTOR

const money = (minor: number, currency: string) => `${minorToDecimal(minor, currency)} ${currency}`

/** Command-line commands of the recoveries feature: the ledger, statements, derivation and steps. */
export function registerRecoveryCommands(program: Command): void {
  const recoveries = program
    .command('recoveries')
    .description('Recovery claims: what makers and suppliers owe for service work')

  recoveries
    .command('list')
    .description('List recovery claims, newest first')
    .option('--org <id>', 'only those where this organisation is creditor or debtor')
    .option('--state <state>', `only in this state (${RECOVERY_STATES.join(', ')})`)
    .option('--limit <n>', 'at most this many (1 to 200)', '50')
    .option('--json', 'print JSON lines')
    .action(async (options: { org?: string; state?: string; limit: string; json?: boolean }) => {
      if (options.state !== undefined && !(RECOVERY_STATES as readonly string[]).includes(options.state))
        throw new AppError(
          'validation',
          { key: 'cli.one-of', params: { flag: '--state', values: RECOVERY_STATES.join(', ') } },
          {
            field: '--state',
          },
        )
      const limit = parseWholeNumber(options.limit, '--limit', { min: 1, max: 200 })
      const [{ listRecoveries }, { toRecoveryViews }, actor] = await Promise.all([
        import('./recovery.store.ts'),
        import('./recovery-view.ts'),
        systemActor(),
      ])
      const ctx = await openCommandContext(loadConfig())
      try {
        await refuseUnknownOrganisation(ctx.db, options.org)
        const rows = await listRecoveries(ctx.db, {
          limit,
          ...(options.org ? { orgId: options.org } : {}),
          ...(options.state ? { state: options.state } : {}),
        })
        for (const view of await toRecoveryViews(ctx.db, rows, actor)) {
          console.log(
            options.json
              ? JSON.stringify(view)
              : `${view.id}  ${view.state.padEnd(15)} ${view.creditor.name} → ${view.debtor.name}  ${view.period}  ${money(view.totals.claimedMinor, view.currency)}${view.late ? `  ${operatorText('cli.recoveries.late')}` : ''}`,
          )
        }
        if (!options.json) console.log(operatorText('cli.recoveries.count', { count: rows.length }))
      } finally {
        await ctx.close()
      }
    })

  recoveries
    .command('derive')
    .description(
      'Derive recovery lines for claims whose work changed since (or for one claim); safe to repeat',
    )
    .option('--claim <id>', 'only this claim')
    .option('--limit <n>', 'at most this many claims', '500')
    .action(async (options: { claim?: string; limit: string }) => {
      const limit = parseWholeNumber(options.limit, '--limit', { min: 1, max: 100_000 })
      const { runRecoverySweep } = await import('./run-recovery-sweep.ts')
      const ctx = await openCommandContext(loadConfig())
      try {
        await refuseUnknownClaim(ctx.db, options.claim)
        const report = await runRecoverySweep(ctx, {
          ...(options.claim ? { claimId: options.claim } : {}),
          limit,
        })
        console.log(
          operatorText('cli.recoveries.derived', {
            claims: report.claims,
            lines: report.linesWritten,
            recoveries: report.recoveryIds.length,
          }),
        )
      } finally {
        await ctx.close()
      }
    })

  recoveries
    .command('ledger')
    .description('Owed, submitted, accepted, paid and written off per counterparty, month and currency')
    .option('--org <id>', 'from this organisation’s side')
    .action(async (options: { org?: string }) => {
      const [{ summarizeRecoveries }, actor] = await Promise.all([
        import('./summarize-recoveries.ts'),
        systemActor(),
      ])
      const ctx = await openCommandContext(loadConfig())
      try {
        await refuseUnknownOrganisation(ctx.db, options.org)
        for (const row of await summarizeRecoveries(ctx.db, actor, options.org)) {
          const m = (minor: number) => money(minor, row.currency)
          console.log(
            operatorText('cli.recoveries.ledger-row', {
              month: row.month,
              organisation: row.organisation.name,
              arrow: row.direction === 'receivable' ? '←' : '→',
              counterparty: row.counterparty.name,
              owed: m(row.owedMinor),
              submitted: m(row.submittedMinor),
              accepted: m(row.acceptedMinor),
              paid: m(row.paidMinor),
              writtenOff: m(row.writtenOffMinor),
            }),
          )
        }
      } finally {
        await ctx.close()
      }
    })

  recoveries
    .command('statement')
    .description('Write the statement of a recovery claim for an outside counterparty')
    .argument('<id>', 'recovery claim id')
    .requiredOption('--out <file>', 'where to write it; .csv writes CSV, anything else PDF')
    .option('--locale <locale>', 'en or zh', 'en')
    .action(async (id: string, options: { out: string; locale: string }) => {
      if (options.locale !== 'en' && options.locale !== 'zh')
        throw new AppError(
          'validation',
          { key: 'cli.locale', params: { flag: '--locale' } },
          { field: '--locale' },
        )
      // Opened first, so a path that cannot be written is refused before any work; the
      // statement takes the name only whole (see openWholeFile).
      const target = openWholeFile(options.out, (error) => cannotWriteFile(options.out, error, '--out'))
      const [{ findRecovery }, { toRecoveryViews }, statement, actor] = await Promise.all([
        import('./recovery.store.ts'),
        import('./recovery-view.ts'),
        import('./recovery-statement.ts'),
        systemActor(),
      ])
      const ctx = await openCommandContext(loadConfig())
      try {
        const row = await findRecovery(ctx.db, id)
        const [view] = row ? await toRecoveryViews(ctx.db, [row], actor) : []
        // A draft whose every line was withdrawn is no claim on anyone, as the API answers.
        if (!view || isEmptyDraft(view.state, view.lines.length))
          throw new AppError(
            'validation',
            { key: 'recovery.cli.no-claim', params: { field: 'id', id: echoed(id) } },
            { field: 'id' },
          )
        const bytes = options.out.endsWith('.csv')
          ? statement.renderRecoveryStatementCsv(view, options.locale)
          : await statement.renderRecoveryStatementPdf(view, options.locale)
        target.stream.write(bytes)
        await target.commit()
        console.log(
          operatorText('cli.recoveries.statement-written', {
            file: options.out,
            lines: view.lines.length,
            amount: money(view.totals.claimedMinor, view.currency),
          }),
        )
      } finally {
        target.discard()
        await ctx.close()
      }
    })

  recoveries
    .command('act')
    .description('Take one step on a recovery claim as a named user (staff record an outside answer)')
    .argument('<id>', 'recovery claim id')
    .argument('<action>', Object.keys(ACTION_BODIES).join(', '))
    .requiredOption('--as <email>', 'the user taking the step')
    .option('--body <json>', 'the step’s input as JSON')
    .action(async (id: string, action: string, options: { as: string; body?: string }) => {
      const [{ resolveCommandLineActor }, { refusingUnknownFields }, { findRecovery }, step] =
        await Promise.all([
          import('../auth/index.ts'),
          import('../contracts/api/unknown-fields.ts'),
          import('./recovery.store.ts'),
          import('./take-recovery-step.ts'),
        ])
      const ctx = await openCommandContext(loadConfig())
      try {
        const actor = await resolveCommandLineActor(ctx.db, options.as)
        const row = await findRecovery(ctx.db, id)
        if (!row)
          throw new AppError(
            'validation',
            { key: 'recovery.cli.no-claim', params: { field: 'id', id: echoed(id) } },
            { field: 'id' },
          )
        const body = parseJsonFlag(options.body)
        // As the API does: a field the step does not name is refused, not dropped.
        if (step.isRecoveryAction(action))
          parseOrThrow(refusingUnknownFields(ACTION_BODIES[action]), body ?? {}, '--body')
        const updated = await step.takeRecoveryStep(
          ctx,
          actor,
          id,
          action,
          Number(row.version),
          body,
          '--body',
        )
        console.log(
          operatorText('cli.recoveries.step-done', {
            id: updated.id,
            recoveryState: updated.state,
            partState: updated.part_state,
          }),
        )
      } finally {
        await ctx.close()
      }
    })
}

/**
 * Refuses an `--org` that names no organisation: an empty one read as no `--org` at all, and
 * an unknown one as an organisation with nothing owed, neither the mistake it is.
 */
async function refuseUnknownOrganisation(db: Db, org: string | undefined): Promise<void> {
  if (org === undefined) return
  refuseEmptyFlag(org, '--org')
  const found = await db.selectFrom('organisations').select('id').where('id', '=', org).executeTakeFirst()
  if (found) return
  throw new AppError(
    'validation',
    { key: 'registry.organisation.unknown', params: { field: '--org', id: echoed(org) } },
    { field: '--org' },
  )
}

/**
 * Refuses a `--claim` that names no claim: an empty one derived every claim changed since, and
 * an unknown one derived nothing, each reported as done.
 */
async function refuseUnknownClaim(db: Db, claim: string | undefined): Promise<void> {
  if (claim === undefined) return
  refuseEmptyFlag(claim, '--claim')
  const found = await db.selectFrom('claims').select('id').where('id', '=', claim).executeTakeFirst()
  if (found) return
  throw new AppError(
    'validation',
    { key: 'claims.cli.no-claim', params: { field: '--claim', id: echoed(claim) } },
    { field: '--claim' },
  )
}
