import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import { createTestContext } from '../app/test-context.ts'
import { createTestUser } from '../auth/test-support.ts'
import { verifyClaimChain } from '../claims/claim-history.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import { loadPolicyLibrary, SHIPPED_POLICIES_DIR } from '../policies/load-policies.ts'
import { waitForJob } from '../registry/import-job.test-support.ts'
import type { SimulationResult, WarrantyCostReport } from '../reports/report.schemas.ts'
import type { AppContext } from '../shared/app-context.ts'
import { parseDay } from '../shared/day-numbers.ts'
import { multipartBody } from '../shared/multipart-body.test-support.ts'
import { buildReliabilityReport } from './build-reliability-report.ts'
import { IMPORTED_ROLE, importClaims } from './import-claims.ts'
import { seedSyntheticModel } from './synthetic-registry.ts'

const TODAY = '2025-12-31'
const HEADER =
  'serial,claimedOn,problemKind,faultConfirmed,remedy,partsCost,partsCostPayer,labourCost,labourCostPayer,inboundFreight,inboundFreightPayer,returnFreight,returnFreightPayer,currency'
/** The serials the synthetic registry gives the units, as the registry keeps them. */
const serial = (i: number) => `MODEL-HIST-${String(i).padStart(8, '0')}`

/** 40 confirmed failures with costs, 5 no-fault claims, 2 transport damages, then six bad rows. */
function historyCsv(): { text: string; failures: number; good: number } {
  const lines = [HEADER]
  for (let i = 0; i < 40; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0')
    lines.push(
      `${serial(i)},2025-0${1 + (i % 9)}-${day},malfunction,true,repair,80.50,vendor,20,vendor,,,12,vendor,USD`,
    )
  }
  for (let i = 40; i < 45; i++) lines.push(`${serial(i)},2025-10-01,malfunction,false,none,,,,,,,,,`)
  for (let i = 45; i < 47; i++)
    lines.push(`${serial(i)},2025-10-02,arrived-damaged,true,replace,,,,,15,customer,,,EUR`)
  lines.push(`NO-SUCH-SERIAL,2025-05-05,malfunction,true,repair,,,,,,,,,`) // line 49: unknown unit
  lines.push(`${serial(50)},2025-02-30,malfunction,true,repair,,,,,,,,,`) // 50: no such day
  lines.push(`${serial(51)},2025-05-05,malfunction,maybe,repair,,,,,,,,,`) // 51
  lines.push(`${serial(52)},2025-05-05,malfunction,true,glue,,,,,,,,,`) // 52
  lines.push(`${serial(53)},2025-05-05,malfunction,true,repair,10,,,,,,,,USD`) // 53: cost without payer
  lines.push(`${serial(0)},2025-01-01,malfunction,true,repair,80.50,vendor,20,vendor,,,12,vendor,USD`) // 54: again
  return { text: `${lines.join('\n')}\n`, failures: 40, good: 47 }
}

function multipartFile(filename: string, content: string) {
  const body = multipartBody([{ name: 'file', filename, type: 'text/csv', data: content }])
  return { payload: body.payload, headers: { 'content-type': body.contentType } }
}

