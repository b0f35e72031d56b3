import { AppError, type FieldIssue, isAppError } from './errors.ts'
import { type Message, render } from './messages/translate.ts'

type Def = Record<string, unknown> & { type: string }
type AnySchema = { _zod: { def: unknown } }

const isSchema = (value: unknown): value is AnySchema =>
  typeof value === 'object' && value !== null && '_zod' in value

/**
 * The names an input schema takes at its top (`amountMinor`, `lines`), through the wrappers
 * Zod puts around an object (optional, default, pipe, union, intersection).
 */
export function topFieldsOf(schema: unknown): ReadonlySet<string> {
  const names = new Set<string>()
  const seen = new Set<unknown>()
  const walk = (node: unknown) => {
    if (!isSchema(node) || seen.has(node)) return
    seen.add(node)
    const def = node._zod.def as Def
    switch (def.type) {
      case 'object':
        for (const key of Object.keys(def.shape as object)) names.add(key)
        return
      case 'pipe':
        return walk(def.in)
      case 'union':
        for (const option of def.options as unknown[]) walk(option)
        return
      case 'intersection':
        walk(def.left)
        walk(def.right)
        return
      default:
        if ('innerType' in def) walk(def.innerType)
    }
  }
  walk(schema)
  return names
}

const topOf = (field: string) => field.split('.', 1)[0] ?? field

/**
 * An error naming a field of the input bare (`paidOn`), named as the schema's own refusals
 * name it (`body.paidOn` over HTTP, `--body.paidOn` at the command line): in the field, each
 * issue, the message's parameters and its English words. A field the input does not take at
 * its top (a header, a path part, a fact of the record) and any other error pass as they are.
 */
export function namedUnder(error: unknown, inputName: string, schema: unknown): unknown {
  if (!isAppError(error) || !error.field) return error
  const fields = topFieldsOf(schema)
  const owned = (field: string) => fields.has(topOf(field)) && !field.startsWith(`${inputName}.`)
  const renamed = (field: string, message: string, text: Message | undefined): FieldIssue => {
    if (!owned(field))
      return { field, message, text: text ?? { key: 'error.validation.field', params: { field } } }
    const named = `${inputName}.${field}`
    const params = Object.fromEntries(
      Object.entries(text?.params ?? {}).map(([name, value]) => [name, value === field ? named : value]),
    )
    const renamedText: Message = text
      ? { key: text.key, params }
      : { key: 'error.validation.field', params: { field: named } }
    // Words made from the message's key are made again; words given as they are get the name put in.
    const words =
      text && message === render('en', text) ? render('en', renamedText) : message.replace(field, named)
    return { field: named, message: words, text: renamedText }
  }
  if (!owned(error.field) && !(error.issues ?? []).some((issue) => owned(issue.field))) return error
  const first = renamed(error.field, error.message, error.text)
  return new AppError(error.code, first.message, {
    field: first.field,
    ...(error.text === undefined ? {} : { text: first.text }),
    ...(error.details === undefined ? {} : { details: error.details }),
    ...(error.issues === undefined
      ? {}
      : { issues: error.issues.map((issue) => renamed(issue.field, issue.message, issue.text)) }),
    cause: error.cause,
  })
}

/** Runs `work`, naming a refused field of its input as `namedUnder` does. */
export async function withInputNamed<T>(
  work: () => Promise<T>,
  inputName: string,
  schema: unknown,
): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw namedUnder(error, inputName, schema)
  }
}
