import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { DEALER_SALE_CONFIRMED, DEALER_SALE_MOVED } from '../../contracts/claim-event-types.ts'
import { BASES, COSTS, HANDLERS, type Handler, PARTIES, type Party } from '../../contracts/decision.ts'
import {
  isMessageKey,
  type MessageKey,
  type MessageParams,
  translate,
} from '../../shared/messages/translate.ts'
import { type DealerEvent, dealerChangesOf } from './dealer-history.ts'
import {
  type CostRecord,
  costOfLineKey,
  type DerivedLine,
  type DerivedRecovery,
  deriveRecovery,
  type FiledLine,
  filedLinesOf,
  type NoneReasonCode,
  type RecoveryFacts,
  type WorkRecord,
} from './derive-recovery.ts'
import {
  CREDITOR_ROLES,
  FREIGHT_LEGS,
  findDoublePayers,
  RECOVERY_CURRENCIES,
  type RecoveryTerms,
  recoveryTermsSchema,
  termsInForce,
} from './recovery-terms.ts'

/**
 * Recovery derivation off the happy path: generated claim facts against generated terms
 * (every one valid as the loader would accept it), checked against what docs/recoveries.md
 * promises. Where the contract leaves a choice, the reading taken is written beside the
 * property that pins it.
 */

const RUNS = Number(process.env.AFTERCARE_PROPERTY_RUNS ?? 1000)
// A counterexample names the assertion it broke, not only the values.
fc.configureGlobal({ ...fc.readConfigureGlobal(), includeErrorInReport: true })

const ORGS = ['org-a', 'org-b', 'org-c'] as const
const orgArb = fc.option(fc.constantFrom(...ORGS), { nil: null, freq: 6 })
const CATEGORIES = ['camera', 'mini-pc', 'mount'] as const
const DAYS = ['2026-01-10', '2026-01-31', '2026-02-01', '2026-03-15'] as const
const TIMES = ['T08:00:00.000Z', 'T10:00:00.000Z', 'T23:59:59.999Z'] as const
const atArb = fc.tuple(fc.constantFrom(...DAYS), fc.constantFrom(...TIMES)).map(([d, t]) => `${d}${t}`)

/** Minor amounts: mostly everyday, now and then the largest a cost line may carry. */
const unitPriceArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 80_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 999_999_999, 1_000_000_000) },
)
const quantityArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(1, 9_999, 10_000) },
)
const capArb = fc.option(
  fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(0, 1, 1_000_000_000)),
  { nil: undefined, freq: 2 },
)

// ---- terms ---------------------------------------------------------------------------

const clauseBaseArb = fc.record(
  { text: fc.constant('A clause'), capMinor: capArb },
  { requiredKeys: ['text'] },
)

const costClauseArb = fc.oneof(
  fc.record({
    base: clauseBaseArb,
    kind: fc.constant('parts'),
    price: fc.constantFrom('cost', 'list'),
    listPercent: fc.integer({ min: 1, max: 1000 }),
  }),
  fc.record({
    base: clauseBaseArb,
    kind: fc.constant('labour'),
    ratePerHourMinor: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.constant(1_000_000_000)),
    repairCodes: fc.array(
      fc.record(
        {
          code: fc.constantFrom('CAM', 'PC', 'GENERAL', 'X-1'),
          categories: fc.uniqueArray(fc.constantFrom(...CATEGORIES, 'other'), { minLength: 1, maxLength: 2 }),
          hours: fc.oneof(
            fc.integer({ min: 1, max: 400 }).map((q) => q / 4),
            fc.double({ min: 0.001, max: 100, noNaN: true }).filter((h) => h > 0),
          ),
        },
        { requiredKeys: ['code', 'hours'] },
      ),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({
    base: clauseBaseArb,
    kind: fc.constant('freight'),
    // Duplicates allowed on purpose: the schema has to be the one that refuses them.
    legs: fc.array(fc.constantFrom(...FREIGHT_LEGS), { minLength: 1, maxLength: 3 }),
    flatMinor: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined, freq: 3 }),
  }),
  fc.record({
    base: clauseBaseArb,
    kind: fc.constantFrom('refund-share', 'replacement-share'),
    percent: fc.integer({ min: 1, max: 100 }),
    unitCostMinor: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined, freq: 4 }),
  }),
)

const neverArb = fc.oneof(
  fc.constant({ ownCommitment: true as const }),
  fc.constant({ covered: false as const }),
  fc.record({ bases: fc.uniqueArray(fc.constantFrom(...BASES), { minLength: 1, maxLength: 2 }) }),
)

/** Raw terms as a file would hold them; only those the schema accepts are used. */
const rawTermsArb = (id: fc.Arbitrary<string>) =>
  fc
    .record({
      id,
      debtor: fc.oneof(fc.constant('brand' as const), fc.record({ org: fc.constantFrom(...ORGS) })),
      creditor: fc.constantFrom(...CREDITOR_ROLES),
      currency: fc.constantFrom(...RECOVERY_CURRENCIES),
      appliesTo: fc.record(
        {
          policies: fc.constant(['pol']),
          brandOrgs: fc.uniqueArray(fc.constantFrom(...ORGS), { minLength: 1 }),
          channels: fc.uniqueArray(fc.constantFrom('direct', 'dealer'), { minLength: 1 }),
          brands: fc.uniqueArray(fc.constantFrom('own', 'agent'), { minLength: 1 }),
          handlers: fc.uniqueArray(fc.constantFrom(...HANDLERS), { minLength: 1 }),
          bases: fc.uniqueArray(fc.constantFrom(...BASES), { minLength: 1, maxLength: 4 }),
        },
        { requiredKeys: ['policies'] },
      ),
      submitWithinDays: fc.integer({ min: 1, max: 3650 }),
      returnPart: fc.boolean(),
      perClaimCapMinor: capArb,
      costs: fc.array(costClauseArb, { minLength: 1, maxLength: 5 }),
      never: fc.array(neverArb, { maxLength: 2 }),
    })
    .map(({ costs, never, perClaimCapMinor, ...rest }) => ({
      kind: 'recovery-terms',
      version: '1',
      title: 'Generated terms',
      source: 'generated',
      effectiveFrom: '2020-01-01',
      effectiveTo: null,
      ...rest,
      ...(perClaimCapMinor === undefined ? {} : { perClaimCapMinor }),
      costs: costs.map(({ base, ...clause }, i) => ({ key: `cost-${i}`, ...base, ...clause })),
      never: never.map((when, i) => ({ key: `never-${i}`, text: 'Never', when })),
    }))

const parseTerms = (raw: unknown): RecoveryTerms | undefined => {
  const parsed = recoveryTermsSchema.safeParse(raw)
  return parsed.success ? parsed.data : undefined
}
const termsArb = rawTermsArb(fc.constant('terms-a'))
  .map(parseTerms)
  .filter((t): t is RecoveryTerms => t !== undefined)

// ---- facts ---------------------------------------------------------------------------

const payerArb = fc.option(fc.constantFrom(...PARTIES), { nil: null, freq: 5 })

const decisionArb = fc.record({
  policy: fc.constant('pol@1'),
  covered: fc.oneof(
    { weight: 4, arbitrary: fc.constant(true) },
    { weight: 1, arbitrary: fc.constant(false) },
  ),
  basis: fc.constantFrom(...BASES),
  handler: fc.constantFrom(...HANDLERS),
  payers: fc.record({
    parts: payerArb,
    labour: payerArb,
    'inbound-shipping': payerArb,
    'return-shipping': payerArb,
    'missing-items': payerArb,
    duties: payerArb,
  }),
})

