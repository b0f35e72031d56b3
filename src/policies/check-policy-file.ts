import { caseSchema } from '../contracts/case.ts'
import { AppError } from '../shared/errors.ts'
import { parseOrThrow } from '../shared/validate.ts'
import { findExpectationFailures } from './domain/match-example.ts'
import { clip } from './parse-case-line.ts'
import { parsePolicyFile, policyFileError } from './parse-policy-file.ts'
import { createPolicyLibrary, loadedPolicy } from './policy-files.ts'

/**
 * `policy check`: validates a policy file's text and runs its examples; answers the line to
 * print, or throws AppError('validation') naming line and field, or the failing examples.
 */
export function checkPolicyFile(text: string, file: string): string {
  const parsed = parsePolicyFile(text, file)
  if (!parsed.ok) throw policyFileError(parsed.errors)
  const library = createPolicyLibrary([loadedPolicy(file, text, parsed.document)])
  const failures: string[] = []
  parsed.document.examples.forEach((example, index) => {
    const where = `examples.${index}.case`
    const input = parseOrThrow(caseSchema, example.case, `${file}: ${where}`)
    // The file is checked alone: an example of another policy has nothing to be decided by.
    if (input.policy !== parsed.document.id) {
      const field = `${where}.policy`
      throw new AppError(
        'validation',
        {
          key: 'policies.case-unknown-policy',
          params: { field: `${file}: ${field}`, policy: clip(input.policy) },
        },
        { field },
      )
    }
    const decision = library.decide(input)
    for (const failure of findExpectationFailures(decision, example.expect)) {
      failures.push(`${file}: example ${example.name}: ${failure}`)
    }
  })
  if (failures.length > 0)
    throw new AppError(
      'validation',
      { key: 'policies.examples-fail', params: { failures: failures.join('\n') } },
      { field: 'examples' },
    )
  return `${file}: ${parsed.document.id}@${parsed.document.version} is valid; ${parsed.document.clauses.length} clauses, ${parsed.document.examples.length} examples pass\n`
}
