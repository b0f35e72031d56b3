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
