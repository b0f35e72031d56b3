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

/**
 * The proof of purchase a customer attached to a claim whose unit was not on file: already
 * stored, so registering the unit sends it again by its id rather than asking for the same
 * file twice. Kept for this tab and for that serial only.
 */
export interface HeldProof {
  serial: string
  fileId: string
  name: string
}

const PROOF_KEY = 'aftercare.heldProof'

export function holdProof(proof: HeldProof): void {
  try {
    sessionStorage.setItem(PROOF_KEY, JSON.stringify(proof))
  } catch {
    // No storage (private mode): the registration form asks for the file again.
  }
}

/** The proof held for this serial, if any; it stays held until `releaseProof`. */
export function readHeldProof(serial: string | null): HeldProof | undefined {
  if (!serial) return undefined
  try {
    const text = sessionStorage.getItem(PROOF_KEY)
    const value = text ? (JSON.parse(text) as Partial<HeldProof>) : undefined
    if (!value || value.serial !== serial || typeof value.fileId !== 'string') return undefined
    return { serial, fileId: value.fileId, name: String(value.name ?? '') }
  } catch {
    return undefined
  }
}

export function releaseProof(): void {
  try {
    sessionStorage.removeItem(PROOF_KEY)
  } catch {
    // Nothing was kept.
  }
}
