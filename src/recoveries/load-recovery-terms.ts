import fs from 'node:fs'
import path from 'node:path'
import { parseDocument } from 'yaml'
import { AppError } from '../shared/errors.ts'
import { issuePath } from '../shared/validate.ts'
import { lineNestedTooDeep, MOST_YAML_NESTING, plainValueOf } from '../shared/yaml-value.ts'
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
  message: string
}

export type ParsedTermsFile = { ok: true; terms: RecoveryTerms } | { ok: false; errors: TermsFileError[] }

/** Whether a YAML text is a recovery terms document (the policy check hands those here). */
export const isRecoveryTermsText = (text: string): boolean => /^kind:\s*recovery-terms\s*$/m.test(text)

/** Parses and validates one terms file; every error names the file and the field. */
export function parseRecoveryTermsFile(text: string, file: string): ParsedTermsFile {
  if (lineNestedTooDeep(text) !== undefined)
    return {
      ok: false,
      errors: [{ file, field: '(yaml)', message: `nests collections more than ${MOST_YAML_NESTING} deep` }],
    }
  const doc = parseDocument(text, { prettyErrors: false })
  if (doc.errors.length > 0)
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        file,
        field: '(yaml)',
        message: e.message.split('\n')[0] ?? e.message,
      })),
    }
  const value = plainValueOf(doc)
  if (!value.ok) return { ok: false, errors: [{ file, field: '(yaml)', message: value.message }] }
  const result = recoveryTermsSchema.safeParse(value.value)
  if (result.success) return { ok: true, terms: result.data }
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({
      file,
      field: issuePath(issue.path) || '(root)',
      message: issue.message,
    })),
  }
}

export const formatTermsFileError = (e: TermsFileError): string => `${e.file}: ${e.field}: ${e.message}`

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
  for (const overlap of findOverlaps(all))
    errors.push({ file: dirs.join(', '), field: 'version', message: overlap })
  for (const twice of findDoublePayers(all))
    errors.push({ file: dirs.join(', '), field: 'appliesTo', message: twice })
  if (errors.length > 0)
    throw new AppError(
      'validation',
      { key: 'recovery.terms-errors', params: { errors: errors.map(formatTermsFileError).join('\n') } },
      { field: errors[0]?.field ?? '(root)' },
    )
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
export function checkRecoveryTermsFile(text: string, file: string): string {
  const parsed = parseRecoveryTermsFile(text, file)
  if (!parsed.ok)
    throw new AppError(
      'validation',
      {
        key: 'recovery.terms-errors',
        params: { errors: parsed.errors.map(formatTermsFileError).join('\n') },
      },
      { field: parsed.errors[0]?.field ?? '(root)' },
    )
  const t = parsed.terms
  return `${file}: recovery terms ${t.id}@${t.version} are valid; ${t.costs.length} cost clauses, ${t.never.length} exclusions\n`
}
