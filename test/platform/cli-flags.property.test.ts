import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { Command, type Option } from 'commander'
import fc from 'fast-check'
import { sql } from 'kysely'
import { ALL_GROUPS, GROUP_OF_COMMAND } from '../../src/cli/command-groups.ts'
import { openTestDatabase, type TestDatabase } from '../../src/db/test-database.ts'
import { type ChildRun, runForTestAsync } from '../../src/shared/test-process.ts'

/*
 * Every command of the command line, under generated junk: each flag with values that are
 * empty, out of range, not numbers, impossible dates, unknown words, control characters,
 * very long, or paths that lead nowhere, plus flags given twice, unknown flags, missing
 * values and extra arguments. Whatever comes in, the answer is done (0) or bad input (2),
 * and bad input is one short line naming the flag, with nothing written.
 */

const root = path.resolve(import.meta.dirname, '../..')
const bin = path.join(root, 'bin/aftercare.js')

/**
 * The commands as the program defines them (its own list of groups), so a new command or
 * flag is covered without being listed here. `serve` and `start` run a server until stopped, so junk that happens
 * to be valid would never end. Children get no standard input, so `decide -` (the only
 * command that reads it) ends at once instead of waiting.
 */
const LONG_RUNNING = new Set(['serve', 'start'])

interface LeafCommand {
  words: string[]
  command: Command
}

/** The program as the command line builds it, every group loaded. */
const program = new Command()
for (const load of ALL_GROUPS) (await load())(program)

function leafCommands(): LeafCommand[] {
  const leaves: LeafCommand[] = []
  const walk = (command: Command, words: string[]): void => {
    for (const sub of command.commands) {
      const subWords = [...words, sub.name()]
      if (sub.commands.length > 0) walk(sub, subWords)
      else if (!LONG_RUNNING.has(sub.name())) leaves.push({ words: subWords, command: sub })
    }
  }
  walk(program, [])
  return leaves
}

// A NUL cannot be passed: arguments are C strings, so no shell can give one either.
const JUNK_VALUES = [
  '',
  ' ',
  '\t',
  '-1',
  '0',
  '1',
  '1e400',
  'NaN',
  'Infinity',
  '123456789012345678901234567890',
  '0.5',
  '2.75',
  '2025-13-45',
  '0000-01-01',
  '99999-01-01',
  '2025-02-29',
  'P-1Y',
  'no-such-choice',
  'line\nbreak',
  'lone \uD800 surrogate',
  '\u202Etxt.exe\u202C',
  'x'.repeat(5000),
  'missing/nothing.csv',
  '.',
  '..',
  '../../etc/passwd',
  '--json',
]

/** Values that pass many checks, so later flags are reached too. */
const PLAUSIBLE_VALUES = ['5', '2025-01-15', 'en', 'zh', 'P2Y', 'anna@example.com', 'SN-1', 'seed-001']

function valueFor(option: Option): fc.Arbitrary<string> {
  const choices = option.argChoices ?? []
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...JUNK_VALUES) },
    { weight: 2, arbitrary: fc.constantFrom(...PLAUSIBLE_VALUES, ...choices) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  )
}

const takesValue = (option: Option): boolean => option.required || option.optional

/** One flag as typed: `--limit x`, `--limit=x`, or a switch alone. */
function flagTokens(option: Option): fc.Arbitrary<string[]> {
  const name = option.long ?? option.short ?? option.flags
  if (!takesValue(option)) return fc.constant([name])
  return fc
    .tuple(valueFor(option), fc.boolean())
    .map(([value, joined]) => (joined && value !== '' ? [`${name}=${value}`] : [name, value]))
}

/** A command's own flags (Commander adds `--help` to every one). */
const flagsOf = (leaf: LeafCommand): Option[] =>
  leaf.command.options.filter((option) => option.long !== '--help')

const UNKNOWN_FLAGS = ['--no-such-flag', '-Z', '--limit-', '--JSON']

