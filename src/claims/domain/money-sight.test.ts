import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  CLAIM_EVENT_TYPES,
  PAYMENT_PROOF_SUBMITTED,
  PAYMENT_RECORDED,
  REFUND_ISSUED,
} from './claim-events.ts'
import {
  customerLines,
  dealerHandledOf,
  eventDataInSight,
  eventSightOf,
  moneyInSight,
  moneySightOf,
  quoteSightOf,
} from './money-sight.ts'
import { computeQuoteTotals } from './quote-totals.ts'

const PAYERS = ['customer', 'vendor', 'dealer', 'manufacturer'] as const
const AMOUNT_KEYS = [
  'amountMinor',
  'customerTotalMinor',
  'totalMinor',
  'customerMinor',
  'absorbedMinor',
  'paidMinor',
  'unitPriceMinor',
  'outstandingMinor',
] as const

const costLine = fc.record({
  kind: fc.constantFrom('parts', 'labour', 'return-shipping'),
  description: fc.string({ maxLength: 8 }),
  quantity: fc.nat({ max: 5 }),
  unitPriceMinor: fc.nat(),
  amountMinor: fc.nat(),
  payer: fc.constantFrom(...PAYERS),
})

/** Any JSON an event may hold, with amounts and cost lines of every payer anywhere in it. */
const { data } = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 1 }),
    costLine,
    tie('data'),
    fc.array(fc.oneof(costLine, tie('node')), { maxLength: 4 }),
  ),
  data: fc.dictionary(
    fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom(...AMOUNT_KEYS, 'lines', 'totals', 'quoteId', '__proto__'),
    ),
    tie('node'),
    { maxKeys: 5 },
  ),
}))

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
const isDealerLine = (value: unknown) => isRecord(value) && value.payer === 'dealer'

/**
 * The paths of every amount (a member named `…Minor`) and every cost line a reader meets,
 * stepping over the dealer's own lines (`ownLines` collects them whole) and, when
 * `skipHidden`, over what an own-share reader is not shown at all.
 */
function walk(
  value: unknown,
  skipHidden: boolean,
  path = '$',
  found = { amounts: [] as string[], othersLines: [] as string[], ownLines: [] as string[] },
) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const at = `${path}[${i}]`
      if (isDealerLine(item)) found.ownLines.push(JSON.stringify(item))
      else if (isRecord(item) && 'payer' in item) {
        found.othersLines.push(at)
        if (!skipHidden) walk(item, skipHidden, at, found)
      } else walk(item, skipHidden, at, found)
    })
  } else if (isRecord(value)) {
    for (const [key, member] of Object.entries(value)) {
      if (key.endsWith('Minor')) {
        found.amounts.push(`${path}.${key}`)
        if (skipHidden) continue
      }
      walk(member, skipHidden, `${path}.${key}`, found)
    }
  }
  return found
}

