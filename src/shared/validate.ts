import fs from 'node:fs'
import path from 'node:path'
import type { z } from 'zod'
import { AppError, type FieldIssue } from './errors.ts'
import {
  cutValue,
  isMessageKey,
  type Message,
  type MessageLanguage,
  paramIn,
  render,
  translate,
} from './messages/translate.ts'
import { englishIssueText, issueMessage } from './messages/zod-issues.ts'
import { FileBeingWritten } from './whole-file.ts'

/** Dotted path of a Zod issue: `purchase.deliveredOn`, `evidence.2`. */
export const issuePath = (path: readonly PropertyKey[]): string => path.map(String).join('.')

/**
 * Parses input with a schema; on failure throws one `validation` AppError that names the
 * first offending field and carries every issue, each naming its own field.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issues = result.error.issues.map((issue): FieldIssue => {
    const field = [prefix, issuePath(issue.path)].filter(Boolean).join('.') || '(root)'
    const text = withLineInWords(issueMessage(field, issue))
    return { field, message: englishIssueText(field, issue.message, text), text }
  })
  const first = issues[0]
  const field = first?.field ?? '(root)'
  const text: Message = first?.text ?? { key: 'validation.invalid', params: { field } }
  throw new AppError('validation', first?.message ?? render('en', text), { field, issues, text })
}

/** A field of a line-per-record input (`line 3.product.serial`), as JSONL commands name them. */
const LINE_FIELD = /^line (\d+)(?:\.(.+))?$/

/**
 * The field of a line-per-record input in Chinese words (第 3 行 product.serial): the field
 * itself stays as programs read it, and a Chinese line does not say "line 3".
 */
export function lineFieldParams(field: string): Record<string, string> {
  const match = LINE_FIELD.exec(field)
  if (match === null) return { field }
  const [, line, rest] = match
  return { field, [paramIn('zh', 'field')]: rest === undefined ? `第 ${line} 行` : `第 ${line} 行 ${rest}` }
}

const withLineInWords = (text: Message): Message =>
  typeof text.params?.field === 'string' && LINE_FIELD.test(text.params.field)
    ? { ...text, params: { ...text.params, ...lineFieldParams(text.params.field) } }
    : text

/** The most of a refused value an error shows: enough to recognise it, never a screenful. */
const ECHO_MOST = 60

/**
 * A refused value as an error shows it: cut when long, and with control characters, bidi
 * controls and lone surrogates written as `\uXXXX`, so a one-line error stays one line and
 * reads in the order it was written.
 */
export function echoed(raw: string): string {
  return withControlsEscaped(cutValue(raw, ECHO_MOST))
}

/**
 * Text the user gave, such as a file's name, with control characters, bidi controls and lone
 * surrogates written as `\uXXXX` but nothing cut: a name in an error line must not reorder
 * or break the line around it.
 */
export function withControlsEscaped(raw: string): string {
  return raw.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/**
 * Why a file could not be read, without the path the system's message repeats: the error
 * names the file once, cut (`ENAMETOOLONG: name too long`, not `…, open '<the path>'`).
 */
export function fileErrorDetail(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const systemError = /^([A-Z][A-Z0-9_]+: [^,]*),/.exec(message)
  return systemError?.[1] ?? echoed(message)
}

/**
 * The system's reason a file was refused in a language other than English, whose words the
 * system gives only in English: a known error code in the catalogue's words, another by its code.
 */
export function fileErrorIn(language: Exclude<MessageLanguage, 'en'>, code: string | undefined): string {
  if (code === undefined || code === '') return translate(language, 'file-error.other')
  const key = `file-error.${code}`
  return isMessageKey(key) ? translate(language, key) : code
}

/** The `detail` of a file's refusal: the system's words in English, the catalogue's in other languages. */
export const fileErrorParams = (error: unknown, detail = fileErrorDetail(error)): Record<string, string> => ({
  detail,
  [paramIn('zh', 'detail')]: fileErrorIn('zh', (error as NodeJS.ErrnoException | undefined)?.code),
})

/**
 * A file that cannot be read, as bad input naming the argument or flag that gave it (`file`,
 * `--batch`); `shownAs` is how the message writes it when that differs (`<file>`).
 */
export const cannotReadFile = (file: string, error: unknown, field = 'file', shownAs = field): AppError =>
  new AppError(
    'validation',
    {
      key: 'validation.field-cannot-read',
      params: { field: shownAs, file: echoed(file), ...fileErrorParams(error) },
    },
    { field },
  )

/** A file that cannot be written, as bad input naming the flag that gave it (`--out`). */
export const cannotWriteFile = (file: string, error: unknown, field: string): AppError =>
  error instanceof FileBeingWritten
    ? new AppError(
        'validation',
        {
          key: 'validation.file-being-written',
          params: { field, file: echoed(file), pid: error.pid === undefined ? '?' : String(error.pid) },
        },
        { field },
      )
    : new AppError(
        'validation',
        {
          key: 'validation.cannot-write',
          params: {
            field,
            file: echoed(file),
            ...fileErrorParams(error, (error as NodeJS.ErrnoException).code ?? ''),
          },
        },
        { field },
      )

/**
 * Refuses a flag that names a record given an empty value (`--claim ''`): it names nothing,
 * and "no claim" with nothing after it does not say what went wrong.
 */
export function refuseEmptyFlag(value: string | undefined, flag: string): void {
  if (value === undefined || value.trim() !== '') return
  throw new AppError('validation', { key: 'validation.flag-empty', params: { field: flag } }, { field: flag })
}

/**
 * Refuses a file flag given an empty value (`--out ''`), which would otherwise read as the
 * flag left out: the output going to the terminal, the rejects beside the file.
 */
export function refuseEmptyFileFlag(value: string | undefined, flag: string): void {
  if (value === undefined || value.trim() !== '') return
  throw new AppError(
    'validation',
    { key: 'validation.no-file-named', params: { field: flag } },
    { field: flag },
  )
}

/**
 * Refuses, before anything is written, a path a file could not be written at: a folder, a
 * folder that is not there or not writable. Found only when the file is first written, it
 * fails the command after the work it reports on is done.
 */
export function refuseUnwritablePath(file: string, flag: string): void {
  try {
    // Opened for writing without creating or truncating it: a folder is refused as EISDIR.
    if (fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'r+'))
    else fs.accessSync(path.dirname(path.resolve(file)), fs.constants.W_OK)
  } catch (error) {
    throw cannotWriteFile(file, error, flag)
  }
}

/** A whole number as people write it: decimal digits, perhaps a minus sign and spaces around. */
const WHOLE_NUMBER = /^\s*-?\d+\s*$/

/**
 * Reads a whole number from a flag or environment variable, refusing anything else with
 * a validation error that names it: `--port: must be a whole number from 0 to 65535, got "x"`.
 */
export function parseWholeNumber(raw: string, field: string, range: { min: number; max?: number }): number {
  // Digits only: Number() alone would read `0x10` as 16, `1e3` as 1000 and `0b11` as 3.
  const value = WHOLE_NUMBER.test(raw) ? Number(raw) : Number.NaN
  const { min, max = Number.POSITIVE_INFINITY } = range
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new AppError(
      'validation',
      Number.isFinite(max)
        ? { key: 'validation.whole-number-range', params: { field, min, max, raw: echoed(raw) } }
        : { key: 'validation.whole-number-min', params: { field, min, raw: echoed(raw) } },
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
