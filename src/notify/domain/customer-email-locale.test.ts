import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type CustomerLanguageEvidence, customerEmailLocale } from './email-template-data.ts'

const rows: Array<[string, CustomerLanguageEvidence, 'en' | 'zh']> = [
  [
    '1. their own choice of English, though living in China',
    { locale: 'en', chosen: true, guessed: false, addressCountry: 'CN' },
    'en',
  ],
  [
    '1. their own choice of Chinese, though living in Germany',
    { locale: 'zh', chosen: true, guessed: false, addressCountry: 'DE' },
    'zh',
  ],
  [
    '2. seen using Chinese (a claim opened in the Chinese web app), though living in Germany',
    { locale: 'zh', chosen: false, guessed: true, addressCountry: 'DE' },
    'zh',
  ],
  [
    '2. seen using English, though living in Hong Kong',
    { locale: 'en', chosen: false, guessed: true, addressCountry: 'HK' },
    'en',
  ],
  [
    '3. living in Greater China',
    { locale: 'en', chosen: false, guessed: false, addressCountry: ' tw ' },
    'zh',
  ],
  ['3. living elsewhere', { locale: 'en', chosen: false, guessed: false, addressCountry: 'DE' }, 'en'],
  [
    '4. nothing known: a stored Chinese that is only a default counts for nothing',
    { locale: 'zh', chosen: false, guessed: false, addressCountry: ' ' },
    'en',
  ],
  ['4. nothing known at all', { locale: 'en', chosen: false, guessed: false }, 'en'],
]

for (const [name, evidence, expected] of rows)
  test(`mail to a customer: ${name}`, () => assert.equal(customerEmailLocale(evidence), expected))
