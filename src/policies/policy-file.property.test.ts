import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import Ajv2020 from 'ajv/dist/2020.js'
import fc from 'fast-check'
import { parse, stringify } from 'yaml'
import { createTestContext } from '../app/test-context.ts'
import { createTestUser } from '../auth/test-support.ts'
import type { WarrantyCase } from '../contracts/case.ts'
import type { Decision } from '../contracts/decision.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import { AppError } from '../shared/errors.ts'
import { localDate } from '../shared/local-date.ts'
import { fallbackCalendar } from '../sla/domain/builtin-calendars.ts'
import { planDeadlines } from '../sla/domain/clock-rules.ts'
import { aCase } from './case-arbitraries.ts'
import { checkPolicyFile } from './check-policy-file.ts'
import { compilePolicy } from './domain/compile-policy.ts'
import { listPolicyFiles, loadPolicyFile, SHIPPED_POLICIES_DIR } from './load-policies.ts'
import { type PolicyFileError, parsePolicyFile, policyFileError } from './parse-policy-file.ts'
import { createPolicyLibrary, loadedPolicy } from './policy-files.ts'

// Generated policy files: the shipped ones mutated at generated places, their round trip,
// raw junk, and the HTTP edge. Every refusal must name its field and line; nothing but a
// validation error may escape; whatever is accepted must decide cases the contract accepts.

const RUNS = Number(process.env.AFTERCARE_PROPERTY_RUNS ?? 0) || 40

const SHIPPED = listPolicyFiles(SHIPPED_POLICIES_DIR).map((file) => ({
  name: path.basename(file),
  text: fs.readFileSync(file, 'utf8'),
}))

const SCHEMA_FILE = path.resolve(import.meta.dirname, '../../contracts/decision.schema.json')
const validateDecision = new Ajv2020.default({ allErrors: true, strict: false }).compile(
  JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')),
)

/** A message long enough for any schema's own words, short enough that no echoed value survives whole. */
const MOST_MESSAGE_CHARACTERS = 400
const WHOLE_FILE_FIELDS = new Set(['(yaml)', '(root)'])

type Segment = string | number
type Tree = Record<string, unknown> | unknown[]
const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null

/** Whether a dotted field names a place in the document: an existing value, or a key of an existing object. */
function namesPlace(document: unknown, field: string): boolean {
  let node: unknown = document
  const segments = field.split('.')
  for (const [index, segment] of segments.entries()) {
    if (!isTree(node)) return false
    if (!Object.hasOwn(node, segment)) return index === segments.length - 1
    node = (node as Record<string, unknown>)[segment]
  }
  return true
}

function assertRefusal(errors: readonly PolicyFileError[], text: string, document: unknown): void {
  assert.ok(errors.length > 0, 'a refusal says why')
  const lines = text.split('\n').length
  for (const error of errors) {
    const shown = JSON.stringify(error).slice(0, 300)
    assert.ok(error.field.length > 0, shown)
    assert.ok(
      WHOLE_FILE_FIELDS.has(error.field) || namesPlace(document, error.field),
      `field is no place in the document: ${shown}`,
    )
    assert.ok(Number.isInteger(error.line) && error.line >= 1 && error.line <= lines, shown)
    assert.ok(error.message.length > 0 && error.message.length <= MOST_MESSAGE_CHARACTERS, shown)
  }
  const refusal = policyFileError(errors)
  assert.equal(refusal.code, 'validation')
  assert.ok(refusal.field)
}

/** Runs a step that may refuse its input; only a validation error naming its field may come out of it. */
function refusesOnlyByValidation(step: () => unknown): void {
  try {
    step()
  } catch (error) {
    assert.ok(error instanceof AppError, `not an AppError: ${String(error).slice(0, 300)}`)
    assert.equal(error.code, 'validation', error.message.slice(0, 300))
    assert.ok(error.field, error.message.slice(0, 300))
  }
}

