import type { Command } from 'commander'
import { openCommandContext } from '../cli/command-context.ts'
import { loadConfig } from '../shared/config.ts'
import { AppError } from '../shared/errors.ts'
import { withInputNamed } from '../shared/input-fields.ts'
import { operatorLanguage, operatorText } from '../shared/messages/operator-language.ts'
import { render, translate } from '../shared/messages/translate.ts'
import { echoed, parseJsonFlag, parseOrThrow, parseWholeNumber } from '../shared/validate.ts'
import { CLAIM_ACTIONS, CLAIM_STATES } from './domain/claim-lifecycle.ts'

/** Exit code when a history chain is broken: the data was changed behind the system's back. */
export const EXIT_TAMPERED = 1

const parseLimit = (raw: string): number => parseWholeNumber(raw, '--limit', { min: 1, max: 10_000 })

/** Command-line commands of the claims feature. */
export function registerClaimCommands(program: Command): void {
  const claims = program.command('claims').description('Look at claims and take lifecycle steps')
  claims
    .command('list')
    .description('List claims, newest first')
    .option('--state <state>', `only claims in this state (${CLAIM_STATES.join(', ')})`)
    .option('--serial <serial>', 'only claims on this unit')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON lines')
    .action(async (options: { state?: string; serial?: string; limit: string; json?: boolean }) => {
      if (options.state !== undefined && !(CLAIM_STATES as readonly string[]).includes(options.state)) {
        throw new AppError(
          'validation',
          { key: 'cli.one-of', params: { flag: '--state', values: CLAIM_STATES.join(', ') } },
          {
            field: '--state',
          },
        )
      }
      const limit = parseLimit(options.limit)
      const { listClaims } = await import('./claim.store.ts')
      const ctx = await openCommandContext(loadConfig())
      try {
        const rows = await listClaims(ctx.db, {
          limit,
          ...(options.state === undefined ? {} : { state: options.state }),
          ...(options.serial === undefined ? {} : { serial: options.serial }),
        })
        for (const row of rows) {
          console.log(
            options.json
              ? JSON.stringify(row)
              : `${row.id}  ${row.rma_number ?? '-'}  ${row.state.padEnd(16)} ${row.serial}  ${row.policy_id}  ${row.opened_at}`,
          )
        }
        if (!options.json) console.log(operatorText('cli.claims.count', { count: rows.length }))
      } finally {
        await ctx.close()
      }
    })

  claims
    .command('show')
    .description('Show one claim with its history')
    .argument('<claim>', 'claim id')
    .option('--json', 'print JSON')
    .action(async (claimId: string, options: { json?: boolean }) => {
      const { findClaim, listEvents } = await import('./claim.store.ts')
      const ctx = await openCommandContext(loadConfig())
      try {
        const row = await findClaim(ctx.db, claimId)
        if (!row)
          throw new AppError(
            'not-found',
            { key: 'claims.cli.no-claim', params: { field: 'claim', id: echoed(claimId) } },
            { field: 'claim' },
          )
        const events = await listEvents(ctx.db, claimId)
        if (options.json) {
          console.log(JSON.stringify({ claim: row, events }, null, 2))
          return
        }
        console.log(
          `${row.id}  ${row.rma_number ?? operatorText('cli.claims.no-rma')}  ${row.state}  ${row.serial}  ${row.policy_id}`,
        )
        for (const event of events)
          console.log(`  ${event.seq}. ${event.at}  ${event.type}  ${event.actor_name}`)
      } finally {
        await ctx.close()
      }
    })

  claims
    .command('act')
    .description('Take a lifecycle step as a named user, with the same rules as the API')
    .argument('<claim>', 'claim id')
    .argument('<action>', `one of ${CLAIM_ACTIONS.join(', ')}`)
    .requiredOption('--as <email>', 'the user taking the step')
    .option('--body <json>', "the step's details as JSON, as the API takes them", undefined)
    .action(async (claimId: string, action: string, options: { as: string; body?: string }) => {
      const noSuchStep = () =>
        new AppError(
          'validation',
          { key: 'claims.cli.no-step', params: { field: 'action', step: echoed(action) } },
          { field: 'action' },
        )
      // A step that does not exist is refused before the steps themselves are loaded.
      if (!(CLAIM_ACTIONS as readonly string[]).includes(action)) throw noSuchStep()
      const [
        { CLAIM_ACTION_ENTRIES },
        { refusingUnknownFields },
        { resolveCommandLineActor },
        { findClaim },
      ] = await Promise.all([
        import('./claim-actions.ts'),
        import('../contracts/api/unknown-fields.ts'),
        import('../auth/index.ts'),
        import('./claim.store.ts'),
      ])
      const entry = CLAIM_ACTION_ENTRIES.find((e) => e.action === action)
      if (!entry) throw noSuchStep()
      // As the API does: a field the step does not name is refused, not dropped.
      const body = parseOrThrow(refusingUnknownFields(entry.body), parseJsonFlag(options.body), '--body')
      const ctx = await openCommandContext(loadConfig())
      try {
        const actor = await resolveCommandLineActor(ctx.db, options.as)
        const current = await findClaim(ctx.db, claimId)
        if (!current)
          throw new AppError(
            'not-found',
            { key: 'claims.cli.no-claim', params: { field: 'claim', id: echoed(claimId) } },
            { field: 'claim' },
          )
        // The step's own refusals name the field under --body, as the schema's do above.
        const claim = await withInputNamed(
          () => entry.run(ctx, actor, claimId, current.version, body),
          '--body',
          entry.body,
        )
        console.log(operatorText('cli.claims.step-done', { id: claim.id, action, state: claim.state }))
      } finally {
        await ctx.close()
      }
    })

  const audit = program.command('audit').description('Check the tamper-evident history of claims')
  audit
    .command('verify')
    .description(
      'Verify the hash chain of one claim, or of every claim; reports the first broken link (exit 1)',
    )
    .argument('[claim]', 'claim id; all claims when omitted')
    .option('--json', 'print the reports as JSON lines')
    .action(async (claimId: string | undefined, options: { json?: boolean }) => {
      const [{ verifyHistory }, { findClaim }] = await Promise.all([
        import('./claim-history.ts'),
        import('./claim.store.ts'),
      ])
      const ctx = await openCommandContext(loadConfig())
      try {
        const reports = await verifyHistory(ctx.db, claimId)
        // No events and no claim: the id names nothing, a wrong argument. A claim that is
        // there with its events gone is the tampering this command exists to report.
        if (
          claimId !== undefined &&
          reports.every((r) => r.events === 0) &&
          !(await findClaim(ctx.db, claimId))
        )
          throw new AppError(
            'not-found',
            { key: 'claims.cli.no-claim', params: { field: 'claim', id: echoed(claimId) } },
            { field: 'claim' },
          )
        const broken = reports.filter((r) => !r.ok)
        const language = operatorLanguage()
        for (const report of options.json ? reports : broken) {
          console.log(
            options.json
              ? JSON.stringify({
                  ...report,
                  broken: report.broken && { seq: report.broken.seq, reason: report.broken.reason },
                })
              : translate(language, 'audit.broken-at', {
                  claim: report.claimId,
                  seq: report.broken?.seq ?? 0,
                  why: report.broken ? render(language, report.broken.message) : '',
                }),
          )
        }
        const events = reports.reduce((sum, r) => sum + r.events, 0)
        if (!options.json) {
          console.log(
            broken.length === 0
              ? translate(language, 'audit.intact', { claims: reports.length, events })
              : translate(language, 'audit.some-broken', { broken: broken.length, claims: reports.length }),
          )
        }
        if (broken.length > 0) process.exitCode = EXIT_TAMPERED
      } finally {
        await ctx.close()
      }
    })
}