/** An argv for one command: its arguments and flags filled with junk, then a mishap or two. */
function argvFor(leaf: LeafCommand): fc.Arbitrary<string[]> {
  const options = flagsOf(leaf)
  const argumentValues = leaf.command.registeredArguments.map((argument) =>
    fc.oneof(fc.constantFrom(...JUNK_VALUES), fc.constantFrom(...(argument.argChoices ?? PLAUSIBLE_VALUES))),
  )
  const flags = options.map((option) =>
    // A required flag is usually there, so the values of the others get judged too.
    fc.option(flagTokens(option), { freq: option.mandatory ? 6 : 2, nil: undefined }),
  )
  const mishap = fc.oneof(
    fc.constant([] as string[]),
    fc.constantFrom(...UNKNOWN_FLAGS).map((flag) => [flag]),
    fc.constantFrom('extra', 'x'.repeat(300)).map((extra) => ['--', extra]),
    options.length === 0
      ? fc.constant(['surplus'])
      : fc.constantFrom(...options).chain((option) =>
          fc.oneof(
            // Given twice.
            fc.tuple(flagTokens(option), flagTokens(option)).map(([a, b]) => [...a, ...b]),
            // Its value missing at the end of the line.
            fc.constant([option.long ?? option.flags]),
          ),
        ),
  )
  return fc
    .tuple(fc.tuple(...argumentValues), fc.tuple(...flags), mishap, fc.integer({ min: 0, max: 2 }))
    .map(([argumentValues, flagTokenLists, mishapTokens, keptArguments]) => [
      ...leaf.words,
      // Sometimes fewer arguments than required.
      ...argumentValues.slice(0, Math.max(keptArguments, argumentValues.length - 1 + keptArguments)),
      ...flagTokenLists.flatMap((tokens) => tokens ?? []),
      ...mishapTokens,
    ])
}

interface Lane {
  database: TestDatabase
  /** The children's working folder, a few levels down so `../../etc/passwd` stays inside. */
  cwd: string
  scratch: string
}

const runAftercare = (lane: Lane, argv: readonly string[], extraEnv: NodeJS.ProcessEnv = {}) =>
  runForTestAsync(process.execPath, [bin, ...argv], {
    cwd: lane.cwd,
    env: {
      ...process.env,
      AFTERCARE_DATA: lane.database.dataDir,
      DATABASE_URL: '',
      SMTP_URL: '',
      AFTERCARE_LANGUAGE: 'en',
      ...extraEnv,
    },
  })

/** Every file under a folder, by its path inside it. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort()
}

async function laneState(lane: Lane): Promise<{ rows: Record<string, number>; files: string[] }> {
  const tables = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name
  `.execute(lane.database.db)
  const rows: Record<string, number> = {}
  for (const { name } of tables.rows) {
    const count = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(
      lane.database.db,
    )
    rows[name] = Number(count.rows[0]?.n)
  }
  return { rows, files: [...filesUnder(lane.database.dataDir), ...filesUnder(lane.scratch)] }
}

/** What stands before the help text that follows an error. */
/** The refusal before the usage Commander prints after it, in either language. */
const errorPart = (stderr: string): string => stderr.split(/\n\s*(?:Usage: |用法：)/)[0] ?? ''

/**
 * The words a refusal may name the fault by: a flag as typed or by its long name, an
 * argument by its name or by its value as typed (its start, if cut), or the command itself
 * for a wrong count of arguments (`too many arguments for 'migrate'`).
 */
function namesInArgv(leaf: LeafCommand, argv: readonly string[]): string[] {
  const typed = argv
    .filter((token) => token.startsWith('-') && token !== '--')
    .map((token) => token.split('=')[0] ?? token)
  const longNames = leaf.command.options.flatMap((option) => (option.long ? [option.long] : []))
  const argumentNames = leaf.command.registeredArguments.map((argument) => argument.name())
  const argumentValues = argv
    .slice(leaf.words.length)
    .filter((token) => !token.startsWith('-') && token.trim().length > 0)
    .map((token) => token.slice(0, 20))
  return [...typed, ...longNames, ...argumentNames, ...argumentValues, `'${leaf.command.name()}'`].filter(
    (name) => name.length > 0,
  )
}

/** Signs of a stack trace: frames, Node's internals, paths of source files. */
const STACK_TRACE = /\n\s+at |node:internal|\.ts:\d+|\.js:\d+|\/src\//

/**
 * Characters a terminal does not show as themselves: a tab, a carriage return or a bidi
 * control echoed raw moves or reorders the rest of the line.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSHOWN_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/

/**
 * A refusal's longest line: one that lists every allowed word (22 claim states) is long,
 * but not a screenful.
 */
