import { z } from 'zod'
import { nameSchema } from '../contracts/api/named-schema.ts'
import { pageCursor, pageLimit, pageOf } from '../contracts/api/page.ts'
import { showsSomething } from '../contracts/visible-text.ts'

/**
 * Request and response shapes of the staff's weighing of the proofs of purchase customers
 * file with their own registrations. Pure Zod: the web app derives its types from these.
 */

export const unitProofQueueQuery = z.object({
  /** `oldest` (the default) serves first whoever waited longest; `newest` shows the latest first. */
  order: z.enum(['oldest', 'newest']).default('oldest'),
  limit: pageLimit(),
  cursor: pageCursor(),
})

export const unitProofQueueItem = z.object({
  serial: z.string(),
  model: z.string(),
  /** The document offered: open it with `GET /api/v1/files/{fileId}`. */
  fileId: z.string(),
  fileName: z.string().nullable(),
  /** When the customer filed it with their registration. */
  offeredAt: z.string(),
  /** The purchase day the customer stated. */
  purchasedOn: z.string().nullable(),
  /** The unit's owner, who filed it; null once the unit has none. */
  customer: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  /** The unit's open claims, oldest first: each waits on this proof too. */
  openClaims: z.array(z.object({ id: z.string(), number: z.string() })),
})
nameSchema(unitProofQueueItem, {
  id: 'UnitProofWaiting',
  description:
    'A proof of purchase a customer filed with their own registration of a unit, waiting for staff.',
})
export const unitProofQueueResponse = pageOf(unitProofQueueItem)

const reasonText = z
  .string()
  .trim()
  .min(1, 'validation.required')
  .max(2000)
  .refine(showsSomething, 'validation.required')

export const acceptUnitProofBody = z.object({ fileId: z.string().min(1).max(100) })
/** The reason is told to the customer, in the words staff write. */
export const refuseUnitProofBody = z.object({ fileId: z.string().min(1).max(100), reason: reasonText })

export const unitProofVerdict = z.object({
  serial: z.string(),
  fileId: z.string(),
  status: z.enum(['accepted', 'refused']),
  /** The unit's purchase is proven (some proof of it accepted). */
  proofOfPurchase: z.boolean(),
})

/** A unit's proofs of purchase as its owner and staff read them on the unit. */
export const unitProofView = z.object({
  fileId: z.string(),
  fileName: z.string().nullable(),
  status: z.enum(['offered', 'accepted', 'refused']),
  /** Why staff refused it, as the customer is told. */
  reason: z.string().nullable(),
  offeredAt: z.string(),
  weighedAt: z.string().nullable(),
  /**
   * Who accepted or refused it (or filed it as accepted with a sale); null while it waits, or
   * where nobody is on record. Given to staff only: the owner is told what was found, not by whom.
   */
  weighedBy: z.object({ id: z.string(), name: z.string() }).nullable().optional(),
})
export type UnitProofView = z.infer<typeof unitProofView>
