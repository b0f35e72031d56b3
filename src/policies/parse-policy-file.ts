import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml'
import { AppError } from '../shared/errors.ts'
import {
  isMessageKey,
  type Message,
  type MessageLanguage,
  type MessageParams,
  paramIn,
  render,
  renderAfterField,
} from '../shared/messages/translate.ts'
import { type IssueLike, issueMessage, wordsOf } from '../shared/messages/zod-issues.ts'
import { issuePath } from '../shared/validate.ts'
import { lineNestedTooDeep, MOST_YAML_NESTING, plainValueOf, yamlProblemOf } from '../shared/yaml-value.ts'
import { type PolicyDocument, policyDocumentSchema } from './domain/policy-format.ts'
import { clip } from './parse-case-line.ts'

/** One problem in a policy file, located for the person fixing it. */
export interface PolicyFileError {
  file: string
  /** 1-based line, 0 when the problem is the file as a whole. */
  line: number
  /** Dotted path inside the document: `clauses.3.within.0.days`. */
  field: string
  /** What is wrong, in English, after the field. */
  message: string
  /** The same problem as a catalogue message naming the field, for readers of other languages. */
  text: Message
}

export type ParsedPolicyFile =
  | { ok: true; document: PolicyDocument }
  | { ok: false; errors: PolicyFileError[] }

/**
 * The message with every value it quotes from the file clipped: an unknown key or a repeated
 * clause key of thousands of characters must not turn one line of the refusal into a page.
 */
const clipEchoes = (message: string): string =>
  message.replace(/"((?:[^"\\]|\\.)*)"/g, (_quoted, inner: string) => `"${clip(inner)}"`)

/** The longest message of the YAML reader shown whole. */
const MOST_READER_MESSAGE = 160

/** A problem worded by a `policies.file.*` key: the words after the field, the values they quote clipped. */
function refusalOf(field: string, key: Message['key'], params: MessageParams = {}): Message {
  return { key: 'validation.field-reason', params: { ...params, field, reason: key } }
}

/** A reading problem of the YAML text as a whole (`(yaml)`), by the reader's code. */
function yamlProblem(code: string | undefined): Message {
  return refusalOf('(yaml)', 'policies.file.yaml', { problem: yamlProblemOf(code) })
}

/** A schema issue worded in English and in the catalogue: a check's own key, else Zod's generic wording. */
function issueProblem(field: string, issue: IssueLike): { message: string; text: Message } {
  if (isMessageKey(issue.message)) {
    const params = Object.fromEntries(
      Object.entries(wordsOf(issue.params)).map(([name, value]) => [
        name,
        typeof value === 'string' ? clip(value) : value,
      ]),
    )
    return {
      message: render('en', { key: issue.message, params }),
      text: refusalOf(field, issue.message, params),
    }
  }
  const keys = Array.isArray(issue.keys) ? issue.keys.map((key) => clip(String(key))) : issue.keys
  return { message: clipEchoes(issue.message), text: issueMessage(field, { ...issue, keys }) }
}

/** Line of the deepest node on the path that exists (a missing field points at its parent). */
function lineOf(root: Node | null, path: readonly PropertyKey[], lines: LineCounter): number {
  let node: unknown = root
  let found: Node | null = root
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment))
      if (pair === undefined) break
      node = pair.value
      found = (pair.value as Node | null) ?? (pair.key as Node)
    } else if (isSeq(node)) {
      node = node.items[Number(segment)]
      if (node === undefined) break
      found = node as Node
    } else break
  }
  const offset = found?.range?.[0]
  return offset === undefined ? 1 : lines.linePos(offset).line
}

/**
 * The line of a field in a policy file's text (1 when the text does not read as YAML or has
 * no such field), for refusals made after the file was read, such as a draft for another policy.
 */
export function lineOfField(text: string, path: readonly PropertyKey[]): number {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false })
  return doc.errors.length > 0 ? 1 : lineOf(doc.contents as Node | null, path, lines)
}

