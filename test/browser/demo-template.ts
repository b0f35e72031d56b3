import fs from 'node:fs'
import path from 'node:path'
import { type DemoSeedReport, seedDemo } from '../../src/app/seed-demo.ts'
import { createTestContext } from '../../src/app/test-context.ts'
import { openDatabase } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrations.ts'

/**
 * The demo, seeded once for a whole test run. Every browser file starts its server on the
 * demo, each in a process of its own; seeding it there (users' password hashes, twenty claims
 * walked through real steps, the field history) took two seconds and more a file. The test
 * runner seeds it once into a folder and names that folder to the files in
 * `AFTERCARE_TEST_DEMO_TEMPLATE`; a harness on the shipped policies and SQLite starts on a copy.
 */
export const DEMO_TEMPLATE_ENV = 'AFTERCARE_TEST_DEMO_TEMPLATE'

const DATABASE_FILE = 'aftercare.db'
const REPORT_FILE = 'demo.json'

export interface DemoTemplate {
  databaseFile: string
  demo: DemoSeedReport
}

/** Seeds the demo into `dir` (made if missing): a closed SQLite file, and the sign-ins it answered. */
export async function writeDemoTemplate(dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, DATABASE_FILE)
  const handle = openDatabase({ engine: 'sqlite', file, readConnection: false })
  try {
    await migrateToLatest(handle.db)
    const demo = await seedDemo(createTestContext({ ...handle, dataDir: dir }))
    fs.writeFileSync(path.join(dir, REPORT_FILE), JSON.stringify(demo))
  } finally {
    // Closing the last connection folds the write-ahead log into the file, so the file alone is the database.
    await handle.close()
  }
  if (fs.existsSync(`${file}-wal`)) throw new Error(`the demo template ${file} kept its write-ahead log`)
}

/** The template this run's runner seeded, if it named one; a file run on its own seeds its own demo. */
export function readDemoTemplate(): DemoTemplate | undefined {
  const dir = process.env[DEMO_TEMPLATE_ENV]
  if (!dir) return undefined
  const databaseFile = path.join(dir, DATABASE_FILE)
  const reportFile = path.join(dir, REPORT_FILE)
  if (!fs.existsSync(databaseFile) || !fs.existsSync(reportFile))
    throw new Error(`${DEMO_TEMPLATE_ENV} names ${dir}, which holds no seeded demo`)
  return { databaseFile, demo: JSON.parse(fs.readFileSync(reportFile, 'utf8')) as DemoSeedReport }
}
