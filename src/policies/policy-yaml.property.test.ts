/**
 * Policy YAML under generated inputs. Whatever a seller types, a policy file is either
 * refused with errors that name the file, a line in it and a field of it, with a message of
 * reasonable length, or accepted, and then it compiles and decides every case with a decision
 * the contract allows. Nothing but AppError('validation') ever comes out.
 * - the shipped policies, parsed to values, mutated at generated paths and written back;
 * - the shipped policies unchanged, written back by the YAML library: the same document;
 * - raw junk: arbitrary text and bytes, alias bombs, tabs, repeated keys, several documents;
 * - the HTTP routes that take a policy's YAML: 400 or a listed refusal, never 500, nothing kept.
 */
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
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import { AppError } from '../shared/errors.ts'
import { aCase } from './case-arbitraries.ts'
import { checkPolicyFile } from './check-policy-file.ts'
import { loadPolicyFile } from './load-policies.ts'
import { type ParsedPolicyFile, type PolicyFileError, parsePolicyFile } from './parse-policy-file.ts'
import { createPolicyLibrary, listPolicyFiles, loadedPolicy, SHIPPED_POLICIES_DIR } from './policy-files.ts'

fc.configureGlobal({ ...fc.readConfigureGlobal(), includeErrorInReport: true })
const RUNS = Number(process.env.AFTERCARE_PROPERTY_RUNS ?? 0) || 40

const SCHEMA_FILE = path.resolve(import.meta.dirname, '../../contracts/decision.schema.json')
const validateDecision = new Ajv2020.default({ allErrors: true, strict: false }).compile(
  JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')),
)

const SHIPPED = listPolicyFiles(SHIPPED_POLICIES_DIR).map((file) => ({
  name: path.basename(file),
  text: fs.readFileSync(file, 'utf8'),
}))

/**
 * Longest message a refusal may carry. An unknown option is answered with every allowed one
 * (the findings are a long list); anything longer echoes what it should have cut.
 */
const MAX_MESSAGE = 800
const FILE = 'mutated.yaml'
const LIBRARY_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-yaml-'))
const LIBRARY_FILE = path.join(LIBRARY_DIR, 'generated.v1.yaml')
after(() => fs.rmSync(LIBRARY_DIR, { recursive: true, force: true }))

type Json = unknown
type Segment = string | number

/** Every path inside a value, the root's children first. */
function pathsOf(value: Json, at: Segment[] = [], into: Segment[][] = []): Segment[][] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      into.push([...at, index])
      pathsOf(item, [...at, index], into)
    })
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      into.push([...at, key])
      pathsOf(item, [...at, key], into)
    }
  }
  return into
}

/** Whether a dotted field, as a refusal names it, is a path of the value. */
function hasField(root: Json, field: string): boolean {
  let node: Json = root
  for (const segment of field.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return false
    node = (node as Record<string, Json>)[segment]
  }
  return true
}

const container = (root: Json, at: Segment[]): Record<Segment, Json> | undefined => {
  let node: Json = root
  for (const segment of at) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<Segment, Json>)[segment]
  }
  return node !== null && typeof node === 'object' ? (node as Record<Segment, Json>) : undefined
}

/** Conditions nested `depth` deep, the way a generated or careless file might. */
const deeplyNested = (depth: number): Json => {
  let node: Json = { inWarranty: true }
  for (let i = 0; i < depth; i++) node = { anyOf: [node, { covered: true }] }
  return node
}

