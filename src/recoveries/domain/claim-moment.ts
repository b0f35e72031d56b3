/**
 * When something happened on a claim: the instant it was recorded and, where a claim event is
 * known to have recorded it, that event's number on the claim's chain. Events are stamped to
 * the millisecond and several share one (the events of one step, steps taken in quick
 * succession), so the instant alone cannot say which came first; the chain can.
 */
export interface ClaimMoment {
  at: string
  /** The claim event's `seq`; absent where no event is known to have recorded it. */
  seq?: number | undefined
}

/** The moment of an event or record, and nothing else of it; no `seq` where it has none. */
export const momentOf = (of: ClaimMoment): ClaimMoment =>
  of.seq === undefined ? { at: of.at } : { at: of.at, seq: of.seq }

/**
 * Orders moments by instant and, at one instant, by the chain. A moment off the chain comes
 * after those on it at its instant, and two off it are one: the order is the same whatever
 * order the rows were read in.
 */
export function compareMoments(a: ClaimMoment, b: ClaimMoment): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1
  if (a.seq === b.seq) return 0
  if (a.seq === undefined) return 1
  if (b.seq === undefined) return -1
  return a.seq - b.seq
}

/**
 * Whether `event` had happened by `moment` (a change is in force from it on): at an earlier
 * instant, or at the same one and no later on the chain. Where either is off the chain, one at
 * the same instant is taken as having happened by then.
 */
export function happenedBy(event: ClaimMoment, moment: ClaimMoment): boolean {
  if (event.at !== moment.at) return event.at < moment.at
  return event.seq === undefined || moment.seq === undefined || event.seq <= moment.seq
}
