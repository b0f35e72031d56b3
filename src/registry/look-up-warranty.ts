import { caseSchema } from '../contracts/case.ts'
import type { WalCommitWatch } from '../db/wal-commit-watch.ts'
import type { PolicyLibrary } from '../policies/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { localDate } from '../shared/local-date.ts'
import { type WarrantyLookup, warrantyLookupResponse } from './registry.schemas.ts'
import type { UnitRecord } from './unit.store.ts'
import { prepareFindUnitBySerial, prepareReadUnitPage } from './unit-by-serial.store.ts'
import { type WarrantyFacts, warrantyFactsForUnit } from './unit-facts.ts'

type WarrantyWindow = WarrantyLookup['warranty']

/** How many warranty windows a look-up keeps; the oldest is dropped beyond it. */
export const WARRANTY_WINDOW_CACHE_SIZE = 10_000

/**
 * How many whole answers are kept, by serial: enough for a large registry, so a look-up
 * rarely reads the database. Units sold alike share everything after their serial, so an
 * answer costs its key and a reference (about 100 bytes), not its text.
 */
export const WARRANTY_ANSWER_CACHE_SIZE = 250_000

export interface WarrantyLookupOptions {
  /** Windows kept in memory (default `WARRANTY_WINDOW_CACHE_SIZE`); 0 keeps none. */
  cacheSize?: number
  /** Whole answers kept (default `WARRANTY_ANSWER_CACHE_SIZE`); 0 keeps none. */
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
  /**
   * Fills the answer cache from the registry, a page at a time between requests, so a
   * server answers its first look-ups from memory too. Stops at the cache's size, when the
   * registry changes meanwhile (look-ups then fill it as they come) or when `stopped()`.
   */
  warm(stopped: () => boolean): Promise<number>
}

/** The answer's text after its serial, shared by every unit whose answer has it. */
interface AnswerTail {
  /** The policy's time zone and the day it was judged on: a new day is judged afresh. */
  timeZone: string
  today: string
  tail: string
}

const SERIAL_HEAD = '{"serial":'
/** Small pages: each is read and decided in one go, and requests wait while it is. */
const WARM_PAGE_SIZE = 200

