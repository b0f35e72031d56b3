import { z } from 'zod'
import { nameSchema } from '../contracts/api/named-schema.ts'
import { webLink } from '../contracts/web-link.ts'

// Missing, or empty once trimmed: either way the field is required, in the reader's language.
const text = (max: number) =>
  z.string({ error: 'validation.required' }).trim().min(1, 'validation.required').max(max)

export const BankDetails = z.object({
  bankName: text(120),
  accountName: text(120),
  accountNumber: text(64),
  swift: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/, 'must be a SWIFT/BIC code of 8 or 11 letters and digits')
    .optional(),
})
export type BankDetails = z.infer<typeof BankDetails>

export const SellerAddress = z.object({
  line1: text(200),
  line2: z.string().trim().max(200).optional(),
  city: text(100),
  postcode: z.string().trim().max(20).optional(),
  region: z.string().trim().max(100).optional(),
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code')
    .transform((c) => c.toUpperCase()),
})

// Every quote e-mail links it (with `{claim}` filled in), so it must be a link an e-mail can carry.
const paymentLink = webLink

/** What a seller may change after set-up; every field optional, absent means unchanged. */
export const SellerSettingsPatch = z
  .object({
    supportHours: text(120).optional(),
    bank: BankDetails.optional(),
    paymentLink: paymentLink.nullable().optional(),
    paymentMethod: z.enum(['bank-transfer', 'payment-link']).optional(),
    terms: text(2000).optional(),
    termsZh: text(2000).nullable().optional(),
    quoteValidityDays: z.number().int().min(1).max(365).optional(),
    logoFileId: z.string().min(1).nullable().optional(),
  })
  .strict()
export type SellerSettingsPatch = z.infer<typeof SellerSettingsPatch>

/** First-day set-up: the seller, its first admin and the policy it uses. */
export const SetupBody = z
  .object({
    seller: text(120),
    adminEmail: z.string().trim().toLowerCase().email('must be an e-mail address'),
    adminName: text(120).optional(),
    password: z.string().min(10, 'must be at least 10 characters').max(200).optional(),
    policy: z.string().trim().min(1).optional(),
    country: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code')
      .transform((c) => c.toUpperCase())
      .optional(),
    email: z.string().trim().toLowerCase().email('must be an e-mail address').optional(),
    phone: z.string().trim().max(40).optional(),
    address: SellerAddress.optional(),
  })
  .extend(SellerSettingsPatch.shape)
  .strict()
export type SetupBody = z.infer<typeof SetupBody>

export const SellerSettingsView = z.object({
  orgId: z.string(),
  seller: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  address: z.record(z.string(), z.string()).nullable(),
  policy: z.string().nullable(),
  supportHours: z.string(),
  paymentMethod: z.enum(['bank-transfer', 'payment-link']),
  bank: BankDetails.nullable(),
  paymentLink: z.string().nullable(),
  terms: z.string(),
  termsZh: z.string().nullable(),
  quoteValidityDays: z.number().int(),
  logoFileId: z.string().nullable(),
})
export type SellerSettingsView = z.infer<typeof SellerSettingsView>

export const SetupStatus = z.object({
  needed: z.boolean().describe('true while the database has no organisation and no user'),
  policies: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      /** The title in the other language, where the policy gives it (`translations.zh.title`). */
      translations: z.object({
        en: z.object({ title: z.string().optional() }).optional(),
        zh: z.object({ title: z.string().optional() }).optional(),
      }),
    }),
  ),
})

export const SetupResult = z.object({
  orgId: z.string(),
  adminEmail: z.string(),
  /** Only when the password was generated: shown once. */
  generatedPassword: z.string().nullable(),
  settings: SellerSettingsView,
})
nameSchema(SetupResult, {
  id: 'SetupResult',
  description: "The seller's organisation and first administrator, created on first start.",
})