/** Parses and validates one policy file; every error names the file, line and field. */
export function parsePolicyFile(text: string, file: string): ParsedPolicyFile {
  const tooDeep = lineNestedTooDeep(text)
  if (tooDeep !== undefined) {
    const reason = { key: 'policies.file.too-deep', params: { most: MOST_YAML_NESTING } } as const
    const text = refusalOf('(yaml)', reason.key, reason.params)
    return {
      ok: false,
      errors: [{ file, line: tooDeep, field: '(yaml)', message: render('en', reason), text }],
    }
  }
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false })
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => ({
        file,
        line: error.linePos?.[0]?.line ?? lines.linePos(error.pos[0]).line,
        field: '(yaml)',
        // The reader's messages quote the text as it is (an unresolved alias's name, whatever its length).
        message: clip(error.message.split('\n')[0] ?? error.message, MOST_READER_MESSAGE),
        text: yamlProblem(error.code),
      })),
    }
  }
  const value = plainValueOf(doc)
  if (!value.ok) {
    const message = clip(value.message, MOST_READER_MESSAGE)
    // Reading the value fails only when aliases expand past the reader's budget.
    const text = yamlProblem('RESOURCE_EXHAUSTION')
    return { ok: false, errors: [{ file, line: 1, field: '(yaml)', message, text }] }
  }
  const result = policyDocumentSchema.safeParse(value.value)
  if (result.success) return { ok: true, document: result.data }
  return {
    ok: false,
    errors: result.error.issues.map((issue) => {
      const field = issuePath(issue.path) || '(root)'
      return {
        file,
        line: lineOf(doc.contents as Node | null, issue.path, lines),
        field,
        ...issueProblem(field, issue as IssueLike),
      }
    }),
  }
}

/** A refusal of a top-level field of the file, found by what it means rather than by the schema. */
function topFieldRefusal(
  text: string,
  file: string,
  field: string,
  key: Message['key'],
  params: MessageParams,
): PolicyFileError {
  return {
    file,
    line: lineOfField(text, [field]),
    field,
    message: render('en', { key, params }),
    text: refusalOf(field, key, params),
  }
}

/**
 * The refusal of a policy whose `calendar` is none of the calendars defined (built in or
 * stored): its clocks would run on hours nobody chose. Calendars are also defined at run
 * time, so this is checked where the stored ones are known, not by `parsePolicyFile`.
 */
export function undefinedCalendarErrors(
  text: string,
  file: string,
  calendar: string,
  defined: ReadonlySet<string>,
): PolicyFileError[] {
  if (defined.has(calendar)) return []
  return [
    topFieldRefusal(text, file, 'calendar', 'policies.file.unknown-calendar', {
      calendar: clip(calendar),
      defined: [...defined].sort().join(', '),
      route: `PUT /api/v1/calendars/${clip(calendar)}`,
    }),
  ]
}

/**
 * The refusal of a file giving a policy version another file of its folder gives already: the
 * library keeps one, so the other would be dropped unseen. A later folder replaces a version
 * on purpose and is not refused.
 */
export function repeatedVersionError(
  text: string,
  file: string,
  policy: string,
  earlierFile: string,
): PolicyFileError {
  return topFieldRefusal(text, file, 'version', 'policies.file.repeated-version', {
    policy: clip(policy),
    file: earlierFile,
  })
}

/** The refusal of a policy version starting on the day another version of the policy starts. */
export function sameStartError(text: string, file: string, day: string, other: string): PolicyFileError {
  return topFieldRefusal(text, file, 'effectiveFrom', 'policies.file.same-start', { day, policy: other })
}

/** What is wrong, after the field, in a language: for a list that shows the line and field apart. */
export const policyFileProblemIn = (language: MessageLanguage, error: PolicyFileError): string =>
  language === 'en' ? error.message : renderAfterField(language, error.text)

export const formatPolicyFileError = (error: PolicyFileError, language: MessageLanguage = 'en'): string =>
  language === 'en'
    ? `${error.file}:${error.line}: ${error.field}: ${error.message}`
    : `${error.file}:${error.line}: ${render(language, error.text)}`

/**
 * The refusal of a policy file: every problem with its line and field, in the reader's
 * language; `field` is the input at fault (the first problem's field unless the file came in
 * a field of its own, such as a request's `yaml`).
 */
export function policyFileError(
  errors: readonly PolicyFileError[],
  field: string = errors[0]?.field ?? '(root)',
): AppError {
  const lines = (language: MessageLanguage) =>
    errors.map((error) => formatPolicyFileError(error, language)).join('\n')
  return new AppError(
    'validation',
    { key: 'policies.file-errors', params: { errors: lines('en'), [paramIn('zh', 'errors')]: lines('zh') } },
    {
      field,
      details: { errors: errors.map(({ file, line, field, message }) => ({ file, line, field, message })) },
    },
  )
}
