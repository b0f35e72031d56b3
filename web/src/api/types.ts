/**
 * What the API answers, derived from the Zod schemas the server's routes attach (each
 * feature's `*.schemas.ts`, pure Zod; the list shape from `src/contracts/api/page.ts`).
 * Type-only imports: no schema code reaches the bundle. Nothing here is written by hand, so
 * a field the server renames or drops fails the web type check instead of a page.
 */
import type { z } from 'zod'
import type * as Auth from '../../../src/auth/auth.schemas.ts'
import type * as Claims from '../../../src/claims/claim.schemas.ts'
import type * as ReturnAddress from '../../../src/claims/return-address.schemas.ts'
import type * as Thread from '../../../src/claims/thread.schemas.ts'
import type { Page } from '../../../src/contracts/api/page.ts'
import type * as Files from '../../../src/files/file.schemas.ts'
import type * as MailPrefs from '../../../src/notify/mail-preferences.schemas.ts'
import type * as Policies from '../../../src/policies/policy.schemas.ts'
import type * as DealerDesk from '../../../src/registry/dealer-desk.schemas.ts'
import type * as Imports from '../../../src/registry/import-job.schemas.ts'
import type * as Profile from '../../../src/registry/profile.schemas.ts'
import type * as Registry from '../../../src/registry/registry.schemas.ts'
import type * as UnitProofs from '../../../src/registry/unit-proof.schemas.ts'
import type * as Setup from '../../../src/setup/setup.schemas.ts'
import type * as Sla from '../../../src/sla/sla.schemas.ts'

export type { Page } from '../../../src/contracts/api/page.ts'
export type { CaseInput, EvidenceKind, Finding, ProblemKind } from '../../../src/contracts/case.ts'
export type { Decision, Language, TraceLine, Translations } from '../../../src/contracts/decision.ts'

type Out<T extends z.ZodType> = z.output<T>
/** The item type of a list route's `{ items, next }`. */
type ItemOf<T extends z.ZodType> = Out<T> extends Page<infer Item> ? Item : never

// auth
export type SessionUser = Out<typeof Auth.UserView>
export type SessionAnswer = Out<typeof Auth.SessionResponse>
export type MeAnswer = Out<typeof Auth.MeResponse>

// claims
export type ClaimView = Out<typeof Claims.claimView>
/** A claim as lists show it: its decisions without their trace. */
export type ClaimListItem = ItemOf<typeof Claims.claimListView>
export type ClaimEvent = ItemOf<typeof Claims.timelineView>
export type Quote = ItemOf<typeof Claims.quotesView>
export type ClaimCostLine = ItemOf<typeof Claims.claimCostLinesView>
/** `GET …/cost-lines`: the lines and the totals of the spent ones. */
export type ClaimCostLines = Out<typeof Claims.claimCostLinesView>
export type ClaimCostTotals = ClaimCostLines['totals']
export type QuotePayment = Out<typeof Claims.quotePaymentView>
export type SelfCheckList = Out<typeof Claims.selfCheckListView>
/** `GET /api/v1/self-checks?serial=`: the unit's product line and its list, if it has one. */
export type SelfChecksForUnit = Out<typeof Claims.selfChecksForUnitView>
export type SelfCheckStep = SelfCheckList['checks'][number]
/** The body of the `record-selfcheck` step: a self-check's answers. */
export type SelfCheckRecord = z.input<typeof Claims.recordSelfCheckBody>
/** One answer of a recorded self-check (the `selfcheck.recorded` event's `results`). */
export type SelfCheckAnswer = Out<typeof Claims.selfCheckBody>['results'][number]
/** The body of `POST …/inspection`, as the form sends it (defaults may be left out). */
export type InspectionBody = z.input<typeof Claims.inspectionBody>
/** A lifecycle action the server allows the reader on a claim (`allowedActions`). */
export type ClaimAction = ClaimView['allowedActions'][number]

// thread, work queue and assignment
export type ThreadMessage = ItemOf<typeof Thread.threadView>
export type QueueItem = ItemOf<typeof Thread.claimQueueView>
export type Assignment = Out<typeof Thread.assignmentView>
export type Assignee = ItemOf<typeof Thread.assigneeList>

// files
export type ClaimFile = ItemOf<typeof Files.FileListResponse>

// registry
/**
 * The error body of every route. Read field by field: a body that is not ours (a proxy's page)
 * may lack any of them.
 */
export type ErrorAnswer = { error?: Partial<Out<typeof Registry.errorResponse>['error']> }
export type WarrantyLookup = Out<typeof Registry.warrantyLookupResponse>
export type UnitView = ItemOf<typeof Registry.unitListResponse>
/** A unit as `POST /api/v1/units` answers its registration. */
export type RegisteredUnit = Out<typeof Registry.unitResponse>
/** A transfer as `POST /api/v1/units/{serial}/transfers` answers it. */
export type TransferRecorded = Out<typeof Registry.transferResponse>
export type UnitOffer = ItemOf<typeof Registry.unitOfferListResponse>
export type ModelView = Out<typeof Registry.modelResponse>
export type ModelSummary = ItemOf<typeof Registry.modelListResponse>
export type Organisation = ItemOf<typeof Registry.organisationListResponse>
/** An organisation as deactivating or reactivating it answers, with the returns sent elsewhere. */
export type OrganisationStanding = Out<typeof Registry.organisationStandingResponse>
export type CustomerView = ItemOf<typeof Registry.customerListResponse>
export type StaffPendingSale = ItemOf<typeof Registry.staffPendingSaleListResponse>
export type UnitProofWaiting = ItemOf<typeof UnitProofs.unitProofQueueResponse>
export type UnitProofView = Out<typeof UnitProofs.unitProofView>
export type PostalAddress = Out<typeof Profile.postalAddressView>
export type SavedAddress = Out<typeof Profile.savedAddressView>
export type CustomerProfile = Out<typeof Profile.profileView>
export type MailPreferences = Out<typeof MailPrefs.MailPreferencesSchema>
export type UnsubscribeAnswer = Out<typeof MailPrefs.UnsubscribeResult>
export type ClaimAddresses = Out<typeof ReturnAddress.claimAddressesView>
export type DeskUnit = ItemOf<typeof DealerDesk.deskUnitList>
export type DealerPendingSale = ItemOf<typeof DealerDesk.pendingSaleList>
export type ImportStarted = Out<typeof Imports.importStartedResponse>
export type ImportJob = Out<typeof Imports.importJobResponse>

// policies
export type PolicySummary = ItemOf<typeof Policies.policyListResponseSchema>
export type PolicyDetail = Out<typeof Policies.policyDetailResponseSchema>
export type PolicyValidation = Out<typeof Policies.validatePolicyResponseSchema>

// setup
export type SetupStatus = Out<typeof Setup.SetupStatus>
export type SetupResult = Out<typeof Setup.SetupResult>

// sla
export type ClockView = ItemOf<typeof Sla.QueueResponse>
/** One clock of `GET /api/v1/claims/{id}/clocks`. */
export type ClaimClock = ItemOf<typeof Sla.ClaimClocksResponse>

/** The items of a list answer, or none while it loads. */
export function readItems<T>(page: Page<T> | null | undefined): T[] {
  return page?.items ?? []
}
