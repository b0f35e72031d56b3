import type { Actor } from '../auth/index.ts'
import { claimIdsVisibleTo, claimNumber } from '../claims/index.ts'
import type { Db } from '../db/database.ts'
import type { MessageLanguage } from '../shared/messages/translate.ts'
import type { CapReasonCode } from './domain/derive-recovery.ts'
import {
  allowedRecoveryActions,
  type PartState,
  type RecoveryFactsForTransition,
  type RecoveryState,
} from './domain/recovery-lifecycle.ts'
import { shippedRecoveryTerms } from './load-recovery-terms.ts'
import type { RecoveryView } from './recovery.schemas.ts'
import { listLines, organisationNames, organisationsWithUsers } from './recovery.store.ts'
import type { RecoveryClaimsTable, RecoveryLinesTable } from './recovery.tables.ts'
import { recoveryPartyOf } from './recovery-access.ts'
import { inLanguage, readStoredMessage } from './recovery-wording.ts'

export const transitionFacts = (row: RecoveryClaimsTable, lineCount: number): RecoveryFactsForTransition => ({
  state: row.state as RecoveryState,
  partState: row.part_state as PartState,
  lineCount,
  returnPart: Number(row.return_part) === 1,
})

/** What the debtor accepted of a line: set for every line by accept, partly-accept and reject. */
export const acceptedOf = (line: RecoveryLinesTable): number =>
  line.accepted_minor === null ? 0 : Number(line.accepted_minor)

/** The title of the terms a recovery was filed under, in the reader's language; the id for terms no longer shipped. */
export function termsTitle(id: string, version: string, language: MessageLanguage): string {
  const terms = shippedRecoveryTerms().find((t) => t.id === id && t.version === version)
  return terms === undefined ? id : (terms.translations?.[language]?.title ?? terms.title)
}

/**
 * A line for a reader: `description` in English as stored, `localDescription` in the reader's
 * language, and whether the reader may open the line's claim.
 */
export function toLineView(
  line: RecoveryLinesTable,
  language: MessageLanguage = 'en',
  claimVisible = false,
): RecoveryView['lines'][number] {
  const message = readStoredMessage(line.description_message_json)
  return {
    id: line.id,
    claimId: line.claim_id,
    claimNumber: claimNumber({ id: line.claim_id }),
    claimVisible,
    kind: line.kind,
    leg: line.leg,
    clause: line.clause,
    description: line.description,
    descriptionKey: message?.key ?? null,
    descriptionParams: message ? (message.params ?? {}) : null,
    localDescription: inLanguage(language, line.description, message?.key, message?.params),
    amountMinor: Number(line.amount_minor),
    cappedFromMinor: line.capped_from_minor === null ? null : Number(line.capped_from_minor),
    capReasonCode: line.cap_reason_code as CapReasonCode | null,
    repairCode: line.repair_code,
    workOn: line.work_on,
    deadline: line.deadline,
    evidence: JSON.parse(line.evidence_json) as RecoveryView['lines'][number]['evidence'],
    decision: JSON.parse(line.decision_json) as RecoveryView['lines'][number]['decision'],
    acceptedMinor: line.accepted_minor === null ? null : Number(line.accepted_minor),
    reasonCode: line.reason_code,
  }
}

/**
 * Views of several recovery claims with their lines and parties, read in three queries; each
 * line's `localDescription` in `language`, the reader's.
 */
export async function toRecoveryViews(
  db: Db,
  rows: RecoveryClaimsTable[],
  actor: Actor,
  language: MessageLanguage = 'en',
): Promise<RecoveryView[]> {
  const lines = await listLines(
    db,
    rows.map((r) => r.id),
  )
  const orgIds = [...new Set(rows.flatMap((r) => [r.creditor_org_id, r.debtor_org_id]))]
  const names = await organisationNames(db, orgIds)
  const present = await organisationsWithUsers(db, orgIds)
  // The debtor of a dealer's recovery sees the claim's number, never the dealer's claim itself.
  const openable = await claimIdsVisibleTo(
    db,
    actor,
    lines.map((l) => l.claim_id),
  )
  return rows.map((row) => {
    const own = lines.filter((l) => l.recovery_id === row.id)
    const side = recoveryPartyOf(actor, row)
    const claimed = own.reduce((sum, l) => sum + Number(l.amount_minor), 0)
    const accepted = own.reduce((sum, l) => sum + acceptedOf(l), 0)
    const party = (id: string) => ({ id, name: names.get(id) ?? id, onInstallation: present.has(id) })
    return {
      id: row.id,
      state: row.state as RecoveryState,
      partState: row.part_state as PartState,
      returnPart: Number(row.return_part) === 1,
      creditor: party(row.creditor_org_id),
      debtor: party(row.debtor_org_id),
      currency: row.currency,
      period: row.period,
      terms: {
        id: row.terms_id,
        version: row.terms_version,
        title: termsTitle(row.terms_id, row.terms_version, language),
      },
      deadline: row.deadline,
      late: Number(row.late) === 1,
      submittedAt: row.submitted_at,
      answeredAt: row.answered_at,
      paid:
        row.paid_on && row.paid_reference
          ? { amountMinor: Number(row.paid_minor), on: row.paid_on, reference: row.paid_reference }
          : null,
      totals: {
        claimedMinor: claimed,
        acceptedMinor: accepted,
        paidMinor: Number(row.paid_minor),
        writtenOffMinor: Number(row.written_off_minor),
      },
      lines: own.map((line) => toLineView(line, language, openable.has(line.claim_id))),
      allowedActions: side ? allowedRecoveryActions(transitionFacts(row, own.length), side) : [],
      yourSide: side,
      version: Number(row.version),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }
  })
}
