import { z } from 'zod'
import { postalAddressBody, postalAddressView } from '../registry/index.ts'

/** The return address of a claim: one of the customer's saved addresses, or one entered for it. */
export const returnAddressBody = z.union([
  z.object({ addressId: z.string().min(1).describe("one of the customer's saved addresses") }).strict(),
  z.object({ address: postalAddressBody }).strict(),
])

export const claimAddressesView = z.object({
  returnAddress: postalAddressView.nullable().describe('where the unit goes back to; null until given'),
  returnAddressLines: z.array(z.string()),
  shipTo: postalAddressView.nullable().describe('where the customer sends the unit (after authorisation)'),
  shipToLines: z.array(z.string()),
  servedInsteadOf: z
    .string()
    .nullable()
    .describe('the dealer that sold the unit, when it no longer serves claims and the seller does instead')
    .optional(),
  editable: z.boolean().describe('false once the return has shipped'),
})
