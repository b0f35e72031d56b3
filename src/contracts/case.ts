import { z } from 'zod'
import {
  BRANDS,
  CHANNELS,
  EVIDENCE_KINDS,
  FINDINGS,
  MAX_TERM_DAYS,
  PART_KINDS,
  PREFERENCES,
  PROBLEM_KINDS,
  SHIPPERS,
  termDays,
} from './vocabulary.ts'

export {
  BRANDS,
  CHANNELS,
  EVIDENCE_KINDS,
  FINDINGS,
  MAX_TERM_DAYS,
  PART_KINDS,
  PREFERENCES,
  PROBLEM_KINDS,
  SHIPPERS,
  termDays,
}

/**
 * The facts of one warranty claim, exactly as fixed by the adjudication contract
 * (`shared/contracts/case.schema.json`). Fields may be added; none may be renamed or re-meant.
 */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.date-shape')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`)
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
  }, 'validation.calendar-date')
  // The contract bounds dates (ADJUDICATION.md, Conventions); the regex already stops at 9999.
  .refine((value) => value >= '1900-01-01', 'validation.date-bounds')

export const inspectionSchema = z
  .object({
    faultConfirmed: z.boolean().optional(),
    manufacturingDefect: z.boolean().optional(),
    findings: z
      .array(z.enum(FINDINGS))
      .refine((items) => new Set(items).size === items.length, 'must not repeat a finding')
      .optional(),
    missingItems: z.array(z.string()).optional(),
    /**
     * Added to the contract: the findings that caused the fault, each one of `findings`.
     * A seed that refuses only damage caused by misuse, an accident or the like (a clause
     * marked `causal`) is not raised by a finding left out here: a scratched housing beside a
     * failed sensor does not void the sensor's repair. Absent, every finding is taken to have
     * caused the fault, as before the field existed.
     */
    faultCausedBy: z
      .array(z.enum(FINDINGS))
      .refine((items) => new Set(items).size === items.length, 'must not repeat a finding')
      .optional(),
  })
  .superRefine((inspection, ctx) => {
    const found = inspection.findings ?? []
    inspection.faultCausedBy?.forEach((finding, index) => {
      if (!found.includes(finding))
        ctx.addIssue({
          code: 'custom',
          message: 'validation.cause-not-a-finding',
          path: ['faultCausedBy', index],
        })
    })
  })

export const caseSchema = z.object({
  policy: z.string().min(1),
  claimedOn: isoDate,
  product: z.object({
    part: z.enum(PART_KINDS),
    category: z.string().optional(),
    serial: z.string().optional(),
    model: z.string().optional(),
    warrantyTerm: z
      .string()
      .regex(/^P(\d+Y)?(\d+M)?(\d+D)?$/, 'must be an ISO 8601 duration such as P2Y or P18M')
      .refine((value) => value !== 'P', 'must name at least one of years, months or days')
      .refine((value) => !(termDays(value) > MAX_TERM_DAYS), 'must be at most P99Y')
      .optional(),
  }),
  purchase: z.object({
    channel: z.enum(CHANNELS),
    brand: z.enum(BRANDS).default('own'),
    shippedBy: z.enum(SHIPPERS).optional(),
    purchasedOn: isoDate.optional(),
    shippedOn: isoDate.optional(),
    deliveredOn: isoDate.optional(),
    activatedOn: isoDate.optional(),
    proofOfPurchase: z.boolean().default(true),
    proofOfPurchasePending: z.boolean().optional(),
    warrantyCard: z.boolean().default(true),
    secondHand: z.boolean().default(false),
  }),
  problem: z.object({
    kind: z.enum(PROBLEM_KINDS),
    packagingDamaged: z.boolean().default(false),
    urgentFreight: z.boolean().default(false),
    description: z.string().optional(),
  }),
  preference: z.enum(PREFERENCES).optional(),
  evidence: z
    .array(z.enum(EVIDENCE_KINDS))
    .refine((items) => new Set(items).size === items.length, 'must not repeat an evidence item')
    .default([]),
  inspection: inspectionSchema.optional(),
})

/** A case as it arrives (defaults not yet applied). */
export type CaseInput = z.input<typeof caseSchema>
/** A case after validation, with the contract's defaults applied. */
export type WarrantyCase = z.output<typeof caseSchema>
export type PartKind = (typeof PART_KINDS)[number]
export type ProblemKind = (typeof PROBLEM_KINDS)[number]
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number]
export type Finding = (typeof FINDINGS)[number]
export type Preference = (typeof PREFERENCES)[number]
export type Inspection = z.output<typeof inspectionSchema>
