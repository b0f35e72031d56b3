import crypto from 'node:crypto'
import { z } from 'zod'
import type { Actor } from '../auth/index.ts'
import { requireActor } from '../auth/index.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import {
  addressColumns,
  findCustomerAddress,
  findCustomerById,
  listCustomerAddresses,
  noteLanguageSentForCustomer,
  toPostalAddress,
} from './customer.store.ts'
import { customerMailLocale } from './customer-mail-locale.ts'
import {
  addressIdParams,
  addressListQuery,
  addressListView,
  postalAddressBody,
  postalAddressExample,
  profilePatchBody,
  profileView,
  savedAddressView,
} from './profile.schemas.ts'
import { errorResponse } from './registry.schemas.ts'
import type { CustomerAddressesTable } from './registry.tables.ts'

const PROFILE = ['profile']
const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse }
/** Enough for a home, a workplace and a few relatives; a list without bound is a place to hide data. */
export const MAX_ADDRESSES = 20

function customerIdOf(actor: Actor): string {
  if (actor.role !== 'customer' || !actor.customerId)
    throw new AppError('forbidden', { key: 'registry.profile.customers-only' })
  return actor.customerId
}

const toSaved = (row: CustomerAddressesTable) => ({ id: row.id, ...toPostalAddress(row) })

