import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { runForTest } from '../../src/shared/test-process.ts'
import { act, openClaimAs, openClaimBody, openClaimsWorld, seedPlayerOneUnit } from './claim-factories.ts'

const root = path.resolve(import.meta.dirname, '../..')
const bin = path.join(root, 'bin/aftercare.js')

test('aftercare claims act names a field the step itself refuses as it names the ones the schema refuses: under --body', {
  timeout: 120_000,
}, async () => {
  const world = await openClaimsWorld('sqlite')
  try {
    const opened = await openClaimAs(world, world.customer, openClaimBody(await seedPlayerOneUnit(world)))
    await act(world, world.staff, opened.id, 'authorize-return')
    const staff = await world.database.db
      .selectFrom('users')
      .select('email')
      .where('id', '=', world.staff.userId)
      .executeTakeFirstOrThrow()
    const env = { ...process.env, AFTERCARE_DATA: world.database.dataDir, DATABASE_URL: '', SMTP_URL: '' }
    const receive = (body: unknown) =>
      runForTest(
        process.execPath,
        [
          bin,
          'claims',
          'act',
          opened.id,
          'receive-unit',
          '--as',
          staff.email,
          '--body',
          JSON.stringify(body),
        ],
        { cwd: root, env },
      )
    // The schema's refusal and the step's own (a day before the claim was opened) name the field alike.
    const malformed = receive({ receivedOn: 'soon' })
    assert.equal(malformed.status, 2, malformed.stdout)
    assert.match(malformed.stderr, /--body\.receivedOn/)
    const early = receive({ receivedOn: '1999-01-01' })
    assert.equal(early.status, 2, early.stdout)
    assert.match(early.stderr, /^aftercare: --body\.receivedOn: /)
  } finally {
    await world.close()
  }
})
