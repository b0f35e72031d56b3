import { z } from 'zod'
import { nameSchema } from '../contracts/api/named-schema.ts'
import { EMAIL_LOCALES } from './domain/email-template-data.ts'
import { OPTIONAL_MAIL_KINDS } from './domain/mail-preferences.ts'

export const MailPreferencesSchema = nameSchema(
  z.object({ 'quote-reminders': z.boolean(), 'reliability-alerts': z.boolean() }),
  {
    id: 'MailPreferences',
    description:
      'Which optional e-mails the signed-in person receives. Mail about the steps of their own claims, requests for information and quotes always goes.',
  },
)
export const PreferencesChange = MailPreferencesSchema.partial()

export const UnsubscribeResult = nameSchema(
  z.object({
    kind: z.enum(OPTIONAL_MAIL_KINDS),
    address: z.string(),
    locale: z.enum(EMAIL_LOCALES),
    stopped: z.literal(true),
  }),
  {
    id: 'UnsubscribeResult',
    description: 'The kind of optional mail a link stopped, and for which address.',
  },
)
export const UnsubscribeQuery = z.object({ token: z.string().min(1).max(2000) })
