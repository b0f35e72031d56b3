import { z } from 'zod'
import { requireRole } from '../auth/index.ts'
import { likeLiteral, lowerLike } from '../db/contains-text.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { createWarrantyLookup } from './look-up-warranty.ts'
import { selectUnitRecords, toUnitRecord } from './unit.store.ts'
import { unitScopeFor } from './unit-scope.ts'

const deskQuery = z.object({
  /** The start of a serial, or part of the buyer's name or e-mail. */
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

const deskUnit = z.object({
  serial: z.string(),
  model: z.string(),
  customer: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  purchasedOn: z.string().nullable(),
  policy: z.string(),
  /** The standard window judged today; null when the policy gives none. */
  warranty: z.object({ starts: z.string(), ends: z.string(), inWarranty: z.boolean() }).nullable(),
})

/** The dealer's desk: its units found by serial or by the buyer's name, each with its warranty in force today. */
export async function dealerDeskRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const lookup = createWarrantyLookup(ctx)
  app.get(
    '/api/v1/dealer-desk/units',
    {
      schema: {
        tags: ['registry'],
        summary: "The units a dealer sold, searched by serial or customer, with each unit's warranty",
        description:
          "`q` matches the start of a serial or part of the buyer's name or e-mail. Dealers see their own sales; staff see all.",
        querystring: deskQuery,
        response: { 200: z.object({ items: z.array(deskUnit), next: z.string().nullable() }) },
      },
    },
    async (request) => {
      const actor = requireRole(request, ['dealer', 'support', 'technician', 'manager', 'admin'])
      const scope = unitScopeFor(actor)
      let query = selectUnitRecords(ctx.db)
        .leftJoin('customers as c', 'c.id', 'u.owner_customer_id')
        .select(['c.name as customer_name', 'c.email as customer_email'])
        .orderBy('u.serial')
        .limit(request.query.limit)
      if ('none' in scope) return { items: [], next: null }
      if ('dealerOrgId' in scope) query = query.where('u.dealer_org_id', '=', scope.dealerOrgId)
      if ('ownerCustomerId' in scope) query = query.where('u.owner_customer_id', '=', scope.ownerCustomerId)
      const q = request.query.q
      if (q) {
        const literal = likeLiteral(q)
        query = query.where((eb) =>
          eb.or([
            lowerLike('u.serial', `${literal}%`),
            lowerLike('c.name', `%${literal}%`),
            lowerLike('c.email', `%${literal}%`),
          ]),
        )
      }
      const rows = await query.execute()
      const items = await Promise.all(
        rows.map(async (row) => {
          const unit = toUnitRecord(row)
          const found = await lookup.lookUp(unit.serial)
          return {
            serial: unit.serial,
            model: unit.modelName,
            customer:
              unit.ownerCustomerId && row.customer_name && row.customer_email
                ? { id: unit.ownerCustomerId, name: row.customer_name, email: row.customer_email }
                : null,
            purchasedOn: unit.purchasedOn,
            policy: `${unit.policyId}@${unit.policyVersion}`,
            warranty: found.warranty ? { ...found.warranty, inWarranty: found.inWarranty } : null,
          }
        }),
      )
      return { items, next: null }
    },
  )
}
