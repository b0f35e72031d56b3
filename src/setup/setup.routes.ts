import { requireRole } from '../auth/index.ts'
import type { HttpApp } from '../http/types.ts'
import { errorResponse } from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { findPrimarySellerId, loadSellerSettings } from './seller-settings.store.ts'
import { isSetUpNeeded, setUpSeller, updateSellerSettings } from './set-up-seller.ts'
import {
  SellerSettingsPatch,
  SellerSettingsView,
  SetupBody,
  SetupResult,
  SetupStatus,
} from './setup.schemas.ts'

const SETUP = ['set-up']
const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
}

const setupExample = {
  seller: 'Acme Optics',
  adminEmail: 'admin@acme.example',
  password: 'a-long-secret-1',
  policy: 'retailer',
  country: 'DE',
  address: { line1: 'Hauptstraße 1', city: 'Berlin', postcode: '10115', country: 'DE' },
  bank: {
    bankName: 'Berliner Bank',
    accountName: 'Acme Optics GmbH',
    accountNumber: 'DE89370400440532013000',
  },
}

/** The first-day set-up (public until done) and the seller settings (admin). */
export async function setupRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/v1/setup',
    {
      schema: {
        tags: SETUP,
        summary: 'Whether this installation still needs setting up',
        description:
          'Public. `needed` is true while the database holds no organisation and no user: the web app then shows its set-up page.',
        response: { 200: SetupStatus },
      },
    },
    async () => ({
      needed: await isSetUpNeeded(ctx.db),
      policies: ctx.policies.list().map((p) => ({ id: p.id, title: p.title, translations: p.translations })),
    }),
  )

  app.post(
    '/api/v1/setup',
    {
      schema: {
        tags: SETUP,
        summary: 'Set up an empty installation',
        description:
          'Public, and only on an empty database: creates the seller, its settings and its first admin in one step, like `aftercare init`. Refused with 409 once anything exists.',
        body: SetupBody.meta({ examples: [setupExample] }),
        response: { 201: SetupResult, ...errors },
      },
    },
    async (request, reply) => {
      const result = await setUpSeller(ctx, request.body, { onlyWhenEmpty: true })
      return reply.status(201).send(result)
    },
  )

  app.get(
    '/api/v1/settings',
    {
      schema: {
        tags: SETUP,
        summary: "The seller's settings",
        description:
          'Support hours, payment instructions, terms and letterhead of the seller set up first. Admins only.',
        response: { 200: SellerSettingsView, ...errors },
      },
    },
    async (request) => {
      requireRole(request, ['admin', 'manager'])
      const orgId = await findPrimarySellerId(ctx.db)
      const view = orgId ? await loadSellerSettings(ctx.db, orgId) : undefined
      if (!view) throw new AppError('not-found', { key: 'setup.no-seller' })
      return view
    },
  )

  app.patch(
    '/api/v1/settings',
    {
      schema: {
        tags: SETUP,
        summary: "Change the seller's settings",
        description: 'Absent fields keep their value. Admins only.',
        body: SellerSettingsPatch.meta({
          examples: [{ supportHours: 'Mon–Sat 10:00–19:00', paymentLink: 'https://pay.example/{claim}' }],
        }),
        response: { 200: SellerSettingsView, ...errors },
      },
    },
    async (request) => {
      requireRole(request, ['admin'])
      const orgId = await findPrimarySellerId(ctx.db)
      if (!orgId) throw new AppError('not-found', { key: 'setup.no-seller' })
      return updateSellerSettings(ctx, orgId, request.body)
    },
  )
}
