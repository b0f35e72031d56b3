import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import fc from 'fast-check'
import { createTestContext } from '../app/test-context.ts'
import { canonicalSerial } from '../contracts/serial.ts'
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts'
import type { AppContext } from '../shared/app-context.ts'
import { formatDay, parseDay } from '../shared/day-numbers.ts'
import { aGoodRecord, aSpoiling, COLUMNS, type Record_, SERIAL_SPELLINGS } from './claim-row-arbitraries.ts'
import { AS_OF, seedRegistry } from './generated-registry.test-support.ts'
import { importClaims } from './import-claims.ts'

/**
 * Whole claims history files through the import, as a seller's old system writes them:
 * generated rows for registered units (in any spelling of their serials) and for unknown
 * ones, some spoilt in one field, some repeating an earlier row's claim, some dated before
 * the sale. Every row is imported or written to the rejects file with its line and the
 * field at fault. SQLite only: the parsing and the line numbers are the engine's business
 * nowhere (import-claims.test.ts runs both engines).
 */

/** Still the as-of day at UTC+14, where the day is latest: a claim dated the next day is in the future. */
const NOW = new Date(`${AS_OF}T09:00:00.000Z`)
/** Units of the registry: bought 400 days before the as-of day. */
const UNITS = 12
const BOUGHT = formatDay(parseDay(AS_OF) - 400)

describe('claims history files through the import (properties)', () => {
  let database: TestDatabase
  let ctx: AppContext

  before(async () => {
    database = await openTestDatabase('sqlite')
    ctx = createTestContext(database, { now: () => NOW })
  })
  after(async () => {
    await database?.dispose()
  })

  test('each row is imported, or rejected naming its line and the field at fault', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            unit: fc.integer({ min: 0, max: UNITS + 2 }), // the last ones are not registered
            days: fc.integer({ min: -30, max: 400 }), // after the purchase; some before it
            spelling: fc.integer({ min: 0, max: SERIAL_SPELLINGS.length - 1 }),
            cells: aGoodRecord,
            spoiling: fc.oneof(
              { arbitrary: fc.constant(null), weight: 3 },
              { arbitrary: aSpoiling, weight: 1 },
            ),
            repeat: fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: fc.nat(), weight: 1 }),
          }),
          { maxLength: 25 },
        ),
        fc.context(),
        async (specs, log) => {
          run += 1
          const modelId = await seedRegistry(
            ctx,
            Array.from({ length: UNITS }, () => ({
              policy: 'player-one',
              batch: null,
              daysAgo: 400,
              shipDelay: null,
              transit: null,
              claims: [],
            })),
          )
          // Each line with what it must come to, known from how it was made, not by reading it.
          const lines: Array<{
            record: Record_
            claim: string
            spoilt: string | null
            unknown: boolean
            early: boolean
          }> = []
          for (const spec of specs) {
            const earlier = spec.repeat === null ? undefined : lines[spec.repeat % Math.max(lines.length, 1)]
            if (earlier) {
              lines.push({ ...earlier })
              continue
            }
            const registered = spec.unit < UNITS
            const serial = `${modelId.toUpperCase()}-${registered ? '0' : 'NONE'}-${spec.unit}`
            const day = formatDay(parseDay(BOUGHT) + spec.days)
            const record: Record_ = {
              ...spec.cells,
              serial: SERIAL_SPELLINGS[spec.spelling]!(serial),
              claimedOn: ` ${day}`,
              ...(spec.spoiling?.change ?? {}),
            }
            lines.push({
              record,
              claim: `${serial}|${day}|${spec.cells.problemKind?.trim()}`,
              spoilt: spec.spoiling?.field ?? null,
              unknown: !registered,
              early: spec.days < 0,
            })
          }
          const expected = new Map<number, string>()
          const firstLineOf = new Map<string, number>()
          lines.forEach((l, i) => {
            const line = i + 2
            let field = ''
            if (l.spoilt !== null) field = l.spoilt
            else if (firstLineOf.has(l.claim)) field = 'serial'
            else {
              firstLineOf.set(l.claim, line)
              if (l.unknown) field = 'serial'
              else if (l.early) field = 'claimedOn'
            }
            expected.set(line, field)
          })
          const records = lines.map((l) => l.record)
          const file = path.join(database.dataDir, `history-${run}.csv`)
          fs.writeFileSync(
            file,
            stringify(records, { header: true, columns: [...COLUMNS], quoted_match: /^\s|\s$/ }),
          )
          log.log(fs.readFileSync(file, 'utf8'))
          const summary = await importClaims(ctx, { file })
          const rejects = summary.rejectsPath
            ? (parse(fs.readFileSync(summary.rejectsPath, 'utf8'), { bom: true, columns: true }) as Record<
                string,
                string
              >[])
            : []
          const refused = new Map(rejects.map((r) => [Number(r.line), r.field]))
          for (const [line, field] of expected) assert.equal(refused.get(line) ?? '', field, `line ${line}`)
          assert.equal(summary.rejected, [...expected.values()].filter((f) => f !== '').length)
          const claims = await ctx.db
            .selectFrom('claims')
            .select(['serial', 'final_decision'])
            .where('serial', 'like', `${modelId.toUpperCase()}-%`)
            .execute()
          assert.equal(claims.length, summary.imported)
          for (const c of claims) {
            assert.equal(c.serial, canonicalSerial(c.serial))
            // No silent denial: a refusal names at least one exclusion with its clause.
            const decision = JSON.parse(c.final_decision ?? 'null') as {
              covered: boolean
              exclusions: { code: string; clause: string }[]
            }
            if (!decision.covered)
              assert.ok(
                decision.exclusions.some((e) => e.clause),
                c.final_decision ?? '',
              )
          }
        },
      ),
      { numRuns: 25 },
    )
  })
})
