/**
 * Each shipped policy made wrong in one way a seller could get it wrong is refused, with an
 * error at the field that is wrong, worded in English and in Chinese; the parser, `policy
 * check` and the loader answer nothing but that refusal, and a folder holding the file loads
 * no policy at all.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import fc from 'fast-check'
import { parse, stringify } from 'yaml'
import { REMEDIES } from '../contracts/decision.ts'
import { AppError } from '../shared/errors.ts'
import { render } from '../shared/messages/translate.ts'
import { checkPolicyFile } from './check-policy-file.ts'
import { offeredRemedies, START_EVENTS } from './domain/policy-format.ts'
import { listPolicyFiles, loadPolicyLibrary, SHIPPED_POLICIES_DIR } from './load-policies.ts'
import { parsePolicyFile, policyFileError } from './parse-policy-file.ts'

fc.configureGlobal({ ...fc.readConfigureGlobal(), includeErrorInReport: true })
const RUNS = Number(process.env.AFTERCARE_PROPERTY_RUNS ?? 0) || 60

type Clause = Record<string, unknown> & { kind: string; key: string }
type Doc = Record<string, unknown> & { clauses: Clause[] }

const SHIPPED = listPolicyFiles(SHIPPED_POLICIES_DIR).map((file) => ({
  name: path.basename(file),
  document: parse(fs.readFileSync(file, 'utf8')) as Doc,
}))

/** One way to get a policy wrong: it changes the document and answers the field it broke. */
type Breakage = { what: string; apply: (document: Doc) => string | undefined }

const indexOfKind = (document: Doc, kind: string) => document.clauses.findIndex((c) => c.kind === kind)
const appended = (document: Doc, clause: Record<string, unknown>): number =>
  document.clauses.push(clause as Clause) - 1
const serviceLevel = (key: string, clock: string, extra: Record<string, unknown> = {}) => ({
  key,
  kind: 'service-level',
  text: 'Back within three working days.',
  clock,
  startOn: 'unit.received',
  stopOn: ['return.shipped'],
  amount: 3,
  unit: 'working-days',
  ...extra,
})
const supportHours = (key: string, from: string, to: string) => ({
  key,
  kind: 'support-hours',
  text: 'Support from morning to evening.',
  from,
  to,
  everyDay: true,
})

const REQUIRED_TOP = [
  'id',
  'version',
  'title',
  'effectiveFrom',
  'timeZone',
  'currency',
  'calendar',
  'clauses',
]
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'))

