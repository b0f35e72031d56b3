import crypto from 'node:crypto'
import type { z } from 'zod'
import type { Actor } from '../auth/index.ts'
import { caseSchema, EVIDENCE_KINDS, type WarrantyCase } from '../contracts/case.ts'
import { canonicalSerial } from '../contracts/serial.ts'
import { claimBytesLimit, holdsProofOfPurchase, takeHeldFiles } from '../files/index.ts'
import {
  confirmedDealerOf,
  findUnitBySerial,
  findUnitOffer,
  listOfferedUnitProofs,
  lockUnitRow,
  noteCustomerLanguageSeen,
  type UnitRecord,
  warrantyFactsForUnit,
} from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { localDate } from '../shared/local-date.ts'
import { parseOrThrow } from '../shared/validate.ts'
import type { openClaimBody } from './claim.schemas.ts'
import {
  findClaim,
  findIdempotentResponse,
  findOpenClaimOnUnit,
  insertClaim,
  insertIdempotencyKey,
  newClaimRow,
} from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { isClaimVisibleTo, toClaimParty } from './claim-access.ts'
import { commitClaimEvents } from './claim-transition.ts'
import { claimNumber } from './claim-view.ts'
import { CLAIM_OPENED, type ClaimOpenedData, DECISION_PROVISIONAL } from './domain/claim-events.ts'
import { INITIAL_STATE } from './domain/claim-lifecycle.ts'
import { toCurrency } from './domain/quote-totals.ts'
import { checkClaimIntake, claimedOnNote } from './intake-rules.ts'
import { refuseClaimedUnitOnFile, registerClaimedUnit } from './register-claimed-unit.ts'

/** The intake body as parsed; callers in code may leave out the held files. */
export type OpenClaimInput = Omit<z.output<typeof openClaimBody>, 'files'> & { files?: string[] }

function unitVisibleTo(unit: UnitRecord, actor: Actor): boolean {
  const party = toClaimParty(actor)
  if (party === 'customer') return unit.ownerCustomerId === null || unit.ownerCustomerId === actor.customerId
  if (party === 'dealer') return actor.orgId !== null && confirmedDealerOf(unit) === actor.orgId
  return true
}

/**
 * The contract case of a claim, before inspection. `proofOffered`: the claimant attached a
 * proof of purchase, or filed one with their registration of the unit, that the service team
 * has yet to weigh.
 */
export function buildClaimCase(
  unit: UnitRecord,
  input: OpenClaimInput,
  claimedOn: string,
  proofOffered = false,
): WarrantyCase {
  const facts = warrantyFactsForUnit(unit)
  return parseOrThrow(caseSchema, {
    policy: unit.policyId,
    claimedOn,
    ...facts,
    ...(proofOffered && !unit.proofOfPurchase
      ? { purchase: { ...facts.purchase, proofOfPurchasePending: true } }
      : {}),
    problem: {
      kind: input.problem.kind,
      packagingDamaged: input.problem.packagingDamaged,
      urgentFreight: input.problem.urgentFreight,
      description: input.problem.description,
    },
    ...(input.preference ? { preference: input.preference } : {}),
    evidence: [...new Set(input.evidence)],
  })
}

/**
 * Intake by a customer, dealer or staff: finds (or registers) the unit, refuses a second
 * open claim on it (409 naming the open one) unless staff override it with a reason,
 * takes the provisional decision of the engine, moves the caller's held uploads to the
 * claim and appends `claim.opened` and `decision.provisional` through the same core as
 * every other step, all in one transaction: a refused part leaves nothing. With an
 * idempotency key, a repeat from the same actor answers the same claim and creates none.
 */
