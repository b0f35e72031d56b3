import { z } from 'zod'
import {
  BRANDS,
  CHANNELS,
  EVIDENCE_KINDS,
  FINDINGS,
  isoDate,
  PART_KINDS,
  PREFERENCES,
  PROBLEM_KINDS,
  SHIPPERS,
} from '../../contracts/case.ts'
import { CLAIM_CANCELLED, CLAIM_CLOSED, CLAIM_EVENT_TYPES } from '../../contracts/claim-event-types.ts'
import { BASES, COSTS, HANDLERS, LANGUAGES, REMEDIES, SERVICE_MODES } from '../../contracts/decision.ts'
import { parseDay } from '../../shared/day-numbers.ts'
import { isTimeZone } from '../../shared/human-date.ts'
import { WEIGHED_KINDS } from './weighed-kinds.ts'

/**
 * The policy file format (one YAML document per policy version), documented in
 * docs/policies.md. Every clause carries a stable key, the seed text it encodes and typed
 * logic; the compiler turns the logic into closures once.
 */

/**
 * A check's refusal as a key of the message catalogue with the values it quotes, so the
 * policy owner reads it in their language (the words follow the field: `policies.file.*`).
 */
const refusal = (message: string, params?: Record<string, string | number>) =>
  params === undefined ? { message } : { message, params }

/** A text of a pattern, refused in the catalogue's words (a regex check carries no values). */
const matching = (pattern: RegExp, message: string, params?: Record<string, string | number>) =>
  z.string().refine((value) => pattern.test(value), refusal(message, params))

const duration = matching(/^P(\d+Y)?(\d+M)?(\d+D)?$/, 'policies.file.duration', {
  example: 'P2Y',
  other: 'P30D',
})
  .refine((value) => value !== 'P', refusal('policies.file.duration-empty'))
  // A term of no time (P0D) would end the warranty the day before it starts.
  .refine((value) => value === 'P' || /[1-9]/.test(value), refusal('policies.file.duration-zero'))

/** Events a term or window can be measured from. `day-after-delivery` is ToupTek's "the day after receipt". */
export const START_EVENTS = ['purchase', 'shipment', 'delivery', 'day-after-delivery', 'activation'] as const
export type StartEvent = (typeof START_EVENTS)[number]

/** Facts that trigger an exclusion without an inspection finding. */
export const EXCLUSION_FACTS = [
  'expired',
  'no-proof-of-purchase',
  'no-warranty-card',
  'second-hand',
  'no-fault-found',
  'not-manufacturing-defect',
  'incomplete-return',
  /** Raised by the engine when nothing else explains a denial: the policy offers no free service for this problem or part. */
  'not-served',
  /** Raised by the engine when `claimedOn` falls before the purchase, shipment or delivery it depends on. */
  'inconsistent-dates',
] as const
export type ExclusionFact = (typeof EXCLUSION_FACTS)[number]

/** A payer in a policy file: a party, or `handler` for whoever carries out the service. */
export const PAYER_REFS = ['vendor', 'dealer', 'manufacturer', 'customer', 'handler'] as const
export const HANDLER_REFS = [...HANDLERS, 'shipper'] as const

/**
 * A condition: every field given must hold (AND); `anyOf` holds when one of its
 * conditions does (OR). Inspection facts absent from a provisional case are presumed
 * in the customer's favour: the fault is confirmed and of manufacturing origin.
 */
