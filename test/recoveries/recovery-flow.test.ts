import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { findCjkFont } from '../../src/files/documents/pdf-document.ts'
import { extractPdfText } from '../../src/files/documents/pdf-text.test-support.ts'
import type { RecoveryView } from '../../src/recoveries/recovery.schemas.ts'
import { renderRecoveryStatementPdf } from '../../src/recoveries/recovery-statement.ts'
import { runRecoverySweep } from '../../src/recoveries/run-recovery-sweep.ts'
import { act, type ClaimsWorld, ORG, openClaimsWorld, type Party } from '../claims/claim-factories.ts'
import {
  listRecoveriesAs,
  orgUser,
  recoveriesOfClaim,
  seedDealerWarrantyRepair,
  seedForwardedAgentUnit,
  seedIstDistributorPromise,
  seedRetailerDoaRefund,
  step,
  tryStep,
} from './recovery-factories.ts'

for (const engine of testEngines()) {
  describe(`${engine}: recovery claims derived from claims`, () => {
    let world: ClaimsWorld
    let playerOne: Party
    let aurora: Party
    let dealerRepair: string
    let forwarded: string
    let refunded: string
    let promised: string
    before(async () => {
      world = await openClaimsWorld(engine)
      await world.database.db
        .insertInto('webhook_subscriptions')
        .values({
          id: 'sub-recoveries',
          url: 'https://erp.example/hooks',
          secret: 'whsec_test',
          event_types: '["*"]',
          active: 1,
          created_by: 'test',
          created_at: world.clock.now.toISOString(),
        })
        .execute()
      playerOne = await orgUser(world, ORG.playerOne)
      aurora = await orgUser(world, ORG.aurora)
      dealerRepair = await seedDealerWarrantyRepair(world)
      forwarded = await seedForwardedAgentUnit(world)
      refunded = await seedRetailerDoaRefund(world)
      promised = await seedIstDistributorPromise(world)
    })
    after(() => world.close())

    test('a Player One dealer warranty repair yields parts at cost and labour at standard time, dealer to Player One', async () => {
      const [recovery, ...rest] = await recoveriesOfClaim(world, dealerRepair)
      assert.equal(rest.length, 0)
      assert.ok(recovery)
      assert.equal(recovery.creditor.id, ORG.starlight)
      assert.equal(recovery.debtor.id, ORG.playerOne)
      assert.equal(recovery.state, 'draft')
      assert.equal(recovery.currency, 'USD')
      assert.equal(recovery.returnPart, true)
      const byClause = new Map(recovery.lines.map((l) => [l.clause, l]))
      const parts = byClause.get('player-one-dealer#parts-at-cost')
      assert.equal(parts?.amountMinor, 12000)
      assert.equal(parts?.decision.payer, 'dealer')
      assert.equal(parts?.evidence.costLineIds.length, 1)
      // The recorded three hours of bench time do not count: the terms pay 1.5 h at 40.00.
      const labour = byClause.get('player-one-dealer#standard-labour')
      assert.equal(labour?.amountMinor, 6000)
      assert.equal(labour?.repairCode, 'CAM-COOLED')
      assert.equal(recovery.lines.length, 2)
      assert.equal(recovery.totals.claimedMinor, 18000)
    })

    test('an agent-brand unit forwarded to the maker yields the forward leg, distributor to maker', async () => {
      const [recovery, ...rest] = await recoveriesOfClaim(world, forwarded)
      assert.equal(rest.length, 0)
      assert.equal(recovery?.creditor.id, ORG.shenzhen)
      assert.equal(recovery?.debtor.id, ORG.aurora)
      assert.equal(recovery?.currency, 'CNY')
      assert.deepEqual(
        recovery?.lines.map((l) => [l.kind, l.leg, l.clause, l.amountMinor]),
        [['freight', 'forward', 'aurora-agent-freight#forward-leg', 12000]],
      )
    })

    test('a retailer DOA refund yields the supplier’s share, retailer to Player One', async () => {
      const [recovery] = await recoveriesOfClaim(world, refunded)
      assert.equal(recovery?.creditor.id, ORG.retailer)
      assert.equal(recovery?.debtor.id, ORG.playerOne)
      assert.deepEqual(
        recovery?.lines.map((l) => [l.kind, l.clause, l.amountMinor]),
        [['refund-share', 'player-one-supplier#refund-share', 129900]],
      )
    })

    test('an IST claim for a distributor’s own promise yields none, with the reason and clause', async () => {
      assert.deepEqual(await recoveriesOfClaim(world, promised), [])
      const response = await world.app.inject({
        method: 'GET',
        url: `/api/v1/recoveries/outcomes/${promised}`,
        headers: world.staff.headers,
      })
      assert.equal(response.statusCode, 200, response.body)
      const outcome = response.json() as {
        outcome: string
        reasons: { code: string; clause?: string; message: string }[]
      }
      assert.equal(outcome.outcome, 'none')
      const promise = outcome.reasons.find((r) => r.code === 'own-commitment')
      assert.equal(promise?.clause, 'ist-distributor#distributor-promises')
      assert.match(promise?.message ?? '', /does not assume any responsibility/)
    })

    test('deriving again (a retried job, two instances at once) files nothing twice', async () => {
      const before = await recoveriesOfClaim(world, dealerRepair)
      const again = await world.app.inject({
        method: 'POST',
        url: '/api/v1/recoveries/derive',
        headers: world.staff.headers,
        payload: { claimId: dealerRepair },
      })
      assert.equal(again.statusCode, 200, again.body)
      assert.equal((again.json() as { linesWritten: number }).linesWritten, 0)
      const concurrent = await Promise.all([
        runRecoverySweep(world.ctx, { claimId: dealerRepair }),
        runRecoverySweep(world.ctx, { claimId: dealerRepair }),
        runRecoverySweep(world.ctx),
      ])
      assert.equal(
        concurrent.reduce((sum, r) => sum + r.linesWritten, 0),
        0,
      )
      // The claim goes on: the return shipment derives again and adds nothing new either.
      await act(world, world.dealer, dealerRepair, 'ship-return', { carrier: 'DHL', trackingNumber: 'DHL42' })
      const after = await recoveriesOfClaim(world, dealerRepair)
      assert.equal(after.length, 1)
      assert.deepEqual(after[0]?.lines.map((l) => l.id).sort(), before[0]?.lines.map((l) => l.id).sort())
      const lines = await world.database.db
        .selectFrom('recovery_lines')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('claim_id', '=', dealerRepair)
        .executeTakeFirstOrThrow()
      assert.equal(Number(lines.n), 2)
    })

    test('each organisation sees only the recovery claims where it is creditor or debtor', async () => {
      const all = await listRecoveriesAs(world, world.staff)
      const dealerSide = await listRecoveriesAs(world, world.dealer)
      const prairie = await listRecoveriesAs(world, world.otherDealer)
      const makerSide = await listRecoveriesAs(world, aurora)
      const playerOneSide = await listRecoveriesAs(world, playerOne)
      const customer = await listRecoveriesAs(world, world.customer)
      assert.ok(all.items.length >= 3)
      for (const [party, list, orgId] of [
        ['dealer', dealerSide, ORG.starlight],
        ['prairie', prairie, ORG.prairie],
        ['maker', makerSide, ORG.aurora],
        ['player one', playerOneSide, ORG.playerOne],
      ] as const) {
        for (const item of list.items)
          assert.ok(item.creditor.id === orgId || item.debtor.id === orgId, `${party} sees ${item.id}`)
      }
      assert.equal(dealerSide.items.length, 1)
      assert.equal(makerSide.items.length, 1)
      assert.equal(playerOneSide.items.length, 2)
      assert.equal(prairie.items.length, 0)
      assert.deepEqual(customer.items, [])
      const starlightClaim = dealerSide.items[0]?.id ?? ''
      for (const party of [world.otherDealer, aurora, world.customer]) {
        for (const url of [
          `/api/v1/recoveries/${starlightClaim}`,
          `/api/v1/recoveries/${starlightClaim}/events`,
          `/api/v1/recoveries/${starlightClaim}/statement.pdf`,
          `/api/v1/recoveries/${starlightClaim}/statement.csv`,
        ]) {
          const response = await world.app.inject({ method: 'GET', url, headers: party.headers })
          assert.equal(response.statusCode, 404, `${url}: ${response.body}`)
        }
        const submit = await tryStep(world, party, starlightClaim, 'submit')
        assert.equal(submit.statusCode, 404)
      }
      const limited = await listRecoveriesAs(world, world.staff, '?limit=1')
      assert.equal(limited.items.length, 1)
      assert.ok(limited.next)
      const page2 = await listRecoveriesAs(world, world.staff, `?limit=1&cursor=${limited.next}`)
      assert.notEqual(page2.items[0]?.id, limited.items[0]?.id)
      const tooMany = await world.app.inject({
        method: 'GET',
        url: '/api/v1/recoveries?limit=201',
        headers: world.staff.headers,
      })
      assert.equal(tooMany.statusCode, 400)
    })

    test('a line says its claim may be opened exactly when its reader would be let into the claim', async () => {
      const dealerSide = await listRecoveriesAs(world, world.dealer)
      const creditorLines = dealerSide.items.flatMap((item) => item.lines)
      assert.ok(creditorLines.length > 0)
      assert.ok(
        creditorLines.every((line) => line.claimVisible),
        'a dealer opens the claims on its own units',
      )
      const debtorLines = (await listRecoveriesAs(world, playerOne)).items.flatMap((item) => item.lines)
      assert.ok(
        debtorLines.some(
          (line) => !line.claimVisible && creditorLines.some((m) => m.claimId === line.claimId),
        ),
        'the debtor reads lines of the dealer’s claims without being let into them',
      )
      for (const [name, party] of [
        ['staff', world.staff],
        ['dealer', world.dealer],
        ['player one', playerOne],
        ['maker', aurora],
      ] as const) {
        const { items } = await listRecoveriesAs(world, party)
        for (const item of items) {
          const one = await world.app.inject({
            method: 'GET',
            url: `/api/v1/recoveries/${item.id}`,
            headers: party.headers,
          })
          for (const line of [...item.lines, ...(one.json() as RecoveryView).lines]) {
            const claim = await world.app.inject({
              method: 'GET',
              url: `/api/v1/claims/${line.claimId}`,
              headers: party.headers,
            })
            assert.equal(line.claimVisible, claim.statusCode === 200, `${name} ${line.claimId}`)
          }
        }
      }
    })

    test('lifecycle: the dealer submits, Player One answers in part, pays; history chained; money view follows', async () => {
      const [recovery] = await recoveriesOfClaim(world, dealerRepair)
      assert.ok(recovery)
      const early = await tryStep(world, playerOne, recovery.id, 'accept')
      assert.equal(early.statusCode, 409, 'a draft is not answered')
      const byCreditorOnly = await tryStep(world, playerOne, recovery.id, 'submit')
      assert.equal(byCreditorOnly.statusCode, 403)
      const submitted = await step(world, world.dealer, recovery.id, 'submit', {
        note: 'Repair report attached',
      })
      assert.equal(submitted.state, 'submitted')
      assert.equal(submitted.late, false)
      assert.deepEqual(submitted.allowedActions, ['write-off'])
      const labour = submitted.lines.find((l) => l.kind === 'labour')
      const noReason = await tryStep(world, playerOne, recovery.id, 'partly-accept', {
        lines: [{ lineId: labour?.id, acceptedMinor: 4000 }],
      })
      assert.equal(noReason.statusCode, 400)
      assert.equal((noReason.json() as { error: { field: string } }).error.field, 'body.lines.0.reasonCode')
      const twice = await tryStep(world, playerOne, recovery.id, 'partly-accept', {
        lines: [
          { lineId: labour?.id, acceptedMinor: 4000, reasonCode: 'over-standard-time' },
          { lineId: labour?.id, acceptedMinor: 0, reasonCode: 'over-standard-time' },
        ],
      })
      assert.equal(twice.statusCode, 400, twice.body)
      assert.equal((twice.json() as { error: { field: string } }).error.field, 'body.lines.1.lineId')
      // The step's own refusals name the field as the schema's refusal of the same field does.
      const refusedLine = (acceptedMinor: unknown) =>
        tryStep(world, playerOne, recovery.id, 'partly-accept', {
          lines: [{ lineId: labour?.id, acceptedMinor, reasonCode: 'over-standard-time' }],
        })
      for (const refused of [await refusedLine(-1), await refusedLine(10_000_000)]) {
        assert.equal(refused.statusCode, 400, refused.body)
        assert.equal(refused.json().error.field, 'body.lines.0.acceptedMinor', refused.body)
      }
      const answered = await step(world, playerOne, recovery.id, 'partly-accept', {
        lines: [{ lineId: labour?.id, acceptedMinor: 4000, reasonCode: 'over-standard-time' }],
      })
      assert.equal(answered.state, 'partly-accepted')
      assert.equal(answered.totals.acceptedMinor, 16000)
      await step(world, playerOne, recovery.id, 'request-part')
      await step(world, world.dealer, recovery.id, 'ship-part', { carrier: 'DHL', trackingNumber: 'DHL77' })
      const overpaid = await tryStep(world, playerOne, recovery.id, 'record-payment', {
        amountMinor: 20000,
        paidOn: world.clock.now.toISOString().slice(0, 10),
        reference: 'X',
      })
      assert.equal(overpaid.statusCode, 400)
      assert.equal(overpaid.json().error.field, 'body.amountMinor', overpaid.body)
      const negative = await tryStep(world, playerOne, recovery.id, 'record-payment', {
        amountMinor: -1,
        paidOn: world.clock.now.toISOString().slice(0, 10),
        reference: 'X',
      })
      assert.equal(negative.json().error.field, 'body.amountMinor', negative.body)
      const ahead = await tryStep(world, playerOne, recovery.id, 'record-payment', {
        amountMinor: 16000,
        paidOn: '2099-01-01',
        reference: 'X',
      })
      assert.equal(ahead.statusCode, 400, ahead.body)
      assert.equal(ahead.json().error.field, 'body.paidOn')
      const paid = await step(world, playerOne, recovery.id, 'record-payment', {
        amountMinor: 16000,
        paidOn: world.clock.now.toISOString().slice(0, 10),
        reference: 'PO-REMIT-9',
      })
      assert.equal(paid.state, 'paid')
      assert.equal(paid.partState, 'shipped')
      const writtenOff = await step(world, world.dealer, recovery.id, 'write-off')
      assert.equal(writtenOff.totals.writtenOffMinor, 2000)
      const closed = await step(world, world.dealer, recovery.id, 'close')
      assert.equal(closed.state, 'closed')
      assert.deepEqual(closed.allowedActions, [])

      const events = await world.app.inject({
        method: 'GET',
        url: `/api/v1/recoveries/${recovery.id}/events`,
        headers: world.dealer.headers,
      })
      const history = events.json() as { items: { type: string }[]; chainOk: boolean }
      assert.equal(history.chainOk, true)
      assert.deepEqual(
        history.items.map((e) => e.type),
        [
          'recovery.drafted',
          'recovery.submitted',
          'recovery.partly-accepted',
          'recovery.part-requested',
          'recovery.part-shipped',
          'recovery.paid',
          'recovery.written-off',
          'recovery.closed',
        ],
      )
      const hooks = await world.database.db
        .selectFrom('outbox_messages')
        .select('topic')
        .where('channel', '=', 'webhook')
        .where('topic', 'like', 'recovery.%')
        .execute()
      const topics = new Set(hooks.map((h) => h.topic))
      for (const type of [
        'recovery.drafted',
        'recovery.submitted',
        'recovery.partly-accepted',
        'recovery.paid',
        'recovery.closed',
      ])
        assert.ok(topics.has(type), `a webhook event for ${type}`)
      const summary = await world.app.inject({
        method: 'GET',
        url: '/api/v1/recoveries/summary',
        headers: world.dealer.headers,
      })
      const rows = (
        summary.json() as { items: { counterparty: { id: string }; paidMinor: number; direction: string }[] }
      ).items
      const toPlayerOne = rows.find((r) => r.counterparty.id === ORG.playerOne)
      assert.equal(toPlayerOne?.direction, 'receivable')
      assert.equal(toPlayerOne?.paidMinor, 16000)
    })

    test('an outside counterparty gets a PDF and a CSV statement; staff record its answer', async () => {
      const [recovery] = await recoveriesOfClaim(world, forwarded)
      assert.ok(recovery)
      const pdf = await world.app.inject({
        method: 'GET',
        url: `/api/v1/recoveries/${recovery.id}/statement.pdf`,
        headers: world.staff.headers,
      })
      assert.equal(pdf.statusCode, 200)
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-')
      // Written as its reader writes: the state in words, dates as the language writes them,
      // the claim by its number; the codes both sides quote (terms, clauses) stay.
      const english = extractPdfText(pdf.rawPayload)
      assert.match(english, /State: draft/)
      assert.match(english, /Submit by: \d{1,2} [A-Z][a-z]+ \d{4}/)
      assert.ok(english.includes(`C-${forwarded.slice(0, 8).toUpperCase()}`), english)
      assert.doesNotMatch(english, /\d{4}-\d{2}-\d{2}/, 'no ISO date')
      if (findCjkFont() !== null) {
        // Rendered uncompressed, so the embedded font's character map can be read back.
        const view = await world.app.inject({
          url: `/api/v1/recoveries/${recovery.id}`,
          headers: world.staff.headers,
        })
        const chinese = extractPdfText(
          await renderRecoveryStatementPdf(view.json() as RecoveryView, 'zh', { compress: false }),
        )
        assert.match(chinese, /状态：草稿/)
        assert.match(chinese, /提交截止：\d{4}年\d{1,2}月\d{1,2}日/)
        assert.doesNotMatch(chinese, /\d{4}-\d{2}-\d{2}/, 'no ISO date')
      }
      const csv = await world.app.inject({
        method: 'GET',
        url: `/api/v1/recoveries/${recovery.id}/statement.csv`,
        headers: world.staff.headers,
      })
      const [header, row] = csv.body.trim().split('\n')
      assert.match(header ?? '', /^recovery_id,creditor,debtor/)
      assert.match(row ?? '', /aurora-agent-freight#forward-leg/)
      await step(world, world.staff, recovery.id, 'submit')
      const accepted = await step(world, world.staff, recovery.id, 'accept', { note: 'Confirmed by e-mail' })
      assert.equal(accepted.state, 'accepted')
      assert.equal(accepted.totals.acceptedMinor, 12000)
    })

    test('the cost of warranty splits cost borne from what was claimed back and recovered', async () => {
      const response = await world.app.inject({
        method: 'GET',
        url: '/api/v1/reports/warranty-cost',
        headers: world.staff.headers,
      })
      assert.equal(response.statusCode, 200, response.body)
      const report = response.json() as {
        recovery: { currency: string; borneMinor: number; claimedMinor: number; recoveredMinor: number }[]
      }
      const usd = report.recovery.find((r) => r.currency === 'USD')
      assert.equal(usd?.claimedMinor, 18000 + 129900)
      assert.equal(usd?.recoveredMinor, 16000)
      assert.ok((usd?.borneMinor ?? 0) >= 12000 + 15000, 'the dealer bore its parts and bench time')
      const cny = report.recovery.find((r) => r.currency === 'CNY')
      assert.equal(cny?.claimedMinor, 12000)
      assert.equal(cny?.recoveredMinor, 0)

      // Accepted, then written off unpaid and closed: nothing was recovered.
      const [unpaid] = await recoveriesOfClaim(world, forwarded)
      assert.ok(unpaid)
      await step(world, world.staff, unpaid.id, 'write-off')
      await step(world, world.staff, unpaid.id, 'close')
      const after = (
        await world.app.inject({
          method: 'GET',
          url: '/api/v1/reports/warranty-cost',
          headers: world.staff.headers,
        })
      ).json() as typeof report
      assert.equal(after.recovery.find((r) => r.currency === 'CNY')?.recoveredMinor, 0)
      assert.equal(after.recovery.find((r) => r.currency === 'USD')?.recoveredMinor, 16000)
    })

    test('a submission after the terms’ deadline is flagged late, and the debtor may say so', async () => {
      const [recovery] = await recoveriesOfClaim(world, refunded)
      assert.ok(recovery)
      const saved = world.clock.now
      try {
        world.clock.now = new Date(Date.parse(`${recovery.deadline}T12:00:00.000Z`) + 86_400_000)
        const submitted = await step(world, world.staff, recovery.id, 'submit')
        assert.equal(submitted.late, true)
        const rejected = await step(world, playerOne, recovery.id, 'reject', {
          reasonCode: 'late-submission',
        })
        assert.equal(rejected.state, 'rejected')
        assert.equal(rejected.lines[0]?.reasonCode, 'late-submission')
      } finally {
        world.clock.now = saved
      }
    })
  })
}
