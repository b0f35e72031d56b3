import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import fc from 'fast-check'
import { caseSchema } from '../contracts/case.ts'
import { AppError, toErrorBody } from '../shared/errors.ts'
import { parseOrThrow } from '../shared/validate.ts'
import { checkCase } from './domain/check-case.ts'
import { loadPolicyLibrary } from './load-policies.ts'
import { loadFullCaseCheck, parseCaseLine } from './parse-case-line.ts'

const library = loadPolicyLibrary()

const good = {
  policy: 'ist',
  claimedOn: '2025-06-01',
  product: { part: 'host', category: 'camera' },
  purchase: { channel: 'direct', purchasedOn: '2025-01-02', deliveredOn: '2025-01-08' },
  problem: { kind: 'malfunction' },
  evidence: ['defect-media'],
  inspection: { faultConfirmed: true, findings: ['seal-broken'], missingItems: ['cable'] },
}

/** `good` with the value at a dotted path replaced (or removed, for `undefined`). */
function withValue(path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(good) as Record<string, unknown>
  const keys = path.split('.')
  let node = copy as Record<string, unknown>
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>
  if (value === undefined) delete node[keys.at(-1)!]
  else node[keys.at(-1)!] = value
  return copy
}

const BAD: [string, unknown][] = [
  ['not an object', []],
  ['null', null],
  ['a string', 'ist'],
  ['no policy', withValue('policy', undefined)],
  ['empty policy', withValue('policy', '')],
  ['policy a number', withValue('policy', 7)],
  ['no claim date', withValue('claimedOn', undefined)],
  ['claim date not a date', withValue('claimedOn', 'June 1st')],
  ['claim date 31 April', withValue('claimedOn', '2025-04-31')],
  ['claim date 29 February of a common year', withValue('claimedOn', '2025-02-29')],
  ['claim date 30 February of a leap year', withValue('claimedOn', '2024-02-30')],
  ['claim date 29 February 1900', withValue('claimedOn', '1900-02-29')],
  ['claim date month 13', withValue('claimedOn', '2025-13-01')],
  ['claim date day 00', withValue('claimedOn', '2025-01-00')],
  ['claim date with time', withValue('claimedOn', '2025-06-01T10:00')],
  ['claim date with letters', withValue('claimedOn', '2025-0a-01')],
  ['claim date a number', withValue('claimedOn', 20250601)],
  ['no product', withValue('product', undefined)],
  ['product an array', withValue('product', [])],
  ['unknown part', withValue('product.part', 'widget')],
  ['category a number', withValue('product.category', 3)],
  ['serial null', withValue('product.serial', null)],
  ['warranty term P', withValue('product.warrantyTerm', 'P')],
  ['warranty term in words', withValue('product.warrantyTerm', 'two years')],
  ['warranty term with weeks', withValue('product.warrantyTerm', 'P2W')],
  ['no purchase', withValue('purchase', undefined)],
  ['no channel', withValue('purchase.channel', undefined)],
  ['unknown channel', withValue('purchase.channel', 'online')],
  ['unknown brand', withValue('purchase.brand', 'other')],
  ['unknown shipper', withValue('purchase.shippedBy', 'carrier')],
  ['delivery date not real', withValue('purchase.deliveredOn', '2025-02-30')],
  ['delivery date null', withValue('purchase.deliveredOn', null)],
  ['proof of purchase a string', withValue('purchase.proofOfPurchase', 'yes')],
  ['second hand a number', withValue('purchase.secondHand', 1)],
  ['no problem', withValue('problem', undefined)],
  ['unknown problem', withValue('problem.kind', 'broken')],
  ['packaging damaged a string', withValue('problem.packagingDamaged', 'true')],
  ['description a number', withValue('problem.description', 5)],
  ['unknown preference', withValue('preference', 'cash')],
  ['evidence not a list', withValue('evidence', 'defect-media')],
  ['unknown evidence', withValue('evidence', ['selfie'])],
  ['repeated evidence', withValue('evidence', ['defect-media', 'defect-media'])],
  ['inspection a list', withValue('inspection', [])],
  ['inspection null', withValue('inspection', null)],
  ['fault confirmed a string', withValue('inspection.faultConfirmed', 'yes')],
  ['unknown finding', withValue('inspection.findings', ['gremlins'])],
  ['repeated finding', withValue('inspection.findings', ['malware', 'malware'])],
  ['missing items not strings', withValue('inspection.missingItems', [1])],
  ['a cause not among the findings', withValue('inspection.faultCausedBy', ['liquid-damage'])],
  ['a repeated cause', withValue('inspection.faultCausedBy', ['seal-broken', 'seal-broken'])],
  ['an unknown cause', withValue('inspection.faultCausedBy', ['gremlins'])],
]

