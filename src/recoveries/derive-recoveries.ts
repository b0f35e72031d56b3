import crypto from 'node:crypto'
import { PostgresAdapter } from 'kysely'
import { SYSTEM_ACTOR } from '../auth/index.ts'
import { QUOTE_SENT, REPAIR_COMPLETED } from '../contracts/claim-event-types.ts'
import type { CostKind, Party } from '../contracts/decision.ts'
import type { Db } from '../db/database.ts'
import { enqueueWebhookEvent } from '../notify/index.ts'
import { confirmedDealerOf, findUnitBySerial } from '../registry/index.ts'
import { localDate } from '../shared/local-date.ts'
import { DEALER_EVENT_TYPES, type DealerEvent, dealerChangesOf } from './domain/dealer-history.ts'
import { DECISION_EVENT_TYPES, type DecisionEvent, decisionChangesOf } from './domain/decision-history.ts'
import {
  type CapReasonCode,
  type DerivedLine,
  type DerivedRecovery,
  deriveRecovery,
  type FiledLine,
  type NoneReason,
  type RecoveryFacts,
  type WorkRecord,
} from './domain/derive-recovery.ts'
import type { RecoveryTerms } from './domain/recovery-terms.ts'
import { shippedRecoveryTerms } from './load-recovery-terms.ts'
import {
  claimCostRecords,
  claimWorkEvents,
  deleteLines,
  filedLinesOfClaim,
  findDraft,
  findRecovery,
  hasFiledLines,
  insertDraftIfAbsent,
  insertLinesIfAbsent,
  lastBatch,
  upsertOutcome,
} from './recovery.store.ts'
import type { RecoveryClaimsTable, RecoveryLinesTable } from './recovery.tables.ts'
import { appendRecoveryEvent, GENESIS_HASH } from './recovery-history.ts'

/** Claim events after which work is done that someone may owe for. */
const WORK_EVENT_TYPES: Record<string, WorkRecord['type']> = {
  'repair.completed': 'repair',
  'replacement.issued': 'replacement',
  'refund.issued': 'refund',
  'forwarded.to-maker': 'forward',
  'returned.from-maker': 'back',
  'return.shipped': 'return-shipped',
}
export const DERIVING_EVENT_TYPES: readonly string[] = [...Object.keys(WORK_EVENT_TYPES), 'claim.closed']

export const RECOVERY_DRAFTED = 'recovery.drafted'
export const RECOVERY_LINES_ADDED = 'recovery.lines-added'
export const RECOVERY_LINES_WITHDRAWN = 'recovery.lines-withdrawn'

export interface DerivationResult {
  outcome: 'lines' | 'none'
  reasons: NoneReason[]
  /** Recovery claims that received new lines in this run. */
  recoveryIds: string[]
  linesWritten: number
}

interface ClaimForDerivation {
  id: string
  serial: string
  policy_id: string
  currency: string
  brand: string
  category: string | null
  dealer_org_id: string | null
  final_decision: string | null
  provisional_decision: string | null
  opened_at: string
  /** The zone the claim's policy counts its days in. */
  timeZone: string
}