const costArb = (currency: string) =>
  fc.record({
    id: fc.integer({ min: 0, max: 30 }).map((n) => `cost-${n}`),
    kind: fc.constantFrom(...COSTS),
    description: fc.constantFrom('Sensor', 'Cooler', 'Courier'),
    quantity: quantityArb,
    unitPriceMinor: unitPriceArb,
    payer: fc.constantFrom(...PARTIES),
    currency: fc.oneof(
      { weight: 6, arbitrary: fc.constant(currency) },
      fc.constantFrom(...RECOVERY_CURRENCIES),
    ),
    at: atArb,
  }) as fc.Arbitrary<CostRecord>

const workArb = fc.record(
  {
    type: fc.constantFrom<WorkRecord['type']>(
      'repair',
      'replacement',
      'refund',
      'forward',
      'back',
      'return-shipped',
    ),
    at: atArb,
    eventSeq: fc.integer({ min: 1, max: 60 }),
    amountMinor: fc.oneof(fc.integer({ min: 0, max: 200_000 }), fc.constant(1_000_000_000)),
  },
  { requiredKeys: ['type', 'at', 'eventSeq'] },
) as fc.Arbitrary<WorkRecord>

const factsArb: fc.Arbitrary<RecoveryFacts> = fc.constantFrom(...RECOVERY_CURRENCIES).chain((currency) =>
  fc.record({
    claimId: fc.constant('claim-1'),
    policyId: fc.oneof({ weight: 9, arbitrary: fc.constant('pol') }, fc.constant('other')),
    timeZone: fc.constantFrom('UTC', 'Asia/Shanghai', 'America/Los_Angeles'),
    soldOn: fc.constantFrom('2019-12-31', '2020-01-01', '2024-06-30', '2025-01-01'),
    currency: fc.constant(currency),
    channel: fc.constantFrom('direct' as const, 'dealer' as const),
    brand: fc.constantFrom('own' as const, 'agent' as const),
    category: fc.option(fc.constantFrom(...CATEGORIES), { nil: null, freq: 4 }),
    decision: fc.option(decisionArb, { nil: null, freq: 12 }),
    orgs: fc.record({ dealer: orgArb, seller: orgArb, brand: orgArb }),
    // Cost ids and event numbers are unique on a claim, as the store gives them.
    costs: fc.uniqueArray(costArb(currency), { selector: (c) => c.id, maxLength: 8 }),
    work: fc.uniqueArray(workArb, { selector: (w) => w.eventSeq, maxLength: 6 }),
  }),
)

/**
 * Facts and terms lined up so that lines are derived: the plain generators rarely agree on
 * creditor, payers and appliesTo at once. Customer-paid costs and no-payer kinds stay in, so
 * what must not be recovered is still there to be wrongly recovered.
 */
const alignedArb: fc.Arbitrary<readonly [RecoveryFacts, RecoveryTerms]> = fc
  .tuple(factsArb, termsArb, decisionArb)
  .map(([facts, terms, decision]) => {
    const handler = terms.creditor === 'handler' ? decision.handler : 'vendor'
    const role: Party =
      handler === 'dealer' ? 'dealer' : handler === 'manufacturer' ? 'manufacturer' : 'vendor'
    const payers = Object.fromEntries(
      Object.entries(decision.payers).map(([k, p]) => [k, p === null || p === 'customer' ? p : role]),
    ) as typeof decision.payers
    return [
      {
        ...facts,
        policyId: 'pol',
        soldOn: '2024-06-30',
        decision: { ...decision, covered: true, handler, payers },
        orgs: { dealer: 'org-a', seller: 'org-b', brand: 'org-c' },
        costs: facts.costs.map((c) => ({ ...c, payer: c.payer === 'customer' ? c.payer : role })),
      },
      { ...terms, appliesTo: { policies: ['pol'] }, never: [], debtor: 'brand' as const },
    ] as const
  })
/** Half plain, half lined up. */
const factsAndTermsArb = fc.oneof(fc.tuple(factsArb, termsArb), alignedArb)

/**
 * Who was the claim's dealer, and when: the dealer it was opened with (none while the dealer
 * its buyer named had not confirmed the sale), then the confirmation and moves at instants
 * drawn from the same few as its costs and work, so they fall before, between and on them.
 * `dealerAt` is worked out from the steps, apart from the events the derivation reads.
 */
interface DealerHistory {
  events: DealerEvent[]
  dealerAt: (at: string) => string | null
  now: string | null
}
const DEALERS = ['org-a', 'org-d', 'org-e', 'org-c'] as const
const dealerHistoryArb: fc.Arbitrary<DealerHistory> = fc
  .record({
    opened: fc.option(fc.constantFrom(...DEALERS), { nil: null, freq: 3 }),
    steps: fc.array(
      fc.record({ at: atArb, to: fc.option(fc.constantFrom(...DEALERS), { nil: null, freq: 4 }) }),
      { maxLength: 4 },
    ),
  })
  .map(({ opened, steps }) => {
    const held: { at: string; dealer: string | null }[] = []
    const events: DealerEvent[] = []
    let dealer = opened
    for (const { at, to } of [...steps].sort((a, b) => a.at.localeCompare(b.at))) {
      if (dealer === null && held.length === 0 && to !== null) {
        // The dealer the buyer named confirms the sale: the claim had no dealer until now.
        events.push({ type: DEALER_SALE_CONFIRMED, at, data: { dealerOrgId: to } })
      } else if (to !== dealer) {
        // The seller's records give the sale (and the open claim) to another dealer, or none.
        events.push({ type: DEALER_SALE_MOVED, at, data: { dealerOrgId: to, previousDealerOrgId: dealer } })
      } else continue
      held.push({ at, dealer: to })
      dealer = to
    }
    return {
      events,
      now: dealer,
      dealerAt: (at: string) => {
        const last = held.filter((h) => h.at <= at).at(-1)
        return last === undefined ? opened : last.dealer
      },
    }
  })

/** Lined up as `alignedArb`, and half the time with the dealer handling the claim and owed what it bore. */
const dealerHandledArb: fc.Arbitrary<readonly [RecoveryFacts, RecoveryTerms]> = fc
  .tuple(alignedArb, fc.boolean())
  .map(([[facts, terms], dealerHandles]) => {
    if (!dealerHandles || !facts.decision) return [facts, terms] as const
    const toDealer = <P extends Party | null>(p: P) => (p === null || p === 'customer' ? p : 'dealer')
    const payers = Object.fromEntries(
      Object.entries(facts.decision.payers).map(([k, p]) => [k, toDealer(p)]),
    ) as typeof facts.decision.payers
    return [
      {
        ...facts,
        decision: { ...facts.decision, handler: 'dealer' as const, payers },
        costs: facts.costs.map((c) => ({ ...c, payer: toDealer(c.payer) })),
      },
      { ...terms, creditor: 'handler' as const },
    ] as const
  })

/** The claim as the store reads it once the history happened: its events in order, and its dealer now. */
const withDealerHistory = (facts: RecoveryFacts, history: DealerHistory): RecoveryFacts => {
  // Events are numbered in the order they happen.
  const instants = facts.work.map((w) => w.at).sort()
  const work = [...facts.work]
    .sort((a, b) => a.eventSeq - b.eventSeq)
    .map((w, i) => ({ ...w, at: instants[i] ?? w.at }))
  return {
    ...facts,
    orgs: { ...facts.orgs, dealer: history.now },
    dealerChanges: dealerChangesOf(history.events),
    work,
  }
}

