import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { createTestContext } from '../app/test-context.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { seedDemoRegistry } from './demo-seed.ts'
import { importUnits } from './import-units.ts'

/*
 * A units file with one thing wrong with it, anywhere: a quote out of place, bytes that are
 * not UTF-8, a row of the wrong length, a header naming a column twice or lacking one. The
 * refusal names the line and the column where it is (the header's line, and the column by
 * name, for a column missing), in English and in Chinese, and the registry is as it was.
 */

const COLUMNS = ['serial', 'model', 'purchasedOn', 'shippedOn', 'deliveredOn', 'channel', 'dealer']

/** How a file is broken, with the cell or column it is broken at. */
type Breakage =
  | { kind: 'stray-quote' | 'after-quote' | 'quote-not-closed' | 'not-utf8'; row: number; column: number }
  | { kind: 'extra-cells'; row: number; extra: number }
  | { kind: 'missing-cells'; row: number; missing: number }
  | { kind: 'duplicate-column'; repeated: number; upperCase: boolean }
  | { kind: 'missing-column'; dropped: number }

/** Where the refusal must point: its line, and its column by number or, when missing, by name. */
interface Place {
  line: number
  column: number | string
}

const cellBreakage = fc.record({
  kind: fc.constantFrom('stray-quote', 'after-quote', 'quote-not-closed', 'not-utf8') as fc.Arbitrary<
    'stray-quote' | 'after-quote' | 'quote-not-closed' | 'not-utf8'
  >,
  row: fc.nat(),
  column: fc.integer({ min: 1, max: COLUMNS.length }),
})

const breakage: fc.Arbitrary<Breakage> = fc.oneof(
  { weight: 4, arbitrary: cellBreakage },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('extra-cells' as const),
      row: fc.nat(),
      extra: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('missing-cells' as const),
      row: fc.nat(),
      missing: fc.integer({ min: 1, max: COLUMNS.length - 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('duplicate-column' as const),
      repeated: fc.nat({ max: COLUMNS.length - 1 }),
      upperCase: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('missing-column' as const),
      dropped: fc.nat({ max: COLUMNS.length - 1 }),
    }),
  },
)

/** GBK's 星光 and a lone Windows-1252 é: never UTF-8. */
const NOT_UTF8 = [Buffer.from([0xd0, 0xc7, 0xb9, 0xe2]), Buffer.from([0xe9])]

/** A cell made wrong the way a hand-edited file makes it. */
function brokenCell(kind: 'stray-quote' | 'after-quote' | 'quote-not-closed', cell: string): string {
  if (kind === 'stray-quote') return `${cell}1.25"`
  if (kind === 'after-quote') return `"${cell}"x`
  return `"${cell}`
}

/** The file's bytes and where its refusal must point. */
function brokenFile(
  prefix: string,
  rows: number,
  blankLinesAbove: number,
  newline: string,
  broken: Breakage,
): { bytes: Buffer; place: Place } {
  const header = [...COLUMNS]
  const cells = Array.from({ length: rows }, (_, i) => [
    `${prefix}${i}`,
    'ares-mpro',
    '2025-01-02',
    '',
    '',
    'direct',
    '',
  ])
  const headerLine = blankLinesAbove + 1
  let place: Place
  let badBytes: { row: number; column: number } | undefined
  switch (broken.kind) {
    case 'duplicate-column': {
      const name = COLUMNS[broken.repeated] as string
      header.push(broken.upperCase ? name.toUpperCase() : name)
      for (const row of cells) row.push('')
      place = { line: headerLine, column: header.length }
      break
    }
    case 'missing-column': {
      place = { line: headerLine, column: COLUMNS[broken.dropped] as string }
      header.splice(broken.dropped, 1)
      for (const row of cells) row.splice(broken.dropped, 1)
      break
    }
    case 'extra-cells': {
      const row = cells[broken.row % rows] as string[]
      row.push(...Array.from({ length: broken.extra }, () => 'more'))
      place = { line: headerLine + 1 + (broken.row % rows), column: COLUMNS.length + 1 }
      break
    }
    case 'missing-cells': {
      const row = cells[broken.row % rows] as string[]
      row.splice(COLUMNS.length - broken.missing)
      place = { line: headerLine + 1 + (broken.row % rows), column: row.length + 1 }
      break
    }
    case 'not-utf8': {
      badBytes = { row: broken.row % rows, column: broken.column }
      place = { line: headerLine + 1 + badBytes.row, column: broken.column }
      break
    }
    default: {
      const row = cells[broken.row % rows] as string[]
      row[broken.column - 1] = brokenCell(broken.kind, row[broken.column - 1] as string)
      place = { line: headerLine + 1 + (broken.row % rows), column: broken.column }
    }
  }
  const lines: Buffer[] = [
    ...Array.from({ length: blankLinesAbove }, () => Buffer.from('')),
    Buffer.from(header.join(',')),
    ...cells.map((row, i) => {
      if (badBytes?.row !== i) return Buffer.from(row.join(','))
      const before = row.slice(0, badBytes.column - 1).join(',')
      const after = row.slice(badBytes.column - 1).join(',')
      return Buffer.concat([
        Buffer.from(before === '' ? '' : `${before},`),
        NOT_UTF8[(badBytes.column + i) % NOT_UTF8.length] as Buffer,
        Buffer.from(after),
      ])
    }),
  ]
  return { bytes: Buffer.concat(lines.flatMap((line) => [line, Buffer.from(newline)])), place }
}

