import { requireRole, requireStaff } from '../auth/index.ts'
import { joinEncodedCursor, nextCursor, splitKeyCursor } from '../contracts/api/page.ts'
import { likeLiteral, lowerLike } from '../db/contains-text.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { answerDealerSale, listPendingDealerSales } from './answer-dealer-sale.ts'
import { deskQuery, deskUnitList, pendingQuery, pendingSaleList, saleAnswer } from './dealer-desk.schemas.ts'
import { listPendingSalesForStaff } from './list-pending-sales-for-staff.ts'
import { createWarrantyLookup } from './look-up-warranty.ts'
import {
  errorResponse,
  serialParams,
  staffPendingSaleListResponse,
  staffPendingSaleQuery,
} from './registry.schemas.ts'
import { selectUnitRecords, soldThrough, toUnitRecord } from './unit.store.ts'
import { unitScopeFor } from './unit-scope.ts'

const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse }

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
        response: { 200: deskUnitList },
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
      if ('dealerOrgId' in scope) query = query.where(soldThrough('u', scope.dealerOrgId))
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

  app.get(
    '/api/v1/dealer-desk/sale-confirmations',
    {
      schema: {
        tags: ['registry'],
        summary: 'Sales buyers say a dealer made, waiting for the dealer to confirm them',
        description:
          "Units whose buyer named this dealer when registering them: serial, model and the purchase day the buyer stated, nothing about the buyer. Until the dealer (or the seller's staff) confirms the sale the dealer sees none of the unit's claims, and the seller handles them. Dealers see their own; staff see every dealer's.",
        querystring: pendingQuery,
        response: { 200: pendingSaleList, ...errors },
      },
    },
    async (request) => {
      const actor = requireRole(request, ['dealer', 'support', 'technician', 'manager', 'admin'])
      const { limit, cursor } = request.query
      const after = cursor === undefined ? undefined : splitKeyCursor(cursor, 2)
      const items = await listPendingDealerSales(ctx.db, actor, limit, after as [string, string] | undefined)
      return {
        items,
        next: nextCursor(items, limit, (sale) => joinEncodedCursor([sale.dealer.id, sale.serial])),
      }
    },
  )

  app.get(
    '/api/v1/pending-dealer-sales',
    {
      schema: {
        tags: ['registry'],
        summary: "Every dealer's sales waiting for the dealer to confirm them (the seller's staff)",
        querystring: staffPendingSaleQuery,
        response: { 200: staffPendingSaleListResponse, ...errors },
      },
    },
    async (request) => {
      requireStaff(request)
      const { limit, cursor, dealer } = request.query
      const after = cursor === undefined ? undefined : splitKeyCursor(cursor, 2)
      const items = await listPendingSalesForStaff(ctx.db, {
        limit,
        dealerOrgId: dealer,
        after: after as [string, string] | undefined,
      })
      return {
        items,
        next: nextCursor(items, limit, (sale) => joinEncodedCursor([sale.dealer.id, sale.serial])),
      }
    },
  )

  for (const [action, answer] of [
    ['confirm', 'confirm'],
    ['refuse', 'refuse'],
  ] as const) {
    app.post(
      `/api/v1/dealer-desk/sale-confirmations/:serial/${action}`,
      {
        schema: {
          tags: ['registry'],
          summary:
            answer === 'confirm'
              ? 'Confirm that this dealer sold the unit (the dealer named, or staff)'
              : 'Refuse a sale the buyer said this dealer made (the dealer named, or staff)',
          description:
            answer === 'confirm'
              ? "The dealer becomes the unit's dealer: it sees the unit and its claims, those opened while the sale waited included, and decisions read the sale as the dealer's: each open claim not yet decided after inspection is decided again, so the dealer serves it and receives the unit where the policy has a dealer's buyer served by the dealer. 404 when no sale of the unit waits for this dealer."
              : "The unit is left with no dealer: a sale of the seller's own as its policy reads it, and the dealer sees nothing of it. 404 when no sale of the unit waits for this dealer.",
          params: serialParams,
          response: { 200: saleAnswer, ...errors },
        },
      },
      async (request) =>
        answerDealerSale(
          ctx,
          requireRole(request, ['dealer', 'support', 'technician', 'manager', 'admin']),
          request.params.serial,
          answer,
        ),
    )
  }
}
