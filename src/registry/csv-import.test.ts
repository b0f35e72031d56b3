import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts'
import { AppError } from '../shared/errors.ts'
import { runCsvImport } from './csv-import.ts'

let database: TestDatabase
before(async () => {
  database = await openTestDatabase('sqlite')
})
after(async () => database.dispose())

for (const code of ['40P01', '40001', 'SQLITE_BUSY']) {
  test(`a write that loses to another writer (${code}) is a conflict saying nothing was written, not an unexpected error`, async () => {
    const file = path.join(database.dataDir, `contended-${code}.csv`)
    fs.writeFileSync(file, 'serial\nA-1\nA-2\n')
    await assert.rejects(
      runCsvImport<string>(database.db, {
        file,
        fileName: 'units.csv',
        requiredColumns: ['serial'],
        prepare: (record) => record.serial ?? '',
        write: async () => {
          throw Object.assign(new Error('deadlock detected'), { code })
        },
      }),
      (error: unknown) =>
        error instanceof AppError &&
        error.status === 409 &&
        error.text?.key === 'import.contended' &&
        /nothing from this file was written/.test(error.message),
    )
  })
}

test('text after a closing quote, a space first or not, is refused in the reader’s words naming the line and column', async () => {
  for (const [name, row, column] of [
    ['space-after-quote', '"A-1" x,B', 1],
    ['letter-after-quote', 'A-1,"B"x', 2],
  ] as const) {
    const file = path.join(database.dataDir, `${name}.csv`)
    fs.writeFileSync(file, `serial,model\n${row}\n`)
    await assert.rejects(
      runCsvImport<string>(database.db, {
        file,
        fileName: 'units.csv',
        requiredColumns: ['serial'],
        prepare: (record) => record.serial ?? '',
        write: async (_trx, rows) => rows.length,
      }),
      (error: unknown) => {
        assert.ok(error instanceof AppError)
        assert.equal(error.text?.key, 'import.csv-after-quote', name)
        assert.deepEqual(error.details, { line: 2, column })
        assert.match(
          error.messageIn('zh'),
          new RegExp(`^units\\.csv，第 2 行第 ${column} 列：字段的结束引号之后还有文字`),
        )
        return true
      },
    )
  }
})
