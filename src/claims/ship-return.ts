import type { z } from 'zod'
import type { Actor } from '../auth/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import type { shipReturnBody } from './claim.schemas.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { runClaimTransition } from './claim-transition.ts'
import { requireReturnAddress } from './return-address.ts'

/** Seed 003 step four: "we will mail the equipment to your address and call you the courier number". */
export async function shipReturn(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
  input: z.output<typeof shipReturnBody>,
): Promise<ClaimsTable> {
  return await runClaimTransition(
    ctx,
    actor,
    claimId,
    'ship-return',
    version,
    async ({ trx, facts, claim }) => {
      // Asked only of a claim the actor may see, in a state it may ship from: before that, the
      // answer would tell an outsider the claim exists, or a reader a step the state forbids.
      await requireReturnAddress(trx, claimId)
      return {
        data: {
          carrier: input.carrier,
          trackingNumber: input.trackingNumber,
          // A declined quote goes back unrepaired; a replacement ships the new unit.
          contents:
            facts.state === 'quote-declined'
              ? 'returned-unrepaired'
              : facts.state === 'replacing'
                ? `replacement ${claim.replacement_serial ?? ''}`.trim()
                : 'serviced-unit',
        },
        email: {
          carrier: input.carrier,
          trackingNumber: input.trackingNumber,
          ...(input.trackingUrl ? { trackingUrl: input.trackingUrl } : {}),
        },
      }
    },
  )
}
