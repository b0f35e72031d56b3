import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { SHIPPED_POLICIES_DIR } from '../policies/load-policies.ts'
import { standardCoverageTerm } from './project-term.ts'

const shipped = (file: string) => fs.readFileSync(path.join(SHIPPED_POLICIES_DIR, file), 'utf8')

describe('standardCoverageTerm', () => {
  test('is the term of the coverage every unit falls back to, not of a clause with a condition', () => {
    const touptek = shipped('touptek.v1.yaml')
    assert.equal(standardCoverageTerm(touptek), 'P2Y')
    // A draft giving the cameras three years: the AstroStation's clause, first in the file and
    // still two years, must not hide the change.
    const cameraClause = touptek.indexOf('  - key: warranty-term')
    assert.ok(
      cameraClause > touptek.indexOf('  - key: astrostation-term'),
      'the conditioned clause comes first',
    )
    const draft =
      touptek.slice(0, cameraClause) + touptek.slice(cameraClause).replace('term: P2Y', 'term: P3Y')
    assert.equal(standardCoverageTerm(draft), 'P3Y')
  })

  test('a policy without conditioned coverage gives its one term; a file that does not parse gives none', () => {
    assert.equal(standardCoverageTerm(shipped('player-one.v1.yaml')), 'P2Y')
    assert.equal(standardCoverageTerm('not: a policy'), null)
  })
})