describe('what a dealer that only sold the unit sees of a claim’s money', () => {
  test('a dealer handling the claim, staff and integrations see every amount; the customer their own; a dealer that does not handle it, its own share', () => {
    for (const role of ['support', 'technician', 'manager', 'admin', 'integration'])
      for (const handler of ['vendor', 'dealer', 'manufacturer', null] as const)
        assert.equal(moneySightOf(role, handler), 'whole', `${role}, ${handler}`)
    for (const handler of ['vendor', 'dealer', 'manufacturer', null] as const)
      assert.equal(moneySightOf('customer', handler), 'customer', String(handler))
    assert.equal(moneySightOf('dealer', 'dealer'), 'whole')
    for (const handler of ['vendor', 'manufacturer', null] as const)
      assert.equal(moneySightOf('dealer', handler), 'own-share', String(handler))
  })

  test('in every event of the history it sees no amount but in the cost lines it pays, and loses none of those', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CLAIM_EVENT_TYPES), data, (type, given) => {
        const before = JSON.stringify(given)
        assert.equal(eventDataInSight('whole', type, given), given, 'the whole sight is the data itself')
        const seen = eventDataInSight('own-share', type, given)
        assert.equal(JSON.stringify(given), before, 'the stored data is left as it was')
        const found = walk(seen, false)
        assert.deepEqual(found.amounts, [], `${type}: amounts shown`)
        assert.deepEqual(found.othersLines, [], `${type}: another payer's cost lines shown`)
        if ([PAYMENT_RECORDED, PAYMENT_PROOF_SUBMITTED, REFUND_ISSUED].includes(type))
          assert.deepEqual(
            Object.keys(seen),
            Object.hasOwn(given, 'quoteId') && type !== REFUND_ISSUED ? ['quoteId'] : [],
          )
        else assert.deepEqual(found.ownLines, walk(given, true).ownLines, `${type}: its own lines`)
      }),
      { numRuns: 500 },
    )
  })

  test('a quote as the payment step writes it: the customer’s total, payment, reference and proof are not shown', () => {
    const quoteSent = {
      quoteId: 'q1',
      currency: 'CNY',
      lines: [
        { kind: 'parts', description: 'Mainboard', quantity: 1, unitPriceMinor: 43217, payer: 'customer' },
        { kind: 'labour', description: '', quantity: 2, unitPriceMinor: 3500, payer: 'dealer' },
      ],
      totals: {
        currency: 'CNY',
        totalMinor: 50217,
        customerMinor: 43217,
        absorbedMinor: { vendor: 0, dealer: 7000, manufacturer: 0 },
      },
      customerTotalMinor: 43217,
      validUntil: '2026-02-01',
    }
    assert.deepEqual(eventDataInSight('own-share', 'quote.sent', quoteSent), {
      quoteId: 'q1',
      currency: 'CNY',
      lines: [{ kind: 'labour', description: '', quantity: 2, unitPriceMinor: 3500, payer: 'dealer' }],
      totals: { currency: 'CNY' },
      validUntil: '2026-02-01',
    })
    const paid = {
      quoteId: 'q1',
      amountMinor: 43217,
      currency: 'CNY',
      reference: 'BOB-7781',
      paidOn: '2026-01-22',
      note: 'by transfer',
      proofFileId: 'f1',
    }
    assert.deepEqual(eventDataInSight('own-share', 'payment.recorded', paid), { quoteId: 'q1' })
    assert.deepEqual(
      eventDataInSight('own-share', 'payment.proof-submitted', { quoteId: 'q1', fileIds: ['f1'] }),
      {
        quoteId: 'q1',
      },
    )
    assert.deepEqual(
      eventDataInSight('own-share', 'refund.issued', { amountMinor: 9900, reference: 'R-1' }),
      {},
    )
    assert.deepEqual(
      moneyInSight('own-share', {
        id: 'q1',
        status: 'accepted' as const,
        customerTotalMinor: 43217,
        paidMinor: 43217,
      }),
      { id: 'q1', status: 'accepted' },
    )
  })
})

/** A quote's line as staff type it, of any payer. */
const quoteLine = fc.record({
  kind: fc.constantFrom('parts', 'labour', 'inbound-shipping', 'return-shipping', 'missing-items', 'duties'),
  description: fc.string({ maxLength: 8 }),
  quantity: fc.integer({ min: 1, max: 5 }),
  unitPriceMinor: fc.nat({ max: 10_000_000 }),
  payer: fc.constantFrom(...PAYERS),
})
type QuoteLine = typeof quoteLine extends fc.Arbitrary<infer L> ? L : never

