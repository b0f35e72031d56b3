import { AppError, isAppError } from './errors.ts'

/**
 * A validation error of a command-line command, reported by the flag its field came from
 * (`--admin`, not `adminEmail`). The flag stands where the field was named, in the English
 * words and in the message key's parameters; other errors pass as they are.
 */
export function renamedToFlag(error: unknown, flagOfField: Readonly<Record<string, string>>): unknown {
  if (!isAppError(error) || error.code !== 'validation' || !error.field) return error
  const field = error.field
  const flag = flagOfField[field] ?? field
  const text = error.text ?? { key: 'error.validation.field', params: { field } }
  const params = Object.fromEntries(
    Object.entries(text.params ?? {}).map(([name, value]) => [name, value === field ? flag : value]),
  )
  return new AppError('validation', error.message.replace(field, flag), {
    field: flag,
    text: { key: text.key, params },
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
