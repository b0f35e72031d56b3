import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { listPolicyFiles, loadPolicyLibrary, SHIPPED_POLICIES_DIR } from './load-policies.ts'
import { parsePolicyFile } from './parse-policy-file.ts'
import { buildCase } from './policy-test-support.ts'

const HAN = /[\u4e00-\u9fff]/
const shippedSource = (name: string): string => fs.readFileSync(path.join(SHIPPED_POLICIES_DIR, name), 'utf8')

describe('shipped policies in both languages', () => {
  for (const file of listPolicyFiles(SHIPPED_POLICIES_DIR)) {
    const name = path.basename(file)
    test(`${name}: the title and every clause have Chinese words beside the English source`, () => {
      const parsed = parsePolicyFile(fs.readFileSync(file, 'utf8'), name)
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors))
      const doc = parsed.document
      assert.equal(doc.language, 'en')
      assert.match(doc.translations?.zh?.title ?? '', HAN)
      const untranslated = doc.clauses
        .filter((clause) => !HAN.test(clause.translations?.zh ?? ''))
        .map((clause) => clause.key)
      assert.deepEqual(untranslated, [], 'clauses without a Chinese translation')
      // The source stays in its own language: a translation never replaces the seed's words.
      const notEnglish = doc.clauses.filter((clause) => HAN.test(clause.text)).map((clause) => clause.key)
      assert.deepEqual(notEnglish, [])
    })
  }
})

describe('translations in the policy format', () => {
  const retailer = shippedSource('retailer.v1.yaml')
  const lineOf = (text: string, needle: string): number =>
    text.split('\n').findIndex((line) => line.includes(needle)) + 1

  test('a clause translated into the policy’s own language is refused, naming the path and line', () => {
    const text = retailer.replace(
      'translations: { zh: "如商品在签收后7天内',
      'translations: { en: "Faulty in the first week", zh: "如商品在签收后7天内',
    )
    const parsed = parsePolicyFile(text, 'retailer.yaml')
    assert.equal(parsed.ok, false)
    if (parsed.ok) return
    assert.deepEqual(
      parsed.errors.map(({ field, line }) => ({ field, line })),
      [{ field: 'clauses.1.translations.en', line: lineOf(text, 'Faulty in the first week') }],
    )
    assert.match(parsed.errors[0]!.message, /own language \(en\)/)
  })

  test('an empty or blank translation is refused, naming its path', () => {
    const text = retailer.replace(
      'translations: { zh: "如商品送达时已损坏或存在故障，请在签收之日起7天内及时与我们联系。" }',
      'translations: { zh: "  " }',
    )
    const parsed = parsePolicyFile(text, 'retailer.yaml')
    assert.ok(!parsed.ok && parsed.errors.some((e) => e.field === 'clauses.0.translations.zh'))
    const emptyTitle = parsePolicyFile(
      retailer.replace(
        'translations: { zh: { title: "网店退换货政策" } }',
        'translations: { zh: { title: "" } }',
      ),
      'retailer.yaml',
    )
    assert.ok(!emptyTitle.ok && emptyTitle.errors.some((e) => e.field === 'translations.zh.title'))
  })

  test('a policy written in Chinese takes English translations and refuses Chinese ones', () => {
    const chinese = [
      'id: zh-shop',
      'version: "1"',
      'title: 网店保修政策',
      'language: zh',
      'translations: { en: { title: Shop warranty } }',
      'effectiveFrom: 2025-01-01',
      'timeZone: Asia/Shanghai',
      'currency: CNY',
      'calendar: cn-mainland',
      'clauses:',
      '  - key: warranty-term',
      '    kind: coverage',
      '    text: 产品保修一年，自购买之日起计算。',
      '    translations: { en: One-year warranty from the date of purchase. }',
      '    term: P1Y',
      '    start: purchase',
      '    remedies: [repair]',
      '',
    ].join('\n')
    const parsed = parsePolicyFile(chinese, 'zh-shop.yaml')
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors))
    assert.equal(parsed.document.clauses[0]!.translations?.en, 'One-year warranty from the date of purchase.')
    const wrong = parsePolicyFile(
      chinese
        .replace('translations: { en: { title: Shop warranty } }', 'translations: { zh: { title: 保修 } }')
        .replace('translations: { en: One-year', 'translations: { zh: 一年, en: One-year'),
      'zh-shop.yaml',
    )
    assert.ok(!wrong.ok)
    assert.deepEqual(wrong.errors.map((e) => e.field).sort(), [
      'clauses.0.translations.zh',
      'translations.zh',
    ])
  })

  test('a translation into a language the product does not speak is refused', () => {
    const parsed = parsePolicyFile(
      retailer.replace('translations: { zh: "部分发货单（如适用）" }', 'translations: { fr: "Bordereaux" }'),
      'retailer.yaml',
    )
    assert.ok(!parsed.ok && parsed.errors.some((e) => e.field === 'clauses.19.translations'))
  })
})

describe('translations in decisions', () => {
  const library = loadPolicyLibrary()

  test('every trace line names the language of its words and carries their Chinese translation', () => {
    const decision = library.decide(
      buildCase('touptek', { claimedOn: '2025-01-20', problem: { kind: 'malfunction' } }),
    )
    const line = decision.trace.find((l) => l.clause === 'touptek#doa-quality')
    assert.equal(line?.outcome, 'applies')
    assert.equal(line?.language, 'en')
    assert.match(line?.text ?? '', /^Product quality problem/)
    assert.match(line?.translations?.zh ?? '', /^产品质量问题：自收到产品之日起30天内/)
    assert.ok(decision.trace.every((l) => l.language === 'en' && HAN.test(l.translations?.zh ?? '')))
  })

  test('a clause’s translations are one frozen object shared by every decision quoting it', () => {
    // Two cases with different dates: the warranty line carries each case's own dates.
    const early = library.decide(buildCase('ist', { claimedOn: '2025-03-01' }))
    const late = library.decide(buildCase('ist', { claimedOn: '2026-03-01' }))
    const term = (d: typeof early) => d.trace.find((l) => l.clause === 'ist#warranty-term')!
    assert.notDeepEqual(term(early).because, term(late).because)
    assert.ok(Object.isFrozen(term(early).translations))
    assert.equal(term(early).translations, term(late).translations)
    assert.throws(() => {
      ;(term(early).translations as { zh?: string }).zh = 'changed'
    }, TypeError)
  })
})

test('the retailer’s note for the return parcel comes with its Chinese words', () => {
  const notes = loadPolicyLibrary().parcelNotes('retailer')
  assert.equal(notes.length, 1)
  assert.match(notes[0]!.text, /^Please include a note inside the return package/)
  assert.match(notes[0]!.translations.zh ?? '', /^请在退货包裹内附上一张便条/)
})