const JUNK_VALUES: Json[] = [
  '',
  [],
  {},
  null,
  true,
  0,
  -1,
  0.5,
  -0.25,
  1e21,
  1e308,
  -1e308,
  2 ** 53 + 2,
  'NaN',
  '.nan',
  'Infinity',
  '-.inf',
  '1e999',
  'P100Y',
  'P100000Y',
  'P99999999999999999999Y',
  'P0D',
  'P0Y0M0D',
  'P1Y2',
  'P',
  'P36500D',
  'P1200M',
  '1899-12-31',
  '10000-01-01',
  '0000-01-01',
  '2025-02-30',
  '9999-12-31',
  '1900-01-01',
  'teleport',
  'refurbish-twice',
  'x\u0000y',
  '\ud800',
  'a\udfffb',
  'a\u202eb\u2066',
  '\ufeffkey',
  'multi\nline\ttext',
  ['teleport'],
  [null],
  [[]],
  { from: 'purchase' },
]

const junkValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...JUNK_VALUES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true }) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 50_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 500, max: 10_000 }).map((n) => `a${'-a'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 400 }).map(deeplyNested) },
)

/** Values at the edge of what the format allows, by the key they are written under. */
const EDGE_VALUES: Record<string, Json[]> = {
  term: ['P100Y', 'P0D', 'P0Y', 'P100000Y', 'P99999999999999999999Y', 'P1D', 'P99999D', 'P1200M'],
  days: [0, 1, 36_500, 2 ** 31, Number.MAX_SAFE_INTEGER],
  effectiveFrom: ['1900-01-01', '9999-12-31', '2025-02-29', '2024-02-29'],
  effectiveTo: ['1900-01-01', '9999-12-31', null],
  amount: [1e-300, 1e308, 0.5, Number.MAX_SAFE_INTEGER],
  from: [1, 2 ** 31, Number.MAX_SAFE_INTEGER],
  to: [1, 2 ** 31, Number.MAX_SAFE_INTEGER],
}

type Mutation =
  | { op: 'edge'; at: number; pick: number }
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: Json }
  | { op: 'add-key'; at: number; key: string; value: Json }
  | { op: 'repeat-clause'; at: number }
  | { op: 'clause-kind'; at: number; kind: string }

const aMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('edge' as const), at: fc.nat(), pick: fc.nat() }) },
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: junkValue }),
  },
  fc.record({
    op: fc.constant('add-key' as const),
    at: fc.nat(),
    key: fc.oneof(
      fc.constantFrom('extra', 'kind', 'NaN', 'a.b', '\u202e', '__proto__', 'constructor'),
      fc.integer({ min: 500, max: 5_000 }).map((n) => 'k'.repeat(n)),
    ),
    value: junkValue,
  }),
  fc.record({ op: fc.constant('repeat-clause' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('clause-kind' as const),
    at: fc.nat(),
    kind: fc.constantFrom('teleport', 'coverage', 'window', 'exclusion', 'payers', 'note', '', 'Coverage'),
  }),
)

/** Applies a mutation to a copy of the document; the path is chosen among those the copy has. */
function mutate(document: Json, mutation: Mutation): Json {
  const copy = structuredClone(document) as Record<string, Json>
  const clauses = Array.isArray(copy.clauses) ? (copy.clauses as Json[]) : undefined
  if (mutation.op === 'repeat-clause' || mutation.op === 'clause-kind') {
    if (clauses === undefined || clauses.length === 0) return copy
    const clause = clauses[mutation.at % clauses.length]
    if (mutation.op === 'repeat-clause') clauses.push(structuredClone(clause))
    else if (clause !== null && typeof clause === 'object')
      (clause as Record<string, Json>).kind = mutation.kind
    return copy
  }
  if (mutation.op === 'edge') {
    const edges = pathsOf(copy).filter((at) => Object.hasOwn(EDGE_VALUES, String(at[at.length - 1])))
    if (edges.length === 0) return copy
    const at = edges[mutation.at % edges.length]!
    const key = String(at[at.length - 1])
    const values = EDGE_VALUES[key]!
    container(copy, at.slice(0, -1))![key] = values[mutation.pick % values.length]
    return copy
  }
  const paths = pathsOf(copy)
  if (paths.length === 0) return copy
  const at = paths[mutation.at % paths.length]!
  const parent = container(copy, at.slice(0, -1))
  const last = at[at.length - 1]!
  if (parent === undefined) return copy
  if (mutation.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1)
    else delete parent[last]
  } else if (mutation.op === 'replace') {
    parent[last] = structuredClone(mutation.value)
  } else {
    const target = parent[last]
    // defineProperty: a key named __proto__ is an own key of the file, as YAML reads it.
    if (target !== null && typeof target === 'object' && !Array.isArray(target))
      Object.defineProperty(target, mutation.key, {
        value: structuredClone(mutation.value),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    else parent[last] = { [mutation.key]: structuredClone(mutation.value) }
  }
  return copy
}

/** Calls `run`; anything it throws must be a validation AppError, which is answered. */
function onlyValidationErrors<T>(what: string, run: () => T): T | AppError {
  try {
    return run()
  } catch (error) {
    if (error instanceof AppError && error.code === 'validation') return error
    const detail = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : String(error)
    assert.fail(`${what} threw ${detail}`)
  }
}

const lineCount = (text: string): number => text.split(/\r\n|\r|\n/).length

/** A refusal's errors each name this file, a line in it, a field of the document and a short message. */
function assertSoundErrors(errors: readonly PolicyFileError[], text: string, document?: Json): void {
  assert.ok(errors.length > 0, 'a refusal lists at least one error')
  for (const error of errors) {
    const shown = JSON.stringify(error).slice(0, 400)
    assert.equal(error.file, FILE)
    assert.ok(Number.isInteger(error.line) && error.line >= 1, `line of ${shown}`)
    assert.ok(error.line <= lineCount(text), `line beyond the file's ${lineCount(text)}: ${shown}`)
    assert.ok(typeof error.field === 'string' && error.field.length > 0, `field of ${shown}`)
    assert.ok(error.message.length > 0 && error.message.length <= MAX_MESSAGE, `message of ${shown}`)
    if (document === undefined || error.field === '(yaml)' || error.field === '(root)') continue
    // A missing field is named as it should be, under a parent that is there.
    const parent = error.field.split('.').slice(0, -1).join('.')
    const present = hasField(document, error.field) || parent === '' || hasField(document, parent)
    assert.ok(present, `field names no path of the document nor its parent: ${shown}`)
  }
}

