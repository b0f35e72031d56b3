import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parsePolicyFile } from '../policies/index.ts'
import { type CoverageClause, coverageOfUnit, type UnitFacts } from './unit-coverage.ts'

/** Coverage clauses of a policy file holding only them, each keyed by its start event. */
function coverage(...clauses: string[]): CoverageClause[] {
  const yaml = `id: t\nversion: "1"\ntitle: T\neffectiveFrom: 2020-01-01\ntimeZone: UTC\ncurrency: USD\ncalendar: de\nclauses:\n${clauses
    .map((c, i) => `  - { key: c${i}, kind: coverage, text: t, term: P1Y, remedies: [repair], ${c} }`)
    .join('\n')}\n`
  const parsed = parsePolicyFile(yaml, 't.yaml')
  assert.ok(parsed.ok, JSON.stringify(parsed))
  return parsed.document.clauses.filter((c): c is CoverageClause => c.kind === 'coverage')
}

const camera: UnitFacts = { category: 'camera', part: 'host', brand: 'own', channel: 'direct' }

const rows: Array<[name: string, clauses: CoverageClause[], unit: UnitFacts, start: string | null]> = [
  [
    'a category the first clause does not serve falls to the next',
    coverage('start: activation, when: { categories: [astro-box] }', 'start: delivery'),
    camera,
    'delivery',
  ],
  [
    'a condition only a claim settles passes the clause over',
    coverage('start: activation, when: { packagingDamaged: false }', 'start: delivery'),
    camera,
    'delivery',
  ],
  [
    'a claim-time condition settled false by a unit fact still fails',
    coverage('start: activation, when: { brand: agent, warrantyCard: true }', 'start: delivery'),
    camera,
    'delivery',
  ],
  [
    'one known choice of anyOf is enough',
    coverage(
      'start: activation, when: { anyOf: [{ channel: direct }, { secondHand: true }] }',
      'start: delivery',
    ),
    camera,
    'activation',
  ],
  [
    'the first clause that holds but serves no malfunction leaves the unit without a warranty',
    coverage('start: activation, problems: [software-upgrade]', 'start: delivery'),
    camera,
    null,
  ],
  [
    'a clause for malfunctions only matches a malfunction',
    coverage('start: activation, when: { problems: [arrived-damaged] }', 'start: purchase'),
    camera,
    'purchase',
  ],
]

for (const [name, clauses, unit, start] of rows) {
  test(name, () => {
    assert.equal(coverageOfUnit(clauses, unit)?.start ?? null, start)
  })
}