export async function openClaim(
  ctx: AppContext,
  actor: Actor,
  input: OpenClaimInput,
  idempotencyKey?: string,
  /** The language of the web app the customer opened the claim in, where the request says. */
  readerLanguage?: 'en' | 'zh' | null,
): Promise<{ claim: ClaimsTable; created: boolean }> {
  const party = toClaimParty(actor)
  if (party === 'customer' && !actor.customerId) {
    throw new AppError('forbidden', { key: 'claims.intake.no-customer-record' })
  }
  if (input.duplicateOverride && party !== 'staff') {
    throw new AppError(
      'forbidden',
      { key: 'claims.intake.duplicate-staff-only', params: { field: 'duplicateOverride' } },
      {
        field: 'duplicateOverride',
      },
    )
  }
  // Hashed before intake rewrites it: what the caller sent is what a replay must repeat.
  const requestHash = idempotencyKey ? hashOpenClaimInput(input) : ''
  input = await checkClaimIntake(ctx.db, actor, input, ctx.now())
  if (idempotencyKey) {
    const earlier = await replayIdempotent(ctx, actor, idempotencyKey, requestHash)
    if (earlier) return { claim: earlier, created: false }
  }
  const at = ctx.now().toISOString()
  try {
    const claim = await ctx.db.transaction().execute(async (trx) => {
      // Who owns the unit, and under which sale, decides who may claim it: read only once a
      // transfer or sale that is changing it is done, and held so until the claim is in.
      if (ctx.engine === 'postgres') await lockUnitRow(trx, input.serial)
      let unit = await findUnitBySerial(trx, input.serial)
      // Read before anything is said of the unit's claims: without a proof, whoever is asked
      // for one learns no more of the unit than that it is not theirs.
      const holdsProof = () =>
        holdsProofOfPurchase(trx, {
          fileIds: input.files ?? [],
          ownerUserId: actor.userId,
          now: new Date(at),
        })
      // The answer to a serial not on file that nobody described. A customer without a proof is
      // asked for it first, as on a unit on file nobody owns: told instead to describe the unit,
      // they would learn which serials are on file by the ones they are not told to describe.
      const notRegistered = async () =>
        party === 'customer' && !(await holdsProof())
          ? proofRefusal('claims.intake.proof-required', canonicalSerial(input.serial))
          : new AppError(
              'validation',
              { key: 'claims.intake.unit-not-registered', params: { field: 'unit', serial: input.serial } },
              { field: 'unit' },
            )
      const claimedUnit = input.unit && {
        serial: input.serial.trim(),
        unit:
          actor.role === 'dealer'
            ? { ...input.unit, channel: 'dealer' as const, dealerOrgId: actor.orgId ?? undefined }
            : input.unit,
      }
      if (!unit) {
        if (!claimedUnit) throw await notRegistered()
        // A claim makes nobody an owner: the customer (or the one a dealer names) has the claim
        // on a unit not on file once they show their proof of purchase, as on a unit on file
        // nobody owns, and staff, weighing that proof, name the owner.
        // A serial registered meanwhile by another writer is answered as on file, and judged so below.
        const ownerCustomerId =
          party === 'customer' || actor.role === 'dealer' ? null : (input.customerId ?? null)
        unit = await registerClaimedUnit(ctx, trx, claimedUnit.serial, claimedUnit.unit, ownerCustomerId, at)
      }
      const customerId =
        actor.role === 'customer' ? actor.customerId : (input.customerId ?? unit.ownerCustomerId ?? null)
      // A unit a seller has offered to its buyer is that buyer's to claim, as if they owned it.
      // Read only where it decides something: a customer's claim, or a dealer naming a customer.
      const namesCustomer =
        party === 'customer' || (actor.role === 'dealer' && input.customerId !== undefined)
      const offeredTo =
        namesCustomer && unit.ownerCustomerId === null
          ? (await findUnitOffer(trx, unit.serial))?.customer_id
          : undefined
      // A unit the claimant may not claim on is answered as a serial not on file would be, up
      // to the registration itself: which serials exist, and whose they are, is not theirs to
      // learn by trying them. Its description is refused as a registration would refuse it, and
      // then its serial as taken, as one registered a moment before would be.
      if (
        !unitVisibleTo(unit, actor) ||
        (party === 'customer' && offeredTo !== undefined && offeredTo !== actor.customerId)
      ) {
        if (!claimedUnit) throw await notRegistered()
        const ownerIfNew = party === 'customer' || actor.role === 'dealer' ? null : (input.customerId ?? null)
        // A customer describing a serial not on file is asked next for their proof of purchase.
        const unproven =
          party === 'customer' && !(await holdsProof())
            ? proofRefusal('claims.intake.proof-required', canonicalSerial(input.serial))
            : undefined
        return refuseClaimedUnitOnFile(
          ctx,
          trx,
          claimedUnit.serial,
          claimedUnit.unit,
          ownerIfNew,
          at,
          unproven,
        )
      }
      // A dealer names only the customer the unit belongs (or is offered) to: naming another
      // of its customers would show them this unit's claim and lock its owner out of claiming.
      const holder = unit.ownerCustomerId ?? offeredTo
      if (
        actor.role === 'dealer' &&
        input.customerId !== undefined &&
        holder !== undefined &&
        holder !== input.customerId
      )
        throw new AppError(
          'not-found',
          {
            key: 'claims.intake.dealer-customer-unknown',
            params: { field: 'customerId', id: input.customerId },
          },
          { field: 'customerId' },
        )
      // Staff and integrations, who see every unit, may name the customer, but not another than
      // the unit's owner: the claim would show that customer a unit they never owned and keep its
      // owner out. A unit that changed hands is transferred first (its claims follow the owner).
      if (
        party !== 'customer' &&
        actor.role !== 'dealer' &&
        input.customerId !== undefined &&
        unit.ownerCustomerId !== null &&
        input.customerId !== unit.ownerCustomerId
      )
        throw new AppError(
          'validation',
          { key: 'claims.intake.customer-not-owner', params: { field: 'customerId', serial: unit.serial } },
          { field: 'customerId' },
        )
      const proofAsked = proofOfPurchaseAsked(unit, actor, input.customerId, offeredTo)
      if (proofAsked && !(await holdsProof())) {
        // Named as typed, made canonical, as a serial not on file is: not as the registry keeps it.
        const refusal = proofRefusal(proofAsked, canonicalSerial(input.serial))
        // A customer describing the unit has the description weighed first, as for a serial
        // not on file: that it was not tells them the serial is on file.
        if (party === 'customer' && claimedUnit)
          return refuseClaimedUnitOnFile(ctx, trx, claimedUnit.serial, claimedUnit.unit, null, at, refusal)
        throw refusal
      }
      const open = await findOpenClaimOnUnit(trx, unit.serial, ctx.engine === 'postgres')
      if (open && !input.duplicateOverride) {
        // The open claim is named only to whoever may see it; others learn only that one exists
        // and that the service team, who see every claim, can sort it out.
        const visible = requireVisibleOrUndefined(open, actor)
        throw new AppError(
          'conflict',
          visible
            ? {
                key: 'claims.intake.open-claim-exists-named',
                params: { field: 'serial', serial: unit.serial, claim: claimNumber(open) },
              }
            : { key: 'claims.intake.open-claim-exists', params: { field: 'serial', serial: unit.serial } },
          {
            field: 'serial',
            details: visible
              ? {
                  openClaimId: open.id,
                  openClaimNumber: claimNumber(open),
                  openClaimUrl: `/claims/${open.id}`,
                }
              : {},
          },
        )
      }
      // The day of first contact, in the policy's own time zone. Only staff, saying why, date a
      // claim earlier (checkClaimIntake); any other day sent is the intake day as a browser
      // somewhere wrote it, up to a day off the policy's, and dates nothing: a customer whose
      // warranty ended yesterday in the policy's zone cannot claim on yesterday at UTC-12.
      const timeZone = ctx.policies.summary(unit.policyId, unit.policyVersion)?.timeZone ?? 'UTC'
      const today = localDate(new Date(at), timeZone)
      const backDated =
        party === 'staff' &&
        input.claimedOnReason !== undefined &&
        input.claimedOn !== undefined &&
        input.claimedOn < today
      const claimedOn = backDated && input.claimedOn !== undefined ? input.claimedOn : today
      const id = crypto.randomUUID()
      const fileKinds = await takeHeldFiles(trx, {
        fileIds: input.files ?? [],
        claimId: id,
        ownerUserId: actor.userId,
        now: new Date(at),
        field: 'files',
        claimBytes: claimBytesLimit(ctx.config),
      })
      // A held file is evidence of its kind, so the first answer already weighs it. A
      // claimant's word that they have the box photos is not the photos: the evidence of a
      // customer or dealer is what their files show; staff state what they have seen.
      const stated = party === 'customer' || party === 'dealer' ? [] : input.evidence
      const evidence = [...stated, ...fileKinds.filter(isEvidenceKind)]
      // A proof its owner filed with their registration, not weighed yet, is offered as one
      // sent with the claim is: the decision says the proof waits, not that there is none.
      const proofOffered =
        fileKinds.includes('proof-of-purchase') ||
        (!unit.proofOfPurchase && (await listOfferedUnitProofs(trx, unit.serial)).length > 0)
      const facts = buildClaimCase(unit, { ...input, evidence }, claimedOn, proofOffered)
      const decision = ctx.policies.decide(facts, { version: unit.policyVersion })
      const summary = ctx.policies.summary(unit.policyId, unit.policyVersion)
      const row = newClaimRow({
        id,
        state: INITIAL_STATE,
        version: 0,
        policy_id: unit.policyId,
        policy_version: unit.policyVersion,
        currency: toCurrency(summary?.currency),
        brand: unit.brandRelation,
        unit_id: unit.serial,
        serial: unit.serial,
        model: unit.modelName,
        category: unit.category,
        customer_id: customerId,
        // The claim's dealer sees and serves it: only one that confirmed the sale.
        dealer_org_id: confirmedDealerOf(unit),
        opened_by: actor.userId,
        opened_by_role: actor.role,
        case_json: JSON.stringify({
          ...facts,
          orderNumber: input.orderNumber ?? input.unit?.orderNumber,
          noticedOn: input.problem.noticedOn,
        }),
        problem_description: input.problem.description,
        preference: input.preference ?? null,
        opened_at: at,
        updated_at: at,
      })
      await insertClaim(trx, row)
      // A customer who never chose a language is written to in the one they use here, the
      // receipt first: the claim's mail would otherwise go in the default, English.
      if (party === 'customer' && customerId && readerLanguage)
        await noteCustomerLanguageSeen(trx, customerId, readerLanguage, at)
      const opened: ClaimOpenedData = {
        serial: unit.serial,
        policy: `${unit.policyId}@${unit.policyVersion}`,
        case: facts,
        ...claimedOnNote(actor, input),
        ...(input.orderNumber ? { orderNumber: input.orderNumber } : {}),
        ...(input.problem.noticedOn ? { noticedOn: input.problem.noticedOn } : {}),
        ...((input.files ?? []).length > 0 ? { files: [...new Set(input.files)] } : {}),
        ...(open && input.duplicateOverride
          ? { duplicateOf: open.id, overrideReason: input.duplicateOverride.reason }
          : {}),
      }
      const stored = await commitClaimEvents(ctx, trx, row, actor, at, [
        {
          type: CLAIM_OPENED,
          data: opened,
          email: { model: unit.modelName, serial: unit.serial },
          webhook: { serial: unit.serial },
          // The customer has waited for an answer since they first got in touch, not since the
          // claim was keyed in: its clocks count from that day, as a unit's from its arrival.
          ...(backDated ? { occurredOn: claimedOn } : {}),
        },
        { type: DECISION_PROVISIONAL, data: { decision }, webhook: { covered: decision.covered } },
      ])
      if (idempotencyKey) {
        await insertIdempotencyKey(trx, {
          actor_id: actor.userId,
          idem_key: idempotencyKey,
          claim_id: id,
          response: JSON.stringify({ claimId: id }),
          created_at: at,
          request_hash: requestHash,
        })
      }
      return stored
    })
    return { claim, created: true }
  } catch (error) {
    // Two requests with one key raced: the loser answers the winner's claim. It may lose on
    // the key's row, or earlier: on PostgreSQL it waits for the unit's lock and then finds
    // the winner's claim open, or the held files already taken.
    if (idempotencyKey) {
      const earlier = await replayIdempotent(ctx, actor, idempotencyKey, requestHash)
      if (earlier) return { claim: earlier, created: false }
    }
    throw error
  }
}

