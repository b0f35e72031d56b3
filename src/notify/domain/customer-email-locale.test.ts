import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type CustomerLanguageEvidence, customerEmailLocale } from './email-template-data.ts'

const rows: Array<[string, CustomerLanguageEvidence, 'en' | 'zh']> = [
  [
    '1. their own choice of English, though a Chinese seller',
    { locale: 'en', chosen: true, guessed: false, sellerCountry: 'CN' },
    'en',
  ],
  [
    '1. their own choice of Chinese, though an English seller',
    { locale: 'zh', chosen: true, guessed: false, sellerCountry: 'DE' },
    'zh',
  ],
  [
    '2. seen using Chinese (a claim opened in the Chinese web app)',
    { locale: 'zh', chosen: false, guessed: true, sellerCountry: 'DE' },
    'zh',
  ],
  [
    '2. seen using English, though a Chinese seller',
    { locale: 'en', chosen: false, guessed: true, sellerCountry: 'HK' },
    'en',
  ],
  [
    '3. nothing of their own: the seller in Greater China',
    { locale: 'en', chosen: false, guessed: false, sellerCountry: ' tw ' },
    'zh',
  ],
  [
    '3. nothing of their own: a seller elsewhere',
    { locale: 'en', chosen: false, guessed: false, sellerCountry: 'GB' },
    'en',
  ],
  ['4. nothing known at all', { locale: 'en', chosen: false, guessed: false }, 'en'],
]

for (const [name, evidence, expected] of rows)
  test(`mail to a customer: ${name}`, () => assert.equal(customerEmailLocale(evidence), expected))
