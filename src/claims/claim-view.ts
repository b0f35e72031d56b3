import type { Actor } from '../auth/index.ts'
import { claimNumberOf } from '../contracts/claim-number.ts'
import { type Decision, decisionSchema } from '../contracts/decision.ts'
import type { Db } from '../db/database.ts'
import type { PolicyLibrary } from '../policies/index.ts'
import { findUnitsWithProof } from '../registry/index.ts'
import {
  type CheckedJsonTexts,
  createCheckedJsonTexts,
  createSharedJsonValues,
  writeChecked,
} from '../shared/checked-json.ts'
import {
  type ClaimView,
  claimListItem,
  claimView,
  decisionSummary,
  inspectionView,
  rmaView,
} from './claim.schemas.ts'
import { listEventsOfTypes } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { isAnotherPartysQuote, toClaimParty } from './claim-access.ts'
import { summaryJson } from './claim-list-summary.ts'
import { proofOfferedIn } from './domain/case-evidence.ts'
import {
  DEALER_SALE_CONFIRMED,
  DEALER_SALE_MOVED,
  DECISION_MADE,
  DECISION_PROVISIONAL,
  QUOTE_SENT,
} from './domain/claim-events.ts'
import { listAllowedActions, listHeldActions } from './domain/claim-lifecycle.ts'
import { type ClaimProjection, toLifecycleFacts } from './domain/claim-projection.ts'
import {
  type DealerHandled,
  dealerHandledOf,
  moneyInSight,
  moneySightOf,
  quoteSightOf,
} from './domain/money-sight.ts'

/**
 * The JSON columns of claims read lately (their decisions, case, inspection, quote), parsed
 * once and shared by the rows that hold the same text: a claim's page or a list row is
 * read again and again while the claim is worked on, and its row is a new object each time.
 */
const sharedColumns = createSharedJsonValues({ maxChars: 4_000_000 })
const parse = <T>(text: string | null): T | null => (text === null ? null : sharedColumns.parse<T>(text))

/**
 * Projections already known for a row object: the one a transition computed for the row
 * it wrote, or the one parsed from a row read earlier. Rows are never changed in place
 * (a change spreads into a new object), so an entry stays true for its row.
 */
const knownProjections = new WeakMap<ClaimsTable, ClaimProjection>()

/** Records the projection a transition computed for the row it wrote, so the answer needs no re-parse. */
export function rememberProjection(row: ClaimsTable, projection: ClaimProjection): void {
  knownProjections.set(row, projection)
}

/** The event-determined part of a stored claim. Parsed once per row object. */
export function projectionFromRow(row: ClaimsTable): ClaimProjection {
  const known = knownProjections.get(row)
  if (known) return known
  const parsed = parseProjection(row)
  knownProjections.set(row, parsed)
  return parsed
}

function parseProjection(row: ClaimsTable): ClaimProjection {
  return {
    state: row.state as ClaimProjection['state'],
    resumeState: row.resume_state as ClaimProjection['resumeState'],
    version: Number(row.version),
    rmaNumber: row.rma_number,
    provisionalDecision: parse<Decision>(row.provisional_decision),
    finalDecision: parse<Decision>(row.final_decision),
    inspection: parse(row.inspection),
    quote: parse(row.quote_json),
    replacementSerial: row.replacement_serial,
    returnTracking:
      row.return_carrier && row.return_tracking
        ? { carrier: row.return_carrier, trackingNumber: row.return_tracking }
        : null,
    outcome: row.outcome,
  }
}

/**
 * The columns of `next` that differ from `before`. A JSON member the event left alone is
 * the same object in both, so it is neither stringified nor written again.
 */
export function changedProjectionColumns(
  before: ClaimProjection,
  next: ClaimProjection,
): Partial<ClaimsTable> {
  const json = (value: unknown) => (value ? JSON.stringify(value) : null)
  const changed: Partial<ClaimsTable> = {}
  if (next.state !== before.state) changed.state = next.state
  if (next.resumeState !== before.resumeState) changed.resume_state = next.resumeState
  if (next.version !== before.version) changed.version = next.version
  if (next.rmaNumber !== before.rmaNumber) changed.rma_number = next.rmaNumber
  if (next.provisionalDecision !== before.provisionalDecision)
    changed.provisional_decision = json(next.provisionalDecision)
  if (next.finalDecision !== before.finalDecision) changed.final_decision = json(next.finalDecision)
  if (next.inspection !== before.inspection) changed.inspection = json(next.inspection)
  if (next.quote !== before.quote) changed.quote_json = json(next.quote)
  if (next.replacementSerial !== before.replacementSerial) changed.replacement_serial = next.replacementSerial
  if (next.returnTracking !== before.returnTracking) {
    changed.return_carrier = next.returnTracking?.carrier ?? null
    changed.return_tracking = next.returnTracking?.trackingNumber ?? null
  }
  if (next.outcome !== before.outcome) changed.outcome = next.outcome
  if (
    next.version !== before.version ||
    next.provisionalDecision !== before.provisionalDecision ||
    next.finalDecision !== before.finalDecision
  )
    Object.assign(changed, summaryColumns(next))
  return changed
}