/** The facts of a claim as the derivation sees them, read in the caller's transaction. */
export async function readRecoveryFacts(trx: Db, claim: ClaimForDerivation): Promise<RecoveryFacts> {
  const unit = await findUnitBySerial(trx, claim.serial)
  const decision = JSON.parse(
    claim.final_decision ?? claim.provisional_decision ?? 'null',
  ) as RecoveryFacts['decision']
  const costs = await claimCostRecords(trx, claim.id)
  // One read of the history for the four kinds of event the derivation weighs, each kept in order.
  const history = await claimWorkEvents(trx, claim.id, HISTORY_EVENT_TYPES)
  const ofTypes = (types: readonly string[]) => history.filter((e) => types.includes(e.type))
  const events = ofTypes(Object.keys(WORK_EVENT_TYPES))
  const dealerEvents = ofTypes(DEALER_EVENT_TYPES)
  const decisionEvents = ofTypes(DECISION_EVENT_TYPES)
  const recordedBy = recordingEventsOf(costs, ofTypes(COST_EVENT_TYPES))
  return {
    claimId: claim.id,
    policyId: claim.policy_id,
    timeZone: claim.timeZone,
    // A unit the registry does not know is taken as sold the day the claim was opened, there.
    soldOn: unit?.purchasedOn ?? unit?.deliveredOn ?? localDate(new Date(claim.opened_at), claim.timeZone),
    currency: claim.currency,
    // As the decision reads it: a dealer sale nobody confirmed is the seller's own.
    channel: unit && confirmedDealerOf(unit) ? unit.channel : 'direct',
    brand: claim.brand === 'agent' ? 'agent' : 'own',
    category: claim.category ?? unit?.category ?? null,
    decision: decision
      ? {
          policy: decision.policy,
          covered: decision.covered,
          basis: decision.basis,
          handler: decision.handler,
          payers: decision.payers,
        }
      : null,
    orgs: {
      // A dealer the buyer named but that has not confirmed the sale owes and is owed nothing.
      dealer: claim.dealer_org_id ?? (unit ? confirmedDealerOf(unit) : null),
      seller: unit?.sellerOrgId ?? null,
      brand: unit?.brandOrgId ?? null,
    },
    // A dealer that confirmed the sale after the claim was opened is party only to what came after.
    dealerChanges: dealerChangesOf(
      dealerEvents.map((e) => ({
        type: e.type,
        at: e.at,
        seq: Number(e.seq),
        data: JSON.parse(e.data) as DealerEvent['data'],
      })),
    ),
    // Who handled the claim, and who bore what, when each cost was recorded and each work done.
    decisionChanges: decisionChangesOf(
      decisionEvents.map((e) => ({
        type: e.type,
        at: e.at,
        seq: Number(e.seq),
        data: JSON.parse(e.data) as DecisionEvent['data'],
      })),
    ),
    costs: costs.map((c) => ({
      id: c.id,
      kind: c.kind as CostKind,
      description: c.description,
      quantity: Number(c.quantity),
      unitPriceMinor: Number(c.unit_price_minor),
      payer: c.payer as Party,
      currency: c.currency,
      at: c.created_at,
      ...(recordedBy.has(c.id) ? { seq: recordedBy.get(c.id) } : {}),
      position: Number(c.position),
    })),
    work: events.map((e) => {
      const data = JSON.parse(e.data) as { amountMinor?: unknown }
      return {
        type: WORK_EVENT_TYPES[e.type] ?? 'repair',
        at: e.at,
        eventSeq: Number(e.seq),
        ...(typeof data.amountMinor === 'number' ? { amountMinor: data.amountMinor } : {}),
      }
    }),
  }
}

/** The claim events whose step writes cost lines beside them. */
const COST_EVENT_TYPES: readonly string[] = [QUOTE_SENT, REPAIR_COMPLETED]

/** Every type of claim event `readRecoveryFacts` reads. */
const HISTORY_EVENT_TYPES: readonly string[] = [
  ...new Set([
    ...Object.keys(WORK_EVENT_TYPES),
    ...DEALER_EVENT_TYPES,
    ...DECISION_EVENT_TYPES,
    ...COST_EVENT_TYPES,
  ]),
]

/**
 * The claim event that recorded each cost line, by its number on the chain: the `quote.sent`
 * naming a quote's line's quote, else the `repair.completed` of the line's instant (the step
 * that books a repair's costs writes them with its event, in one transaction). A line no event
 * is known to have written (a claim imported from an earlier system) has none, and is ordered
 * by its instant alone.
 */
export function recordingEventsOf(
  costs: readonly { id: string; quote_id: string | null; created_at: string }[],
  events: readonly { seq: number | string; type: string; at: string; data: string }[],
): Map<string, number> {
  const byQuote = new Map<string, number>()
  const repairAt = new Map<string, number>()
  for (const event of events) {
    if (event.type === QUOTE_SENT) {
      const quoteId = (JSON.parse(event.data) as { quoteId?: unknown }).quoteId
      if (typeof quoteId === 'string') byQuote.set(quoteId, Number(event.seq))
    } else if (event.type === REPAIR_COMPLETED && !repairAt.has(event.at))
      repairAt.set(event.at, Number(event.seq))
  }
  const recorded = new Map<string, number>()
  for (const cost of costs) {
    const seq = cost.quote_id === null ? repairAt.get(cost.created_at) : byQuote.get(cost.quote_id)
    if (seq !== undefined) recorded.set(cost.id, seq)
  }
  return recorded
}