for (const engine of testEngines()) {
  describe(`import claims (${engine})`, () => {
    let database: TestDatabase
    let ctx: AppContext
    let app: HttpApp
    let manager: Record<string, string>
    let file: string

    before(async () => {
      database = await openTestDatabase(engine)
      ctx = createTestContext(database, { now: () => new Date(`${TODAY}T12:00:00.000Z`) })
      // Units that never fail on their own (a scale of millions of days): every failure is imported.
      await seedSyntheticModel(ctx.db, {
        modelId: 'model-hist',
        modelName: 'History Cam',
        shape: 1.5,
        scale: 1e9,
        units: 200,
        deliverySpanDays: 60,
        asOf: '2024-12-31',
        seed: 7,
      })
      app = await buildApp(ctx)
      manager = (await createTestUser(ctx.db, { role: 'manager' })).headers
      file = path.join(database.dataDir, 'history.csv')
      fs.writeFileSync(file, historyCsv().text)
    })
    after(async () => {
      await app?.close()
      await database?.dispose()
    })

    test('imports good rows as closed, imported claims and writes each bad row to the rejects file naming its line and column', async () => {
      const summary = await importClaims(ctx, { file })
      assert.equal(summary.imported, historyCsv().good)
      assert.equal(summary.rejected, 6)
      assert.ok(summary.rejectsPath)
      const rejects = parse(fs.readFileSync(summary.rejectsPath, 'utf8'), { columns: true }) as Record<
        string,
        string
      >[]
      assert.deepEqual(rejects.map((r) => [r.line, r.field]).sort(), [
        ['49', 'serial'],
        ['50', 'claimedOn'],
        ['51', 'faultConfirmed'],
        ['52', 'remedy'],
        ['53', 'partsCostPayer'],
        ['54', 'serial'],
      ])
      assert.match(rejects.find((r) => r.line === '49')?.error ?? '', /no registered unit/)
      assert.match(rejects.find((r) => r.line === '54')?.error ?? '', /line 2/)
      const claims = await ctx.db
        .selectFrom('claims')
        .select(['state', 'opened_by_role', 'outcome'])
        .where('serial', 'like', 'MODEL-HIST-%')
        .execute()
      assert.equal(claims.length, historyCsv().good)
      assert.ok(claims.every((c) => c.state === 'closed' && c.opened_by_role === IMPORTED_ROLE))
      const lines = await ctx.db
        .selectFrom('claim_cost_lines')
        .select(['kind', 'unit_price_minor', 'payer', 'currency'])
        .where('claim_id', 'in', ctx.db.selectFrom('claim_imports').select('claim_id'))
        .execute()
      assert.equal(lines.length, 40 * 3 + 2)
      assert.ok(lines.some((l) => l.kind === 'parts' && l.unit_price_minor === 8050 && l.payer === 'vendor'))
      assert.ok(
        lines.some((l) => l.kind === 'inbound-shipping' && l.currency === 'EUR' && l.payer === 'customer'),
      )
    })

    test('an imported claim reads like any other: closed, with a decision in the contract shape and no history', async () => {
      const claim = await ctx.db
        .selectFrom('claims')
        .select('id')
        .where('serial', '=', serial(1))
        .executeTakeFirstOrThrow()
      const response = await app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claim.id}`,
        headers: manager,
      })
      assert.equal(response.statusCode, 200, response.body)
      const view = response.json<{
        state: string
        finalDecision: { covered: boolean; remedies: string[]; payers: Record<string, string | null> }
      }>()
      assert.equal(view.state, 'closed')
      assert.equal(view.finalDecision.covered, true)
      assert.deepEqual(view.finalDecision.remedies, ['repair'])
      assert.equal(view.finalDecision.payers['return-shipping'], 'vendor')
      const noFault = await ctx.db
        .selectFrom('claims')
        .select('id')
        .where('serial', '=', serial(40))
        .executeTakeFirstOrThrow()
      const refused = await app.inject({
        method: 'GET',
        url: `/api/v1/claims/${noFault.id}`,
        headers: manager,
      })
      assert.equal(refused.statusCode, 200, refused.body)
      assert.equal(refused.json<{ finalDecision: { covered: boolean } }>().finalDecision.covered, false)
    })

    test('re-importing the same file changes nothing', async () => {
      const before = await ctx.db.selectFrom('claims').select(['id', 'updated_at']).orderBy('id').execute()
      const again = await importClaims(ctx, { file })
      assert.equal(again.imported, 0)
      assert.equal(again.unchanged, historyCsv().good)
      assert.equal(again.rejected, 6)
      const after = await ctx.db.selectFrom('claims').select(['id', 'updated_at']).orderBy('id').execute()
      assert.deepEqual(after, before)
    })

    test('a corrected row updates its claim instead of adding one', async () => {
      const corrected = path.join(database.dataDir, 'corrected.csv')
      fs.writeFileSync(
        corrected,
        `${HEADER}\n${serial(0)},2025-01-01,malfunction,true,replace,99,dealer,,,,,,,CNY\n`,
      )
      const summary = await importClaims(ctx, { file: corrected })
      assert.equal(summary.imported, 1)
      const claims = await ctx.db.selectFrom('claims').select('id').where('serial', '=', serial(0)).execute()
      assert.equal(claims.length, 1)
      const lines = await ctx.db
        .selectFrom('claim_cost_lines')
        .select(['kind', 'unit_price_minor', 'payer', 'currency'])
        .where('claim_id', '=', claims[0]?.id ?? '')
        .execute()
      assert.deepEqual(lines, [{ kind: 'parts', unit_price_minor: 9900, payer: 'dealer', currency: 'CNY' }])
      // Back to the original, so the figures below are the file's.
      await importClaims(ctx, { file })
    })

    test('imported failures feed the reliability report; no fault found and transport damage do not', async () => {
      const report = await buildReliabilityReport(ctx, { model: 'History Cam', asOf: TODAY })
      assert.equal(report.counts.units, 200)
      assert.equal(report.counts.failures, historyCsv().failures)
      assert.equal(report.counts.claimsExcluded, 7)
      assert.ok(report.weibull, 'forty failures are enough for a fit')
      const usd = report.forecast?.costs.find((c) => c.currency === 'USD')
      assert.equal(usd?.perClaim, 8050 + 2000 + 1200)
    })

    test('imported claims feed the cost report and policy simulation', async () => {
      const cost = await app.inject({
        method: 'GET',
        url: '/api/v1/reports/warranty-cost?model=model-hist',
        headers: manager,
      })
      assert.equal(cost.statusCode, 200, cost.body)
      const usd = cost.json<WarrantyCostReport>().currencies.find((c) => c.currency === 'USD')
      assert.equal(usd?.total, 40 * (8050 + 2000 + 1200))
      const yaml = fs
        .readFileSync(path.resolve('policies/player-one.v1.yaml'), 'utf8')
        .replace(/^version: "1"$/m, 'version: "2"')
      const simulated = await app.inject({
        method: 'POST',
        url: '/api/v1/policies/simulate',
        headers: manager,
        payload: { policyId: 'player-one', yaml },
      })
      assert.equal(simulated.statusCode, 200, simulated.body)
      const result = simulated.json<SimulationResult>()
      assert.equal(result.summary.compared, historyCsv().good)
      assert.equal(result.skippedCount, 0)
    })

    test('over HTTP: a manager uploads the file, the job reports the counts and rejected rows; support may not', async () => {
      const body = multipartFile('history.csv', historyCsv().text)
      const support = (await createTestUser(ctx.db, { role: 'support' })).headers
      const refused = await app.inject({
        method: 'POST',
        url: '/api/v1/imports/claims',
        ...body,
        headers: { ...body.headers, ...support },
      })
      assert.equal(refused.statusCode, 403, refused.body)
      const started = await app.inject({
        method: 'POST',
        url: '/api/v1/imports/claims',
        ...body,
        headers: { ...body.headers, ...manager },
      })
      assert.equal(started.statusCode, 202, started.body)
      const { id } = started.json<{ id: string }>()
      const job = await waitForJob(app, manager, id)
      assert.equal(job?.status, 'done', JSON.stringify(job))
      assert.equal(job?.kind, 'claims')
      assert.equal(job?.imported, 0)
      assert.equal(job?.unchanged, historyCsv().good)
      assert.deepEqual(job?.errors.map((e) => [e.line, e.field]).sort(), [
        [49, 'serial'],
        [50, 'claimedOn'],
        [51, 'faultConfirmed'],
        [52, 'remedy'],
        [53, 'partsCostPayer'],
        [54, 'serial'],
      ])
    })

    test('over HTTP: a file without the required columns is a 400 naming them', async () => {
      const body = multipartFile('history.csv', 'serial,claimedOn\nX,2025-01-01\n')
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/imports/claims',
        ...body,
        headers: { ...body.headers, ...manager },
      })
      assert.equal(response.statusCode, 400, response.body)
      assert.match(response.body, /problemKind, faultConfirmed, remedy/)
    })

    test('over HTTP: a malformed file fails its job naming the file as it was sent, not where the server stored it', async () => {
      const body = multipartFile(
        'history-2023.csv',
        `${HEADER}\n${serial(1)},2025-01-05,malfunction,true,repair,1.25",,,,,,,,\n`,
      )
      const started = await app.inject({
        method: 'POST',
        url: '/api/v1/imports/claims',
        ...body,
        headers: { ...body.headers, ...manager },
      })
      assert.equal(started.statusCode, 202, started.body)
      const { id } = started.json<{ id: string }>()
      const job = await waitForJob(app, manager, id)
      assert.equal(job?.status, 'failed', JSON.stringify(job))
      const [error] = job?.errors ?? []
      assert.equal(error?.messageKey, 'import.csv-stray-quote', JSON.stringify(job?.errors))
      assert.match(error?.message ?? '', /^history-2023\.csv, line 2, column 6:/)
    })

    test('a serial the old system kept in lower case or full width finds its unit, and is one claim', async () => {
      // The registry keeps serials canonical (upper case, ASCII): the claims import reads them as
      // the units import does, or a seller's lower-case export would be refused row by row.
      const typed = serial(70).toLowerCase()
      const fullWidth = [...serial(70)].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join('')
      const file = path.join(database.dataDir, 'lower-case.csv')
      fs.writeFileSync(file, `${HEADER}\n${typed},2025-03-03,malfunction,true,repair,,,,,,,,,\n`)
      const summary = await importClaims(ctx, { file })
      assert.equal(summary.imported, 1)
      assert.equal(summary.rejected, 0)
      fs.writeFileSync(file, `${HEADER}\n${fullWidth},2025-03-03,malfunction,true,repair,,,,,,,,,\n`)
      const again = await importClaims(ctx, { file })
      assert.equal(again.unchanged, 1, 'the same natural key: nothing new')
      const claims = await ctx.db.selectFrom('claims').select('id').where('serial', '=', serial(70)).execute()
      assert.equal(claims.length, 1)
      // Back out, so the figures of the other tests are the file's.
      await ctx.db.deleteFrom('claim_imports').where('claim_id', '=', claims[0]!.id).execute()
      await ctx.db.deleteFrom('claims').where('id', '=', claims[0]!.id).execute()
    })

    test('a claim of the latest today on Earth is taken, a day after it is not', async () => {
      // 12:00 UTC on the 31st is already 02:00 on 1 January at UTC+14 (Kiritimati).
      const file = path.join(database.dataDir, 'new-year.csv')
      fs.writeFileSync(
        file,
        `${HEADER}\n${serial(60)},2026-01-01,malfunction,true,repair,,,,,,,,,\n${serial(61)},2026-01-02,malfunction,true,repair,,,,,,,,,\n`,
      )
      const summary = await importClaims(ctx, { file })
      assert.equal(summary.imported, 1)
      assert.equal(summary.rejected, 1)
      const rejects = parse(fs.readFileSync(summary.rejectsPath ?? '', 'utf8'), { columns: true }) as Record<
        string,
        string
      >[]
      assert.deepEqual(
        rejects.map((r) => [r.line, r.field]),
        [['3', 'claimedOn']],
      )
    })

    test('a refusal is explained by the policy clause of the inspection the row reports, and one no clause explains is refused naming exclusion', async () => {
      type Stored = { final_decision: string | null; case_json: string }
      const stored = (i: number): Promise<Stored> =>
        ctx.db
          .selectFrom('claims')
          .select(['final_decision', 'case_json'])
          .where('serial', '=', serial(i))
          .executeTakeFirstOrThrow()
      const decisionOf = async (i: number) =>
        JSON.parse((await stored(i)).final_decision ?? 'null') as {
          covered: boolean
          exclusions: { code: string; clause: string }[]
          missingEvidence: string[]
          trace: { clause: string; applies: boolean; because?: { en: string; zh: string } }[]
        }

      // From the first file: no fault found, which the policy's own clause explains in both languages.
      const noFault = await decisionOf(40)
      assert.equal(noFault.covered, false)
      assert.deepEqual(noFault.exclusions, [{ code: 'no-fault-found', clause: 'player-one#no-defect-found' }])
      assert.deepEqual(noFault.missingEvidence, [])
      const clause = noFault.trace.find((t) => t.clause === 'player-one#no-defect-found')
      assert.equal(clause?.applies, true)
      assert.match(clause?.because?.zh ?? '', /\p{Script=Han}/u)

      const header = `${HEADER},exclusion`
      const rows = [
        `${serial(100)},2025-06-01,malfunction,true,none,,,,,,,,,,liquid-damage`,
        `${serial(101)},2025-06-01,malfunction,true,paid-repair,120,customer,,,,,,,USD,`,
        `${serial(102)},2025-06-01,malfunction,true,repair,,,,,,,,,,physical-damage`,
        `${serial(103)},2025-06-01,malfunction,true,none,,,,,,,,,,Not-Manufacturing-Defect`,
      ]
      const reasons = path.join(database.dataDir, 'reasons.csv')
      fs.writeFileSync(reasons, `${header}\n${rows.join('\n')}\n`)
      const summary = await importClaims(ctx, { file: reasons })
      assert.equal(summary.imported, 2)
      const rejects = parse(fs.readFileSync(summary.rejectsPath ?? '', 'utf8'), { columns: true }) as Record<
        string,
        string
      >[]
      const byLine = new Map(rejects.map((r) => [r.line, r]))
      assert.deepEqual([...byLine.keys()].sort(), ['3', '4'])
      assert.equal(byLine.get('3')?.field, 'exclusion')
      assert.match(byLine.get('3')?.error ?? '', /player-one/)
      assert.equal(byLine.get('4')?.field, 'exclusion')
      assert.match(byLine.get('4')?.error ?? '', /remedy is repair/)
      assert.deepEqual((await decisionOf(100)).exclusions, [
        { code: 'liquid-damage', clause: 'player-one#moisture' },
      ])
      assert.deepEqual(
        (await decisionOf(103)).exclusions.map((e) => e.code),
        ['not-manufacturing-defect'],
      )

      // A corrected row judges the claim on the corrected inspection, and keeps the case beside it.
      fs.writeFileSync(
        reasons,
        `${header}\n${serial(100)},2025-06-01,malfunction,true,none,,,,,,,,,,physical-damage\n`,
      )
      assert.equal((await importClaims(ctx, { file: reasons })).imported, 1)
      assert.deepEqual(
        (await decisionOf(100)).exclusions.map((e) => e.code),
        ['physical-damage'],
      )
      assert.deepEqual(JSON.parse((await stored(100)).case_json).inspection, {
        faultConfirmed: true,
        findings: ['physical-damage'],
      })
      // Every imported refusal names its reason.
      const refusals = await ctx.db
        .selectFrom('claims')
        .select('final_decision')
        .where('opened_by_role', '=', IMPORTED_ROLE)
        .execute()
      for (const r of refusals) {
        const d = JSON.parse(r.final_decision ?? 'null') as { covered: boolean; exclusions: unknown[] }
        if (!d.covered) assert.ok(d.exclusions.length > 0, JSON.stringify(d))
      }
    })

    test('the history audit passes an imported claim, which has no history here, and still reports a claim whose events were taken away', async () => {
      const imported = await ctx.db
        .selectFrom('claims')
        .select('id')
        .where('serial', '=', serial(2))
        .executeTakeFirstOrThrow()
      const report = await verifyClaimChain(ctx.db, imported.id)
      assert.deepEqual(report, { claimId: imported.id, events: 0, ok: true, imported: true })
      // The same claim without the import's record is a claim whose history is gone.
      await ctx.db.deleteFrom('claim_imports').where('claim_id', '=', imported.id).execute()
      const stripped = await verifyClaimChain(ctx.db, imported.id)
      assert.equal(stripped.ok, false)
      assert.equal(stripped.broken?.message.key, 'audit.broken.no-history')
    })
  })
}