function assertSoundDecisions(document: Parameters<typeof compilePolicy>[0], cases: WarrantyCase[]): void {
  const library = createPolicyLibrary([loadedPolicy('generated.yaml', '', document)])
  // Claims opened under the policy date themselves in its zone and start its service-level clocks.
  assert.match(localDate(new Date(), document.timeZone), /^\d{4}-\d{2}-\d{2}$/)
  const levels = library.serviceLevels(document.id)!
  const calendar = fallbackCalendar(levels.calendar, levels.timeZone)
  for (const target of levels.targets) {
    const { dueAt, warnAt } = planDeadlines(calendar, new Date('2025-03-01T09:00:00Z'), target)
    assert.ok(Number.isFinite(dueAt.getTime()) && Number.isFinite(warnAt.getTime()), JSON.stringify(target))
  }
  for (const input of cases) {
    const decision: Decision = JSON.parse(JSON.stringify(library.decide({ ...input, policy: document.id })))
    assert.ok(validateDecision(decision), JSON.stringify(validateDecision.errors))
    assert.ok(decision.explanation?.en && decision.explanation.zh, 'explained in both languages')
    for (const line of decision.trace) assert.ok(line.outcome, JSON.stringify(line))
  }
}

/** Everything a policy file meets after it is read: validation, the checker, the loader and, accepted, decisions. */
function assertHandledWhole(text: string, document: unknown, cases: WarrantyCase[], folder: string): void {
  const parsed = parsePolicyFile(text, 'generated.yaml')
  if (parsed.ok) assertSoundDecisions(parsed.document, cases)
  else assertRefusal(parsed.errors, text, document)
  refusesOnlyByValidation(() => checkPolicyFile(text, 'generated.yaml'))
  const file = path.join(folder, 'generated.yaml')
  fs.writeFileSync(file, text)
  refusesOnlyByValidation(() => loadPolicyFile(file, undefined))
}

// Values a policy writer (or a careless tool) might put anywhere.
const oddText = fc.constantFrom(
  '',
  ' ',
  'NaN',
  'Infinity',
  '-0',
  'null',
  'P100Y',
  'P0D',
  'P1Y2',
  'P',
  'P99999999999999999999Y',
  'PT12H',
  '0001-01-01',
  '1899-12-31',
  '10000-01-01',
  '9999-12-31',
  '2025-02-30',
  'no-such-kind',
  'no-such-problem',
  'window',
  'note',
  'malfunction',
  'P2Y',
  'UTC',
  'Mars/Olympus',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202eevil\u202c',
  '\u200f',
  'x'.repeat(5000),
)
const oddNumber = fc.constantFrom(
  0,
  -1,
  -0,
  0.5,
  1e308,
  -1e308,
  2 ** 53,
  2 ** 53 + 2,
  1e-300,
  Number.NaN,
  Infinity,
)
const nested = fc.integer({ min: 1, max: 150 }).chain((depth) =>
  fc.constantFrom(
    Array.from({ length: depth }).reduce<unknown>((inner) => [inner], []),
    Array.from({ length: depth }).reduce<unknown>((inner) => ({ anyOf: [inner, { inspected: true }] }), {
      inspected: true,
    }),
  ),
)
const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  oddText,
  oddNumber,
  fc.constantFrom(null, true, false, [], {}),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  nested,
  fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
)

type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'set'; at: number; value: unknown }
  | { op: 'set-text'; at: number; value: unknown }
  | { op: 'add-key'; at: number; key: string; value: unknown }
  | { op: 'repeat-clause'; at: number }
  | { op: 'keep-clauses'; kinds: string[] }

const aMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: junkValue }),
  // Texts are where most of a policy's meaning lives: ids, kinds, durations, dates, enums.
  fc.record({ op: fc.constant('set-text' as const), at: fc.nat(), value: fc.oneof(oddText, junkValue) }),
  fc.record({
    op: fc.constant('add-key' as const),
    at: fc.nat(),
    key: fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.constant('k'.repeat(3000))),
    value: junkValue,
  }),
  fc.record({ op: fc.constant('repeat-clause' as const), at: fc.nat() }),
  // Whole kinds of clauses gone at once: a policy can lose every clause that decides anything.
  fc.record({
    op: fc.constant('keep-clauses' as const),
    kinds: fc.subarray([
      'coverage',
      'window',
      'scope',
      'exclusion',
      'offer',
      'payers',
      'note',
      'service-level',
    ]),
  }),
)

/** Every place in a tree, parents before children. */
function placesOf(value: unknown, prefix: Segment[] = [], places: Segment[][] = []): Segment[][] {
  if (!isTree(value)) return places
  const entries: [Segment, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value)
  for (const [key, child] of entries) {
    const place = [...prefix, key]
    places.push(place)
    placesOf(child, place, places)
  }
  return places
}

const at = (root: unknown, place: readonly Segment[]): unknown =>
  place.reduce<unknown>(
    (node, key) => (isTree(node) ? (node as Record<Segment, unknown>)[key] : undefined),
    root,
  )

