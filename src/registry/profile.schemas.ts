import { z } from 'zod'
import { nameSchema } from '../contracts/api/named-schema.ts'
import { EARLIER_CURSOR, pageCursor, pageLimit } from '../contracts/api/page.ts'
import { showsSomething } from '../contracts/visible-text.ts'

const required = (max: number) =>
  z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, 'validation.required')
    .max(max, `must be at most ${max} characters`)
    // A parcel label or a greeting of zero-width characters names nobody.
    .refine(showsSomething, 'validation.required')
const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .optional()
    .transform((v) => (v ? v : undefined))

/** A postal address as entered on the profile page or for one claim. */
export const postalAddressBody = z
  .object({
    name: required(120).describe('who receives the parcel'),
    street: required(200),
    line2: optional(200),
    city: required(100),
    region: optional(100),
    postalCode: optional(20),
    country: z
      .string({ error: 'validation.required' })
      .trim()
      .regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code')
      .transform((c) => c.toUpperCase()),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()./-]{5,30}$/, 'must be a phone number')
      .optional()
      .or(z.literal('').transform(() => undefined)),
  })
  .strict()

export const postalAddressExample = {
  name: 'Li Wei',
  street: '88 Xueyuan Road, Building 3, Room 502',
  city: 'Hangzhou',
  region: 'Zhejiang',
  postalCode: '310012',
  country: 'CN',
  phone: '+86 138 0000 0000',
}

export const postalAddressView = z.object({
  name: z.string(),
  street: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  region: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string(),
  phone: z.string().optional(),
})

export const savedAddressView = postalAddressView.extend({ id: z.string() })
nameSchema(savedAddressView, {
  id: 'SavedAddress',
  description: "A postal address kept in the customer's profile, to choose as a claim's return address.",
})

export const profileView = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  locale: z.enum(['en', 'zh']),
  mailLocale: z
    .enum(['en', 'zh'])
    .describe(
      "the language our e-mails and documents to this customer are written in: their choice, else the language they were seen using, else their address's country's, else English",
    ),
  addresses: z.array(savedAddressView),
})
nameSchema(profileView, {
  id: 'CustomerProfile',
  description: "The signed-in customer's contact details, mail language and saved addresses.",
})

export const profilePatchBody = z
  .object({
    name: required(120).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()./-]{5,30}$/, 'must be a phone number')
      .nullable()
      .optional(),
    locale: z.enum(['en', 'zh']).optional(),
  })
  .strict()

export const addressListQuery = z.object({
  limit: pageLimit(50),
  cursor: pageCursor(),
  after: z.string().max(300).optional().describe(EARLIER_CURSOR),
})
export const addressListView = z.object({ items: z.array(savedAddressView), next: z.string().nullable() })
export const addressIdParams = z.object({ id: z.string().min(1) })
