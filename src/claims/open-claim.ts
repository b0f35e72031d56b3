import crypto from 'node:crypto'
import type { z } from 'zod'
import type { AppContext } from '../app/context.ts'
import type { Actor } from '../auth/actor.ts'
import { caseSchema, type WarrantyCase } from '../contracts/case.ts'
import { isUniqueViolation } from '../db/database.ts'
import { findUnitBySerial, type UnitRecord } from '../registry/unit.store.ts'
import { warrantyFactsForUnit } from '../registry/unit-facts.ts'
import { AppError } from '../shared/errors.ts'
import { localDate } from '../shared/local-date.ts'
import { parseOrThrow } from '../shared/validate.ts'
import type { openClaimBody } from './claim.schemas.ts'
import {
  findClaim,
  findIdempotentResponse,
  insertClaim,
  insertIdempotencyKey,
  updateClaimAtVersion,
} from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { toClaimParty } from './claim-access.ts'
import { announceClaimEvent } from './claim-effects.ts'
import { appendClaimEvent, type ChainHead, chainHeadColumns, EMPTY_CHAIN } from './claim-history.ts'
import { projectionColumns } from './claim-view.ts'
import { CLAIM_OPENED, DECISION_PROVISIONAL } from './domain/claim-events.ts'
import { replayClaim } from './domain/claim-projection.ts'
import { toCurrency } from './domain/quote-totals.ts'
import { checkClaimIntake, claimedOnNote } from './intake-rules.ts'
import { registerClaimedUnit } from './register-claimed-unit.ts'

export type OpenClaimInput = z.output<typeof openClaimBody>

function unitVisibleTo(unit: UnitRecord, actor: Actor): boolean {
  const party = toClaimParty(actor)
  if (party === 'customer') return unit.ownerCustomerId === null || unit.ownerCustomerId === actor.customerId
  if (party === 'dealer') return unit.dealerOrgId !== null && unit.dealerOrgId === actor.orgId
  return true
}

/** The contract case of a claim, before inspection. */
export function buildClaimCase(unit: UnitRecord, input: OpenClaimInput, claimedOn: string): WarrantyCase {
  return parseOrThrow(caseSchema, {
    policy: unit.policyId,
    claimedOn,
    ...warrantyFactsForUnit(unit),
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
 * Intake by a customer, dealer or staff: finds (or registers) the unit, takes the
 * provisional decision of the engine (what is covered, what evidence is missing) and
 * appends `claim.opened` and `decision.provisional` in one transaction. With an
 * idempotency key, a repeat from the same actor answers the same claim and creates none.
 */
export async function openClaim(
  ctx: AppContext,
  actor: Actor,
  input: OpenClaimInput,
  idempotencyKey?: string,
): Promise<{ claim: ClaimsTable; created: boolean }> {
  if (toClaimParty(actor) === 'customer' && !actor.customerId) {
    throw new AppError('forbidden', 'This account is not linked to a customer record')
  }
  input = await checkClaimIntake(ctx.db, actor, input, ctx.now())
  if (idempotencyKey) {
    const earlier = await replayIdempotent(ctx, actor, idempotencyKey)
    if (earlier) return { claim: earlier, created: false }
  }
  const at = ctx.now().toISOString()
  try {
    const claim = await ctx.db.transaction().execute(async (trx) => {
      let unit = await findUnitBySerial(trx, input.serial)
      const customerId =
        actor.role === 'customer' ? actor.customerId : (input.customerId ?? unit?.ownerCustomerId ?? null)
      if (!unit) {
        if (!input.unit) {
          throw new AppError(
            'validation',
            `unit: serial ${input.serial} is not registered; describe the unit to register it`,
            {
              field: 'unit',
            },
          )
        }
        const dealerUnit =
          actor.role === 'dealer'
            ? { ...input.unit, channel: 'dealer' as const, dealerOrgId: actor.orgId ?? undefined }
            : input.unit
        unit = await registerClaimedUnit(ctx, trx, input.serial.trim(), dealerUnit, customerId, at)
      }
      if (!unitVisibleTo(unit, actor))
        throw new AppError('not-found', `No unit ${input.serial}`, { field: 'serial' })
      // The day of first contact, in the policy's own time zone unless the intake names it.
      const timeZone = ctx.policies.summary(unit.policyId, unit.policyVersion)?.timeZone ?? 'UTC'
      const claimedOn = input.claimedOn ?? localDate(new Date(at), timeZone)
      const facts = buildClaimCase(unit, input, claimedOn)
      const decision = ctx.policies.decide(facts, { version: unit.policyVersion })
      const id = crypto.randomUUID()
      const summary = ctx.policies.summary(unit.policyId, unit.policyVersion)
      const openedData = {
        serial: unit.serial,
        policy: `${unit.policyId}@${unit.policyVersion}`,
        case: facts,
        ...claimedOnNote(actor, input),
        ...(input.orderNumber ? { orderNumber: input.orderNumber } : {}),
      }
      const provisionalData = { decision }
      const row: ClaimsTable = {
        id,
        state: 'new',
        resume_state: null,
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
        dealer_org_id: unit.dealerOrgId,
        opened_by: actor.userId,
        opened_by_role: actor.role,
        case_json: JSON.stringify({ ...facts, orderNumber: input.orderNumber ?? input.unit?.orderNumber }),
        problem_description: input.problem.description,
        preference: input.preference ?? null,
        provisional_decision: null,
        final_decision: null,
        inspection: null,
        rma_number: null,
        rma_json: null,
        quote_json: null,
        replacement_serial: null,
        return_carrier: null,
        return_tracking: null,
        outcome: null,
        opened_at: at,
        updated_at: at,
        closed_at: null,
      }
      await insertClaim(trx, row)
      const events = [
        { type: CLAIM_OPENED, at, data: openedData },
        { type: DECISION_PROVISIONAL, at, data: provisionalData },
      ]
      let head: ChainHead = EMPTY_CHAIN
      for (const event of events)
        head = await appendClaimEvent(
          trx,
          { claimId: id, type: event.type, at, actor, data: event.data },
          head,
        )
      const patch = { ...projectionColumns(replayClaim(events)), ...chainHeadColumns(head) }
      await updateClaimAtVersion(trx, id, 0, patch)
      const stored = { ...row, ...patch } as ClaimsTable
      if (idempotencyKey) {
        await insertIdempotencyKey(trx, {
          actor_id: actor.userId,
          idem_key: idempotencyKey,
          claim_id: id,
          response: JSON.stringify({ claimId: id }),
          created_at: at,
        })
      }
      await announceClaimEvent(ctx, trx, stored, {
        type: CLAIM_OPENED,
        at,
        actor,
        email: { model: unit.modelName, serial: unit.serial },
        webhook: { serial: unit.serial },
      })
      await announceClaimEvent(ctx, trx, stored, {
        type: DECISION_PROVISIONAL,
        at,
        actor,
        webhook: { covered: decision.covered },
      })
      return stored
    })
    return { claim, created: true }
  } catch (error) {
    // Two requests with one key raced: the loser answers the winner's claim.
    if (idempotencyKey && isUniqueViolation(error)) {
      const earlier = await replayIdempotent(ctx, actor, idempotencyKey)
      if (earlier) return { claim: earlier, created: false }
    }
    throw error
  }
}

async function replayIdempotent(
  ctx: AppContext,
  actor: Actor,
  key: string,
): Promise<ClaimsTable | undefined> {
  const stored = await findIdempotentResponse(ctx.db, actor.userId, key)
  if (!stored) return undefined
  return findClaim(ctx.db, stored.claim_id)
}