/** How the two languages say a place: line 3, column 2 / 第 3 行第 2 列; a missing column by name. */
function placeIn(language: 'en' | 'zh', place: Place): RegExp {
  const escaped = String(place.column).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  if (typeof place.column === 'string')
    return language === 'en'
      ? new RegExp(`, line ${place.line} \\(the header\\): .*\\b${escaped}\\b`)
      : new RegExp(`，第 ${place.line} 行（表头）：.*${escaped}`)
  return language === 'en'
    ? new RegExp(`, line ${place.line}, column ${escaped}\\b`)
    : new RegExp(`，第 ${place.line} 行第 ${escaped} 列`)
}

for (const engine of testEngines()) {
  describe(`a broken units file names where it is broken, and writes nothing (${engine})`, () => {
    let database: TestDatabase
    let ctx: AppContext
    before(async () => {
      database = await openTestDatabase(engine)
      ctx = createTestContext(database, { now: () => new Date('2025-06-15T10:00:00Z') })
      await seedDemoRegistry(ctx)
    })
    after(async () => database.dispose())

    const registry = async () =>
      (await ctx.db.selectFrom('units').select(['serial', 'updated_at']).orderBy('serial').execute()).map(
        (unit) => `${unit.serial} ${unit.updated_at}`,
      )

    test('every refusal names its line and column in English and Chinese (generated)', async () => {
      let round = 0
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 12 }),
          fc.nat({ max: 2 }),
          fc.constantFrom('\n', '\r\n'),
          breakage,
          async (rows, blankLinesAbove, newline, broken) => {
            const prefix = `NP${round++}X`
            const { bytes, place } = brokenFile(prefix, rows, blankLinesAbove, newline, broken)
            const csv = path.join(database.dataDir, `broken-${round}.csv`)
            fs.writeFileSync(csv, bytes)
            const shown = `${JSON.stringify(broken)}\n${bytes.toString('latin1')}`
            const before = await registry()
            await assert.rejects(importUnits(ctx, { file: csv, fileName: 'units.csv' }), (error: unknown) => {
              assert.ok(error instanceof AppError, `${String(error)}\n${shown}`)
              const english = error.messageIn('en')
              const chinese = error.messageIn('zh')
              assert.match(english, /^units\.csv, line \d+/, shown)
              assert.match(english, placeIn('en', place), shown)
              assert.match(chinese, placeIn('zh', place), shown)
              assert.match(chinese, /\p{Script=Han}/u, shown)
              assert.equal(error.details?.line, place.line, shown)
              if (typeof place.column === 'number') assert.equal(error.details?.column, place.column, shown)
              else assert.equal(error.field, place.column, shown)
              return true
            })
            assert.deepEqual(await registry(), before, `a refused file writes nothing\n${shown}`)
            assert.equal(fs.existsSync(csv.replace(/\.csv$/, '.rejects.csv')), false, shown)
          },
        ),
        { numRuns: engine === 'sqlite' ? 120 : 60 },
      )
    })
  })
}