/**
 * The claim decided again at instants drawn from the same few as its costs and work, each time
 * perhaps with another handler (the seller serving a sale whose dealer had not confirmed it, the
 * dealer once it had), the payers the decision names following its handler.
 */
const decisionStepsArb = fc.array(fc.record({ at: atArb, handler: fc.constantFrom(...HANDLERS) }), {
  maxLength: 3,
})

/**
 * The claim as the store reads it once it was decided at those steps: the decisions in force
 * over time, the last one its decision now, and each cost not the customer's borne by whoever
 * the decision in force when it was recorded named. `decisionAt` is worked out from the steps.
 */
const withDecisionHistory = (
  facts: RecoveryFacts,
  terms: RecoveryTerms,
  steps: readonly { at: string; handler: Handler }[],
): { facts: RecoveryFacts; decisionAt: (at: string) => RecoveryFacts['decision'] } => {
  const now = facts.decision
  if (!now || steps.length === 0) return { facts, decisionAt: () => now }
  const handedTo = (handler: Handler) => {
    const role = creditorRole(terms, { decision: { ...now, handler } })
    const payers = Object.fromEntries(
      Object.entries(now.payers).map(([k, p]) => [k, p === null || p === 'customer' ? p : role]),
    ) as typeof now.payers
    return { ...now, handler, payers }
  }
  const changes = [...steps]
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((step) => ({ at: step.at, decision: handedTo(step.handler) }))
  const first = changes[0]?.decision ?? now
  const decisionAt = (at: string) => changes.filter((c) => c.at <= at).at(-1)?.decision ?? first
  return {
    facts: {
      ...facts,
      decision: changes.at(-1)?.decision ?? now,
      decisionChanges: changes,
      costs: facts.costs.map((c) =>
        c.payer === 'customer' ? c : { ...c, payer: creditorRole(terms, { decision: decisionAt(c.at) }) },
      ),
    },
    decisionAt,
  }
}

// ---- helpers -------------------------------------------------------------------------

/** The creditor's name in the decision's payer vocabulary, as the terms define it. */
const creditorRole = (terms: RecoveryTerms, facts: Pick<RecoveryFacts, 'decision'>): Party =>
  terms.creditor === 'handler' && facts.decision?.handler === 'dealer'
    ? 'dealer'
    : terms.creditor === 'handler' && facts.decision?.handler === 'manufacturer'
      ? 'manufacturer'
      : 'vendor'

/**
 * Who had the claim as its dealer, and which decision was in force, at an instant: worked out
 * apart from the derivation. By default the claim's dealer and decision now, for a claim that
 * never changed either.
 */
interface Timeline {
  dealerAt: (at: string) => string | null
  decisionAt: (at: string) => RecoveryFacts['decision']
}
const staticTimeline = (facts: RecoveryFacts): Timeline => ({
  dealerAt: () => facts.orgs.dealer,
  decisionAt: () => facts.decision,
})
/** The creditor's role under the decision in force at an instant. */
const roleAt = (terms: RecoveryTerms, timeline: Timeline, at: string): Party =>
  creditorRole(terms, { decision: timeline.decisionAt(at) })
/**
 * The organisation that held the creditor's role at an instant: a dealer the claim moved to, or
 * that confirmed its sale, is owed nothing before; nor a handler before the decision naming it.
 */
const holderAt = (terms: RecoveryTerms, facts: RecoveryFacts, timeline: Timeline, at: string) => {
  const role = roleAt(terms, timeline, at)
  return role === 'dealer'
    ? timeline.dealerAt(at)
    : role === 'manufacturer'
      ? facts.orgs.brand
      : facts.orgs.seller
}
const recordedMinor = (c: CostRecord) => c.quantity * c.unitPriceMinor
/**
 * The reference for money times a rate: `minor × decimal ÷ divisor` on the decimal as written
 * (`0.29` hours, `125` %), in whole numbers, rounded half up to a minor unit.
 */
const exactly = (minor: number, decimal: number, divisor = 1): number => {
  const [whole, fraction = ''] = String(decimal).split('.')
  const product = BigInt(minor) * BigInt(`${whole}${fraction}`)
  const unit = 10n ** BigInt(fraction.length) * BigInt(divisor)
  const [quotient, remainder] = [product / unit, product % unit]
  return Number(2n * remainder >= unit ? quotient + 1n : quotient)
}
/** What a line would be before any cap. */
const uncapped = (l: DerivedLine) => l.cappedFromMinor ?? l.amountMinor
/** When the cost a line asks for was recorded, or the work it rests on done. */
const lineTime = (facts: RecoveryFacts, line: DerivedLine): string => {
  const [costId] = line.evidence.costLineIds
  const at =
    costId === undefined
      ? facts.work.find((w) => w.eventSeq === line.evidence.eventSeqs[0])?.at
      : facts.costs.find((c) => c.id === costId)?.at
  assert.ok(at, `${line.lineKey} rests on nothing the claim has`)
  return at
}
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0)
const termsOf = (r: DerivedRecovery, all: readonly RecoveryTerms[]) => {
  const terms = all.find((t) => t.id === r.terms.id && t.version === r.terms.version)
  assert.ok(terms, `recovery under unknown terms ${r.terms.id}@${r.terms.version}`)
  return terms
}
const clauseOf = (terms: RecoveryTerms, line: DerivedLine) => {
  const clause = terms.costs.find((c) => `${terms.id}#${c.key}` === line.clause)
  assert.ok(clause, `line under unknown clause ${line.clause}`)
  return clause
}
/** Fisher–Yates with fast-check's random, so a failure replays. */
const shuffled = <T>(xs: readonly T[], seed: number): T[] => {
  const out = [...xs]
  let s = seed >>> 0 || 1
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) >>> 0
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

// ---- words ---------------------------------------------------------------------------

/**
 * What a reason's message could be, by code, as derivations wrote it before they kept the
 * message's key (migration 0803): the English the catalogue must still give, word for word.
 */
function legacyMessages(
  facts: RecoveryFacts,
  all: readonly RecoveryTerms[],
): Map<NoneReasonCode, Set<string>> {
  const by = new Map<NoneReasonCode, Set<string>>()
  const add = (code: NoneReasonCode, message: string) =>
    by.set(code, (by.get(code) ?? new Set()).add(message))
  const decision = facts.decision
  add('no-decision', 'The claim has no warranty decision to recover against')
  add('nothing-borne', 'No reimbursable cost has been borne on this claim yet')
  if (!decision) return by
  add(
    'no-terms',
    `No recovery terms in force on ${facts.soldOn} apply to a ${facts.policyId} claim handled by the ${decision.handler}`,
  )
  for (const terms of all) {
    add(
      'no-counterparty',
      `Under ${terms.id} the party that bore the cost is the one that owes it: nothing to recover`,
    )
    for (const never of terms.never) add('never-paid', never.text)
    const ownCommitment = terms.never.find((n) => 'ownCommitment' in n.when)
    // A cost is judged by the decision in force when it was recorded: any of the claim's.
    for (const then of [decision, ...(facts.decisionChanges ?? []).map((c) => c.decision)]) {
      const role = creditorRole(terms, { decision: then })
      for (const cost of facts.costs)
        add(
          'own-commitment',
          `${cost.description} (${cost.kind}) was borne by the ${role} although the decision names ${then.payers[cost.kind] ?? 'no payer'}: ${ownCommitment?.text ?? 'the terms pay only what the decision assigns'}`,
        )
    }
    for (const cost of facts.costs) {
      add(
        'currency-mismatch',
        `${cost.description} is in ${cost.currency}; the terms pay in ${terms.currency}`,
      )
      // Newer than the key migration: worded from its key from the start.
      add(
        'shipped-by-another',
        `${cost.description} paid for no shipment home: the unit was shipped home by another party, whose return leg counts`,
      )
    }
    add('currency-mismatch', `The refund is in ${facts.currency}; the terms pay in ${terms.currency}`)
    add('no-repair-code', `No repair code of ${terms.id} covers the category ${facts.category ?? '(none)'}`)
  }
  return by
}