const LONGEST_ERROR_LINE = 500
/** A value longer than this is never echoed whole. */
const LONGEST_ECHO = 100

/**
 * Whether an argument names a file that is there (an earlier run may have written one):
 * then a refusal may be about what the file holds, a field of a case or one line per
 * problem of a policy, which neither names a flag nor fits a line.
 */
function namesAFile(lane: Lane, leaf: LeafCommand, argv: readonly string[]): boolean {
  return argv.slice(leaf.words.length).some((token) => {
    try {
      return token !== '' && fs.statSync(path.resolve(lane.cwd, token)).isFile()
    } catch {
      return false
    }
  })
}

function assertRefusalIsClean(
  leaf: LeafCommand,
  argv: readonly string[],
  run: ChildRun,
  aboutAFile: boolean,
): void {
  const shown = `argv ${JSON.stringify(argv)}\nexit ${run.status}\nstderr ${run.stderr.slice(0, 2000)}`
  const error = errorPart(run.stderr).trim()
  assert.ok(error.length > 0, `a refusal says why\n${shown}`)
  const lines = error.split('\n')
  // Several flags wrong at once are each said on a line of their own, so a longer refusal is
  // one line per flag of the command, each naming a different one.
  const longNames = leaf.command.options.flatMap((option) => (option.long ? [option.long] : []))
  const flagOfLine = (line: string) =>
    longNames.find((name) => line.includes(` ${name}:`) || line.includes(`：${name}：`))
  const oneLinePerFlag =
    lines.every((line) => flagOfLine(line) !== undefined) &&
    new Set(lines.map(flagOfLine)).size === lines.length
  if (!aboutAFile) assert.ok(lines.length <= 3 || oneLinePerFlag, `a refusal is a line or two\n${shown}`)
  for (const line of lines) assert.ok(line.length <= LONGEST_ERROR_LINE, `a refusal is short\n${shown}`)
  for (const token of argv.filter((word) => word.length > LONGEST_ECHO))
    assert.ok(!run.stderr.includes(token), `a refusal cuts what it echoes\n${shown}`)
  assert.doesNotMatch(
    error,
    UNSHOWN_CHARACTERS,
    `a refusal writes control and bidi characters it echoes as escapes\n${shown}`,
  )
  assert.doesNotMatch(run.stderr, STACK_TRACE, `a refusal shows no stack trace\n${shown}`)
  assert.ok(
    aboutAFile || namesInArgv(leaf, argv).some((name) => error.includes(name)),
    `a refusal names the flag or argument at fault\n${shown}`,
  )
  assert.ok(
    run.stdout === '' || /Usage: /.test(run.stdout),
    `a refusal prints nothing but help on stdout\n${shown}`,
  )
}

async function newLane(): Promise<Lane> {
  const database = await openTestDatabase('sqlite')
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-cli-flags-'))
  const cwd = path.join(scratch, 'work', 'a', 'b')
  fs.mkdirSync(cwd, { recursive: true })
  return { database, cwd, scratch }
}

/** Runs one argv and checks the promise of the command line. */
async function checkRun(
  lane: Lane,
  leaf: LeafCommand,
  argv: readonly string[],
  language: 'en' | 'zh' = 'en',
): Promise<void> {
  const before = await laneState(lane)
  const aboutAFile = namesAFile(lane, leaf, argv)
  const run = await runAftercare(lane, argv, { AFTERCARE_LANGUAGE: language })
  const shown = `argv ${JSON.stringify(argv)}\nexit ${run.status} ${run.signal ?? ''}\nstderr ${run.stderr.slice(0, 2000)}`
  assert.equal(run.signal, null, `ends by itself\n${shown}`)
  assert.ok(run.status === 0 || run.status === 2, `exit 0 (done) or 2 (bad input)\n${shown}`)
  if (run.status !== 2) return
  assertRefusalIsClean(leaf, argv, run, aboutAFile)
  if (language === 'zh' && !aboutAFile)
    assert.match(errorPart(run.stderr), /\p{Script=Han}/u, `a refusal is worded in Chinese\n${shown}`)
  assert.deepEqual(await laneState(lane), before, `a refusal changes nothing\n${shown}`)
}

