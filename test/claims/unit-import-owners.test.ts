import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import { sql } from 'kysely'
import { testEngines } from '../../src/db/test-database.ts'
import { importUnits } from '../../src/registry/import-units.ts'
import type { AppContext } from '../../src/shared/app-context.ts'
import {
  type ClaimsWorld,
  holdTransaction,
  holdUpload,
  newSerial,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  ownerOf,
  seedPlayerOneUnit,
  TODAY,
  waitForBlockedBy,
} from './claim-factories.ts'

const OWNERS = { alice: 'cus-alice', bob: 'cus-bob' } as const
const HEADER = 'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer,customer'
/** A sale as seedPlayerOneUnit records it, for the file to state again. */
const SALE = 'Poseidon-M PRO,2025-03-26,2025-03-26,2025-03-30,direct,'

const saleRow = (serial: string, customer: string) => `${serial},${SALE},${customer}`

function writeUnitFile(world: ClaimsWorld, rows: string[]): string {
  const file = path.join(world.database.dataDir, `${newSerial('units')}.csv`)
  fs.writeFileSync(file, `${[HEADER, ...rows].join('\n')}\n`)
  return file
}

const rejectsOf = (file: string) =>
  (
    parse(fs.readFileSync(file.replace(/\.csv$/, '.rejects.csv')), { bom: true, columns: true }) as Array<
      Record<string, string>
    >
  ).map((r) => [r.serial, r.field, r.errorKey])

const mailsAbout = (world: ClaimsWorld, serial: string) =>
  world.database.db
    .selectFrom('outbox_messages')
    .select(['topic', 'recipient'])
    .where('payload', 'like', `%${serial}%`)
    .where('channel', '=', 'email')
    .orderBy('topic')
    .execute()

/** The import as the command line runs it (on SQLite its synchronous bulk path) and as a server without that path runs it. */
function importPaths(world: ClaimsWorld): Array<[string, AppContext]> {
  const { sqlite: _bulk, ...batched } = world.ctx
  return world.ctx.sqlite
    ? [
        ['bulk', world.ctx],
        ['batched', batched],
      ]
    : [['batched', world.ctx]]
}