const isPostgres = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter

/**
 * Derives the recovery lines of one claim and files each new one in the open draft of its
 * group (terms, creditor, debtor, currency, month), in the caller's transaction. Safe to
 * run any number of times and from several instances at once: a line's key is unique and
 * inserted on conflict do nothing, a draft's (group, batch) likewise, so a repeat adds
 * nothing. The outcome (lines, or none with the reasons) is kept per claim.
 */
export async function deriveRecoveriesForClaim(
  trx: Db,
  claim: ClaimForDerivation,
  at: string,
  terms: readonly RecoveryTerms[] = shippedRecoveryTerms(),
): Promise<DerivationResult> {
  const facts = await readRecoveryFacts(trx, claim)
  const rows = await filedLinesOfClaim(trx, claim.id)
  // Lines filed before are the debtor's already: the caps give new lines only what they left.
  let filed: FiledLine[] = rows.map((l) => ({
    lineKey: l.line_key,
    claimId: l.claim_id,
    clause: l.clause,
    amountMinor: Number(l.amount_minor),
    creditorOrgId: l.creditor_org_id,
    ...(l.cap_reason_code !== null && l.capped_from_minor !== null
      ? { cappedFromMinor: Number(l.capped_from_minor), capReasonCode: l.cap_reason_code as CapReasonCode }
      : {}),
  }))
  let derivation = deriveRecovery(facts, terms, filed)
  // A line the claim no longer yields (the claim was decided again: the maker found damage its
  // user did, and the terms never pay for a unit out of warranty) leaves a draft before the
  // debtor is asked for it, and its share of the caps goes back. A submitted line stays: the
  // debtor has been asked and answers it.
  const derived = new Set(derivation.recoveries.flatMap((r) => r.lines.map((l) => l.lineKey)))
  const stale = rows.filter((l) => l.state === 'draft' && !derived.has(l.line_key))
  if (stale.length > 0) {
    const withdrawn = await withdrawLines(trx, stale, derivation.reasons, at)
    if (withdrawn.size > 0) {
      filed = filed.filter((l) => !withdrawn.has(l.lineKey))
      derivation = deriveRecovery(facts, terms, filed)
    }
  }
  const known = new Set(filed.map((l) => l.lineKey))
  const recoveryIds: string[] = []
  let linesWritten = 0
  let linesKnown = 0
  for (const recovery of derivation.recoveries) {
    linesKnown += recovery.lines.filter((l) => known.has(l.lineKey)).length
    const fresh = recovery.lines.filter((l) => !known.has(l.lineKey))
    const byPeriod = new Map<string, DerivedLine[]>()
    for (const line of fresh)
      byPeriod.set(line.workOn.slice(0, 7), [...(byPeriod.get(line.workOn.slice(0, 7)) ?? []), line])
    for (const [period, lines] of byPeriod) {
      const filed = await fileLines(trx, recovery, period, lines, at)
      if (filed) {
        recoveryIds.push(filed.recoveryId)
        linesWritten += filed.written
      }
    }
  }
  const outcome = linesWritten + linesKnown > 0 ? 'lines' : 'none'
  await upsertOutcome(trx, {
    claim_id: claim.id,
    outcome,
    reasons_json: JSON.stringify(derivation.reasons),
    line_count: linesWritten + linesKnown,
    derived_at: at,
  })
  return { outcome, reasons: derivation.reasons, recoveryIds, linesWritten }
}

