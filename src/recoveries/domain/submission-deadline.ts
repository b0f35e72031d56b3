import { localDate } from '../../shared/local-date.ts'

/**
 * Whether a submission at `at` comes after a draft's deadline. The deadline is a day of the
 * zone its lines' work was dated in (their claims' policies'), so the day of the submission
 * is taken there too: at 07:30 in Shanghai the UTC date is still the day before.
 */
export function submittedAfterDeadline(at: Date, deadline: string, timeZones: readonly string[]): boolean {
  return timeZones.some((timeZone) => localDate(at, timeZone) > deadline)
}
