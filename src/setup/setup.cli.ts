import type { Command } from 'commander'
import { migrateCommandDatabase, openCommandContext } from '../cli/command-context.ts'
import type { AppContext } from '../shared/app-context.ts'
import { loadConfig } from '../shared/config.ts'
import { AppError } from '../shared/errors.ts'
import { withFlagNames as withFlagNamesOf } from '../shared/flag-errors.ts'
import { operatorText } from '../shared/messages/operator-language.ts'
import { echoed, parseOrThrow, parseWholeNumber } from '../shared/validate.ts'
import { findPrimarySellerId, loadSellerSettings } from './seller-settings.store.ts'
import { SellerSettingsPatch, SetupBody } from './setup.schemas.ts'

/** The flag that carries each input field, so an error names what the person typed. */
const FLAG_OF_FIELD: Record<string, string> = {
  seller: '--seller',
  adminEmail: '--admin',
  adminName: '--admin-name',
  password: '--password',
  policy: '--policy',
  country: '--country',
  email: '--email',
  phone: '--phone',
  'address.line1': '--street',
  'address.city': '--city',
  'address.postcode': '--postcode',
  'address.region': '--region',
  'address.country': '--country',
  supportHours: '--support-hours',
  'bank.bankName': '--bank-name',
  'bank.accountName': '--account-name',
  'bank.accountNumber': '--account-number',
  'bank.swift': '--swift',
  paymentLink: '--payment-link',
  paymentMethod: '--payment-method',
  terms: '--terms',
  termsZh: '--terms-zh',
  quoteValidityDays: '--quote-validity-days',
}

/** Runs input checks and reports a failing field by its flag name (`--admin`, not `adminEmail`). */
const withFlagNames = <T>(work: () => T): T => withFlagNamesOf(work, FLAG_OF_FIELD)

interface SettingsFlags {
  supportHours?: string
  bankName?: string
  accountName?: string
  accountNumber?: string
  swift?: string
  paymentLink?: string
  paymentMethod?: string
  terms?: string
  termsZh?: string
  quoteValidityDays?: string
}

interface InitFlags extends SettingsFlags {
  seller: string
  admin: string
  adminName?: string
  password?: string
  policy?: string
  country?: string
  email?: string
  phone?: string
  street?: string
  city?: string
  postcode?: string
  region?: string
}

function settingsInput(flags: SettingsFlags): Record<string, unknown> {
  const bank =
    flags.bankName || flags.accountName || flags.accountNumber || flags.swift
      ? {
          bankName: flags.bankName,
          accountName: flags.accountName,
          accountNumber: flags.accountNumber,
          ...(flags.swift ? { swift: flags.swift } : {}),
        }
      : undefined
  const input: Record<string, unknown> = {
    supportHours: flags.supportHours,
    bank,
    paymentLink: flags.paymentLink,
    paymentMethod: flags.paymentMethod,
    terms: flags.terms,
    termsZh: flags.termsZh,
    quoteValidityDays:
      flags.quoteValidityDays === undefined
        ? undefined
        : parseWholeNumber(flags.quoteValidityDays, '--quote-validity-days', { min: 1, max: 365 }),
  }
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined))
}

function addSettingsFlags(command: Command): Command {
  return command
    .option('--support-hours <TEXT>', 'support hours shown to customers (default "Mon–Fri 09:00–18:00")')
    .option('--bank-name <NAME>', 'bank for transfers')
    .option('--account-name <NAME>', 'account holder for transfers')
    .option('--account-number <NUMBER>', 'account number or IBAN for transfers')
    .option('--swift <BIC>', 'SWIFT/BIC code of the bank')
    .option('--payment-link <URL>', 'a payment page; {claim} in it becomes the claim number')
    .option('--payment-method <METHOD>', 'bank-transfer or payment-link (default: what was given)')
    .option('--terms <TEXT>', 'terms printed on quotes and repair orders')
    .option('--terms-zh <TEXT>', 'the same terms in Chinese, printed on Chinese documents')
    .option('--quote-validity-days <N>', 'days a quote stays open (default 14)')
}

async function withContext<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openCommandContext(loadConfig())
  try {
    await migrateCommandDatabase(ctx.db)
    return await work(ctx)
  } finally {
    await ctx.close()
  }
}

