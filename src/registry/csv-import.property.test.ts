import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { after, before, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import { createTestContext } from '../app/test-context.ts'
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { seedDemoRegistry } from './demo-seed.ts'
import { exportRegistry } from './export-registry.ts'
import { importCustomers } from './import-parties.ts'
import { importUnits } from './import-units.ts'

const HEADER = 'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer'
/** Pieces of a line: good cells and the characters that break CSV (quotes, separators, line ends). */
const PIECE = fc.constantFrom(
  '"',
  ',',
  '\n',
  '\r',
  '\r\n',
  ' ',
  'PQ-1',
  'ares-mpro',
  '2025-01-02',
  'direct',
  '""',
  '1.25"',
)

let database: TestDatabase
let ctx: AppContext
before(async () => {
  database = await openTestDatabase('sqlite')
  ctx = createTestContext(database, { now: () => new Date('2025-06-15T10:00:00Z') })
  await seedDemoRegistry(ctx)
})
after(async () => database.dispose())

test('a file with quotes and separators anywhere is imported or refused naming the line, never an unexpected error', async () => {
  let file = 0
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(PIECE, { maxLength: 12 }), { maxLength: 6 }), async (lines) => {
      const csv = path.join(database.dataDir, `random-${file++}.csv`)
      const content = [HEADER, ...lines.map((pieces) => pieces.join(''))].join('\n')
      fs.writeFileSync(csv, content)
      try {
        await importUnits(ctx, { file: csv })
      } catch (error) {
        assert.ok(error instanceof AppError, `not a reported error: ${String(error)}`)
        const key = error.text?.key ?? ''
        assert.notEqual(key, 'import.unexpected')
        if (key.startsWith('import.csv-') || key === 'import.bad-csv') {
          const line = error.details?.line
          assert.ok(
            typeof line === 'number' && line >= 2 && line <= content.split(/\r\n|\r|\n/).length,
            `line ${String(line)}`,
          )
          assert.match(error.message, /line \d+/)
        }
      }
    }),
    { numRuns: 150 },
  )
})

test('bytes that are not UTF-8 anywhere in a file refuse it whole, naming the line they are on', async () => {
  let file = 0
  /** Byte sequences that are never UTF-8: GBK and Windows-1252 text, a lone continuation byte, an overlong form. */
  const BAD = fc.constantFrom([0xd0, 0xc7, 0xb9, 0xe2], [0xe9], [0x80], [0xc0, 0xaf], [0xe4, 0xb8])
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 40 }),
      fc.nat(),
      fc.nat(),
      BAD,
      fc.constantFrom('\n', '\r\n', '\r'),
      async (rows, lineDraw, atDraw, bad, newline) => {
        const lines = [HEADER]
        const prefix = `NU${file}-`
        for (let i = 0; i < rows; i++) lines.push(`${prefix}${i},ares-mpro,2025-01-02,,,direct,`)
        const target = lineDraw % lines.length
        const text = lines[target] as string
        const at = atDraw % (text.length + 1)
        const bytes = Buffer.concat([
          Buffer.from(
            lines
              .slice(0, target)
              .map((l) => l + newline)
              .join(''),
          ),
          Buffer.from(text.slice(0, at)),
          Buffer.from(bad),
          Buffer.from(text.slice(at) + newline),
          Buffer.from(
            lines
              .slice(target + 1)
              .map((l) => l + newline)
              .join(''),
          ),
        ])
        const csv = path.join(database.dataDir, `not-utf8-${file++}.csv`)
        fs.writeFileSync(csv, bytes)
        await assert.rejects(importUnits(ctx, { file: csv, fileName: 'units.csv' }), (error: unknown) => {
          assert.ok(error instanceof AppError, String(error))
          assert.match(error.text?.key ?? '', /^import\.not-utf8/)
          assert.equal(error.details?.line, target + 1)
          assert.match(error.message, new RegExp(`^units\\.csv, line ${target + 1}[,:]`))
          return true
        })
        const kept = await ctx.db
          .selectFrom('units')
          .select('serial')
          .where('serial', 'like', `${prefix}%`)
          .execute()
        assert.deepEqual(kept, [], 'nothing of a refused file is written')
        assert.equal(fs.existsSync(csv.replace(/\.csv$/, '.rejects.csv')), false)
      },
    ),
    { numRuns: 100 },
  )
})

