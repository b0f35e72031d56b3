import type { z } from 'zod'
import { requireActor } from '../auth/index.ts'
import { headerLanguage } from '../http/request-language.ts'
import type { HttpApp } from '../http/types.ts'
import {
  errorResponse,
  formatPostalAddress,
  postalAddressExample,
  serviceAddressToPostal,
} from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import type { MessageLanguage } from '../shared/messages/translate.ts'
import { claimIdParams, type rmaView } from './claim.schemas.ts'
import { findClaim } from './claim.store.ts'
import { requireClaimAccess } from './claim-access.ts'
import { isReturnShipped } from './domain/claim-states.ts'
import { claimAddressesView, returnAddressBody } from './return-address.schemas.ts'
import { resolveReturnAddress, setReturnAddress } from './return-address.ts'

const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
}

/** The two addresses of a claim: where the unit goes (ship-to) and where it comes back to. */
export async function returnAddressRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  // The lines are worded (the phone's label) in the language the web app asks in.
  const view = async (claimId: string, language: MessageLanguage) => {
    const claim = await findClaim(ctx.db, claimId)
    const returnAddress = (await resolveReturnAddress(ctx.db, claimId)) ?? null
    const rma = claim?.rma_json ? (JSON.parse(claim.rma_json) as z.infer<typeof rmaView>) : null
    const shipTo = rma ? serviceAddressToPostal(rma.shipTo.name, rma.shipTo) : null
    return {
      returnAddress,
      returnAddressLines: returnAddress ? formatPostalAddress(returnAddress, language) : [],
      shipTo,
      shipToLines: shipTo ? formatPostalAddress(shipTo, language) : [],
      servedInsteadOf: rma?.servedInsteadOf?.name ?? null,
      editable: claim ? !isReturnShipped(claim.state) : false,
    }
  }

  app.get(
    '/api/v1/claims/:id/addresses',
    {
      schema: {
        tags: ['claims'],
        summary: 'Return address and ship-to address of a claim',
        description: 'Both in full, as printed on the repair order; visible to whoever may see the claim.',
        params: claimIdParams,
        response: { 200: claimAddressesView, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      await requireClaimAccess(ctx.db, actor, request.params.id)
      return view(request.params.id, headerLanguage(request))
    },
  )

  app.put(
    '/api/v1/claims/:id/return-address',
    {
      schema: {
        tags: ['claims'],
        summary: 'Set the return address of a claim',
        description:
          "Pick one of the customer's saved addresses (`addressId`) or enter one (`address`). The customer or staff may change it until the return ships; it is required before it does.",
        params: claimIdParams,
        body: returnAddressBody.meta({
          examples: [{ address: postalAddressExample }, { addressId: 'adr-…' }],
        }),
        response: { 200: claimAddressesView, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      await setReturnAddress(ctx, actor, request.params.id, request.body)
      return view(request.params.id, headerLanguage(request))
    },
  )
}