/** Parameters whose values are shown as given in any language: typed text, quotes, codes, dates. */
const AS_GIVEN = [
  'item',
  'quote',
  'reason',
  'repairCode',
  'terms',
  'policy',
  'category',
  'soldOn',
  'currency',
  'termsCurrency',
]

/**
 * A message with its values, in both languages: the English is `english` exactly; the Chinese
 * fills every placeholder and, once the values shown as given are taken out, has no Latin
 * letter left (a leg, a cost kind, a party or a price basis is a word, and translated).
 */
function checkWords(key: MessageKey, params: MessageParams, english: string): void {
  assert.ok(isMessageKey(key), `unknown key ${key}`)
  assert.equal(translate('en', key, params), english, key)
  const chinese = translate('zh', key, params)
  assert.doesNotMatch(chinese, /\{\w+\}/, chinese)
  assert.match(chinese, /[\u4e00-\u9fff]/, chinese)
  let rest = chinese
  for (const name of AS_GIVEN) {
    const value = params[name]
    if (value === undefined || (name === 'reason' && isMessageKey(String(value)))) continue
    rest = rest.split(String(value)).join(' ')
  }
  assert.doesNotMatch(rest, /[A-Za-z]/, `${key}: ${chinese}`)
}

/**
 * Every invariant of one derivation of facts under a set of terms, the claim's dealers and
 * decisions over time as `timeline` has them.
 */
