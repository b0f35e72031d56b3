import { AppError, isAppError } from './errors.ts'
import type { Message } from './messages/translate.ts'

/**
 * A validation error of a command-line command, reported by the flag its field came from
 * (`--admin`, not `adminEmail`). The flag stands where the field was named, in the English
 * words and in the message key's parameters; other errors pass as they are.
 */
export function renamedToFlag(error: unknown, flagOfField: Readonly<Record<string, string>>): unknown {
  if (!isAppError(error) || error.code !== 'validation' || !error.field) return error
  const renamed = (field: string, message: string, text: Message) => {
    const flag = flagOfField[field] ?? field
    const params = Object.fromEntries(
      Object.entries(text.params ?? {}).map(([name, value]) => [name, value === field ? flag : value]),
    )
    return { field: flag, message: message.replace(field, flag), text: { key: text.key, params } }
  }
  const field = error.field
  const first = renamed(
    field,
    error.message,
    error.text ?? { key: 'error.validation.field', params: { field } },
  )
  return new AppError('validation', first.message, {
    field: first.field,
    text: first.text,
    ...(error.issues === undefined
      ? {}
      : { issues: error.issues.map((issue) => renamed(issue.field, issue.message, issue.text)) }),
  })
}

/** Runs `work` (input checks, or the command itself), reporting a failing field by its flag. */
export function withFlagNames<T>(work: () => T, flagOfField: Readonly<Record<string, string>>): T {
  try {
    const result = work()
    if (result instanceof Promise) {
      return result.catch((error: unknown) => {
        throw renamedToFlag(error, flagOfField)
      }) as T
    }
    return result
  } catch (error) {
    throw renamedToFlag(error, flagOfField)
  }
}
