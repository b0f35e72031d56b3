import type { Actor } from '../auth/index.ts'
import type { EvidenceKind } from '../contracts/case.ts'
import type { Db } from '../db/database.ts'
import { EVIDENCE_WORDS } from '../policies/index.ts'
import { findUnitBySerial } from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { EARLIEST_TIME_ZONE, localDate } from '../shared/local-date.ts'
import { paramIn } from '../shared/messages/translate.ts'
import { refuseLaterThanToday } from '../shared/not-later-than-today.ts'
import { findOrganisationAddress } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { toClaimParty } from './claim-access.ts'
import { type PreparedEvent, runClaimTransition, type TransitionContext } from './claim-transition.ts'
import { claimTimeZone } from './claim-view.ts'
import { withEvidence } from './domain/case-evidence.ts'
import { closeOutcomeByDefault, closeOutcomesFrom } from './domain/claim-lifecycle.ts'
import { isCloseOutcome } from './domain/close-outcomes.ts'
import { SELF_CHECK_LISTS, selfCheckListIdsFor } from './domain/self-checks.ts'
import { insertInfoRequestMessage } from './thread.ts'

/** Steps whose event carries what the caller said and little else. */
export const SIMPLE_STEPS = [
  'start-diagnosis',
  'record-selfcheck',
  'request-info',
  'provide-info',
  'resolve-remotely',
  'schedule-pickup',
  'receive-unit',
  'start-repair',
  'issue-refund',
  'forward-to-maker',
  'return-from-maker',
  'confirm-receipt',
  'close',
  'cancel',
] as const
export type SimpleStep = (typeof SIMPLE_STEPS)[number]

/** Template data for the steps the customer is told about by e-mail. */
async function emailFor(
  step: SimpleStep,
  input: Record<string, unknown>,
  tc: TransitionContext,
  timeZone: string,
): Promise<Record<string, unknown> | undefined> {
  switch (step) {
    case 'request-info':
      return { request: input.request }
    // Until it is closed, a customer whose claim was settled without shipping would hear nothing.
    case 'resolve-remotely':
      return { fix: input.fix, note: input.note }
    case 'schedule-pickup':
      return {
        pickupDate: input.pickupOn,
        ...(input.window ? { pickupWindow: input.window } : {}),
        ...(input.carrier ? { carrier: input.carrier } : {}),
        ...(input.address ? { address: input.address } : {}),
      }
    case 'receive-unit':
      return {
        // Without a day from staff it is today where the policy counts its days, not in UTC.
        receivedOn: (input.receivedOn as string | undefined) ?? localDate(new Date(tc.at), timeZone),
        ...(tc.claim.rma_number ? { rmaNumber: tc.claim.rma_number } : {}),
      }
    case 'forward-to-maker':
      return { makerName: input.makerName }
    case 'close': {
      // The e-mail words the outcome itself; an outcome it has no words for is left out.
      const outcome = String(input.outcome ?? tc.claim.outcome ?? 'completed')
      return isCloseOutcome(outcome) ? { outcome } : {}
    }
    default:
      return undefined
  }
}

/** Takes a step of the lifecycle whose data is the caller's input (a note, a question, a checklist). */
export function takeClaimStep(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
  step: SimpleStep,
  input: Record<string, unknown>,
): Promise<ClaimsTable> {
  return runClaimTransition(ctx, actor, claimId, step, version, async (tc): Promise<PreparedEvent> => {
    const data: Record<string, unknown> = { ...input }
    if (step === 'receive-unit' && typeof input.receivedOn === 'string') checkReceivedOn(input.receivedOn, tc)
    // A pickup is arranged for the claim: the customer's e-mail must not name a day before it.
    if (step === 'schedule-pickup') refuseBeforeOpened('pickupOn', String(input.pickupOn), tc)
    if (step === 'record-selfcheck') await refuseOtherLinesChecks(String(input.checklist), tc)
    // The event always says how the claim ended, so the case, the list and the e-mail agree.
    if (step === 'close') data.outcome = closeOutcomeOf(input.outcome, tc)
    let patch: Partial<ClaimsTable> | undefined
    if (step === 'forward-to-maker') {
      // Seed 002: agent products go on "to the manufacturer's warranty center".
      const unit = await findUnitBySerial(tc.trx, tc.claim.serial)
      const maker = unit ? await findOrganisationAddress(tc.trx, unit.brandOrgId) : undefined
      data.makerOrgId = maker?.id ?? null
      data.makerName = maker?.name ?? unit?.brandName ?? 'the maker'
    }
    if (step === 'provide-info' && Array.isArray(input.evidence) && input.evidence.length > 0) {
      if (toClaimParty(actor) !== 'staff') await refuseUnbackedEvidence(input.evidence as string[], tc)
      const evidence = withEvidence(tc.claim.case_json, input.evidence as string[])
      if (evidence) patch = { case_json: evidence.caseJson }
    }
    // The question also opens a turn in the case thread, where the customer answers it.
    const write =
      step === 'request-info'
        ? (trx: Db) => insertInfoRequestMessage(trx, tc, String(input.request))
        : undefined
    return {
      data,
      ...(patch ? { patch } : {}),
      ...(write ? { write } : {}),
      // The SLA clocks of receipt count from the day the unit came, not from when it was recorded.
      // The day is accepted if it was the opening day anywhere on Earth (checkReceivedOn); in the
      // policy's zone it may have ended before the claim was opened, and the unit came after that.
      ...(step === 'receive-unit' && typeof input.receivedOn === 'string'
        ? { occurredOn: input.receivedOn, occurredNotBefore: tc.claim.opened_at }
        : {}),
      email: await emailFor(step, data, tc, claimTimeZone(ctx.policies, tc.claim)),
    }
  })
}

