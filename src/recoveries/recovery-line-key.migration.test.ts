import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { allMigrations, migrateToLatest } from '../db/migrations.ts'
import { openTestDatabase, testEngines } from '../db/test-database.ts'
import { newDraftRow, toLineRow } from './derive-recoveries.ts'
import type { DerivedLine } from './domain/derive-recovery.ts'
import { listLines } from './recovery.store.ts'

const MIGRATION = '0804_recovery_line_key_creditor'
const before = Object.fromEntries(Object.entries(allMigrations).filter(([name]) => name !== MIGRATION))
const AT = '2026-01-10T10:00:00.000Z'

/** A labour line as the previous version keyed it: claim, terms, clause and part, no creditor. */
const LABOUR: DerivedLine = {
  lineKey: 'claim-1:player-one-dealer:standard-labour:standard-time',
  claimId: 'claim-1',
  clause: 'player-one-dealer#standard-labour',
  kind: 'labour',
  leg: null,
  description: 'Labour CAM-COOLED: 1.5 h standard time',
  descriptionKey: 'recovery.line.labour',
  descriptionParams: { repairCode: 'CAM-COOLED', hours: 1.5 },
  amountMinor: 6000,
  repairCode: 'CAM-COOLED',
  workOn: '2026-01-10',
  deadline: '2026-03-11',
  evidence: { costLineIds: [], eventSeqs: [9] },
  decision: { policy: 'player-one@1', basis: 'warranty', payer: 'dealer' },
}

const draft = (id: string, creditor: string) =>
  newDraftRow(
    {
      id,
      group_key: `player-one-dealer|${creditor}|org-b|USD|2026-01`,
      batch: 1,
      terms_id: 'player-one-dealer',
      terms_version: '1',
      creditor_org_id: creditor,
      debtor_org_id: 'org-b',
      currency: 'USD',
      period: '2026-01',
      return_part: 1,
      deadline: '2026-03-11',
    },
    AT,
  )

for (const engine of testEngines()) {
  describe(`${engine}: recovery line keys name their creditor (migration ${MIGRATION})`, () => {
    test('a key filed before gains the creditor of its recovery claim, as a derivation now keys it; down takes it away', async () => {
      const database = await openTestDatabase(engine, { migrations: before })
      try {
        const { db } = database
        await db
          .insertInto('recovery_claims')
          .values([draft('rec-1', 'org-a'), draft('rec-2', 'org-c')])
          .execute()
        await db
          .insertInto('recovery_lines')
          .values([
            toLineRow('rec-1', LABOUR, AT),
            toLineRow(
              'rec-2',
              {
                ...LABOUR,
                claimId: 'claim-2',
                lineKey: 'claim-2:player-one-dealer:standard-labour:standard-time',
              },
              AT,
            ),
          ])
          .execute()

        assert.deepEqual((await migrateToLatest(db)).applied, [MIGRATION])
        const keys = async () => (await listLines(db, ['rec-1', 'rec-2'])).map((l) => l.line_key).sort()
        assert.deepEqual(await keys(), [
          'claim-1:player-one-dealer:standard-labour:standard-time@org-a',
          'claim-2:player-one-dealer:standard-labour:standard-time@org-c',
        ])

        const migration = allMigrations[MIGRATION]
        assert.ok(migration?.down)
        await migration.down(db)
        assert.deepEqual(await keys(), [
          'claim-1:player-one-dealer:standard-labour:standard-time',
          'claim-2:player-one-dealer:standard-labour:standard-time',
        ])
      } finally {
        await database.dispose()
      }
    })
  })
}
