import { caseSchema } from '../contracts/case.ts'
import { AppError } from '../shared/errors.ts'
import {
  type Message,
  type MessageLanguage,
  paramIn,
  render,
  translate,
} from '../shared/messages/translate.ts'
import { parseOrThrow } from '../shared/validate.ts'
import { expectationFailures } from './domain/match-example.ts'
import { clip } from './parse-case-line.ts'
import { parsePolicyFile, policyFileError, undefinedCalendarErrors } from './parse-policy-file.ts'
import { createPolicyLibrary, loadedPolicy } from './policy-files.ts'

/**
 * `policy check`: validates a policy file's text and runs its examples; answers the line to
 * print, or throws AppError('validation') naming line and field, or the failing examples.
 */
export function checkPolicyFile(
  text: string,
  file: string,
  language: MessageLanguage = 'en',
  definedCalendars?: ReadonlySet<string>,
): string {
  const parsed = parsePolicyFile(text, file)
  if (!parsed.ok) throw policyFileError(parsed.errors)
  if (definedCalendars !== undefined) {
    const undefinedCalendar = undefinedCalendarErrors(text, file, parsed.document.calendar, definedCalendars)
    if (undefinedCalendar.length > 0) throw policyFileError(undefinedCalendar)
  }
  const library = createPolicyLibrary([loadedPolicy(file, text, parsed.document)])
  const failures: { name: string; failure: Message }[] = []
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
    for (const failure of expectationFailures(decision, example.expect))
      failures.push({ name: example.name, failure })
  })
  // Each failure in the reader's language, after the file and the example it is of.
  const lines = (language: MessageLanguage) =>
    failures
      .map(({ name, failure }) =>
        translate(language, 'policies.example.failure', { file, name, failure: render(language, failure) }),
      )
      .join('\n')
  if (failures.length > 0)
    throw new AppError(
      'validation',
      {
        key: 'policies.examples-fail',
        params: { failures: lines('en'), [paramIn('zh', 'failures')]: lines('zh') },
      },
      { field: 'examples' },
    )
  const { id, version, clauses, examples } = parsed.document
  const params = { file, id, version, clauses: clauses.length, examples: examples.length }
  return `${translate(language, 'policies.check.valid', params)}\n`
}