/** A decision the contract allows, explained in both languages, every trace line with its outcome. */
function assertSoundDecision(decision: unknown): void {
  const plain = JSON.parse(JSON.stringify(decision)) as {
    explanation?: { en?: string; zh?: string }
    trace: { outcome?: string }[]
  }
  assert.ok(validateDecision(plain), JSON.stringify(validateDecision.errors).slice(0, 1000))
  assert.ok(plain.explanation?.en && plain.explanation.zh, 'explained in English and Chinese')
  for (const line of plain.trace) assert.ok(line.outcome, JSON.stringify(line).slice(0, 300))
}

/**
 * The whole path of a file's text: parsed, and when accepted compiled into a library that
 * decides the cases; checked as `policy check` does. Answers the parse.
 */
function throughEveryReader(text: string, cases: readonly WarrantyCase[], document?: Json): ParsedPolicyFile {
  const parsed = onlyValidationErrors('parsePolicyFile', () => parsePolicyFile(text, FILE))
  assert.ok(!(parsed instanceof AppError), 'parsePolicyFile answers its errors, it does not throw them')
  const checked = onlyValidationErrors('checkPolicyFile', () => checkPolicyFile(text, FILE))
  // The library reads the same text from a folder, keeping no document from an earlier run.
  fs.writeFileSync(LIBRARY_FILE, text)
  const read = onlyValidationErrors('loadPolicyFile', () => loadPolicyFile(LIBRARY_FILE, undefined))
  assert.equal(read instanceof AppError, !parsed.ok, 'the library refuses exactly what the parser refuses')
  if (read instanceof AppError && !parsed.ok) assert.equal(read.field, parsed.errors[0]!.field)
  if (!parsed.ok) {
    assertSoundErrors(parsed.errors, text, document)
    assert.ok(checked instanceof AppError, 'policy check refuses what the parser refuses')
    return parsed
  }
  const library = onlyValidationErrors('compiling an accepted file', () =>
    createPolicyLibrary([loadedPolicy(FILE, text, parsed.document)]),
  )
  assert.ok(!(library instanceof AppError), `an accepted file compiles: ${String(library)}`)
  for (const input of cases) {
    const decision = onlyValidationErrors('deciding a case', () =>
      library.decide({ ...input, policy: parsed.document.id }),
    )
    assert.ok(!(decision instanceof AppError), `an accepted file decides every case: ${String(decision)}`)
    assertSoundDecision(decision)
  }
  return parsed
}

