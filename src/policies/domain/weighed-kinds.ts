// Apart from the policy format's schemas, so that deciding does not load the validation library.
import type { ClauseKind } from './policy-format.ts'

/**
 * Whether each clause kind weighs in a decision and so appears in its trace. A record over
 * every kind, so a new kind does not compile until it is placed here.
 */
const WEIGHS: Record<ClauseKind, boolean> = {
  coverage: true,
  window: true,
  scope: true,
  exclusion: true,
  limit: true,
  'paid-service': true,
  offer: true,
  payers: true,
  evidence: true,
  handler: true,
  service: true,
  'service-level': false,
  'support-hours': false,
  note: false,
}

/** Clause kinds that weigh in a decision and so appear in its trace. */
export const WEIGHED_KINDS: ReadonlySet<ClauseKind> = new Set(
  (Object.keys(WEIGHS) as ClauseKind[]).filter((kind) => WEIGHS[kind]),
)