async function fileLines(
  trx: Db,
  recovery: DerivedRecovery,
  period: string,
  lines: DerivedLine[],
  at: string,
): Promise<{ recoveryId: string; written: number } | undefined> {
  const groupKey = [
    recovery.terms.id,
    recovery.creditorOrgId,
    recovery.debtorOrgId,
    recovery.currency,
    period,
  ].join('|')
  const lock = isPostgres(trx)
  let draft = await findDraft(trx, groupKey, lock)
  if (!draft) {
    const deadline = lines.map((l) => l.deadline).sort()[0] ?? at.slice(0, 10)
    const row = newDraftRow(
      {
        id: `rec-${crypto.randomUUID()}`,
        group_key: groupKey,
        batch: (await lastBatch(trx, groupKey)) + 1,
        terms_id: recovery.terms.id,
        terms_version: recovery.terms.version,
        creditor_org_id: recovery.creditorOrgId,
        debtor_org_id: recovery.debtorOrgId,
        currency: recovery.currency,
        period,
        return_part: recovery.returnPart ? 1 : 0,
        deadline,
      },
      at,
    )
    // Losing the race to another instance is fine: its draft is read back and used.
    await insertDraftIfAbsent(trx, row)
    draft = await findDraft(trx, groupKey, lock)
    if (!draft) return undefined
  }
  const rows = lines.map((l) => toLineRow(draft.id, l, at))
  const written = await insertLinesIfAbsent(trx, rows)
  if (written.length === 0) return undefined
  const added = lines.filter((l) => written.includes(l.lineKey))
  const type = Number(draft.chain_seq) === 0 ? RECOVERY_DRAFTED : RECOVERY_LINES_ADDED
  const data = {
    claimId: added[0]?.claimId ?? null,
    lines: added.map((l) => ({
      lineKey: l.lineKey,
      kind: l.kind,
      leg: l.leg,
      clause: l.clause,
      amountMinor: l.amountMinor,
      ...(l.capReasonCode ? { cappedFromMinor: l.cappedFromMinor, capReasonCode: l.capReasonCode } : {}),
    })),
  }
  const event = await appendRecoveryEvent(
    trx,
    { seq: Number(draft.chain_seq), hash: draft.chain_hash },
    { recoveryId: draft.id, type, at, actor: SYSTEM_ACTOR, data },
  )
  const deadline = [draft.deadline, ...added.map((l) => l.deadline)].sort()[0] ?? draft.deadline
  await trx
    .updateTable('recovery_claims')
    .set({
      chain_seq: event.seq,
      chain_hash: event.hash,
      deadline,
      updated_at: at,
      version: Number(draft.version) + 1,
    })
    .where('id', '=', draft.id)
    .execute()
  await enqueueWebhookEvent(
    trx,
    {
      type,
      data: {
        recoveryId: draft.id,
        creditorOrgId: draft.creditor_org_id,
        debtorOrgId: draft.debtor_org_id,
        currency: draft.currency,
        ...data,
      },
    },
    { now: new Date(at) },
  )
  return { recoveryId: draft.id, written: written.length }
}

/**
 * Takes lines out of the drafts they were filed in, each draft locked and still a draft (a
 * submit that came first keeps its lines), with a `recovery.lines-withdrawn` event on its
 * chain and to webhooks that names the lines and why the claim no longer yields them.
 * Answers the keys withdrawn.
 */
async function withdrawLines(
  trx: Db,
  lines: readonly {
    line_key: string
    claim_id: string
    clause: string
    amount_minor: number | string
    recovery_id: string
  }[],
  reasons: readonly NoneReason[],
  at: string,
): Promise<Set<string>> {
  const withdrawn = new Set<string>()
  const byRecovery = new Map<string, typeof lines>()
  for (const line of lines)
    byRecovery.set(line.recovery_id, [...(byRecovery.get(line.recovery_id) ?? []), line])
  for (const [recoveryId, ofRecovery] of byRecovery) {
    const draft = await findRecovery(trx, recoveryId, isPostgres(trx))
    if (draft?.state !== 'draft') continue
    const removed = new Set(
      await deleteLines(
        trx,
        recoveryId,
        ofRecovery.map((l) => l.line_key),
      ),
    )
    if (removed.size === 0) continue
    const data = {
      claimId: ofRecovery[0]?.claim_id ?? null,
      lines: ofRecovery
        .filter((l) => removed.has(l.line_key))
        .map((l) => ({ lineKey: l.line_key, clause: l.clause, amountMinor: Number(l.amount_minor) })),
      reasons: reasons.map((r) => ({
        code: r.code,
        ...(r.clause === undefined ? {} : { clause: r.clause }),
      })),
    }
    const event = await appendRecoveryEvent(
      trx,
      { seq: Number(draft.chain_seq), hash: draft.chain_hash },
      { recoveryId, type: RECOVERY_LINES_WITHDRAWN, at, actor: SYSTEM_ACTOR, data },
    )
    // The draft is due when its earliest remaining line is: a withdrawn line no longer sets it.
    const earliest = await trx
      .selectFrom('recovery_lines')
      .select((eb) => eb.fn.min('deadline').as('deadline'))
      .where('recovery_id', '=', recoveryId)
      .executeTakeFirst()
    await trx
      .updateTable('recovery_claims')
      .set({
        chain_seq: event.seq,
        chain_hash: event.hash,
        deadline: earliest?.deadline ?? draft.deadline,
        updated_at: at,
        version: Number(draft.version) + 1,
      })
      .where('id', '=', recoveryId)
      .execute()
    await enqueueWebhookEvent(
      trx,
      {
        type: RECOVERY_LINES_WITHDRAWN,
        data: {
          recoveryId,
          creditorOrgId: draft.creditor_org_id,
          debtorOrgId: draft.debtor_org_id,
          currency: draft.currency,
          ...data,
        },
      },
      { now: new Date(at) },
    )
    for (const key of removed) withdrawn.add(key)
  }
  return withdrawn
}

