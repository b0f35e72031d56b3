import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { newDraftRow } from '../../src/recoveries/derive-recoveries.ts'
import { runForTest } from '../../src/shared/test-process.ts'
import { ORG, openClaimsWorld, TODAY } from '../claims/claim-factories.ts'
import { recoveriesOfClaim, seedDealerWarrantyRepair } from './recovery-factories.ts'

const root = path.resolve(import.meta.dirname, '../..')
const bin = path.join(root, 'bin/aftercare.js')

test('aftercare recoveries statement --out leaves the previous statement whole when the write is cut off', {
  timeout: 120_000,
}, async () => {
  const world = await openClaimsWorld('sqlite')
  try {
    const [recovery] = await recoveriesOfClaim(world, await seedDealerWarrantyRepair(world))
    assert.ok(recovery)
    const dataDir = world.database.dataDir
    const file = path.join(dataDir, 'statement.pdf')
    const previous = 'the statement sent last week\n'
    fs.writeFileSync(file, previous)
    const env = { ...process.env, AFTERCARE_DATA: dataDir, DATABASE_URL: '', SMTP_URL: '' }
    const statement = ['recoveries', 'statement', recovery.id, '--out', file]
    // The bundle is made first, so the limit below cuts only the statement's own write.
    const whole = runForTest(process.execPath, [bin, ...statement], { cwd: root, env })
    assert.equal(whole.status, 0, whole.stderr)
    const size = fs.statSync(file).size
    fs.writeFileSync(file, previous)
    // A file-size limit of half the statement: the system stops the process part-way through
    // writing it, as a full disk or a kill would.
    const limitKb = Math.max(1, Math.floor(size / 2048))
    assert.ok(limitKb * 1024 < size && limitKb * 1024 > previous.length, `a ${size}-byte statement`)
    const cut = runForTest(
      'bash',
      ['-c', `ulimit -f ${limitKb}; exec "$0" "$@"`, process.execPath, bin, ...statement],
      { cwd: root, env },
    )
    assert.notEqual(cut.status, 0, cut.stdout)
    assert.equal(fs.readFileSync(file, 'utf8'), previous)
  } finally {
    await world.close()
  }
})

test('aftercare recoveries act refuses a field the step does not name, as the API does, and takes no step', {
  timeout: 120_000,
}, async () => {
  const world = await openClaimsWorld('sqlite')
  try {
    const [recovery] = await recoveriesOfClaim(world, await seedDealerWarrantyRepair(world))
    assert.ok(recovery)
    const staff = await world.database.db
      .selectFrom('users')
      .select('email')
      .where('id', '=', world.staff.userId)
      .executeTakeFirstOrThrow()
    const env = { ...process.env, AFTERCARE_DATA: world.database.dataDir, DATABASE_URL: '', SMTP_URL: '' }
    const body = JSON.stringify({ note: 'Reports attached', ntoe: 'typed twice' })
    const act = runForTest(
      process.execPath,
      [bin, 'recoveries', 'act', recovery.id, 'submit', '--as', staff.email, '--body', body],
      { cwd: root, env },
    )
    assert.equal(act.status, 2, act.stdout)
    assert.match(act.stderr, /--body.*ntoe/)
    const after = await world.database.db
      .selectFrom('recovery_claims')
      .select(['state', 'version'])
      .where('id', '=', recovery.id)
      .executeTakeFirstOrThrow()
    assert.equal(after.state, recovery.state)
    assert.equal(Number(after.version), Number(recovery.version))
  } finally {
    await world.close()
  }
})

test('aftercare recoveries act names a field the step itself refuses as it names the ones the schema refuses: under --body', {
  timeout: 120_000,
}, async () => {
  const world = await openClaimsWorld('sqlite')
  try {
    const [recovery] = await recoveriesOfClaim(world, await seedDealerWarrantyRepair(world))
    assert.ok(recovery)
    const line = recovery.lines[0]
    assert.ok(line)
    const staff = await world.database.db
      .selectFrom('users')
      .select('email')
      .where('id', '=', world.staff.userId)
      .executeTakeFirstOrThrow()
    const env = { ...process.env, AFTERCARE_DATA: world.database.dataDir, DATABASE_URL: '', SMTP_URL: '' }
    const act = (action: string, body: unknown) =>
      runForTest(
        process.execPath,
        [bin, 'recoveries', 'act', recovery.id, action, '--as', staff.email, '--body', JSON.stringify(body)],
        { cwd: root, env },
      )
    const submitted = act('submit', {})
    assert.equal(submitted.status, 0, submitted.stderr)
    const tooMuch = act('partly-accept', {
      lines: [{ lineId: line.id, acceptedMinor: line.amountMinor + 1, reasonCode: 'other' }],
    })
    assert.equal(tooMuch.status, 2, tooMuch.stdout)
    assert.match(tooMuch.stderr, /--body\.lines\.0\.acceptedMinor/)
  } finally {
    await world.close()
  }
})

test('aftercare recoveries statement of a draft whose every line was withdrawn is refused naming the id, as the API answers 404, and writes no file', {
  timeout: 120_000,
}, async () => {
  const world = await openClaimsWorld('sqlite')
  try {
    // A draft left with no line, as a claim decided again leaves it.
    const id = 'rec-emptied-draft'
    await world.database.db
      .insertInto('recovery_claims')
      .values(
        newDraftRow(
          {
            id,
            group_key: `emptied|${id}`,
            batch: 1,
            terms_id: 'player-one-dealer',
            terms_version: '1',
            creditor_org_id: ORG.starlight,
            debtor_org_id: ORG.playerOne,
            currency: 'USD',
            period: TODAY.slice(0, 7),
            return_part: 1,
            deadline: TODAY,
          },
          world.clock.now.toISOString(),
        ),
      )
      .execute()
    const api = await world.app.inject({
      method: 'GET',
      url: `/api/v1/recoveries/${id}/statement.csv`,
      headers: world.staff.headers,
    })
    assert.equal(api.statusCode, 404, api.body)
    const file = path.join(world.database.dataDir, 'emptied.csv')
    const env = { ...process.env, AFTERCARE_DATA: world.database.dataDir, DATABASE_URL: '', SMTP_URL: '' }
    const run = runForTest(process.execPath, [bin, 'recoveries', 'statement', id, '--out', file], {
      cwd: root,
      env,
    })
    assert.equal(run.status, 2, run.stdout)
    assert.match(run.stderr, new RegExp(`id: no recovery claim ${id}`))
    assert.equal(fs.existsSync(file), false)
  } finally {
    await world.close()
  }
})