// Two lanes, each its own database and folders, run side by side: a change seen in a lane
// is the doing of the one command that ran there.
const lanes: Lane[] = []
before(async () => {
  lanes.push(await newLane(), await newLane())
})
after(async () => {
  for (const lane of lanes) {
    await lane.database.dispose()
    fs.rmSync(lane.scratch, { recursive: true, force: true })
  }
})

/**
 * Pairs of argv per command, more for commands with more to get wrong: a command with no
 * flags or arguments has only the mishaps to try. About 60 pairs, 120 runs, in all; with
 * the Chinese runs and the examples about 150, which keeps the file to a minute or two.
 */
function pairsFor(leaf: LeafCommand): number {
  const inputs = flagsOf(leaf).length + leaf.command.registeredArguments.length
  return Math.min(4, 1 + Math.ceil(inputs / 4))
}

test('every command is found in the group the program loads for it alone', () => {
  // A command left out would still run, but only after every group is loaded.
  const missing = program.commands
    .map((command) => command.name())
    .filter((name) => !(name in GROUP_OF_COMMAND))
  assert.deepEqual(missing, [])
})

describe('every command-line flag under generated junk', () => {
  for (const leaf of leafCommands()) {
    test(`aftercare ${leaf.words.join(' ')}`, { timeout: 300_000 }, async () => {
      const argv = argvFor(leaf)
      await fc.assert(
        fc.asyncProperty(argv, argv, async (first, second) => {
          const [laneA, laneB] = lanes as [Lane, Lane]
          await Promise.all([checkRun(laneA, leaf, first), checkRun(laneB, leaf, second)])
        }),
        { numRuns: pairsFor(leaf) },
      )
    })
  }
})

/** Refusals in Chinese: a dozen runs over commands drawn at random. */
const CHINESE_PAIRS = 6

test('refusals in Chinese still name the flag as typed', { timeout: 300_000 }, async () => {
  const leaves = leafCommands()
  // Drawn by index, so a counterexample shows the words run, not the whole command object.
  const argv = fc
    .nat({ max: leaves.length - 1 })
    .chain((index) => argvFor(leaves[index] as LeafCommand).map((words) => ({ index, words })))
  await fc.assert(
    fc.asyncProperty(argv, argv, async (first, second) => {
      const [laneA, laneB] = lanes as [Lane, Lane]
      await Promise.all([
        checkRun(laneA, leaves[first.index] as LeafCommand, first.words, 'zh'),
        checkRun(laneB, leaves[second.index] as LeafCommand, second.words, 'zh'),
      ])
    }),
    { numRuns: CHINESE_PAIRS },
  )
})