/**
 * Why a claim must show a proof of purchase, as the refusal without one says, or undefined
 * when it need not. A unit sold without a registered owner is claimed by whoever shows they
 * bought it: its serial is printed on the box and the sale's papers, so knowing it proves
 * nothing, and a customer the seller offered it to need not. The claim does not make the
 * claimant its owner; staff weigh the proof on the case. A dealer naming a customer on a
 * unit nobody owns or was offered shows them the claim, so the dealer shows the customer
 * bought it, as the customer would; unnamed, the claim is the dealer's alone.
 */
function proofOfPurchaseAsked(
  unit: UnitRecord,
  actor: Actor,
  namedCustomerId: string | undefined,
  offeredTo: string | undefined,
): 'claims.intake.proof-required' | 'claims.intake.dealer-proof-required' | undefined {
  if (unit.ownerCustomerId !== null) return undefined
  if (toClaimParty(actor) === 'customer')
    return offeredTo === actor.customerId ? undefined : 'claims.intake.proof-required'
  if (actor.role === 'dealer' && namedCustomerId !== undefined && offeredTo === undefined)
    return 'claims.intake.dealer-proof-required'
  return undefined
}

type ProofAsked = NonNullable<ReturnType<typeof proofOfPurchaseAsked>>

const proofRefusal = (key: ProofAsked, serial: string) =>
  new AppError('validation', { key, params: { field: 'files', serial } }, { field: 'files' })

