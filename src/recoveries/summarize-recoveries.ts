import type { Actor } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import { findOrganisation } from '../registry/index.ts'
import { AppError } from '../shared/errors.ts'
import { echoed } from '../shared/validate.ts'
import { isEmptyDraft } from './domain/recovery-lifecycle.ts'
import { organisationNames } from './recovery.store.ts'
import { recoveryScope } from './recovery-access.ts'

export interface LedgerRow {
  organisation: { id: string; name: string }
  counterparty: { id: string; name: string }
  direction: 'receivable' | 'payable'
  month: string
  currency: string
  owedMinor: number
  submittedMinor: number
  acceptedMinor: number
  paidMinor: number
  writtenOffMinor: number
}

/**
 * The money view per counterparty, month and currency: what is owed but not yet claimed
 * (drafts), submitted, accepted, paid and written off. An organisation sees its own side;
 * staff see every creditor's, or one organisation's.
 */
export async function summarizeRecoveries(db: Db, actor: Actor, orgId?: string): Promise<LedgerRow[]> {
  const scope = recoveryScope(actor)
  if ('none' in scope) return []
  if (orgId && 'orgId' in scope && orgId !== scope.orgId)
    throw new AppError('not-found', { key: 'recovery.no-ledger', params: { id: orgId } }, { field: 'orgId' })
  // Staff naming no organisation would read the ledger of one owing nothing, not their mistake.
  if (orgId && !(await findOrganisation(db, orgId)))
    throw new AppError(
      'not-found',
      { key: 'registry.organisation.unknown', params: { field: 'orgId', id: echoed(orgId) } },
      { field: 'orgId' },
    )
  const viewpoint = 'orgId' in scope ? scope.orgId : orgId
  let query = db
    .selectFrom('recovery_claims as r')
    .leftJoin('recovery_lines as l', 'l.recovery_id', 'r.id')
    .select((eb) => [
      'r.id',
      'r.state',
      'r.creditor_org_id',
      'r.debtor_org_id',
      'r.period',
      'r.currency',
      'r.paid_minor',
      'r.written_off_minor',
      eb.fn.coalesce(eb.fn.sum<number>('l.amount_minor'), eb.lit(0)).as('claimed'),
      eb.fn.coalesce(eb.fn.sum<number>('l.accepted_minor'), eb.lit(0)).as('accepted'),
      eb.fn.count<number>('l.id').as('lines'),
    ])
    .groupBy([
      'r.id',
      'r.state',
      'r.creditor_org_id',
      'r.debtor_org_id',
      'r.period',
      'r.currency',
      'r.paid_minor',
      'r.written_off_minor',
    ])
  if (viewpoint)
    query = query.where((eb) =>
      eb.or([eb('r.creditor_org_id', '=', viewpoint), eb('r.debtor_org_id', '=', viewpoint)]),
    )
  const rows = await query.execute()
  const names = await organisationNames(db, [
    ...new Set(rows.flatMap((r) => [r.creditor_org_id, r.debtor_org_id])),
  ])
  const named = (id: string) => ({ id, name: names.get(id) ?? id })
  const ledger = new Map<string, LedgerRow>()
  for (const r of rows) {
    if (isEmptyDraft(r.state, Number(r.lines))) continue
    const receivable = !viewpoint || r.creditor_org_id === viewpoint
    const own = receivable ? r.creditor_org_id : r.debtor_org_id
    const other = receivable ? r.debtor_org_id : r.creditor_org_id
    const key = [own, other, receivable, r.period, r.currency].join('|')
    const row = ledger.get(key) ?? {
      organisation: named(own),
      counterparty: named(other),
      direction: receivable ? ('receivable' as const) : ('payable' as const),
      month: r.period,
      currency: r.currency,
      owedMinor: 0,
      submittedMinor: 0,
      acceptedMinor: 0,
      paidMinor: 0,
      writtenOffMinor: 0,
    }
    const claimed = Number(r.claimed)
    if (r.state === 'draft') row.owedMinor += claimed
    else row.submittedMinor += claimed
    row.acceptedMinor += Number(r.accepted)
    row.paidMinor += Number(r.paid_minor)
    row.writtenOffMinor += Number(r.written_off_minor)
    ledger.set(key, row)
  }
  return [...ledger.values()].sort(
    (a, b) =>
      b.month.localeCompare(a.month) ||
      a.organisation.name.localeCompare(b.organisation.name) ||
      a.counterparty.name.localeCompare(b.counterparty.name) ||
      a.currency.localeCompare(b.currency),
  )
}
