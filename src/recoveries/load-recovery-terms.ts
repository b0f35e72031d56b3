import fs from 'node:fs'
import path from 'node:path'
import { parseDocument } from 'yaml'
import { AppError } from '../shared/errors.ts'
import {
  isMessageKey,
  type Message,
  type MessageLanguage,
  paramIn,
  render,
  renderAfterField,
  translate,
} from '../shared/messages/translate.ts'
import { type IssueLike, issueMessage } from '../shared/messages/zod-issues.ts'
import { issuePath } from '../shared/validate.ts'
import { lineNestedTooDeep, MOST_YAML_NESTING, plainValueOf, yamlProblemOf } from '../shared/yaml-value.ts'
import {
  findDoublePayers,
  findOverlaps,
  type RecoveryTerms,
  recoveryTermsSchema,
} from './domain/recovery-terms.ts'

/** The shipped recovery terms, beside the warranty policies but in a folder of their own. */
export const SHIPPED_RECOVERY_TERMS_DIR = path.resolve(import.meta.dirname, '../../policies/recovery')

export interface TermsFileError {
  file: string
  field: string
  /** What is wrong, in English, after the field. */
  message: string
  /** The same problem as a catalogue message naming the field, for readers of other languages. */
  text: Message
}

export type ParsedTermsFile = { ok: true; terms: RecoveryTerms } | { ok: false; errors: TermsFileError[] }

/** Whether a YAML text is a recovery terms document (the policy check hands those here). */
export const isRecoveryTermsText = (text: string): boolean => /^kind:\s*recovery-terms\s*$/m.test(text)

/** A problem of the YAML text as a whole, worded in the catalogue; the English keeps the reader's words. */
function yamlError(file: string, message: string, code: string | undefined): TermsFileError {
  const text: Message = {
    key: 'validation.field-reason',
    params: { field: '(yaml)', reason: 'policies.file.yaml', problem: yamlProblemOf(code) },
  }
  return { file, field: '(yaml)', message, text }
}

/** Parses and validates one terms file; every error names the file and the field. */
export function parseRecoveryTermsFile(text: string, file: string): ParsedTermsFile {
  if (lineNestedTooDeep(text) !== undefined) {
    const reason = { key: 'policies.file.too-deep', params: { most: MOST_YAML_NESTING } } as const
    const words: Message = {
      key: 'validation.field-reason',
      params: { ...reason.params, field: '(yaml)', reason: reason.key },
    }
    return { ok: false, errors: [{ file, field: '(yaml)', message: render('en', reason), text: words }] }
  }
  const doc = parseDocument(text, { prettyErrors: false })
  if (doc.errors.length > 0)
    return {
      ok: false,
      errors: doc.errors.map((e) => yamlError(file, e.message.split('\n')[0] ?? e.message, e.code)),
    }
  const value = plainValueOf(doc)
  // Reading the value fails only when aliases expand past the reader's budget.
  if (!value.ok) return { ok: false, errors: [yamlError(file, value.message, 'RESOURCE_EXHAUSTION')] }
  const result = recoveryTermsSchema.safeParse(value.value)
  if (result.success) return { ok: true, terms: result.data }
  return {
    ok: false,
    errors: result.error.issues.map((issue) => {
      const field = issuePath(issue.path) || '(root)'
      const words = issueMessage(field, issue as IssueLike)
      // A check worded by a key has its English from the catalogue; Zod's own stay as Zod wrote them.
      const message = isMessageKey(issue.message) ? renderAfterField('en', words) : issue.message
      return { file, field, message, text: words }
    }),
  }
}

export const formatTermsFileError = (e: TermsFileError, language: MessageLanguage = 'en'): string =>
  language === 'en' ? `${e.file}: ${e.field}: ${e.message}` : `${e.file}: ${render(language, e.text)}`

/** The refusal of terms files: every problem with its file and field, in the reader's language. */
function termsFileError(errors: readonly TermsFileError[]): AppError {
  const lines = (language: MessageLanguage) =>
    errors.map((error) => formatTermsFileError(error, language)).join('\n')
  return new AppError(
    'validation',
    { key: 'recovery.terms-errors', params: { errors: lines('en'), [paramIn('zh', 'errors')]: lines('zh') } },
    { field: errors[0]?.field ?? '(root)' },
  )
}

/**
 * Loads every terms file of the folders; a bad file, overlapping versions or two documents
 * paying the same cost of one claim stop the load with every problem named.
 */
export function loadRecoveryTerms(dirs: readonly string[] = [SHIPPED_RECOVERY_TERMS_DIR]): RecoveryTerms[] {
  const all: RecoveryTerms[] = []
  const errors: TermsFileError[] = []
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue
    for (const name of fs.readdirSync(dir).sort()) {
      if (!name.endsWith('.yaml') && !name.endsWith('.yml')) continue
      const file = path.join(dir, name)
      const parsed = parseRecoveryTermsFile(fs.readFileSync(file, 'utf8'), file)
      if (parsed.ok) all.push(parsed.terms)
      else errors.push(...parsed.errors)
    }
  }
  // Folder-wide conflicts are found by the engine in English; other languages say the field is wrong.
  const conflict = (field: string, message: string): TermsFileError => ({
    file: dirs.join(', '),
    field,
    message,
    text: { key: 'validation.invalid', params: { field } },
  })
  for (const overlap of findOverlaps(all)) errors.push(conflict('version', overlap))
  for (const twice of findDoublePayers(all)) errors.push(conflict('appliesTo', twice))
  if (errors.length > 0) throw termsFileError(errors)
  return all
}

let shipped: RecoveryTerms[] | undefined
/** The shipped terms, read once per process. */
export function shippedRecoveryTerms(): RecoveryTerms[] {
  shipped ??= loadRecoveryTerms()
  return shipped
}

/**
 * `aftercare policy check FILE` for a terms file: validates it and reports what it pays.
 * Returns the line to print; throws a validation error naming the file and field.
 */
export function checkRecoveryTermsFile(text: string, file: string, language: MessageLanguage = 'en'): string {
  const parsed = parseRecoveryTermsFile(text, file)
  if (!parsed.ok) throw termsFileError(parsed.errors)
  const t = parsed.terms
  const params = { file, id: t.id, version: t.version, costs: t.costs.length, exclusions: t.never.length }
  return `${translate(language, 'recoveries.check.valid', params)}\n`
}
