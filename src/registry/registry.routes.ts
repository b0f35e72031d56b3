import { z } from 'zod'
import { type Actor, isStaff, requireActor, requireRole } from '../auth/index.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { languageFromHeader } from '../shared/messages/translate.ts'
import { createOrganisation } from './create-organisation.ts'
import { dealerServesCustomer, findCustomerById, listCustomers } from './customer.store.ts'
import { normalizeModelKey } from './domain/model-key.ts'
import { importRoutes } from './import.routes.ts'
import { findSaleModel } from './insert-unit-sale.ts'
import { createWarrantyLookup } from './look-up-warranty.ts'
import { findModelById, listModels } from './model.store.ts'
import { listDealersOfSeller, listOrganisations } from './organisation.store.ts'
import { registerUnit } from './register-unit.ts'
import { maskOwnerFor } from './registration-rules.ts'
import type { WarrantyLookup } from './registry.schemas.ts'
import {
  createOrganisationBody,
  createUnitBody,
  customerListQuery,
  customerListResponse,
  customerResponse,
  errorResponse,
  idParams,
  modelListQuery,
  modelListResponse,
  modelResponse,
  organisationListQuery,
  organisationListResponse,
  organisationResponse,
  organisationStandingResponse,
  serialParams,
  transferBody,
  transferResponse,
  unitListQuery,
  unitListResponse,
  unitOfferAnswerBody,
  unitOfferListResponse,
  unitResponse,
  warrantyLookupResponse,
} from './registry.schemas.ts'
import { toCustomerView, toModelView, toOrganisationView, toStaffOrganisationView } from './registry-views.ts'
import { setOrganisationActive } from './set-organisation-active.ts'
import { transferUnit, withdrawTransferOffer } from './transfer-unit.ts'
import { findUnitBySerial, isUnitInScope, listUnits, type UnitRecord } from './unit.store.ts'
import { answerUnitOffer, findPendingOffers, listUnitOffers } from './unit-offer.ts'
import type { UnitProofView } from './unit-proof.schemas.ts'
import { listUnitProofsOf } from './unit-proof.store.ts'
import { unitScopeFor } from './unit-scope.ts'
import { toUnitView } from './unit-view.ts'

const UNITS = ['units']
const CATALOGUE = ['catalogue']
const PARTIES = ['organisations and customers']
const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
}

