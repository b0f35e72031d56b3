/**
 * Every outcome a claim may be closed with, whatever state it is closed from; which of them
 * fits which state is the lifecycle's (`closeOutcomesFrom`). A module of its own, importing
 * nothing, so the request schemas can take it without a cycle through the lifecycle's events,
 * which are typed by those schemas.
 */
export const CLOSE_OUTCOMES = [
  'completed',
  'scrapped',
  'resolved-remotely',
  'refunded',
  'returned-unrepaired',
] as const
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number]

export const isCloseOutcome = (value: string): value is CloseOutcome =>
  (CLOSE_OUTCOMES as readonly string[]).includes(value)