function checkDerivation(
  facts: RecoveryFacts,
  all: readonly RecoveryTerms[],
  timeline: Timeline = staticTimeline(facts),
): void {
  const { recoveries, reasons } = deriveRecovery(facts, all)
  // Each reason is worded as before in English, and in Chinese from its key.
  const legacy = legacyMessages(facts, all)
  for (const reason of reasons) {
    assert.ok(legacy.get(reason.code)?.has(reason.message), `${reason.code}: ${reason.message}`)
    checkWords(reason.messageKey, reason.params, reason.message)
  }
  const decision = facts.decision
  if (!decision) {
    assert.deepEqual(recoveries, [])
    assert.deepEqual(
      reasons.map((r) => r.code),
      ['no-decision'],
    )
    return
  }
  if (recoveries.length === 0) assert.ok(reasons.length > 0, 'no recovery and no reason')
  const allKeys = recoveries.flatMap((r) => r.lines.map((l) => l.lineKey))
  assert.equal(new Set(allKeys).size, allKeys.length, `duplicate line keys ${allKeys}`)
  const inForce = termsInForce(all, facts.soldOn)
  for (const recovery of recoveries) {
    const terms = termsOf(recovery, all)
    assert.ok(inForce.includes(terms), 'terms not in force on the sale date')
    assert.equal(recovery.currency, terms.currency)
    assert.ok(recovery.lines.length > 0)
    // Never billed to itself.
    assert.notEqual(recovery.creditorOrgId, recovery.debtorOrgId)
    const heldRoleAt = (at: string) => holderAt(terms, facts, timeline, at)
    assert.equal(recovery.debtorOrgId, terms.debtor === 'brand' ? facts.orgs.brand : terms.debtor.org)
    // A never clause the claim meets yields nothing under the terms.
    assert.ok(
      !terms.never.some(
        (n) =>
          ('covered' in n.when && !decision.covered) ||
          ('bases' in n.when && n.when.bases.includes(decision.basis)),
      ),
      'a never clause met, yet lines',
    )
    for (const line of recovery.lines) {
      const clause = clauseOf(terms, line)
      // Who is owed the line, and who bore what, are the decision's in force when its cost was
      // recorded or its work done.
      const time = lineTime(facts, line)
      const then = timeline.decisionAt(time)
      assert.ok(then, `${line.lineKey} under no decision`)
      const role = roleAt(terms, timeline, time)
      assert.equal(recovery.creditorOrgId, heldRoleAt(time), `creditor of ${line.lineKey}`)
      assert.equal(line.kind, clause.kind)
      assert.equal(line.claimId, facts.claimId)
      assert.ok(line.lineKey.startsWith(`${facts.claimId}:${terms.id}:${clause.key}:`), line.lineKey)
      // Money: whole minor units, never negative, never NaN.
      assert.ok(Number.isSafeInteger(line.amountMinor) && line.amountMinor >= 0, `amount ${line.amountMinor}`)
      // A cut line says which cap and from what; a line not cut says nothing.
      assert.equal(line.cappedFromMinor === undefined, line.capReasonCode === undefined)
      if (line.cappedFromMinor !== undefined) {
        assert.ok(Number.isSafeInteger(line.cappedFromMinor))
        assert.ok(line.cappedFromMinor > line.amountMinor, 'a cut that cut nothing')
      } else assert.ok(line.amountMinor > 0, 'a line of nothing with no cap to explain it')
      if (line.capReasonCode === 'clause-cap') assert.ok(clause.capMinor !== undefined)
      if (line.capReasonCode === 'per-claim-cap') assert.ok(terms.perClaimCapMinor !== undefined)
      assert.match(line.workOn, /^\d{4}-\d{2}-\d{2}$/)
      assert.ok(line.deadline > line.workOn)
      assert.deepEqual(line.decision.policy, then.policy)
      assert.deepEqual(line.decision.basis, then.basis)
      checkWords(line.descriptionKey, line.descriptionParams, line.description)

      const costs = line.evidence.costLineIds.map((id) => facts.costs.find((c) => c.id === id))
      for (const cost of costs) {
        assert.ok(cost, 'evidence names a cost the claim does not have')
        // Only what the creditor bore, and only what the decision made it bear.
        assert.equal(cost.payer, role)
        assert.equal(then.payers[cost.kind], role, `${cost.kind} not the ${role}'s per the decision`)
        assert.equal(line.decision.payer, role)
        // A recorded cost is recovered in the terms' currency only.
        assert.equal(cost.currency, terms.currency)
      }
      for (const seq of line.evidence.eventSeqs)
        assert.ok(
          facts.work.some((w) => w.eventSeq === seq),
          'evidence names an unknown event',
        )

      switch (clause.kind) {
        case 'parts': {
          const [cost] = costs
          assert.ok(cost && costs.length === 1 && cost.kind === 'parts')
          const recorded = recordedMinor(cost)
          // At cost: never more than the cost. At list: the list percentage of it, rounded.
          const expected = clause.price === 'cost' ? recorded : exactly(recorded, clause.listPercent, 100)
          assert.equal(uncapped(line), expected)
          // The English as derivations have always written it (so in every case below).
          assert.equal(line.description, `${cost.description} × ${cost.quantity} at ${clause.price}`)
          if (clause.price === 'cost') assert.ok(line.amountMinor <= recorded)
          break
        }
        case 'labour': {
          // Labour is the standard time of the repair code, not a recorded cost (the terms'
          // comment: "not at the hours the dealer recorded"): it rests on the repair event and
          // on the decision making the creditor bear labour.
          assert.equal(then.payers.labour, role)
          assert.equal(line.decision.payer, role)
          assert.deepEqual(line.evidence.costLineIds, [])
          assert.ok(facts.work.some((w) => w.type === 'repair'))
          // The code the terms choose: the one for the category, else the one for any.
          const code =
            clause.repairCodes.find((c) => facts.category && c.categories?.includes(facts.category)) ??
            clause.repairCodes.find((c) => c.categories === undefined)
          assert.equal(code?.code, line.repairCode)
          assert.ok(code)
          assert.equal(uncapped(line), exactly(clause.ratePerHourMinor, code.hours))
          assert.equal(line.description, `Labour ${code.code}: ${code.hours} h standard time`)
          break
        }
        case 'freight': {
          assert.ok(line.leg !== null && clause.legs.includes(line.leg))
          if (costs.length > 0) {
            const [cost] = costs
            assert.ok(cost && costs.length === 1)
            assert.equal(cost.kind, line.leg === 'inbound' ? 'inbound-shipping' : 'return-shipping')
            assert.ok(line.amountMinor <= recordedMinor(cost))
            assert.equal(uncapped(line), recordedMinor(cost))
            assert.equal(line.description, `Freight, ${line.leg} leg: ${cost.description}`)
          } else {
            // A flat rate prices a leg only when nothing was recorded for it.
            assert.equal(uncapped(line), clause.flatMinor)
            assert.equal(line.description, `Freight, ${line.leg} leg (flat rate of the terms)`)
            assert.ok(line.leg !== 'inbound', 'the inbound leg has no work event to rest on')
            if (line.leg === 'return') {
              // Reading: the return leg is a cost the decision assigns (return-shipping); the
              // terms' flat rate prices it, it does not make the debtor pay a leg the decision
              // gave the customer.
              assert.equal(then.payers['return-shipping'], role)
              assert.equal(line.decision.payer, role)
              assert.ok(
                !facts.costs.some(
                  (c) =>
                    c.kind === 'return-shipping' &&
                    c.payer === roleAt(terms, timeline, c.at) &&
                    heldRoleAt(c.at) === recovery.creditorOrgId,
                ),
                'a flat rate beside a return courier its creditor recorded',
              )
            }
          }
          break
        }
        case 'refund-share':
        case 'replacement-share': {
          // The refund is in the claim's currency; the terms pay in theirs.
          if (clause.kind === 'refund-share') assert.equal(facts.currency, terms.currency)
          const done = facts.work.find((w) => w.eventSeq === line.evidence.eventSeqs[0])
          assert.ok(done)
          const whole = clause.kind === 'refund-share' ? (done.amountMinor ?? 0) : (clause.unitCostMinor ?? 0)
          assert.equal(uncapped(line), exactly(whole, clause.percent, 100))
          assert.equal(
            line.description,
            `${clause.percent} % of the ${clause.kind === 'refund-share' ? 'refund' : 'replacement unit'}`,
          )
          assert.ok(line.amountMinor <= whole)
          break
        }
      }
    }

    // One return leg per shipment home: a return courier is owed to an organisation that sent
    // the unit home (as whoever handled the claim then), or while it has not gone home at all.
    const shipments = facts.work.filter((w) => w.type === 'return-shipped')
    const handlerOrgAt = (at: string) => {
      const handler = timeline.decisionAt(at)?.handler
      return handler === 'dealer'
        ? timeline.dealerAt(at)
        : handler === 'manufacturer'
          ? facts.orgs.brand
          : facts.orgs.seller
    }
    for (const line of recovery.lines)
      if (line.leg === 'return' && line.evidence.costLineIds.length > 0)
        assert.ok(
          shipments.length === 0 || shipments.some((w) => handlerOrgAt(w.at) === recovery.creditorOrgId),
          `${recovery.creditorOrgId} is owed a courier home though another shipped the unit home`,
        )
    // Each creditor is owed the flat rate of a leg once.
    const legs = recovery.lines.filter((l) => l.leg !== null && l.evidence.costLineIds.length === 0)
    assert.equal(new Set(legs.map((l) => l.leg)).size, legs.length, 'a flat leg paid twice')
  }
  // A claim that changed dealers has a recovery per dealer under one terms document; its lines
  // share the claim's caps and its costs, whichever creditor each is owed to.
  for (const terms of all) {
    const ofTerms = recoveries.filter((r) => r.terms.id === terms.id && r.terms.version === terms.version)
    const lines = ofTerms.flatMap((r) => r.lines)
    // Caps: the sum over the claim under the terms never passes the per-claim cap, and a
    // clause's lines together never pass the clause's cap (reading: a cap is "the most paid",
    // docs/recoveries.md, so capMinor bounds what the clause yields for one claim, not each
    // line of it — two return couriers do not get two caps).
    const total = sum(lines.map((l) => l.amountMinor))
    if (terms.perClaimCapMinor !== undefined)
      assert.ok(total <= terms.perClaimCapMinor, `claim total ${total} > ${terms.perClaimCapMinor}`)
    const clauseTotal = (clause: string) =>
      sum(lines.filter((l) => l.clause === clause).map((l) => l.amountMinor))
    for (const clause of terms.costs)
      if (clause.capMinor !== undefined)
        assert.ok(
          clauseTotal(`${terms.id}#${clause.key}`) <= clause.capMinor,
          `clause ${clause.key} over its cap`,
        )
    // Each cut is the cap it names, reached exactly: once a cap cuts, nothing of it is left.
    for (const line of lines) {
      if (line.capReasonCode === 'per-claim-cap') assert.equal(total, terms.perClaimCapMinor)
      if (line.capReasonCode === 'clause-cap')
        assert.equal(clauseTotal(line.clause), clauseOf(terms, line).capMinor)
    }
    // With one creditor the lines are in the order the caps cut them: the lines before a cut
    // and it sum to that cap.
    if (ofTerms.length === 1) {
      let running = 0
      const byClause = new Map<string, number>()
      for (const line of lines) {
        running += line.amountMinor
        byClause.set(line.clause, (byClause.get(line.clause) ?? 0) + line.amountMinor)
        if (line.capReasonCode === 'per-claim-cap') assert.equal(running, terms.perClaimCapMinor)
        if (line.capReasonCode === 'clause-cap')
          assert.equal(byClause.get(line.clause), clauseOf(terms, line).capMinor)
      }
    }
    // A cost is recovered once under one terms document, to whichever creditor.
    const costIds = lines.flatMap((l) => l.evidence.costLineIds)
    assert.equal(new Set(costIds).size, costIds.length, `a cost recovered twice: ${costIds}`)
    // Labour and shares rest on work: each repair, refund or replacement is paid once, and a
    // claim with several of them (reopened, repaired again, replaced after a failed repair)
    // is owed one line for each, whoever did it.
    for (const kind of ['labour', 'refund-share', 'replacement-share'] as const) {
      const events = lines.filter((l) => l.kind === kind).flatMap((l) => l.evidence.eventSeqs)
      assert.equal(new Set(events).size, events.length, `one ${kind} paid twice: ${events}`)
      const type = kind === 'labour' ? 'repair' : kind === 'refund-share' ? 'refund' : 'replacement'
      for (const seq of events)
        assert.equal(facts.work.find((w) => w.eventSeq === seq)?.type, type, `${kind} on event ${seq}`)
    }
    // What is asked for a cost never passes what one line for it is worth: the cost itself (at
    // list price, the list price of it), however many creditors the claim had.
    for (const cost of facts.costs) {
      const asked = sum(
        lines.filter((l) => l.evidence.costLineIds.includes(cost.id)).map((l) => l.amountMinor),
      )
      const parts = terms.costs.find((c) => c.kind === 'parts')
      const worth =
        cost.kind === 'parts' && parts?.kind === 'parts' && parts.price === 'list'
          ? exactly(recordedMinor(cost), parts.listPercent, 100)
          : recordedMinor(cost)
      assert.ok(asked <= worth, `${asked} asked for ${cost.id}, worth ${worth}`)
    }
  }
}

