import assert from 'node:assert/strict'
import { test } from 'node:test'
import { en } from '../i18n/en.ts'
import { zh } from '../i18n/zh.ts'
import { labelKeyOf, withFieldLabel } from './field-labels.ts'

const lookUp = (dictionary: object) => (key: string) =>
  String(
    key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], dictionary),
  )

test('a refused field is named by its form label, in English and Chinese', () => {
  assert.equal(
    withFieldLabel(
      'body.problem.description: must be at most 4000 characters',
      'body.problem.description',
      lookUp(en),
    ),
    'Describe the fault: must be at most 4000 characters',
  )
  assert.equal(withFieldLabel('body.serial：只能包含字母', 'body.serial', lookUp(zh)), '序列号：只能包含字母')
  assert.equal(
    withFieldLabel('body.phone: must be a valid phone', 'body.phone', lookUp(en)),
    'Phone: must be a valid phone',
  )
  // Unknown fields and messages that do not start with the field stay as they are.
  assert.equal(withFieldLabel('x: y', 'body.whatever', lookUp(en)), 'x: y')
  assert.equal(withFieldLabel('No unit PLA-1', 'serial', lookUp(en)), 'No unit PLA-1')
})

test('every label a field maps to exists in both languages', () => {
  for (const field of [
    'serial',
    'problem.description',
    'problem.noticedOn',
    'purchasedOn',
    'name',
    'phone',
    'file',
    'unit',
    'toEmail',
    'transferredOn',
  ]) {
    const key = labelKeyOf(`body.${field}`)
    assert.ok(key, field)
    for (const dictionary of [en, zh])
      assert.notEqual(lookUp(dictionary)(key), 'undefined', `${field} → ${key}`)
  }
})

test('a form names a field by its own label where it calls it otherwise', () => {
  const staff = { toEmail: 'staffUnit.transfer.email', transferredOn: 'staffUnit.transfer.date' }
  assert.equal(
    withFieldLabel('body.toEmail: must be a valid email', 'body.toEmail', lookUp(en), staff),
    'New owner’s e-mail address: must be a valid email',
  )
  assert.equal(
    withFieldLabel('transferredOn：不得晚于今天', 'transferredOn', lookUp(zh), staff),
    '转让日期：不得晚于今天',
  )
  // The customer's form keeps the words it shows.
  assert.equal(labelKeyOf('body.toEmail'), 'my.passOn.email')
  assert.equal(labelKeyOf('body.toName', staff), 'my.passOn.name')
})

test('one item of a list is named by the label of the list, unless it has a label of its own', () => {
  const bench = { faultCausedBy: 'inspection.causes' }
  assert.equal(
    withFieldLabel(
      "body.faultCausedBy.0: must be one of the inspection's findings",
      'body.faultCausedBy.0',
      lookUp(en),
      bench,
    ),
    "What caused the fault: must be one of the inspection's findings",
  )
  assert.equal(
    withFieldLabel(
      'body.faultCausedBy.1：必须是本次检测发现的情况之一',
      'body.faultCausedBy.1',
      lookUp(zh),
      bench,
    ),
    '故障原因：必须是本次检测发现的情况之一',
  )
  assert.equal(
    labelKeyOf('body.faultCausedBy.0', { ...bench, 'faultCausedBy.0': 'inspection.findings' }),
    'inspection.findings',
  )
  // A field inside an item is not its list: it keeps no label rather than borrowing one.
  assert.equal(labelKeyOf('body.lines.0.acceptedMinor', { lines: 'recoveries.lines' }), undefined)
})
