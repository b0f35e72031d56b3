/**
 * Every state a claim can be in. Its own module, free of imports, so request schemas can
 * name the states without loading the lifecycle and what it imports.
 */
export const CLAIM_STATES = [
  'new',
  'remote-diagnosis',
  'awaiting-info',
  'resolved-remotely',
  'authorized',
  'pickup-scheduled',
  'received',
  'inspected',
  'decided',
  'quoted',
  'quote-accepted',
  'quote-declined',
  'in-repair',
  'repaired',
  'replacing',
  'refunded',
  'forwarded',
  'back-from-maker',
  'return-shipped',
  'delivered',
  'closed',
  'cancelled',
] as const
export type ClaimState = (typeof CLAIM_STATES)[number]

/** The states a claim ends in; every other state is open. */
export const TERMINAL_STATES: readonly ClaimState[] = ['closed', 'cancelled']

/**
 * The states in which the unit is on its way back or the claim has ended: the address it
 * goes back to is history and no longer changes.
 */
export const RETURN_SHIPPED_STATES: readonly ClaimState[] = [
  'return-shipped',
  'delivered',
  ...TERMINAL_STATES,
]

export const isReturnShipped = (state: string): boolean =>
  (RETURN_SHIPPED_STATES as readonly string[]).includes(state)
