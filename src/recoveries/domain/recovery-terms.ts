import { z } from 'zod'
import { BRANDS, CHANNELS, isoDate } from '../../contracts/case.ts'
import { BASES, HANDLERS } from '../../contracts/decision.ts'

/**
 * Recovery terms: what a maker or supplier reimburses, to whom, for which claims. They are
 * policy data like warranty policies (versioned, each clause quoting its source, chosen by
 * the sale date) but a document of their own, so a warranty policy never changes meaning
 * because a reimbursement agreement did.
 */
export const RECOVERY_CURRENCIES = ['USD', 'CNY', 'EUR'] as const
export type RecoveryCurrency = (typeof RECOVERY_CURRENCIES)[number]

/**
 * Freight legs: `inbound` customer to service, `return` service to customer, `forward`
 * distributor to the maker's service centre, `back` maker back to the distributor.
 */
export const FREIGHT_LEGS = ['inbound', 'return', 'forward', 'back'] as const
export type FreightLeg = (typeof FREIGHT_LEGS)[number]

/** Who is reimbursed: the party that carried out the service, the seller that sold (and refunded) the unit, or the seller that forwarded it to the maker. */
export const CREDITOR_ROLES = ['handler', 'seller', 'forwarder'] as const
export type CreditorRole = (typeof CREDITOR_ROLES)[number]

/**
 * A check's refusal as a key of the message catalogue with the values it quotes, so the
 * owner of the terms reads it in their language (the words follow the field: `recovery.terms.*`).
 */
const refusal = (message: string, params?: Record<string, string | number>) =>
  params === undefined ? { message } : { message, params }

const key = z
  .string()
  .refine(
    (value) => /^[a-z][a-z0-9-]*$/.test(value),
    refusal('recovery.terms.key', { example: 'parts-at-cost' }),
  )
const minor = z.number().int().nonnegative().max(1_000_000_000)
const clauseText = z.string().trim().min(1, 'recovery.terms.no-words')

const base = { key, text: clauseText, comment: z.string().optional(), capMinor: minor.optional() }

/** Parts the creditor bore, at what it recorded (`cost`) or at list (`listPercent` of it). */
const partsClause = z.strictObject({
  ...base,
  kind: z.literal('parts'),
  price: z.enum(['cost', 'list']),
  /** For `list`: the list price as a percentage of the recorded cost (e.g. 125). */
  listPercent: z.number().int().min(1).max(1000).default(100),
})

/** Labour at a standard time per repair code times a rate; the code is chosen by the product's category. */
const labourClause = z.strictObject({
  ...base,
  kind: z.literal('labour'),
  ratePerHourMinor: minor,
  repairCodes: z
    .array(
      z.strictObject({
        code: z.string().regex(/^[A-Z0-9-]+$/, 'recovery.terms.repair-code'),
        categories: z.array(z.string().min(1)).min(1).optional(),
        hours: z.number().positive().max(100),
      }),
    )
    .min(1),
})

/** Freight legs the debtor pays: what the creditor recorded, or a flat amount per leg when nothing is recorded. */
const freightClause = z.strictObject({
  ...base,
  kind: z.literal('freight'),
  legs: z.array(z.enum(FREIGHT_LEGS)).min(1),
  flatMinor: minor.optional(),
})

/** The supplier's share of a refund or a replacement the seller gave. */
const shareClause = z.strictObject({
  ...base,
  kind: z.enum(['refund-share', 'replacement-share']),
  percent: z.number().int().min(1).max(100),
  /** For a replacement: the unit's cost, since the replacement itself carries no price. */
  unitCostMinor: minor.optional(),
})

export const costClauseSchema = z.discriminatedUnion('kind', [
  partsClause,
  labourClause,
  freightClause,
  shareClause,
])
export type CostClause = z.output<typeof costClauseSchema>

/** What the debtor never pays, with the reason given when a claim meets it. */
export const neverClauseSchema = z.strictObject({
  key,
  text: clauseText,
  comment: z.string().optional(),
  /**
   * `own-commitment`: a cost the creditor bore although the warranty decision named another
   * payer (a promise it made on its own); `not-covered`: the decision did not cover the
   * claim; `bases`: claims decided on one of these bases.
   */
  when: z.union([
    z.strictObject({ ownCommitment: z.literal(true) }),
    z.strictObject({ covered: z.literal(false) }),
    z.strictObject({ bases: z.array(z.enum(BASES)).min(1) }),
  ]),
})
export type NeverClause = z.output<typeof neverClauseSchema>