test('customers exported and imported again come back as they were, whatever their names and phones hold', async () => {
  /** Pieces of names as people and old systems write them: CSV's own characters, formula starts, apostrophes, Chinese. */
  const NAME_PIECE = fc.constantFrom(
    '"',
    ',',
    '\n',
    '\r\n',
    '\r',
    '=',
    '+',
    '-',
    '@',
    "'",
    ' ',
    '\t',
    '张三',
    'é',
    'a',
    '1',
  )
  // Stored trimmed and not blank, as every door that takes a name keeps it.
  const text = fc
    .array(NAME_PIECE, { minLength: 1, maxLength: 8 })
    .map((pieces) => pieces.join('').trim())
    .filter((value) => value !== '')
  let round = 0
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 5 }), async (people) => {
      const prefix = `rt${round++}-`
      const rows = people.map(([name, phone], i) => ({
        id: `cus-${prefix}${i}`,
        email: `${prefix}${i}@example.com`,
        name,
        phone,
        locale: 'zh' as const,
        address: null,
        created_at: '2025-06-01T00:00:00.000Z',
        updated_at: '2025-06-01T00:00:00.000Z',
      }))
      await ctx.db.deleteFrom('customers').where('email', 'like', 'rt%').execute()
      await ctx.db.insertInto('customers').values(rows).execute()
      const out = new PassThrough()
      const chunks: Buffer[] = []
      out.on('data', (chunk: Buffer) => chunks.push(chunk))
      await exportRegistry(ctx, 'customers', out)
      const csv = path.join(database.dataDir, `customers-${round}.csv`)
      fs.writeFileSync(csv, Buffer.concat(chunks))
      await ctx.db.deleteFrom('customers').where('email', 'like', 'rt%').execute()
      const summary = await importCustomers(ctx, { file: csv })
      assert.equal(summary.rejected, 0)
      const back = await ctx.db
        .selectFrom('customers')
        .select(['email', 'name', 'phone'])
        .where('email', 'like', `${prefix}%`)
        .orderBy('email')
        .execute()
      assert.deepEqual(
        back.map((r) => [r.email, r.name, r.phone]),
        rows
          .map((r) => [r.email, r.name, r.phone])
          .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1)),
      )
    }),
    { numRuns: 150 },
  )
})

