import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { createTestUser } from '../../src/auth/test-support.ts'
import { verifyClaimChain } from '../../src/claims/claim-history.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { renderEmail } from '../../src/notify/domain/render-email.ts'
import { waitForJob } from '../../src/registry/import-job.test-support.ts'
import { importUnits } from '../../src/registry/import-units.ts'
import { WHOLE_FILE_MIN_ROWS } from '../../src/registry/import-units-sqlite.ts'
import { multipartBody } from '../../src/shared/multipart-body.test-support.ts'
import {
  act,
  addDays,
  type ClaimsWorld,
  ORG,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  PENDING_SALE_PURCHASED,
  seedPendingDealerSaleWithClaim,
  seedUnit,
} from './claim-factories.ts'

const PUBLIC_URL = 'https://service.example.com'

const SALES_HEADER = 'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer,policy'

/** The camera these sales are of, by the name a seller's file writes (the import reads it so). */
async function zeusModelName(world: ClaimsWorld): Promise<string> {
  const model = await world.database.db
    .selectFrom('product_models')
    .select('name')
    .where('id', '=', 'player-one-zeus-455m-pro')
    .executeTakeFirstOrThrow()
  return model.name
}

/** A row of the seller's sales file: bought and shipped on the pending sale's day, delivered four days on. */
function saleRow(
  modelName: string,
  serial: string,
  channel: string,
  dealer: string,
  { purchasedOn = PENDING_SALE_PURCHASED, deliveredOn = addDays(PENDING_SALE_PURCHASED, 4) } = {},
): string {
  return `${serial},${modelName},${purchasedOn},${PENDING_SALE_PURCHASED},${deliveredOn},${channel},${dealer},player-one`
}

/** Writes the rows under the header in the world's data folder and imports them. */
function importSalesFile(world: ClaimsWorld, name: string, rows: string[]) {
  const file = path.join(world.database.dataDir, name)
  fs.writeFileSync(file, `${[SALES_HEADER, ...rows].join('\n')}\n`)
  return importUnits(world.ctx, { file })
}

/** A Player One camera dealer 1 sold, its sale confirmed, with a cancelled claim and an open one. */
async function confirmedSaleWithClaims(world: ClaimsWorld) {
  const serial = await seedUnit(world, {
    model: 'player-one-zeus-455m-pro',
    policy: 'player-one',
    sellerOrgId: ORG.playerOne,
    channel: 'dealer',
    dealerOrgId: ORG.starlight,
    purchasedOn: PENDING_SALE_PURCHASED,
  })
  const closed = await openClaimAs(world, world.customer, openClaimBody(serial))
  await act(world, world.staff, closed.id, 'cancel', { reason: 'Opened twice' })
  const open = await openClaimAs(world, world.customer, openClaimBody(serial))
  return { serial, claimId: open.id, closedClaimId: closed.id }
}