/** Cases generated junk found, each kept as a plain example. */
describe('refusals found by generated junk', () => {
  const refusal = async (argv: string[], language: 'en' | 'zh' = 'en'): Promise<ChildRun> => {
    const lane = lanes[0] as Lane
    const before = await laneState(lane)
    const run = await runAftercare(lane, argv, { AFTERCARE_LANGUAGE: language })
    assert.equal(run.status, 2, run.stderr)
    assert.deepEqual(await laneState(lane), before)
    return run
  }

  test('a unit serial that is not registered is bad input (2), not a failure (1)', async () => {
    const run = await refusal(['units', 'show', 'NO-SUCH-SERIAL'])
    assert.match(run.stderr, /^aftercare: serial: no unit with serial NO-SUCH-SERIAL\n$/)
  })

  test('a claim id that does not exist is bad input (2), not a failure (1)', async () => {
    const run = await refusal(['claims', 'show', 'no-such-claim'])
    assert.match(run.stderr, /^aftercare: claim: no claim no-such-claim\n$/)
  })

  test('user add names --email, not the field it fills', async () => {
    const run = await refusal(['user', 'add', '--email', '', '--role', 'admin', '--name', 'Anna'])
    assert.match(run.stderr, /^aftercare: --email: /)
  })

  test('decide --batch naming a folder names --batch', async () => {
    const run = await refusal(['decide', '--batch', '.'])
    assert.match(run.stderr, /^aftercare: --batch: cannot read \.: EISDIR/)
  })

  test('an import of a folder names <file>, as bad input, not a failure', async () => {
    const run = await refusal(['import', 'units', '.'])
    assert.match(run.stderr, /^aftercare: <file>: cannot read \.: EISDIR/)
  })

  test('a --policies folder that is not there names --policies', async () => {
    const run = await refusal(['policy', 'list', '--policies', 'no-such-folder'])
    assert.match(run.stderr, /^aftercare: --policies: policy folder no-such-folder does not exist/)
  })

  test('a 5,000-character --limit is echoed cut to its start and length', async () => {
    const run = await refusal(['claims', 'list', '--limit', 'x'.repeat(5000)])
    assert.match(run.stderr, /--limit: .*"x{60}… \(5000 characters\)"/)
    assert.ok(run.stderr.length < 200, run.stderr)
  })

  test('a restore file with a very long name is echoed cut', async () => {
    const run = await refusal(['restore', 'y'.repeat(5000)])
    assert.match(run.stderr, /… \(\d+ characters\)/)
    assert.ok(run.stderr.length < 200, run.stderr)
  })

  test('a bidi control or line break in a refused date is echoed as an escape', async () => {
    const run = await refusal(['reliability-warnings', '--as-of', '2025\u202E-01\n-15'])
    assert.match(run.stderr, /--as-of: .*"2025\\u202e-01\\u000a-15"/)
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr)
  })

  test('a case file whose name is too long is named once, cut, not again in the system error', async () => {
    const run = await refusal(['decide', 'z'.repeat(300)])
    assert.match(
      run.stderr,
      /^aftercare: file: cannot read z{60}… \(300 characters\): ENAMETOOLONG: name too long\n$/,
    )
  })

  test('an unknown option is refused in Chinese, named as typed', async () => {
    const run = await refusal(['claims', 'list', '--no-such-flag'], 'zh')
    assert.match(run.stderr, /^错误：未知选项 '--no-such-flag'\n/)
  })

  test('a 5,000-character word that is not among the choices is echoed cut', async () => {
    const run = await refusal(['import', 'k'.repeat(5000), 'file.csv'])
    assert.match(
      run.stderr,
      /^error: argument 'kind' must be one of units, .*, got 'k{60}… \(5000 characters\)'\n/,
    )
    assert.ok((run.stderr.split('\n')[0] ?? '').length < 200, run.stderr)
  })

  test('a lifecycle step that does not exist is echoed cut', async () => {
    const run = await refusal(['claims', 'act', 'some-claim', 'x'.repeat(300), '--as', 'anna@example.com'])
    assert.match(run.stderr, /^aftercare: action: no lifecycle step "x{60}… \(300 characters\)"\n$/)
  })

  test('an empty serial is refused in Chinese naming the argument', async () => {
    const run = await refusal(['units', 'show', ''], 'zh')
    assert.match(run.stderr, /^aftercare：serial：没有序列号为/)
  })

  test('an empty --model is refused in Chinese naming --model', async () => {
    const run = await refusal(['reliability', '--model', ''], 'zh')
    assert.match(run.stderr, /^aftercare：--model：没有名为/)
  })

  test('a tab given as a policy file or folder is echoed as an escape', async () => {
    const check = await refusal(['policy', 'check', '\t'])
    assert.match(check.stderr, /^aftercare: file: cannot read \\u0009: ENOENT/)
    const list = await refusal(['policy', 'list', '--policies', '\t'])
    assert.match(list.stderr, /^aftercare: --policies: policy folder \\u0009 does not exist/)
  })

  test('a backup under a name too long for the system is refused naming FILE, cut', async () => {
    const run = await refusal(['backup', 'q'.repeat(300)])
    assert.match(run.stderr, /^aftercare: FILE: cannot write .*… \(\d+ characters\): ENAMETOOLONG/)
    assert.ok(run.stderr.length < 250, run.stderr)
  })

  test('a backup onto a folder is refused naming FILE', async () => {
    const run = await refusal(['backup', ''])
    assert.match(run.stderr, /^aftercare: FILE: .* is not a file\n$/)
  })

  test('restore of a folder is refused naming FILE, not failed reading it', async () => {
    const run = await refusal(['restore', '', '--force'])
    assert.match(run.stderr, /^aftercare: FILE: .* is not a file\n$/)
  })

  test('an empty --out or --rejects is refused naming it, not read as the flag left out', async () => {
    const lane = lanes[0] as Lane
    const csv = path.join(lane.cwd, 'empty-flag-units.csv')
    fs.writeFileSync(
      csv,
      'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer\nEF-1,no-such-model,2025-01-02,,,direct,\n',
    )
    try {
      const out = await refusal(['export', 'units', '--out', ''])
      assert.match(out.stderr, /^aftercare: --out: name a file; the value given is empty\n$/)
      assert.equal(out.stdout, '', 'nothing exported to the terminal')
      const rejects = await refusal(['import', 'units', csv, '--rejects', ''], 'zh')
      assert.match(rejects.stderr, /^aftercare：--rejects：请给出文件名/)
    } finally {
      fs.rmSync(csv, { force: true })
    }
  })

  test('a --rejects path that cannot be written is refused before the import, naming --rejects', async () => {
    const lane = lanes[0] as Lane
    const csv = path.join(lane.cwd, 'rejects-nowhere.csv')
    fs.writeFileSync(
      csv,
      'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer\nRN-1,no-such-model,2025-01-02,,,direct,\n',
    )
    try {
      const missing = await refusal(['import', 'units', csv, '--rejects', 'no-such-folder/rejects.csv'])
      assert.match(
        missing.stderr,
        /^aftercare: --rejects: cannot write no-such-folder\/rejects\.csv \(ENOENT\)\n$/,
      )
      const folder = await refusal(['import', 'units', csv, '--rejects', '.'], 'zh')
      assert.match(folder.stderr, /^aftercare：--rejects：无法写入 \./)
    } finally {
      fs.rmSync(csv, { force: true })
    }
  })

  test('recoveries derive --claim naming no claim is refused, where it derived every claim or none', async () => {
    const empty = await refusal(['recoveries', 'derive', '--claim', ''])
    assert.match(empty.stderr, /^aftercare: --claim: is empty; give a value or leave the flag out\n$/)
    for (const claim of ['no-such-claim']) {
      const run = await refusal(['recoveries', 'derive', '--claim', claim])
      assert.match(run.stderr, new RegExp(`^aftercare: --claim: no claim ${claim}\n$`))
    }
    const chinese = await refusal(['recoveries', 'derive', '--claim', 'no-such-claim'], 'zh')
    assert.match(chinese.stderr, /^aftercare：--claim：没有申请 no-such-claim\n$/)
  })

  test('recoveries list and ledger with an --org naming no organisation are refused naming --org', async () => {
    for (const words of [
      ['recoveries', 'list'],
      ['recoveries', 'ledger'],
    ]) {
      const run = await refusal([...words, '--org', 'org-nobody'])
      assert.match(run.stderr, /^aftercare: --org: no organisation org-nobody\n$/)
      const empty = await refusal([...words, '--org', ' '], 'zh')
      assert.match(empty.stderr, /^aftercare：--org：为空；请给出一个值，或不加此选项\n$/)
    }
  })

  test('a --seller naming no organisation is refused naming --seller, not told to run init', async () => {
    const set = await refusal(['settings', 'set', '--quote-validity-days', '5', '--seller', 'org-nobody'])
    assert.match(set.stderr, /^aftercare: --seller: no organisation org-nobody\n$/)
    const show = await refusal(['settings', 'show', '--seller', 'org-nobody'], 'zh')
    assert.match(show.stderr, /^aftercare：--seller：没有组织 org-nobody\n$/)
  })

  test('a simulate draft that cannot be read names the draft argument', async () => {
    const run = await refusal(['simulate', ''])
    assert.match(run.stderr, /^aftercare: draft: cannot read /)
    const chinese = await refusal(['simulate', 'no-such-draft.yaml'], 'zh')
    assert.match(chinese.stderr, /^aftercare：draft：无法读取 no-such-draft\.yaml/)
  })

  test('a refusal in Chinese names --batch as typed', async () => {
    const run = await refusal(['decide', '--batch', '.'], 'zh')
    assert.match(run.stderr, /--batch：无法读取/)
  })
})

test('audit verify of a claim id that names nothing is bad input (2), not a broken chain (1)', async () => {
  const lane = lanes[0] as Lane
  const run = await runAftercare(lane, ['audit', 'verify', 'no-such-claim'])
  assert.equal(run.status, 2, run.stderr)
  assert.equal(run.stdout, '')
  assert.match(run.stderr, /no-such-claim/)
})
