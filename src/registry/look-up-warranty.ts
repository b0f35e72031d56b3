import type { AppContext } from '../app/context.ts'
import { caseSchema } from '../contracts/case.ts'
import type { PolicyLibrary } from '../policies/policy-library.ts'
import { AppError } from '../shared/errors.ts'
import { localDate } from '../shared/local-date.ts'
import type { WarrantyLookup } from './registry.schemas.ts'
import type { UnitRecord } from './unit.store.ts'
import { prepareFindUnitBySerial } from './unit-by-serial.store.ts'
import { type WarrantyFacts, warrantyFactsForUnit } from './unit-facts.ts'

type WarrantyWindow = WarrantyLookup['warranty']

/** How many warranty windows a look-up keeps; the oldest is dropped beyond it. */
export const WARRANTY_WINDOW_CACHE_SIZE = 10_000

export interface WarrantyLookupOptions {
  /** Windows kept in memory (default `WARRANTY_WINDOW_CACHE_SIZE`); 0 keeps none. */
  cacheSize?: number
}

/** The look-up for one application, with its prepared query and its cache of windows. */
export interface WarrantyLookupService {
  lookUp(serial: string): Promise<WarrantyLookup>
  /** Windows now cached, for tests. */
  cachedWindows(): number
}

/**
 * The public warranty answer for a serial: the standard window of the policy version the
 * unit was sold under, judged as if a claim were opened today. It carries nothing about
 * the owner, because anyone who reads a serial off a unit may ask.
 *
 * The unit is read from the database on every call (instances share PostgreSQL, so a
 * transfer or a correction made by another must show at once). Only the window is
 * cached: a decision is a pure function of the policy version and the case, so the same
 * policy version, facts and day give the same window in every instance.
 */
export function createWarrantyLookup(
  ctx: AppContext,
  options: WarrantyLookupOptions = {},
): WarrantyLookupService {
  const findUnit = prepareFindUnitBySerial(ctx)
  const limit = options.cacheSize ?? WARRANTY_WINDOW_CACHE_SIZE
  const windows = new Map<string, WarrantyWindow>()
  let library: PolicyLibrary | undefined

  const windowOf = (unit: UnitRecord, today: string): WarrantyWindow => {
    const policies = ctx.policies
    if (policies !== library) {
      // Cached windows belong to the library they were decided by.
      windows.clear()
      library = policies
    }
    const facts = warrantyFactsForUnit(unit)
    const key = warrantyWindowKey(`${unit.policyId}@${unit.policyVersion}`, facts, today)
    const cached = windows.get(key)
    if (cached !== undefined || windows.has(key)) return cached ?? null
    const provisionalCase = caseSchema.parse({
      policy: unit.policyId,
      claimedOn: today,
      ...facts,
      problem: { kind: 'malfunction' },
    })
    const window = policies.decide(provisionalCase, { version: unit.policyVersion }).warranty
    if (limit > 0) {
      if (windows.size >= limit) windows.delete(windows.keys().next().value as string)
      windows.set(key, window === null ? null : { starts: window.starts, ends: window.ends })
    }
    return window
  }

  return {
    async lookUp(serial) {
      const unit = await findUnit(serial)
      if (!unit) throw new AppError('not-found', `No unit with serial ${serial}`, { field: 'serial' })
      // "Today" in the policy's own time zone, as the policy counts its days.
      const timeZone = ctx.policies.summary(unit.policyId, unit.policyVersion)?.timeZone ?? 'UTC'
      const today = localDate(ctx.now(), timeZone)
      const warranty = windowOf(unit, today)
      return {
        serial: unit.serial,
        model: { id: unit.modelId, name: unit.modelName, category: unit.category },
        brand: { id: unit.brandOrgId, name: unit.brandName },
        policy: {
          id: unit.policyId,
          version: unit.policyVersion,
          ref: `${unit.policyId}@${unit.policyVersion}`,
        },
        warranty: warranty === null ? null : { starts: warranty.starts, ends: warranty.ends },
        inWarranty: warranty !== null && warranty.starts <= today && today <= warranty.ends,
        checkedOn: today,
      }
    },
    cachedWindows: () => windows.size,
  }
}

/**
 * Everything the decision reads: the policy version, the day, and the unit's warranty
 * facts. The serial enters only as present or absent, because policies can ask whether
 * a unit has a serial (`hasSerial`) but never match its text; keeping it out lets units
 * sold alike share one entry.
 */
export function warrantyWindowKey(policyRef: string, facts: WarrantyFacts, today: string): string {
  const product = {
    ...facts.product,
    serial: facts.product.serial !== undefined && facts.product.serial !== '',
  }
  return JSON.stringify([policyRef, today, product, facts.purchase])
}
