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

/**
 * Reads a whole number from a flag or environment variable, refusing anything else with
 * a validation error that names it: `--port must be a whole number from 0 to 65535, got "x"`.
 */
export function parseWholeNumber(raw: string, field: string, range: { min: number; max?: number }): number {
  const value = Number(raw)
  const { min, max = Number.POSITIVE_INFINITY } = range
  if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    const bounds = Number.isFinite(max) ? `from ${min} to ${max}` : `of at least ${min}`
    throw new AppError('validation', `${field} must be a whole number ${bounds}, got "${raw}"`, { field })
  }
  return value
}
