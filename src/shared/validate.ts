import type { z } from 'zod'
import { AppError } from './errors.ts'

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
  }))
  const first = issues[0] ?? { field: '(root)', message: 'is invalid' }
  throw new AppError('validation', `${first.field}: ${first.message}`, {
    field: first.field,
    details: { issues },
  })
}