export const recoveryTermsSchema = z
  .strictObject({
    kind: z.literal('recovery-terms'),
    id: key,
    version: z
      .string()
      .refine(
        (value) => /^[0-9A-Za-z.-]+$/.test(value),
        refusal('recovery.terms.version', { example: '1', other: '2.1' }),
      ),
    title: z.string().min(1),
    /** The title in the other languages its readers use; the debtor and creditor read it in their own. */
    translations: z
      .strictObject({
        en: z.strictObject({ title: z.string().min(1) }).optional(),
        zh: z.strictObject({ title: z.string().min(1) }).optional(),
      })
      .optional(),
    source: z.string().min(1),
    effectiveFrom: isoDate,
    effectiveTo: isoDate.nullable(),
    /** The organisation that reimburses: `brand` is the brand of the claimed unit's model. */
    debtor: z.union([z.literal('brand'), z.strictObject({ org: z.string().min(1) })]),
    creditor: z.enum(CREDITOR_ROLES),
    currency: z.enum(RECOVERY_CURRENCIES),
    appliesTo: z.strictObject({
      policies: z.array(z.string().min(1)).min(1),
      brandOrgs: z.array(z.string().min(1)).min(1).optional(),
      channels: z.array(z.enum(CHANNELS)).min(1).optional(),
      brands: z.array(z.enum(BRANDS)).min(1).optional(),
      handlers: z.array(z.enum(HANDLERS)).min(1).optional(),
      bases: z.array(z.enum(BASES)).min(1).optional(),
    }),
    /** Days after the work within which the creditor must submit; later submissions are flagged late. */
    submitWithinDays: z.number().int().positive().max(3650),
    /** The failed part must be sent back to the debtor. */
    returnPart: z.boolean(),
    /** Most the debtor pays for one claim, in `currency`. */
    perClaimCapMinor: minor.optional(),
    costs: z.array(costClauseSchema).min(1),
    never: z.array(neverClauseSchema).default([]),
  })
  .superRefine((terms, ctx) => {
    terms.costs.forEach((cost, index) => {
      // Forward and back legs have no cost line of their own in a claim: only a flat amount prices them.
      if (
        cost.kind === 'freight' &&
        cost.flatMinor === undefined &&
        cost.legs.some((l) => l === 'forward' || l === 'back')
      )
        ctx.addIssue({
          code: 'custom',
          path: ['costs', index, 'flatMinor'],
          ...refusal('recovery.terms.flat-for-legs', { amount: 'flatMinor' }),
        })
      if (cost.kind === 'replacement-share' && cost.unitCostMinor === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['costs', index, 'unitCostMinor'],
          ...refusal('recovery.terms.unit-cost'),
        })
    })
    // One cost, one clause: clauses carry no filter of their own, so a second clause of a kind
    // (or a leg named twice) would make the debtor pay the same parts, labour, share or
    // courier twice, and two lines with the same key would be filed as one.
    const kindAt = new Map<string, number>()
    const legAt = new Map<FreightLeg, number>()
    terms.costs.forEach((cost, index) => {
      if (cost.kind === 'freight') {
        cost.legs.forEach((leg, legIndex) => {
          const earlier = legAt.get(leg)
          if (earlier !== undefined)
            ctx.addIssue({
              code: 'custom',
              path: ['costs', index, 'legs', legIndex],
              ...refusal('recovery.terms.leg-paid-twice', {
                leg,
                other: terms.costs[earlier]?.key ?? `costs.${earlier}`,
              }),
            })
          else legAt.set(leg, index)
        })
        return
      }
      const earlier = kindAt.get(cost.kind)
      if (earlier !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['costs', index, 'kind'],
          ...refusal('recovery.terms.kind-paid-twice', {
            clauseKind: cost.kind,
            other: terms.costs[earlier]?.key ?? `costs.${earlier}`,
          }),
        })
      else kindAt.set(cost.kind, index)
    })
    if (terms.effectiveTo !== null && terms.effectiveTo < terms.effectiveFrom)
      ctx.addIssue({
        code: 'custom',
        path: ['effectiveTo'],
        ...refusal('policies.file.before-start', { other: 'effectiveFrom' }),
      })
    const seen = new Set<string>()
    const all = [...terms.costs.map((c) => c.key), ...terms.never.map((n) => n.key)]
    all.forEach((k, index) => {
      if (seen.has(k)) {
        const inCosts = index < terms.costs.length
        ctx.addIssue({
          code: 'custom',
          path: inCosts ? ['costs', index, 'key'] : ['never', index - terms.costs.length, 'key'],
          ...refusal('recovery.terms.repeated-key', { key: k }),
        })
      }
      seen.add(k)
    })
  })