function applyMutation(document: Record<string, unknown>, mutation: Mutation): void {
  const places = placesOf(document)
  if (mutation.op === 'keep-clauses') {
    const clauses = document.clauses
    if (Array.isArray(clauses))
      document.clauses = clauses.filter((clause) =>
        mutation.kinds.includes((clause as { kind?: string })?.kind ?? ''),
      )
    return
  }
  if (mutation.op === 'repeat-clause') {
    const clauses = document.clauses
    if (Array.isArray(clauses) && clauses.length > 0)
      clauses.push(structuredClone(clauses[mutation.at % clauses.length]))
    return
  }
  const candidates =
    mutation.op === 'set-text' ? places.filter((place) => typeof at(document, place) === 'string') : places
  if (candidates.length === 0) return
  const place = candidates[mutation.at % candidates.length]!
  const parent = at(document, place.slice(0, -1)) as Record<Segment, unknown> | unknown[]
  const key = place[place.length - 1]!
  switch (mutation.op) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1)
      else delete parent[key]
      return
    case 'set':
    case 'set-text':
      ;(parent as Record<Segment, unknown>)[key] = mutation.value
      return
    case 'add-key': {
      const target = at(document, place)
      const object =
        isTree(target) && !Array.isArray(target) ? target : Array.isArray(parent) ? undefined : parent
      if (object) object[mutation.key] = mutation.value
    }
  }
}

// By name, so that a counterexample reads as a file name rather than a whole policy.
const aShippedFile = fc.constantFrom(...SHIPPED.map((file) => file.name))
const shipped = (name: string) => SHIPPED.find((file) => file.name === name)!
const someCases = fc.array(aCase, { minLength: 1, maxLength: 4 })

describe('policy files under generated inputs', () => {
  let folder: string
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-policy-files-'))
  })
  after(() => fs.rmSync(folder, { recursive: true, force: true }))

  test('a shipped policy mutated anywhere is refused by field and line, or decides cases the contract accepts', () => {
    fc.assert(
      fc.property(
        aShippedFile,
        fc.array(aMutation, { minLength: 1, maxLength: 4 }),
        someCases,
        (name, mutations, cases) => {
          const document = parse(shipped(name).text) as Record<string, unknown>
          for (const mutation of mutations) applyMutation(document, mutation)
          assertHandledWhole(stringify(document), document, cases, folder)
        },
      ),
      { numRuns: RUNS * 4 },
    )
  })

  test('a shipped policy written out again reads as the same document and decides alike', () => {
    fc.assert(
      fc.property(aShippedFile, someCases, (name, cases) => {
        const file = shipped(name)
        const original = parsePolicyFile(file.text, file.name)
        assert.ok(original.ok)
        const again = parsePolicyFile(stringify(parse(file.text)), file.name)
        assert.ok(again.ok, JSON.stringify(!again.ok && again.errors))
        assert.deepEqual(again.document, original.document)
        const asShipped = compilePolicy(original.document)
        const asWritten = compilePolicy(again.document)
        for (const input of cases) {
          const mine: WarrantyCase = { ...input, policy: original.document.id }
          assert.deepEqual(asWritten.decide(mine), asShipped.decide(mine))
        }
      }),
      { numRuns: RUNS },
    )
  })

  test('raw text, bytes and broken YAML are refused by field and line', () => {
    const lineEdits = fc.oneof(
      fc.constant((text: string) => text.replace(/^ {2}/m, '\t')),
      fc.constant((text: string) => `${text}\n${text.split('\n')[1]}\n`),
      fc.constant((text: string) => `${text}\n---\n${text}`),
      fc.constant((text: string) => `\ufeff${text}`),
      fc.constant((text: string) => text.replace(/\n/g, '\r\n')),
      fc.constant((text: string) => `base: &base {a: 1}\n${text}\nagain: *base\n`),
      fc.constant((text: string) => text.slice(0, Math.floor(text.length / 2))),
    )
    const rawText = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
      fc.tuple(aShippedFile, lineEdits).map(([name, edit]) => edit(shipped(name).text)),
      fc
        .tuple(aShippedFile, fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }))
        .map(([name, cut, inserted]) => {
          const file = shipped(name)
          const where = cut % file.text.length
          return file.text.slice(0, where) + inserted + file.text.slice(where)
        }),
    )
    fc.assert(
      fc.property(rawText, someCases, (text, cases) => {
        const started = performance.now()
        let document: unknown
        try {
          document = parse(text, { maxAliasCount: 100 })
        } catch {
          document = undefined
        }
        assertHandledWhole(text, document, cases, folder)
        assert.ok(performance.now() - started < 2000, 'a bad file is refused quickly')
      }),
      { numRuns: RUNS * 2 },
    )
  })

  test('a policy of notes and service levels alone is refused at clauses: no decision could name its clause', () => {
    // Accepted, it denied every case with an exclusion and trace lines naming no clause, against the contract.
    const document = parse(shipped('shenzhen-service.v1.yaml').text) as { clauses: { kind: string }[] }
    document.clauses = document.clauses.filter((clause) =>
      ['note', 'service-level', 'support-hours'].includes(clause.kind),
    )
    assert.ok(document.clauses.length > 0)
    const text = stringify(document)
    const parsed = parsePolicyFile(text, 'notes.yaml')
    assert.ok(!parsed.ok)
    assert.deepEqual(
      parsed.errors.map((error) => [error.field, error.line]),
      [['clauses', text.split('\n').findIndex((line) => line.startsWith('clauses:')) + 2]],
    )
  })

  test('an alias bomb is refused at once, not expanded', () => {
    const levels = 'abcdefghij'
    let text = `${levels[0]}: &${levels[0]} [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n`
    for (let i = 1; i < levels.length; i++)
      text += `${levels[i]}: &${levels[i]} [${Array(10)
        .fill(`*${levels[i - 1]}`)
        .join(',')}]\n`
    const started = performance.now()
    const parsed = parsePolicyFile(text, 'bomb.yaml')
    assert.ok(performance.now() - started < 1000)
    assert.equal(parsed.ok, false)
    assert.ok(!parsed.ok && parsed.errors[0]!.field === '(yaml)' && /alias/i.test(parsed.errors[0]!.message))
    assert.throws(
      () => checkPolicyFile(text, 'bomb.yaml'),
      (error) => error instanceof AppError && error.code === 'validation' && error.field === '(yaml)',
    )
  })
})