/** The error the schema alone gives, as `decide` printed it before the quick check existed. */
function zodError(raw: unknown, where: string): string {
  try {
    parseOrThrow(caseSchema, raw, where)
  } catch (error) {
    return (error as AppError).message
  }
  return 'accepted'
}

// `parseCaseLine` falls back to the full check, which a command loads on first need.
before(loadFullCaseCheck)

describe('the quick case check and the case schema', () => {
  for (const [name, raw] of BAD) {
    test(`both reject ${name}, and decide names the same field and line`, () => {
      assert.equal(checkCase(raw), undefined)
      const expected = zodError(raw, 'line 4')
      assert.notEqual(expected, 'accepted')
      assert.throws(
        () => parseCaseLine(JSON.stringify(raw), library, 'line 4'),
        (error: unknown) => error instanceof AppError && error.message === expected,
      )
    })
  }

  test('the good case of the table passes both, with the same result', () => {
    assert.deepEqual(checkCase(good), caseSchema.parse(good))
    const withCause = withValue('inspection.faultCausedBy', ['seal-broken'])
    assert.deepEqual(checkCase(withCause), caseSchema.parse(withCause))
  })

  test('whatever a line holds, the quick check never passes what the schema refuses, nor changes what it returns', () => {
    const paths = [
      'policy',
      'claimedOn',
      'product',
      'product.part',
      'product.category',
      'product.warrantyTerm',
      'purchase.channel',
      'purchase.brand',
      'purchase.shippedOn',
      'purchase.warrantyCard',
      'problem.kind',
      'problem.urgentFreight',
      'preference',
      'evidence',
      'inspection',
      'inspection.findings',
      'inspection.missingItems',
      'inspection.manufacturingDefect',
      'inspection.faultCausedBy',
    ]
    const values = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom('2024-02-29', '0999-12-31', '1000-01-01', '9999-12-31', 'P1Y', 'P', 'camera'),
      fc.constantFrom('host', 'dealer', 'agent', 'refund', 'malfunction', ['malware'], ['carrier-report']),
      fc.constantFrom([], ['seal-broken'], ['liquid-damage'], ['seal-broken', 'malware']),
    )
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.option(values, { nil: undefined }), (path, value) => {
        const raw = withValue(path, value)
        const quick = checkCase(raw)
        const reference = caseSchema.safeParse(raw)
        if (quick !== undefined) {
          assert.ok(reference.success, `quick check passed what the schema refuses: ${JSON.stringify(raw)}`)
          assert.deepEqual(quick, reference.data)
        }
      }),
      { numRuns: 3000 },
    )
  })
})

test('a case line refused is named 第 N 行 in Chinese, the field kept as programs read it', () => {
  const zh = (text: string) => {
    try {
      parseCaseLine(text, library, 'line 7')
    } catch (error) {
      assert.ok(error instanceof AppError)
      return toErrorBody(error, 'zh').error
    }
    assert.fail('refused')
  }
  const notJson = zh('{"policy":')
  assert.equal(notJson.field, 'line 7')
  assert.equal(notJson.message, '第 7 行：不是有效的 JSON')
  const unknown = zh(JSON.stringify({ ...good, policy: 'no-such-policy' }))
  assert.equal(unknown.field, 'line 7.policy')
  assert.match(unknown.message, /^第 7 行 policy：/)
  const badField = zh(JSON.stringify({ ...good, claimedOn: 'yesterday' }))
  assert.equal(badField.field, 'line 7.claimedOn')
  assert.match(badField.message, /^第 7 行 claimedOn：/)
  for (const refusal of [notJson, unknown, badField]) assert.doesNotMatch(refusal.message, /\bline\b/)
})
