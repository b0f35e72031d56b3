import type { AppContext } from '../app/context.ts'
import type { Actor } from '../auth/actor.ts'
import type { Db } from '../db/database.ts'
import { AppError } from '../shared/errors.ts'
import { findClaimForUpdate, updateClaimAtVersion } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { requireVisibleClaim, toClaimParty } from './claim-access.ts'
import { announceClaimEvent } from './claim-effects.ts'
import { appendClaimEvent } from './claim-history.ts'
import { lifecycleFactsOf, projectionColumns, projectionFromRow } from './claim-view.ts'
import { checkTransition, isTerminal, type LifecycleFacts } from './domain/claim-lifecycle.ts'
import { applyClaimEvent } from './domain/claim-projection.ts'

export interface PreparedEvent {
  /** The event's data: what the projection and the audit need. */
  data: Record<string, unknown>
  /** Claim columns the event changes beside the projection (RMA details, evidence). */
  patch?: Partial<ClaimsTable>
  /** Template data when the customer is told by e-mail. */
  email?: Record<string, unknown>
  /** Extra writes in the same transaction (quote rows, payments, units). */
  write?: (trx: Db) => Promise<void>
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
    if (Number(claim.version) !== expectedVersion) {
      throw new AppError(
        'precondition-failed',
        `The claim changed: it is at version ${claim.version}, not ${expectedVersion}`,
        {
          details: { version: Number(claim.version) },
        },
      )
    }
    const facts = lifecycleFactsOf(claim)
    const check = checkTransition(facts, action, toClaimParty(actor))
    if (!check.ok) {
      throw new AppError(check.forbidden ? 'forbidden' : 'conflict', check.reason, {
        details: { state: facts.state, allowed: check.allowed },
      })
    }
    const at = ctx.now().toISOString()
    const prepared = await prepare({ trx, claim, facts, at, actor })
    const event = await appendClaimEvent(trx, {
      claimId,
      type: check.rule.event,
      at,
      actor,
      data: prepared.data,
    })
    const projection = applyClaimEvent(projectionFromRow(claim), {
      type: event.type,
      at,
      data: prepared.data,
    })
    const patch: Partial<ClaimsTable> = {
      ...prepared.patch,
      ...projectionColumns(projection),
      updated_at: at,
      ...(isTerminal(projection.state) ? { closed_at: at } : {}),
    }
    if ((await updateClaimAtVersion(trx, claimId, expectedVersion, patch)) !== 1) {
      throw new AppError(
        'precondition-failed',
        'The claim changed while this change was being made; read it again',
      )
    }
    await prepared.write?.(trx)
    const updated = { ...claim, ...patch } as ClaimsTable
    await announceClaimEvent(ctx, trx, updated, {
      type: event.type,
      at,
      actor,
      email: prepared.email,
      webhook: prepared.data,
    })
    return updated
  })
}