export type RecoveryTerms = z.output<typeof recoveryTermsSchema>

/** A clause id as decisions name them: `TERMS#KEY`. */
export const clauseId = (terms: Pick<RecoveryTerms, 'id'>, clauseKey: string): string =>
  `${terms.id}#${clauseKey}`

/**
 * The version of each terms document in force on the sale date: the latest whose window
 * holds the date. Terms documents are grouped by id.
 */
export function termsInForce(all: readonly RecoveryTerms[], soldOn: string): RecoveryTerms[] {
  const byId = new Map<string, RecoveryTerms>()
  for (const terms of all) {
    if (terms.effectiveFrom > soldOn) continue
    if (terms.effectiveTo !== null && terms.effectiveTo < soldOn) continue
    const held = byId.get(terms.id)
    if (!held || held.effectiveFrom < terms.effectiveFrom) byId.set(terms.id, terms)
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id))
}

/** Overlapping versions of one terms id make the choice by sale date ambiguous. */
export function findOverlaps(all: readonly RecoveryTerms[]): string[] {
  const problems: string[] = []
  const sorted = [...all].sort(
    (a, b) => a.id.localeCompare(b.id) || a.effectiveFrom.localeCompare(b.effectiveFrom),
  )
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]
    const next = sorted[i]
    if (!prev || !next || prev.id !== next.id) continue
    if (prev.version === next.version) problems.push(`${next.id}@${next.version} is defined twice`)
    else if (prev.effectiveTo === null || prev.effectiveTo >= next.effectiveFrom)
      problems.push(`${prev.id}@${prev.version} overlaps ${next.id}@${next.version}`)
  }
  return problems
}

/** What a terms document pays for: each cost kind, each freight leg on its own. */
const paidFor = (terms: RecoveryTerms): string[] =>
  terms.costs.flatMap((c) =>
    c.kind === 'freight' ? c.legs.map((leg) => `the ${leg} freight leg`) : [c.kind],
  )

/** Unset is "any": two filters meet unless both are set and share nothing. */
const filtersMeet = <T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean =>
  a === undefined || b === undefined || a.some((x) => b.includes(x))

/**
 * Two terms documents (different ids) that can both apply to one claim and pay the same cost
 * would recover it twice, from one debtor or from two. Judged from the windows and the
 * appliesTo filters alone, so a pair is refused even where their never clauses might keep them
 * apart: the policy owner says which document pays, not the order the files load in.
 */
export function findDoublePayers(all: readonly RecoveryTerms[]): string[] {
  const problems: string[] = []
  for (const [i, a] of all.entries())
    for (const b of all.slice(i + 1)) {
      if (a.id === b.id) continue
      const windowsMeet =
        (a.effectiveTo === null || a.effectiveTo >= b.effectiveFrom) &&
        (b.effectiveTo === null || b.effectiveTo >= a.effectiveFrom)
      const x = a.appliesTo
      const y = b.appliesTo
      if (
        !windowsMeet ||
        !filtersMeet(x.policies, y.policies) ||
        !filtersMeet(x.brandOrgs, y.brandOrgs) ||
        !filtersMeet(x.channels, y.channels) ||
        !filtersMeet(x.brands, y.brands) ||
        !filtersMeet(x.handlers, y.handlers) ||
        !filtersMeet(x.bases, y.bases)
      )
        continue
      const paidByB = paidFor(b)
      const both = paidFor(a).filter((p) => paidByB.includes(p))
      if (both.length > 0)
        problems.push(
          `${a.id}@${a.version} and ${b.id}@${b.version} can apply to the same claim and both pay ${both.join(', ')}`,
        )
    }
  return problems
}
