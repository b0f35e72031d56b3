import assert from 'node:assert/strict'
import { test } from 'node:test'
import { letterheadOf } from './seller-documents.ts'
import type { SellerSettingsView } from './setup.schemas.ts'

const seller: SellerSettingsView = {
  orgId: 'org-1',
  seller: 'Player One Astronomy',
  email: 'support@example.com',
  phone: null,
  address: { line1: 'After-sales team', city: 'Ningbo', region: 'Zhejiang', country: 'CN' },
  policy: null,
  supportHours: '',
  paymentMethod: 'bank-transfer',
  bank: null,
  paymentLink: null,
  terms: '',
  termsZh: null,
  quoteValidityDays: 30,
  logoFileId: null,
}

test("the letterhead names the seller's country in the language the document is printed in", async () => {
  // A Chinese repair order printed 中国 under its ship-to address and China in its letterhead.
  const zh = await letterheadOf(seller, 'zh')
  assert.deepEqual(zh.addressLines, ['After-sales team', 'Ningbo', 'Zhejiang', '中国'])
  const en = await letterheadOf(seller, 'en')
  assert.deepEqual(en.addressLines, ['After-sales team', 'Ningbo', 'Zhejiang', 'China'])
})
