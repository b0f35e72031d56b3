import { normalizeModelKey } from './model-key.ts'

export interface KnownModelName {
  /** The matching key (`normalizeModelKey`) of a model name or alias. */
  key: string
  /** The name to suggest. */
  name: string
}

/** Levenshtein distance with a cut-off: past `limit` the exact figure does not matter. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost)
      current.push(value)
      if (value < rowMin) rowMin = value
    }
    if (rowMin > limit) return limit + 1
    previous = current
  }
  return previous[b.length] ?? 0
}

/**
 * The known model a mistyped name most likely meant: the smallest edit distance between
 * matching keys, allowed up to a third of the longer key (at least 2), so "Ares-M Pr0"
 * finds "Ares-M PRO" but "Zeus" suggests nothing from a catalogue of cameras. Ties go to
 * the alphabetically first name, so the hint is the same on every run.
 */
export function closestModel(written: string, known: readonly KnownModelName[]): string | undefined {
  const key = normalizeModelKey(written)
  if (key === '') return undefined
  let best: { name: string; distance: number } | undefined
  for (const candidate of known) {
    const limit = Math.max(2, Math.floor(Math.max(key.length, candidate.key.length) / 3))
    const distance = editDistance(key, candidate.key, limit)
    if (distance > limit) continue
    if (!best || distance < best.distance || (distance === best.distance && candidate.name < best.name))
      best = { name: candidate.name, distance }
  }
  return best?.name
}
