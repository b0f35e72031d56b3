import type { Command } from 'commander'
import { migrateCommandDatabase, openCommandContext } from '../cli/command-context.ts'
import { loadConfig } from '../shared/config.ts'
import { withFlagNames } from '../shared/flag-errors.ts'
import { operatorText } from '../shared/messages/operator-language.ts'
import { parseOrThrow } from '../shared/validate.ts'
import { CreateUserBody } from './auth.schemas.ts'
import { generatePassword } from './secrets.ts'

interface UserAddOptions {
  email: string
  role: string
  name: string
  org?: string
  customer?: string
  password?: string
}

/** Command-line commands of the auth feature. */
export function registerAuthCommands(program: Command): void {
  const user = program.command('user').description('Manage users')
  user
    .command('add')
    .description('Create a user; prints a generated password when --password is not given')
    .requiredOption('--email <email>', 'e-mail address (the sign-in name)')
    .requiredOption('--role <role>', 'customer, dealer, support, technician, manager, admin or integration')
    .requiredOption('--name <name>', 'display name')
    .option('--org <ORGID>', 'organisation of a dealer user')
    .option('--customer <ID>', 'registry customer of a customer user')
    .option('--password <P>', 'password (at least 10 characters)')
    .action(async (options: UserAddOptions) => {
      const generated = options.password === undefined && options.role !== 'integration'
      const input = withFlagNames(
        () =>
          parseOrThrow(CreateUserBody, {
            email: options.email,
            role: options.role,
            name: options.name,
            orgId: options.org ?? null,
            customerId: options.customer ?? null,
            password: options.password ?? (generated ? generatePassword() : undefined),
          }),
        FLAG_OF_FIELD,
      )
      const ctx = await openCommandContext(loadConfig())
      try {
        await migrateCommandDatabase(ctx.db)
        const { createUser } = await import('./create-user.ts')
        const created = await withFlagNames(() => createUser(ctx.db, input, ctx.now()), FLAG_OF_FIELD)
        console.log(
          operatorText('cli.user.created', { role: created.role, email: created.email, id: created.id }),
        )
        if (generated) console.log(operatorText('cli.password', { password: input.password ?? '' }))
      } finally {
        await ctx.close()
      }
    })
}

/** The flags the fields of a new user come from, for errors an operator can act on. */
const FLAG_OF_FIELD: Record<string, string> = {
  email: '--email',
  role: '--role',
  name: '--name',
  orgId: '--org',
  customerId: '--customer',
  password: '--password',
}
