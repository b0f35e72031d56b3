import { listActiveOrgUsers } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import { chosenEmailLocale, emailLocaleOfCountry, enqueueEmail } from '../notify/index.ts'
import { findOrganisation } from '../registry/index.ts'
import type { RecoveryClaimsTable, RecoveryLinesTable } from './recovery.tables.ts'

// An address that cannot be written to is skipped rather than keeping the step from being
// taken: users made at the command line are not checked as the API checks them.
const MAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * E-mails the users of the debtor a recovery claim was just submitted to, in the step's
 * transaction: it waits for their answer, and without a word they would learn of it only by
 * looking at their desk. A debtor with nobody on the installation gets the statement from
 * the creditor instead. Each user in the language they chose, else the organisation's.
 */
export async function tellDebtorOfSubmission(
  trx: Db,
  row: RecoveryClaimsTable,
  lines: readonly RecoveryLinesTable[],
  now: Date,
): Promise<void> {
  const users = (await listActiveOrgUsers(trx, row.debtor_org_id, 'dealer')).filter((user) =>
    MAIL_ADDRESS.test(user.email),
  )
  if (users.length === 0) return
  const [creditor, debtor] = await Promise.all([
    findOrganisation(trx, row.creditor_org_id),
    findOrganisation(trx, row.debtor_org_id),
  ])
  const orgLocale = emailLocaleOfCountry(debtor?.country)
  const data = {
    recoveryId: row.id,
    creditorName: creditor?.name ?? row.creditor_org_id,
    debtorName: debtor?.name ?? row.debtor_org_id,
    period: row.period,
    currency: row.currency,
    claimedMinor: lines.reduce((sum, line) => sum + Number(line.amount_minor), 0),
    lineCount: lines.length,
    late: Number(row.late) === 1,
  }
  for (const user of users)
    await enqueueEmail(
      trx,
      {
        to: user.email,
        template: 'recovery.submitted',
        locale: chosenEmailLocale(user.locale, orgLocale),
        data: { ...data, recipientName: user.name },
      },
      { now },
    )
}