/** The quote as the quotes route lists it (`listClaimQuotes`), its totals from its lines. */
function quoteOf(lines: QuoteLine[], paidMinor: number) {
  const totals = computeQuoteTotals(lines, 'CNY')
  return {
    id: 'q1',
    status: 'accepted',
    currency: 'CNY',
    totalMinor: totals.totalMinor,
    customerMinor: totals.customerMinor,
    absorbedMinor: totals.absorbedMinor,
    paidMinor,
    sentAt: '2026-01-02T03:04:05.000Z',
    validUntil: '2026-02-01',
    expired: false,
    lines: lines.map((line, i) => ({
      id: `l${i}`,
      ...line,
      amountMinor: line.quantity * line.unitPriceMinor,
    })),
  }
}

/** The same lines with every price another party pays changed to another. */
const withOthersRepriced = (lines: QuoteLine[], prices: number[]): QuoteLine[] =>
  lines.map((line, i) =>
    line.payer === 'customer' ? line : { ...line, unitPriceMinor: prices[i % prices.length] ?? 0 },
  )

const quoteCase = fc.record({
  lines: fc.array(quoteLine, { minLength: 1, maxLength: 8 }),
  prices: fc.array(fc.nat({ max: 10_000_000 }), { minLength: 1, maxLength: 8 }),
  paidMinor: fc.nat({ max: 10_000_000 }),
})

describe('what the customer sees of a quote: what they pay, and that the rest is covered', () => {
  test('the customer-visible quote, its lines and its history never hang on another party’s amount', () => {
    fc.assert(
      fc.property(quoteCase, ({ lines, prices, paidMinor }) => {
        const other = withOthersRepriced(lines, prices)
        const seen = moneyInSight('customer', quoteOf(lines, paidMinor))
        assert.deepEqual(seen, moneyInSight('customer', quoteOf(other, paidMinor)), 'the quote')
        assert.deepEqual(customerLines(lines), customerLines(other), 'the lines of its documents')
        for (const type of ['quote.sent', 'repair.completed']) {
          const data = (given: QuoteLine[]) => ({
            quoteId: 'q1',
            lines: given,
            totals: computeQuoteTotals(given, 'CNY'),
            customerTotalMinor: computeQuoteTotals(given, 'CNY').customerMinor,
          })
          assert.deepEqual(
            eventDataInSight('customer', type, data(lines)),
            eventDataInSight('customer', type, data(other)),
            type,
          )
        }
      }),
      { numRuns: 500 },
    )
  })

  test('it keeps every line, the lines the customer pays whole, what they are charged and what they paid', () => {
    fc.assert(
      fc.property(quoteCase, ({ lines, paidMinor }) => {
        const quote = quoteOf(lines, paidMinor)
        const seen = moneyInSight('customer', quote)
        assert.equal(seen.customerMinor, quote.customerMinor)
        assert.equal(seen.paidMinor, paidMinor)
        assert.equal(seen.totalMinor, undefined)
        assert.equal(seen.absorbedMinor, undefined)
        assert.equal(seen.lines.length, lines.length)
        seen.lines.forEach((line, i) => {
          const given = quote.lines[i]
          if (given?.payer === 'customer') assert.deepEqual(line, given)
          else
            assert.deepEqual(
              Object.keys(line).filter((key) => key.endsWith('Minor')),
              [],
              'a covered line',
            )
        })
      }),
      { numRuns: 300 },
    )
  })

  test('in any event it sees no amount but its own, at any depth', () => {
    const CUSTOMERS = ['customerMinor', 'customerTotalMinor', 'paidMinor', 'amountMinor', 'outstandingMinor']
    const othersAmounts = (value: unknown, path = '$'): string[] => {
      if (Array.isArray(value))
        return value.flatMap((item, i) =>
          isRecord(item) && item.payer === 'customer' ? [] : othersAmounts(item, `${path}[${i}]`),
        )
      // A line the customer pays is theirs, whole, wherever it stands.
      if (!isRecord(value) || value.payer === 'customer') return []
      const inLine = 'payer' in value
      return Object.entries(value).flatMap(([key, member]) => [
        ...(key.endsWith('Minor') && (inLine || !CUSTOMERS.includes(key)) ? [`${path}.${key}`] : []),
        ...othersAmounts(member, `${path}.${key}`),
      ])
    }
    fc.assert(
      fc.property(fc.constantFrom(...CLAIM_EVENT_TYPES), data, (type, given) => {
        const before = JSON.stringify(given)
        const seen = eventDataInSight('customer', type, given)
        assert.equal(JSON.stringify(given), before, 'the stored data is left as it was')
        assert.deepEqual(othersAmounts(seen), [], type)
      }),
      { numRuns: 500 },
    )
  })

  test('a payment and a refund are the customer’s own, whole', () => {
    const paid = {
      quoteId: 'q1',
      amountMinor: 43217,
      currency: 'CNY',
      reference: 'BOB-7781',
      proofFileId: 'f1',
    }
    assert.deepEqual(eventDataInSight('customer', 'payment.recorded', paid), paid)
    assert.deepEqual(eventDataInSight('customer', 'refund.issued', { amountMinor: 9900 }), {
      amountMinor: 9900,
    })
  })
})