const aShippedDocument = fc.constantFrom(...SHIPPED).map(({ text }) => parse(text) as Json)
const aStyle = fc.constantFrom<'block' | 'flow' | 'any'>('block', 'flow', 'any')

describe('policy YAML under generated inputs', () => {
  test('a mutated shipped policy is refused field by field, or accepted and decides soundly', () => {
    fc.assert(
      fc.property(
        aShippedDocument,
        fc.array(aMutation, { minLength: 1, maxLength: 3 }),
        aStyle,
        fc.array(aCase, { minLength: 1, maxLength: 3 }),
        (document, mutations, style, cases) => {
          const mutated = mutations.reduce(mutate, document)
          const text = stringify(mutated, {
            collectionStyle: style,
            lineWidth: 0,
            aliasDuplicateObjects: false,
          })
          throughEveryReader(text, cases, mutated)
        },
      ),
      { numRuns: RUNS * 3 },
    )
  })

  test('a shipped policy written back by the YAML library reads as the same document and decides the same', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SHIPPED),
        aStyle,
        fc.array(aCase, { minLength: 1, maxLength: 5 }),
        ({ name, text }, style, cases) => {
          const original = parsePolicyFile(text, name)
          assert.ok(original.ok, name)
          const rewritten = stringify(parse(text), { collectionStyle: style, lineWidth: 0 })
          const again = parsePolicyFile(rewritten, name)
          assert.ok(again.ok, JSON.stringify(!again.ok && again.errors))
          assert.deepEqual(again.document, original.document)
          const before = createPolicyLibrary([loadedPolicy(name, text, original.document)])
          const after = createPolicyLibrary([loadedPolicy(name, rewritten, again.document)])
          for (const input of cases) {
            const own: WarrantyCase = { ...input, policy: original.document.id }
            assert.deepEqual(after.decide(own), before.decide(own))
          }
        },
      ),
      { numRuns: RUNS },
    )
  })

  test('arbitrary text and bytes are refused clearly or read soundly, never thrown', () => {
    const junkText = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
      fc
        .tuple(fc.constantFrom(...SHIPPED), fc.nat(), fc.string({ unit: 'binary', maxLength: 8 }))
        .map(([{ text }, at, insert]) => {
          const cut = at % (text.length + 1)
          return text.slice(0, cut) + insert + text.slice(cut)
        }),
      fc
        .tuple(fc.constantFrom(...SHIPPED), fc.nat())
        .map(([{ text }, at]) => text.slice(0, at % (text.length + 1))),
      // Anchors, aliases, tags and directives the reader may quote back, some of them long.
      fc
        .tuple(fc.constantFrom('*', '&', '!', '!!', '%'), fc.integer({ min: 1, max: 3000 }), fc.boolean())
        .map(([mark, length, atStart]) => {
          const name = `${mark}${'n'.repeat(length)}`
          return atStart ? `${name} x\n---\nid: x\n` : `id: ${name} x\nversion: ${name}\n`
        }),
    )
    fc.assert(
      fc.property(junkText, fc.array(aCase, { maxLength: 2 }), (text, cases) => {
        throughEveryReader(text, cases)
      }),
      { numRuns: RUNS * 3 },
    )
  })
})