/** Bad drafts for the HTTP edge: shipped files broken in ways each refused for a reason of its own. */
const aBadDraft = fc
  .tuple(aShippedFile, fc.array(aMutation, { minLength: 1, maxLength: 3 }))
  .map(([name, mutations]) => {
    const document = parse(shipped(name).text) as Record<string, unknown>
    for (const mutation of mutations) applyMutation(document, mutation)
    return stringify(document)
  })
  .filter((text) => !parsePolicyFile(text, 'draft.yaml').ok)

for (const engine of testEngines()) {
  describe(`policy files through HTTP (${engine})`, () => {
    let database: TestDatabase
    let app: HttpApp
    let manager: Record<string, string>
    before(async () => {
      database = await openTestDatabase(engine)
      const ctx = createTestContext(database)
      app = await buildApp(ctx)
      manager = (await createTestUser(ctx.db, { role: 'manager' })).headers
    })
    after(async () => {
      await app.close()
      await database.dispose()
    })

    const listed = async () => (await app.inject({ method: 'GET', url: '/api/v1/policies' })).json()

    test('bad drafts are answered with their fields, never a 500, and change no policy', async () => {
      const before = await listed()
      await fc.assert(
        fc.asyncProperty(aBadDraft, async (yaml) => {
          const checked = await app.inject({
            method: 'POST',
            url: '/api/v1/policies/validate',
            payload: { yaml },
          })
          // The HTTP edge refuses some text outright (direction controls) before the policy is read.
          assert.ok([200, 400].includes(checked.statusCode), checked.body.slice(0, 300))
          if (checked.statusCode === 400) assert.ok(checked.json().error.field, checked.body.slice(0, 300))
          else {
            const verdict = checked.json()
            assert.equal(verdict.valid, false)
            assert.ok(verdict.errors.length > 0 && verdict.errors.every((e: { field: string }) => e.field))
          }
          const policyId = (parse(yaml) as { id?: unknown }).id
          const simulated = await app.inject({
            method: 'POST',
            url: '/api/v1/policies/simulate',
            headers: manager,
            payload: {
              policyId: typeof policyId === 'string' && /^[a-z0-9-]+$/.test(policyId) ? policyId : 'touptek',
              yaml,
            },
          })
          assert.ok([400, 404].includes(simulated.statusCode), simulated.body.slice(0, 300))
          if (simulated.statusCode === 400)
            assert.ok(simulated.json().error.field, simulated.body.slice(0, 300))
        }),
        { numRuns: Math.max(5, Math.floor(RUNS / 6)) },
      )
      assert.deepEqual(await listed(), before)
    })
  })
}
