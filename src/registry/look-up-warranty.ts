import { caseSchema } from '../contracts/case.ts'
import type { PolicyLibrary } from '../policies/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { localDate } from '../shared/local-date.ts'
import { type WarrantyLookup, warrantyLookupResponse } from './registry.schemas.ts'
import type { UnitRecord } from './unit.store.ts'
import { prepareFindUnitBySerial } from './unit-by-serial.store.ts'
import { type WarrantyFacts, warrantyFactsForUnit } from './unit-facts.ts'

type WarrantyWindow = WarrantyLookup['warranty']

/** How many warranty windows a look-up keeps; the oldest is dropped beyond it. */
export const WARRANTY_WINDOW_CACHE_SIZE = 10_000

/** How many whole answers the embedded engine keeps, by serial (about 400 bytes each). */
export const WARRANTY_ANSWER_CACHE_SIZE = 50_000

export interface WarrantyLookupOptions {
  /** Windows kept in memory (default `WARRANTY_WINDOW_CACHE_SIZE`); 0 keeps none. */
  cacheSize?: number
  /** Answers kept on the embedded engine (default `WARRANTY_ANSWER_CACHE_SIZE`); 0 keeps none. */
  answerCacheSize?: number
}

/** The look-up for one application, with its prepared query and its caches. */
export interface WarrantyLookupService {
  lookUp(serial: string): Promise<WarrantyLookup>
  /** The same answer as JSON text, checked against the response schema once and then reused. */
  lookUpJson(serial: string): Promise<string>
  /** Windows now cached, for tests. */
  cachedWindows(): number
  /** Whole answers now cached, for tests. */
  cachedAnswers(): number
}

interface CachedAnswer {
  timeZone: string
  today: string
  json: string
}

/**
 * The public warranty answer for a serial: the standard window of the policy version the
 * unit was sold under, judged as if a claim were opened today. It carries nothing about
 * the owner, because anyone who reads a serial off a unit may ask.
 *
 * The window is cached: a decision is a pure function of the policy version and the case,
 * so the same policy version, facts and day give the same window in every instance.
 *
 * On PostgreSQL the unit is read on every call: instances share the database, so a
 * transfer or a correction made by another must show at once, and asking whether anything
 * changed would cost a round trip, as much as the indexed read itself. On the embedded
 * engine the whole answer is kept by serial and dropped as soon as anything is written:
 * SQLite's change counter (`total_changes()`, this connection's writes) and `data_version`
 * (other connections' and processes' commits) are read in one statement per call, far less
 * than the look-up they save, so an answer is never older than the last commit.
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

  const lookUp = async (serial: string): Promise<WarrantyLookup> => {
    const unit = await findUnit(serial)
    if (!unit)
      throw new AppError(
        'not-found',
        { key: 'unit.not-found', params: { serial: serial } },
        { field: 'serial' },
      )
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
  }

  const answerLimit = options.answerCacheSize ?? WARRANTY_ANSWER_CACHE_SIZE
  const sqlite = ctx.sqlite
  const versionStatement =
    sqlite && answerLimit > 0
      ? sqlite
          .prepare<[], [number, number]>(
            'select total_changes(), (select data_version from pragma_data_version())',
          )
          .raw(true)
      : undefined
  const answers = new Map<string, CachedAnswer>()
  let answersVersion = ''

  const toJson = (answer: WarrantyLookup) => JSON.stringify(warrantyLookupResponse.parse(answer))

  return {
    lookUp,
    async lookUpJson(serial) {
      // Inside a transaction the one connection may see writes not yet committed: no cache.
      if (!versionStatement || sqlite?.inTransaction) return toJson(await lookUp(serial))
      const [changes, dataVersion] = versionStatement.get() ?? [0, 0]
      const version = `${changes}:${dataVersion}`
      if (version !== answersVersion) {
        answers.clear()
        answersVersion = version
      }
      const key = serial.trim()
      const cached = answers.get(key)
      if (cached && localDate(ctx.now(), cached.timeZone) === cached.today) return cached.json
      const answer = await lookUp(key)
      const json = toJson(answer)
      const timeZone = ctx.policies.summary(answer.policy.id, answer.policy.version)?.timeZone ?? 'UTC'
      // Only if nothing was written while the look-up ran (it awaits).
      const [changesAfter, dataVersionAfter] = versionStatement.get() ?? [0, 0]
      if (`${changesAfter}:${dataVersionAfter}` === answersVersion) {
        if (answers.size >= answerLimit) answers.delete(answers.keys().next().value as string)
        answers.set(key, { timeZone, today: answer.checkedOn, json })
      }
      return json
    },
    cachedWindows: () => windows.size,
    cachedAnswers: () => answers.size,
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
