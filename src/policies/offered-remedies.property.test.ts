/**
 * A clause keyed on a remedy (a payers clause's `firstRemedy`, a limit's `blocks`) names only
 * remedies its policy can offer: one it never offers is a misreading of the seed that no case
 * can show, so the policy file refuses it at load, naming the clause and field.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { parse, stringify } from 'yaml'
import { REMEDIES } from '../contracts/vocabulary.ts'
import { aCase, POLICY_IDS } from './case-arbitraries.ts'
import { type Condition, offeredRemedies, type PolicyDocument } from './domain/policy-format.ts'
import { listPolicyFiles, loadPolicyLibrary, SHIPPED_POLICIES_DIR } from './load-policies.ts'
import { parsePolicyFile, policyFileProblemIn } from './parse-policy-file.ts'

const RUNS = Number(process.env.AFTERCARE_PROPERTY_RUNS ?? 0) || 300
const library = loadPolicyLibrary()

const SHIPPED = listPolicyFiles(SHIPPED_POLICIES_DIR).map((file) => ({
  name: path.basename(file),
  text: fs.readFileSync(file, 'utf8'),
}))

const documentOf = (id: string): PolicyDocument => library.policy(id)!.compiled.document

/** Each remedy a clause is keyed on, with the clause: its `firstRemedy` lists and its `blocks`. */
function namedRemedies(document: PolicyDocument): { key: string; remedy: string }[] {
  const named: { key: string; remedy: string }[] = []
  const walk = (key: string, condition: Condition | undefined) => {
    for (const remedy of condition?.firstRemedy ?? []) named.push({ key, remedy })
    for (const branch of condition?.anyOf ?? []) walk(key, branch)
  }
  for (const clause of document.clauses) {
    if ('when' in clause) walk(clause.key, clause.when)
    if ((clause.kind === 'limit' || clause.kind === 'exclusion') && clause.blocks !== undefined)
      for (const remedy of clause.blocks) named.push({ key: clause.key, remedy })
  }
  return named
}

describe('remedies a clause names', () => {
  test('every remedy a clause of a shipped policy is keyed on is one the policy offers', () => {
    for (const id of POLICY_IDS) {
      const offered = offeredRemedies(documentOf(id).clauses)
      const strays = namedRemedies(documentOf(id)).filter(({ remedy }) => !offered.has(remedy))
      assert.deepEqual(strays, [], `${id} names remedies it never offers`)
    }
  })

  test('every remedy a decision offers comes from a coverage, window, paid-service or offer clause', () => {
    fc.assert(
      fc.property(aCase, (input) => {
        const offered = offeredRemedies(documentOf(input.policy).clauses)
        const decision = library.decide(input)
        for (const remedy of decision.remedies)
          assert.ok(offered.has(remedy), `${input.policy} offered ${remedy}`)
      }),
      { numRuns: RUNS },
    )
  })

  test('retailer#replacement-freight pays for a replacement only: the shop never offers a repair', () => {
    const clause = documentOf('retailer').clauses.find((c) => c.key === 'replacement-freight')!
    assert.ok(
      clause.text.includes('we will arrange a replacement or a refund according to your preferences.'),
    )
    assert.ok(clause.kind === 'payers')
    assert.deepEqual(clause.when?.firstRemedy, ['replace'])
  })

  test('ist#return-after-repair mails back a repaired unit only: IST never replaces', () => {
    const clause = documentOf('ist').clauses.find((c) => c.key === 'return-after-repair')!
    assert.ok(
      clause.text.includes('After the repair is completed, we will mail the equipment to your address'),
    )
    assert.ok(clause.kind === 'payers')
    assert.deepEqual(clause.when?.firstRemedy, ['repair', 'paid-repair'])
  })

  test('a shipped policy keyed on a remedy it never offers is refused naming the clause and field', () => {
    const cases = fc
      .constantFrom(...SHIPPED)
      .chain((file) => {
        const value = parse(file.text) as {
          clauses: { key: string; kind: string; remedies?: string[]; when?: Condition }[]
        }
        const offered = offeredRemedies(value.clauses)
        const strays = REMEDIES.filter((r) => !offered.has(r))
        const keyed = value.clauses.flatMap((clause, index) =>
          clause.kind === 'payers' && clause.when?.firstRemedy !== undefined ? [index] : [],
        )
        if (strays.length === 0 || keyed.length === 0) return fc.constant(undefined)
        return fc.record({
          file: fc.constant(file),
          index: fc.constantFrom(...keyed),
          stray: fc.constantFrom(...strays),
        })
      })
      .filter((c) => c !== undefined)
    fc.assert(
      fc.property(cases, ({ file, index, stray }) => {
        const value = parse(file.text) as { clauses: { key: string; when: Condition }[] }
        const clause = value.clauses[index]!
        const at = clause.when.firstRemedy!.length
        clause.when.firstRemedy = [...clause.when.firstRemedy!, stray as never]
        const parsed = parsePolicyFile(stringify(value), file.name)
        assert.ok(!parsed.ok, `${file.name}: ${clause.key} naming ${stray} was accepted`)
        const error = parsed.errors.find((e) => e.field === `clauses.${index}.when.firstRemedy.${at}`)
        assert.ok(error, JSON.stringify(parsed.errors))
        assert.ok(error.message.includes(`"${clause.key}"`), error.message)
        assert.ok(error.line > 1)
      }),
      { numRuns: 15 },
    )
  })

  test('a limit blocking a remedy the policy never offers is refused at its blocks, in English and Chinese', () => {
    const file = SHIPPED.find((f) => f.name.startsWith('ist'))!
    const value = parse(file.text) as { clauses: unknown[] }
    value.clauses.push({
      key: 'no-refund',
      kind: 'limit',
      text: 'in-warranty equipment will be repaired normally',
      blocks: ['refund'],
      when: { covered: true },
    })
    const parsed = parsePolicyFile(stringify(value), 'ist.yaml')
    assert.ok(!parsed.ok)
    const index = value.clauses.length - 1
    assert.deepEqual(
      parsed.errors.map((e) => [e.field, e.message]),
      [
        [
          `clauses.${index}.blocks.0`,
          'names refund, which no coverage, window, paid-service or offer clause of the policy offers, so clause "no-refund" can never hold for it',
        ],
      ],
    )
    assert.match(policyFileProblemIn('zh', parsed.errors[0]!), /条款“no-refund”对它永远不会成立/)
  })
})
