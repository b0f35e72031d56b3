import assert from 'node:assert/strict'
import { test } from 'node:test'
import { contactChanges } from './contact-changes.ts'

test('saving the contact form with the language as shown does not send it: only a change is a choice', () => {
  assert.deepEqual(contactChanges({ locale: 'en' }, { name: 'Li Wei', phone: null, locale: 'en' }), {
    name: 'Li Wei',
    phone: null,
  })
  assert.deepEqual(contactChanges({ locale: 'zh' }, { name: 'Li Wei', phone: '+86 1', locale: 'zh' }), {
    name: 'Li Wei',
    phone: '+86 1',
  })
})

test('a language changed in the contact form is sent, to be saved as chosen', () => {
  assert.deepEqual(contactChanges({ locale: 'en' }, { name: 'Li Wei', phone: null, locale: 'zh' }), {
    name: 'Li Wei',
    phone: null,
    locale: 'zh',
  })
})
