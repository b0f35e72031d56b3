import { sql } from 'kysely'
import { createUser, generatePassword } from '../auth/index.ts'
import { ADVISORY_LOCKS } from '../db/advisory-locks.ts'
import type { Db } from '../db/database.ts'
import { checkLogoFile } from '../files/index.ts'
import { insertOrganisationIfAbsent, slugOf, toOrganisationRow } from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import {
  DEFAULT_QUOTE_VALIDITY_DAYS,
  DEFAULT_SUPPORT_HOURS,
  DEFAULT_TERMS,
  findSellerSettingsRow,
  loadSellerSettings,
  upsertSellerSettings,
} from './seller-settings.store.ts'
import type { SellerSettingsPatch, SellerSettingsView, SetupBody } from './setup.schemas.ts'
import type { SellerSettingsTable } from './setup.tables.ts'

/** The policy a seller gets when it names none: the general online-store returns policy. */
export const DEFAULT_POLICY_ID = 'retailer'

/** Set-up is offered while nobody could sign in and nothing is registered. */
export async function isSetUpNeeded(db: Db): Promise<boolean> {
  const org = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst()
  if (org) return false
  const user = await db.selectFrom('users').select('id').limit(1).executeTakeFirst()
  return !user
}

export interface SetUpResult {
  orgId: string
  adminEmail: string
  generatedPassword: string | null
  settings: SellerSettingsView
}

function settingsRow(
  orgId: string,
  patch: SellerSettingsPatch,
  previous: SellerSettingsTable | undefined,
  now: string,
): SellerSettingsTable {
  const bank = patch.bank ? JSON.stringify(patch.bank) : (previous?.bank_details ?? null)
  const link = patch.paymentLink === undefined ? (previous?.payment_link ?? null) : patch.paymentLink
  // A payment link given without a method means the seller wants it used.
  const method =
    patch.paymentMethod ??
    (patch.paymentLink ? 'payment-link' : patch.bank ? 'bank-transfer' : previous?.payment_method) ??
    'bank-transfer'
  if (method === 'payment-link' && !link) {
    throw new AppError(
      'validation',
      { key: 'setup.payment-link-needed', params: { field: 'paymentLink' } },
      {
        field: 'paymentLink',
      },
    )
  }
  return {
    org_id: orgId,
    support_hours: patch.supportHours ?? previous?.support_hours ?? DEFAULT_SUPPORT_HOURS,
    payment_method: method,
    bank_details: bank,
    payment_link: link,
    terms: patch.terms ?? previous?.terms ?? DEFAULT_TERMS,
    // New English terms without Chinese ones leave no stale translation behind.
    terms_zh:
      patch.termsZh !== undefined
        ? patch.termsZh
        : patch.terms !== undefined
          ? null
          : (previous?.terms_zh ?? null),
    quote_validity_days:
      patch.quoteValidityDays ?? previous?.quote_validity_days ?? DEFAULT_QUOTE_VALIDITY_DAYS,
    logo_file_id: patch.logoFileId === undefined ? (previous?.logo_file_id ?? null) : patch.logoFileId,
    created_at: previous?.created_at ?? now,
    updated_at: now,
  }
}

/**
 * Creates the seller organisation, its settings and its first admin in one transaction:
 * either the installation is set up or nothing was written. `onlyWhenEmpty` is the web
 * set-up page's guard: once anything exists, set-up is refused.
 */
export async function setUpSeller(
  ctx: AppContext,
  body: SetupBody,
  options: { onlyWhenEmpty: boolean },
): Promise<SetUpResult> {
  const policyId = body.policy ?? DEFAULT_POLICY_ID
  if (!ctx.policies.summary(policyId)) {
    const known = ctx.policies
      .list()
      .map((p) => p.id)
      .join(', ')
    throw new AppError(
      'validation',
      { key: 'setup.unknown-policy', params: { field: 'policy', policy: policyId, known } },
      { field: 'policy' },
    )
  }
  const password = body.password ?? generatePassword()
  const now = ctx.now()
  const orgId = `org-${slugOf(body.seller)}`
  await ctx.db.transaction().execute(async (trx) => {
    // On PostgreSQL two set-ups would each see the empty database and each make a seller and
    // an admin: anyone racing the operator would own the installation. One at a time; the
    // second then sees the first. SQLite's single writer queues them already.
    if (ctx.engine === 'postgres')
      await sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS.setUp})`.execute(trx)
    if (options.onlyWhenEmpty && !(await isSetUpNeeded(trx))) {
      throw new AppError('conflict', { key: 'setup.done-already' })
    }
    if (await trx.selectFrom('seller_settings').select('org_id').limit(1).executeTakeFirst()) {
      throw new AppError('conflict', {
        key: 'setup.seller-exists',
        params: { command: 'aftercare settings set' },
      })
    }
    const org = toOrganisationRow(
      {
        id: orgId,
        kind: 'seller',
        name: body.seller,
        country: body.country ?? body.address?.country ?? 'CN',
        email: body.email ?? body.adminEmail,
        phone: body.phone ?? null,
        serviceAddress: body.address ?? null,
        defaultPolicyId: policyId,
      },
      now.toISOString(),
    )
    if (!(await insertOrganisationIfAbsent(trx, org))) {
      throw new AppError(
        'conflict',
        { key: 'setup.seller-name-taken', params: { field: 'seller', name: body.seller } },
        {
          field: 'seller',
        },
      )
    }
    await upsertSellerSettings(trx, settingsRow(orgId, body, undefined, now.toISOString()))
    await createUser(
      trx,
      {
        email: body.adminEmail,
        name: body.adminName ?? body.adminEmail.split('@')[0] ?? 'Admin',
        role: 'admin',
        password,
      },
      now,
    )
  })
  const settings = await loadSellerSettings(ctx.db, orgId)
  if (!settings) throw new Error(`seller ${orgId} vanished after set-up`)
  return {
    orgId,
    adminEmail: body.adminEmail,
    generatedPassword: body.password ? null : password,
    settings,
  }
}

/** Changes a seller's settings; absent fields keep their value. */
export async function updateSellerSettings(
  ctx: AppContext,
  orgId: string,
  patch: SellerSettingsPatch,
): Promise<SellerSettingsView> {
  const org = await ctx.db.selectFrom('organisations').select('id').where('id', '=', orgId).executeTakeFirst()
  if (!org)
    throw new AppError('not-found', { key: 'setup.no-seller-id', params: { id: orgId } }, { field: 'orgId' })
  if (patch.logoFileId) await checkLogoFile(ctx.db, patch.logoFileId)
  const previous = await findSellerSettingsRow(ctx.db, orgId)
  await upsertSellerSettings(ctx.db, settingsRow(orgId, patch, previous, ctx.now().toISOString()))
  const view = await loadSellerSettings(ctx.db, orgId)
  if (!view) throw new Error(`seller ${orgId} vanished`)
  return view
}
