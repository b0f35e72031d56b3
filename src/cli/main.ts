import { Command, CommanderError } from 'commander'
import { registerAuthCommands } from '../auth/auth.cli.ts'
import { registerClaimCommands } from '../claims/claim.cli.ts'
import { registerPolicyCommands } from '../policies/policy.cli.ts'
import { registerRegistryCommands } from '../registry/registry.cli.ts'
import { registerReportCommands } from '../reports/report.cli.ts'
import { isAppError } from '../shared/errors.ts'
import { registerServerCommands } from './server.cli.ts'

/** Exit codes: 0 done, 1 unexpected failure, 2 bad input (flags, files, cases). */
export const EXIT_BAD_INPUT = 2

const program = new Command()
  .name('aftercare')
  .description('After-sales service: warranty, returns, replacements and repairs')
  .showHelpAfterError()
  .exitOverride()

registerServerCommands(program)
registerPolicyCommands(program)
registerRegistryCommands(program)
registerAuthCommands(program)
registerClaimCommands(program)
registerReportCommands(program)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_BAD_INPUT
  } else if (isAppError(error) && error.code === 'validation') {
    process.stderr.write(`aftercare: ${error.message}\n`)
    process.exitCode = EXIT_BAD_INPUT
  } else if (isAppError(error)) {
    process.stderr.write(`aftercare: ${error.message}\n`)
    process.exitCode = 1
  } else {
    process.stderr.write(
      `aftercare: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    process.exitCode = 1
  }
}
