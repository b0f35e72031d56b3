import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml'
import { AppError } from '../shared/errors.ts'
import { issuePath } from '../shared/validate.ts'
import { lineNestedTooDeep, MOST_YAML_NESTING, plainValueOf } from '../shared/yaml-value.ts'
import { type PolicyDocument, policyDocumentSchema } from './domain/policy-format.ts'
import { clip } from './parse-case-line.ts'

/** One problem in a policy file, located for the person fixing it. */
export interface PolicyFileError {
  file: string
  /** 1-based line, 0 when the problem is the file as a whole. */
  line: number
  /** Dotted path inside the document: `clauses.3.within.0.days`. */
  field: string
  message: string
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
    const message = `nests collections more than ${MOST_YAML_NESTING} deep`
    return { ok: false, errors: [{ file, line: tooDeep, field: '(yaml)', message }] }
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
      })),
    }
  }
  const value = plainValueOf(doc)
  if (!value.ok) {
    const message = clip(value.message, MOST_READER_MESSAGE)
    return { ok: false, errors: [{ file, line: 1, field: '(yaml)', message }] }
  }
  const result = policyDocumentSchema.safeParse(value.value)
  if (result.success) return { ok: true, document: result.data }
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({
      file,
      line: lineOf(doc.contents as Node | null, issue.path, lines),
      field: issuePath(issue.path) || '(root)',
      message: clipEchoes(issue.message),
    })),
  }
}

export const formatPolicyFileError = (error: PolicyFileError): string =>
  `${error.file}:${error.line}: ${error.field}: ${error.message}`

/**
 * The refusal of a policy file: every problem with its line and field, in the reader's
 * language; `field` is the input at fault (the first problem's field unless the file came in
 * a field of its own, such as a request's `yaml`).
 */
export function policyFileError(
  errors: readonly PolicyFileError[],
  field: string = errors[0]?.field ?? '(root)',
): AppError {
  return new AppError(
    'validation',
    { key: 'policies.file-errors', params: { errors: errors.map(formatPolicyFileError).join('\n') } },
    { field, details: { errors } },
  )
}
