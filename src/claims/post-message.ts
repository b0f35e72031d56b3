import crypto from 'node:crypto'
import type { AppContext } from '../app/context.ts'
import type { Actor } from '../auth/actor.ts'
import { findClaimForUpdate, insertMessage, touchClaim } from './claim.store.ts'
import type { ClaimMessagesTable } from './claim.tables.ts'
import { requireVisibleClaim } from './claim-access.ts'
import { announceClaimEvent } from './claim-effects.ts'
import { appendClaimEvent, chainHeadColumns, chainHeadOf } from './claim-history.ts'
import { MESSAGE_POSTED } from './domain/claim-events.ts'

/**
 * A message on the case between customer, dealer and staff. It joins the history but
 * does not change the case, so it needs no If-Match and leaves the version alone.
 */
export async function postMessage(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  body: string,
): Promise<ClaimMessagesTable> {
  return ctx.db.transaction().execute(async (trx) => {
    const claim = requireVisibleClaim(
      await findClaimForUpdate(trx, claimId, ctx.engine === 'postgres'),
      actor,
      claimId,
    )
    const at = ctx.now().toISOString()
    const message: ClaimMessagesTable = {
      id: crypto.randomUUID(),
      claim_id: claimId,
      author_id: actor.userId,
      author_role: actor.role,
      author_name: actor.name,
      body,
      posted_at: at,
    }
    await insertMessage(trx, message)
    const event = await appendClaimEvent(
      trx,
      { claimId, type: MESSAGE_POSTED, at, actor, data: { messageId: message.id, body } },
      chainHeadOf(claim),
    )
    await touchClaim(trx, claimId, at, chainHeadColumns(event))
    await announceClaimEvent(ctx, trx, claim, {
      type: MESSAGE_POSTED,
      at,
      actor,
      email: { authorName: actor.name, excerpt: body.length > 200 ? `${body.slice(0, 197)}...` : body },
      webhook: { messageId: message.id },
    })
    return message
  })
}
