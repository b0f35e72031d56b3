import { z } from 'zod'
import { pageCursor, pageLimit } from '../contracts/api/page.ts'

/**
 * Request and response shapes of the dealer's desk. No server imports: the web app derives
 * its types from these (web/src/api/types.ts).
 */

export const deskQuery = z.object({
  /** The start of a serial, or part of the buyer's name or e-mail. */
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

export const deskUnit = z.object({
  serial: z.string(),
  model: z.string(),
  customer: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  purchasedOn: z.string().nullable(),
  policy: z.string(),
  /** The standard window judged today; null when the policy gives none. */
  warranty: z.object({ starts: z.string(), ends: z.string(), inWarranty: z.boolean() }).nullable(),
})

export const pendingQuery = z.object({ limit: pageLimit(), cursor: pageCursor() })

export const pendingSale = z.object({
  serial: z.string(),
  model: z.string(),
  /** The purchase day the buyer stated. */
  purchasedOn: z.string().nullable(),
  dealer: z.object({ id: z.string(), name: z.string() }),
})

export const saleAnswer = z.object({ serial: z.string(), status: z.enum(['confirmed', 'refused']) })

/** `GET /api/v1/dealer-desk/units`. */
export const deskUnitList = z.object({ items: z.array(deskUnit), next: z.string().nullable() })

/** `GET /api/v1/dealer-desk/sale-confirmations`: what recognises the sale, never the buyer. */
export const pendingSaleList = z.object({ items: z.array(pendingSale), next: z.string().nullable() })