describe('policy YAML a careless or hostile author writes', () => {
  const touptek = SHIPPED.find((file) => file.name.startsWith('touptek'))!.text
  const refused = (text: string): PolicyFileError[] => {
    const parsed = throughEveryReader(text, [])
    assert.ok(!parsed.ok, 'refused')
    return parsed.errors
  }

  test('an unknown key a thousand characters long is quoted cut short in its error', () => {
    // YAML allows implicit keys of up to 1024 characters.
    const errors = refused(touptek.replace(/^currency: USD$/m, `currency: USD\n${'k'.repeat(1000)}: 1`))
    const unknown = errors.find((error) => error.field === '(root)')!
    assert.equal(unknown.message, `Unrecognized key: "${'k'.repeat(60)}… (1000 characters)"`)
  })

  test('a repeated clause key thousands of characters long is quoted cut short in its error', () => {
    const key = `a${'-a'.repeat(3000)}`
    const document = parse(touptek)
    document.clauses = [...document.clauses, { ...document.clauses[0], key }, { ...document.clauses[0], key }]
    const errors = refused(stringify(document, { lineWidth: 0 }))
    const repeated = errors.find((error) => error.message.startsWith('repeats clause key'))!
    assert.equal(repeated.message, `repeats clause key "${key.slice(0, 60)}… (${key.length} characters)"`)
  })

  test('policy check refuses an example of another policy naming its field, not as an unknown policy', () => {
    const other = touptek.replace(/^id: touptek$/m, 'id: touptek-draft')
    const refusal = onlyValidationErrors('checkPolicyFile', () => checkPolicyFile(other, FILE))
    assert.ok(refusal instanceof AppError, 'refused')
    assert.equal(refusal.field, 'examples.0.case.policy')
    assert.match(refusal.message, /examples\.0\.case\.policy: no policy named touptek$/)
  })

  test('an example expecting remedies as a word instead of a list is refused naming its field', () => {
    const document = parse(touptek)
    document.examples[0].expect.remedies = 'replace'
    const errors = refused(stringify(document, { lineWidth: 0 }))
    assert.deepEqual(
      errors.map((error) => error.field),
      ['examples.0.expect.remedies'],
    )
  })

  test('a coverage term of no time is refused naming the term', () => {
    for (const term of ['P0D', 'P0Y0M0D']) {
      const errors = refused(touptek.replace(/term: P2Y/, `term: ${term}`))
      assert.deepEqual(
        errors.map(({ field, message }) => ({ field, message })),
        [{ field: 'clauses.0.term', message: 'must be longer than zero days' }],
      )
    }
  })

  test('an unresolved alias thousands of characters long is quoted cut short in its error', () => {
    const errors = refused(`id: *${'x'.repeat(5000)}\n`)
    assert.equal(errors[0]!.field, '(yaml)')
    assert.ok(errors[0]!.message.length < 200, errors[0]!.message)
    assert.match(errors[0]!.message, /^Unresolved alias .*x… \(\d+ characters\)$/)
  })

  test('an alias bomb is refused quickly as a fault of the text, not expanded', () => {
    let yaml = 'a: &a [x,x,x,x,x,x,x,x,x,x]\n'
    const levels = 'abcdefghijkl'
    for (let i = 1; i < levels.length; i++)
      yaml += `${levels[i]}: &${levels[i]} [${Array(10)
        .fill(`*${levels[i - 1]}`)
        .join(',')}]\n`
    const started = performance.now()
    const errors = refused(yaml)
    assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`)
    assert.equal(errors[0]!.field, '(yaml)')
    assert.match(errors[0]!.message, /alias/i)
  })

  test('a tab for indentation, a repeated key and a second document are each refused with their line', () => {
    assert.equal(refused('id: demo\nclauses:\n\t- key: x\n')[0]!.field, '(yaml)')
    const repeated = refused(touptek.replace(/^title: .*$/m, (line) => `${line}\n${line}`))
    assert.equal(repeated[0]!.field, '(yaml)')
    assert.ok(repeated[0]!.line > 1)
    assert.equal(refused(`${touptek}\n---\nid: other\n`)[0]!.field, '(yaml)')
  })

  test('a byte-order mark before a shipped policy reads as the policy', () => {
    const parsed = throughEveryReader(`\ufeff${touptek}`, [])
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors))
  })

  test('invalid UTF-8 in a policy file is refused naming its field', () => {
    const [head, tail] = touptek.split(/^currency: USD$/m) as [string, string]
    const bytes = Buffer.concat([
      Buffer.from(`${head}currency: US`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(tail),
    ])
    const errors = refused(bytes.toString('utf8'))
    assert.ok(
      errors.some((error) => error.field === 'currency'),
      JSON.stringify(errors),
    )
  })

  test('collections nested thousands deep are refused quickly, before the YAML reader recurses into them', () => {
    // Ten thousand brackets, then fifty thousand, aborted the process: out of memory compiling a
    // regular expression with the stack nearly spent.
    const started = performance.now()
    for (const text of [
      `id: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
      `id: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`,
      `id: ${'{a: '.repeat(20_000)}x${'}'.repeat(20_000)}\n`,
      `id: x\nclauses:\n  ${'- '.repeat(5_000)}x\n`,
    ]) {
      const errors = refused(text)
      assert.deepEqual(
        errors.map(({ field, message }) => ({ field, message })),
        [{ field: '(yaml)', message: 'nests collections more than 100 deep' }],
      )
    }
    assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`)
    assert.equal(refused(`id: x\nclauses:\n  ${'- '.repeat(5_000)}x\n`)[0]!.line, 3)
  })
})

for (const engine of testEngines()) {
  describe(`policy YAML through HTTP (${engine})`, () => {
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

    test('generated bad files are refused naming a field, never a server error, and nothing is kept', async () => {
      const touptek = parse(SHIPPED.find((file) => file.name.startsWith('touptek'))!.text)
      const badFiles = fc.sample(
        fc
          .array(aMutation, { minLength: 1, maxLength: 3 })
          .map((mutations) =>
            stringify(mutations.reduce(mutate, touptek), { lineWidth: 0, aliasDuplicateObjects: false }),
          ),
        { numRuns: 12 },
      )
      badFiles.push('a: [\n', '['.repeat(50_000), 'id: touptek\n---\nid: touptek\n', '\t- x\n')
      const before = await listed()
      for (const yaml of badFiles) {
        const validated = await app.inject({
          method: 'POST',
          url: '/api/v1/policies/validate',
          payload: { yaml },
        })
        // Text the HTTP edge refuses outright (direction controls) is a 400 naming the body's field.
        if (validated.statusCode === 400) {
          assert.equal(validated.json().error.field, 'body.yaml')
          continue
        }
        assert.equal(validated.statusCode, 200, validated.body.slice(0, 500))
        const answer = validated.json() as { valid: boolean; errors: { field: string; line: number }[] }
        for (const error of answer.errors) assert.ok(error.field.length > 0 && error.line >= 1)
        const simulated = await app.inject({
          method: 'POST',
          url: '/api/v1/policies/simulate',
          headers: manager,
          payload: { policyId: 'touptek', yaml },
        })
        if (answer.valid) {
          assert.ok(simulated.statusCode < 500, simulated.body.slice(0, 500))
          continue
        }
        assert.equal(simulated.statusCode, 400, simulated.body.slice(0, 500))
        assert.match(simulated.json().error.field, /^(body\.)?yaml$/)
      }
      assert.deepEqual(await listed(), before)
    })
  })
}
