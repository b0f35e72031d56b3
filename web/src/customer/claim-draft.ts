/**
 * The words of a claim the customer could not send yet because its unit was not on file: kept
 * for this tab while they register the unit, then put back in the form once (photos cannot be
 * kept this way; the form asks for them again).
 */
export interface ClaimDraft {
  kind: string
  description: string
  noticedOn: string
}

const KEY = 'aftercare.claimDraft'

export function saveClaimDraft(draft: ClaimDraft): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(draft))
  } catch {
    // No storage (private mode): the customer types it again.
  }
}

/** The draft, taken: a second visit to the form starts empty. */
export function readClaimDraft(): ClaimDraft | undefined {
  try {
    const text = sessionStorage.getItem(KEY)
    sessionStorage.removeItem(KEY)
    const value = text ? (JSON.parse(text) as Partial<ClaimDraft>) : undefined
    if (!value || typeof value.description !== 'string') return undefined
    return {
      kind: String(value.kind ?? ''),
      description: value.description,
      noticedOn: String(value.noticedOn ?? ''),
    }
  } catch {
    return undefined
  }
}