/**
 * The list summaries of a projection's decisions, stamped with its version: written whole
 * with every change of version, so a row never pairs this version with an older summary.
 */
function summaryColumns(p: ClaimProjection): Partial<ClaimsTable> {
  return {
    provisional_summary: summaryJson(p.provisionalDecision),
    final_summary: summaryJson(p.finalDecision),
    summaries_version: p.version,
  }
}

/** The columns that store a projection. */
export function projectionColumns(p: ClaimProjection): Partial<ClaimsTable> {
  return {
    state: p.state,
    resume_state: p.resumeState,
    version: p.version,
    rma_number: p.rmaNumber,
    provisional_decision: p.provisionalDecision ? JSON.stringify(p.provisionalDecision) : null,
    final_decision: p.finalDecision ? JSON.stringify(p.finalDecision) : null,
    inspection: p.inspection ? JSON.stringify(p.inspection) : null,
    quote_json: p.quote ? JSON.stringify(p.quote) : null,
    replacement_serial: p.replacementSerial,
    return_carrier: p.returnTracking?.carrier ?? null,
    return_tracking: p.returnTracking?.trackingNumber ?? null,
    outcome: p.outcome,
    ...summaryColumns(p),
  }
}

/**
 * The customer's reference, fixed from the first answer for the life of the claim; the
 * return authorisation's number is a second reference (`rmaNumber`), never a replacement.
 */
export const claimNumber = (row: Pick<ClaimsTable, 'id'>): string => claimNumberOf(row.id)

/** The zone the claim's policy counts its days in: dates shown on the claim's documents are its dates. */
export function claimTimeZone(
  policies: Pick<PolicyLibrary, 'summary'>,
  claim: Pick<ClaimsTable, 'policy_id' | 'policy_version'>,
): string {
  return policies.summary(claim.policy_id, claim.policy_version ?? undefined)?.timeZone ?? 'UTC'
}

/**
 * The lifecycle facts of a stored claim, told whether its quote waits past its last day and
 * which units the registry proves the purchase of (`findUnitsProvenBeyondWaitingProof`).
 */
export const lifecycleFactsOf = (
  row: ClaimsTable,
  quoteExpired: boolean,
  provenUnits: ReadonlySet<string>,
  caseFacts: StoredCaseFacts = sharedColumns.parse<StoredCaseFacts>(row.case_json),
) =>
  toLifecycleFacts(
    projectionFromRow(row),
    row.brand === 'agent' ? 'agent' : 'own',
    { quoteExpired },
    { proofOffered: proofOfferedIn(caseFacts), purchaseProvenOnUnit: provenUnits.has(row.serial) },
  )

/** No unit's purchase is proven: for a view of claims none of which has a proof waiting. */
export const NO_PROVEN_UNITS: ReadonlySet<string> = new Set()

/**
 * The serials, among the units of the claims on which a claimant's proof of purchase waits,
 * whose purchase the registry proves already: the final decision on those takes it as proven
 * and need not wait for the proof (`purchaseProvenOnUnit`). One read for all the rows, and
 * none when no proof waits on any of them.
 */
export async function findUnitsProvenBeyondWaitingProof(
  db: Db,
  rows: readonly ClaimsTable[],
): Promise<ReadonlySet<string>> {
  const waiting = rows
    .filter((row) => proofOfferedIn(sharedColumns.parse<StoredCaseFacts>(row.case_json)))
    .map((row) => row.serial)
  return waiting.length === 0 ? NO_PROVEN_UNITS : findUnitsWithProof(db, waiting)
}

/** What a claim's page and its steps read of the stored case, parsed once and shared (`sharedColumns`). */
type StoredCaseFacts = Parameters<typeof proofOfferedIn>[0] & {
  problem: { kind: string }
  evidence?: string[]
  noticedOn?: string
}