describe('import claims of a seller east of UTC+12', () => {
  let database: TestDatabase
  let ctx: AppContext

  before(async () => {
    database = await openTestDatabase('sqlite')
    // Player One's policy as a New Zealand seller would write it: in January Auckland is at
    // UTC+13, so noon UTC is already one in the morning of the next day there.
    const own = path.join(database.dataDir, 'policies')
    fs.mkdirSync(own)
    fs.writeFileSync(
      path.join(own, 'player-one-nz.v1.yaml'),
      fs
        .readFileSync(path.join(SHIPPED_POLICIES_DIR, 'player-one.v1.yaml'), 'utf8')
        .replace(/^id: player-one$/m, 'id: player-one-nz')
        .replace(/^timeZone: .*$/m, 'timeZone: Pacific/Auckland'),
    )
    ctx = createTestContext(database, {
      now: () => new Date('2026-01-20T00:00:00.000Z'),
      policies: loadPolicyLibrary([SHIPPED_POLICIES_DIR, own]),
    })
    await seedSyntheticModel(ctx.db, {
      modelId: 'model-hist',
      modelName: 'History Cam',
      shape: 1.5,
      scale: 1e9,
      units: 3,
      deliverySpanDays: 1,
      asOf: '2025-12-31',
      policyId: 'player-one-nz',
      seed: 7,
    })
  })
  after(async () => {
    await database?.dispose()
  })

  test('a claim is of the day the file gives, where the seller counts its days', async () => {
    const unit = await ctx.db
      .selectFrom('units')
      .select(['serial', 'delivered_on'])
      .orderBy('serial')
      .executeTakeFirstOrThrow()
    const file = path.join(database.dataDir, 'nz.csv')
    fs.writeFileSync(file, `${HEADER}\n${unit.serial},2026-01-10,malfunction,true,repair,,,,,,,,,\n`)
    assert.equal((await importClaims(ctx, { file })).imported, 1)
    // As of the claim's own day, it is in the report, at the age the file gives it.
    const report = await buildReliabilityReport(ctx, { model: 'model-hist', asOf: '2026-01-10' })
    assert.equal(report.counts.failures, 1)
    assert.deepEqual(
      report.survival.map((p) => p.age),
      [parseDay('2026-01-10') - parseDay(unit.delivered_on ?? '') + 0.5],
    )
  })
})
