import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { openTestDatabase } from '../db/test-database.ts'
import { runForTest } from '../shared/test-process.ts'
import { saveCalendar } from '../sla/calendar.store.ts'
import { WEEKDAYS_UTC } from '../sla/domain/builtin-calendars.ts'
import { buildCase, inspectedFinding } from './policy-test-support.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const run = (args: string[], input?: string, env: NodeJS.ProcessEnv = {}) =>
  runForTest(process.execPath, [path.join(ROOT, 'bin/aftercare.js'), ...args], {
    cwd: ROOT,
    input,
    env: { ...process.env, ...env },
    // Batches print megabytes; the default limit of one would cut them off.
    maxBuffer: 64 * 1024 * 1024,
  })

const scratchDirs: string[] = []
after(() => {
  for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true })
})
const scratch = (name: string, text: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-cli-'))
  scratchDirs.push(dir)
  const file = path.join(dir, name)
  fs.writeFileSync(file, text)
  return file
}

describe('aftercare decide and policy commands', () => {
  test('decide - prints the decision of a case read from stdin', () => {
    const result = run(
      ['decide', '-'],
      JSON.stringify(buildCase('touptek', { inspection: inspectedFinding('liquid-damage') })),
    )
    assert.equal(result.status, 0, result.stderr)
    const decision = JSON.parse(result.stdout)
    assert.equal(decision.covered, false)
    assert.equal(decision.exclusions[0].clause, 'touptek#liquid')
  })

  test('decide --batch into a file writes what it prints into a pipe, and appends to a file opened to append', () => {
    // Several megabytes, so chunks queue behind the file's writes and are filled again.
    const cases = Array.from({ length: 1000 }, (_, i) =>
      JSON.stringify(buildCase(['ist', 'touptek'][i % 2]!, { claimedOn: `2025-0${1 + (i % 9)}-1${i % 10}` })),
    )
    const file = scratch('cases.jsonl', `${cases.join('\n')}\n`)
    const piped = run(['decide', '--batch', file])
    assert.equal(piped.status, 0, piped.stderr)
    const out = path.join(path.dirname(file), 'decisions.jsonl')
    const toFile = (flags: 'w' | 'a') => {
      const fd = fs.openSync(out, flags)
      try {
        return runForTest(
          process.execPath,
          [path.join(ROOT, 'bin/aftercare.js'), 'decide', '--batch', file],
          {
            cwd: ROOT,
            stdio: ['ignore', fd, 'pipe'],
          },
        )
      } finally {
        fs.closeSync(fd)
      }
    }
    const written = toFile('w')
    assert.equal(written.status, 0, written.stderr)
    assert.ok(piped.stdout.length > 4 << 20)
    assert.equal(fs.readFileSync(out, 'utf8'), piped.stdout)
    const appended = toFile('a')
    assert.equal(appended.status, 0, appended.stderr)
    assert.equal(fs.readFileSync(out, 'utf8'), piped.stdout + piped.stdout)
  })

  test('decide --batch into a device that is full exits 1 and says why', () => {
    const file = scratch('cases.jsonl', `${JSON.stringify(buildCase('ist', {}))}\n`.repeat(400))
    const fd = fs.openSync('/dev/full', 'w')
    try {
      const result = runForTest(
        process.execPath,
        [path.join(ROOT, 'bin/aftercare.js'), 'decide', '--batch', file],
        {
          cwd: ROOT,
          stdio: ['ignore', fd, 'pipe'],
        },
      )
      assert.equal(result.status, 1)
      assert.match(result.stderr, /ENOSPC/)
    } finally {
      fs.closeSync(fd)
    }
  })

  test('decide --batch validates every line first: a bad line 3 prints nothing and exits 2', () => {
    const good = JSON.stringify(buildCase('ist'))
    const bad = JSON.stringify({ ...buildCase('ist'), product: { part: 'widget' } })
    const result = run(['decide', '--batch', scratch('cases.jsonl', `${good}\n${good}\n${bad}\n`)])
    assert.equal(result.status, 2)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /line 3\.product\.part/)
  })

  test('decide --batch - reads a pipe once and a file on standard input twice, to the same decisions', () => {
    const cases = Array.from({ length: 300 }, (_, i) =>
      buildCase(i % 2 === 0 ? 'ist' : 'player-one', { claimedOn: i % 3 === 0 ? '2025-01-20' : '2026-03-01' }),
    )
    const text = `${cases.map((c) => JSON.stringify(c)).join('\n')}\n`
    const fromFile = run(['decide', '--batch', scratch('cases.jsonl', text)])
    assert.equal(fromFile.status, 0, fromFile.stderr)
    const fromPipe = run(['decide', '--batch', '-'], text)
    assert.equal(fromPipe.status, 0, fromPipe.stderr)
    const redirected = runForTest(
      process.execPath,
      [path.join(ROOT, 'bin/aftercare.js'), 'decide', '--batch', '-'],
      {
        cwd: ROOT,
        stdio: [fs.openSync(scratch('cases.jsonl', text), 'r'), 'pipe', 'pipe'],
        maxBuffer: 64 * 1024 * 1024,
      },
    )
    assert.equal(redirected.status, 0, redirected.stderr)
    assert.equal(fromFile.stdout.split('\n').length, 301)
    assert.equal(fromPipe.stdout, fromFile.stdout)
    assert.equal(redirected.stdout, fromFile.stdout)
    const badLast = run(['decide', '--batch', '-'], `${text}{"policy":"ist"}\n`)
    assert.equal(badLast.status, 2)
    assert.equal(badLast.stdout, '')
    assert.match(badLast.stderr, /line 301/)
  })

  test('decide --batch writes one decision per line, in order', () => {
    const lines = [buildCase('ist'), buildCase('retailer', { claimedOn: '2025-01-10' })].map((c) =>
      JSON.stringify(c),
    )
    const result = run(['decide', '--batch', scratch('cases.jsonl', `${lines.join('\n')}\n`)])
    assert.equal(result.status, 0, result.stderr)
    const out = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    assert.deepEqual(
      out.map((d) => d.policy),
      ['ist@1', 'retailer@1'],
    )
  })

  test('policy check validates a file and runs its examples; a broken file names line and field, exit 2', () => {
    const ok = run(['policy', 'check', path.join(ROOT, 'policies/player-one.v1.yaml')])
    assert.equal(ok.status, 0, ok.stderr)
    assert.match(ok.stdout, /player-one@1 is valid; \d+ clauses, 2 examples pass/)
    const source = fs.readFileSync(path.join(ROOT, 'policies/player-one.v1.yaml'), 'utf8')
    const broken = run(['policy', 'check', scratch('p.yaml', source.replace('term: P2Y', 'term: two years'))])
    assert.equal(broken.status, 2)
    assert.equal(broken.stdout, '')
    assert.match(broken.stderr, /p\.yaml:\d+: clauses\.0\.term: must be an ISO 8601 duration/)
  })

  test('policy check names a file whose name holds a bidi control with the control escaped, on every line', () => {
    // U+202E turns the rest of a terminal line around: "\u202etxt.exe" would read as "exe.txt".
    const broken = run(['policy', 'check', scratch('\u202etxt.exe', '{"rows": 0}}')])
    assert.equal(broken.status, 2)
    const lines = broken.stderr.trim().split('\n')
    assert.ok(lines.length > 0 && lines.every((line) => line.includes('\\u202etxt.exe')), broken.stderr)
    assert.doesNotMatch(broken.stderr, /[\u202a-\u202e\u2066-\u2069]/)
  })

  test('policy check refuses a calendar defined nowhere at calendar, and passes one stored in the database', async () => {
    const source = fs.readFileSync(path.join(ROOT, 'policies/retailer.v1.yaml'), 'utf8')
    const file = scratch('retailer.v1.yaml', source.replace('calendar: weekdays-utc', 'calendar: eu-de'))
    const database = await openTestDatabase('sqlite')
    try {
      const check = (language: string) =>
        run(['policy', 'check', file], undefined, {
          AFTERCARE_DATA: database.dataDir,
          AFTERCARE_LANGUAGE: language,
          DATABASE_URL: '',
        })
      const refused = check('en')
      assert.equal(refused.status, 2, refused.stdout)
      assert.match(refused.stderr, /retailer\.v1\.yaml:12: calendar: names calendar eu-de/)
      const chinese = check('zh')
      assert.equal(chinese.status, 2)
      assert.match(chinese.stderr, /retailer\.v1\.yaml:12: calendar：指定的日历 eu-de/)
      await saveCalendar(
        database.db,
        { ...WEEKDAYS_UTC, id: 'eu-de', timeZone: 'Europe/Berlin' },
        'admin-1',
        new Date(),
      )
      const stored = check('en')
      assert.equal(stored.status, 0, stored.stderr)
      assert.match(stored.stdout, /retailer@1 is valid/)
    } finally {
      await database.dispose()
    }
    // Without a database yet, only the built-in calendars are defined: nothing is created to learn it.
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-cli-'))
    scratchDirs.push(empty)
    const alone = run(['policy', 'check', file], undefined, { AFTERCARE_DATA: empty, DATABASE_URL: '' })
    assert.equal(alone.status, 2)
    assert.match(alone.stderr, /calendar: names calendar eu-de/)
    assert.deepEqual(fs.readdirSync(empty), [])
  })

  test('decide keeps the policies it validated, and reads a policy file again once its text changes', () => {
    const source = fs.readFileSync(path.join(ROOT, 'policies/player-one.v1.yaml'), 'utf8')
    const file = scratch('player-one.v1.yaml', source)
    const input = JSON.stringify(buildCase('player-one'))
    const warrantyEnds = (): string => {
      const result = run(['decide', '-', '--policies', path.dirname(file)], input)
      assert.equal(result.status, 0, result.stderr)
      return JSON.parse(result.stdout).warranty.ends
    }
    assert.equal(warrantyEnds(), '2027-01-07')
    assert.equal(warrantyEnds(), '2027-01-07')
    // The command line runs from its bundle here, which keeps the documents beside itself.
    const pointer = JSON.parse(fs.readFileSync(path.join(ROOT, '.build/cli-current.json'), 'utf8'))
    const keptDir = path.join(ROOT, '.build', pointer.dir, 'policy-documents')
    assert.ok(fs.readdirSync(keptDir).length >= 5, 'the shipped policies are kept')
    fs.writeFileSync(file, source.replace('term: P2Y', 'term: P3Y'))
    assert.equal(warrantyEnds(), '2028-01-07')
    fs.writeFileSync(file, source.replace('term: P2Y', 'term: two years'))
    const broken = run(['decide', '-', '--policies', path.dirname(file)], input)
    assert.equal(broken.status, 2)
    assert.match(broken.stderr, /player-one\.v1\.yaml:\d+: clauses\.0\.term/)
  })

  test('decide starts without the YAML and validation libraries once its policies are kept, and loads them when a case needs them', () => {
    // A resolve hook that names each package module the command loads, on standard error.
    const resolveHook = `import fs from 'node:fs'
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  const at = resolved.url.lastIndexOf('/node_modules/')
  if (at >= 0) fs.writeSync(2, 'package ' + resolved.url.slice(at + 14).split('/')[0] + '\\n')
  return resolved
}`
    const hook = scratch(
      'hook.mjs',
      `import { register } from 'node:module'\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(resolveHook)}`)})\n`,
    )
    const packagesLoaded = (input: string): Set<string> => {
      const result = runForTest(
        process.execPath,
        ['--import', hook, path.join(ROOT, 'bin/aftercare.js'), 'decide', '-'],
        { cwd: ROOT, input },
      )
      assert.ok(result.status === 0 || result.status === 2, result.stderr)
      return new Set([...result.stderr.matchAll(/^package (\S+)$/gm)].map((m) => m[1]!))
    }
    assert.equal(run(['decide', '-'], JSON.stringify(buildCase('ist'))).status, 0)
    const quick = packagesLoaded(JSON.stringify(buildCase('ist')))
    assert.ok(quick.has('commander'), [...quick].join(', '))
    assert.equal(quick.has('zod'), false, [...quick].join(', '))
    assert.equal(quick.has('yaml'), false, [...quick].join(', '))
    // A case the quick check does not pass goes to the full check, which loads Zod.
    assert.ok(packagesLoaded(JSON.stringify({ ...buildCase('ist'), claimedOn: '2025-02-30' })).has('zod'))
  })

  test('policy list shows policies from an extra folder given by AFTERCARE_POLICIES', () => {
    const source = fs
      .readFileSync(path.join(ROOT, 'policies/ist.v1.yaml'), 'utf8')
      .replace('id: ist', 'id: ist-copy')
    const dir = path.dirname(
      scratch('ist-copy.v1.yaml', source.replaceAll('policy: ist\n', 'policy: ist-copy\n')),
    )
    const result = runForTest(process.execPath, [path.join(ROOT, 'bin/aftercare.js'), 'policy', 'list'], {
      cwd: ROOT,
      env: { ...process.env, AFTERCARE_POLICIES: dir },
    })
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /^ist-copy@1\t/m)
    assert.match(result.stdout, /^touptek@1\t/m)
  })

  describe('input the contract bounds', () => {
    // A case as JSON that the tests then spoil field by field.
    const base = () =>
      JSON.parse(JSON.stringify(buildCase('player-one'))) as {
        policy: string
        claimedOn: string
        product: Record<string, string>
        purchase: Record<string, string>
      }

    test('a date before 1900 exits 2 naming the field', () => {
      const input = base()
      input.purchase.deliveredOn = '1899-12-31'
      const result = run(['decide', '-'], JSON.stringify(input))
      assert.equal(result.status, 2)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, /purchase\.deliveredOn/)
    })

    test('a term longer than P99Y exits 2 naming the field; P99Y itself is decided', () => {
      const input = base()
      input.product.warrantyTerm = 'P100Y'
      const refused = run(['decide', '-'], JSON.stringify(input))
      assert.equal(refused.status, 2)
      assert.match(refused.stderr, /product\.warrantyTerm/)
      input.product.warrantyTerm = 'P99Y'
      input.claimedOn = '9999-12-31'
      input.purchase.deliveredOn = '9999-01-01'
      input.purchase.purchasedOn = '9999-01-01'
      input.purchase.shippedOn = '9999-01-01'
      const decided = run(['decide', '-'], JSON.stringify(input))
      assert.equal(decided.status, 0, decided.stderr)
      assert.equal(JSON.parse(decided.stdout).warranty.ends, '9999-12-31')
    })

    test('facts out of order are decided, never refused: a claim before the purchase says so', () => {
      const input = base()
      input.claimedOn = '2024-12-01'
      input.purchase.activatedOn = '2024-01-01'
      const result = run(['decide', '--batch', scratch('cases.jsonl', `${JSON.stringify(input)}\n`)])
      assert.equal(result.status, 0, result.stderr)
      const decision = JSON.parse(result.stdout)
      assert.equal(decision.covered, false)
      assert.equal(decision.exclusions[0].code, 'inconsistent-dates')
      assert.match(decision.explanation.en, /2024-12-01/)
    })

    test('invalid UTF-8 inside a string is an error naming the line', () => {
      const good = JSON.stringify(base())
      const bad = Buffer.concat([
        Buffer.from(good.replace('"host"', '"ho')),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('st"\n'),
      ])
      const file = scratch('cases.jsonl', '')
      fs.writeFileSync(file, Buffer.concat([Buffer.from(`${good}\n`), bad]))
      const result = run(['decide', '--batch', file])
      assert.equal(result.status, 2)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, /line 2: is not valid UTF-8/)
    })

    test('a --policy-version that does not exist exits 2 naming the flag', () => {
      const result = run(['decide', '--policy-version', '7', '-'], JSON.stringify(base()))
      assert.equal(result.status, 2)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, /--policy-version/)
      const batch = run([
        'decide',
        '--policy-version',
        '7',
        '--batch',
        scratch('c.jsonl', JSON.stringify(base())),
      ])
      assert.equal(batch.status, 2)
      assert.match(batch.stderr, /--policy-version/)
    })

    test('an echoed value is cut to a readable length', () => {
      const input = base()
      input.policy = 'x'.repeat(5000)
      const result = run(['decide', '-'], JSON.stringify(input))
      assert.equal(result.status, 2)
      assert.ok(result.stderr.length < 400, result.stderr)
      assert.match(result.stderr, /5000 characters/)
    })
  })
})