export interface Condition {
  parts?: (typeof PART_KINDS)[number][]
  categories?: string[]
  notCategories?: string[]
  problems?: (typeof PROBLEM_KINDS)[number][]
  channel?: (typeof CHANNELS)[number]
  brand?: (typeof BRANDS)[number]
  shippedBy?: (typeof SHIPPERS)[number]
  packagingDamaged?: boolean
  urgentFreight?: boolean
  proofOfPurchase?: boolean
  warrantyCard?: boolean
  secondHand?: boolean
  hasSerial?: boolean
  preference?: (typeof PREFERENCES)[number]
  inspected?: boolean
  faultConfirmed?: boolean
  manufacturingDefect?: boolean
  /** Holds when inspection found at least one of these. */
  findings?: (typeof FINDINGS)[number][]
  inWarranty?: boolean
  /** The claim's dates fall within a window of the policy that fits it (its problem and conditions). */
  withinWindow?: boolean
  covered?: boolean
  bases?: (typeof BASES)[number][]
  firstRemedy?: (typeof REMEDIES)[number][]
  handler?: (typeof HANDLERS)[number]
  /** Whole years since the warranty ended: year 1 is the first year beyond it. */
  yearsBeyondWarranty?: { from: number; to?: number | undefined }
  anyOf?: Condition[]
}

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.strictObject({
    parts: z.array(z.enum(PART_KINDS)).min(1).optional(),
    categories: z.array(z.string().min(1)).min(1).optional(),
    notCategories: z.array(z.string().min(1)).min(1).optional(),
    problems: z.array(z.enum(PROBLEM_KINDS)).min(1).optional(),
    channel: z.enum(CHANNELS).optional(),
    brand: z.enum(BRANDS).optional(),
    shippedBy: z.enum(SHIPPERS).optional(),
    packagingDamaged: z.boolean().optional(),
    urgentFreight: z.boolean().optional(),
    proofOfPurchase: z.boolean().optional(),
    warrantyCard: z.boolean().optional(),
    secondHand: z.boolean().optional(),
    hasSerial: z.boolean().optional(),
    preference: z.enum(PREFERENCES).optional(),
    inspected: z.boolean().optional(),
    faultConfirmed: z.boolean().optional(),
    manufacturingDefect: z.boolean().optional(),
    findings: z.array(z.enum(FINDINGS)).min(1).optional(),
    inWarranty: z.boolean().optional(),
    withinWindow: z.boolean().optional(),
    covered: z.boolean().optional(),
    bases: z.array(z.enum(BASES)).min(1).optional(),
    firstRemedy: z.array(z.enum(REMEDIES)).min(1).optional(),
    handler: z.enum(HANDLERS).optional(),
    yearsBeyondWarranty: z
      .strictObject({ from: z.int().min(1), to: z.int().min(1).optional() })
      .refine(
        (band) => band.to === undefined || band.to >= band.from,
        refusal('policies.file.band-order', { later: 'to', earlier: 'from' }),
      )
      .optional(),
    anyOf: z.array(conditionSchema).min(2).optional(),
  }),
)

const wording = matching(/\S/, 'policies.file.no-words')

/**
 * A clause's words in the languages other than the policy's own: the reader sees the one in
 * their language, with `text` (the source's words) one click away.
 */
const clauseTranslations = z.strictObject({ en: wording.optional(), zh: wording.optional() })

const clauseBase = {
  key: matching(/^[a-z0-9][a-z0-9-]*$/, 'policies.file.clause-key'),
  /** The seed's own words this clause encodes, in the policy's `language`. */
  text: wording,
  translations: clauseTranslations.optional(),
  /** Why this reading, where the seed is ambiguous. */
  comment: z.string().optional(),
}

/** A list naming each entry once: an entry given twice is a slip, and a remedy would be offered twice. */
const once = <T extends z.ZodType<string>>(entry: T) =>
  z.array(entry).superRefine((entries, ctx) => {
    entries.forEach((value, index) => {
      if (entries.indexOf(value) !== index)
        ctx.addIssue({
          code: 'custom',
          ...refusal('policies.file.repeated-entry', { entry: value }),
          path: [index],
        })
    })
  })

const coverageClause = z.strictObject({
  ...clauseBase,
  kind: z.literal('coverage'),
  term: duration,
  start: z.enum(START_EVENTS),
  /** Events to measure from, in order, when the case lacks the start event's date. */
  fallback: once(z.enum(START_EVENTS)).default([]),
  /** A product's own `warrantyTerm` replaces `term` ("except for products with clear warranty period"). */
  productTermOverrides: z.boolean().default(false),
  /**
   * A product's own term longer than `term` is an extension signed beside the standard term
   * (IST's "product extension and renewal services"): a claim after `term` would have ended
   * but within the product's own term is served on basis `extended-warranty`. Reads the
   * product's term as `productTermOverrides` does.
   */
  productTermIsExtension: z.boolean().default(false),
  /** Problem kinds the standard warranty serves. */
  problems: once(z.enum(PROBLEM_KINDS)).min(1).default(['malfunction']),
  remedies: once(z.enum(REMEDIES)).min(1),
  when: conditionSchema.optional(),
})

