import type { EmailTemplateId } from './email-template-data.ts'

/**
 * Mail a person may stop. Everything else a person receives is a step of their own claim,
 * unit or sign-in (or a colleague's alert the team cannot do without) and always goes.
 * - `quote-reminders`: the reminder the day before a waiting quote's last day; the quote
 *   itself was mailed when it was sent.
 * - `reliability-alerts`: the reliability check's early warnings to managers; the
 *   reliability page shows every flag whether or not it was mailed.
 */
export const OPTIONAL_MAIL_KINDS = ['quote-reminders', 'reliability-alerts'] as const
export type OptionalMailKind = (typeof OPTIONAL_MAIL_KINDS)[number]

const KIND_OF_TEMPLATE: Partial<Record<EmailTemplateId, OptionalMailKind>> = {
  'quote.last-day-near': 'quote-reminders',
  'reliability.warning': 'reliability-alerts',
}

/** The kind of optional mail a template is, or undefined for mail that always goes. */
export const optionalKindOf = (template: string): OptionalMailKind | undefined =>
  Object.hasOwn(KIND_OF_TEMPLATE, template) ? KIND_OF_TEMPLATE[template as EmailTemplateId] : undefined

export const isOptionalMailKind = (value: unknown): value is OptionalMailKind =>
  typeof value === 'string' && (OPTIONAL_MAIL_KINDS as readonly string[]).includes(value)

/** Addresses are compared trimmed and lower-cased. */
export const normaliseAddress = (address: string): string => address.trim().toLowerCase()

/**
 * Whom optional mail goes to: a customer (by their customer record) or a user of the web app.
 * A choice to stop mail belongs to the person, not only to the address it reached them at: it
 * follows them to a new address. A stop made by a link also holds at the address the link was
 * sent to, whoever mail there is for: the address may stand on records staff or a dealer typed
 * in, and its reader asked for none there. Its holder, signed in, may lift it.
 */
export type MailPerson = { customerId: string } | { userId: string }

/**
 * The key a person's choices are kept under; without a person, the key of the address itself,
 * under which stops made by link at that address are kept.
 */
export const mailPersonKey = (person: MailPerson | undefined, address: string): string =>
  person === undefined
    ? `address:${normaliseAddress(address)}`
    : 'customerId' in person
      ? `customer:${person.customerId}`
      : `user:${person.userId}`

/** The API route a mail program POSTs `List-Unsubscribe=One-Click` to (RFC 8058). */
export const unsubscribeApiPath = (token: string): string =>
  `/api/v1/mail/unsubscribe?token=${encodeURIComponent(token)}`