test('unit rows are kept or rejected one by one, each reject naming its line and column, whatever the batch, quoting, line ends and blank lines', async () => {
  let round = 0
  /** A batch cell: empty, up to the API's 64 characters, or past them; with CSV's own characters in it. */
  const batch = fc.oneof(
    fc.constant(''),
    fc
      .tuple(fc.integer({ min: 1, max: 130 }), fc.constantFrom('B', '"', ',', ' x', '批'))
      .map(([length, piece]) => `B${piece.repeat(length)}`.slice(0, length)),
  )
  const row = fc.record({
    serial: fc.nat({ max: 5 }),
    batch,
    date: fc.constantFrom('2025-01-02', '2025-02-30', '2025-1-2', ''),
  })
  await fc.assert(
    fc.asyncProperty(
      fc.array(row, { minLength: 1, maxLength: 10 }),
      fc.constantFrom('\n', '\r\n'),
      fc.boolean(),
      fc.array(fc.nat({ max: 10 }), { maxLength: 3 }),
      async (rows, newline, bom, blankAfter) => {
        const prefix = `PB${round++}X`
        const quote = (cell: string) => (/[",\s]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)
        const lines = ['serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer,batch']
        const expected: { line: number; field: string }[] = []
        const kept = new Map<string, string | null>()
        for (const [i, r] of rows.entries()) {
          const serial = `${prefix}${r.serial}`
          lines.push(`${serial},ares-mpro,${r.date},,,direct,,${quote(r.batch)}`)
          const line = lines.length
          // What a row is judged by, in the order the import judges it.
          if (r.date !== '2025-01-02') expected.push({ line, field: 'purchasedOn' })
          else if (r.batch.trim().length > 64) expected.push({ line, field: 'batch' })
          else if (kept.has(serial)) expected.push({ line, field: 'serial' })
          else kept.set(serial, r.batch.trim() || null)
          if (blankAfter.includes(i)) lines.push('')
        }
        const csv = path.join(database.dataDir, `batches-${round}.csv`)
        fs.writeFileSync(csv, `${bom ? '\uFEFF' : ''}${lines.join(newline)}${newline}`)
        const summary = await importUnits(ctx, { file: csv })
        assert.equal(summary.imported + summary.unchanged, kept.size)
        assert.equal(summary.rejected, expected.length)
        const rejectsFile = csv.replace(/\.csv$/, '.rejects.csv')
        const rejects = expected.length
          ? (parse(fs.readFileSync(rejectsFile), { bom: true, columns: true }) as Record<string, string>[])
          : []
        assert.deepEqual(
          rejects.map((r) => ({ line: Number(r.line), field: r.field })),
          expected,
        )
        const written = await ctx.db
          .selectFrom('units')
          .select(['serial', 'batch'])
          .where('serial', 'like', `${prefix}%`)
          .orderBy('serial')
          .execute()
        assert.deepEqual(
          written.map((u) => [u.serial, u.batch]),
          [...kept].sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      },
    ),
    { numRuns: 60 },
  )
})

test('dealer sale rows with one cell wrong are each rejected naming their line and that column, and write no unit (generated)', async () => {
  let round = 0
  /** One cell made wrong: the column it is in, and the text put there. */
  const spoiling = fc.constantFrom(
    { column: 'serial', value: '' },
    { column: 'model', value: 'no such camera' },
    { column: 'channel', value: 'mail order' },
    { column: 'dealer', value: 'org-nobody' },
    { column: 'purchasedOn', value: '2025-02-30' },
    { column: 'shippedOn', value: '2025-13-01' },
    { column: 'deliveredOn', value: 'next week' },
    { column: 'deliveredOn', value: '2024-12-31' },
    { column: 'policy', value: 'no-such-policy' },
  )
  const columns = [
    'serial',
    'model',
    'purchasedOn',
    'shippedOn',
    'deliveredOn',
    'channel',
    'dealer',
    'policy',
  ]
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.option(spoiling, { freq: 2, nil: null }), { minLength: 1, maxLength: 8 }),
      async (rows) => {
        const prefix = `DS${round++}X`
        const lines = [columns.join(',')]
        const expected: { line: number; field: string }[] = []
        const kept: string[] = []
        const spoilt: string[] = []
        for (const [i, spoil] of rows.entries()) {
          const serial = `${prefix}${i}`
          const sale: Record<string, string> = {
            serial,
            model: 'ares-mpro',
            purchasedOn: '2025-01-02',
            shippedOn: '2025-01-03',
            deliveredOn: '2025-01-06',
            channel: 'dealer',
            dealer: 'org-starlight-optics',
            policy: '',
          }
          if (spoil) sale[spoil.column] = spoil.value
          lines.push(columns.map((column) => sale[column]).join(','))
          if (spoil) {
            expected.push({ line: lines.length, field: spoil.column })
            spoilt.push(serial)
          } else kept.push(serial)
        }
        const csv = path.join(database.dataDir, `dealer-sales-${round}.csv`)
        fs.writeFileSync(csv, `${lines.join('\n')}\n`)
        const summary = await importUnits(ctx, { file: csv })
        const shown = lines.join('\n')
        assert.equal(summary.imported, kept.length, shown)
        assert.equal(summary.rejected, expected.length, shown)
        const rejects = expected.length
          ? (parse(fs.readFileSync(csv.replace(/\.csv$/, '.rejects.csv')), {
              bom: true,
              columns: true,
            }) as Record<string, string>[])
          : []
        assert.deepEqual(
          rejects.map((r) => ({ line: Number(r.line), field: r.field })),
          expected,
          shown,
        )
        const written = await ctx.db
          .selectFrom('units')
          .select('serial')
          .where('serial', 'like', `${prefix}%`)
          .orderBy('serial')
          .execute()
        assert.deepEqual(
          written.map((u) => u.serial),
          [...kept].sort(),
          `no unit for a rejected row\n${shown}`,
        )
      },
    ),
    { numRuns: 40 },
  )
})

test('a replacement serial in any spelling a person types is kept as the serial column keeps it (generated)', async () => {
  let round = 0
  /** A serial as typed: in lower case, in full-width characters, with spaces around. */
  const typed = fc
    .tuple(fc.stringMatching(/^[A-Z][A-Z0-9-]{0,8}$/), fc.boolean(), fc.boolean(), fc.boolean())
    .map(([serial, lower, fullWidth, padded]) => {
      let text = lower ? serial.toLowerCase() : serial
      if (fullWidth) text = Array.from(text, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('')
      return { serial, text: padded ? ` ${text} ` : text }
    })
  await fc.assert(
    fc.asyncProperty(typed, async ({ serial, text }) => {
      const own = `RPL${round++}X`
      const csv = path.join(database.dataDir, `replaced-${round}.csv`)
      fs.writeFileSync(
        csv,
        `serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer,replacedBy\n${own},ares-mpro,2025-01-02,,,direct,,"${text}"\n`,
      )
      const summary = await importUnits(ctx, { file: csv })
      assert.equal(summary.rejected, 0, JSON.stringify(text))
      const unit = await ctx.db
        .selectFrom('units')
        .select('replaced_by_serial')
        .where('serial', '=', own)
        .executeTakeFirstOrThrow()
      assert.equal(unit.replaced_by_serial, serial)
    }),
    { numRuns: 40 },
  )
})
