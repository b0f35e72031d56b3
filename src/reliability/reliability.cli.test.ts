import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Command } from 'commander'
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts'
import { AppError } from '../shared/errors.ts'
import { registerReliabilityCommands } from './reliability.cli.ts'
import type { ReliabilityReport } from './reliability.schemas.ts'
import { seedSyntheticModel } from './synthetic-registry.ts'

async function runCli(args: string[]): Promise<string> {
  let written = ''
  const program = new Command().exitOverride()
  registerReliabilityCommands(program, { write: (text) => (written += text) })
  await program.parseAsync(['node', 'aftercare', ...args])
  return written
}

describe('aftercare reliability', () => {
  let database: TestDatabase

  before(async () => {
    database = await openTestDatabase('sqlite')
    await seedSyntheticModel(database.db, {
      modelId: 'model-cli',
      modelName: 'Orion C-1',
      shape: 2,
      scale: 1200,
      units: 1500,
      deliverySpanDays: 700,
      asOf: '2025-06-30',
      batches: ['B1', 'B2'],
      stepBatch: 'B2',
      stepFrom: '2025-03-01',
      stepFactor: 3,
      seed: 9,
    })
    process.env.AFTERCARE_DATA = database.dataDir
    delete process.env.DATABASE_URL
  })
  after(async () => {
    await database?.dispose()
  })

  test('--json prints one object whose weibull holds shape, scale in days and their intervals', async () => {
    const out = await runCli(['reliability', '--model', 'orion c1', '--as-of', '2025-06-30', '--json'])
    const report = JSON.parse(out) as ReliabilityReport
    assert.equal(report.scope.model?.id, 'model-cli')
    assert.equal(report.scope.asOf, '2025-06-30')
    const w = report.weibull
    assert.ok(w)
    assert.ok(w.shapeInterval.lower < w.shape && w.shape < w.shapeInterval.upper)
    assert.ok(w.scaleInterval.lower < w.scale && w.scale < w.scaleInterval.upper)
  })

  test('prints a text summary by model id', async () => {
    const out = await runCli([
      'reliability',
      '--model',
      'model-cli',
      '--as-of',
      '2025-06-30',
      '--term',
      'P3Y',
    ])
    assert.match(out, /Weibull: shape β/)
    assert.match(out, /If the term were P3Y/)
  })

  test('refuses a bad date and an unknown model, naming the field', async () => {
    await assert.rejects(
      runCli(['reliability', '--model', 'model-cli', '--as-of', '2025-02-30']),
      (e: unknown) => e instanceof AppError && e.code === 'validation' && /--as-of/.test(e.message),
    )
    // A day still to come: the units would count as surviving ages they have not reached.
    const future = (e: unknown) =>
      e instanceof AppError && e.code === 'validation' && e.field === '--as-of' && /--as-of/.test(e.message)
    await assert.rejects(runCli(['reliability', '--model', 'model-cli', '--as-of', '2999-01-01']), future)
    await assert.rejects(runCli(['reliability-warnings', '--as-of', '2999-01-01']), future)
    // "P" names no years, months or days: no term at all.
    for (const term of ['P', 'P3W', '3Y'])
      await assert.rejects(
        runCli(['reliability', '--model', 'model-cli', '--as-of', '2025-06-30', '--term', term]),
        (e: unknown) => e instanceof AppError && e.field === '--term' && /--term/.test(e.message),
        term,
      )
    // An empty batch names none: not the whole model under a blank batch heading.
    await assert.rejects(
      runCli(['reliability', '--model', 'model-cli', '--as-of', '2025-06-30', '--batch', ' ']),
      (e: unknown) => e instanceof AppError && e.field === '--batch' && /--batch/.test(e.message),
    )
    await assert.rejects(
      runCli(['reliability', '--model', 'nope']),
      (e: unknown) => e instanceof AppError && e.code === 'not-found',
    )
  })

  test('the warning sweep records each warning once and sends it once through the outbox', async () => {
    await database.db
      .insertInto('webhook_subscriptions')
      .values({
        id: 'sub-1',
        url: 'https://hooks.example/reliability',
        secret: 's3cret',
        event_types: JSON.stringify(['reliability.warning']),
        active: 1,
        created_by: 'test',
        created_at: '2025-06-30T00:00:00.000Z',
      })
      .execute()
    const first = await runCli(['reliability-warnings', '--as-of', '2025-06-30'])
    const flags = await database.db.selectFrom('reliability_flags').selectAll().execute()
    assert.ok(flags.length > 0, first)
    assert.ok(flags.some((f) => f.key === 'B2'))
    const events = await database.db
      .selectFrom('outbox_messages')
      .select('id')
      .where('topic', '=', 'reliability.warning')
      .execute()
    assert.equal(events.length, flags.length)
    const second = await runCli(['reliability-warnings', '--as-of', '2025-06-30'])
    assert.match(second, /, 0 new/)
    assert.equal(
      (await database.db.selectFrom('reliability_flags').selectAll().execute()).length,
      flags.length,
    )
    assert.equal(
      (
        await database.db
          .selectFrom('outbox_messages')
          .select('id')
          .where('topic', '=', 'reliability.warning')
          .execute()
      ).length,
      flags.length,
    )
  })
})