const isEvidenceKind = (kind: string): kind is (typeof EVIDENCE_KINDS)[number] =>
  (EVIDENCE_KINDS as readonly string[]).includes(kind)

const requireVisibleOrUndefined = (claim: ClaimsTable, actor: Actor): ClaimsTable | undefined =>
  isClaimVisibleTo(claim, actor) ? claim : undefined

/**
 * The body as parsed by its schema: Zod builds objects in the schema's key order, so two
 * bodies that differ only in key order or in defaults left out hash alike.
 */
const hashOpenClaimInput = (input: OpenClaimInput): string =>
  crypto.createHash('sha256').update(JSON.stringify(input)).digest('hex')

/** The claim an earlier request with this key opened, or a 422 when the key came with another body. */
async function replayIdempotent(
  ctx: AppContext,
  actor: Actor,
  key: string,
  requestHash: string,
): Promise<ClaimsTable | undefined> {
  const stored = await findIdempotentResponse(ctx.db, actor.userId, key)
  if (!stored) return undefined
  if (stored.request_hash !== null && stored.request_hash !== requestHash) {
    throw new AppError(
      'idempotency-mismatch',
      { key: 'claims.intake.idempotency-mismatch', params: { field: 'Idempotency-Key' } },
      { field: 'Idempotency-Key' },
    )
  }
  return findClaim(ctx.db, stored.claim_id)
}