const LEG_EVENT: Partial<Record<string, WorkRecord['type']>> = {
  return: 'return-shipped',
  forward: 'forward',
  back: 'back',
}

/**
 * Each organisation that held the creditor's role when a leg was sent is owed the flat rate of
 * its own first leg of that kind, whoever sent one before it (unless it recorded a courier for
 * the leg while it held the role, or the decision gave the leg to someone else).
 */
function checkEachCreditorsFlatLegs(facts: RecoveryFacts, terms: RecoveryTerms, timeline: Timeline): void {
  const { recoveries, reasons } = deriveRecovery(facts, [terms])
  const blocked = ['no-decision', 'no-terms', 'never-paid', 'no-counterparty'] as const
  if (!facts.decision || reasons.some((r) => (blocked as readonly string[]).includes(r.code))) return
  const heldRoleAt = (at: string) => holderAt(terms, facts, timeline, at)
  const debtor = terms.debtor === 'brand' ? facts.orgs.brand : terms.debtor.org
  const work = [...facts.work].sort((a, b) => a.eventSeq - b.eventSeq)
  for (const clause of terms.costs) {
    if (clause.kind !== 'freight' || !clause.flatMinor) continue
    for (const leg of clause.legs) {
      const type = LEG_EVENT[leg]
      if (!type) continue
      const firstOf = new Map<string, WorkRecord>()
      for (const done of work.filter((w) => w.type === type)) {
        // A return leg the decision in force then gave someone else is not the creditor's.
        const paidBy = timeline.decisionAt(done.at)?.payers['return-shipping']
        if (leg === 'return' && paidBy !== roleAt(terms, timeline, done.at)) continue
        const holder = heldRoleAt(done.at)
        if (holder === null || holder === debtor || firstOf.has(holder)) continue
        firstOf.set(holder, done)
      }
      for (const [holder, done] of firstOf) {
        const recorded = facts.costs.some(
          (c) =>
            leg === 'return' &&
            c.kind === 'return-shipping' &&
            c.payer === roleAt(terms, timeline, c.at) &&
            heldRoleAt(c.at) === holder,
        )
        if (recorded) continue
        const owed: DerivedLine | undefined = recoveries
          .find((r) => r.creditorOrgId === holder)
          ?.lines.find((l) => l.clause === `${terms.id}#${clause.key}` && l.leg === leg)
        assert.deepEqual(
          owed?.evidence,
          { costLineIds: [], eventSeqs: [done.eventSeq] },
          `${holder}'s ${leg} leg`,
        )
      }
    }
  }
}

/**
 * Each repair, refund and replacement the terms pay for is owed, once, to the organisation that
 * held the creditor's role when it was done: a claim repaired again (reopened, or after a repair
 * that failed) is owed the labour of each repair, not only of its first.
 */
function checkEachWorkPaid(facts: RecoveryFacts, terms: RecoveryTerms, timeline: Timeline): void {
  const { recoveries, reasons } = deriveRecovery(facts, [terms])
  const blocked = ['no-decision', 'no-terms', 'never-paid', 'no-counterparty', 'no-repair-code'] as const
  if (!facts.decision || reasons.some((r) => (blocked as readonly string[]).includes(r.code))) return
  if (terms.perClaimCapMinor !== undefined) return
  const heldRoleAt = (at: string) => holderAt(terms, facts, timeline, at)
  const debtor = terms.debtor === 'brand' ? facts.orgs.brand : terms.debtor.org
  for (const clause of terms.costs) {
    if (clause.capMinor !== undefined) continue
    const type =
      clause.kind === 'labour'
        ? 'repair'
        : clause.kind === 'refund-share'
          ? 'refund'
          : clause.kind === 'replacement-share'
            ? 'replacement'
            : null
    if (type === null) continue
    if (clause.kind === 'refund-share' && facts.currency !== terms.currency) continue
    for (const done of facts.work.filter((w) => w.type === type)) {
      // Labour is the creditor's where the decision in force at the repair gave it labour.
      const labourBy = timeline.decisionAt(done.at)?.payers.labour
      if (clause.kind === 'labour' && labourBy !== roleAt(terms, timeline, done.at)) continue
      const holder = heldRoleAt(done.at)
      if (holder === null || holder === debtor) continue
      const owed = recoveries
        .find((r) => r.creditorOrgId === holder)
        ?.lines.filter(
          (l) => l.clause === `${terms.id}#${clause.key}` && l.evidence.eventSeqs[0] === done.eventSeq,
        )
      // Labour is its repair code's standard time at the terms' rate: a rate of nothing is owed nothing.
      const labourWorth = (labour: Extract<typeof clause, { kind: 'labour' }>) => {
        const code =
          labour.repairCodes.find((c) => facts.category && c.categories?.includes(facts.category)) ??
          labour.repairCodes.find((c) => c.categories === undefined)
        return code ? exactly(labour.ratePerHourMinor, code.hours) : 0
      }
      const worth =
        clause.kind === 'refund-share'
          ? exactly(done.amountMinor ?? 0, clause.percent, 100)
          : clause.kind === 'replacement-share'
            ? exactly(clause.unitCostMinor ?? 0, clause.percent, 100)
            : clause.kind === 'labour'
              ? labourWorth(clause)
              : 0
      assert.equal(
        owed?.length ?? 0,
        worth > 0 ? 1 : 0,
        `${holder}'s ${clause.kind} of event ${done.eventSeq}`,
      )
    }
  }
}

/** Lines as the store files them: a key filed once keeps its first amount. */
function fileInto(filed: Map<string, FiledLine>, recoveries: readonly DerivedRecovery[]) {
  for (const l of filedLinesOf(recoveries)) if (!filed.has(l.lineKey)) filed.set(l.lineKey, l)
}

const canonical = (d: ReturnType<typeof deriveRecovery>) => ({
  recoveries: d.recoveries.map((r) => ({
    ...r,
    lines: [...r.lines].sort((a, b) => a.lineKey.localeCompare(b.lineKey)),
  })),
  reasons: [...d.reasons].map((r) => JSON.stringify(r)).sort(),
})

// ---- properties ----------------------------------------------------------------------

