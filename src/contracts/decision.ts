import { z } from 'zod'
import { nameSchema } from './api/named-schema.ts'
import { isoDate } from './case.ts'
import {
  BASES,
  COSTS,
  EXCLUSION_CODES_BEYOND_FINDINGS,
  HANDLERS,
  LANGUAGES,
  OUTCOMES,
  PARTIES,
  REMEDIES,
  SERVICE_MODES,
} from './vocabulary.ts'

export {
  BASES,
  COSTS,
  EXCLUSION_CODES_BEYOND_FINDINGS,
  HANDLERS,
  LANGUAGES,
  OUTCOMES,
  PARTIES,
  REMEDIES,
  SERVICE_MODES,
}

/** Codes of `dateWarnings`: the warranty starts on a day before the unit was bought. */
export const DATE_WARNING_CODES = ['warranty-starts-before-purchase'] as const

const clauseRef = z.string().regex(/^[a-z0-9-]+#.+$/, 'must be a clause id POLICY#KEY')
const payer = z.enum(PARTIES).nullable()
/** Words in both languages of the product: English and Simplified Chinese. */
export const wordsSchema = z.object({ en: z.string().min(1), zh: z.string().min(1) })
/** A clause's words in the languages other than its own, where the policy gives them. */
export const translationsSchema = z.object({
  en: z.string().min(1).optional(),
  zh: z.string().min(1).optional(),
})

export const decisionSchema = z.object({
  policy: z.string().regex(/^[a-z0-9-]+@.+$/),
  provisional: z.boolean(),
  covered: z.boolean(),
  basis: z.enum(BASES),
  remedies: z.array(z.enum(REMEDIES)),
  warranty: z.object({ starts: isoDate, ends: isoDate }).nullable(),
  exclusions: z.array(
    z.object({ code: z.string(), clause: clauseRef, blocks: z.array(z.string()).optional() }),
  ),
  missingEvidence: z.array(z.string()),
  payers: z.object({
    parts: payer,
    labour: payer,
    'inbound-shipping': payer,
    'return-shipping': payer,
    'missing-items': payer,
    duties: payer,
  }),
  handler: z.enum(HANDLERS),
  service: z.enum(SERVICE_MODES).optional(),
  trace: z
    .array(
      z.object({
        clause: clauseRef,
        text: z.string(),
        /** The language of `text`, the policy's own. */
        language: z.enum(LANGUAGES).optional(),
        translations: translationsSchema.optional(),
        applies: z.boolean(),
        // Optional in the type so that decisions stored before these fields existed still read.
        outcome: z.enum(OUTCOMES).optional(),
        because: wordsSchema.optional(),
      }),
    )
    .min(1),
  explanation: wordsSchema.optional(),
  /**
   * Dates of the case that disagree with each other without stopping the decision (a
   * warranty counted from a delivery before the purchase): added to the contract's fields,
   * present only when there is one.
   */
  dateWarnings: z
    .array(
      z.object({
        code: z.enum(DATE_WARNING_CODES),
        /** The case field the warranty's start was read from. */
        field: z.string(),
        startsOn: isoDate,
        purchasedOn: isoDate,
      }),
    )
    .optional(),
})
nameSchema(decisionSchema, {
  id: 'Decision',
  description:
    'The decision on a warranty case, fixed by the adjudication contract: covered or not, why, the remedies, who pays each cost, and every clause weighed.',
})

export type Decision = z.infer<typeof decisionSchema>
export type Basis = (typeof BASES)[number]
export type Remedy = (typeof REMEDIES)[number]
export type Party = (typeof PARTIES)[number]
export type Handler = (typeof HANDLERS)[number]
export type CostKind = (typeof COSTS)[number]
export type Payers = Decision['payers']
export type TraceLine = Decision['trace'][number]
export type Exclusion = Decision['exclusions'][number]
export type DateWarning = NonNullable<Decision['dateWarnings']>[number]
export type Outcome = (typeof OUTCOMES)[number]
export type Words = z.infer<typeof wordsSchema>
export type Language = (typeof LANGUAGES)[number]
export type Translations = z.infer<typeof translationsSchema>