const windowClause = z.strictObject({
  ...clauseBase,
  kind: z.literal('window'),
  basis: z.enum(['doa', 'early-failure', 'transport-damage', 'not-as-described']),
  problems: once(z.enum(PROBLEM_KINDS)).min(1),
  /** Any one span suffices (OR): "7 days after delivery or 30 days after shipment". */
  within: z
    .array(z.strictObject({ days: z.int().min(1), from: z.enum(START_EVENTS) }))
    .min(1)
    .superRefine((spans, ctx) => {
      // Two spans from one event are one span, the longer: the shorter is a misreading.
      spans.forEach((span, index) => {
        if (spans.findIndex((other) => other.from === span.from) !== index)
          ctx.addIssue({
            code: 'custom',
            ...refusal('policies.file.repeated-start', { from: span.from }),
            path: [index, 'from'],
          })
      })
    }),
  remedies: once(z.enum(REMEDIES)).min(1),
  /** The customer's preference goes first when it is among the remedies. */
  customerChooses: z.boolean().default(false),
  /** A claim of these problems that misses every span is excluded as `window-missed` unless the warranty serves it. */
  exclusive: z.boolean().default(false),
  when: conditionSchema.optional(),
})

const scopeClause = z.strictObject({
  ...clauseBase,
  kind: z.literal('scope'),
  parts: once(z.enum(PART_KINDS)).min(1),
})

const exclusionClause = z
  .strictObject({
    ...clauseBase,
    kind: z.literal('exclusion'),
    findings: once(z.enum(FINDINGS)).min(1).optional(),
    fact: z.enum(EXCLUSION_FACTS).optional(),
    /**
     * The seed excludes only the fault or damage its findings caused ("damage caused by
     * improper operation"), not the unit they are found in: raised by a finding the inspection
     * names among the fault's causes (`faultCausedBy`, every finding when it does not say).
     * Without it, a finding excludes whatever it caused (a broken warranty seal, a serial
     * altered).
     */
    causal: z.boolean().default(false),
    /** Remedies it rules out; absent means it rules out all free service. */
    blocks: once(z.enum(REMEDIES)).min(1).optional(),
    when: conditionSchema.optional(),
  })
  .refine((clause) => (clause.findings === undefined) !== (clause.fact === undefined), {
    ...refusal('policies.file.findings-or-fact', { one: 'findings', other: 'fact' }),
    path: ['findings'],
  })
  .refine((clause) => !clause.causal || clause.findings !== undefined, {
    ...refusal('policies.file.causal-needs-findings', { field: 'causal', other: 'findings' }),
    path: ['causal'],
  })

const limitClause = z.strictObject({
  ...clauseBase,
  kind: z.literal('limit'),
  blocks: once(z.enum(REMEDIES)).min(1),
  when: conditionSchema,
})

const paidServiceClause = z.strictObject({
  ...clauseBase,
  kind: z.literal('paid-service'),
  remedies: once(z.enum(REMEDIES)).min(1),
  when: conditionSchema.optional(),
})

const offerClause = z.strictObject({
  ...clauseBase,
  kind: z.literal('offer'),
  remedies: once(z.enum(REMEDIES)).min(1),
  /** `first` or `last` adds to the remedies; `only` replaces them. */
  position: z.enum(['first', 'last', 'only']),
  /**
   * `maker`: the offer is free where the maker gives it free and charged as the maker prices
   * it otherwise (IST's upgrades of free and paid software), so it is not said to be free.
   */
  price: z.enum(['maker']).optional(),
  when: conditionSchema.optional(),
})

const payerRef = z.enum(PAYER_REFS).nullable()
const payersClause = z.strictObject({
  ...clauseBase,
  kind: z.literal('payers'),
  payers: z
    .partialRecord(z.enum(COSTS), payerRef)
    .refine((p) => Object.keys(p).length > 0, refusal('policies.file.no-cost')),
  when: conditionSchema.optional(),
})

const evidenceClause = z.strictObject({
  ...clauseBase,
  kind: z.literal('evidence'),
  require: once(z.enum(EVIDENCE_KINDS)).min(1),
  when: conditionSchema.optional(),
})

