import type { Actor } from '../auth/index.ts'
import { type ReaddressedReturn, readdressReturnsOfDealer } from '../claims/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { findOrganisation, updateOrganisationActive } from './organisation.store.ts'

/**
 * Deactivates or reactivates an organisation, in one transaction. Nothing on file is removed
 * or renamed: only the flag, and who deactivated it when, change. Asking for the state it is
 * already in changes nothing and answers it as it stands. The seller itself stays active: its
 * staff and policies are the system's own. Deactivating a dealer re-addresses the returns
 * authorised to it and not yet received (`readdressReturnsOfDealer`), listed in the answer.
 */
export async function setOrganisationActive(
  ctx: AppContext,
  input: { id: string; active: boolean; actor: Actor },
) {
  return ctx.db.transaction().execute(async (trx) => {
    const org = await findOrganisation(trx, input.id)
    if (!org)
      throw new AppError(
        'not-found',
        { key: 'registry.organisation.unknown', params: { field: 'id', id: input.id } },
        { field: 'id' },
      )
    if (!input.active && org.kind === 'seller')
      throw new AppError(
        'conflict',
        { key: 'registry.organisation.seller-stays-active', params: { field: 'id', name: org.name } },
        { field: 'id' },
      )
    const at = ctx.now().toISOString()
    const changed = await updateOrganisationActive(trx, {
      id: org.id,
      active: input.active,
      byUserId: input.actor.userId === 'system' ? null : input.actor.userId,
      at,
    })
    // Nobody at a deactivated dealer signs in to record a parcel: the returns on their way to it
    // go to whoever serves the claim now, in the same transaction. Reactivating sends none back:
    // their customers were told where to send, and may have sent.
    const readdressedReturns: ReaddressedReturn[] =
      changed && !input.active ? await readdressReturnsOfDealer(ctx, trx, org.id, input.actor, at) : []
    return {
      organisation: changed ? ((await findOrganisation(trx, org.id)) ?? org) : org,
      readdressedReturns,
    }
  })
}
