import { z } from 'zod'
import { nameSchema } from '../contracts/api/named-schema.ts'
import { isoDate } from '../contracts/case.ts'
import { CAP_REASON_CODES } from './domain/derive-recovery.ts'
import { LINE_REASON_CODES, PART_STATES, RECOVERY_STATES } from './domain/recovery-lifecycle.ts'

/**
 * Request and response shapes of the recoveries API. No server imports: the web app derives
 * its types from these with z.infer.
 */
const note = z.string().trim().max(2000).optional()

export const recoveryIdParams = z.object({ id: z.string().min(1).max(100) })
export const claimIdParams = z.object({ claimId: z.string().min(1).max(100) })

export const listRecoveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  state: z.enum(RECOVERY_STATES).optional(),
  claimId: z.string().min(1).max(100).optional(),
  /** The `next` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
})

const party = z.object({ id: z.string(), name: z.string(), onInstallation: z.boolean() })
/** The values of a catalogue message's placeholders. */
const messageParams = z.record(z.string(), z.union([z.string(), z.number()]))

export const recoveryLineView = z.object({
  id: z.string(),
  claimId: z.string(),
  /** The claim's number as its customer, its e-mails and its case page know it (`C-7CB9993C`). */
  claimNumber: z.string(),
  /** Whether the reader may open the claim: staff any, a dealer those on its organisation's units. */
  claimVisible: z.boolean(),
  kind: z.string(),
  leg: z.string().nullable(),
  clause: z.string(),
  /** In English, as the derivation wrote it: unchanged whatever the reader's language. */
  description: z.string(),
  /** The catalogue message of the description and its values; null for lines filed before they were kept. */
  descriptionKey: z.string().nullable(),
  descriptionParams: messageParams.nullable(),
  /** The description in the reader's language (Accept-Language); the English where no message is kept. */
  localDescription: z.string(),
  amountMinor: z.number().int(),
  cappedFromMinor: z.number().int().nullable(),
  capReasonCode: z.enum(CAP_REASON_CODES).nullable(),
  repairCode: z.string().nullable(),
  workOn: z.string(),
  deadline: z.string(),
  evidence: z.object({ costLineIds: z.array(z.string()), eventSeqs: z.array(z.number().int()) }),
  decision: z.object({ policy: z.string(), basis: z.string(), payer: z.string().nullable() }),
  acceptedMinor: z.number().int().nullable(),
  reasonCode: z.string().nullable(),
})
nameSchema(recoveryLineView, {
  id: 'RecoveryLine',
  description: 'One cost of one claim that the recovery terms make the debtor reimburse.',
})