const handlerClause = z.strictObject({
  ...clauseBase,
  kind: z.literal('handler'),
  /** `shipper` is whoever shipped the goods to the buyer (ToupTek's transport damage). */
  handler: z.enum(HANDLER_REFS),
  when: conditionSchema.optional(),
})

const serviceClause = z.strictObject({
  ...clauseBase,
  kind: z.literal('service'),
  mode: z.enum(SERVICE_MODES),
  when: conditionSchema.optional(),
})

const clockTime = matching(/^([01]\d|2[0-3]):[0-5]\d$/, 'policies.file.clock-time', { pattern: 'HH:MM' })
/** A time hours end at: `24:00` is the end of the day. */
const endClockTime = matching(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'policies.file.clock-time', {
  pattern: 'HH:MM',
})

/**
 * The longest service level per unit: a year. A claim's clock is set from its target when
 * the claim starts it; beyond a year no clock is a promise, and working time that long is
 * counted day by day on the calendar.
 */
const MOST_SERVICE_LEVEL = { hours: 8784, 'working-hours': 8784, days: 366, 'working-days': 366 } as const

/**
 * An event a claim records. A clock on any other name would never start, or never stop and
 * be breached whatever staff did; policy check passed such a misspelling.
 */
const claimEventType = (example: string) =>
  z
    .string()
    .refine(
      (value) => (CLAIM_EVENT_TYPES as readonly string[]).includes(value),
      refusal('policies.file.event-type', { example }),
    )

/** Events that stop every clock of a claim. */
const CLOSING_EVENTS: readonly string[] = [CLAIM_CLOSED, CLAIM_CANCELLED]

const serviceLevelClause = z
  .strictObject({
    ...clauseBase,
    kind: z.literal('service-level'),
    clock: z.string().regex(/^[a-z][a-z-]*$/),
    startOn: claimEventType('unit.received'),
    stopOn: z.array(claimEventType('return.shipped')).min(1),
    amount: z.number().positive(),
    unit: z.enum(['hours', 'days', 'working-hours', 'working-days']),
    brand: z.enum(BRANDS).optional(),
  })
  .superRefine((clause, ctx) => {
    // A claim event first starts the clocks it names, then stops those it stops: a clock that
    // stops on its own start, or starts as the claim ends, is met before it ran.
    if (CLOSING_EVENTS.includes(clause.startOn))
      ctx.addIssue({
        code: 'custom',
        ...refusal('policies.file.starts-on-close', { event: clause.startOn }),
        path: ['startOn'],
      })
    clause.stopOn.forEach((event, index) => {
      if (event === clause.startOn)
        ctx.addIssue({
          code: 'custom',
          ...refusal('policies.file.stops-on-start', { event }),
          path: ['stopOn', index],
        })
    })
    // The clocks count days whole (see addBusinessDuration).
    if ((clause.unit === 'days' || clause.unit === 'working-days') && !Number.isInteger(clause.amount))
      ctx.addIssue({
        code: 'custom',
        ...refusal('policies.file.whole-units', { timeUnit: clause.unit }),
        path: ['amount'],
      })
    const most = MOST_SERVICE_LEVEL[clause.unit]
    if (clause.amount > most)
      ctx.addIssue({
        code: 'custom',
        ...refusal('policies.file.most-units', { most, timeUnit: clause.unit }),
        path: ['amount'],
      })
  })

const supportHoursClause = z
  .strictObject({
    ...clauseBase,
    kind: z.literal('support-hours'),
    from: clockTime,
    to: endClockTime,
    everyDay: z.boolean(),
  })
  .superRefine((clause, ctx) => {
    // The first-response clock runs on these hours (deriveSupportCalendar). Hours that end
    // earlier than they start run past midnight (a night desk, 22:00–06:00), on the day they
    // start; hours that end when they start would hold no time, and no clock could count.
    if (clause.to === clause.from)
      ctx.addIssue({
        code: 'custom',
        ...refusal('policies.file.support-hours-order', { from: clause.from }),
        path: ['to'],
      })
  })

