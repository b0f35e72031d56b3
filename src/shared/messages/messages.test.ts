import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { z } from 'zod'
import { checkTransition, type LifecycleFacts } from '../../claims/domain/claim-lifecycle.ts'
import {
  checkRecoveryTransition,
  PART_STATES,
  RECOVERY_ACTIONS,
  RECOVERY_STATES,
} from '../../recoveries/domain/recovery-lifecycle.ts'
import { isRowProblem, parseClaimHistoryRow } from '../../reliability/domain/claim-history-row.ts'
import { AppError, toErrorBody } from '../errors.ts'
import { parseOrThrow } from '../validate.ts'
import { en } from './en.ts'
import { cutValue, languageFromHeader, type MessageKey, translate, vocabularyOf } from './translate.ts'
import { zh } from './zh.ts'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
const KEYS = Object.keys(en) as MessageKey[]
/** ASCII words that may stand in Chinese text: codes a reader types or sees on a label. */
const ALLOWED_ASCII = new Set([
  'If-Match',
  'API',
  'CSRF',
  'NUL',
  'YYYY-MM-DD',
  'ISO',
  'true',
  'false',
  'en',
  'zh',
  // Names of formats, protocols and the product, written this way in Chinese technical text too.
  'Aftercare',
  'CIDR',
  'CSV',
  'ETag',
  'IP',
  'BMP',
  'GIF',
  'HEIC',
  'JPEG',
  'JSON',
  'YAML',
  'MB',
  'MOV',
  'MP',
  'PDF',
  'PNG',
  'TIFF',
  'WebM',
  'WebP',
  'ZIP',
  'RMA',
  // Keys on the keyboard, as their caps read (Ctrl+C).
  'Ctrl',
  'C',
  'Webhook',
])

// A library's own English detail (busboy's, csv-parse's, JSON.parse's, the policy compiler's) is
// left out of the Chinese line on purpose.
const LEFT_OUT: Partial<Record<MessageKey, string[]>> = {
  'http.bad-multipart': ['detail'],
  'policies.not-json': ['detail'],
  'reports.draft-does-not-compile': ['detail'],
  'import.bad-csv': ['detail'],
  'import.csv-unreadable': ['detail'],
}

test('the Chinese catalogue has every English key and no other, with the same placeholders', () => {
  assert.deepEqual(Object.keys(zh).sort(), [...KEYS].sort())
  for (const key of KEYS) {
    const expected = placeholders(en[key]).filter((name) => !LEFT_OUT[key]?.includes(name ?? ''))
    assert.deepEqual(placeholders(zh[key]), expected, key)
  }
})

test('Chinese messages carry no English words outside placeholders and codes the reader types', () => {
  for (const key of KEYS) {
    // `direct`, `dealer`, `vendor`, `agent` are values of a CSV column: the file holds them as written.
    const words = zh[key]
      .replace(/\{\w+\}/g, '')
      .replace(/\(aftercare import models\)|（aftercare import models）|aftercare/g, '')
      .match(/[A-Za-z][A-Za-z-]*/g)
    const left = (words ?? []).filter(
      (w) => !ALLOWED_ASCII.has(w) && !['direct', 'dealer', 'vendor', 'agent', 'body', 'email'].includes(w),
    )
    assert.deepEqual(left, [], `${key}: ${zh[key]}`)
  }
})

test('vocabulary parameters are translated, other parameters are kept as given', () => {
  assert.equal(
    translate('zh', 'lifecycle.wrong-state', { action: 'receive-unit', state: 'new' }),
    '申请处于“新建”状态，不能执行“签收设备”',
  )
  assert.equal(
    translate('en', 'claim.number-not-found', { number: 'C-0CA9E54A' }),
    'Claim C-0CA9E54A was not found, or it is not one you may see',
  )
  assert.equal(
    translate('zh', 'auth.roles-needed', { roles: 'manager, admin' }),
    '此操作需要以下角色之一：经理、管理员',
  )
})