export const recoveryView = z.object({
  id: z.string(),
  state: z.enum(RECOVERY_STATES),
  partState: z.enum(PART_STATES),
  returnPart: z.boolean(),
  creditor: party,
  debtor: party,
  currency: z.string(),
  period: z.string(),
  terms: z.object({ id: z.string(), version: z.string(), title: z.string() }),
  deadline: z.string(),
  late: z.boolean(),
  submittedAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  paid: z.object({ amountMinor: z.number().int(), on: z.string(), reference: z.string() }).nullable(),
  totals: z.object({
    claimedMinor: z.number().int(),
    acceptedMinor: z.number().int(),
    paidMinor: z.number().int(),
    writtenOffMinor: z.number().int(),
  }),
  lines: z.array(recoveryLineView),
  /** What the signed-in party may do now. */
  allowedActions: z.array(z.string()),
  /** Who the actor is on this claim: creditor, debtor or staff (null for read-only viewers). */
  yourSide: z.enum(['creditor', 'debtor', 'staff']).nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type RecoveryView = z.infer<typeof recoveryView>

export const recoveryListView = z.object({ items: z.array(recoveryView), next: z.string().nullable() })

export const recoveryEventsView = z.object({
  items: z.array(
    z.object({
      seq: z.number().int(),
      type: z.string(),
      at: z.string(),
      actor: z.object({ id: z.string(), role: z.string(), name: z.string() }),
      data: z.record(z.string(), z.unknown()),
      hash: z.string(),
    }),
  ),
  next: z.null(),
  chainOk: z.boolean(),
})

export const recoveryOutcomeView = z.object({
  claimId: z.string(),
  outcome: z.enum(['lines', 'none']),
  reasons: z.array(
    z.object({
      code: z.string(),
      clause: z.string().optional(),
      /** In English, as the derivation wrote it. */
      message: z.string(),
      /** The catalogue message and its values; absent from outcomes derived before they were kept. */
      messageKey: z.string().optional(),
      params: messageParams.optional(),
      /** The message in the reader's language (Accept-Language); the English where no key is kept. */
      localMessage: z.string(),
    }),
  ),
  lineCount: z.number().int(),
  derivedAt: z.string(),
  recoveryIds: z.array(z.string()),
})
export type RecoveryOutcomeView = z.infer<typeof recoveryOutcomeView>

export const deriveBody = z
  .object({
    claimId: z.string().min(1).max(100).optional(),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .meta({ examples: [{ claimId: 'c0a8f3e2-5d1b-4d0e-9f3a-2b6c1d7e8f90' }, {}] })
export const deriveResultView = z.object({
  claims: z.number().int(),
  linesWritten: z.number().int(),
  recoveryIds: z.array(z.string()),
})

export const summaryQuery = z.object({
  /** Staff may look at one organisation's ledger. */
  orgId: z.string().min(1).max(100).optional(),
})
export const summaryView = z.object({
  items: z.array(
    z.object({
      organisation: z.object({ id: z.string(), name: z.string() }),
      counterparty: z.object({ id: z.string(), name: z.string() }),
      /** `receivable`: the counterparty owes the organisation; `payable`: the other way. */
      direction: z.enum(['receivable', 'payable']),
      month: z.string(),
      currency: z.string(),
      owedMinor: z.number().int(),
      submittedMinor: z.number().int(),
      acceptedMinor: z.number().int(),
      paidMinor: z.number().int(),
      writtenOffMinor: z.number().int(),
    }),
  ),
})

// ---- one body per action -------------------------------------------------------------

export const noteBody = z
  .object({ note })
  .meta({ examples: [{ note: 'Submitted with the repair reports attached' }] })
export const partlyAcceptBody = z
  .object({
    lines: z
      .array(
        z.object({
          lineId: z.string().min(1),
          acceptedMinor: z.number().int().nonnegative().max(1_000_000_000),
          reasonCode: z.enum(LINE_REASON_CODES).optional(),
        }),
      )
      .min(1)
      .max(500),
    note,
  })
  .meta({
    examples: [
      {
        lines: [
          {
            lineId: '5f0e6a1c-0000-4000-8000-000000000001',
            acceptedMinor: 4000,
            reasonCode: 'over-standard-time',
          },
        ],
        note: 'Labour paid at one hour',
      },
    ],
  })
export const rejectBody = z
  .object({ reasonCode: z.enum(LINE_REASON_CODES), note })
  .meta({ examples: [{ reasonCode: 'late-submission', note: 'Submitted after the 60 days of the terms' }] })
export const paymentBody = z
  .object({
    amountMinor: z.number().int().positive().max(1_000_000_000),
    paidOn: isoDate,
    reference: z.string().trim().min(1).max(200),
    /** The currency paid in; when given it must be the recovery claim's, which no payment converts. */
    currency: z.string().trim().min(1).max(10).optional(),
  })
  .meta({ examples: [{ amountMinor: 12000, paidOn: '2026-02-15', reference: 'SWIFT 2026-0215-0042' }] })
export const shipPartBody = z
  .object({
    carrier: z.string().trim().min(1).max(100),
    trackingNumber: z.string().trim().min(1).max(100),
    note,
  })
  .meta({ examples: [{ carrier: 'DHL', trackingNumber: 'JD014600003828' }] })

export const ACTION_BODIES = {
  submit: noteBody,
  accept: noteBody,
  'partly-accept': partlyAcceptBody,
  reject: rejectBody,
  'record-payment': paymentBody,
  'write-off': noteBody,
  close: noteBody,
  'request-part': noteBody,
  'ship-part': shipPartBody,
  'receive-part': noteBody,
} as const
export type RecoveryAction = keyof typeof ACTION_BODIES
