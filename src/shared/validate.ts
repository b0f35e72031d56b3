import type { z } from 'zod'
import { AppError } from './errors.ts'
import { type Message, render } from './messages/translate.ts'
import { englishIssueText, issueMessage, issueWords } from './messages/zod-issues.ts'

/** Dotted path of a Zod issue: `purchase.deliveredOn`, `evidence.2`. */
export const issuePath = (path: readonly PropertyKey[]): string => path.map(String).join('.')

/**
 * Parses input with a schema; on failure throws one `validation` AppError that names the
 * first offending field and lists every issue in `details.issues`.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issues = result.error.issues.map((issue) => ({
    field: [prefix, issuePath(issue.path)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
    issue,
  }))
  const first = issues[0]
  const field = first?.field ?? '(root)'
  const text: Message = first
    ? issueMessage(field, first.issue)
    : { key: 'validation.invalid', params: { field } }
  throw new AppError(
    'validation',
    first ? englishIssueText(field, first.message, text) : render('en', text),
    {
      field,
      details: {
        issues: issues.map(({ field, message }) => ({ field, message: issueWords(field, message) })),
      },
      text,
    },
  )
}

/**
 * Reads a whole number from a flag or environment variable, refusing anything else with
 * a validation error that names it: `--port must be a whole number from 0 to 65535, got "x"`.
 */
export function parseWholeNumber(raw: string, field: string, range: { min: number; max?: number }): number {
  const value = Number(raw)
  const { min, max = Number.POSITIVE_INFINITY } = range
  if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new AppError(
      'validation',
      Number.isFinite(max)
        ? { key: 'validation.whole-number-range', params: { field, min, max, raw } }
        : { key: 'validation.whole-number-min', params: { field, min, raw } },
      { field },
    )
  }
  return value
}

/** The JSON of a flag such as `--body`; an empty object when the flag is not given. */
export function parseJsonFlag(raw: string | undefined, flag = '--body'): unknown {
  if (raw === undefined) return {}
  try {
    return JSON.parse(raw)
  } catch {
    throw new AppError('validation', { key: 'cli.body-not-json', params: { flag } }, { field: flag })
  }
}