/**
 * The public warranty answer for a serial: the standard window of the policy version the
 * unit was sold under, judged as if a claim were opened today. It carries nothing about
 * the owner, because anyone who reads a serial off a unit may ask.
 *
 * The window is cached: a decision is a pure function of the policy version and the case,
 * so the same policy version, facts and day give the same window in every instance.
 *
 * `lookUp` reads the unit on every call. `lookUpJson` also keeps whole answers by serial,
 * valid while the registry version (`registry_version`, bumped by triggers in the same
 * transaction as any write to units, models or organisations) and the policy library stay
 * the same. The version is one indexed read of one row, made after the call: on SQLite a
 * prepared statement on the read connection, made per call unless the log index's header
 * shows no commit at all since the last read (`readAgainOnlyAfterCommits`), and on
 * PostgreSQL a round trip shared by the calls that came in together (`shareVersionReads`). So every instance over a database,
 * and every process on a SQLite file, answers a change on its first look-up after the
 * commit, while writes to claims, sessions or rate-limit counters leave the cache alone.
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
    return answerOf(unit)
  }

  const answerOf = (unit: UnitRecord): WarrantyLookup => {
    // "Today" in the policy's own time zone, as the policy counts its days.
    const summary = ctx.policies.summary(unit.policyId, unit.policyVersion)
    const timeZone = summary?.timeZone ?? 'UTC'
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
        title: summary?.title ?? unit.policyId,
        translations: summary?.translations ?? {},
      },
      warranty: warranty === null ? null : { starts: warranty.starts, ends: warranty.ends },
      inWarranty: warranty !== null && warranty.starts <= today && today <= warranty.ends,
      checkedOn: today,
    }
  }

  const answerLimit = options.answerCacheSize ?? WARRANTY_ANSWER_CACHE_SIZE
  const readVersion = prepareReadRegistryVersion(ctx)
  // A read on SQLite's read connection is a few microseconds on this thread: made per
  // look-up, it answers at once, where waiting for the pass's shared read kept a look-up
  // behind every other request of the pass (under the mixed load, 4–5 ms at the median).
  // While nothing at all has committed to the file since the last read, even that read is
  // left out: the log index's header says so in one system call instead of three.
  const commits = ctx.sqliteReader ? ctx.watchCommits?.() : undefined
  const readVersionForLookUp = ctx.sqliteReader
    ? commits
      ? readAgainOnlyAfterCommits(readVersion, commits)
      : readVersion
    : shareVersionReads(readVersion)
  const readPage = prepareReadUnitPage(ctx, WARM_PAGE_SIZE)
  const answers = new Map<string, AnswerTail>()
  const tails = new Map<string, AnswerTail>()
  let answersVersion: number | undefined
  let answersLibrary: PolicyLibrary | undefined

  /** Answers kept under another registry version or policy library are dropped. */
  const adopt = (version: number, policies: PolicyLibrary): void => {
    if (version === answersVersion && policies === answersLibrary) return
    answers.clear()
    tails.clear()
    answersVersion = version
    answersLibrary = policies
  }

  const toJson = (answer: WarrantyLookup) => JSON.stringify(warrantyLookupResponse.parse(answer))

  const keep = (key: string, answer: WarrantyLookup, json: string, policies: PolicyLibrary) => {
    // The serial comes first in the schema; anything else is kept out of the cache.
    const head = SERIAL_HEAD + JSON.stringify(key)
    if (answer.serial !== key || !json.startsWith(head)) return
    const text = json.slice(head.length)
    let shared = tails.get(text)
    if (!shared) {
      // Days pass without writes; tails of past days go once there are too many.
      if (tails.size >= answerLimit) tails.clear()
      const timeZone = policies.summary(answer.policy.id, answer.policy.version)?.timeZone ?? 'UTC'
      shared = { timeZone, today: answer.checkedOn, tail: text }
      tails.set(text, shared)
    }
    if (answers.size >= answerLimit) answers.delete(answers.keys().next().value as string)
    answers.set(key, shared)
  }

  return {
    lookUp,
    async lookUpJson(serial) {
      if (answerLimit <= 0) return toJson(await lookUp(serial))
      // Read before the unit: an answer read after it is at least as new as this version.
      const version = await readVersionForLookUp()
      const policies = ctx.policies
      adopt(version, policies)
      const key = serial.trim()
      const cached = answers.get(key)
      if (cached && localDate(ctx.now(), cached.timeZone) === cached.today)
        return SERIAL_HEAD + JSON.stringify(key) + cached.tail
      const answer = await lookUp(key)
      const json = toJson(answer)
      // Another look-up may have seen a newer version while this one awaited: then this
      // answer may be older than what the cache now stands for, and is not kept.
      if (answersVersion === version && answersLibrary === policies) keep(key, answer, json, policies)
      return json
    },
    async warm(stopped) {
      if (answerLimit <= 0) return 0
      const version = await readVersion()
      const policies = ctx.policies
      adopt(version, policies)
      let after = ''
      let warmed = 0
      while (!stopped() && answers.size < answerLimit) {
        const units = await readPage(after)
        const last = units.at(-1)
        if (!last) break
        // Only while nothing has been written since the version was read before the page
        // (kept anyway the page would be right, but thrown away by the next look-up).
        if ((await readVersion()) !== version || answersVersion !== version || answersLibrary !== policies)
          break
        for (const unit of units) {
          const answer = answerOf(unit)
          keep(answer.serial, answer, toJson(answer), policies)
          warmed++
        }
        after = last.serial
        // Between pages the event loop serves requests. The pause also keeps the allocation
        // rate low enough that the collector keeps up: without it V8 grows the heap by
        // about 90 MB for 100,000 units and keeps it; with it, by about 30 MB.
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      return warmed
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

/**
 * One version read for all the look-ups that ask in one pass of the event loop: each waits
 * for a read made after it asked (in the loop's check phase, after the requests that came in
 * together were parsed), so none is answered from a version older than its request, while
 * under load one read (a read transaction, three system calls on SQLite; a round trip on
 * PostgreSQL) serves dozens of requests.
 */
export function shareVersionReads(read: () => Promise<number>): () => Promise<number> {
  let pending: Promise<number> | undefined
  return () => {
    // Inside `then`, a read that throws instead of rejecting fails its look-ups, not the process.
    pending ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      // Asked from here on, a look-up waits for the next read.
      pending = undefined
      return read()
    })
    return pending
  }
}

/**
 * The version read afresh only when something has committed since the last read. The
 * watch is asked before the read, so the version kept is at least as new as the header
 * that later asks compare against. A failed read keeps nothing.
 */
export function readAgainOnlyAfterCommits(
  read: () => Promise<number>,
  commits: Pick<WalCommitWatch, 'unchangedSinceLastAsked'>,
): () => Promise<number> {
  let known: Promise<number> | undefined
  return () => {
    if (commits.unchangedSinceLastAsked() && known) return known
    const reading = read()
    known = reading
    reading.catch(() => {
      if (known === reading) known = undefined
    })
    return reading
  }
}

/**
 * The registry version as the database has it now. On SQLite, read synchronously on the
 * read connection, which never holds a transaction and so sees only committed rows.
 * Without its row (deleted by hand) it is NaN, which equals nothing: no answer is reused.
 */
export function prepareReadRegistryVersion(
  ctx: Pick<AppContext, 'db' | 'sqliteReader'>,
): () => Promise<number> {
  const reader = ctx.sqliteReader
  if (reader) {
    const statement = reader.prepare<[], number>('select version from registry_version where id = 1').pluck()
    return async () => Number(statement.get() ?? Number.NaN)
  }
  const compiled = ctx.db.selectFrom('registry_version').select('version').where('id', '=', 1).compile()
  return async () => {
    const { rows } = await ctx.db.executeQuery(compiled)
    return Number(rows[0]?.version ?? Number.NaN)
  }
}
