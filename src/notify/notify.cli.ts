import os from 'node:os'
import type { Command } from 'commander'
import { openCommandContext } from '../cli/command-context.ts'
import { loadConfig } from '../shared/config.ts'
import { operatorText } from '../shared/messages/operator-language.ts'

/**
 * Command-line commands of the notifications feature: deliver what is due now, for
 * installations that schedule work from outside (cron) instead of running `serve`.
 */
export function registerNotifyCommands(program: Command): void {
  const outbox = program.command('outbox').description('Outgoing e-mail and webhooks')
  outbox
    .command('deliver')
    .description('Send the e-mails and webhooks that are due, with the same leases and retries as the server')
    .action(async () => {
      const ctx = await openCommandContext(loadConfig())
      try {
        const { deliverDueMessages } = await import('./deliver-outbox.ts')
        const report = await deliverDueMessages(ctx, {
          now: ctx.now(),
          workerId: `${os.hostname()}:${process.pid}`,
          batchSize: 200,
        })
        console.log(
          operatorText('cli.outbox.delivered', {
            claimed: report.claimed,
            sent: report.sent,
            retried: report.retried,
            failed: report.failed,
            lost: report.lost,
          }),
        )
      } finally {
        await ctx.close()
      }
    })
}
