import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, test } from 'node:test'
import { runForTest } from '../../src/shared/test-process.ts'

const root = path.resolve(import.meta.dirname, '../..')
const FEATURES = [
  'auth',
  'claims',
  'files',
  'notify',
  'policies',
  'recoveries',
  'registry',
  'reliability',
  'reports',
  'setup',
  'sla',
]

/**
 * Lints probe files laid out like the source tree with the project's own biome.json and
 * answers the lines the boundary rule refused, per probe file.
 */
function refusedLines(probes: Record<string, string>): Record<string, number[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-boundaries-'))
  try {
    const config = JSON.parse(fs.readFileSync(path.join(root, 'biome.json'), 'utf8')) as Record<
      string,
      unknown
    >
    delete config.$schema
    fs.writeFileSync(path.join(dir, 'biome.json'), JSON.stringify(config))
    for (const [file, text] of Object.entries(probes)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
      fs.writeFileSync(path.join(dir, file), text)
    }
    const run = runForTest(
      path.join(root, 'node_modules/.bin/biome'),
      ['lint', '--vcs-enabled=false', '--max-diagnostics=200', '--colors=off', 'src'],
      { cwd: dir },
    )
    const out = `${run.stdout}${run.stderr}`
    const refused: Record<string, number[]> = {}
    for (const match of out.matchAll(/(src\/\S+\.ts):(\d+):\d+ lint\/style\/noRestrictedImports/g)) {
      const file = match[1] as string
      refused[file] = [...(refused[file] ?? []), Number(match[2])]
    }
    return refused
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

describe('features meet through their index.ts', () => {
  test('every feature has one', () => {
    for (const feature of FEATURES) {
      assert.ok(fs.existsSync(path.join(root, 'src', feature, 'index.ts')), `src/${feature}/index.ts`)
    }
  })

  test('the lint rule refuses another feature’s internals, its tables and the wiring, and allows its index', () => {
    const refused = refusedLines({
      'src/claims/probe.ts': [
        "import { insertUnitSale } from '../registry/insert-unit-sale.ts'",
        "import type { UnitsTable } from '../registry/registry.tables.ts'",
        "import { buildContext } from '../app/build-context.ts'",
        "import { findUnitBySerial } from '../registry/index.ts'",
        "import { openClaim } from './open-claim.ts'",
        'export const all = [insertUnitSale, buildContext, findUnitBySerial, openClaim] as unknown as UnitsTable',
        '',
      ].join('\n'),
      'src/claims/domain/probe.ts': [
        "import { formatPostalAddress } from '../../registry/domain/address.ts'",
        "import { findClaim } from '../../registry/index.ts'",
        'export const all = [formatPostalAddress, findClaim]',
        '',
      ].join('\n'),
      // A command adapter builds its context with the wiring, and still meets features by index.
      'src/sla/probe.cli.ts': [
        "import { buildContext } from '../app/build-context.ts'",
        "import { findClaim } from '../claims/claim.store.ts'",
        'export const all = [buildContext, findClaim]',
        '',
      ].join('\n'),
    })
    assert.deepEqual(refused['src/claims/probe.ts'], [1, 2, 3])
    // The domain core keeps its purity rule and gains the boundary: line 2 is pure and through the index.
    assert.deepEqual(refused['src/claims/domain/probe.ts'], [1])
    assert.deepEqual(refused['src/sla/probe.cli.ts'], [2])
  })

  /** Which feature's `*.tables.ts` declares each table. */
  function tableOwners(): Map<string, string> {
    const owned = new Map<string, string>()
    for (const feature of FEATURES) {
      const dir = path.join(root, 'src', feature)
      for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.tables.ts'))) {
        const text = fs.readFileSync(path.join(dir, file), 'utf8')
        for (const block of text.matchAll(/export interface \w+Tables \{([^}]*)\}/g))
          for (const table of (block[1] ?? '').matchAll(/^\s*(\w+):/gm))
            owned.set(table[1] as string, feature)
      }
    }
    return owned
  }

  /** Every table a directory of src/ queries by name, as `file: table`. */
  function tablesQueriedIn(dirName: string): { file: string; table: string }[] {
    const dir = path.join(root, 'src', dirName)
    const uses: { file: string; table: string }[] = []
    for (const file of fs.readdirSync(dir, { recursive: true }) as string[]) {
      // Migrations are frozen history and may read what the schema held when they were
      // written; tests and their support set up other features' rows on purpose.
      if (!file.endsWith('.ts') || file.endsWith('.migration.ts')) continue
      if (file.endsWith('.test.ts') || file.endsWith('test-support.ts')) continue
      const text = fs.readFileSync(path.join(dir, file), 'utf8')
      for (const use of text.matchAll(/(?:selectFrom|updateTable|insertInto|deleteFrom)\(\s*'(\w+)/g))
        uses.push({ file, table: use[1] as string })
    }
    return uses
  }

  test('notify asks the registry who has an address instead of querying customers and users itself', () => {
    const owned = tableOwners()
    const foreign = tablesQueriedIn('notify')
      .filter(({ table }) => owned.has(table) && owned.get(table) !== 'notify')
      .map(({ file, table }) => `${file}: ${table} (${owned.get(table)})`)
    assert.ok(owned.get('customers') === 'registry' && owned.get('users') === 'auth')
    assert.deepEqual(foreign, [])
  })

  test('sign-in, accounts and the HTTP wiring ask the registry about customers instead of querying them', () => {
    assert.equal(tableOwners().get('customers'), 'registry')
    const reads = ['auth', 'http'].flatMap((dirName) =>
      tablesQueriedIn(dirName)
        .filter(({ table }) => table === 'customers')
        .map(({ file }) => `src/${dirName}/${file}`),
    )
    assert.deepEqual(reads, [])
  })
})
