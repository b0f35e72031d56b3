import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import fc from 'fast-check'
import { AppError } from '../shared/errors.ts'
import { aCase } from './case-arbitraries.ts'
import { createKeptDocuments } from './kept-documents.ts'
import { listPolicyFiles, loadPolicyLibrary, SHIPPED_POLICIES_DIR } from './load-policies.ts'
import { parsePolicyFile } from './parse-policy-file.ts'

const scratchDirs: string[] = []
after(() => {
  for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true })
})
const scratchDir = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-kept-'))
  scratchDirs.push(dir)
  return dir
}

/** The one file a store keeps in `dir`. */
const onlyKeptFile = (dir: string): string => {
  const names = fs.readdirSync(dir)
  assert.equal(names.length, 1, `one kept file, not ${names.join(', ')}`)
  return path.join(dir, names[0]!)
}

/** A policy folder holding a copy of Player One's policy with `edit` applied to its text. */
function playerOneCopy(edit: (source: string) => string = (s) => s): { dir: string; file: string } {
  const dir = scratchDir()
  const file = path.join(dir, 'player-one.v1.yaml')
  fs.writeFileSync(file, edit(fs.readFileSync(path.join(SHIPPED_POLICIES_DIR, 'player-one.v1.yaml'), 'utf8')))
  return { dir, file }
}

describe('validated policy documents kept between runs', () => {
  test('a kept document reads back equal to the one validated, for every shipped policy', () => {
    const kept = createKeptDocuments(scratchDir())
    for (const file of listPolicyFiles(SHIPPED_POLICIES_DIR)) {
      const source = fs.readFileSync(file, 'utf8')
      const parsed = parsePolicyFile(source, file)
      assert.ok(parsed.ok)
      assert.equal(kept.get(source), undefined)
      kept.keep(source, parsed.document)
      assert.deepStrictEqual(kept.get(source), parsed.document, file)
    }
  })

  test('a library of kept documents decides every case as a library of freshly read ones', () => {
    const dir = scratchDir()
    const fresh = loadPolicyLibrary([SHIPPED_POLICIES_DIR], undefined)
    loadPolicyLibrary([SHIPPED_POLICIES_DIR], createKeptDocuments(dir))
    assert.equal(fs.readdirSync(dir).length, 5)
    // A second load finds all five kept; were it to parse again, it would not matter here,
    // so the policy files are moved away to be sure it does not.
    const copies = scratchDir()
    for (const file of listPolicyFiles(SHIPPED_POLICIES_DIR))
      fs.copyFileSync(file, path.join(copies, path.basename(file)))
    const kept = createKeptDocuments(dir)
    const parsedAgain: string[] = []
    const fromKept = loadPolicyLibrary([copies], {
      get: (source) => kept.get(source),
      keep: (source) => parsedAgain.push(source),
    })
    assert.deepEqual(parsedAgain, [])
    fc.assert(
      fc.property(aCase, (input) => {
        assert.deepStrictEqual(fromKept.decide(input), fresh.decide(input))
      }),
      { numRuns: 2000 },
    )
  })

  test('a policy file whose text changed is validated again, and refused when it is wrong', () => {
    const dir = scratchDir()
    const policy = playerOneCopy()
    const library = () => loadPolicyLibrary([policy.dir], createKeptDocuments(dir))
    assert.equal(library().policy('player-one')?.compiled.document.clauses[0]?.kind, 'coverage')
    const source = fs.readFileSync(policy.file, 'utf8')
    fs.writeFileSync(policy.file, source.replace('term: P2Y', 'term: P3Y'))
    const longer = library().policy('player-one')?.compiled.document.clauses[0]
    assert.equal(longer?.kind === 'coverage' && longer.term, 'P3Y')
    fs.writeFileSync(policy.file, source.replace('term: P2Y', 'term: two years'))
    assert.throws(library, (error: unknown) => {
      assert.ok(error instanceof AppError)
      assert.match(error.message, /player-one\.v1\.yaml:\d+: clauses\.0\.term/)
      return true
    })
    assert.equal(fs.readdirSync(dir).length, 2, 'the two valid texts are kept, the wrong one is not')
  })

  test('a kept file cut short, emptied or edited into something else is passed over for the policy file', () => {
    const source = fs.readFileSync(path.join(SHIPPED_POLICIES_DIR, 'ist.v1.yaml'), 'utf8')
    const parsed = parsePolicyFile(source, 'ist.v1.yaml')
    assert.ok(parsed.ok)
    const dir = scratchDir()
    const kept = createKeptDocuments(dir)
    kept.keep(source, parsed.document)
    const file = onlyKeptFile(dir)
    const whole = fs.readFileSync(file, 'utf8')
    for (const broken of [whole.slice(0, whole.length / 2), '', 'null', '[]', '{"id":"ist"}']) {
      fs.writeFileSync(file, broken)
      assert.equal(kept.get(source), undefined, JSON.stringify(broken.slice(0, 20)))
    }
  })

  test('a folder that cannot be written keeps nothing and fails nothing', () => {
    const blocker = path.join(scratchDir(), 'not-a-folder')
    fs.writeFileSync(blocker, '')
    const policy = playerOneCopy()
    const library = loadPolicyLibrary([policy.dir], createKeptDocuments(path.join(blocker, 'kept')))
    assert.equal(library.summary('player-one')?.version, '1')
    assert.deepEqual(fs.readdirSync(path.dirname(blocker)), ['not-a-folder'])
  })
})