/** `aftercare init` and `aftercare settings`: a seller's first day without the demo. */
export function registerSetupCommands(program: Command): void {
  addSettingsFlags(
    program
      .command('init')
      .description(
        'Set up a new installation: the seller, its first admin (a password is generated and printed when none is given) and its policy',
      )
      .requiredOption('--seller <NAME>', 'the seller organisation (brand or shop)')
      .requiredOption('--admin <EMAIL>', 'e-mail address of the first admin')
      .option('--admin-name <NAME>', 'display name of the first admin')
      .option('--password <P>', 'password of the first admin (at least 10 characters)')
      .option('--policy <ID>', 'the policy its sales follow (default retailer)')
      .option('--country <CC>', 'two-letter country code of the seller (default CN)')
      .option('--email <EMAIL>', 'contact e-mail printed on documents (default the admin e-mail)')
      .option('--phone <PHONE>', 'contact phone printed on documents')
      .option('--street <TEXT>', 'street of the address returns are shipped to')
      .option('--city <CITY>', 'city of that address')
      .option('--postcode <CODE>', 'postal code of that address')
      .option('--region <REGION>', 'region or state of that address'),
  ).action(async (flags: InitFlags) => {
    const address =
      flags.street || flags.city || flags.postcode || flags.region
        ? {
            line1: flags.street,
            city: flags.city,
            ...(flags.postcode ? { postcode: flags.postcode } : {}),
            ...(flags.region ? { region: flags.region } : {}),
            country: flags.country ?? 'CN',
          }
        : undefined
    const body = withFlagNames(() =>
      parseOrThrow(SetupBody, {
        seller: flags.seller,
        adminEmail: flags.admin,
        ...(flags.adminName ? { adminName: flags.adminName } : {}),
        ...(flags.password === undefined ? {} : { password: flags.password }),
        ...(flags.policy === undefined ? {} : { policy: flags.policy }),
        ...(flags.country === undefined ? {} : { country: flags.country }),
        ...(flags.email === undefined ? {} : { email: flags.email }),
        ...(flags.phone === undefined ? {} : { phone: flags.phone }),
        ...(address ? { address } : {}),
        ...settingsInput(flags),
      }),
    )
    await withContext(async (ctx) => {
      const { setUpSeller } = await import('./set-up-seller.ts')
      const result = await withFlagNames(() => setUpSeller(ctx, body, { onlyWhenEmpty: false }))
      console.log(
        operatorText('cli.init.done', {
          seller: result.settings.seller,
          orgId: result.orgId,
          policy: String(result.settings.policy),
        }),
      )
      console.log(operatorText('cli.init.admin', { email: result.adminEmail }))
      if (result.generatedPassword)
        console.log(operatorText('cli.password', { password: result.generatedPassword }))
    })
  })

  const settings = program.command('settings').description("Show or change the seller's settings")
  settings
    .command('show')
    .description('Print the settings as JSON')
    .option('--seller <ORGID>', 'the seller organisation (default the one set up first)')
    .action(async (flags: { seller?: string }) => {
      await withContext(async (ctx) => {
        const view = await loadSellerSettings(ctx.db, await sellerIdOf(ctx, flags.seller))
        console.log(JSON.stringify(view, null, 2))
      })
    })
  addSettingsFlags(
    settings
      .command('set')
      .description('Change support hours, payment instructions, terms or quote validity')
      .option('--seller <ORGID>', 'the seller organisation (default the one set up first)'),
  ).action(async (flags: SettingsFlags & { seller?: string }) => {
    const patch = withFlagNames(() => parseOrThrow(SellerSettingsPatch, settingsInput(flags)))
    await withContext(async (ctx) => {
      const orgId = await sellerIdOf(ctx, flags.seller)
      const { updateSellerSettings } = await import('./set-up-seller.ts')
      const view = await withFlagNames(() => updateSellerSettings(ctx, orgId, patch))
      console.log(JSON.stringify(view, null, 2))
    })
  })
}

/**
 * The organisation `--seller` names, or the seller set up first when it is not given. One it
 * does not name is refused naming `--seller`, where it was told to run init as if none were
 * set up, or named by its id alone.
 */
async function sellerIdOf(ctx: AppContext, flag: string | undefined): Promise<string> {
  if (flag === undefined) {
    const primary = await findPrimarySellerId(ctx.db)
    if (primary) return primary
    throw new AppError(
      'validation',
      { key: 'setup.cli.no-seller', params: { field: '--seller', command: 'aftercare init' } },
      { field: '--seller' },
    )
  }
  const org = await ctx.db.selectFrom('organisations').select('id').where('id', '=', flag).executeTakeFirst()
  if (org) return org.id
  throw new AppError(
    'validation',
    { key: 'registry.organisation.unknown', params: { field: '--seller', id: echoed(flag) } },
    { field: '--seller' },
  )
}
