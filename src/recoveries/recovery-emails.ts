import { listActiveOrgUsers, listActiveStaffUsers } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import { chosenEmailLocale, emailLocaleOfCountry, enqueueEmail } from '../notify/index.ts'
import { findOrganisation } from '../registry/index.ts'
import type { RecoveryClaimsTable, RecoveryLinesTable } from './recovery.tables.ts'

// An address that cannot be written to is skipped rather than keeping the step from being
// taken: users made at the command line are not checked as the API checks them.
const MAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** The staff who hear for a seller of the installation: those who answer for its money. */
const MONEY_ROLES = ['manager', 'admin'] as const

/**
 * Who hears for one side of a recovery claim: its organisation's users; for a seller with no
 * users of its own (the installation's own seller, whose people are staff accounts of no
 * organisation), its managers and admins. Nobody for another party with nobody on the
 * installation: it gets the statement.
 */
async function peopleOf(trx: Db, org: { kind: string } | undefined, orgId: string) {
  const own = await listActiveOrgUsers(trx, orgId, 'dealer')
  const people =
    own.length === 0 && org?.kind === 'seller' ? await listActiveStaffUsers(trx, MONEY_ROLES) : own
  return people.filter((user) => MAIL_ADDRESS.test(user.email))
}

/**
 * E-mails the people of one side of a recovery claim (see `peopleOf`) one template, in the
 * step's transaction: what the claim is (its parties, month and currency) and `facts`, each
 * reader in the language they chose, else their organisation's.
 */
async function tellSide(
  trx: Db,
  row: RecoveryClaimsTable,
  side: 'debtor' | 'creditor',
  template: string,
  facts: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const [creditor, debtor] = await Promise.all([
    findOrganisation(trx, row.creditor_org_id),
    findOrganisation(trx, row.debtor_org_id),
  ])
  const told = side === 'debtor' ? debtor : creditor
  const users = await peopleOf(trx, told, side === 'debtor' ? row.debtor_org_id : row.creditor_org_id)
  if (users.length === 0) return
  const orgLocale = emailLocaleOfCountry(told?.country)
  const data = {
    recoveryId: row.id,
    creditorName: creditor?.name ?? row.creditor_org_id,
    debtorName: debtor?.name ?? row.debtor_org_id,
    period: row.period,
    currency: row.currency,
    ...facts,
  }
  for (const user of users)
    await enqueueEmail(
      trx,
      {
        to: user.email,
        template,
        locale: chosenEmailLocale(user.locale, orgLocale),
        data: { ...data, recipientName: user.name },
      },
      { now },
    )
}

/**
 * E-mails the users of the debtor a recovery claim was just submitted to, in the step's
 * transaction: it waits for their answer, and without a word they would learn of it only by
 * looking at their desk. A debtor that is the installation's own seller is its managers and
 * admins; any other debtor with nobody on the installation gets the statement from the
 * creditor instead.
 */
export async function tellDebtorOfSubmission(
  trx: Db,
  row: RecoveryClaimsTable,
  lines: readonly RecoveryLinesTable[],
  now: Date,
): Promise<void> {
  await tellSide(
    trx,
    row,
    'debtor',
    'recovery.submitted',
    {
      claimedMinor: lines.reduce((sum, line) => sum + Number(line.amount_minor), 0),
      lineCount: lines.length,
      late: Number(row.late) === 1,
    },
    now,
  )
}

/** What a creditor is told of: the debtor's answer, or its payment. */
export type CreditorNews =
  | {
      template: 'recovery.answered'
      answer: 'accepted' | 'partly-accepted' | 'rejected'
      claimedMinor: number
      acceptedMinor: number
      reasonCodes: string[]
    }
  | { template: 'recovery.paid'; amountMinor: number; paidOn: string; reference: string }

/**
 * E-mails the users of the creditor of a recovery claim what the debtor did with it (answered
 * it, paid it), in the step's transaction: the creditor waits for that answer as the debtor
 * waited for the claim. The installation's own seller is its managers and admins; any other
 * creditor with nobody on the installation hears from staff, who recorded it.
 */
export async function tellCreditor(
  trx: Db,
  row: RecoveryClaimsTable,
  news: CreditorNews,
  now: Date,
): Promise<void> {
  const { template, ...facts } = news
  await tellSide(trx, row, 'creditor', template, facts, now)
}