for (const engine of testEngines()) {
  describe(`${engine}: the seller's re-import of its sales settles a dealer sale the buyer stated`, () => {
    let world: ClaimsWorld
    let modelName = ''
    before(async () => {
      world = await openClaimsWorld(engine)
      modelName = await zeusModelName(world)
    })
    after(() => world.close())

    const importRows = (name: string, rows: string[]) => importSalesFile(world, name, rows)
    const row = (serial: string, channel: string, dealer: string) =>
      saleRow(modelName, serial, channel, dealer)
    const unitOf = (serial: string) =>
      world.database.db
        .selectFrom('units')
        .select(['dealer_org_id', 'dealer_confirmed'])
        .where('serial', '=', serial)
        .executeTakeFirstOrThrow()
    const claimOf = (claimId: string) =>
      world.database.db
        .selectFrom('claims')
        .select('dealer_org_id')
        .where('id', '=', claimId)
        .executeTakeFirstOrThrow()
    // The last word on the sale: a decision taken again on it may follow.
    const lastEvent = (claimId: string) =>
      world.database.db
        .selectFrom('claim_events')
        .select(['type', 'data'])
        .where('claim_id', '=', claimId)
        .where('type', 'like', 'dealer-sale.%')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow()

    test('a row naming the same dealer confirms the sale and gives the dealer the claim opened meanwhile', async () => {
      const same = await seedPendingDealerSaleWithClaim(world)
      const other = await seedPendingDealerSaleWithClaim(world)
      const direct = await seedPendingDealerSaleWithClaim(world)
      const summary = await importRows('settle.csv', [
        row(same.serial, 'dealer', ORG.starlight),
        row(other.serial, 'dealer', ORG.prairie),
        row(direct.serial, 'direct', ''),
      ])
      assert.equal(
        summary.rejected,
        0,
        summary.rejectsPath ? fs.readFileSync(summary.rejectsPath, 'utf8') : '',
      )

      assert.deepEqual(await unitOf(same.serial), { dealer_org_id: ORG.starlight, dealer_confirmed: 1 })
      assert.equal((await claimOf(same.claimId)).dealer_org_id, ORG.starlight)
      const confirmed = await lastEvent(same.claimId)
      assert.equal(confirmed.type, 'dealer-sale.confirmed')
      assert.equal(JSON.parse(confirmed.data).source, 'import')
      // Bought from a dealer, served through it (seed 004), now that the seller's records say so.
      const sameClaim = (
        await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${same.claimId}`,
          headers: world.staff.headers,
        })
      ).json() as {
        provisionalDecision: { handler: string }
      }
      assert.equal(sameClaim.provisionalDecision.handler, 'dealer')

      // The seller's record wins: the sale is the dealer's the seller names.
      assert.deepEqual(await unitOf(other.serial), { dealer_org_id: ORG.prairie, dealer_confirmed: 1 })
      assert.equal((await claimOf(other.claimId)).dealer_org_id, ORG.prairie)
      const moved = JSON.parse((await lastEvent(other.claimId)).data) as Record<string, unknown>
      assert.equal(moved.dealerOrgId, ORG.prairie)
      assert.equal(typeof moved.statedDealerName, 'string')

      // A direct row: no dealer sold it; the customer hears the seller handles the claim.
      assert.deepEqual(await unitOf(direct.serial), { dealer_org_id: null, dealer_confirmed: 1 })
      assert.equal((await claimOf(direct.claimId)).dealer_org_id, null)
      assert.equal((await lastEvent(direct.claimId)).type, 'dealer-sale.refused')
      const mails = await world.database.db
        .selectFrom('outbox_messages')
        .select('recipient')
        .where('claim_id', '=', direct.claimId)
        .where('topic', '=', 'dealer-sale.refused')
        .execute()
      assert.equal(mails.length, 1)

      for (const { claimId } of [same, other, direct]) {
        const chain = await verifyClaimChain(world.database.db, claimId)
        assert.ok(chain.ok, JSON.stringify(chain.broken))
      }
      const answers = await world.database.db
        .selectFrom('dealer_sale_answers')
        .select(['serial', 'answer', 'answered_by_role'])
        .where('serial', 'in', [same.serial, other.serial, direct.serial])
        .orderBy('serial')
        .execute()
      assert.equal(answers.length, 3)
      assert.ok(answers.every((a) => a.answered_by_role === 'import'))

      // Imported again, nothing is settled twice.
      await importRows('settle-again.csv', [row(same.serial, 'dealer', ORG.starlight)])
      assert.equal((await lastEvent(same.claimId)).type, 'dealer-sale.confirmed')
      const events = await world.database.db
        .selectFrom('claim_events')
        .select('seq')
        .where('claim_id', '=', same.claimId)
        .where('type', '=', 'dealer-sale.confirmed')
        .execute()
      assert.equal(events.length, 1)
    })
  })
  describe(`${engine}: the seller's re-import moving a confirmed sale to another dealer moves its open claims`, () => {
    let world: ClaimsWorld
    let modelName = ''
    before(async () => {
      world = await openClaimsWorld(engine)
      modelName = await zeusModelName(world)
    })
    after(() => world.close())

    const importRows = (name: string, rows: string[]) => importSalesFile(world, name, rows)
    const row = (serial: string, channel: string, dealer: string, purchasedOn = PENDING_SALE_PURCHASED) =>
      saleRow(modelName, serial, channel, dealer, { purchasedOn })
    const claimDealer = async (claimId: string) =>
      (
        await world.database.db
          .selectFrom('claims')
          .select('dealer_org_id')
          .where('id', '=', claimId)
          .executeTakeFirstOrThrow()
      ).dealer_org_id
    const eventsOf = (claimId: string) =>
      world.database.db
        .selectFrom('claim_events')
        .select(['type', 'data'])
        .where('claim_id', '=', claimId)
        .orderBy('seq')
        .execute()
    const read = (party: { headers: Record<string, string> }, claimId: string) =>
      world.app.inject({ method: 'GET', url: `/api/v1/claims/${claimId}`, headers: party.headers })

    test('the open claim follows the new dealer with an event on its chain; the cancelled one keeps its dealer', async () => {
      const other = await confirmedSaleWithClaims(world)
      const direct = await confirmedSaleWithClaims(world)
      const same = await confirmedSaleWithClaims(world)
      const refused = await confirmedSaleWithClaims(world)
      const closedEventsBefore = (await eventsOf(other.closedClaimId)).length
      const summary = await importRows('move.csv', [
        row(other.serial, 'dealer', ORG.prairie),
        row(direct.serial, 'direct', ''),
        row(same.serial, 'dealer', ORG.starlight),
        // A row the import refuses moves nothing.
        row(refused.serial, 'dealer', ORG.prairie, 'not-a-date'),
      ])
      assert.equal(summary.rejected, 1)

      assert.equal(await claimDealer(other.claimId), ORG.prairie)
      const moved = (await eventsOf(other.claimId)).findLast((e) => e.type.startsWith('dealer-sale.'))
      assert.equal(moved?.type, 'dealer-sale.moved')
      const data = JSON.parse(moved?.data ?? '{}') as Record<string, unknown>
      assert.equal(data.dealerOrgId, ORG.prairie)
      assert.equal(data.previousDealerOrgId, ORG.starlight)
      assert.equal(data.source, 'import')
      assert.equal(typeof data.dealerName, 'string')
      assert.equal(typeof data.previousDealerName, 'string')
      // The closed claim's history is as it was, and its dealer still the one that served it.
      assert.equal(await claimDealer(other.closedClaimId), ORG.starlight)
      assert.equal((await eventsOf(other.closedClaimId)).length, closedEventsBefore)

      // The new dealer reads the claim; the old one no longer does.
      assert.equal((await read(world.otherDealer, other.claimId)).statusCode, 200)
      assert.equal((await read(world.dealer, other.claimId)).statusCode, 404)

      // A direct row: the seller's own sale, no dealer's claim.
      assert.equal(await claimDealer(direct.claimId), null)
      const toSeller = JSON.parse(
        (await eventsOf(direct.claimId)).findLast((e) => e.type.startsWith('dealer-sale.'))?.data ?? '{}',
      ) as Record<string, unknown>
      assert.equal(toSeller.dealerOrgId, null)
      assert.equal(toSeller.previousDealerOrgId, ORG.starlight)
      // The seller serves it now, as the decision says (seed 004 serves direct sales directly).
      const handlerOf = async (claimId: string) =>
        ((await read(world.staff, claimId)).json() as { provisionalDecision: { handler: string } })
          .provisionalDecision.handler
      assert.equal(await handlerOf(direct.claimId), 'vendor')
      assert.equal(await handlerOf(other.claimId), 'dealer')

      // Unchanged or refused rows move nothing.
      for (const unchanged of [same, refused]) {
        assert.equal(await claimDealer(unchanged.claimId), ORG.starlight)
        assert.ok((await eventsOf(unchanged.claimId)).every((e) => e.type !== 'dealer-sale.moved'))
      }
      for (const { claimId, closedClaimId } of [other, direct, same]) {
        for (const id of [claimId, closedClaimId]) {
          const chain = await verifyClaimChain(world.database.db, id)
          assert.ok(chain.ok, JSON.stringify(chain.broken))
        }
      }

      // Imported again, nothing moves twice.
      await importRows('move-again.csv', [row(other.serial, 'dealer', ORG.prairie)])
      const again = await eventsOf(other.claimId)
      assert.equal(again.filter((e) => e.type === 'dealer-sale.moved').length, 1)
    })
  })

  describe(`${engine}: the dealer a claim is moved to by the seller's sales hears of it by e-mail`, () => {
    let world: ClaimsWorld
    let modelName = ''
    before(async () => {
      world = await openClaimsWorld(engine)
      world.ctx.config.publicUrl = PUBLIC_URL
      modelName = await zeusModelName(world)
    })
    after(() => world.close())

    const movedMails = (claimId: string) =>
      world.database.db
        .selectFrom('outbox_messages')
        .select(['topic', 'recipient', 'locale', 'payload', 'claim_id'])
        .where('claim_id', '=', claimId)
        .where('topic', '=', 'dealer.claim-moved')
        .execute()

    test("each of the new dealer's users gets one e-mail, in either language, whose link opens the claim for that dealer only", async () => {
      const moved = await confirmedSaleWithClaims(world)
      const prairieUser = await createTestUser(world.database.db, { role: 'dealer', orgId: ORG.prairie })
      const starlightUser = await createTestUser(world.database.db, { role: 'dealer', orgId: ORG.starlight })
      await importSalesFile(world, 'moved-mail.csv', [
        saleRow(modelName, moved.serial, 'dealer', ORG.prairie),
      ])

      const mails = await movedMails(moved.claimId)
      const prairieEmails = (
        await world.database.db
          .selectFrom('users')
          .select('email')
          .where('org_id', '=', ORG.prairie)
          .where('disabled', '=', 0)
          .execute()
      ).map((u) => u.email)
      // Every active user of the new dealer, once each; nobody of the dealer it had before.
      assert.ok(prairieEmails.length >= 2)
      assert.deepEqual(mails.map((m) => m.recipient).sort(), prairieEmails.sort())
      assert.deepEqual(await movedMails(moved.closedClaimId), [], 'a closed claim does not move')
      const [mail] = mails
      assert.ok(mail)
      for (const locale of ['en', 'zh'] as const) {
        const rendered = renderEmail(mail.topic, locale, JSON.parse(mail.payload), {
          publicUrl: PUBLIC_URL,
          claimId: mail.claim_id,
        })
        assert.match(rendered.subject, locale === 'en' ? /moved to you/ : /已转给贵方/)
        const link = /https:\/\/service\.example\.com\/claims\/([^\s#"]+)/.exec(rendered.text)
        assert.ok(link, rendered.text)
        const linkedId = decodeURIComponent(link[1] ?? '')
        const read = (headers: Record<string, string>) =>
          world.app.inject({ method: 'GET', url: `/api/v1/claims/${linkedId}`, headers })
        assert.equal((await read(prairieUser.headers)).statusCode, 200)
        assert.equal((await read(starlightUser.headers)).statusCode, 404)
      }
    })

    test('a direct sale the seller now says a dealer made: the dealer is told it serves the claim, as the claim now says', async () => {
      const serial = await seedUnit(world, {
        model: 'player-one-zeus-455m-pro',
        policy: 'player-one',
        sellerOrgId: ORG.playerOne,
        purchasedOn: PENDING_SALE_PURCHASED,
      })
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      assert.equal(opened.provisionalDecision?.handler, 'vendor')
      await createTestUser(world.database.db, { role: 'dealer', orgId: ORG.prairie })
      await importSalesFile(world, 'direct-to-dealer.csv', [
        saleRow(modelName, serial, 'dealer', ORG.prairie),
      ])
      const claim = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${opened.id}`,
        headers: world.staff.headers,
      })
      // Seed 004: "Purchase form dealer, we will provide warranty service through dealer."
      assert.equal(
        (claim.json() as { provisionalDecision: { handler: string } }).provisionalDecision.handler,
        'dealer',
      )
      const mails = await movedMails(opened.id)
      assert.ok(mails.length > 0)
      for (const mail of mails) assert.equal(JSON.parse(mail.payload).serves, true, mail.payload)
    })
  })

  describe(`${engine}: a file whose claims cannot follow their sales writes nothing`, () => {
    let world: ClaimsWorld
    let modelName = ''
    before(async () => {
      // As the command line opens it: alone on the file, a large load leaves the write-ahead log.
      world = await openClaimsWorld(engine, { readConnection: false })
      modelName = await zeusModelName(world)
      // The database refuses to give any claim another dealer: the step after the rows fails.
      if (engine === 'sqlite') {
        await sql`create trigger claims_keep_dealer before update of dealer_org_id on claims
          begin select raise(abort, 'claims keep their dealer'); end`.execute(world.database.db)
      } else {
        await sql`create function claims_keep_dealer() returns trigger language plpgsql as $$
          begin raise exception 'claims keep their dealer'; end $$`.execute(world.database.db)
        await sql`create trigger claims_keep_dealer before update of dealer_org_id on claims
          for each row execute function claims_keep_dealer()`.execute(world.database.db)
      }
    })
    after(() => world.close())

    /** The row moving `serial` to dealer 2, then `filler` new units sold direct. */
    const aFile = (serial: string, prefix: string, filler: number) => {
      const lines = [SALES_HEADER, saleRow(modelName, serial, 'dealer', ORG.prairie)]
      for (let i = 0; i < filler; i++)
        lines.push(
          saleRow(modelName, `${prefix}${String(i).padStart(6, '0')}`, 'direct', '', {
            deliveredOn: PENDING_SALE_PURCHASED,
          }),
        )
      return `${lines.join('\n')}\n`
    }
    const countSerials = async (prefix: string) =>
      Number(
        (
          await world.database.db
            .selectFrom('units')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('serial', 'like', `${prefix}%`)
            .executeTakeFirstOrThrow()
        ).n,
      )
    const unitDealer = async (serial: string) =>
      (
        await world.database.db
          .selectFrom('units')
          .select('dealer_org_id')
          .where('serial', '=', serial)
          .executeTakeFirstOrThrow()
      ).dealer_org_id
    const claimDealer = async (claimId: string) =>
      (
        await world.database.db
          .selectFrom('claims')
          .select('dealer_org_id')
          .where('id', '=', claimId)
          .executeTakeFirstOrThrow()
      ).dealer_org_id

    test('at the command line, a file large enough to load in one go', async () => {
      const { serial, claimId } = await confirmedSaleWithClaims(world)
      const file = path.join(world.database.dataDir, 'cli-unmovable.csv')
      // On SQLite a file this much larger than the table is read and written in one go (its
      // rows estimated from the first chunk read, hence the margin).
      fs.writeFileSync(file, aFile(serial, 'CLIFAIL', WHOLE_FILE_MIN_ROWS + 10_000))
      const { sqlite } = world.ctx
      const journals = new Set<unknown>()
      await assert.rejects(
        importUnits(world.ctx, {
          file,
          // As the command line imports.
          exclusive: true,
          onProgress: () => journals.add(sqlite?.pragma('journal_mode', { simple: true })),
        }),
        /claims keep their dealer/,
      )
      // On SQLite the rows went through the rollback journal, rolled back with the claims.
      if (sqlite) assert.deepEqual([...journals], ['delete'])
      assert.equal(await countSerials('CLIFAIL'), 0)
      assert.equal(await unitDealer(serial), ORG.starlight)
      assert.equal(await claimDealer(claimId), ORG.starlight)
      if (sqlite) {
        assert.equal(sqlite.inTransaction, false)
        assert.equal(sqlite.pragma('foreign_keys', { simple: true }), 1)
        assert.equal(sqlite.pragma('journal_mode', { simple: true }), 'wal')
        assert.equal(sqlite.prepare('pragma integrity_check').pluck().get(), 'ok')
      }
    })

    test('over HTTP, uploaded as an import job', async () => {
      const { serial, claimId } = await confirmedSaleWithClaims(world)
      const manager = (await createTestUser(world.database.db, { role: 'manager' })).headers
      const form = multipartBody([
        { name: 'file', filename: 'units.csv', type: 'text/csv', data: aFile(serial, 'WEBFAIL', 3_000) },
      ])
      const started = await world.app.inject({
        method: 'POST',
        url: '/api/v1/imports/units',
        payload: form.payload,
        headers: { 'content-type': form.contentType, ...manager },
      })
      assert.equal(started.statusCode, 202, started.body)
      const job = await waitForJob(world.app, manager, (started.json() as { id: string }).id)
      assert.equal(job.status, 'failed')
      assert.equal(await countSerials('WEBFAIL'), 0)
      assert.equal(await unitDealer(serial), ORG.starlight)
      assert.equal(await claimDealer(claimId), ORG.starlight)
    })
  })
}
