import type { WarrantyCase } from '../contracts/case.ts'
import type { Decision } from '../contracts/decision.ts'

/** What the rest of the system needs from the policy engine. Implemented by the policies feature. */
export interface PolicySummary {
  id: string
  version: string
  title: string
  /** First day this version applies to sales (inclusive), `YYYY-MM-DD`. */
  effectiveFrom: string
  /** Last day of sales this version applies to (inclusive), or null while in force. */
  effectiveTo: string | null
  timeZone: string
  currency: string
}

export interface PolicyLibrary {
  list(): PolicySummary[]
  /** The raw YAML source of one version, for display and storage. */
  source(id: string, version: string): string | undefined
  /** Latest version of a policy, or a named version. */
  summary(id: string, version?: string): PolicySummary | undefined
  /** The version in force for a sale on the given date. */
  versionInForce(id: string, soldOn: string): PolicySummary | undefined
  /** Decide a validated case; uses `options.version` when given, else the version in force on the purchase date, else the latest. Throws AppError('not-found') for an unknown policy. */
  decide(input: WarrantyCase, options?: { version?: string }): Decision
}