/** HTTP routes of the registry feature. */
export async function registryRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const warrantyLookup = createWarrantyLookup(ctx)
  /**
   * The offers waiting on these units, for a caller who may read them: staff, and an owner
   * (their own offers, so they can withdraw one sent to a mistyped address). Undefined for
   * anyone else: a dealer or a shop's key is not told to whom an owner sells a unit on.
   */
  const pendingOffersFor = async (actor: Actor, units: UnitRecord[]) => {
    const serials = units.map((unit) => unit.serial)
    if (isStaff(actor)) return findPendingOffers(ctx.db, serials)
    if (actor.role !== 'customer' || !actor.customerId) return undefined
    const owner = actor.customerId
    const owned = serials.filter((_, index) => units[index]?.ownerCustomerId === owner)
    return findPendingOffers(ctx.db, owned, owner)
  }
  /**
   * The proofs of purchase of these units, for staff and for the units' owner (what staff found
   * of the proof they filed, a refusal's reason too); undefined for anyone else.
   */
  const purchaseProofsFor = async (actor: Actor, units: UnitRecord[]) => {
    if (isStaff(actor))
      return listUnitProofsOf(
        ctx.db,
        units.map((unit) => unit.serial),
        { withWeigher: true },
      )
    if (actor.role !== 'customer' || !actor.customerId) return undefined
    const owner = actor.customerId
    return listUnitProofsOf(
      ctx.db,
      units.filter((unit) => unit.ownerCustomerId === owner).map((unit) => unit.serial),
      { withWeigher: false },
    )
  }
  const proofsOf = (proofs: Map<string, UnitProofView[]> | undefined, unit: UnitRecord, actor: Actor) =>
    proofs === undefined || (!isStaff(actor) && unit.ownerCustomerId !== actor.customerId)
      ? undefined
      : (proofs.get(unit.serial) ?? [])
  // A listening server fills the look-up cache in the background; injected test requests do not.
  let closed = false
  let filled!: (units: number) => void
  app.decorate('warrantyCacheFilled', new Promise<number>((resolve) => (filled = resolve)))
  app.addHook('onListen', async () => {
    warrantyLookup
      .warm(() => closed)
      .then(filled, (error: unknown) => {
        if (!closed) app.log.error({ err: error }, 'filling the warranty look-up cache failed')
        filled(0)
      })
  })
  app.addHook('onClose', async () => {
    closed = true
  })
  await importRoutes(app, ctx)
  app.get(
    '/api/v1/units/:serial/warranty',
    {
      schema: {
        tags: UNITS,
        summary: 'Look up the warranty of a unit by serial (public, no owner data)',
        params: serialParams,
        response: { 200: warrantyLookupResponse, ...errors },
      },
    },
    async (request, reply) => {
      const json = await warrantyLookup.lookUpJson(request.params.serial)
      // Ready JSON text, already checked against the response schema when it was made; Fastify
      // sends a string with a JSON content type as it is, and the type provider cannot say so.
      return reply.type('application/json; charset=utf-8').send(json as unknown as WarrantyLookup)
    },
  )

  app.get(
    '/api/v1/units',
    {
      schema: {
        tags: UNITS,
        summary: 'List the units the caller may see',
        querystring: unitListQuery,
        response: { 200: unitListResponse, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const { serialPrefix, model, dealer, limit } = request.query
      const after = request.query.cursor ?? request.query.after
      const units = await listUnits(ctx.db, {
        scope: unitScopeFor(actor),
        limit,
        ...(serialPrefix ? { serialPrefix } : {}),
        ...(model ? { modelKey: normalizeModelKey(model) } : {}),
        ...(dealer ? { dealerOrgId: dealer } : {}),
        ...(after ? { after } : {}),
      })
      const last = units.at(-1)
      const offers = await pendingOffersFor(actor, units)
      const proofs = await purchaseProofsFor(actor, units)
      return {
        items: units.map((unit) =>
          toUnitView(unit, offers && (offers.get(unit.serial) ?? null), proofsOf(proofs, unit, actor)),
        ),
        next: units.length === limit && last ? last.serial : null,
      }
    },
  )

  app.get(
    '/api/v1/units/:serial',
    {
      schema: {
        tags: UNITS,
        summary: 'One unit with its sale, if the caller may see it',
        params: serialParams,
        response: { 200: unitResponse, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const unit = await findUnitBySerial(ctx.db, request.params.serial)
      if (!unit || !isUnitInScope(unit, unitScopeFor(actor))) {
        throw new AppError(
          'not-found',
          { key: 'unit.not-found', params: { serial: request.params.serial } },
          { field: 'serial' },
        )
      }
      const offers = await pendingOffersFor(actor, [unit])
      const proofs = await purchaseProofsFor(actor, [unit])
      return toUnitView(unit, offers && (offers.get(unit.serial) ?? null), proofsOf(proofs, unit, actor))
    },
  )

  app.post(
    '/api/v1/units',
    {
      schema: {
        tags: UNITS,
        summary: 'Record a sale (staff, dealer) or register an owned unit (customer)',
        body: createUnitBody,
        response: { 201: unitResponse, ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const unit = await registerUnit(
        ctx,
        actor,
        request.body,
        languageFromHeader(request.headers['accept-language']),
      )
      // A customer reads at once that the proof they filed waits for the service team.
      const proofs = actor.role === 'customer' ? await purchaseProofsFor(actor, [unit]) : undefined
      return reply
        .status(201)
        .send(toUnitView(maskOwnerFor(actor, unit), undefined, proofsOf(proofs, unit, actor)))
    },
  )

  app.get(
    '/api/v1/me/unit-offers',
    {
      schema: {
        tags: UNITS,
        summary: 'Units sellers recorded as sold to me, waiting for my answer (customer)',
        response: { 200: unitOfferListResponse, ...errors },
      },
    },
    async (request) => {
      const actor = requireRole(request, ['customer'])
      const offers = actor.customerId ? await listUnitOffers(ctx.db, actor.customerId) : []
      return { items: offers, next: null }
    },
  )

  app.post(
    '/api/v1/units/:serial/offer-answer',
    {
      schema: {
        tags: UNITS,
        summary: 'Accept or decline a unit a seller recorded as sold to me (customer)',
        params: serialParams,
        body: unitOfferAnswerBody,
        response: { 200: unitResponse, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const unit = await answerUnitOffer(ctx, actor, request.params.serial, request.body.accept)
      return toUnitView(maskOwnerFor(actor, unit))
    },
  )

  app.delete(
    '/api/v1/units/:serial/transfers/pending',
    {
      schema: {
        tags: UNITS,
        summary: 'Withdraw my second-hand offer of a unit the buyer has not answered yet (owner or staff)',
        params: serialParams,
        response: { 204: z.null().describe('No content'), ...errors },
      },
    },
    async (request, reply) => {
      await withdrawTransferOffer(ctx, requireActor(request), request.params.serial)
      return reply.status(204).send(null)
    },
  )

  app.post(
    '/api/v1/units/:serial/transfers',
    {
      schema: {
        tags: UNITS,
        summary: 'Transfer a unit to a new owner (second hand)',
        params: serialParams,
        body: transferBody,
        response: { 201: transferResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await transferUnit(ctx, requireActor(request), request.params.serial, request.body)
      return reply.status(201).send(result)
    },
  )

  app.get(
    '/api/v1/models',
    {
      schema: {
        tags: CATALOGUE,
        summary: 'The product catalogue',
        querystring: modelListQuery,
        response: { 200: modelListResponse, ...errors },
      },
    },
    async (request) => {
      const { brand, category } = request.query
      const rows = await listModels(ctx.db, {
        ...(brand ? { brandOrgId: brand } : {}),
        ...(category ? { category } : {}),
      })
      return { items: rows.map(toModelView), next: null }
    },
  )

  app.get(
    '/api/v1/models/:id',
    {
      schema: {
        tags: CATALOGUE,
        summary: 'One model with specifications, package contents and compatible accessories',
        params: idParams,
        response: { 200: modelResponse, ...errors },
      },
    },
    async (request) => {
      const row = await findModelById(ctx.db, request.params.id)
      if (!row)
        throw new AppError(
          'not-found',
          { key: 'registry.model.not-found', params: { id: request.params.id } },
          { field: 'id' },
        )
      const view = toModelView(row)
      const named = Object.values(view.compatibility).flatMap((value) => (Array.isArray(value) ? value : []))
      const keys = new Set(named.map(normalizeModelKey))
      const accessories = (await listModels(ctx.db, { brandOrgId: row.brand_org_id }))
        .filter((m) => keys.has(m.model_key))
        .map((m) => ({ id: m.id, name: m.name, category: m.category }))
      return { ...view, compatibleAccessories: accessories }
    },
  )

  app.get(
    '/api/v1/organisations',
    {
      schema: {
        tags: PARTIES,
        summary: 'Sellers, dealers, agents and makers (public fields)',
        querystring: organisationListQuery,
        response: { 200: organisationListResponse, ...errors },
      },
    },
    async (request) => {
      const { kind, sellsModel } = request.query
      // Staff see who deactivated an organisation and when; everyone sees whether it is active.
      const view = request.actor && isStaff(request.actor) ? toStaffOrganisationView : toOrganisationView
      if (sellsModel === undefined)
        return { items: (await listOrganisations(ctx.db, kind)).map(view), next: null }
      const model = await findSaleModel(ctx.db, sellsModel)
      if (!model)
        throw new AppError(
          'validation',
          { key: 'registry.model.not-found', params: { id: sellsModel } },
          { field: 'sellsModel' },
        )
      const dealers = await listDealersOfSeller(ctx.db, model.agentOrgId ?? model.brandOrgId)
      // The dealers a customer may name: an inactive one can no longer be named on a sale.
      return {
        items: dealers.filter((row) => (!kind || row.kind === kind) && row.active !== 0).map(view),
        next: null,
      }
    },
  )

  app.post(
    '/api/v1/organisations',
    {
      schema: {
        tags: PARTIES,
        summary: 'Add an organisation (managers and admins)',
        body: createOrganisationBody,
        response: { 201: organisationResponse, ...errors },
      },
    },
    async (request, reply) => {
      requireRole(request, ['manager', 'admin'])
      const row = await createOrganisation(ctx, request.body)
      return reply.status(201).send(toStaffOrganisationView(row))
    },
  )

  for (const [action, active] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    app.post(
      `/api/v1/organisations/:id/${action}`,
      {
        schema: {
          tags: PARTIES,
          summary:
            action === 'deactivate'
              ? 'Deactivate an organisation, keeping everything on file (managers and admins)'
              : 'Reactivate an organisation (managers and admins)',
          params: idParams,
          response: { 200: organisationStandingResponse, ...errors },
        },
      },
      async (request) => {
        const actor = requireRole(request, ['manager', 'admin'])
        const { organisation, readdressedReturns } = await setOrganisationActive(ctx, {
          id: request.params.id,
          active,
          actor,
        })
        return { ...toStaffOrganisationView(organisation), readdressedReturns }
      },
    )
  }

  app.get(
    '/api/v1/customers',
    {
      schema: {
        tags: PARTIES,
        summary: 'Customers the caller may see',
        querystring: customerListQuery,
        response: { 200: customerListResponse, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const { limit } = request.query
      const after = request.query.cursor ?? request.query.after
      const scope = isStaff(actor)
        ? {}
        : actor.role === 'dealer' && actor.orgId
          ? { dealerOrgId: actor.orgId }
          : { customerId: actor.customerId ?? '(none)' }
      const rows = await listCustomers(ctx.db, { ...scope, limit, ...(after ? { after } : {}) })
      const last = rows.at(-1)
      return { items: rows.map(toCustomerView), next: rows.length === limit && last ? last.id : null }
    },
  )

  app.get(
    '/api/v1/customers/:id',
    {
      schema: {
        tags: PARTIES,
        summary: 'One customer, if the caller may see them',
        params: idParams,
        response: { 200: customerResponse, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const { id } = request.params
      const visible =
        isStaff(actor) ||
        (actor.role === 'customer' && actor.customerId === id) ||
        (actor.role === 'dealer' &&
          actor.orgId !== null &&
          (await dealerServesCustomer(ctx.db, actor.orgId, id)))
      const row = visible ? await findCustomerById(ctx.db, id) : undefined
      if (!row)
        throw new AppError(
          'not-found',
          { key: 'registry.customer.not-found', params: { id } },
          { field: 'id' },
        )
      return toCustomerView(row)
    },
  )
}
