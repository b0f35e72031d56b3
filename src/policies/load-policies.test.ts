import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, test } from 'node:test'
import { AppError } from '../shared/errors.ts'
import { render } from '../shared/messages/translate.ts'
import { loadPolicyLibrary, SHIPPED_POLICIES_DIR } from './load-policies.ts'
import { parsePolicyFile, policyFileError } from './parse-policy-file.ts'
import { buildCase, folderWithPlayerOneV2 } from './policy-test-support.ts'

const shippedSource = (name: string): string => fs.readFileSync(path.join(SHIPPED_POLICIES_DIR, name), 'utf8')

describe('loading policies', () => {
  test('loads the five shipped policies with their service levels', () => {
    const library = loadPolicyLibrary()
    assert.deepEqual(
      library
        .list()
        .map((s) => `${s.id}@${s.version}`)
        .sort(),
      ['ist@1', 'player-one@1', 'retailer@1', 'shenzhen-service@1', 'touptek@1'],
    )
    const levels = library.serviceLevels('shenzhen-service')
    assert.equal(levels?.calendar, 'cn-mainland')
    assert.deepEqual(levels?.supportHours, { from: '08:00', to: '20:00', everyDay: true })
    const forward = levels?.targets.find((t) => t.clock === 'forward')
    assert.deepEqual(forward && { ...forward, text: '' }, {
      clock: 'forward',
      clause: 'shenzhen-service#forward-to-maker',
      text: '',
      startOn: 'unit.received',
      stopOn: ['forwarded.to-maker'],
      amount: 12,
      unit: 'hours',
      brand: 'agent',
    })
    assert.equal(library.serviceLevels('retailer')?.calendar, 'weekdays-utc')
  })

  test('chooses the version in force on the sale date, and a named version on request', () => {
    const library = loadPolicyLibrary([SHIPPED_POLICIES_DIR, folderWithPlayerOneV2()])
    assert.equal(library.versionInForce('player-one', '2025-12-31')?.version, '1')
    assert.equal(library.versionInForce('player-one', '2026-02-01')?.version, '2')
    assert.equal(library.summary('player-one')?.version, '2')
    const sold2026 = buildCase('player-one', {
      claimedOn: '2026-06-01',
      purchase: { purchasedOn: '2026-02-01', shippedOn: '2026-02-02', deliveredOn: '2026-02-05' },
    })
    assert.equal(library.decide(sold2026).policy, 'player-one@2')
    assert.equal(library.decide(sold2026).warranty?.ends, '2029-02-04')
    assert.equal(library.decide(sold2026, { version: '1' }).warranty?.ends, '2028-02-04')
    assert.equal(library.decide(buildCase('player-one')).policy, 'player-one@1')
  })

  test('an unknown policy is not found, naming the field', () => {
    const library = loadPolicyLibrary()
    assert.throws(
      () => library.decide(buildCase('nobody')),
      (error) => error instanceof AppError && error.code === 'not-found' && error.field === 'policy',
    )
  })

  test('a bad policy file names the file, line and field', () => {
    const text = shippedSource('retailer.v1.yaml').replace(
      'within: [{ days: 7, from: delivery }]',
      'within: [{ days: seven, from: delivery }]',
    )
    const line = text.split('\n').findIndex((l) => l.includes('days: seven')) + 1
    const parsed = parsePolicyFile(text, 'retailer.v1.yaml')
    assert.equal(parsed.ok, false)
    if (parsed.ok) return
    assert.deepEqual(parsed.errors[0] && { ...parsed.errors[0], message: '' }, {
      file: 'retailer.v1.yaml',
      line,
      field: 'clauses.0.within.0.days',
      message: '',
      text: {
        key: 'validation.invalid-type',
        params: { expected: 'number', field: 'clauses.0.within.0.days' },
      },
    })
  })

  test('the refusal of a bad policy file reads in Chinese for a Chinese reader, line by line with each field', () => {
    const text = shippedSource('ist.v1.yaml')
      .replace('key: force-majeure', 'key: serial-mismatch')
      .replace(/^currency: .*$/m, 'currency: yuan')
    const lineOf = (start: string) => text.split('\n').findIndex((l) => l.trimStart().startsWith(start)) + 1
    const parsed = parsePolicyFile(text, 'ist.yaml')
    assert.ok(!parsed.ok)
    const refusal = policyFileError(parsed.errors)
    const repeatedAt = text.split('\n').lastIndexOf('  - key: serial-mismatch') + 1
    assert.deepEqual(refusal.messageIn('zh').split('\n'), [
      '策略文件有错误：',
      `ist.yaml:${lineOf('currency:')}: currency：必须是 ISO 4217 货币代码，例如 USD`,
      `ist.yaml:${repeatedAt}: clauses.12.key：条款键“serial-mismatch”重复`,
    ])
    assert.equal(
      refusal.messageIn('en').split('\n')[0],
      `ist.yaml:${lineOf('currency:')}: currency: must be an ISO 4217 code such as USD`,
    )
  })

  test('a repeated clause key and broken YAML are reported with their lines', () => {
    const repeated = parsePolicyFile(
      shippedSource('ist.v1.yaml').replace('key: force-majeure', 'key: serial-mismatch'),
      'ist.yaml',
    )
    assert.ok(
      !repeated.ok && repeated.errors.some((e) => e.message.includes('repeats clause key') && e.line > 1),
    )
    const broken = parsePolicyFile('id: x\nclauses: [\n', 'broken.yaml')
    assert.ok(!broken.ok && broken.errors[0]!.field === '(yaml)' && broken.errors[0]!.line >= 2)
  })

  test('a time zone the runtime does not know is refused at timeZone, not when a claim is dated in it', () => {
    for (const zone of ['Mars/Olympus', ' ']) {
      const text = shippedSource('ist.v1.yaml').replace('timeZone: Asia/Shanghai', `timeZone: "${zone}"`)
      const parsed = parsePolicyFile(text, 'ist.yaml')
      const line = text.split('\n').findIndex((l) => l.startsWith('timeZone:')) + 1
      assert.ok(!parsed.ok, zone)
      assert.deepEqual(
        parsed.errors.map((e) => [e.field, e.line]),
        [['timeZone', line]],
      )
    }
  })

  test('a service level a claim clock cannot run is refused at its amount', () => {
    // Each passed policy check and then threw a RangeError, or ran for minutes, when a claim started its clock.
    const source = shippedSource('shenzhen-service.v1.yaml')
    const target = 'amount: 3\n    unit: working-days'
    assert.ok(source.includes(target))
    for (const amount of ['1.5', '400', '10000000']) {
      const text = source.replace(target, `amount: ${amount}\n    unit: working-days`)
      const parsed = parsePolicyFile(text, 'shenzhen-service.yaml')
      const line = text.split('\n').findIndex((l) => l.trim() === `amount: ${amount}`) + 1
      assert.ok(!parsed.ok, amount)
      assert.deepEqual(
        parsed.errors.map((e) => [e.field.replace(/^clauses\.\d+\./, ''), e.line]),
        [['amount', line]],
        amount,
      )
    }
    const hours = parsePolicyFile(source.replace('amount: 12', 'amount: 1e12'), 'shenzhen-service.yaml')
    assert.ok(!hours.ok && hours.errors.some((e) => e.field.endsWith('.amount')))
  })

  test('a service level started or stopped by an event no claim records is refused at that event', () => {
    // Each passed policy check: a clock on a misspelt start never started, and one on a
    // misspelt stop ran on until it was breached whatever staff did.
    const source = shippedSource('shenzhen-service.v1.yaml')
    for (const [from, to, field] of [
      ['startOn: decision.made', 'startOn: decison.made', 'startOn'],
      ['stopOn: [inspection.recorded]', 'stopOn: [inspection.recoded]', 'stopOn.0'],
      ['stopOn: [return.shipped]', 'stopOn: [return.shipped, unit.returned]', 'stopOn.1'],
    ] as const) {
      assert.ok(source.includes(from), from)
      const text = source.replace(from, to)
      const parsed = parsePolicyFile(text, 'shenzhen-service.yaml')
      const line = text.split('\n').findIndex((l) => l.trim() === to) + 1
      assert.ok(!parsed.ok, to)
      assert.deepEqual(
        parsed.errors.map((e) => [e.field.replace(/^clauses\.\d+\./, ''), e.line]),
        [[field, line]],
        to,
      )
      assert.match(parsed.errors[0]?.message ?? '', /claim event type/, to)
    }
  })

  test('support hours that end when they start are refused at to, not when a claim starts its clock', () => {
    // Such hours hold no time: every claim under the policy would fail to open, its
    // first-response clock having no working time to count.
    const source = shippedSource('shenzhen-service.v1.yaml')
    const hours = 'from: "08:00"\n    to: "20:00"'
    assert.ok(source.includes(hours))
    const text = source.replace(hours, 'from: "08:00"\n    to: "08:00"')
    const parsed = parsePolicyFile(text, 'shenzhen-service.yaml')
    const line = text.split('\n').findIndex((l) => l.trim() === 'to: "08:00"') + 1
    assert.ok(!parsed.ok)
    assert.deepEqual(
      parsed.errors.map((e) => [e.field.replace(/^clauses\.\d+\./, ''), e.line, e.message]),
      [
        [
          'to',
          line,
          'must not be the same time as from (08:00); hours that end earlier than they start run past midnight',
        ],
      ],
    )
  })

  test('support hours may end at 24:00 or run past midnight, and 24:00 is no time to start at', () => {
    const source = shippedSource('shenzhen-service.v1.yaml')
    const hours = 'from: "08:00"\n    to: "20:00"'
    for (const [from, to] of [
      ['18:00', '24:00'],
      ['22:00', '06:00'],
      ['20:00', '08:00'],
      ['00:00', '24:00'],
    ] as const) {
      const text = source.replace(hours, `from: "${from}"\n    to: "${to}"`)
      const parsed = parsePolicyFile(text, 'shenzhen-service.yaml')
      assert.ok(parsed.ok, `${from}–${to}: ${JSON.stringify(!parsed.ok && parsed.errors)}`)
    }
    for (const [from, to, field] of [
      ['24:00', '06:00', 'from'],
      ['08:00', '24:30', 'to'],
      ['08:00', '25:00', 'to'],
    ] as const) {
      const text = source.replace(hours, `from: "${from}"\n    to: "${to}"`)
      const parsed = parsePolicyFile(text, 'shenzhen-service.yaml')
      assert.ok(!parsed.ok, `${from}–${to}`)
      assert.deepEqual(
        parsed.errors.map((e) => e.field.replace(/^clauses\.\d+\./, '')),
        [field],
        `${from}–${to}`,
      )
    }
  })

  test('two files of one folder giving the same policy version are refused naming both, not one dropped unseen', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-policies-'))
    const source = shippedSource('ist.v1.yaml')
    fs.writeFileSync(path.join(dir, 'ist.v1.yaml'), source)
    fs.writeFileSync(path.join(dir, 'ist-copy.yaml'), source.replace('P1Y', 'P3Y'))
    const refused = (() => {
      try {
        loadPolicyLibrary([dir], undefined)
      } catch (error) {
        return error
      }
    })()
    assert.ok(refused instanceof AppError && refused.code === 'validation', String(refused))
    assert.equal(refused.field, 'version')
    const english = render('en', refused.text!)
    assert.match(english, /ist\.v1\.yaml:3: version: .*ist@1.*ist-copy\.yaml/)
    assert.match(render('zh', refused.text!), /ist\.v1\.yaml:3: version：.*ist@1.*ist-copy\.yaml/)
    // A folder given later still replaces a shipped version on purpose.
    const override = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-policies-'))
    fs.writeFileSync(path.join(override, 'ist.v1.yaml'), source)
    assert.equal(loadPolicyLibrary([SHIPPED_POLICIES_DIR, override], undefined).summary('ist')?.version, '1')
  })

  test('two versions of a policy starting on the same day are refused at effectiveFrom: which governs a sale that day is not said', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-policies-'))
    const v2 = shippedSource('player-one.v1.yaml')
      .replace('version: "1"', 'version: "2"')
      .replace('term: P2Y', 'term: P3Y')
      .replace(/\nexamples:[\s\S]*$/, '\n')
    fs.writeFileSync(path.join(dir, 'player-one.v2.yaml'), v2)
    assert.throws(
      () => loadPolicyLibrary([SHIPPED_POLICIES_DIR, dir], undefined),
      (error) =>
        error instanceof AppError &&
        error.field === 'effectiveFrom' &&
        /player-one\.v2\.yaml:\d+: effectiveFrom: .*2020-01-01.*player-one@1/.test(error.message),
    )
    // A day later, the new version governs from its own start.
    fs.writeFileSync(
      path.join(dir, 'player-one.v2.yaml'),
      v2.replace('effectiveFrom: 2020-01-01', 'effectiveFrom: 2020-01-02'),
    )
    assert.equal(
      loadPolicyLibrary([SHIPPED_POLICIES_DIR, dir], undefined).versionInForce('player-one', '2020-01-02')
        ?.version,
      '2',
    )
  })

  test('a folder with a bad file fails to load with a validation error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-policies-'))
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'id: bad\nversion: "1"\n')
    assert.throws(
      () => loadPolicyLibrary([dir]),
      (error) =>
        error instanceof AppError && error.code === 'validation' && error.message.includes('bad.yaml:1'),
    )
  })
})
