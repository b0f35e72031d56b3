import assert from 'node:assert/strict'
import { test } from 'node:test'
import { toCanonicalJson } from './canonical-json.ts'
import { computeQuoteTotals } from './quote-totals.ts'
import { selectSelfChecks, selfCheckListById } from './self-checks.ts'

test('seed 002, first years beyond warranty: parts charged, labour free', () => {
  const totals = computeQuoteTotals(
    [
      { kind: 'parts', description: 'TEC module', quantity: 2, unitPriceMinor: 15000, payer: 'customer' },
      { kind: 'labour', description: 'Bench repair', quantity: 1, unitPriceMinor: 20000, payer: 'vendor' },
    ],
    'CNY',
  )
  assert.equal(totals.customerMinor, 30000)
  assert.equal(totals.absorbedMinor.vendor, 20000)
  assert.equal(totals.totalMinor, 50000)
})

test('canonical JSON sorts keys at every level and ignores undefined', () => {
  assert.equal(
    toCanonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } }),
    '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
  )
})

test('Player One cameras get the first-run checks of the manual', () => {
  const list = selectSelfChecks({ brandOrgId: 'org-player-one', category: 'camera' })
  assert.equal(list?.id, 'player-one-cooled-camera')
  if (!list) return
  const ids = list.checks.map((c) => c.id)
  for (const id of [
    'fps-near-spec',
    'preview-responds',
    'power-12v',
    'cooler-on',
    'fan-running',
    'temperature-falling',
    'usb3-link',
    'download-bandwidth',
  ]) {
    assert.ok(ids.includes(id), id)
  }
  // Seed 004: a failed download is fixed by the bandwidth the manual gives.
  assert.match(list.checks.find((c) => c.id === 'download-bandwidth')?.remedy ?? '', /40%/)
  assert.match(list.checks.find((c) => c.id === 'usb3-link')?.remedy ?? '', /USB 3\.0/)
  assert.equal(selectSelfChecks({ brandOrgId: 'org-beijing-ist', category: 'mini-pc' })?.id, 'ist')
  // A product line without checks of its own gets none, not another line's camera steps.
  assert.equal(selectSelfChecks({ brandOrgId: 'org-player-one', category: 'filter-wheel' }), undefined)
  assert.equal(selectSelfChecks({ brandOrgId: 'org-aurora-mounts', category: 'mount' }), undefined)
  assert.equal(selfCheckListById('generic')?.id, 'generic')
})
