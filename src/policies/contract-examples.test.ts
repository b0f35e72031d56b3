import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { caseSchema } from '../contracts/case.ts'
import { type ExampleExpectation, findExpectationFailures } from './domain/match-example.ts'
import { loadPolicyLibrary } from './load-policies.ts'

/** The contract's worked examples, as the repository holds them (`contracts/README.md`). */
const EXAMPLES_DIR = path.resolve(import.meta.dirname, '../../contracts/examples')
const library = loadPolicyLibrary()

describe('the adjudication contract examples', () => {
  const present = fs.existsSync(EXAMPLES_DIR)
  test('the examples folder is present', () => {
    assert.ok(present, `expected the contract examples in ${EXAMPLES_DIR}`)
  })
  const files = present ? fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')) : []
  for (const file of files) {
    test(file, () => {
      const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as {
        case: unknown
        expect: ExampleExpectation
      }
      const decision = library.decide(caseSchema.parse(example.case))
      assert.deepEqual(findExpectationFailures(decision, example.expect), [])
    })
  }
})

describe('the examples embedded in the shipped policies', () => {
  for (const summary of library.list()) {
    for (const example of library.policy(summary.id, summary.version)!.compiled.document.examples) {
      test(`${summary.id}@${summary.version}: ${example.name}`, () => {
        const decision = library.decide(caseSchema.parse(example.case), { version: summary.version })
        assert.deepEqual(findExpectationFailures(decision, example.expect), [])
      })
    }
  }
})
