import type { WarrantyCase } from '../contracts/case.ts'
import { AppError } from '../shared/errors.ts'
import { cutValue } from '../shared/messages/translate.ts'
import { lineFieldParams } from '../shared/validate.ts'
import { checkCase } from './domain/check-case.ts'
import type { fullCaseCheck } from './full-case-check.ts'
import type { PolicyLibrary } from './policy-library.ts'

/** An echoed value, cut so that an error message stays readable whatever was sent. */
export const clip = (value: string, most = 60): string => cutValue(value, most)

const whereOf = (line: number | string): string => (typeof line === 'number' ? `line ${line}` : line)

/**
 * Zod's check of a case, the reference `parseCaseLine` falls back to. The validation
 * library takes a command about 0.1 s to load, and a well-formed case never needs it, so
 * it is loaded when first needed: until `loadFullCaseCheck()` has been awaited, a case the
 * quick check does not pass throws `FullCaseCheckNeeded`, for the caller to load it and
 * read the case again.
 */
let fullCheck: typeof fullCaseCheck | undefined

export async function loadFullCaseCheck(): Promise<void> {
  fullCheck ??= (await import('./full-case-check.ts')).fullCaseCheck
}

/** Thrown by `parseCaseLine` for a case that needs the full check before it is loaded. */
export class FullCaseCheckNeeded extends Error {
  constructor() {
    super('the full check of a case is not loaded; await loadFullCaseCheck() and read the case again')
  }
}

/**
 * Parses and validates one case; errors name the field, prefixed with `line N` for a JSONL
 * line number (from 1) or with the prefix given (made only on error). The hand-written
 * `checkCase` passes a well-formed case quickly; anything it does not pass goes to
 * `caseSchema`, so errors (and any case the quick check is too strict for) are exactly as
 * Zod has them (see `loadFullCaseCheck`).
 */
export function parseCaseLine(
  text: string,
  library: PolicyLibrary,
  line: number | string = '',
): WarrantyCase {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    const field = whereOf(line) || '(json)'
    throw new AppError(
      'validation',
      {
        key: 'policies.not-json',
        params: { ...lineFieldParams(field), detail: clip((error as Error).message, 120) },
      },
      { field },
    )
  }
  let valid = checkCase(raw)
  if (valid === undefined) {
    if (fullCheck === undefined) throw new FullCaseCheckNeeded()
    valid = fullCheck(raw, whereOf(line))
  }
  if (library.summary(valid.policy) === undefined) {
    const where = whereOf(line)
    const field = where ? `${where}.policy` : 'policy'
    throw new AppError(
      'validation',
      {
        key: 'policies.case-unknown-policy',
        params: { ...lineFieldParams(field), policy: clip(valid.policy) },
      },
      { field },
    )
  }
  return valid
}

export const VERSION_FLAG = '--policy-version'

/** A `--policy-version` must name a version of the case's policy. */
export function checkVersion(library: PolicyLibrary, policy: string, version: string): void {
  if (library.summary(policy, version) !== undefined) return
  throw new AppError(
    'validation',
    {
      key: 'policies.flag-no-version',
      params: { field: VERSION_FLAG, policy: clip(policy), version: clip(version) },
    },
    {
      field: VERSION_FLAG,
    },
  )
}