describe('what a dealer handed off a claim keeps sight of', () => {
  const decided = (seq: number, type: string, handler: string) => ({
    seq,
    type,
    data: { decision: { handler } },
  })
  const history = [
    decided(1, 'decision.provisional', 'dealer'),
    decided(2, 'decision.made', 'dealer'),
    { seq: 3, type: 'quote.sent', data: { quoteId: 'q1', customerTotalMinor: 100 } },
    decided(4, 'decision.made', 'vendor'),
    { seq: 5, type: 'payment.recorded', data: { quoteId: 'q1', amountMinor: 100 } },
    { seq: 6, type: 'quote.sent', data: { quoteId: 'q2', customerTotalMinor: 200 } },
    { seq: 7, type: 'payment.recorded', data: { quoteId: 'q2', amountMinor: 200 } },
  ]

  test('the quotes it sent and what happened while it handled the claim, with those quotes’ later payments; nothing after', () => {
    const handled = dealerHandledOf(history)
    assert.deepEqual([...handled.quotes], ['q1'])
    assert.deepEqual([...handled.events], [1, 2, 3])
    assert.deepEqual(
      history.map((event) => eventSightOf('own-share', handled, event)),
      ['whole', 'whole', 'whole', 'own-share', 'whole', 'own-share', 'own-share'],
    )
    assert.equal(quoteSightOf('own-share', handled, 'q1'), 'whole')
    assert.equal(quoteSightOf('own-share', handled, 'q2'), 'own-share')
    // Other readers' sight is theirs whatever the history says.
    assert.equal(quoteSightOf('customer', handled, 'q2'), 'customer')
    assert.equal(eventSightOf('customer', handled, history[2] ?? { seq: 0, data: {} }), 'customer')
  })

  test('a dealer handling the claim after another party quoted it reads that quote and its payments as one that only sold the unit', () => {
    // The seller quoted and was paid (q0); the claim then became the dealer's, which quoted q3.
    const taken = [
      decided(1, 'decision.made', 'vendor'),
      { seq: 2, type: 'quote.sent', data: { quoteId: 'q0', customerTotalMinor: 300 } },
      { seq: 3, type: 'payment.recorded', data: { quoteId: 'q0', amountMinor: 300 } },
      decided(4, 'decision.made', 'dealer'),
      { seq: 5, type: 'payment.recorded', data: { quoteId: 'q0', amountMinor: 50 } },
      { seq: 6, type: 'quote.sent', data: { quoteId: 'q3', customerTotalMinor: 400 } },
      { seq: 7, type: 'payment.recorded', data: { quoteId: 'q3', amountMinor: 400 } },
    ]
    const handled = dealerHandledOf(taken)
    assert.deepEqual([...handled.quotes], ['q3'])
    assert.deepEqual(
      taken.map((event) => eventSightOf('whole', handled, event)),
      ['whole', 'own-share', 'own-share', 'whole', 'own-share', 'whole', 'whole'],
    )
    assert.equal(quoteSightOf('whole', handled, 'q0'), 'own-share')
    assert.equal(quoteSightOf('whole', handled, 'q3'), 'whole')
    // Staff and integrations are given no history: their sight is theirs.
    assert.equal(quoteSightOf('whole', null, 'q0'), 'whole')
  })

  test('a final decision for another handler overrides a provisional one for the dealer', () => {
    const handled = dealerHandledOf([
      decided(1, 'decision.provisional', 'dealer'),
      decided(2, 'decision.made', 'manufacturer'),
      { seq: 3, type: 'quote.sent', data: { quoteId: 'q1' } },
    ])
    assert.deepEqual([[...handled.quotes], [...handled.events]], [[], [1]])
  })

  test('the proofs of payment of the quotes it sent are its own, whenever they came; those of later quotes are not', () => {
    const handled = dealerHandledOf([
      decided(1, 'decision.made', 'dealer'),
      { seq: 2, type: 'quote.sent', data: { quoteId: 'q1' } },
      { seq: 3, type: 'payment.proof-submitted', data: { quoteId: 'q1', fileIds: ['f1'] } },
      decided(4, 'decision.made', 'vendor'),
      { seq: 5, type: 'payment.proof-submitted', data: { quoteId: 'q1', fileIds: ['f2', 'f3'] } },
      { seq: 6, type: 'quote.sent', data: { quoteId: 'q2' } },
      { seq: 7, type: 'payment.proof-submitted', data: { quoteId: 'q2', fileIds: ['f4'] } },
    ])
    assert.deepEqual([...handled.proofs], ['f1', 'f2', 'f3'])
  })

  describe('when the claim follows its sale from dealer to dealer', () => {
    const moved = (seq: number, from: string | null, to: string | null) => ({
      seq,
      type: 'dealer-sale.moved',
      data: { dealerOrgId: to, previousDealerOrgId: from },
    })
    const turn = (from: number, quoteId: string, fileId: string) => [
      { seq: from, type: 'quote.sent', data: { quoteId } },
      { seq: from + 1, type: 'payment.proof-submitted', data: { quoteId, fileIds: [fileId] } },
    ]

    test('a dealer the claim comes back to keeps its earlier turn, not the turn of the dealer between', () => {
      const handled = dealerHandledOf([
        decided(1, 'decision.made', 'dealer'),
        ...turn(2, 'q-a', 'f-a'),
        moved(4, 'dealer-a', 'dealer-b'),
        ...turn(5, 'q-b', 'f-b'),
        moved(7, 'dealer-b', null),
        moved(8, null, 'dealer-a'),
        { seq: 9, type: 'payment.proof-submitted', data: { quoteId: 'q-a', fileIds: ['f-a2'] } },
      ])
      assert.deepEqual(
        [[...handled.quotes], [...handled.proofs], [...handled.events]],
        [['q-a'], ['f-a', 'f-a2'], [1, 2, 3, 8, 9]],
      )
    })

    test('the dealer it moved to has nothing of the turn before it', () => {
      const handled = dealerHandledOf([
        decided(1, 'decision.made', 'dealer'),
        ...turn(2, 'q-a', 'f-a'),
        moved(4, 'dealer-a', 'dealer-b'),
      ])
      assert.deepEqual([[...handled.quotes], [...handled.proofs], [...handled.events]], [[], [], [4]])
    })

    test('a dealer that confirms the sale has nothing of what was done while the sale waited for its word', () => {
      const handled = dealerHandledOf([
        decided(1, 'decision.made', 'dealer'),
        ...turn(2, 'q-0', 'f-0'),
        { seq: 4, type: 'dealer-sale.confirmed', data: { dealerOrgId: 'dealer-a' } },
        ...turn(5, 'q-a', 'f-a'),
      ])
      assert.deepEqual([[...handled.quotes], [...handled.proofs]], [['q-a'], ['f-a']])
    })
  })
})