/** Where a note is shown besides the policy text: `return-parcel` puts it on the return authorisation's packing list. */
export const NOTE_AUDIENCES = ['return-parcel'] as const

/** A clause kept for the record (a disclaimer, a packing note); it weighs in no decision. */
const noteClause = z.strictObject({
  ...clauseBase,
  kind: z.literal('note'),
  showOn: z.enum(NOTE_AUDIENCES).optional(),
})

export const clauseSchema = z.discriminatedUnion('kind', [
  coverageClause,
  windowClause,
  scopeClause,
  exclusionClause,
  limitClause,
  paidServiceClause,
  offerClause,
  payersClause,
  evidenceClause,
  handlerClause,
  serviceClause,
  serviceLevelClause,
  supportHoursClause,
  noteClause,
])

const names = z.array(z.string()).optional()

/**
 * What an example expects (see ExampleExpectation): checked here, so that `policy check`
 * names the field of a malformed expectation instead of tripping over it.
 */
const exampleExpectationSchema = z.strictObject({
  covered: z.boolean().optional(),
  basis: z.string().optional(),
  basisIn: z.array(z.string()).optional(),
  basisNot: z.string().optional(),
  handler: z.string().optional(),
  provisional: z.boolean().optional(),
  warrantyEnds: z.string().optional(),
  remedies: z.strictObject({ first: z.string().optional(), includes: names, excludes: names }).optional(),
  exclusions: z.strictObject({ includes: names }).optional(),
  payers: z.record(z.string(), z.string().nullable()).optional(),
  missingEvidence: z.strictObject({ includes: names }).optional(),
})

/** An embedded example: the same shape as the contract's `examples/*.json`. */
export const policyExampleSchema = z.strictObject({
  name: z.string().min(1),
  case: z.record(z.string(), z.unknown()),
  expect: exampleExpectationSchema,
})

/** The ISO 4217 codes the runtime knows the minor unit of. */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'))

