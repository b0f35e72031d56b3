import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { allMigrations, migrateToLatest } from '../db/migrations.ts'
import { openTestDatabase, testEngines } from '../db/test-database.ts'
import { newDraftRow, toLineRow } from './derive-recoveries.ts'
import type { DerivedLine } from './domain/derive-recovery.ts'
import { listLines } from './recovery.store.ts'
import { toLineView } from './recovery-view.ts'

const MIGRATION = '0803_recovery_line_description_message'
/** The migration after it, which gives keys their creditor, runs with it on the older database. */
const NEXT = '0804_recovery_line_key_creditor'
const before = Object.fromEntries(
  Object.entries(allMigrations).filter(([name]) => name !== MIGRATION && name !== NEXT),
)
const AT = '2026-01-10T10:00:00.000Z'

/** A labour line as a derivation gives it: the English and the message it was worded from. */
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

for (const engine of testEngines()) {
  describe(`${engine}: recovery lines worded in the reader's language (migration ${MIGRATION})`, () => {
    test('a line filed before the migration keeps its English for every reader; one filed after is worded in each', async () => {
      const database = await openTestDatabase(engine, { migrations: before })
      try {
        const { db } = database
        await db
          .insertInto('recovery_claims')
          .values(
            newDraftRow(
              {
                id: 'rec-1',
                group_key: 'player-one-dealer|org-a|org-b|USD|2026-01',
                batch: 1,
                terms_id: 'player-one-dealer',
                terms_version: '1',
                creditor_org_id: 'org-a',
                debtor_org_id: 'org-b',
                currency: 'USD',
                period: '2026-01',
                return_part: 1,
                deadline: '2026-03-11',
              },
              AT,
            ),
          )
          .execute()
        // The row as the previous version filed it: no column for the message yet.
        const { description_message_json: _none, ...older } = toLineRow('rec-1', LABOUR, AT)
        await db.insertInto('recovery_lines').values(older).execute()

        assert.deepEqual((await migrateToLatest(db)).applied, [MIGRATION, NEXT])
        const [stored] = await listLines(db, ['rec-1'])
        assert.ok(stored)
        assert.equal(stored.description_message_json, null)
        for (const language of ['en', 'zh'] as const) {
          const view = toLineView(stored, language)
          assert.equal(view.description, 'Labour CAM-COOLED: 1.5 h standard time')
          assert.equal(view.localDescription, 'Labour CAM-COOLED: 1.5 h standard time')
          assert.equal(view.descriptionKey, null)
          assert.equal(view.descriptionParams, null)
        }

        await db
          .insertInto('recovery_lines')
          .values(toLineRow('rec-1', { ...LABOUR, lineKey: `${LABOUR.lineKey}-2` }, AT))
          .execute()
        const later = (await listLines(db, ['rec-1'])).find((l) => l.line_key === `${LABOUR.lineKey}-2`)
        assert.ok(later)
        assert.equal(toLineView(later, 'zh').localDescription, '工时 CAM-COOLED：标准工时 1.5 小时')
        assert.equal(toLineView(later, 'zh').description, 'Labour CAM-COOLED: 1.5 h standard time')
        assert.equal(toLineView(later, 'en').localDescription, 'Labour CAM-COOLED: 1.5 h standard time')
        assert.deepEqual(toLineView(later, 'en').descriptionParams, { repairCode: 'CAM-COOLED', hours: 1.5 })
      } finally {
        await database.dispose()
      }
    })
  })
}
