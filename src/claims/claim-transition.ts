import type { Actor } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { findClaimForUpdate, updateClaimAtVersion } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { requireVisibleClaim, toClaimParty } from './claim-access.ts'
import { announceClaimEvent } from './claim-effects.ts'
import { appendClaimEvent, chainHeadColumns, chainHeadOf, EMPTY_CHAIN } from './claim-history.ts'
import {
  changedProjectionColumns,
  findUnitsProvenBeyondWaitingProof,
  lifecycleFactsOf,
  projectionFromRow,
  rememberProjection,
} from './claim-view.ts'
import { checkTransition, isTerminal, type LifecycleFacts } from './domain/claim-lifecycle.ts'
import { applyClaimEvent, type ClaimProjection } from './domain/claim-projection.ts'

export interface PreparedEvent {
  /** The event's data: what the projection and the audit need. */
  data: Record<string, unknown>
  /** Claim columns the event changes beside the projection (RMA details, evidence). */
  patch?: Partial<ClaimsTable>
  /** Template data when the customer is told by e-mail. */
  email?: Record<string, unknown>
  /** Extra writes in the same transaction (quote rows, payments, units). */
  write?: (trx: Db) => Promise<void>
  /** The local day the physical event happened, when earlier than its recording (a unit received): clocks count from it. */
  occurredOn?: string
  /** The earliest moment that physical event can have happened: a unit arrives after its claim was opened. */
  occurredNotBefore?: string
  /** Events the step appends after its own, in the same transaction (a question it asks, say). */
  followedBy?: readonly CommittedEvent[]
}

export interface TransitionContext {
  trx: Db
  claim: ClaimsTable
  facts: LifecycleFacts
  at: string
  actor: Actor
}

/**
 * The one way a claim changes: in one transaction, load and lock the claim, refuse what is
 * invisible (404), stale (412) or not allowed (409 with the reason and the allowed
 * actions), prepare the event, append it to the chain, write the new projection, start
 * the SLA clocks and the notifications. Returns the updated claim.
 *
 * One read of the locked row serves visibility, version, state and the head of the hash
 * chain; the answer is built from what the transaction wrote, not read again.
 */
export async function runClaimTransition(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  action: string,
  expectedVersion: number,
  prepare: (tc: TransitionContext) => Promise<PreparedEvent> | PreparedEvent,
): Promise<ClaimsTable> {
  return ctx.db.transaction().execute(async (trx) => {
    const claim = requireVisibleClaim(
      await findClaimForUpdate(trx, claimId, ctx.engine === 'postgres'),
      actor,
      claimId,
    )
    requireClaimVersion(claim, expectedVersion)
    // The quote's last day is not judged here: `answerQuote` refuses a customer's late
    // acceptance itself, naming the day and the field at fault (`claims.quote.expired`).
    // Whether the registry proves the unit's purchase is read only where a proof waits on the claim.
    const facts = lifecycleFactsOf(claim, false, await findUnitsProvenBeyondWaitingProof(trx, [claim]))
    const check = checkTransition(facts, action, toClaimParty(actor), actor.role)
    if (!check.ok) {
      throw new AppError(check.forbidden ? 'forbidden' : 'conflict', check.refusal, {
        details: { state: facts.state, allowed: check.allowed },
      })
    }
    const at = ctx.now().toISOString()
    const { followedBy = [], ...prepared } = await prepare({ trx, claim, facts, at, actor })
    return commitClaimEvents(ctx, trx, claim, actor, at, [
      { type: check.rule.event, ...prepared },
      ...followedBy,
    ])
  })
}

/** The claim as read, or a 412 when it is no longer at the version the change was based on. */
export function requireClaimVersion<Claim extends Pick<ClaimsTable, 'version'>>(
  claim: Claim,
  expectedVersion: number,
): Claim {
  if (Number(claim.version) !== expectedVersion) {
    throw new AppError(
      'precondition-failed',
      { key: 'claim.version-stale', params: { version: Number(claim.version), expected: expectedVersion } },
      {
        details: { version: Number(claim.version) },
      },
    )
  }
  return claim
}

/** One event a step appends, with what goes beside it. */
export interface CommittedEvent extends PreparedEvent {
  type: string
  /** Webhook data when it differs from the event's data. */
  webhook?: Record<string, unknown>
}

/**
 * The core every change of a claim goes through, opening included: append the events to
 * the chain, project them onto the claim, write the row at the version it was read with,
 * run the extra writes, then start the clocks and notifications of each event. In the
 * caller's transaction; `claim` is the row as read (or just inserted, at version 0).
 */
export async function commitClaimEvents(
  ctx: Pick<AppContext, 'policies'>,
  trx: Db,
  claim: ClaimsTable,
  actor: Actor,
  at: string,
  events: readonly CommittedEvent[],
): Promise<ClaimsTable> {
  const before = projectionFromRow(claim)
  let projection = before
  let head = chainHeadOf(claim) ?? EMPTY_CHAIN
  let patch: Partial<ClaimsTable> = {}
  // What each event was applied to: its announcement compares the claim before and after it.
  const applied: { event: CommittedEvent; appliedTo: ClaimProjection }[] = []
  for (const event of events) {
    applied.push({ event, appliedTo: projection })
    const appended = await appendClaimEvent(
      trx,
      { claimId: claim.id, type: event.type, at, actor, data: event.data },
      head,
    )
    head = appended
    // The projection takes the data as stored, so the answer equals what a re-read would give.
    projection = applyClaimEvent(projection, { type: appended.type, at, data: appended.storedData })
    patch = { ...patch, ...event.patch }
  }
  patch = {
    ...patch,
    ...changedProjectionColumns(before, projection),
    ...chainHeadColumns(head),
    updated_at: at,
    ...(isTerminal(projection.state) ? { closed_at: at } : {}),
  }
  if ((await updateClaimAtVersion(trx, claim.id, Number(claim.version), patch)) !== 1) {
    throw new AppError('precondition-failed', { key: 'claims.changed-meanwhile' })
  }
  for (const event of events) await event.write?.(trx)
  const updated = { ...claim, ...patch } as ClaimsTable
  rememberProjection(updated, projection)
  for (const { event, appliedTo } of applied) {
    await announceClaimEvent(ctx, trx, updated, {
      type: event.type,
      at,
      actor,
      email: event.email,
      webhook: event.webhook ?? event.data,
      before: appliedTo,
      ...(event.occurredOn === undefined ? {} : { occurredOn: event.occurredOn }),
      ...(event.occurredNotBefore === undefined ? {} : { occurredNotBefore: event.occurredNotBefore }),
    })
  }
  return updated
}
