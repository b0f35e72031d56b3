import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatPostalAddress } from './address.ts'

const address = {
  name: 'Li Wei',
  street: '科技园 88 号',
  city: '深圳',
  postalCode: '518000',
  country: 'CN',
  phone: '+86 138 0000 0000',
}

test('the phone line is labelled in the language of the reader: a Chinese page or repair order shows no English', () => {
  assert.deepEqual(formatPostalAddress(address, 'zh'), [
    'Li Wei',
    '科技园 88 号',
    '518000 深圳',
    '中国',
    '电话：+86 138 0000 0000',
  ])
  assert.equal(formatPostalAddress(address, 'en').at(-1), 'Tel. +86 138 0000 0000')
})

test('the country is named in the reader’s words, not by its code: 中国 on a Chinese page, China on an English one', () => {
  assert.equal(formatPostalAddress(address, 'zh')[3], '中国')
  assert.equal(formatPostalAddress({ ...address, country: 'de' }, 'zh')[3], '德国')
  assert.equal(formatPostalAddress(address, 'en')[3], 'China')
  // A country written out when the address was imported stays as it was written.
  assert.equal(formatPostalAddress({ ...address, country: 'Deutschland' }, 'en')[3], 'Deutschland')
})
