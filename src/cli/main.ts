import { Command, CommanderError } from 'commander'
import { isAppError } from '../shared/errors.ts'
import { operatorLanguage } from '../shared/messages/operator-language.ts'
import { translate } from '../shared/messages/translate.ts'
import { ALL_GROUPS, GROUP_OF_COMMAND } from './command-groups.ts'
import { commanderErrorIn } from './commander-errors.ts'
import { localizeHelp } from './localize-help.ts'

/** Exit codes: 0 done, 1 unexpected failure, 2 bad input (flags, files, cases). */
export const EXIT_BAD_INPUT = 2

const program = new Command()
  .name('aftercare')
  .description('After-sales service: warranty, returns, replacements and repairs')
  .showHelpAfterError()
  .configureOutput({
    outputError: (text, write) => write(commanderErrorIn(operatorLanguage(process.env), text)),
  })
  .exitOverride()
localizeHelp(program, operatorLanguage(process.env))

const requested = process.argv[2]
const onlyGroup = requested === undefined ? undefined : GROUP_OF_COMMAND[requested]
for (const load of onlyGroup ? [onlyGroup] : ALL_GROUPS) (await load())(program)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_BAD_INPUT
  } else if (isAppError(error)) {
    const language = operatorLanguage(process.env)
    // Several fields wrong at once are each named, so one run shows everything to mend.
    const issues = error.issuesIn(language)
    // Two fields from one flag (--country is the seller's and its address's) are said once.
    const messages =
      issues.length > 1 ? [...new Set(issues.map((issue) => issue.message))] : [error.messageIn(language)]
    for (const message of messages) process.stderr.write(`${translate(language, 'cli.error', { message })}\n`)
    // A record named on the command line that does not exist is a wrong argument, as is
    // any refused field; only what the input could not have caused is unexpected.
    const badInput = error.code === 'validation' || (error.code === 'not-found' && error.field !== undefined)
    process.exitCode = badInput ? EXIT_BAD_INPUT : 1
  } else {
    process.stderr.write(
      `aftercare: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    process.exitCode = 1
  }
}
