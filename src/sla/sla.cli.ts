import type { Command } from 'commander'
import { openCommandContext } from '../cli/command-context.ts'
import { loadConfig } from '../shared/config.ts'
import { operatorText } from '../shared/messages/operator-language.ts'

/**
 * Command-line commands of the service-level feature: one sweep on demand, for
 * installations that schedule work from outside (cron) instead of running `serve`.
 */
export function registerSlaCommands(program: Command): void {
  const sla = program.command('sla').description('Service-level clocks')
  sla
    .command('sweep')
    .description(
      'Warn on clocks at 75 % of their time and mark breaches, once each; notifies through the outbox',
    )
    .action(async () => {
      const ctx = await openCommandContext(loadConfig())
      try {
        const { runSlaSweep } = await import('./sla-sweep.ts')
        const { warned, breached } = await runSlaSweep(ctx, { now: ctx.now() })
        console.log(operatorText('cli.sla.swept', { warned, breached }))
      } finally {
        await ctx.close()
      }
    })
}
