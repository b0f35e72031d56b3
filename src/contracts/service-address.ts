import { z } from 'zod'

/**
 * An organisation's service address as stored and handed out: the ship-to of a return
 * authorisation, the claim event that records it, and the e-mail that prints it as a parcel
 * label reads it.
 */
export const serviceAddressSchema = z.object({
  name: z.string(),
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  postcode: z.string().optional(),
  region: z.string().optional(),
  country: z.string(),
})
