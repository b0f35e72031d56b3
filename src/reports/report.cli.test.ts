import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { Command } from 'commander'
import { createTestContext } from '../app/test-context.ts'
import { SYSTEM_ACTOR } from '../auth/actor.ts'
import { openClaim } from '../claims/open-claim.ts'
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts'
import { seedDemoRegistry } from '../registry/demo-seed.ts'
import { AppError } from '../shared/errors.ts'
import { registerReportCommands } from './report.cli.ts'
import type { SimulationResult } from './report.schemas.ts'

const OPENED = new Date('2025-05-20T08:00:00.000Z')

/** Six malfunction claims on ToupTek units sold long enough ago that a one-month term has run out. */
async function seedTouptekClaims(database: TestDatabase): Promise<number> {
  const ctx = createTestContext(database, { now: () => OPENED })
  await seedDemoRegistry(ctx)
  const units = await ctx.db
    .selectFrom('units')
    .select('serial')
    .where('policy_id', '=', 'touptek')
    .orderBy('serial')
    .limit(6)
    .execute()
  for (const { serial } of units) {
    await openClaim(ctx, SYSTEM_ACTOR, {
      serial,
      problem: {
        kind: 'malfunction',
        packagingDamaged: false,
        urgentFreight: false,
        description: 'No image',
      },
      evidence: ['defect-media'],
      claimedOn: '2025-05-20',
    })
  }
  return units.length
}

async function runCli(args: string[]): Promise<string> {
  let written = ''
  const program = new Command().exitOverride()
  registerReportCommands(program, { write: (text) => (written += text) })
  await program.parseAsync(['node', 'aftercare', ...args])
  return written
}

describe('aftercare simulate', () => {
  let database: TestDatabase
  let claims: number
  let draftFile: string
  let publishedFile: string
  let savedEnv: Record<string, string | undefined> = {}

  before(async () => {
    database = await openTestDatabase('sqlite')
    claims = await seedTouptekClaims(database)
    // The command opens the database the configuration names, as it would in production.
    savedEnv = { AFTERCARE_DATA: process.env.AFTERCARE_DATA, DATABASE_URL: process.env.DATABASE_URL }
    process.env.AFTERCARE_DATA = database.dataDir
    delete process.env.DATABASE_URL
    const published = createTestContext(database).policies.source('touptek', '1')!
    publishedFile = path.join(database.dataDir, 'touptek.yaml')
    fs.writeFileSync(publishedFile, published)
    draftFile = path.join(database.dataDir, 'touptek-draft.yaml')
    fs.writeFileSync(
      draftFile,
      published.replace('version: "1"', 'version: "2"').replaceAll('term: P2Y', 'term: P1M'),
    )
  })
  after(async () => {
    // Other test files share this process: leave the environment as it was found.
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
    await database?.dispose()
  })

  test('prints what the draft would change, in words', async () => {
    const text = await runCli(['simulate', draftFile])
    assert.match(text, new RegExp(`^touptek: draft version 2 against ${claims} past claims`))
    assert.match(text, /coverage lost: [1-9]/)
    assert.match(text, /exclusions gained:\n {2}expired ×[1-9]/)
    assert.match(text, /clauses that changed weight:\n {2}(.+\n {2})*touptek#out-of-warranty ×[1-9]/)
  })

  test('--json prints the result the API answers; the published policy changes nothing', async () => {
    const result = JSON.parse(await runCli(['simulate', publishedFile, '--json'])) as SimulationResult
    assert.equal(result.summary.compared, claims)
    assert.equal(result.summary.changed, 0)
    const later = JSON.parse(
      await runCli(['simulate', draftFile, '--json', '--from', '2025-06-01']),
    ) as SimulationResult
    assert.equal(later.summary.compared, 0)
  })

  test('bad flags and broken drafts are refused naming what is wrong', async () => {
    const refusal = (field: string) => (error: unknown) =>
      error instanceof AppError && error.code === 'validation' && error.field === field
    await assert.rejects(runCli(['simulate', draftFile, '--from', '2025-02-30']), refusal('--from'))
    await assert.rejects(
      runCli(['simulate', draftFile, '--from', '2025-03-01', '--to', '2025-02-01']),
      refusal('--to'),
    )
    const broken = path.join(database.dataDir, 'broken.yaml')
    fs.writeFileSync(broken, fs.readFileSync(draftFile, 'utf8').replace('term: P1M', 'term: soon'))
    const elsewhere = path.join(database.dataDir, 'elsewhere.yaml')
    fs.writeFileSync(
      elsewhere,
      fs.readFileSync(draftFile, 'utf8').replace('calendar: cn-mainland', 'calendar: atlantis'),
    )
    await assert.rejects(runCli(['simulate', elsewhere]), (error: unknown) => {
      assert.ok(error instanceof AppError)
      assert.match(
        error.message,
        /^elsewhere\.yaml:\d+: calendar: names calendar atlantis, which is neither built in nor stored/m,
      )
      return true
    })
    await assert.rejects(runCli(['simulate', broken]), (error: unknown) => {
      assert.ok(error instanceof AppError)
      assert.match(error.message, /^broken\.yaml:\d+: clauses\.\d+\.term: /m)
      return true
    })
  })
})