const aBreakage: fc.Arbitrary<Breakage> = fc.oneof(
  fc.constantFrom(...REQUIRED_TOP).map((field) => ({
    what: `without ${field}`,
    apply: (document: Doc) => {
      delete document[field]
      return field
    },
  })),
  fc.tuple(fc.constantFrom('key', 'text', 'kind'), fc.nat()).map(([field, at]) => ({
    what: `a clause without ${field}`,
    apply: (document: Doc) => {
      const index = at % document.clauses.length
      delete document.clauses[index]![field]
      return `clauses.${index}.${field}`
    },
  })),
  fc
    .tuple(fc.constantFrom(...REQUIRED_TOP), fc.constantFrom<unknown>(42, true, ['x'], { a: 1 }))
    .filter(([field, value]) => !(field === 'clauses' && Array.isArray(value)))
    .map(([field, value]) => ({
      what: `${field} of the wrong type`,
      apply: (document: Doc) => {
        document[field] = value
        return field
      },
    })),
  fc.integer({ min: -400, max: 0 }).map((days) => ({
    what: `a window of ${days} days`,
    apply: (document: Doc) => {
      const index = indexOfKind(document, 'window')
      if (index < 0) return undefined
      ;(document.clauses[index]!.within as { days: number }[])[0]!.days = days
      return `clauses.${index}.within.0.days`
    },
  })),
  fc.integer({ min: 1, max: 400 }).map((days) => ({
    what: `a window measured twice from the same event, the second time over ${days} days`,
    apply: (document: Doc) => {
      const index = indexOfKind(document, 'window')
      if (index < 0) return undefined
      const within = document.clauses[index]!.within as { days: number; from: string }[]
      within.push({ days, from: within[0]!.from })
      return `clauses.${index}.within.${within.length - 1}.from`
    },
  })),
  fc
    .string({ minLength: 1, maxLength: 20 })
    .filter((event) => !(START_EVENTS as readonly string[]).includes(event))
    .map((event) => ({
      what: `a window from ${event}`,
      apply: (document: Doc) => {
        const index = indexOfKind(document, 'window')
        if (index < 0) return undefined
        ;(document.clauses[index]!.within as { from: string }[])[0]!.from = event
        return `clauses.${index}.within.0.from`
      },
    })),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => ({
    what: 'a repeated clause key',
    apply: (document: Doc) => {
      const first = a % document.clauses.length
      const later = first + 1 + (b % (document.clauses.length - first))
      if (later >= document.clauses.length) return undefined
      document.clauses[later]!.key = document.clauses[first]!.key
      return `clauses.${later}.key`
    },
  })),
  fc.constant({
    what: 'an exclusion that names neither findings nor a fact',
    apply: (document: Doc) => {
      const index = appended(document, { key: 'bare', kind: 'exclusion', text: 'Some damage is excluded.' })
      return `clauses.${index}.findings`
    },
  }),
  fc.constantFrom(...REMEDIES).map((remedy) => ({
    what: `a limit on ${remedy}`,
    apply: (document: Doc) => {
      if (offeredRemedies(document.clauses).has(remedy)) return undefined
      const index = appended(document, {
        key: 'never-offered',
        kind: 'limit',
        text: 'No such service after a year.',
        blocks: [remedy],
        when: { inWarranty: false },
      })
      return `clauses.${index}.blocks.0`
    },
  })),
  fc
    .stringMatching(/^[A-Z]{3}$/)
    .filter((code) => !KNOWN_CURRENCIES.has(code))
    .map((code) => ({
      what: `currency ${code}`,
      apply: (document: Doc) => {
        document.currency = code
        return 'currency'
      },
    })),
  fc.constantFrom('Mars/Olympus', 'Asia/Peking', 'GMT+25', 'Europe/', 'Shanghai').map((zone) => ({
    what: `time zone ${zone}`,
    apply: (document: Doc) => {
      document.timeZone = zone
      return 'timeZone'
    },
  })),
  fc.constantFrom('2025-02-29', '2025-13-01', '2025-00-10', '2024-04-31').map((day) => ({
    what: `effectiveFrom ${day}`,
    apply: (document: Doc) => {
      document.effectiveFrom = day
      return 'effectiveFrom'
    },
  })),
  fc.constant({
    what: 'an end before the start',
    apply: (document: Doc) => {
      document.effectiveTo = '2000-01-01'
      return 'effectiveTo'
    },
  }),
  fc.constantFrom('09:00', '00:00', '23:59').map((time) => ({
    what: `support hours ending when they start, ${time}`,
    apply: (document: Doc) => `clauses.${appended(document, supportHours('desk', time, time))}.to`,
  })),
  fc.constantFrom('25:00', '9:00', '24:30', '12:60').map((time) => ({
    what: `support hours from ${time}`,
    apply: (document: Doc) => `clauses.${appended(document, supportHours('desk', time, '18:00'))}.from`,
  })),
  fc.constant({
    what: 'support hours stated twice',
    apply: (document: Doc) => {
      if (indexOfKind(document, 'support-hours') < 0)
        appended(document, supportHours('desk', '08:00', '20:00'))
      return `clauses.${appended(document, supportHours('night-desk', '20:00', '08:00'))}.kind`
    },
  }),
  fc
    .constantFrom<[string | undefined, string | undefined]>(
      [undefined, undefined],
      ['own', undefined],
      [undefined, 'agent'],
      ['own', 'own'],
    )
    .map(([first, second]) => ({
      what: `one clock set twice for brands ${first ?? 'all'} and ${second ?? 'all'}`,
      apply: (document: Doc) => {
        const brand = (given: string | undefined) => (given === undefined ? {} : { brand: given })
        appended(document, serviceLevel('back-soon', 'back', brand(first)))
        return `clauses.${appended(document, serviceLevel('back-later', 'back', { amount: 5, ...brand(second) }))}.clock`
      },
    })),
  fc
    .tuple(fc.constantFrom('remedies', 'problems', 'fallback', 'require', 'blocks', 'parts'), fc.nat())
    .map(([list, at]) => ({
      what: `an entry of ${list} given twice`,
      apply: (document: Doc) => {
        const withList = document.clauses
          .map((clause, index) => ({ clause, index }))
          .filter(({ clause }) => Array.isArray(clause[list]) && (clause[list] as unknown[]).length > 0)
        if (withList.length === 0) return undefined
        const { clause, index } = withList[at % withList.length]!
        const entries = clause[list] as unknown[]
        entries.push(entries[at % entries.length])
        return `clauses.${index}.${list}.${entries.length - 1}`
      },
    })),
  fc.constantFrom('unit.received', 'decision.made', 'claim.opened').map((event) => ({
    what: `a clock stopped by the event that starts it, ${event}`,
    apply: (document: Doc) =>
      `clauses.${appended(document, serviceLevel('at-once', 'at-once', { startOn: event, stopOn: ['return.shipped', event] }))}.stopOn.1`,
  })),
  fc.constantFrom('claim.closed', 'claim.cancelled').map((event) => ({
    what: `a clock started by ${event}, which stops every clock`,
    apply: (document: Doc) =>
      `clauses.${appended(document, serviceLevel('after-close', 'after-close', { startOn: event }))}.startOn`,
  })),
  fc.constantFrom(' ', '\n', '\t  ').map((blank) => ({
    what: 'a title of blanks',
    apply: (document: Doc) => {
      document.title = blank
      return 'title'
    },
  })),
  fc.tuple(fc.constantFrom(' ', '\n'), fc.nat()).map(([blank, at]) => ({
    what: 'a clause text of blanks',
    apply: (document: Doc) => {
      const index = at % document.clauses.length
      document.clauses[index]!.text = blank
      return `clauses.${index}.text`
    },
  })),
)

const FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-policy-refusals-'))
after(() => fs.rmSync(FOLDER, { recursive: true, force: true }))

describe('a shipped policy broken in one way', () => {
  test('is refused at the field broken, in English and Chinese, by the parser, policy check and the loader alike', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SHIPPED.map((s) => s.name)), aBreakage, (name, breakage) => {
        const document = structuredClone(SHIPPED.find((s) => s.name === name)!.document)
        const field = breakage.apply(document)
        fc.pre(field !== undefined)
        const text = stringify(document, { lineWidth: 0 })
        const parsed = parsePolicyFile(text, 'broken.yaml')
        assert.ok(!parsed.ok, `${breakage.what} was accepted`)
        const fields = parsed.errors.map((error) => error.field)
        assert.ok(fields.includes(field), `${breakage.what}: refused at ${fields.join(', ')}, not ${field}`)
        const refusal = policyFileError(parsed.errors)
        const chinese = render('zh', refusal.text!)
        assert.match(chinese, /^策略文件有错误/)
        assert.ok(chinese.includes(field), `${breakage.what}: the Chinese names no ${field}: ${chinese}`)
        assert.ok(render('en', refusal.text!).includes(`: ${field}: `))
        assert.throws(
          () => checkPolicyFile(text, 'broken.yaml'),
          (error) => error instanceof AppError && error.code === 'validation',
        )
        // Beside a sound policy, the broken one stops the folder from loading: no half library.
        fs.writeFileSync(path.join(FOLDER, 'broken.yaml'), text)
        assert.throws(
          () => loadPolicyLibrary([SHIPPED_POLICIES_DIR, FOLDER], undefined),
          (error) => error instanceof AppError && error.code === 'validation' && error.field === fields[0],
        )
      }),
      { numRuns: RUNS * SHIPPED.length },
    )
  })
})
