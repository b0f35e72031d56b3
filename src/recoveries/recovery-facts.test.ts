import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { instantNearLocalMidnight } from '../shared/near-local-midnight.test-support.ts'
import { readRecoveryFacts } from './derive-recoveries.ts'

for (const engine of testEngines()) {
  describe(`a recovery's facts (${engine})`, () => {
    let database: TestDatabase
    before(async () => {
      database = await openTestDatabase(engine)
    })
    after(async () => {
      await database?.dispose()
    })

    test("a claim on a unit the registry does not know is sold on the day it was opened in its policy's zone", async () => {
      await fc.assert(
        fc.asyncProperty(instantNearLocalMidnight, async ({ timeZone, at, localDay }) => {
          const facts = await readRecoveryFacts(database.db, {
            id: 'claim-unknown-unit',
            serial: 'NOT-REGISTERED-1',
            policy_id: 'retailer',
            currency: 'USD',
            brand: 'own',
            category: null,
            dealer_org_id: null,
            final_decision: null,
            provisional_decision: null,
            opened_at: at.toISOString(),
            timeZone,
          })
          assert.equal(facts.soldOn, localDay, `${at.toISOString()} in ${timeZone}`)
        }),
        { numRuns: 30 },
      )
    })
  })
}
