/**
 * The curve a warning's expected counts come from. The report names it in English (its
 * `reference` field); the e-mail and the page read the name back to word it in their reader's
 * language, so the three phrases are written here once.
 */
export type WarningReference =
  | { kind: 'history'; before: string }
  | { kind: 'other-batches' }
  | { kind: 'all-data' }
  | { kind: 'curve' }

const OTHER_BATCHES = 'fitted curve of the other batches'
const ALL_DATA = 'fitted curve of all data'
const HISTORY = /^fitted curve of the history before (\d{4}-\d{2})$/

/** The report's English name of a reference curve. */
export function nameWarningReference(reference: Exclude<WarningReference, { kind: 'curve' }>): string {
  switch (reference.kind) {
    case 'history':
      return `fitted curve of the history before ${reference.before}`
    case 'other-batches':
      return OTHER_BATCHES
    case 'all-data':
      return ALL_DATA
  }
}

/** Which curve a report's `reference` names; `curve` for a name it does not know. */
export function readWarningReference(name: string): WarningReference {
  const before = HISTORY.exec(name)?.[1]
  if (before) return { kind: 'history', before }
  if (name === OTHER_BATCHES) return { kind: 'other-batches' }
  if (name === ALL_DATA) return { kind: 'all-data' }
  return { kind: 'curve' }
}
