import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { runForTest } from '../../src/shared/test-process.ts'
import { act, openClaimAs, openClaimBody, openClaimsWorld, seedPlayerOneUnit } from './claim-factories.ts'

const root = path.resolve(import.meta.dirname, '../..')
const bin = path.join(root, 'bin/aftercare.js')

test('aftercare claims list, show and act work on the data folder with the API rules', {}, async () => {
  const world = await openClaimsWorld('sqlite')
  try {
    const serial = await seedPlayerOneUnit(world)
    const claim = await openClaimAs(world, world.customer, openClaimBody(serial))
    await act(world, world.staff, claim.id, 'start-diagnosis')
    const staff = await world.database.db
      .selectFrom('users')
      .select('email')
      .where('id', '=', world.staff.userId)
      .executeTakeFirstOrThrow()
    const customer = await world.database.db
      .selectFrom('users')
      .select('email')
      .where('id', '=', world.customer.userId)
      .executeTakeFirstOrThrow()
    const runIn = (language: string, ...args: string[]) =>
      runForTest(process.execPath, [bin, 'claims', ...args], {
        cwd: root,
        env: {
          ...process.env,
          AFTERCARE_DATA: world.database.dataDir,
          DATABASE_URL: '',
          AFTERCARE_LANGUAGE: language,
        },
      })
    const run = (...args: string[]) => runIn('en', ...args)

    const listed = run('list', '--state', 'remote-diagnosis')
    assert.equal(listed.status, 0, listed.stderr)
    assert.match(listed.stdout, new RegExp(`${claim.id} .*remote-diagnosis`))

    const badState = run('list', '--state', 'lost')
    assert.equal(badState.status, 2)
    assert.match(badState.stderr, /--state must be one of/)
    assert.equal(badState.stdout, '')
    // In the operator's language the same refusal, the flag and the states as they are typed.
    const chineseState = runIn('zh', 'list', '--state', 'lost')
    assert.equal(chineseState.status, 2)
    assert.match(chineseState.stderr, /^aftercare：--state 必须是以下之一：new, remote-diagnosis, /)

    // A customer may not authorise a return, from the console as through the API.
    const refused = run('act', claim.id, 'authorize-return', '--as', customer.email)
    assert.notEqual(refused.status, 0)
    assert.match(refused.stderr, /authorize-return|not allowed|role/i)

    // Nobody of that address, and nothing taken in their name.
    const stranger = run('act', claim.id, 'authorize-return', '--as', 'nobody@example.com')
    assert.equal(stranger.status, 2)
    assert.match(stranger.stderr, /--as: no active user nobody@example\.com/)

    const badBody = run('act', claim.id, 'request-info', '--as', staff.email, '--body', '{"nope":')
    assert.equal(badBody.status, 2)
    assert.match(badBody.stderr, /--body must be a JSON object/)

    // A misspelt field is refused, naming it, as the API refuses it; nothing is taken.
    const misspelt = run(
      'act',
      claim.id,
      'request-info',
      '--as',
      staff.email,
      '--body',
      '{"request":"A photo please","urgnet":true}',
    )
    assert.equal(misspelt.status, 2)
    assert.match(misspelt.stderr, /--body.*urgnet/)
    assert.doesNotMatch(run('show', claim.id).stdout, /info\.requested/)

    const authorized = run('act', claim.id, 'authorize-return', '--as', staff.email)
    assert.equal(authorized.status, 0, authorized.stderr)
    assert.match(authorized.stdout, /authorize-return done; now authorized/)

    const shown = run('show', claim.id)
    assert.equal(shown.status, 0, shown.stderr)
    assert.match(shown.stdout, /rma\.authorized/)
    assert.match(shown.stdout, /RMA-\d{4}-\d+/)
  } finally {
    await world.close()
  }
})
