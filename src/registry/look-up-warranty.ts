import type { AppContext } from '../app/context.ts'
import { caseSchema } from '../contracts/case.ts'
import { AppError } from '../shared/errors.ts'
import type { WarrantyLookup } from './registry.schemas.ts'
import { findUnitBySerial } from './unit.store.ts'
import { warrantyFactsForUnit } from './unit-facts.ts'

/**
 * The public warranty answer for a serial: the standard window of the policy version the
 * unit was sold under, judged as if a claim were opened today. It carries nothing about
 * the owner, because anyone who reads a serial off a unit may ask.
 */
export async function lookUpWarranty(ctx: AppContext, serial: string): Promise<WarrantyLookup> {
  const unit = await findUnitBySerial(ctx.db, serial)
  if (!unit) throw new AppError('not-found', `No unit with serial ${serial}`, { field: 'serial' })
  const today = ctx.now().toISOString().slice(0, 10)
  const provisionalCase = caseSchema.parse({
    policy: unit.policyId,
    claimedOn: today,
    ...warrantyFactsForUnit(unit),
    problem: { kind: 'malfunction' },
  })
  const decision = ctx.policies.decide(provisionalCase, { version: unit.policyVersion })
  const warranty = decision.warranty
  return {
    serial: unit.serial,
    model: { id: unit.modelId, name: unit.modelName, category: unit.category },
    brand: { id: unit.brandOrgId, name: unit.brandName },
    policy: { id: unit.policyId, version: unit.policyVersion, ref: `${unit.policyId}@${unit.policyVersion}` },
    warranty,
    inWarranty: warranty !== null && warranty.starts <= today && today <= warranty.ends,
    checkedOn: today,
  }
}
