import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { Command } from 'commander'
import { runForTest } from '../shared/test-process.ts'
import { ALL_GROUPS } from './command-groups.ts'
import { HELP_ZH } from './help-zh.ts'

/**
 * An operator whose shell speaks Chinese reads the command line's ordinary output (help, a
 * policy checked, a simulation, the history verified) in Chinese. What may stay as written:
 * flags and placeholders, codes with a hyphen or in capitals, file names, ids and the names
 * of formats and products.
 */
const ROOT = path.resolve(import.meta.dirname, '../..')
const AS_WRITTEN =
  /--?[a-z][\w-]*|<[^>]*>|\[[^\]]*\]|`[^`]*`|\S*[/.@#]\S*|\b[a-z]+(?:-[a-z]+)+\b|\b[A-Z][A-Z0-9_]+\b|\{\w+\}/g
const NAMES = new Set([
  'aftercare',
  'SQLite',
  'Weibull',
  'IBAN',
  'YYYY-MM-DD',
  ...['customer', 'dealer', 'support', 'technician', 'manager', 'admin', 'integration'],
  ...[
    'en',
    'zh',
    'retailer',
    'draft',
    'submitted',
    'accepted',
    'rejected',
    'paid',
    'closed',
    'submit',
    'accept',
  ],
  ...['reject', 'close', 'new', 'authorized', 'received', 'inspected', 'decided', 'quoted', 'repaired'],
  ...['replacing', 'refunded', 'forwarded', 'delivered', 'cancelled', 'cancel', 'help', 'draft'],
])

// Command names are typed as they are, like flags; argument names are placeholders, as in the usage.
const program = new Command().name('aftercare')
for (const load of ALL_GROUPS) (await load())(program)
const commandNames = (command: Command): string[] =>
  command.commands.flatMap((c) => [
    c.name(),
    ...c.registeredArguments.map((a) => a.name()),
    ...commandNames(c),
  ])
for (const name of commandNames(program)) NAMES.add(name)

function englishWordsIn(text: string): string[] {
  return (text.replace(AS_WRITTEN, ' ').match(/[A-Za-z]{2,}/g) ?? []).filter((word) => !NAMES.has(word))
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-cli-zh-'))
after(() => fs.rmSync(scratch, { recursive: true, force: true }))
const run = (args: string[], language = 'zh_CN.UTF-8') =>
  runForTest(process.execPath, [path.join(ROOT, 'bin/aftercare.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LANG: language, LC_ALL: '', AFTERCARE_LANGUAGE: '', AFTERCARE_DATA: scratch },
  })

describe('the command line under a Chinese locale', () => {
  test('every command, option and argument has its help in Chinese, without English words', () => {
    const missing: string[] = []
    const walk = (command: Command, where: string) => {
      const texts = [
        command.description(),
        ...command.registeredArguments.map((a) => a.description),
        ...command.options.map((o) => o.description),
      ].filter((text) => text !== '')
      for (const text of texts) {
        const zh = HELP_ZH[text]
        if (zh === undefined) missing.push(`${where}: ${text}`)
        else assert.deepEqual(englishWordsIn(zh), [], `${where}: ${zh}`)
      }
      for (const sub of command.commands) walk(sub, `${where} ${sub.name()}`)
    }
    walk(program, 'aftercare')
    assert.deepEqual(missing, [])
  })

  test('an option that defaults to today says in which zone, in English and in Chinese', () => {
    const dated: string[] = []
    const walk = (command: Command) => {
      for (const option of command.options)
        if (/\btoday\b/.test(option.description)) {
          dated.push(option.description)
          assert.match(option.description, /\bzone\b/, option.description)
          assert.match(HELP_ZH[option.description] ?? '', /时区/, option.description)
        }
      for (const sub of command.commands) walk(sub)
    }
    walk(program)
    assert.ok(dated.length >= 2, 'the analysis dates are found')
  })

  for (const args of [
    ['--help'],
    ['policy', '--help'],
    ['simulate', '--help'],
    ['audit', 'verify', '--help'],
  ]) {
    test(`aftercare ${args.join(' ')}`, () => {
      const result = run(args)
      assert.equal(result.status, 0, result.stderr)
      assert.match(result.stdout, /用法：/)
      assert.deepEqual(englishWordsIn(result.stdout), [], result.stdout)
    })
  }

  test('policy check says a policy and recovery terms are valid in Chinese', () => {
    for (const file of ['policies/ist.v1.yaml', 'policies/recovery/ist-distributor.v1.yaml']) {
      const result = run(['policy', 'check', file])
      assert.equal(result.status, 0, result.stderr)
      assert.match(result.stdout, /有效/)
      assert.deepEqual(englishWordsIn(result.stdout), [], result.stdout)
    }
    assert.match(run(['policy', 'check', 'policies/ist.v1.yaml'], 'en_GB.UTF-8').stdout, /is valid/)
  })

  test('audit verify and simulate report in Chinese', () => {
    const migrated = run(['migrate'])
    assert.equal(migrated.status, 0, migrated.stderr)
    const verified = run(['audit', 'verify'])
    assert.equal(verified.status, 0, verified.stderr)
    assert.match(verified.stdout, /每条链都完整/)
    assert.deepEqual(englishWordsIn(verified.stdout), [], verified.stdout)
    const simulated = run(['simulate', 'policies/retailer.v1.yaml'])
    assert.equal(simulated.status, 0, simulated.stderr)
    assert.match(simulated.stdout, /草稿版本/)
    assert.deepEqual(englishWordsIn(simulated.stdout), [], simulated.stdout)
  })

  test('the checker finds the English it is shown', () => {
    assert.deepEqual(englishWordsIn('用法： aftercare [选项] is valid --json'), ['is', 'valid'])
  })
})
