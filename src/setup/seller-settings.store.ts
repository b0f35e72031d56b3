import type { Db } from '../db/database.ts'
import type { BankDetails, SellerSettingsView } from './setup.schemas.ts'
import type { SellerSettingsTable } from './setup.tables.ts'

export const DEFAULT_SUPPORT_HOURS = 'Mon–Fri 09:00–18:00'
export const DEFAULT_SUPPORT_HOURS_ZH = '周一至周五 09:00–18:00'
export const DEFAULT_TERMS =
  'Quotes are valid for the days stated. Repairs start once payment is received. Repaired parts carry a 90-day warranty.'
export const DEFAULT_TERMS_ZH = '报价在所注明的天数内有效。收到付款后开始维修。维修过的部件享有 90 天保修。'
export const DEFAULT_QUOTE_VALIDITY_DAYS = 14

export function findSellerSettingsRow(db: Db, orgId: string) {
  return db.selectFrom('seller_settings').selectAll().where('org_id', '=', orgId).executeTakeFirst()
}

export async function upsertSellerSettings(db: Db, row: SellerSettingsTable): Promise<void> {
  await db
    .insertInto('seller_settings')
    .values(row)
    .onConflict((oc) =>
      oc.column('org_id').doUpdateSet((eb) => ({
        support_hours: eb.ref('excluded.support_hours'),
        payment_method: eb.ref('excluded.payment_method'),
        bank_details: eb.ref('excluded.bank_details'),
        payment_link: eb.ref('excluded.payment_link'),
        terms: eb.ref('excluded.terms'),
        terms_zh: eb.ref('excluded.terms_zh'),
        quote_validity_days: eb.ref('excluded.quote_validity_days'),
        logo_file_id: eb.ref('excluded.logo_file_id'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute()
}

/**
 * The settings of a seller as documents and pages use them. A seller without a settings
 * row (the demo's sellers, sellers created before set-up existed) gets the defaults, so
 * every quote still says how to pay: by the support e-mail until bank details are given.
 */
export async function loadSellerSettings(db: Db, orgId: string): Promise<SellerSettingsView | undefined> {
  const org = await db.selectFrom('organisations').selectAll().where('id', '=', orgId).executeTakeFirst()
  if (!org) return undefined
  const row = await findSellerSettingsRow(db, orgId)
  return {
    orgId: org.id,
    seller: org.name,
    email: org.email,
    phone: org.phone,
    address: org.service_address ? (JSON.parse(org.service_address) as Record<string, string>) : null,
    policy: org.default_policy_id,
    supportHours: row?.support_hours ?? DEFAULT_SUPPORT_HOURS,
    paymentMethod: row?.payment_method ?? 'bank-transfer',
    bank: row?.bank_details ? (JSON.parse(row.bank_details) as BankDetails) : null,
    paymentLink: row?.payment_link ?? null,
    terms: row?.terms ?? DEFAULT_TERMS,
    // The default terms have a Chinese version; a seller's own terms have one when they give it.
    termsZh:
      row === undefined || row.terms === DEFAULT_TERMS ? (row?.terms_zh ?? DEFAULT_TERMS_ZH) : row.terms_zh,
    quoteValidityDays: row?.quote_validity_days ?? DEFAULT_QUOTE_VALIDITY_DAYS,
    logoFileId: row?.logo_file_id ?? null,
  }
}

/** The seller set up first: the one a single-seller installation speaks for. */
export async function findPrimarySellerId(db: Db): Promise<string | undefined> {
  const withSettings = await db
    .selectFrom('seller_settings')
    .select('org_id')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst()
  if (withSettings) return withSettings.org_id
  const seller = await db
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', 'seller')
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
  return seller?.id
}