for (const engine of testEngines()) {
  describe(`${engine}: a units import that gives a unit another owner`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('records the transfer as staff would, clears a waiting offer and tells its buyer, the former owner and the new one, in the file’s transaction', async () => {
      for (const [name, ctx] of importPaths(world)) {
        const moved = await seedPlayerOneUnit(world)
        const firstSale = await seedPlayerOneUnit(world)
        const unchanged = await seedPlayerOneUnit(world)
        await world.database.db
          .updateTable('units')
          .set({ owner_customer_id: null })
          .where('serial', '=', firstSale)
          .execute()
        // Alice had offered the unit on; the seller's books say Bob has it now.
        const offered = await world.app.inject({
          method: 'POST',
          url: `/api/v1/units/${moved}/transfers`,
          headers: world.customer.headers,
          payload: { toEmail: `buyer.${moved.toLowerCase()}@example.com` },
        })
        assert.equal(offered.statusCode, 201, offered.body)
        const file = writeUnitFile(world, [
          saleRow(moved, `${OWNERS.bob}@example.com`),
          saleRow(firstSale, `${OWNERS.bob}@example.com`),
          saleRow(unchanged, `${OWNERS.alice}@example.com`),
        ])
        const summary = await importUnits(ctx, { file })
        assert.equal(summary.rejected, 0, name)
        assert.equal(await ownerOf(world, moved), OWNERS.bob, name)

        const transfers = await world.database.db
          .selectFrom('ownership_transfers')
          .select(['serial', 'from_customer_id', 'to_customer_id', 'transferred_on', 'recorded_by_user_id'])
          .where('serial', 'in', [moved, firstSale, unchanged])
          .execute()
        assert.deepEqual(
          transfers,
          [
            {
              serial: moved,
              from_customer_id: OWNERS.alice,
              to_customer_id: OWNERS.bob,
              transferred_on: TODAY,
              recorded_by_user_id: null,
            },
          ],
          `${name}: a unit's first owner is its sale, not a transfer`,
        )
        const unit = await world.database.db
          .selectFrom('units')
          .select('second_hand')
          .where('serial', '=', moved)
          .executeTakeFirstOrThrow()
        assert.equal(unit.second_hand, 1, `${name}: passed on, the unit is second hand`)
        const offers = await world.database.db
          .selectFrom('unit_ownership_offers')
          .select('serial')
          .where('serial', '=', moved)
          .execute()
        assert.deepEqual(offers, [], `${name}: the offer can no longer be accepted`)
        assert.deepEqual(
          (await mailsAbout(world, moved)).filter((m) => m.topic !== 'unit.offered'),
          [
            { topic: 'unit.offer-withdrawn', recipient: `buyer.${moved.toLowerCase()}@example.com` },
            { topic: 'unit.transferred', recipient: `${OWNERS.bob}@example.com` },
            { topic: 'unit.transferred-away', recipient: `${OWNERS.alice}@example.com` },
          ],
          name,
        )
        for (const serial of [firstSale, unchanged])
          assert.deepEqual(
            (await mailsAbout(world, serial)).filter((m) => m.topic.startsWith('unit.transferred')),
            [],
            `${name}: nobody is told of a change of hands that did not happen`,
          )
      }
    })

    test('tells the owner a file clears once, in their mail language, through the file’s transaction: one mail per owner cleared, however long the file', {
      skip: engine !== 'sqlite',
    }, async () => {
      await world.database.db
        .updateTable('customers')
        .set({ locale: 'zh', locale_chosen_at: `${TODAY}T08:00:00.000Z` })
        .where('id', '=', OWNERS.alice)
        .execute()
      try {
        for (const [name, ctx] of importPaths(world)) {
          const cleared = await seedPlayerOneUnit(world)
          // Alice had offered it on: her offer goes with her ownership.
          const offered = await world.app.inject({
            method: 'POST',
            url: `/api/v1/units/${cleared}/transfers`,
            headers: world.customer.headers,
            payload: { toEmail: `buyer.${cleared.toLowerCase()}@example.com` },
          })
          assert.equal(offered.statusCode, 201, offered.body)
          const kept = Array.from({ length: 2600 }, () =>
            saleRow(newSerial('KEPT'), `${OWNERS.alice}@example.com`),
          )
          await importUnits(ctx, { file: writeUnitFile(world, kept) })
          const countMail = async () =>
            Number(
              (
                await world.database.db
                  .selectFrom('outbox_messages')
                  .select((eb) => eb.fn.countAll().as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            )
          const before = await countMail()
          const summary = await importUnits(ctx, {
            file: writeUnitFile(world, [...kept, saleRow(cleared, '')]),
          })
          assert.equal(summary.rejected, 0, name)
          assert.equal(await ownerOf(world, cleared), null, name)
          const away = await world.database.db
            .selectFrom('outbox_messages')
            .select(['recipient', 'locale', 'payload'])
            .where('topic', '=', 'unit.transferred-away')
            .where('payload', 'like', `%${cleared}%`)
            .execute()
          assert.deepEqual(
            away.map((m) => [m.recipient, m.locale, (JSON.parse(m.payload) as { reason?: string }).reason]),
            [[`${OWNERS.alice}@example.com`, 'zh', 'owner-cleared']],
            name,
          )
          assert.deepEqual(
            (await mailsAbout(world, cleared)).filter((m) => m.topic !== 'unit.offered'),
            [
              { topic: 'unit.offer-withdrawn', recipient: `buyer.${cleared.toLowerCase()}@example.com` },
              { topic: 'unit.transferred-away', recipient: `${OWNERS.alice}@example.com` },
            ],
            name,
          )
          assert.equal(await countMail(), before + 2, `${name}: the 2,600 unchanged rows tell nobody`)
        }
      } finally {
        await world.database.db
          .updateTable('customers')
          .set({ locale: 'en', locale_chosen_at: null })
          .where('id', '=', OWNERS.alice)
          .execute()
      }
    })

    test('checks the open claims as each row is written: a claim opened while the file is read keeps its unit’s owner', {
      skip: engine !== 'sqlite',
    }, async () => {
      // The claim is opened after the file's first batch went in, on the connection the
      // import writes on: the import's own transaction must see it.
      const sqlite = world.ctx.sqlite
      assert.ok(sqlite)
      for (const [name, ctx] of importPaths(world)) {
        const template = await openClaimAs(
          world,
          world.customer,
          openClaimBody(await seedPlayerOneUnit(world)),
        )
        const claimed = await seedPlayerOneUnit(world)
        const fillers = Array.from({ length: 2600 }, () => saleRow(newSerial('FILL'), ''))
        const file = writeUnitFile(world, [...fillers, saleRow(claimed, `${OWNERS.bob}@example.com`)])
        const columns = sqlite
          .prepare("select name from pragma_table_info('claims')")
          .pluck()
          .all() as string[]
        const copied = columns
          .map((c) => (c === 'id' ? '@id' : c === 'serial' || c === 'unit_id' ? '@serial' : `"${c}"`))
          .join(', ')
        const openClaimMeanwhile = sqlite.prepare(
          `insert into claims (${columns.map((c) => `"${c}"`).join(', ')}) select ${copied} from claims where id = @from`,
        )
        let opened = false
        const summary = await importUnits(ctx, {
          file,
          onProgress: () => {
            if (opened) return
            opened = true
            openClaimMeanwhile.run({ id: `meanwhile-${claimed}`, serial: claimed, from: template.id })
          },
        })
        assert.ok(opened, name)
        assert.deepEqual(rejectsOf(file), [[claimed, 'customer', 'import.open-claim']], name)
        assert.equal(summary.rejected, 1, name)
        assert.equal(await ownerOf(world, claimed), OWNERS.alice, name)
      }
    })

    test('on PostgreSQL, a claim that opens while the import waits for a unit’s row keeps its unit’s owner', {
      skip: engine !== 'postgres',
    }, async () => {
      const [before, claimed] = [await seedPlayerOneUnit(world), await seedPlayerOneUnit(world)].sort()
      assert.ok(before && claimed)
      const fillers = Array.from({ length: 2600 }, () => saleRow(newSerial('FILL'), ''))
      const file = writeUnitFile(world, [
        ...fillers,
        saleRow(before, `${OWNERS.bob}@example.com`),
        saleRow(claimed, `${OWNERS.bob}@example.com`),
      ])
      // Another writer holds the row of a unit the file's second batch names first, so the
      // import waits there, after its first batch and before it reaches the claimed unit.
      let held!: () => void
      let release!: () => void
      const isHeld = new Promise<void>((resolve) => {
        held = resolve
      })
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      const holder = world.database.db.transaction().execute(async (trx) => {
        await trx.selectFrom('units').select('serial').where('serial', '=', before).forUpdate().execute()
        held()
        await released
      })
      await isHeld
      let firstBatch!: () => void
      const firstBatchWritten = new Promise<void>((resolve) => {
        firstBatch = resolve
      })
      const importing = importUnits(world.ctx, { file, onProgress: () => firstBatch() })
      try {
        await firstBatchWritten
        const claim = await openClaimAs(world, world.customer, openClaimBody(claimed))
        assert.ok(claim.id)
      } finally {
        release()
        await holder
      }
      const summary = await importing
      assert.deepEqual(rejectsOf(file), [[claimed, 'customer', 'import.open-claim']])
      assert.equal(summary.rejected, 1)
      assert.equal(await ownerOf(world, claimed), OWNERS.alice)
      assert.equal(await ownerOf(world, before), OWNERS.bob)
    })

    test('on PostgreSQL, a serial the file brings new that a claim registers while the file is read is not given to the file’s owner under the open claim', {
      skip: engine !== 'postgres',
    }, async () => {
      const serial = newSerial('NEWCLAIM')
      const file = writeUnitFile(world, [saleRow(serial, `${OWNERS.bob}@example.com`)])
      // A claim registers a serial not on file only with the claimant's proof of purchase.
      const proof = await holdUpload(world, world.customer, 'proof-of-purchase')
      // Another writer holds the claims table, so Alice's claim waits there with the unit it
      // registers written but not committed: the import reads the serial as not on file.
      let release!: () => void
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      let holderPid!: (pid: number) => void
      const holding = new Promise<number>((resolve) => {
        holderPid = resolve
      })
      const holder = world.database.db.transaction().execute(async (trx) => {
        await sql`lock table claims in share mode`.execute(trx)
        holderPid((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]?.pid ?? 0)
        await released
      })
      const claiming = world.app.inject({
        method: 'POST',
        url: '/api/v1/claims',
        headers: world.customer.headers,
        payload: openClaimBody(serial, {
          files: [proof],
          unit: { model: 'player-one-zeus-455m-pro', purchasedOn: '2025-12-01', proofOfPurchase: true },
        }),
      })
      let importing: ReturnType<typeof importUnits> | undefined
      try {
        const claimPid = await waitForBlockedBy(world, await holding)
        importing = importUnits(world.ctx, { file })
        // The import waits for the claim's unit row: it read the serial before the claim committed.
        await waitForBlockedBy(world, claimPid)
      } finally {
        release()
        await holder
      }
      const claimed = await claiming
      assert.equal(claimed.statusCode, 201, claimed.body)
      const summary = await importing
      // The claim makes nobody the owner (staff weigh the proof); the file does not either.
      assert.equal(
        await ownerOf(world, serial),
        null,
        'the claim’s unit is given to nobody under its open claim',
      )
      assert.deepEqual(rejectsOf(file), [[serial, 'customer', 'import.open-claim']])
      assert.equal(summary.rejected, 1)
    })

    test('a claim on a serial the file brings new, arriving while the file is written, is judged as a claim on the unit the file registered', async () => {
      const cases = [
        { owner: OWNERS.alice, withProof: false, status: 201, because: 'the file names the claimant' },
        {
          owner: null,
          withProof: true,
          status: 201,
          because: 'nobody owns it, and the claimant shows a proof',
        },
        { owner: null, withProof: false, status: 400, because: 'nobody owns it, and no proof is shown' },
        { owner: OWNERS.bob, withProof: true, status: 409, because: 'it is someone else’s' },
      ] as const
      for (const { owner, withProof, status, because } of cases) {
        const serial = newSerial('FILENEW')
        // A unit of the file's second batch that another writer holds, so the file waits there
        // with the new serial of its first batch written but not committed.
        const held = await seedPlayerOneUnit(world)
        const fillers = Array.from({ length: 2600 }, () => saleRow(newSerial('FILL'), ''))
        const file = writeUnitFile(world, [
          saleRow(serial, owner ? `${owner}@example.com` : ''),
          ...fillers,
          saleRow(held, `${OWNERS.alice}@example.com`),
        ])
        const files = withProof ? [await holdUpload(world, world.customer, 'proof-of-purchase')] : []
        const claim = () =>
          world.app.inject({
            method: 'POST',
            url: '/api/v1/claims',
            headers: world.customer.headers,
            payload: openClaimBody(serial, {
              files,
              unit: { model: 'Poseidon-M PRO', purchasedOn: '2025-03-26', proofOfPurchase: withProof },
            }),
          })
        let claimed: Awaited<ReturnType<typeof claim>>
        if (engine === 'postgres') {
          const holder = await holdTransaction(world, (trx) =>
            trx.selectFrom('units').select('serial').where('serial', '=', held).forUpdate().execute(),
          )
          const importing = importUnits(world.ctx, { file })
          let claiming: ReturnType<typeof claim> | undefined
          try {
            const importPid = await waitForBlockedBy(world, holder.pid)
            claiming = claim()
            // The claim waits for the file's new unit row: it read the serial as not on file.
            await waitForBlockedBy(world, importPid)
          } finally {
            await holder.release()
          }
          assert.equal((await importing).rejected, 0, because)
          claimed = await claiming
        } else {
          // SQLite writes one transaction at a time: the claim comes after the file.
          assert.equal((await importUnits(world.ctx, { file })).rejected, 0, because)
          claimed = await claim()
        }
        assert.equal(claimed.statusCode, status, `${because}: ${claimed.body}`)
        if (status === 400) assert.equal(claimed.json().error.field, 'body.files', because)
        if (status === 409) assert.doesNotMatch(claimed.body, /cus-|@example/, 'the owner is not named')
        const claims = await world.database.db
          .selectFrom('claims')
          .select('customer_id')
          .where('serial', '=', serial)
          .execute()
        assert.deepEqual(
          claims.map((c) => c.customer_id),
          status === 201 ? [OWNERS.alice] : [],
          because,
        )
        assert.equal(await ownerOf(world, serial), owner, `${because}: the file’s owner stays`)
      }
    })
  })
}
