import type { z } from 'zod'
import type { Actor } from '../auth/index.ts'
import { isStaff } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import { findUnitBySerial, soldThrough } from '../registry/index.ts'
import { AppError } from '../shared/errors.ts'
import { EARLIEST_TIME_ZONE, localDate } from '../shared/local-date.ts'
import { isLaterThanToday, refuseLaterThanToday } from '../shared/not-later-than-today.ts'
import type { openClaimBody } from './claim.schemas.ts'

type IntakeInput = Omit<z.output<typeof openClaimBody>, 'files'> & { files?: string[] }

/**
 * Who may state what on a claim's intake. Customers, dealers and integrations state facts
 * (the problem, the purchase as they remember it); staff and the registry decide what
 * changes the outcome: the day the claim counts from, the seller and dealer (which choose
 * the policy), the proof of purchase, and which customer the claim belongs to. Returns
 * the input as the intake may use it; refusals name the field.
 */
export async function checkClaimIntake(
  db: Db,
  actor: Actor,
  input: IntakeInput,
  now: Date,
): Promise<IntakeInput> {
  const staff = isStaff(actor)
  const checked: IntakeInput = { ...input, ...(input.unit ? { unit: { ...input.unit } } : {}) }
  const existing = await findUnitBySerial(db, input.serial)
  const soldOn = existing?.purchasedOn ?? input.unit?.purchasedOn ?? null

  // Any day up to today where the customer is can be the day they first saw the fault.
  if (input.problem.noticedOn !== undefined)
    refuseLaterThanToday('problem.noticedOn', input.problem.noticedOn, now)
  if (input.claimedOn !== undefined) {
    // The intake day itself changes nothing: the web form sends it pre-filled with the
    // browser's date, which is "today" somewhere between UTC-12 and UTC+14.
    const earliestToday = localDate(now, EARLIEST_TIME_ZONE)
    const sameDay = input.claimedOn >= earliestToday && !isLaterThanToday(input.claimedOn, now)
    if (!staff && !sameDay) {
      throw new AppError(
        'validation',
        { key: 'claims.intake.claimed-on-staff-only', params: { field: 'claimedOn' } },
        { field: 'claimedOn' },
      )
    }
    if (staff && !sameDay) {
      if (!input.claimedOnReason) {
        throw new AppError(
          'validation',
          { key: 'claims.intake.claimed-on-reason', params: { field: 'claimedOnReason' } },
          {
            field: 'claimedOnReason',
          },
        )
      }
      refuseLaterThanToday('claimedOn', input.claimedOn, now)
      if (soldOn && input.claimedOn < soldOn) {
        throw new AppError(
          'validation',
          { key: 'claims.intake.claimed-on-before-sale', params: { field: 'claimedOn', soldOn } },
          {
            field: 'claimedOn',
          },
        )
      }
    }
  }

  if (actor.role === 'customer') {
    for (const field of ['sellerOrgId', 'dealerOrgId'] as const) {
      if (input.unit?.[field] !== undefined) {
        throw new AppError(
          'validation',
          { key: 'claims.intake.registry-decides', params: { field: `unit.${field}` } },
          {
            field: `unit.${field}`,
          },
        )
      }
    }
  }
  if (!staff && input.unit?.sellerOrgId !== undefined) {
    throw new AppError(
      'validation',
      { key: 'claims.intake.registry-decides-seller', params: { field: 'unit.sellerOrgId' } },
      {
        field: 'unit.sellerOrgId',
      },
    )
  }
  if (checked.unit && !staff && actor.role !== 'dealer') {
    // A claimant's "I have a receipt" is not a receipt: it counts once a document they
    // uploaded themselves backs it (staff confirm other proof on the case).
    checked.unit.proofOfPurchase = input.unit?.proofFileId
      ? await ownsFile(db, actor, input.unit.proofFileId, 'unit.proofFileId')
      : false
  } else if (checked.unit?.proofFileId && !staff) {
    await ownsFile(db, actor, checked.unit.proofFileId, 'unit.proofFileId')
  }

  if (input.customerId !== undefined && actor.role === 'dealer') {
    await checkDealerCustomer(db, actor, input.customerId)
  }
  if (input.customerId !== undefined && actor.role === 'customer' && input.customerId !== actor.customerId) {
    throw new AppError(
      'validation',
      { key: 'claims.intake.own-claims-only', params: { field: 'customerId' } },
      {
        field: 'customerId',
      },
    )
  }
  return checked
}

/**
 * A dealer may name only a customer who owns one of the dealer's units: anyone else's
 * customer record (their name, address, e-mails) is not the dealer's to attach.
 */
async function checkDealerCustomer(db: Db, actor: Actor, customerId: string): Promise<void> {
  const owned = actor.orgId
    ? await db
        .selectFrom('units')
        .select('serial')
        .where('owner_customer_id', '=', customerId)
        .where(soldThrough('units', actor.orgId))
        .limit(1)
        .executeTakeFirst()
    : undefined
  if (!owned) {
    throw new AppError(
      'not-found',
      { key: 'claims.intake.dealer-customer-unknown', params: { field: 'customerId', id: customerId } },
      {
        field: 'customerId',
      },
    )
  }
}

/** True when the actor uploaded the file; otherwise refused (never says whose it is). */
export async function ownsFile(db: Db, actor: Actor, fileId: string, field: string): Promise<true> {
  const file = await db
    .selectFrom('files')
    .select(['uploaded_by', 'claim_id'])
    .where('id', '=', fileId)
    .executeTakeFirst()
  if (!file || file.uploaded_by !== actor.userId) {
    throw new AppError(
      'validation',
      { key: 'claims.intake.file-not-yours', params: { field, id: fileId } },
      { field },
    )
  }
  return true
}

/** What `claim.opened` records about a back-dated claim: who set the day, and why. */
export function claimedOnNote(actor: Actor, input: IntakeInput): Record<string, unknown> {
  if (!input.claimedOnReason) return {}
  return {
    claimedOnSetBy: { userId: actor.userId, role: actor.role },
    claimedOnReason: input.claimedOnReason,
  }
}