export const policyDocumentSchema = z
  .strictObject({
    id: matching(/^[a-z0-9-]+$/, 'policies.file.id'),
    version: matching(/^[0-9A-Za-z.-]+$/, 'policies.file.version'),
    title: wording,
    /** The language of `title` and of every clause's `text`: the source document's. */
    language: z.enum(LANGUAGES).default('en'),
    translations: z
      .strictObject({
        en: z.strictObject({ title: wording.optional() }).optional(),
        zh: z.strictObject({ title: wording.optional() }).optional(),
      })
      .optional(),
    source: z.string().optional(),
    effectiveFrom: isoDate,
    effectiveTo: isoDate.nullable().default(null),
    /** Claims under the policy are dated in this zone, so the runtime must know it. */
    timeZone: z
      .string()
      .refine(isTimeZone, refusal('policies.file.time-zone', { example: 'Asia/Shanghai', other: 'UTC' })),
    // A well-formed code the runtime does not know (`ABC`) would be priced with made-up decimals.
    currency: z
      .string()
      .refine((code) => CURRENCIES.has(code), refusal('policies.file.currency', { example: 'USD' })),
    /** Business calendar id, resolved by the sla feature. */
    calendar: z.string().regex(/^[a-z0-9-]+$/),
    clauses: z.array(clauseSchema).min(1),
    examples: z.array(policyExampleSchema).default([]),
  })
  .superRefine((doc, ctx) => {
    // Every decision names the clause behind it; notes and service levels decide nothing.
    if (!doc.clauses.some((clause) => WEIGHED_KINDS.has(clause.kind))) {
      ctx.addIssue({
        code: 'custom',
        ...refusal('policies.file.nothing-weighs'),
        path: ['clauses'],
      })
    }
    const seen = new Set<string>()
    // One set of support hours and one clock of a name per unit: a claim keeps one clock of
    // each name, so a second would be dropped unseen.
    let supportHoursKey: string | undefined
    const clocks: { clock: string; brand: string | undefined; key: string }[] = []
    doc.clauses.forEach((clause, index) => {
      if (clause.kind === 'support-hours') {
        if (supportHoursKey !== undefined)
          ctx.addIssue({
            code: 'custom',
            ...refusal('policies.file.repeated-support-hours', { key: supportHoursKey }),
            path: ['clauses', index, 'kind'],
          })
        supportHoursKey ??= clause.key
      }
      if (clause.kind === 'service-level') {
        const earlier = clocks.find(
          (other) =>
            other.clock === clause.clock &&
            (other.brand === undefined || clause.brand === undefined || other.brand === clause.brand),
        )
        if (earlier !== undefined)
          ctx.addIssue({
            code: 'custom',
            ...refusal('policies.file.repeated-clock', { clock: clause.clock, key: earlier.key }),
            path: ['clauses', index, 'clock'],
          })
        clocks.push({ clock: clause.clock, brand: clause.brand, key: clause.key })
      }
      if (seen.has(clause.key)) {
        ctx.addIssue({
          code: 'custom',
          ...refusal('policies.file.repeated-key', { key: clause.key }),
          path: ['clauses', index, 'key'],
        })
      }
      seen.add(clause.key)
      // A translation into the words' own language would hide them behind a second copy.
      if (clause.translations?.[doc.language] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          ...refusal('policies.file.own-language-clause', { language: doc.language }),
          path: ['clauses', index, 'translations', doc.language],
        })
      }
    })
    // A clause keyed on a remedy the policy never offers can never apply: a misreading of the
    // seed (the retailer's replacement freight once named repair, IST's mailing back a
    // replacement), refused here so it cannot come back unseen.
    const offered = offeredRemedies(doc.clauses)
    doc.clauses.forEach((clause, index) => {
      const named: { path: (string | number)[]; remedies: readonly string[] }[] = []
      if (clause.kind === 'limit' || (clause.kind === 'exclusion' && clause.blocks !== undefined))
        named.push({ path: ['blocks'], remedies: clause.blocks ?? [] })
      if ('when' in clause && clause.when !== undefined)
        named.push(...firstRemedyLists(clause.when, ['when']))
      for (const { path, remedies } of named) {
        remedies.forEach((remedy, at) => {
          if (offered.has(remedy)) return
          ctx.addIssue({
            code: 'custom',
            ...refusal('policies.file.remedy-not-offered', { key: clause.key, remedy }),
            path: ['clauses', index, ...path, at],
          })
        })
      }
    })
    if (doc.translations?.[doc.language] !== undefined) {
      ctx.addIssue({
        code: 'custom',
        ...refusal('policies.file.own-language-title', { language: doc.language }),
        path: ['translations', doc.language],
      })
    }
    if (doc.effectiveTo !== null && parseDay(doc.effectiveTo) < parseDay(doc.effectiveFrom)) {
      ctx.addIssue({
        code: 'custom',
        ...refusal('policies.file.before-start', { other: 'effectiveFrom' }),
        path: ['effectiveTo'],
      })
    }
  })

/**
 * The remedies a policy can offer at all: those of its coverage, window, paid-service and
 * offer clauses. Every remedy of a decision comes from one of them.
 */
export function offeredRemedies(
  clauses: readonly { kind: string; remedies?: readonly string[] }[],
): Set<string> {
  const offered = new Set<string>()
  for (const clause of clauses) {
    if (OFFERING_KINDS.has(clause.kind)) for (const remedy of clause.remedies ?? []) offered.add(remedy)
  }
  return offered
}

const OFFERING_KINDS: ReadonlySet<string> = new Set(['coverage', 'window', 'paid-service', 'offer'])

/** Each `firstRemedy` list of a condition, its own and its `anyOf` branches', with its path. */
function firstRemedyLists(
  condition: Condition,
  path: (string | number)[],
): { path: (string | number)[]; remedies: readonly string[] }[] {
  const lists: { path: (string | number)[]; remedies: readonly string[] }[] = []
  if (condition.firstRemedy !== undefined)
    lists.push({ path: [...path, 'firstRemedy'], remedies: condition.firstRemedy })
  condition.anyOf?.forEach((branch, i) => {
    lists.push(...firstRemedyLists(branch, [...path, 'anyOf', i]))
  })
  return lists
}

export type PolicyDocument = z.output<typeof policyDocumentSchema>
export type Clause = PolicyDocument['clauses'][number]
export type ClauseKind = Clause['kind']
export type PolicyExample = z.output<typeof policyExampleSchema>

export { WEIGHED_KINDS } from './weighed-kinds.ts'
