import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { en } from '../i18n/en.ts'
import { forecastCostWords } from './forecast-cost.ts'

const say = (key: 'reliability.costBorne' | 'reliability.costCustomerPaid', values: { amount: string }) => {
  const words = en.reliability[key === 'reliability.costBorne' ? 'costBorne' : 'costCustomerPaid']
  return words.replace('{{amount}}', values.amount)
}
const money = (minor: number, currency: string) => `${currency} ${minor}`

test('a forecast cost says what the trade bears, and what customers pay apart, never the two added together', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10_000_000 }),
      fc.integer({ min: 1, max: 10_000_000 }),
      (borne, paid) => {
        const words = forecastCostWords(say, money, {
          currency: 'USD',
          estimate: borne + paid,
          borne: { estimate: borne },
          customerPaid: { estimate: paid },
        })
        assert.equal(
          words,
          ` · USD ${borne} borne by the maker, seller and dealers, and USD ${paid} paid by customers`,
        )
        assert.ok(!words.includes(`USD ${borne + paid} `) && !words.endsWith(`USD ${borne + paid}`))
      },
    ),
  )
  assert.equal(
    forecastCostWords(say, money, {
      currency: 'CNY',
      estimate: 500,
      borne: { estimate: 500 },
      customerPaid: { estimate: 0 },
    }),
    ' · CNY 500 borne by the maker, seller and dealers',
  )
})
