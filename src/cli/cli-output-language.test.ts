import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { seedDemo } from '../app/seed-demo.ts'
import { createTestContext } from '../app/test-context.ts'
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts'
import { DEMO_RELIABILITY_MODEL } from '../reliability/demo-seed.ts'
import { TEST_CHILD_TIMEOUT_MS } from '../shared/test-process.ts'
import { startBanner } from './start-banner.ts'

/**
 * What the command line prints for an operator to read follows the operator's language: a
 * Chinese shell reads every line of a command's report in Chinese. A line may stay without
 * Chinese only when it holds nothing but what is shown as written: ids, numbers, dates,
 * codes, paths, addresses and the names the records hold.
 */
const ROOT = path.resolve(import.meta.dirname, '../..')
const BIN = path.join(ROOT, 'bin/aftercare.js')

const HAN = /\p{Script=Han}/u
/** Flags, placeholders, paths, addresses, e-mails, times, codes with a hyphen, dot or capitals. */
const AS_WRITTEN =
  /--?[a-z][\w-]*|<[^>]*>|\S*[/.@#:]\S*|\b[a-z0-9]+(?:[-_][a-z0-9]+)+\b|\b[A-Z][A-Z0-9_-]+\b|\b[0-9a-f]{8}-[0-9a-f-]{27}\b/g
/** Codes a row shows as the operator types them back (`--state new`), and the engines' names. */
const CODES = new Set([
  ...['new', 'authorized', 'received', 'inspected', 'decided', 'quoted', 'repaired', 'replacing'],
  ...['refunded', 'forwarded', 'delivered', 'closed', 'cancelled', 'draft', 'submitted', 'accepted'],
  ...['rejected', 'paid', 'none', 'requested', 'shipped', 'sqlite', 'postgres', 'retailer'],
])

let database: TestDatabase
/** The names the seeded records hold (organisations, people, models, policies), shown as written. */
let recordNames: string[] = []

/** The words of a line that are neither Chinese nor shown as written; none in a line that has Chinese. */
function englishWordsOf(line: string): string[] {
  if (HAN.test(line)) return []
  let rest = line
  for (const name of recordNames) rest = rest.split(name).join(' ')
  return (rest.replace(AS_WRITTEN, ' ').match(/[A-Za-z]{2,}/g) ?? []).filter((word) => !CODES.has(word))
}

/** The lines of a run's output that an operator reads in English. */
const englishLines = (output: string): string[] =>
  output.split('\n').filter((line) => englishWordsOf(line).length > 0)

const envFor = (language: 'en' | 'zh', dataDir = database.dataDir): NodeJS.ProcessEnv => ({
  ...process.env,
  AFTERCARE_DATA: dataDir,
  AFTERCARE_LANGUAGE: language,
  DATABASE_URL: '',
  SMTP_URL: '',
})

interface Run {
  status: number | null
  stdout: string
  stderr: string
}

/** A run that leaves the test process free, so the two languages' runs go side by side. */
function runAsync(args: readonly string[], language: 'en' | 'zh', dataDir?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: envFor(language, dataDir),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: TEST_CHILD_TIMEOUT_MS,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

/** The same command in both languages at once; `args` is asked once per language, for values each run needs its own of. */
const inBothLanguages = async (
  args: readonly string[] | ((language: 'en' | 'zh') => string[]),
  dataDir?: (language: 'en' | 'zh') => string,
) => {
  const argsIn = (language: 'en' | 'zh') => (typeof args === 'function' ? args(language) : args)
  const [zh, en] = await Promise.all([
    runAsync(argsIn('zh'), 'zh', dataDir?.('zh')),
    runAsync(argsIn('en'), 'en', dataDir?.('en')),
  ])
  return { zh, en }
}

describe('the command line in the operator’s language', () => {
  before(async () => {
    database = await openTestDatabase('sqlite')
    await seedDemo(createTestContext(database))
    const names = await Promise.all([
      database.db.selectFrom('organisations').select('name').execute(),
      database.db.selectFrom('users').select('name').execute(),
      database.db.selectFrom('customers').select('name').execute(),
      database.db.selectFrom('claims').select('policy_id as name').distinct().execute(),
    ])
    // The history names the system itself as the actor of what it did.
    recordNames = [...new Set([...names.flat().map((row) => row.name), 'Aftercare'])].sort(
      (a, b) => b.length - a.length,
    )
  })
  after(() => database.dispose())

  describe('the checker of the output', () => {
    test('finds the English it is shown and lets codes, ids, paths and names pass', () => {
      assert.deepEqual(englishWordsOf('database is up to date'), ['database', 'is', 'up', 'to', 'date'])
      assert.deepEqual(englishWordsOf('0 claims'), ['claims'])
      assert.deepEqual(englishWordsOf('数据库已是最新'), [])
      assert.deepEqual(
        englishWordsOf(
          '  3f0c2a9e-1b2c-4d5e-8f90-123456789abc  RMA-2026-000001  new  SN-1  retailer  2026-01-02T03:04:05.000Z',
        ),
        [],
      )
      assert.deepEqual(englishWordsOf('  1. 2026-01-02T03:04:05.000Z  claim.opened  /tmp/x.csv a@b.cn'), [])
    })
  })

  describe('every command reports in the operator’s language', () => {
    let claimWithRma = ''
    let claimWithoutRma = ''
    let recoveryId = ''
    const scratch = () => database.dataDir

    before(async () => {
      const claims = await database.db.selectFrom('claims').select(['id', 'rma_number']).execute()
      claimWithRma = claims.find((c) => c.rma_number !== null)?.id ?? ''
      claimWithoutRma = claims.find((c) => c.rma_number === null)?.id ?? ''
      const recovery = await database.db.selectFrom('recovery_claims').select('id').executeTakeFirst()
      recoveryId = recovery?.id ?? ''
      assert.ok(claimWithRma && claimWithoutRma && recoveryId, 'the demo has the records the commands show')
      const units = [
        'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer',
        'LANG-0001,no-such-model,2025-01-10,2025-01-08,2025-01-09,direct,',
      ].join('\n')
      // One file each: the two languages run at once, and each import writes its own rejects beside it.
      for (const language of ['zh', 'en'])
        fs.writeFileSync(path.join(scratch(), `units-${language}.csv`), `${units}\n`)
    })

    /**
     * Each command as the operator runs it, and whether its English report has words (a row of
     * codes has none): those are the runs that show the checker is not passing what it is not shown.
     */
    const commands: {
      name: string
      args: (language: 'en' | 'zh') => string[]
      fresh?: boolean
      english: boolean
      status?: number
    }[] = [
      { name: 'migrate', args: () => ['migrate'], english: true },
      {
        name: 'user add',
        args: (language) => [
          'user',
          'add',
          '--email',
          `lang-${language}-${Date.now()}@example.com`,
          '--role',
          'support',
          '--name',
          'Lu',
        ],
        english: true,
      },
      { name: 'claims list', args: () => ['claims', 'list'], english: true },
      { name: 'claims show (no RMA yet)', args: () => ['claims', 'show', claimWithoutRma], english: true },
      { name: 'claims show (with its RMA)', args: () => ['claims', 'show', claimWithRma], english: false },
      { name: 'recoveries list', args: () => ['recoveries', 'list'], english: true },
      { name: 'recoveries derive', args: () => ['recoveries', 'derive'], english: true },
      { name: 'recoveries ledger', args: () => ['recoveries', 'ledger'], english: true },
      {
        name: 'recoveries statement',
        args: (language) => [
          'recoveries',
          'statement',
          recoveryId,
          '--out',
          path.join(scratch(), `statement-${language}.csv`),
        ],
        english: true,
      },
      { name: 'sla sweep', args: () => ['sla', 'sweep'], english: true },
      { name: 'outbox deliver', args: () => ['outbox', 'deliver'], english: true },
      // Each language writes a file of its own: the two run at once, and a second writer of one file is refused.
      {
        name: 'backup',
        args: (language) => ['backup', path.join(scratch(), `backup-${language}.jsonl`)],
        english: true,
      },
      {
        name: 'import units (a row rejected)',
        args: (language) => ['import', 'units', path.join(scratch(), `units-${language}.csv`)],
        english: true,
        status: 2,
      },
      {
        name: 'export dealers',
        args: (language) => ['export', 'dealers', '--out', path.join(scratch(), `dealers-${language}.csv`)],
        english: true,
      },
      // The demo's camera has three years of field history: fits, forecast, warnings and all.
      {
        name: 'reliability',
        args: () => [
          'reliability',
          '--model',
          DEMO_RELIABILITY_MODEL,
          '--as-of',
          '2026-01-01',
          '--term',
          'P3Y',
        ],
        english: true,
      },
      {
        name: 'reliability-warnings',
        args: () => ['reliability-warnings', '--as-of', '2026-01-01'],
        english: true,
      },
      {
        name: 'init',
        args: (language) => [
          'init',
          '--seller',
          'Lang Shop',
          '--admin',
          `init-${language}-${Date.now()}@example.com`,
        ],
        fresh: true,
        english: true,
      },
      // The demo's imported past claims have no history to check; every other chain is intact.
      { name: 'audit verify', args: () => ['audit', 'verify'], english: true },
    ]

    for (const command of commands) {
      test(`aftercare ${command.name}`, async () => {
        // A command that sets up a new installation runs in an empty data folder of its own.
        const runs = await inBothLanguages(
          command.args,
          command.fresh ? () => fs.mkdtempSync(path.join(scratch(), 'fresh-')) : undefined,
        )
        for (const language of ['zh', 'en'] as const) {
          const result = runs[language]
          const output = `${result.stdout}${result.stderr}`
          const shown = `${language} exit ${result.status}\n${output}`
          assert.equal(result.status, command.status ?? 0, shown)
          assert.ok(output.trim() !== '', `the command reports something\n${shown}`)
          if (language === 'zh') {
            assert.deepEqual(englishLines(output), [], shown)
          } else if (command.english) {
            assert.notDeepEqual(englishLines(output), [], `the English report is found English\n${shown}`)
          }
        }
      })
    }

    test('restore reports in Chinese', async () => {
      // Into a folder of its own: the other commands go on reading the demo meanwhile.
      const file = path.join(scratch(), 'restore.jsonl')
      assert.equal((await runAsync(['backup', file], 'en')).status, 0)
      const target = fs.mkdtempSync(path.join(scratch(), 'restored-'))
      const result = await runAsync(['restore', file], 'zh', target)
      assert.equal(result.status, 0, result.stderr)
      assert.match(result.stdout, HAN)
      assert.deepEqual(englishLines(result.stdout + result.stderr), [])
    })
  })

  describe('refusals of bad flags name the flag, in either language', () => {
    const refusals: { args: string[]; flag: string }[] = [
      { args: ['claims', 'list', '--limit', 'x'], flag: '--limit' },
      { args: ['claims', 'list', '--state', 'nowhere'], flag: '--state' },
      { args: ['claims', 'list', '--no-such-flag'], flag: '--no-such-flag' },
      { args: ['claims', 'list', '--limit'], flag: '--limit' },
      { args: ['recoveries', 'list', '--limit', '0'], flag: '--limit' },
      { args: ['recoveries', 'statement', 'r-1', '--out', 'x.csv', '--locale', 'fr'], flag: '--locale' },
      { args: ['recoveries', 'statement', 'r-1'], flag: '--out' },
      { args: ['user', 'add', '--email', 'x', '--role', 'admin', '--name', 'A'], flag: '--email' },
      { args: ['user', 'add', '--email', 'a@example.com', '--role', 'boss', '--name', 'A'], flag: '--role' },
      { args: ['reliability', '--model', 'm', '--as-of', '2025-02-30'], flag: '--as-of' },
      { args: ['reliability', '--model', 'm', '--term', 'three years'], flag: '--term' },
      { args: ['serve', '--port', '99999'], flag: '--port' },
      {
        args: ['init', '--seller', 'S', '--admin', 'a@example.com', '--quote-validity-days', '0'],
        flag: '--quote-validity-days',
      },
      { args: ['export', 'dealers', '--out', '/no/such/folder/x.csv'], flag: '--out' },
    ]
    for (const { args, flag } of refusals) {
      test(`aftercare ${args.join(' ')}`, async () => {
        const runs = await inBothLanguages(args)
        for (const language of ['en', 'zh'] as const) {
          const result = runs[language]
          const shown = `${language} exit ${result.status}\n${result.stderr}`
          assert.equal(result.status, 2, shown)
          // The refusal is its first line; Commander's help may follow it.
          const refusal = result.stderr.split('\n')[0] ?? ''
          assert.ok(refusal.includes(flag), `the refusal names ${flag}\n${shown}`)
          if (language === 'zh') {
            assert.match(refusal, HAN, shown)
            assert.deepEqual(englishLines(result.stderr), [], shown)
          } else {
            assert.notDeepEqual(englishWordsOf(refusal), [], shown)
          }
        }
      })
    }
  })

  describe('the banners of serve and start', () => {
    const signIns = [
      { role: 'admin', email: 'admin@demo.aftercare.local', password: 'demo-pass-1' },
      { role: 'technician', email: 'tech@demo.aftercare.local', password: 'demo-pass-1' },
    ]
    const address = 'http://127.0.0.1:43210'

    test('start keeps its English banner, with the address after "running at"', () => {
      const lines = startBanner('en', { address, engine: 'sqlite', signIns })
      assert.equal(lines[1], `Aftercare is running at ${address} (sqlite)`)
      assert.ok(lines.includes(`  API documentation: ${address}/api/docs`))
      assert.ok(lines.includes('Demo sign-ins:'))
      assert.ok(lines.includes(`  admin       admin@demo.aftercare.local  password: demo-pass-1`))
      assert.ok(lines.includes('Press Ctrl+C to stop.'))
    })

    test('start in Chinese says every line in Chinese, the address standing alone and the columns aligned', () => {
      const lines = startBanner('zh', { address, engine: 'sqlite', signIns })
      assert.deepEqual(englishLines(lines.join('\n')), [])
      assert.ok(
        lines.filter((line) => line.trim() !== '').every((line) => HAN.test(line)),
        lines.join('\n'),
      )
      assert.ok(
        lines.some((line) => line.includes(` ${address} `)),
        lines.join('\n'),
      )
      const columnsBefore = (line: string) => {
        const at = line.indexOf('@')
        const before = line.slice(0, line.lastIndexOf(' ', at) + 1)
        return before.length + (before.match(/\p{Script=Han}/gu)?.length ?? 0)
      }
      const rows = lines.filter((line) => line.includes('@demo'))
      assert.equal(rows.length, 2)
      assert.equal(columnsBefore(rows[0] ?? ''), columnsBefore(rows[1] ?? ''), rows.join('\n'))
    })

    test('serve says where it serves in the operator’s language', { timeout: 300_000 }, async () => {
      const serveIn = async (language: 'en' | 'zh', pattern: RegExp): Promise<string> => {
        const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
          cwd: ROOT,
          env: envFor(language),
        })
        try {
          return await new Promise<string>((resolve, reject) => {
            let text = ''
            const timer = setTimeout(() => reject(new Error(`no banner:\n${text}`)), 240_000)
            child.stdout?.on('data', (chunk: Buffer) => {
              text += chunk.toString()
              if (pattern.test(text)) {
                clearTimeout(timer)
                resolve(text)
              }
            })
            child.on('exit', (code) => {
              clearTimeout(timer)
              reject(new Error(`serve exited with ${code}:\n${text}`))
            })
          })
        } finally {
          if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve))
            child.kill('SIGTERM')
            await exited
          }
        }
      }
      const [en, zh] = await Promise.all([
        serveIn('en', /^Aftercare is serving on http:\/\/\S+ \(sqlite\)$/m),
        serveIn('zh', /^Aftercare 已在 http:\/\/\S+ 提供服务（sqlite）$/m),
      ])
      assert.match(en, /serving on (http:\/\/[^\s]+)/)
      assert.deepEqual(englishLines(zh), [], zh)
    })
  })
})