/** The signed-in customer's profile: contact details and saved addresses. Nobody else's is reachable. */
export async function profileRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const loadProfile = async (customerId: string) => {
    const customer = await findCustomerById(ctx.db, customerId)
    if (!customer) throw new AppError('not-found', { key: 'registry.profile.no-record' })
    const addresses = await listCustomerAddresses(ctx.db, customerId)
    return {
      id: customer.id,
      name: customer.name,
      email: customer.email,
      phone: customer.phone,
      locale: customer.locale,
      mailLocale: customerMailLocale(customer),
      addresses: addresses.map(toSaved),
    }
  }

  app.get(
    '/api/v1/me/profile',
    {
      schema: {
        tags: PROFILE,
        summary: 'My profile',
        description: "The signed-in customer's contact details and saved addresses.",
        response: { 200: profileView, ...errors },
      },
    },
    async (request) => loadProfile(customerIdOf(requireActor(request))),
  )

  app.patch(
    '/api/v1/me/profile',
    {
      schema: {
        tags: PROFILE,
        summary: 'Change my contact details',
        description:
          'Name, phone and language; the e-mail address is the sign-in name and does not change here.',
        body: profilePatchBody.meta({
          examples: [{ name: 'Li Wei', phone: '+86 138 0000 0000', locale: 'zh' }],
        }),
        response: { 200: profileView, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const customerId = customerIdOf(actor)
      const { name, phone, locale } = request.body
      const now = ctx.now().toISOString()
      // Only the person signed in themselves chooses their language. A key acts for them
      // without their say: an integration echoing the profile back, or sending its own
      // default, would otherwise fix their mail's language for good.
      const chosenLocale = locale !== undefined && actor.via === 'session' ? locale : undefined
      const changes = {
        ...(name === undefined ? {} : { name }),
        ...(phone === undefined ? {} : { phone }),
        ...(chosenLocale === undefined ? {} : { locale: chosenLocale, locale_chosen_at: now }),
      }
      if (Object.keys(changes).length > 0)
        await ctx.db
          .updateTable('customers')
          .set({ ...changes, updated_at: now })
          .where('id', '=', customerId)
          .execute()
      if (locale !== undefined && chosenLocale === undefined)
        await noteLanguageSentForCustomer(ctx.db, customerId, locale, now)
      return loadProfile(customerId)
    },
  )

  app.get(
    '/api/v1/me/addresses',
    {
      schema: {
        tags: PROFILE,
        summary: 'My saved addresses',
        description: 'Oldest first; the first is offered as the return address of a new claim.',
        querystring: addressListQuery,
        response: { 200: addressListView, ...errors },
      },
    },
    async (request) => {
      const customerId = customerIdOf(requireActor(request))
      const { limit } = request.query
      const field = request.query.cursor !== undefined ? 'cursor' : 'after'
      const after = request.query.cursor ?? request.query.after
      const rows = await listCustomerAddresses(ctx.db, customerId)
      const at = after ? rows.findIndex((r) => r.id === after) : -1
      // A cursor not of this list (made up, or an address removed since) has no place in it:
      // starting again from the first would hand the caller the same addresses twice.
      if (after && at < 0)
        throw new AppError('validation', { key: 'page.bad-cursor', params: { field } }, { field })
      const start = at + 1
      const page = rows.slice(start, start + limit)
      const last = page.at(-1)
      return { items: page.map(toSaved), next: start + limit < rows.length && last ? last.id : null }
    },
  )

  app.post(
    '/api/v1/me/addresses',
    {
      schema: {
        tags: PROFILE,
        summary: 'Save an address',
        description: `Adds an address to my profile (at most ${MAX_ADDRESSES}).`,
        body: postalAddressBody.meta({ examples: [postalAddressExample] }),
        response: { 201: savedAddressView, ...errors, 409: errorResponse },
      },
    },
    async (request, reply) => {
      const customerId = customerIdOf(requireActor(request))
      const row = await ctx.db.transaction().execute(async (trx) => {
        // Saves at once must not each see room for one more: the customer's row queues them.
        const customer = trx.selectFrom('customers').select('id').where('id', '=', customerId)
        await (ctx.engine === 'postgres' ? customer.forUpdate() : customer).execute()
        const count = (await listCustomerAddresses(trx, customerId)).length
        if (count >= MAX_ADDRESSES)
          throw new AppError('conflict', {
            key: 'registry.profile.too-many-addresses',
            params: { maximum: MAX_ADDRESSES },
          })
        const now = ctx.now().toISOString()
        const saved: CustomerAddressesTable = {
          id: `adr-${crypto.randomUUID()}`,
          customer_id: customerId,
          ...addressColumns(request.body),
          created_at: now,
          updated_at: now,
        }
        await trx.insertInto('customer_addresses').values(saved).execute()
        return saved
      })
      return reply.status(201).send(toSaved(row))
    },
  )

  app.put(
    '/api/v1/me/addresses/:id',
    {
      schema: {
        tags: PROFILE,
        summary: 'Change a saved address',
        description: 'Replaces the address. Claims keep the copy they were given.',
        params: addressIdParams,
        body: postalAddressBody.meta({ examples: [postalAddressExample] }),
        response: { 200: savedAddressView, ...errors },
      },
    },
    async (request) => {
      const customerId = customerIdOf(requireActor(request))
      const existing = await findCustomerAddress(ctx.db, customerId, request.params.id)
      if (!existing)
        throw new AppError('not-found', {
          key: 'registry.profile.no-address',
          params: { id: request.params.id },
        })
      const row = { ...existing, ...addressColumns(request.body), updated_at: ctx.now().toISOString() }
      await ctx.db
        .updateTable('customer_addresses')
        .set(row)
        .where('id', '=', existing.id)
        .where('customer_id', '=', customerId)
        .execute()
      return toSaved(row)
    },
  )

  app.delete(
    '/api/v1/me/addresses/:id',
    {
      schema: {
        tags: PROFILE,
        summary: 'Remove a saved address',
        description: 'Claims that used it keep their copy.',
        params: addressIdParams,
        response: { 204: z.null().describe('No content'), ...errors },
      },
    },
    async (request, reply) => {
      const customerId = customerIdOf(requireActor(request))
      const result = await ctx.db
        .deleteFrom('customer_addresses')
        .where('id', '=', request.params.id)
        .where('customer_id', '=', customerId)
        .executeTakeFirst()
      if (Number(result.numDeletedRows) === 0)
        throw new AppError('not-found', {
          key: 'registry.profile.no-address',
          params: { id: request.params.id },
        })
      return reply.status(204).send(null)
    },
  )
}
