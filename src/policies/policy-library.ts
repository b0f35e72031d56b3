import type { WarrantyCase } from '../contracts/case.ts'
import type { Decision, Language, Translations } from '../contracts/decision.ts'
import type { CompiledPolicy } from './domain/compile-policy.ts'

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
  /** The language of `title` and of the clauses' words: the source document's. */
  language: Language
  /** The title in the other language, where the policy gives it. */
  translations: { en?: { title?: string }; zh?: { title?: string } }
}

/** A policy's title in the reader's language: its translation where there is one, else its own. */
export const policyTitleIn = (summary: PolicySummary, language: Language): string =>
  summary.translations[language]?.title ?? summary.title

/** A service-level target of a policy (seed 002: verify within 12 h of receipt, back within 3 working days, forward within 12 h). */
export interface SlaTarget {
  /** Clock kind: `first-response`, `verify`, `return`, `forward`, … */
  clock: string
  /** Clause id `POLICY#KEY` that sets the target. */
  clause: string
  text: string
  /** Claim event type that starts the clock (see docs/architecture.md). */
  startOn: string
  /** Claim event types that stop it. */
  stopOn: string[]
  amount: number
  unit: 'hours' | 'days' | 'working-hours' | 'working-days'
  /** Only for units of this brand (seed 002: own products back in 3 working days, agent products forwarded in 12 h). */
  brand?: 'own' | 'agent'
}

export interface ServiceLevels {
  /** Business calendar id, e.g. `cn-mainland`, `us`, `eu-de`; resolved by the sla feature. */
  calendar: string
  timeZone: string
  /** Support hours (seed 002: 7x12 h), as local `HH:MM`–`HH:MM` on the calendar's working days, or every day when `everyDay`. */
  supportHours?: { from: string; to: string; everyDay: boolean }
  targets: SlaTarget[]
}

/** A policy note for the return parcel: its words, and the same in the other language where the policy has them. */
export interface ParcelNote {
  text: string
  translations: Translations
}

export interface PolicyLibrary {
  list(): PolicySummary[]
  /** The raw YAML source of one version, for display and storage. */
  source(id: string, version: string): string | undefined
  /** Latest version of a policy, or a named version. */
  summary(id: string, version?: string): PolicySummary | undefined
  /** The version in force for a sale on the given date. */
  versionInForce(id: string, soldOn: string): PolicySummary | undefined
  /** The notes of one version meant for the return parcel (seed 001's note inside the package), with their translations. */
  parcelNotes(id: string, version?: string): ParcelNote[]
  /** Service-level targets and calendar of one version (latest when omitted). */
  serviceLevels(id: string, version?: string): ServiceLevels | undefined
  /** Decide a validated case; uses `options.version` when given, else the version in force on the purchase date, else the latest. Throws AppError('not-found') for an unknown policy. */
  decide(input: WarrantyCase, options?: { version?: string }): Decision
  /** The compiled version `decide` decides a case by (same choice, same errors). */
  engineFor(input: WarrantyCase, options?: { version?: string }): CompiledPolicy
}
