import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type CustomerLanguageEvidence, customerEmailLocale } from './email-template-data.ts'

const rows: Array<[string, CustomerLanguageEvidence, string | undefined, 'en' | 'zh']> = [
  [
    '1. their own choice of English, though a Chinese seller',
    { locale: 'en', chosen: true, guessed: false, addressCountry: 'CN' },
    'CN',
    'en',
  ],
  [
    '1. their own choice of Chinese, though an English seller',
    { locale: 'zh', chosen: true, guessed: false, addressCountry: 'DE' },
    'DE',
    'zh',
  ],
  [
    '2. seen using Chinese (a claim opened in the Chinese web app)',
    { locale: 'zh', chosen: false, guessed: true, addressCountry: 'DE' },
    'DE',
    'zh',
  ],
  [
    '2. seen using English, though a Chinese seller',
    { locale: 'en', chosen: false, guessed: true },
    'HK',
    'en',
  ],
  [
    '3. living in Greater China, though an English seller',
    { locale: 'en', chosen: false, guessed: false, addressCountry: 'CN' },
    'DE',
    'zh',
  ],
  [
    '3. living elsewhere, though a Chinese seller',
    { locale: 'en', chosen: false, guessed: false, addressCountry: 'DE' },
    'CN',
    'en',
  ],
  [
    '4. no address: the seller in Greater China',
    { locale: 'en', chosen: false, guessed: false, addressCountry: ' ' },
    ' tw ',
    'zh',
  ],
  ['4. no address: a seller elsewhere', { locale: 'en', chosen: false, guessed: false }, 'GB', 'en'],
  ['5. nothing known at all', { locale: 'en', chosen: false, guessed: false }, undefined, 'en'],
]

for (const [name, evidence, sellerCountry, expected] of rows)
  test(`mail to a customer: ${name}`, async () =>
    assert.equal(await customerEmailLocale(evidence, sellerCountry), expected))

test("the seller is not read when the customer's own record decides", async () => {
  let read = 0
  const seller = async () => {
    read++
    return 'CN'
  }
  await customerEmailLocale({ locale: 'zh', chosen: true, guessed: false }, seller)
  await customerEmailLocale({ locale: 'en', chosen: false, guessed: false, addressCountry: 'DE' }, seller)
  assert.equal(read, 0)
  assert.equal(await customerEmailLocale({ locale: 'en', chosen: false, guessed: false }, seller), 'zh')
  assert.equal(read, 1)
})