test('Accept-Language picks English or Chinese by weight and ignores other languages', () => {
  assert.equal(languageFromHeader('zh-CN,zh;q=0.9,en;q=0.8'), 'zh')
  assert.equal(languageFromHeader('en-US,en;q=0.9,zh;q=0.8'), 'en')
  assert.equal(languageFromHeader('de-DE, en;q=0.1, zh;q=0.5'), 'zh')
  assert.equal(languageFromHeader('de-DE'), null)
  assert.equal(languageFromHeader(undefined), null)
  fc.assert(
    fc.property(fc.string(), (header) => {
      const picked = languageFromHeader(header)
      assert.ok(picked === null || picked === 'en' || picked === 'zh')
    }),
  )
})

test('every lifecycle refusal has words in both languages, the English unchanged', () => {
  const facts: LifecycleFacts = {
    state: 'decided',
    resumeState: null,
    brand: 'own',
    decision: { provisional: false, covered: false, remedies: [], handler: 'vendor' },
    quote: null,
  }
  for (const party of ['customer', 'dealer', 'staff', 'integration'] as const) {
    for (const action of [
      'start-repair',
      'issue-refund',
      'send-quote',
      'receive-unit',
      'forward-to-maker',
      'nope',
    ]) {
      const check = checkTransition(facts, action, party)
      if (check.ok) continue
      assert.equal(translate('en', check.refusal.key, check.refusal.params), check.reason)
      const chinese = translate('zh', check.refusal.key, check.refusal.params)
      assert.doesNotMatch(chinese, /\{\w+\}/)
      assert.match(chinese, /[\u4e00-\u9fff]/)
    }
  }
})

test('a validation error keeps the schema’s English and is worded by issue code in Chinese', () => {
  const schema = z.object({ serial: z.string().min(4), count: z.number().max(3) })
  let caught: unknown
  try {
    parseOrThrow(schema, { serial: 'ab', count: 1 })
  } catch (error) {
    caught = error
  }
  assert.ok(caught instanceof AppError)
  const english = toErrorBody(caught, 'en').error
  assert.match(english.message, /^serial: /)
  const chinese = toErrorBody(caught, 'zh').error
  assert.equal(chinese.message, 'serial：至少 4 个字符')
  assert.equal(chinese.messageKey, 'validation.too-small.string')
  assert.deepEqual(chinese.params, { field: 'serial', minimum: 4 })
})

test('an error without a key falls back to its code’s line in Chinese, naming the field', () => {
  const error = new AppError('validation', 'lines: nothing is accepted; reject the claim instead', {
    field: 'lines',
  })
  assert.equal(toErrorBody(error, 'en').error.message, 'lines: nothing is accepted; reject the claim instead')
  assert.equal(toErrorBody(error, 'zh').error.message, 'lines：输入无效')
  assert.equal(toErrorBody(new AppError('conflict', 'busy'), 'zh').error.message, '与记录的当前状态冲突')
})

test('every recovery refusal has words in both languages, the English unchanged', () => {
  let refusals = 0
  for (const state of RECOVERY_STATES)
    for (const partState of PART_STATES)
      for (const party of ['creditor', 'debtor', 'staff'] as const)
        for (const action of [...RECOVERY_ACTIONS, 'nope']) {
          const facts = {
            state,
            partState,
            lineCount: partState === 'none' ? 0 : 2,
            returnPart: partState !== 'none',
          }
          const check = checkRecoveryTransition(facts, action, party)
          if (check.ok) continue
          refusals++
          assert.equal(translate('en', check.refusal.key, check.refusal.params), check.reason)
          const chinese = translate('zh', check.refusal.key, check.refusal.params)
          assert.doesNotMatch(chinese, /\{\w+\}/)
          assert.match(chinese, /[\u4e00-\u9fff]/)
          // Only an action nobody knows stays in its own letters; states, parties and known actions are words.
          assert.doesNotMatch(chinese.replace(/nope/g, ''), /[A-Za-z]{3,}/, chinese)
        }
  assert.ok(refusals > 100)
})

test('a rule’s reason put after its field is worded in the reader’s language with the same values', () => {
  const params = { field: 'shippedOn', reason: 'registry.sale.shipped-before-purchase', other: 'purchasedOn' }
  assert.equal(
    translate('en', 'validation.field-reason', params),
    'shippedOn: must not be before purchasedOn',
  )
  assert.equal(translate('zh', 'validation.field-reason', params), 'shippedOn：不得早于 purchasedOn')
  // A reason that is not a key is kept as given.
  assert.equal(translate('zh', 'validation.field-reason', { field: 'x', reason: 'as typed' }), 'x：as typed')
})