/**
 * The day a unit arrived is told to the customer and starts SLA clocks: it cannot be later
 * than today, nor earlier than the day the claim was opened, each anywhere on Earth.
 */
function checkReceivedOn(receivedOn: string, tc: TransitionContext): void {
  refuseLaterThanToday('receivedOn', receivedOn, tc.at)
  refuseBeforeOpened('receivedOn', receivedOn, tc)
}

/** A day of the claim's own story is not before the day it was opened, anywhere on Earth. */
function refuseBeforeOpened(field: string, day: string, tc: TransitionContext): void {
  const openedOn = localDate(new Date(tc.claim.opened_at), EARLIEST_TIME_ZONE)
  if (day < openedOn)
    throw new AppError(
      'validation',
      { key: 'validation.not-before', params: { field, other: openedOn } },
      { field },
    )
}

/**
 * The decision takes evidence as supplied, so a customer's or dealer's item counts only when
 * a file of its kind is on the claim (uploaded to it, or sent with an answer); staff state
 * what they have seen themselves. Refused with 400 naming `evidence` and the item.
 */
async function refuseUnbackedEvidence(items: readonly string[], tc: TransitionContext): Promise<void> {
  const kinds = new Set(
    (
      await tc.trx
        .selectFrom('files')
        .select('kind')
        .where('claim_id', '=', tc.claim.id)
        .where('kind', 'in', [...items])
        .execute()
    ).map((row) => row.kind),
  )
  const unbacked = items.find((item) => !kinds.has(item))
  if (unbacked === undefined) return
  throw new AppError(
    'validation',
    {
      key: 'claims.evidence.unbacked',
      params: {
        field: 'evidence',
        item: unbacked,
        // The item in the reader's words, the code kept for programs.
        [paramIn('en', 'item')]: EVIDENCE_WORDS[unbacked as EvidenceKind]?.en ?? unbacked,
        [paramIn('zh', 'item')]: EVIDENCE_WORDS[unbacked as EvidenceKind]?.zh ?? unbacked,
      },
    },
    { field: 'evidence' },
  )
}

/** Answers to the steps of another product line's list say nothing about this unit. */
async function refuseOtherLinesChecks(checklist: string, tc: TransitionContext): Promise<void> {
  const unit = await findUnitBySerial(tc.trx, tc.claim.serial)
  const allowed = unit
    ? selfCheckListIdsFor({ brandOrgId: unit.brandOrgId, category: unit.category })
    : SELF_CHECK_LISTS.map((l) => l.id)
  if (allowed.includes(checklist)) return
  throw new AppError(
    'validation',
    {
      key: 'claims.self-check.other-line',
      params: { field: 'checklist', checklist, allowed: allowed.join(', ') },
    },
    { field: 'checklist' },
  )
}

function closeOutcomeOf(given: unknown, tc: TransitionContext): string {
  const allowed = closeOutcomesFrom(tc.claim.state) ?? []
  const outcome =
    typeof given === 'string'
      ? given
      : closeOutcomeByDefault(tc.claim.state, tc.facts.quote?.status === 'declined')
  if (outcome !== undefined && (allowed.length === 0 || allowed.some((fit) => fit === outcome)))
    return outcome
  throw new AppError(
    'validation',
    {
      key: 'claims.close.outcome',
      params: { field: 'outcome', state: tc.claim.state, allowed: allowed.join(', ') },
    },
    { field: 'outcome' },
  )
}
