import type { z } from 'zod'
import type { Actor } from '../auth/index.ts'
import type { Decision, Translations } from '../contracts/decision.ts'
import type { Db } from '../db/database.ts'
import type { ParcelNote } from '../policies/index.ts'
import { confirmedDealerOf, findUnitBySerial } from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import type { addressSchema, authorizeReturnBody, rmaView } from './claim.schemas.ts'
import { findOrganisationAddress, findPackageContents, takeNextRmaSequence } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { runClaimTransition } from './claim-transition.ts'

type Address = z.infer<typeof addressSchema>

/** Readable and unique: `RMA-2026-000123`, numbered per year. */
export const formatRmaNumber = (year: string, sequence: number): string =>
  `RMA-${year}-${String(sequence).padStart(6, '0')}`

/** Where the unit goes, and the dealer the decision names that no longer serves, when the seller does instead. */
export interface ShipTo {
  address: Address
  servedInsteadOf?: { name: string }
}

/** Who receives the unit: the seller, the dealer or the maker, as the decision's handler says. */
export async function findShipTo(trx: Db, claim: ClaimsTable, decision: Decision): Promise<ShipTo> {
  const unit = await findUnitBySerial(trx, claim.serial)
  if (!unit) throw new AppError('not-found', { key: 'claims.unit-unknown', params: { serial: claim.serial } })
  // Seed 002: agent products come to the distributor, which passes them on to the maker's
  // service centre; only a maker selling on its own account receives units directly.
  const viaAgent = unit.brandRelation === 'agent' && unit.sellerOrgId !== null
  const sellerOrgId = unit.sellerOrgId ?? unit.brandOrgId
  // A decision taken for a dealer that has since refused the sale sends the unit to the seller.
  const dealerOrgId = decision.handler === 'dealer' ? confirmedDealerOf(unit) : null
  const dealer = dealerOrgId ? await findOrganisationAddress(trx, dealerOrgId) : undefined
  // Nor does a dealer the seller has deactivated receive units: nobody there signs in to
  // record the parcel, so the seller, whose sale it stays, serves the claim.
  const dealerGone = dealer !== undefined && !dealer.active
  const orgId =
    dealer && !dealerGone
      ? dealer.id
      : decision.handler === 'manufacturer' && !viaAgent
        ? unit.brandOrgId
        : sellerOrgId
  const org = orgId === dealer?.id ? dealer : orgId ? await findOrganisationAddress(trx, orgId) : undefined
  if (!org?.service_address) {
    throw new AppError(
      'conflict',
      { key: 'claims.rma.no-service-address', params: { handler: decision.handler } },
      {
        details: { orgId },
      },
    )
  }
  return {
    address: { name: org.name, ...(JSON.parse(org.service_address) as Omit<Address, 'name'>) },
    ...(dealerGone ? { servedInsteadOf: { name: dealer.name } } : {}),
  }
}

/**
 * What goes in the parcel: the model's standard package (seed 001 "should come with all its
 * accessories"; seed 004 "all original accessories, attachments and packaging"), the
 * printed repair order (seed 003: name, return address, SN, fault) and the policy's own
 * parcel notes (seed 001's note clause marked `showOn: return-parcel`).
 */
export function listItemsToInclude(
  contents: readonly string[],
  parcelNotes: readonly ParcelNote[],
): string[] {
  return [
    ...contents,
    'Printed repair order (customer name, return address, serial number, fault description)',
    ...parcelNotes.map((note) => note.text),
  ]
}

/**
 * The policy's own translations of its parcel notes, by the words stored in the list: the
 * package items' words are known to every renderer, a policy's notes only to the policy.
 */
export function parcelNoteTranslations(parcelNotes: readonly ParcelNote[]): Record<string, Translations> {
  return Object.fromEntries(
    parcelNotes
      .filter((note) => Object.keys(note.translations).length > 0)
      .map((note) => [note.text, note.translations]),
  )
}

export const addressLine = (a: Address): string =>
  [a.name, a.line1, a.line2, a.postcode, a.city, a.region, a.country].filter(Boolean).join(', ')

/** Authorises the return: RMA number, ship-to, freight payer, what to include, the repair order. */
export function authorizeReturn(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
  input: z.output<typeof authorizeReturnBody>,
): Promise<ClaimsTable> {
  return runClaimTransition(ctx, actor, claimId, 'authorize-return', version, async ({ trx, claim, at }) => {
    const decision = JSON.parse(claim.provisional_decision ?? 'null') as Decision | null
    if (!decision) throw new AppError('conflict', { key: 'claims.rma.no-provisional-decision' })
    const year = at.slice(0, 4)
    const rmaNumber = formatRmaNumber(year, await takeNextRmaSequence(trx, year))
    const { address: shipTo, servedInsteadOf } = await findShipTo(trx, claim, decision)
    const contents = claim.model ? await findPackageContents(trx, claim.model) : []
    const parcelNotes = ctx.policies.parcelNotes(claim.policy_id, claim.policy_version ?? undefined)
    const itemTranslations = parcelNoteTranslations(parcelNotes)
    const translated = Object.keys(itemTranslations).length > 0
    const rma: z.infer<typeof rmaView> = {
      number: rmaNumber,
      shipTo,
      ...(servedInsteadOf ? { servedInsteadOf } : {}),
      freightPayer: decision.payers['inbound-shipping'],
      returnFreightPayer: decision.payers['return-shipping'],
      itemsToInclude: listItemsToInclude(contents, parcelNotes),
      ...(translated ? { itemTranslations } : {}),
      service: decision.service ?? 'mail-in',
      repairOrderUrl: `/api/v1/claims/${claim.id}/repair-order.pdf`,
      issuedAt: at,
    }
    return {
      data: {
        rmaNumber,
        shipTo,
        freightPayer: rma.freightPayer,
        itemsToInclude: rma.itemsToInclude,
        service: rma.service,
        ...(input.note ? { note: input.note } : {}),
      },
      patch: { rma_json: JSON.stringify(rma) },
      email: {
        rmaNumber,
        shipTo: addressLine(shipTo),
        shipToAddress: shipTo,
        ...(servedInsteadOf ? { servedInsteadOf: servedInsteadOf.name } : {}),
        itemsToInclude: rma.itemsToInclude,
        ...(translated ? { itemTranslations } : {}),
        ...(rma.freightPayer ? { freightPayer: rma.freightPayer } : {}),
      },
    }
  })
}