describe('recovery derivation, properties', () => {
  test('every line is whole, non-negative money the creditor bore as the decision assigned, within every cap', () => {
    fc.assert(
      fc.property(factsArb, termsArb, (facts, terms) => checkDerivation(facts, [terms])),
      { numRuns: RUNS * 2 },
    )
  })

  test('with decisions built to hit the terms: the invariants hold where lines are actually derived', () => {
    fc.assert(
      fc.property(alignedArb, ([facts, terms]) => {
        checkDerivation(facts, [terms])
      }),
      { numRuns: RUNS * 2 },
    )
  })

  test('labour is the standard time times the rate to the cent, rounded half up, however the time is written', () => {
    fc.assert(
      fc.property(
        // Standard times in hundredths of an hour and rates in half units: where half cents fall.
        fc.integer({ min: 1, max: 10_000 }).map((hundredths) => hundredths / 100),
        fc.integer({ min: 1, max: 400 }).map((halves) => halves * 50),
        (hours, ratePerHourMinor) => {
          const terms = parseTerms({
            kind: 'recovery-terms',
            id: 'terms-a',
            version: '1',
            title: 'Labour',
            source: 'generated',
            effectiveFrom: '2020-01-01',
            effectiveTo: null,
            debtor: { org: 'org-b' },
            creditor: 'handler',
            currency: 'USD',
            appliesTo: { policies: ['pol'] },
            submitWithinDays: 30,
            returnPart: false,
            costs: [
              {
                key: 'labour',
                kind: 'labour',
                text: 'x',
                ratePerHourMinor,
                repairCodes: [{ code: 'GEN', hours }],
              },
            ],
          })
          assert.ok(terms)
          const facts: RecoveryFacts = {
            claimId: 'claim-1',
            policyId: 'pol',
            timeZone: 'UTC',
            soldOn: '2025-06-01',
            currency: 'USD',
            channel: 'dealer',
            brand: 'own',
            category: 'camera',
            decision: {
              policy: 'pol@1',
              covered: true,
              basis: 'warranty',
              handler: 'dealer',
              payers: {
                parts: 'dealer',
                labour: 'dealer',
                'inbound-shipping': null,
                'return-shipping': null,
                'missing-items': null,
                duties: null,
              },
            },
            orgs: { dealer: 'org-a', seller: 'org-c', brand: 'org-b' },
            costs: [],
            work: [{ type: 'repair', at: '2026-01-10T10:00:00.000Z', eventSeq: 1 }],
          }
          const [line] = deriveRecovery(facts, [terms]).recoveries[0]?.lines ?? []
          assert.equal(
            line?.amountMinor,
            exactly(ratePerHourMinor, hours),
            `${hours} h at ${ratePerHourMinor}`,
          )
        },
      ),
      { numRuns: RUNS },
    )
  })

  test('deriving twice gives the same lines, keys and reasons; the order costs and events arrive in changes nothing', () => {
    fc.assert(
      fc.property(factsAndTermsArb, fc.integer(), fc.integer(), ([facts, terms], s1, s2) => {
        const first = deriveRecovery(facts, [terms])
        assert.deepEqual(deriveRecovery(facts, [terms]), first)
        // The store reads costs by (recorded at, id) and events by number; the meaning is
        // in those, not in the order an array happens to hold them.
        const again = deriveRecovery(
          { ...facts, costs: shuffled(facts.costs, s1), work: shuffled(facts.work, s2) },
          [terms],
        )
        assert.deepEqual(canonical(again), canonical(first))
      }),
      { numRuns: RUNS },
    )
  })

  test('costs recorded after a first derivation never take the claim past a cap: filed lines stay, new ones share what is left', () => {
    fc.assert(
      fc.property(alignedArb, fc.nat(), fc.nat(), ([facts, terms], costCut, workCut) => {
        // An earlier derivation saw a prefix of the costs and events (as the claim had them then).
        const costs = [...facts.costs].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
        const work = [...facts.work].sort((a, b) => a.eventSeq - b.eventSeq)
        const earlier = {
          ...facts,
          costs: costs.slice(0, costCut % (costs.length + 1)),
          work: work.slice(0, workCut % (work.length + 1)),
        }
        const filed = new Map<string, FiledLine>()
        fileInto(filed, deriveRecovery(earlier, [terms]).recoveries)
        const later = deriveRecovery(facts, [terms], [...filed.values()])
        // What was filed is not re-priced.
        for (const line of later.recoveries.flatMap((r) => r.lines)) {
          const before = filed.get(line.lineKey)
          if (before) assert.equal(line.amountMinor, before.amountMinor)
        }
        fileInto(filed, later.recoveries)
        const lines = [...filed.values()]
        if (terms.perClaimCapMinor !== undefined)
          assert.ok(sum(lines.map((l) => l.amountMinor)) <= terms.perClaimCapMinor)
        for (const clause of terms.costs)
          if (clause.capMinor !== undefined)
            assert.ok(
              sum(lines.filter((l) => l.clause === `${terms.id}#${clause.key}`).map((l) => l.amountMinor)) <=
                clause.capMinor,
            )
        // Deriving again with everything filed adds nothing and changes nothing.
        const repeat = deriveRecovery(facts, [terms], lines)
        for (const line of repeat.recoveries.flatMap((r) => r.lines))
          assert.equal(line.amountMinor, filed.get(line.lineKey)?.amountMinor)
      }),
      { numRuns: RUNS * 3 },
    )
  })

  test('a claim decided again: what it yields does not hang on what was filed, and withdrawing the rest leaves every line on its ground', () => {
    fc.assert(
      fc.property(
        alignedArb,
        fc.option(decisionArb, { nil: null, freq: 6 }),
        fc.boolean(),
        ([facts, terms], redecided, dropCovered) => {
          const filed = new Map<string, FiledLine>()
          fileInto(filed, deriveRecovery(facts, [terms]).recoveries)
          // The new decision: another one altogether, or the same with the cover taken away.
          const decision =
            redecided ??
            (dropCovered && facts.decision ? { ...facts.decision, covered: false } : facts.decision)
          const later = { ...facts, decision }
          const keys = (d: ReturnType<typeof deriveRecovery>) =>
            d.recoveries.flatMap((r) => r.lines.map((l) => l.lineKey)).sort()
          // The store withdraws from drafts the filed lines a derivation no longer yields; that
          // is sound only if which lines it yields does not depend on what it was given as filed.
          const withFiled = deriveRecovery(later, [terms], [...filed.values()])
          assert.deepEqual(keys(withFiled), keys(deriveRecovery(later, [terms])))
          const kept = [...filed.values()].filter((l) => keys(withFiled).includes(l.lineKey))
          const after = deriveRecovery(later, [terms], kept)
          assert.deepEqual(keys(after), keys(withFiled))
          // Every line left stands on the new decision, and the caps hold over them all.
          checkDerivation(later, [terms])
          const lines = after.recoveries.flatMap((r) => r.lines)
          if (terms.perClaimCapMinor !== undefined)
            assert.ok(sum(lines.map((l) => l.amountMinor)) <= terms.perClaimCapMinor)
          for (const line of lines) {
            const before = filed.get(line.lineKey)
            if (before) assert.equal(line.amountMinor, before.amountMinor, 'a kept line re-priced')
          }
        },
      ),
      { numRuns: RUNS },
    )
  })

  test('a line belongs to its creditor: the same claim owed to another organisation shares no key with it, and is not asked twice', () => {
    fc.assert(
      fc.property(alignedArb, ([facts, terms]) => {
        const first = deriveRecovery(facts, [terms]).recoveries
        for (const recovery of first) {
          // The claim moved to another dealer, or the unit's seller or maker is another one:
          // whichever organisation the creditor was, another stands in its place.
          const swap = (org: string | null) => (org === recovery.creditorOrgId ? 'org-elsewhere' : org)
          const moved = {
            ...facts,
            orgs: {
              dealer: swap(facts.orgs.dealer),
              seller: swap(facts.orgs.seller),
              brand: swap(facts.orgs.brand),
            },
          }
          const filed = filedLinesOf([recovery])
          const keys = new Set(filed.map((l) => l.lineKey))
          const filedCosts = new Set(
            filed.filter((l) => l.amountMinor > 0).map((l) => costOfLineKey(l.lineKey, l.creditorOrgId)),
          )
          for (const other of deriveRecovery(moved, [terms], filed).recoveries) {
            if (other.creditorOrgId === recovery.creditorOrgId) continue
            for (const line of other.lines) {
              assert.ok(
                !keys.has(line.lineKey),
                `${line.lineKey} is filed for ${recovery.creditorOrgId} already`,
              )
              // Nor is the debtor asked twice for one cost: the new creditor's line for a cost
              // filed for the old one is nothing, and says why.
              if (!filedCosts.has(costOfLineKey(line.lineKey, other.creditorOrgId))) continue
              assert.equal(line.amountMinor, 0, `${line.lineKey} asks again for a cost filed already`)
              assert.equal(line.capReasonCode, 'filed-for-another-creditor')
            }
          }
        }
      }),
      { numRuns: RUNS },
    )
  })

  test('a claim whose dealer or handler changed between its costs and work: each line is owed to the organisation that held the role then, and no cost is asked twice', () => {
    /** What a line asks for, whoever is owed it: a recorded cost, or the work of one event under one clause. */
    const askedFor = (l: DerivedLine) =>
      l.evidence.costLineIds.length > 0
        ? l.evidence.costLineIds.map((id) => `cost ${id}`)
        : [`${l.clause} event ${l.evidence.eventSeqs[0]}`]
    fc.assert(
      fc.property(
        dealerHandledArb,
        dealerHistoryArb,
        decisionStepsArb,
        atArb,
        ([plain, terms], history, steps, cut) => {
          const decided = withDecisionHistory(withDealerHistory(plain, history), terms, steps)
          const facts = decided.facts
          const timeline: Timeline = { dealerAt: history.dealerAt, decisionAt: decided.decisionAt }
          checkDerivation(facts, [terms], timeline)
          checkEachCreditorsFlatLegs(facts, terms, timeline)
          checkEachWorkPaid(facts, terms, timeline)
          // Derived as the claim went: once with what had happened by an instant, filed, then with all.
          const earlier: RecoveryFacts = {
            ...facts,
            orgs: { ...facts.orgs, dealer: history.dealerAt(cut) },
            decision: decided.decisionAt(cut),
            ...(facts.decisionChanges
              ? { decisionChanges: facts.decisionChanges.filter((c) => c.at <= cut) }
              : {}),
            dealerChanges: dealerChangesOf(history.events.filter((e) => e.at <= cut)),
            costs: facts.costs.filter((c) => c.at <= cut),
            work: facts.work.filter((w) => w.at <= cut),
          }
          const filed = new Map<string, FiledLine>()
          fileInto(filed, deriveRecovery(earlier, [terms]).recoveries)
          const later = deriveRecovery(facts, [terms], [...filed.values()]).recoveries
          for (const recovery of later)
            for (const line of recovery.lines) {
              const before = filed.get(line.lineKey)
              if (before)
                assert.equal(before.creditorOrgId, recovery.creditorOrgId, `${line.lineKey} changed hands`)
            }
          fileInto(filed, later)
          const lines = later.flatMap((r) => r.lines.map((line) => ({ line, creditor: r.creditorOrgId })))
          const asked = lines.filter(({ line }) => filed.get(line.lineKey)?.amountMinor !== 0)
          const costs = asked.map(({ line, creditor }) => costOfLineKey(line.lineKey, creditor))
          assert.equal(new Set(costs).size, costs.length, `a cost asked twice: ${costs}`)
          const grounds = asked.flatMap(({ line }) => askedFor(line))
          assert.equal(new Set(grounds).size, grounds.length, `one cost or leg asked twice: ${grounds}`)
        },
      ),
      { numRuns: RUNS * 2 },
    )
  })

  test('terms documents that could pay one cost twice are refused at load; those loaded never do', () => {
    // A second document that applies to the same claims and pays the same creditor.
    const second = rawTermsArb(fc.constant('terms-b'))
      .map(parseTerms)
      .filter((t): t is RecoveryTerms => t !== undefined)
    fc.assert(
      fc.property(alignedArb, second, fc.boolean(), ([facts, a], b, sameDebtor) => {
        const all = [
          a,
          {
            ...b,
            creditor: a.creditor,
            appliesTo: a.appliesTo,
            never: [],
            debtor: sameDebtor ? a.debtor : { org: 'org-b' },
          },
        ]
        checkDerivation(facts, all)
        // The loader refuses such a pair (findDoublePayers); whatever it lets through never
        // recovers one cost, one labour, one share or one leg twice.
        const lines = deriveRecovery(facts, all).recoveries.flatMap((r) => r.lines)
        const paid = lines.flatMap((l) =>
          l.evidence.costLineIds.length > 0
            ? l.evidence.costLineIds
            : // Labour and shares are paid per repair, refund or replacement: one event, once.
              [l.kind === 'freight' ? `leg ${l.leg}` : `${l.kind} of event ${l.evidence.eventSeqs}`],
        )
        if (new Set(paid).size !== paid.length)
          assert.notDeepEqual(findDoublePayers(all), [], `paid twice, yet loadable: ${paid}`)
      }),
      { numRuns: RUNS },
    )
  })

  test('the terms version is the one whose window holds the sale date, boundaries included', () => {
    // Versions of one id back to back, each effectiveTo the day before the next effectiveFrom.
    const boundaries = fc
      .uniqueArray(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 5 })
      .map((xs) => xs.sort((a, b) => a - b))
    const day = (n: number) => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)
    fc.assert(
      fc.property(boundaries, fc.boolean(), fc.integer({ min: -2, max: 3100 }), (starts, open, probe) => {
        const versions = starts.map((start, i) => {
          const next = starts[i + 1]
          const raw = {
            kind: 'recovery-terms',
            id: 'versioned',
            version: String(i + 1),
            title: 'v',
            source: 's',
            effectiveFrom: day(start),
            effectiveTo: next !== undefined ? day(next - 1) : open ? null : day(start + 30),
            debtor: 'brand',
            creditor: 'handler',
            currency: 'USD',
            appliesTo: { policies: ['pol'] },
            submitWithinDays: 30,
            returnPart: false,
            costs: [{ key: 'fwd', kind: 'freight', text: 'x', legs: ['forward'], flatMinor: 100 }],
          }
          const t = parseTerms(raw)
          assert.ok(t)
          return t
        })
        const last = versions.at(-1)
        const lastEnd = last?.effectiveTo ?? '9999-12-31'
        // Probe each boundary day, the days either side, and one day anywhere.
        for (const soldOn of [
          day(probe),
          ...starts.flatMap((s) => [day(s - 1), day(s), day(s + 1)]),
          lastEnd,
        ]) {
          for (const order of [versions, [...versions].reverse()]) {
            const chosen = termsInForce(order, soldOn)
            const expected = versions.find(
              (v) => v.effectiveFrom <= soldOn && (v.effectiveTo === null || soldOn <= v.effectiveTo),
            )
            assert.deepEqual(
              chosen.map((t) => t.version),
              expected ? [expected.version] : [],
              `sold on ${soldOn}`,
            )
          }
        }
      }),
      { numRuns: RUNS },
    )
  })
})