/** A derived line as it is filed in a recovery claim: unanswered, its description in English and as a message. */
export function toLineRow(recoveryId: string, l: DerivedLine, at: string): RecoveryLinesTable {
  return {
    id: crypto.randomUUID(),
    recovery_id: recoveryId,
    line_key: l.lineKey,
    claim_id: l.claimId,
    kind: l.kind,
    leg: l.leg,
    clause: l.clause,
    description: l.description,
    description_message_json: JSON.stringify({ key: l.descriptionKey, params: l.descriptionParams }),
    amount_minor: l.amountMinor,
    capped_from_minor: l.cappedFromMinor ?? null,
    cap_reason_code: l.capReasonCode ?? null,
    repair_code: l.repairCode ?? null,
    work_on: l.workOn,
    deadline: l.deadline,
    evidence_json: JSON.stringify(l.evidence),
    decision_json: JSON.stringify(l.decision),
    accepted_minor: null,
    reason_code: null,
    created_at: at,
  }
}

/**
 * Decisions that may take back what work already yielded: a claim decided again after the
 * maker's inspection can leave a filed line without its ground.
 */
const REDECIDING_EVENT_TYPES: readonly string[] = ['decision.made', 'decision.provisional']

/**
 * The hook of the claim lifecycle: derives after the events that complete work, and after a
 * decision on a claim that has lines filed already; ignores the rest.
 */
export async function deriveRecoveriesAfterClaimEvent(
  trx: Db,
  claim: ClaimForDerivation,
  event: { type: string; at: string },
): Promise<void> {
  if (DERIVING_EVENT_TYPES.includes(event.type)) await deriveRecoveriesForClaim(trx, claim, event.at)
  else if (REDECIDING_EVENT_TYPES.includes(event.type) && (await hasFiledLines(trx, claim.id)))
    await deriveRecoveriesForClaim(trx, claim, event.at)
}

/** What a draft names: its group, terms, parties, currency, period, part and deadline. */
type DraftIdentity = Pick<
  RecoveryClaimsTable,
  | 'id'
  | 'group_key'
  | 'batch'
  | 'terms_id'
  | 'terms_version'
  | 'creditor_org_id'
  | 'debtor_org_id'
  | 'currency'
  | 'period'
  | 'return_part'
  | 'deadline'
>

/** A recovery claim as it is filed: a draft, nothing answered, paid or written off, its chain at the start. */
export function newDraftRow(identity: DraftIdentity, at: string): RecoveryClaimsTable {
  return {
    ...identity,
    state: 'draft',
    part_state: 'none',
    late: 0,
    submitted_at: null,
    answered_at: null,
    paid_minor: 0,
    paid_on: null,
    paid_reference: null,
    written_off_minor: 0,
    version: 1,
    chain_seq: 0,
    chain_hash: GENESIS_HASH,
    created_at: at,
    updated_at: at,
  }
}