test('each rejection of a claims history row carries its message, the English as written in the report', () => {
  const good = {
    serial: 'S-1',
    claimedOn: '2025-03-01',
    problemKind: 'malfunction',
    faultConfirmed: 'true',
    remedy: 'repair',
  }
  const bad: Record<string, string>[] = [
    { ...good, serial: '' },
    { ...good, serial: 'S'.repeat(101) },
    { ...good, claimedOn: '2025-02-30' },
    { ...good, claimedOn: '2099-01-01' },
    { ...good, problemKind: 'gremlins' },
    { ...good, faultConfirmed: 'maybe' },
    { ...good, remedy: 'prayer' },
    { ...good, partsCostPayer: 'vendor' },
    { ...good, partsCost: '12,50' },
    { ...good, partsCost: '12.50' },
    { ...good, partsCost: '12.50', partsCostPayer: 'nobody' },
    { ...good, partsCost: '12.50', partsCostPayer: 'vendor', currency: 'XYZ' },
    { ...good, partsCost: '12.50', partsCostPayer: 'vendor' },
  ]
  for (const record of bad) {
    const row = parseClaimHistoryRow(record, '2025-06-01')
    assert.ok(isRowProblem(row), JSON.stringify(record))
    assert.equal(translate('en', row.text.key, row.text.params), row.error)
    assert.match(translate('zh', row.text.key, row.text.params), /[\u4e00-\u9fff]/)
  }
})

/** Values a parameter takes that the reader sees as written: ids, numbers, serials, dates, addresses, links. */
const OPAQUE = fc.oneof(
  fc.constantFrom(
    'c-1',
    'PQ-2024-0001',
    'ares-mpro',
    '2025-03-01',
    'anna.keller1@example.com',
    'https://service.example.com/claims/c-1',
    '/tmp/units.csv',
    'RMA-2025-0042',
    '张伟',
  ),
  fc.integer({ min: 0, max: 100_000 }),
  fc.stringMatching(/^[A-Z][A-Z0-9-]{2,20}$/),
)
/** A parameter's value: a word of its vocabulary where it has one, else a value shown as written (cut when long). */
function valueFor(name: string): fc.Arbitrary<string | number> {
  const vocabulary = vocabularyOf(name)
  if (vocabulary !== undefined) {
    const words = KEYS.filter((key) => key.startsWith(`${vocabulary}.`)).map((key) =>
      key.slice(vocabulary.length + 1),
    )
    if (words.length > 0) return fc.constantFrom(...words)
  }
  if (name === 'roles')
    return fc
      .subarray(['customer', 'dealer', 'support', 'technician', 'manager', 'admin'], { minLength: 1 })
      .map((roles) => roles.join(', '))
  return fc.oneof(
    OPAQUE,
    OPAQUE.map((value) => cutValue(String(value).padEnd(80, 'x'), 60)),
  )
}

test('every Chinese message, with any values of its parameters, has no English words but the values shown as written', () => {
  for (const key of KEYS) {
    const names = [...new Set(placeholders(zh[key]))].filter((name): name is string => name !== undefined)
    fc.assert(
      fc.property(fc.tuple(...names.map(valueFor)), (values) => {
        const params = Object.fromEntries(
          names.map((name, index) => [name, values[index] as string | number]),
        )
        let shown = translate('zh', key, params)
        // What the reader typed or the record holds is shown as written; only the words around it count.
        for (const value of Object.values(params)
          .map(String)
          .sort((a, b) => b.length - a.length)) {
          const kept = /^([\s\S]*)… \(\d+ characters\)$/.exec(value)?.[1] ?? value
          if (vocabularyOf(names.find((name) => params[name] === value) ?? '') === undefined)
            shown = shown.split(kept).join(' ')
        }
        const words = shown
          .replace(/\(aftercare import models\)|（aftercare import models）|aftercare/g, '')
          .match(/[A-Za-z][A-Za-z-]*/g)
        const left = (words ?? []).filter(
          (w) =>
            !ALLOWED_ASCII.has(w) && !['direct', 'dealer', 'vendor', 'agent', 'body', 'email'].includes(w),
        )
        assert.deepEqual(left, [], `${key}: ${translate('zh', key, params)}`)
      }),
      { numRuns: 20 },
    )
  }
})