/**
 * The claim as its reader sees it. `expiredQuotes` names the claims whose quote waits past its
 * last day (`findClaimsWithExpiredQuote`) and `provenUnits` the units whose purchase the
 * registry proves (`findUnitsProvenBeyondWaitingProof`), so the actions offered are those that
 * can succeed.
 */
export function toClaimView(
  row: ClaimsTable,
  actor: Actor,
  expiredQuotes: ReadonlySet<string>,
  handled: DealerHandled | null = null,
  provenUnits: ReadonlySet<string> = NO_PROVEN_UNITS,
): ClaimView {
  const p = projectionFromRow(row)
  const handler = (p.finalDecision ?? p.provisionalDecision)?.handler ?? null
  const facts = sharedColumns.parse<StoredCaseFacts>(row.case_json)
  const lifecycle = lifecycleFactsOf(row, expiredQuotes.has(row.id), provenUnits, facts)
  const party = toClaimParty(actor)
  return {
    id: row.id,
    number: claimNumber(row),
    rmaNumber: p.rmaNumber,
    state: p.state,
    version: p.version,
    policy: row.policy_version ? `${row.policy_id}@${row.policy_version}` : row.policy_id,
    currency: row.currency,
    serial: row.serial,
    model: row.model,
    brand: row.brand,
    customerId: row.customer_id,
    dealerOrgId: row.dealer_org_id,
    problem: {
      kind: facts.problem.kind,
      description: row.problem_description,
      ...(facts.noticedOn === undefined ? {} : { noticedOn: facts.noticedOn }),
    },
    preference: row.preference,
    evidence: facts.evidence ?? [],
    provisionalDecision: p.provisionalDecision,
    finalDecision: p.finalDecision,
    inspection: p.inspection as Record<string, unknown> | null,
    rma: parse(row.rma_json),
    // A dealer that only sold the unit sees that a quote was sent and answered, not its amounts,
    // unless it sent it while it handled the claim (`handled`, where the caller read it).
    quote:
      p.quote && moneyInSight(quoteSightOf(moneySightOf(actor.role, handler), handled, p.quote.id), p.quote),
    replacementSerial: p.replacementSerial,
    returnShipment: p.returnTracking,
    outcome: p.outcome,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    allowedActions: listAllowedActions(lifecycle, party, actor.role).filter(
      // The money of a quote the seller or another dealer sent is theirs to record: the rule
      // `recordPayment` refuses the step by.
      (action) => action !== 'record-payment' || !p.quote || !isAnotherPartysQuote(handled, p.quote.id),
    ),
    heldActions: listHeldActions(lifecycle, party, actor.role).map(({ action, reason }) => ({
      action,
      reason: reason.key,
    })),
  }
}

// The decisions of a few hundred claims (about 6,000 characters each, in both languages),
// and the summaries of a few thousand list rows.
const checkedDecisions = createCheckedJsonTexts(decisionSchema, { name: 'decision', maxChars: 4_000_000 })
const checkedSummaries = createCheckedJsonTexts(decisionSummary, {
  name: 'decision summary',
  maxChars: 1_000_000,
})

// A claim's return authorisation and bench record, read as stored on every page of the claim
// from the step that wrote them on: checked once, as its decisions are. The bench record's
// open shape and the return's addresses and translations cost a view four times the check of
// all its other fields.
const checkedInspections = createCheckedJsonTexts(inspectionView, { name: 'inspection', maxChars: 1_000_000 })
const checkedRmas = createCheckedJsonTexts(rmaView, { name: 'return authorisation', maxChars: 2_000_000 })

/**
 * Where a view written with no stored documents holds them. The schema puts the four side by
 * side, and every field before them is a closed shape of ours, so the first match is the
 * view's own keys: inside a JSON string a quote is always escaped.
 */
const DOCUMENT_SLOTS = '"provisionalDecision":null,"finalDecision":null,"inspection":null,"rma":null'

function withDocuments(
  shell: string,
  documents: Record<'provisional' | 'final' | 'inspection' | 'rma', string>,
): string {
  const at = shell.indexOf(DOCUMENT_SLOTS)
  if (at < 0) throw new Error('a claim view without its document slots')
  return `${shell.slice(0, at)}"provisionalDecision":${documents.provisional},"finalDecision":${documents.final},"inspection":${documents.inspection},"rma":${documents.rma}${shell.slice(at + DOCUMENT_SLOTS.length)}`
}

/** A stored document (a decision or its summary, the bench record, the return) as the response carries it. */
const decisionJson = (checked: CheckedJsonTexts, stored: string | null): string =>
  stored === null ? 'null' : checked.answer(stored)

