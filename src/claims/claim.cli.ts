import type { Command } from 'commander'
import { buildContext } from '../app/build-context.ts'
import { loadConfig } from '../shared/config.ts'
import { verifyHistory } from './claim-history.ts'

/** Exit code when a history chain is broken: the data was changed behind the system's back. */
export const EXIT_TAMPERED = 1

/** Command-line commands of the claims feature. */
export function registerClaimCommands(program: Command): void {
  const audit = program.command('audit').description('Check the tamper-evident history of claims')
  audit
    .command('verify')
    .description(
      'Verify the hash chain of one claim, or of every claim; reports the first broken link (exit 1)',
    )
    .argument('[claim]', 'claim id; all claims when omitted')
    .option('--json', 'print the reports as JSON lines')
    .action(async (claimId: string | undefined, options: { json?: boolean }) => {
      const ctx = buildContext(loadConfig())
      try {
        const reports = await verifyHistory(ctx.db, claimId)
        const broken = reports.filter((r) => !r.ok)
        for (const report of options.json ? reports : broken) {
          console.log(
            options.json
              ? JSON.stringify(report)
              : `claim ${report.claimId}: broken at event ${report.broken?.seq}: ${report.broken?.reason}`,
          )
        }
        const events = reports.reduce((sum, r) => sum + r.events, 0)
        if (!options.json) {
          console.log(
            broken.length === 0
              ? `${reports.length} claims, ${events} events: every chain is intact`
              : `${broken.length} of ${reports.length} claims have a broken chain`,
          )
        }
        if (claimId && reports.length === 1 && reports[0]?.events === 0) process.exitCode = EXIT_TAMPERED
        if (broken.length > 0) process.exitCode = EXIT_TAMPERED
      } finally {
        await ctx.close()
      }
    })
}
