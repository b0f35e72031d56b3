import { AppError } from './errors.ts'
import { LATEST_TIME_ZONE, localDate } from './local-date.ts'

/**
 * Today for a day someone records as lived (a sale, a payment, a parcel received): the date
 * where it is latest on Earth (UTC+14). Whoever records it, wherever they are, their own
 * today is never later, so none of them is refused; a day after it is a typing slip.
 */
export function latestToday(at: Date | string): string {
  return localDate(typeof at === 'string' ? new Date(at) : at, LATEST_TIME_ZONE)
}

/** Whether a day (`YYYY-MM-DD`) is later than today everywhere on Earth at the instant `at`. */
export function isLaterThanToday(day: string, at: Date | string): boolean {
  return day > latestToday(at)
}

/** Refuses, naming the field it came in, a day later than today everywhere on Earth. */
export function refuseLaterThanToday(field: string, day: string, at: Date | string): void {
  if (isLaterThanToday(day, at))
    throw new AppError('validation', { key: 'validation.not-future', params: { field } }, { field })
}