/**
 * A claim as the response's JSON text: the view without its stored documents checked against
 * `shellSchema`, and the stored documents, checked once against theirs (the decisions against
 * `checked`) and then answered as stored, put in their place.
 */
function viewJson(
  row: ClaimsTable,
  actor: Actor,
  expiredQuotes: ReadonlySet<string>,
  shellSchema: typeof claimView | typeof claimListItem,
  shellName: string,
  checked: CheckedJsonTexts,
  handled: DealerHandled | null,
  provenUnits: ReadonlySet<string>,
): string {
  const view = toClaimView(row, actor, expiredQuotes, handled, provenUnits)
  const shell = writeChecked(
    shellSchema,
    { ...view, provisionalDecision: null, finalDecision: null, inspection: null, rma: null },
    shellName,
  )
  // The view's bench record and return are the row's (`toClaimView`), so their stored texts are theirs.
  return withDocuments(shell, {
    provisional: decisionJson(checked, row.provisional_decision),
    final: decisionJson(checked, row.final_decision),
    inspection: decisionJson(checkedInspections, row.inspection),
    rma: decisionJson(checkedRmas, row.rma_json),
  })
}

/**
 * The claim's page as the response's JSON text: the same bytes as `toClaimView` through the
 * route's schema, with the stored decisions checked once and then answered as stored
 * (`createCheckedJsonTexts`) instead of parsed, checked and written again per request.
 */
export const claimViewJson = (
  row: ClaimsTable,
  actor: Actor,
  expiredQuotes: ReadonlySet<string>,
  handled: DealerHandled | null = null,
  provenUnits: ReadonlySet<string> = NO_PROVEN_UNITS,
): string => viewJson(row, actor, expiredQuotes, claimView, 'claim', checkedDecisions, handled, provenUnits)

const NOTHING_HANDLED: ReadonlyMap<string, DealerHandled> = new Map()

/** The events that tell which quotes a dealer sent while it handled a claim (`dealerHandledOf`). */
const HANDLING_EVENTS = [
  DECISION_PROVISIONAL,
  DECISION_MADE,
  QUOTE_SENT,
  DEALER_SALE_MOVED,
  DEALER_SALE_CONFIRMED,
]

/**
 * For a page of claims a dealer reads, what it handled (`DealerHandled`) on the rows with a
 * quote, by claim id, from their histories in one query: the dealer reads whole the quotes it
 * sent, whether or not it handles the claim now, and no other; so a row shows the quote as the
 * claim's page does. Nothing, and no query, for any other reader or a page with no quote.
 */
export async function dealerHandledOnRows(
  db: Db,
  actor: Actor,
  rows: readonly ClaimsTable[],
): Promise<ReadonlyMap<string, DealerHandled>> {
  if (actor.role !== 'dealer') return NOTHING_HANDLED
  const quoted = rows.filter((row) => row.quote_json !== null).map((row) => row.id)
  if (quoted.length === 0) return NOTHING_HANDLED
  const histories = new Map<string, { seq: number; type: string; data: Record<string, unknown> }[]>(
    quoted.map((claimId) => [claimId, []]),
  )
  for (const event of await listEventsOfTypes(db, quoted, HANDLING_EVENTS)) {
    const history = histories.get(event.claim_id) ?? []
    history.push({ seq: Number(event.seq), type: event.type, data: JSON.parse(event.data) })
    histories.set(event.claim_id, history)
  }
  return new Map([...histories].map(([claimId, history]) => [claimId, dealerHandledOf(history)]))
}

/**
 * A page of claims as the response's JSON text (`{ items, next }`), each row's decisions
 * summarised: the column holds the summary, or the whole decision where the summaries are
 * older than the row, which the summary's schema strips of its trace. `handled` tells, for a
 * dealer, what it handled on the claims it no longer handles (`dealerHandledOnRows`).
 */
export function claimListJson(
  rows: readonly ClaimsTable[],
  actor: Actor,
  next: string | null,
  expiredQuotes: ReadonlySet<string>,
  handled: ReadonlyMap<string, DealerHandled> = NOTHING_HANDLED,
  provenUnits: ReadonlySet<string> = NO_PROVEN_UNITS,
): string {
  const items = rows.map((row) =>
    viewJson(
      row,
      actor,
      expiredQuotes,
      claimListItem,
      'claim list row',
      checkedSummaries,
      handled.get(row.id) ?? null,
      provenUnits,
    ),
  )
  return `{"items":[${items.join(',')}],"next":${JSON.stringify(next)}}`
}
