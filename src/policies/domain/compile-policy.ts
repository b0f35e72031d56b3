import type { Finding, WarrantyCase } from '../../contracts/case.ts'
import type {
  Decision,
  Exclusion,
  Handler,
  Payers,
  Remedy,
  TraceLine,
  Words,
} from '../../contracts/decision.ts'
import { FINDINGS, REMEDIES } from '../../contracts/vocabulary.ts'
import { formatDay } from '../../shared/day-numbers.ts'
import {
  boundedWindowBecause,
  coverageBecause,
  createWindowWords,
  expiredBecause,
  extendedCoverageBecause,
  findingsBecause,
  inconsistentBecause,
  limitReason,
  NO_WARRANTY_START,
  notCausedBecause,
  notServedBecause,
  overriddenBecause,
  setAsideBecause,
  staticBecause,
  UNDATED_WARRANTY,
  type WindowWords,
} from './because.ts'
import {
  blankCaseFacts,
  blankVerdict,
  type CaseFacts,
  type CaseFactsTable,
  EVIDENCE_BIT,
  evidenceListOf,
  FINDING_BIT,
  maskOf,
  readCaseFacts,
  resetVerdict,
} from './case-facts.ts'
import { compileCondition, type Predicate } from './conditions.ts'
import {
  type CompiledCoverage,
  compileCoverage,
  DEPENDS_ON_DELIVERY,
  DEPENDS_ON_SHIPMENT,
  type StartReading,
} from './coverage.ts'
import { type CompiledExclusion, compileExclusion, makeExclusion } from './exclusions.ts'
import {
  type EarlierEvent,
  type EarlyStartEvent,
  type LimitedRemedies,
  NO_LIMITED,
  SLOT_CLAIMED,
  SLOT_OTHER_DATE,
  SLOT_WARRANTY_END,
  SLOT_WINDOW_END,
  type Template,
  withEarlyStart,
  withSetAside,
  writeExplanation,
  writtenExplanation,
} from './explain.ts'
import { type CompiledPayers, compilePayers, emptyPayers } from './payers.ts'
import type { Clause, PolicyDocument } from './policy-format.ts'
import { createRemedyLists, NO_REMEDIES, type OfferPosition, REMEDY_BIT } from './remedies.ts'
import { WEIGHED_KINDS } from './weighed-kinds.ts'
import { type CompiledWindow, compileWindow } from './windows.ts'

/**
 * A policy compiled once into closures; `decide` is pure and deterministic.
 *
 * Decisions are immutable values. To make a decision in well under a microsecond, one
 * shares its parts with other decisions of the same policy: the trace (an array of the
 * policy's trace lines, one per set of applying clauses), exclusions, remedy lists,
 * missing evidence and payers are built once, frozen, and handed out by reference. Only
 * the decision object itself and its `warranty` are new. Whoever wants to change a
 * decision copies it first; writing to a shared part throws.
 */
export interface CompiledPolicy {
  document: PolicyDocument
  /** `id@version`. */
  ref: string
  /** Clause ids `POLICY#KEY` of the clauses a decision weighs, in policy order. */
  weighedClauses: readonly string[]
  decide(input: WarrantyCase): Decision
  /**
   * The decision of the `index`th case of a table of facts: what `decide` gives for that
   * case. For a caller that reads many cases before deciding them and keeps their facts,
   * a fraction of the cases' memory, between the two.
   */
  decideStored(table: CaseFactsTable, index: number): Decision
}

interface Guarded<T> {
  index: number
  when: Predicate
  value: T
}

const SHIPPER_HANDLER = (f: CaseFacts): Handler =>
  f.shippedBy !== undefined ? f.shippedBy : f.channel === 'dealer' ? 'dealer' : 'vendor'

export interface CompileOptions {
  /**
   * Write each decision's reasons and explanation (the default). Off only to measure what
   * they cost: the trace then says which clauses applied but not with the case's facts.
   */
  explain?: boolean
}

export function compilePolicy(document: PolicyDocument, options: CompileOptions = {}): CompiledPolicy {
  const explain = options.explain !== false
  const ref = `${document.id}@${document.version}`
  const weighed = document.clauses.filter((clause) => WEIGHED_KINDS.has(clause.kind))
  const clauseId = (clause: Clause): string => `${document.id}#${clause.key}`
  const ids = weighed.map(clauseId)
  const language = document.language
  // Each clause's translations, one frozen object shared by every line and decision that quotes it.
  const translations = weighed.map((clause) => Object.freeze({ ...clause.translations }))
  const traceNo: TraceLine[] = []
  // The line of an applying clause, per handler (who pays and who serves depend on it).
  const traceYes: TraceLine[][] = []
  weighed.forEach((clause, index) => {
    const id = clauseId(clause)
    traceNo.push(
      Object.freeze({
        clause: id,
        text: clause.text,
        language,
        translations: translations[index]!,
        applies: false,
        outcome: 'not-met' as const,
      }),
    )
    traceYes.push(
      HANDLER_LIST.map((handler) =>
        Object.freeze({
          clause: id,
          text: clause.text,
          language,
          translations: translations[index]!,
          applies: true,
          outcome: 'applies' as const,
          because: staticBecause(clause, handler),
        }),
      ),
    )
  })
  const texts = weighed.map((clause) => clause.text)
  /**
   * A line of this decision only: its `because` carries the case's own facts. `not-met` is a
   * clause weighed and set aside for a reason of the case (damage found that did not cause the fault).
   */
  const lineOf = (
    index: number,
    because: Words,
    outcome: 'applies' | 'overridden' | 'not-met' = 'applies',
  ): TraceLine => ({
    clause: ids[index]!,
    text: texts[index]!,
    language,
    translations: translations[index]!,
    applies: outcome !== 'not-met',
    outcome,
    because,
  })

  const coverages: CompiledCoverage[] = []
  const windows: CompiledWindow[] = []
  const exclusions: CompiledExclusion[] = []
  const limits: Guarded<number>[] = []
  /** Why each limit rules its remedies out, in the customer's words (by position in `limits`). */
  const limitReasons: Words[] = []
  const paidServices: Guarded<readonly Remedy[]>[] = []
  const offers: Guarded<{ remedies: readonly Remedy[]; position: OfferPosition }>[] = []
  const payers: CompiledPayers[] = []
  const evidence: Guarded<number>[] = []
  const handlers: Guarded<(f: CaseFacts) => Handler>[] = []
  const services: Guarded<NonNullable<Decision['service']>>[] = []
  let scope: { index: number; parts: Set<string>; exclusion: Exclusion } | undefined
  let expiredClause: { index: number; exclusion: Exclusion } | undefined
  let notServedClause: { index: number; exclusion: Exclusion } | undefined
  let inconsistentClause: { index: number; exclusion: Exclusion } | undefined

  weighed.forEach((clause, index) => {
    const id = clauseId(clause)
    switch (clause.kind) {
      case 'coverage':
        coverages.push(compileCoverage(clause, index))
        break
      case 'window':
        windows.push(compileWindow(clause, index))
        break
      case 'scope':
        scope = { index, parts: new Set(clause.parts), exclusion: makeExclusion('out-of-scope', id) }
        break
      case 'exclusion':
        if (clause.fact === 'expired') expiredClause = { index, exclusion: makeExclusion('expired', id) }
        else if (clause.fact === 'not-served')
          notServedClause = { index, exclusion: makeExclusion('not-served', id) }
        else if (clause.fact === 'inconsistent-dates') {
          inconsistentClause = { index, exclusion: makeExclusion('inconsistent-dates', id) }
        } else exclusions.push(compileExclusion(clause, index, id))
        break
      case 'limit':
        limits.push({ index, when: compileCondition(clause.when), value: maskOf(REMEDY_BIT, clause.blocks) })
        limitReasons.push(limitReason(clause))
        break
      case 'paid-service':
        paidServices.push({
          index,
          when: compileCondition(clause.when),
          value: Object.freeze([...clause.remedies]),
        })
        break
      case 'offer':
        offers.push({
          index,
          when: compileCondition(clause.when),
          value: { remedies: Object.freeze([...clause.remedies]), position: clause.position },
        })
        break
      case 'payers':
        payers.push(compilePayers(clause, index))
        break
      case 'evidence':
        evidence.push({
          index,
          when: compileCondition(clause.when),
          value: maskOf(EVIDENCE_BIT, clause.require),
        })
        break
      case 'handler': {
        const fixed = clause.handler
        handlers.push({
          index,
          when: compileCondition(clause.when),
          value: fixed === 'shipper' ? SHIPPER_HANDLER : () => fixed,
        })
        break
      }
      case 'service':
        services.push({ index, when: compileCondition(clause.when), value: clause.mode })
        break
      // Filtered out above: they weigh in no decision.
      case 'service-level':
      case 'support-hours':
      case 'note':
        break
      default: {
        // A clause kind added to the format but not to the engine stops the build here.
        const unhandled: never = clause
        throw new Error(`clause kind ${(unhandled as Clause).kind} is not compiled`)
      }
    }
  })

  const count = weighed.length
  const lists = createRemedyLists(offers.map((offer) => offer.value))
  // The dated sentences of each window's spans.
  const windowWords: WindowWords[][] = windows.map((window) =>
    window.spans.map((span) => createWindowWords(span.event, span.days)),
  )
  const windowMissed = windows.map((window) => makeExclusion('window-missed', ids[window.index]!))
  // Without an `expired` clause, a lapsed term is excluded by the coverage clause itself.
  const expiredBy = coverages.map(
    (coverage) =>
      expiredClause ?? {
        index: coverage.index,
        exclusion: makeExclusion('expired', ids[coverage.index]!),
      },
  )
  // A policy file without its own clause for these says them through its first weighed clause.
  const notServed = notServedClause ?? { index: 0, exclusion: makeExclusion('not-served', ids[0]!) }
  const inconsistent = inconsistentClause ?? {
    index: 0,
    exclusion: makeExclusion('inconsistent-dates', ids[0]!),
  }
  const traces = createTraceTable(weighed, ids, traceYes, traceNo)
  const payerTable = createPayersTable(payers)
  const findingLines = new Map<number, Map<number, TraceLine>>()
  const findingLine = (index: number, found: number): TraceLine => {
    let byMask = findingLines.get(index)
    if (byMask === undefined) {
      byMask = new Map()
      findingLines.set(index, byMask)
    }
    let line = byMask.get(found)
    if (line === undefined) {
      line = Object.freeze(lineOf(index, findingsBecause(found)))
      byMask.set(found, line)
    }
    return line
  }
  // By problem, then part: two look-ups by the case's own strings cost less than joining
  // them into a new key, which would be hashed afresh for every decision.
  const notServedLines = new Map<string, Map<string, TraceLine>>()
  const notServedLine = (f: CaseFacts): TraceLine => {
    let byPart = notServedLines.get(f.problem)
    if (byPart === undefined) {
      byPart = new Map()
      notServedLines.set(f.problem, byPart)
    }
    let line = byPart.get(f.part)
    if (line === undefined) {
      line = Object.freeze(lineOf(notServed.index, notServedBecause(f.problem, f.part)))
      byPart.set(f.part, line)
    }
    return line
  }
  const undatedLine = Object.freeze(lineOf(notServed.index, UNDATED_WARRANTY))
  const explanations = createExplanationTable(
    document.clauses.flatMap((clause) =>
      clause.kind === 'offer' && clause.price === 'maker' ? clause.remedies : [],
    ),
  )

  // Scratch state reused by every decision of this policy: `decide` runs to completion
  // synchronously and the decision it returns references none of it.
  const f = blankCaseFacts()
  const v = blankVerdict()
  const applied = new Int32Array((count + 31) >>> 5)
  const mark = (index: number): void => {
    applied[index >>> 5]! |= 1 << (index & 31)
  }
  const patchAt: number[] = []
  const patchLine: TraceLine[] = []
  let patches = 0
  const patch = (index: number, line: TraceLine): void => {
    patchAt[patches] = index
    patchLine[patches] = line
    patches++
  }
  /**
   * `patch` of a line made by `lineOf`: the decision calls one small function, which V8
   * inlines `lineOf` into, where the decision itself is too large to inline either.
   */
  const patchWith = (index: number, because: Words, outcome: 'applies' | 'overridden' = 'applies'): void => {
    patchAt[patches] = index
    patchLine[patches] = lineOf(index, because, outcome)
    patches++
  }
  const withinWindow = new Int8Array(windows.length)
  const spanAt = new Int32Array(windows.length)
  const spanStart = new Float64Array(windows.length)

  function decide(input: WarrantyCase): Decision {
    readCaseFacts(input, f)
    return decideRead()
  }

  function decideStored(table: CaseFactsTable, index: number): Decision {
    table.readInto(index, f)
    return decideRead()
  }

  /** The decision of the facts in `f`. */
  /**
   * The remedies the limits that held took from what the claim's windows (and the warranty,
   * when it is the basis) would have offered, each with its limit's reason: every remedy
   * dropped is said, as ToupTek's refund on an accessory was not.
   */
  function limitedRemedies(held: number, warrantyBasis: boolean): readonly LimitedRemedies[] {
    if (held === 0) return NO_LIMITED
    let candidates = 0
    for (let i = 0; i < windows.length; i++) {
      if (withinWindow[i] === 1) candidates |= maskOf(REMEDY_BIT, windows[i]!.remediesFor(undefined))
    }
    if (warrantyBasis) for (const coverage of coverages) candidates |= maskOf(REMEDY_BIT, coverage.remedies)
    const limited: LimitedRemedies[] = []
    for (let i = 0; i < limits.length; i++) {
      if ((held & (1 << i)) === 0) continue
      const dropped = limits[i]!.value & candidates
      if (dropped === 0) continue
      const remedies = REMEDIES.filter((r) => (dropped & REMEDY_BIT[r]) !== 0)
      limited.push({ remedies, reason: limitReasons[i]! })
    }
    return limited.length === 0 ? NO_LIMITED : limited
  }

  function decideRead(): Decision {
    resetVerdict(v)
    // A loop, not `applied.fill(0)`: for one or two words the built-in costs more than the work.
    for (let i = 0; i < applied.length; i++) applied[i] = 0
    patches = 0

    let coverageAt = -1
    for (let i = 0; i < coverages.length; i++) {
      const candidate = coverages[i]!
      if (candidate.when(f, v)) {
        coverageAt = i
        mark(candidate.index)
        candidate.apply(f, v)
        if (explain)
          patchWith(
            candidate.index,
            Number.isNaN(v.warrantyStart)
              ? NO_WARRANTY_START
              : v.inExtension
                ? extendedCoverageBecause(v.warrantyStart, v.standardEnd, v.warrantyEnd, f.claimed)
                : coverageBecause(v.warrantyStart, v.warrantyEnd, f.claimed),
          )
        break
      }
    }
    const coverage = coverageAt < 0 ? undefined : coverages[coverageAt]!

    // Facts out of order are valid input; a claim dated before the sale, shipment or
    // delivery it depends on is answered, not refused, and not granted. Every claim depends on
    // the sale; the shipment and the delivery only where the warranty this case counts from,
    // or a window for its kind of problem, counts from them: IST's year runs from the purchase,
    // so a fault written before the unit arrived is still one of a unit bought.
    let depends = coverage === undefined ? 0 : coverage.dependsOn(f)
    for (let i = 0; i < windows.length; i++) {
      const window = windows[i]!
      if (window.servesProblem(f)) depends |= window.dependsOn
    }
    let earlier: EarlierEvent | undefined
    let earlierDay = Number.NaN
    if (f.claimed < f.purchased) {
      earlier = 'purchase'
      earlierDay = f.purchased
    } else if ((depends & DEPENDS_ON_SHIPMENT) !== 0 && f.claimed < f.shipped) {
      earlier = 'shipment'
      earlierDay = f.shipped
    } else if ((depends & DEPENDS_ON_DELIVERY) !== 0 && f.claimed < f.delivered) {
      earlier = 'delivery'
      earlierDay = f.delivered
    }

    // The windows' dates first: an exclusion may hold only outside every window that fits the
    // claim (withinWindow), and which windows hold does not depend on what is ruled out.
    // Of the exclusive windows the claim missed, the one that closed last: "within 7 days after
    // delivery or 30 days after shipment" is told by the day it last served, not the first to close.
    let missedWindow = -1
    let missedEnd = Number.NEGATIVE_INFINITY
    for (let i = 0; i < windows.length; i++) {
      const window = windows[i]!
      withinWindow[i] = 0
      if (!window.fits(f, v)) continue
      // The span and its start are kept for the trace's words, which say them.
      const at = window.spanFor(f)
      spanAt[i] = at
      if (at >= 0) spanStart[i] = window.spans[at]!.start(f)
      if (at < 0 || f.claimed > spanStart[i]! + window.spans[at]!.days) {
        if (window.exclusive) {
          // A window whose start is unknown ranks below any that closed on a known day.
          const end = at < 0 ? Number.NEGATIVE_INFINITY : spanStart[i]! + window.spans[at]!.days
          if (missedWindow < 0 || end > missedEnd) {
            missedWindow = i
            missedEnd = end
          }
        }
        continue
      }
      withinWindow[i] = 1
      v.withinWindow = true
    }

    let found: Exclusion[] | undefined
    let blocked = 0
    let blocksAll = false
    // The clause that first ruled out all free service, or some remedy, for the trace's "overridden".
    let blockedBy = -1
    if (earlier !== undefined) {
      found = [inconsistent.exclusion]
      mark(inconsistent.index)
      if (explain) patchWith(inconsistent.index, inconsistentBecause(f.claimed, earlier, earlierDay))
      blocksAll = true
      blockedBy = inconsistent.index
    }
    if (scope !== undefined && !scope.parts.has(f.part)) {
      found ??= []
      found.push(scope.exclusion)
      mark(scope.index)
      blocksAll = true
      if (blockedBy < 0) blockedBy = scope.index
    }
    for (let i = 0; i < exclusions.length; i++) {
      const exclusion = exclusions[i]!
      if (!exclusion.raises(f, v)) continue
      found ??= []
      exclusion.collect(f, found)
      mark(exclusion.index)
      if (exclusion.fact === undefined)
        if (explain)
          patch(
            exclusion.index,
            findingLine(exclusion.index, (exclusion.causal ? f.causes : f.findings) & exclusion.mask),
          )
      if (exclusion.blocks === 0) blocksAll = true
      else blocked |= exclusion.blocks
      if (blockedBy < 0) blockedBy = exclusion.index
    }
    let limitsHeld = 0
    for (let i = 0; i < limits.length; i++) {
      const limit = limits[i]!
      if (limit.when(f, v)) {
        mark(limit.index)
        blocked |= limit.value
        limitsHeld |= 1 << i
        if (blockedBy < 0) blockedBy = limit.index
      }
    }

    // Candidate bases in policy order: first-days windows, then the standard warranty.
    let basis: Decision['basis'] | undefined
    let basisWindow = -1
    let remedies: readonly Remedy[] = NO_REMEDIES
    let anyCandidate = false
    for (let i = 0; i < windows.length; i++) {
      if (withinWindow[i] === 0) continue
      const window = windows[i]!
      anyCandidate = true
      mark(window.index)
      if (basis === undefined) {
        const offered = lists.withoutBlocked(window.remediesFor(f.preference), blocked)
        if (offered.length > 0) {
          basis = window.basis
          basisWindow = i
          remedies = offered
        }
      }
    }
    const servesProblem = coverage?.servesProblem(f) === true
    if (servesProblem && v.inWarranty) {
      anyCandidate = true
      if (basis === undefined) {
        const offered = lists.withoutBlocked(coverage!.remedies, blocked)
        if (offered.length > 0) {
          basis = v.inExtension ? 'extended-warranty' : 'warranty'
          remedies = offered
        }
      }
    }
    let windowEnd = Number.NaN
    if (!anyCandidate) {
      if (servesProblem && !Number.isNaN(v.warrantyEnd) && !v.inWarranty) {
        const expired = expiredBy[coverageAt]!
        found ??= []
        found.push(expired.exclusion)
        mark(expired.index)
        if (expired.index !== coverage!.index) {
          if (explain) patchWith(expired.index, expiredBecause(v.warrantyEnd, f.claimed))
        }
        blocksAll = true
      } else if (missedWindow >= 0) {
        const window = windows[missedWindow]!
        found ??= []
        found.push(windowMissed[missedWindow]!)
        mark(window.index)
        const at = spanAt[missedWindow]!
        if (at >= 0) {
          const span = window.spans[at]!
          const start = spanStart[missedWindow]!
          windowEnd = start + span.days
          if (explain) patchWith(window.index, windowWords[missedWindow]![at]!(start, f.claimed, undefined))
        } else if (explain) {
          patchWith(window.index, windowWords[missedWindow]![0]!(Number.NaN, f.claimed, undefined))
        }
        blocksAll = true
      }
    }

    v.covered = basis !== undefined && !blocksAll
    // No silent denial: a claim refused with nothing to say why is one the policy does not serve.
    // When the warranty serves the problem and only its start is undated, that is the reason said.
    let undated = false
    if (!v.covered && found === undefined) {
      found = [notServed.exclusion]
      mark(notServed.index)
      undated = servesProblem && Number.isNaN(v.warrantyStart)
      if (explain) patch(notServed.index, undated ? undatedLine : notServedLine(f))
    }
    // Windows that held: the one that set the result applies; the rest were overridden.
    for (let i = 0; explain && i < windows.length; i++) {
      if (withinWindow[i] === 0) continue
      const window = windows[i]!
      const at = spanAt[i]!
      const span = window.spans[at]!
      const start = spanStart[i]!
      const setResult = i === basisWindow && v.covered
      if (i === basisWindow) windowEnd = start + span.days
      const by = setResult
        ? undefined
        : basisWindow >= 0 && basisWindow !== i
          ? ids[windows[basisWindow]!.index]!
          : blockedBy >= 0
            ? ids[blockedBy]!
            : undefined
      patchWith(
        window.index,
        Number.isNaN(start)
          ? // Held though its start is unknown: within its days of an event it cannot precede.
            boundedWindowBecause(
              span.event,
              span.days,
              span.earliestEvent(f),
              span.earliest(f),
              f.claimed,
              by,
            )
          : windowWords[i]![at]!(start, f.claimed, by),
        by === undefined ? 'applies' : 'overridden',
      )
    }
    let paidAt = -1
    let paidRemedies: readonly Remedy[] = NO_REMEDIES
    if (v.covered) {
      v.basis = basis!
    } else {
      remedies = NO_REMEDIES
      // A claim whose dates contradict each other is first put right, not repaired for a fee.
      if (earlier === undefined) {
        for (let i = 0; i < paidServices.length; i++) {
          const paid = paidServices[i]!
          if (paid.when(f, v)) {
            mark(paid.index)
            paidAt = paid.index
            paidRemedies = paid.value
            remedies = paid.value
            break
          }
        }
      }
    }
    for (let i = 0; i < offers.length; i++) {
      const offer = offers[i]!
      if (!offer.when(f, v)) continue
      mark(offer.index)
      remedies = lists.withOffer(remedies, i)
      // An offer of its own remedies only sets aside the paid service chosen above
      // (ToupTek's free download answers an upgrade asked for after the warranty).
      if (paidAt >= 0 && offer.value.position === 'only') {
        if (explain)
          patchWith(
            paidAt,
            setAsideBecause(paidRemedies, offer.value.remedies, ids[offer.index]!),
            'overridden',
          )
        paidAt = -1
      }
    }
    v.firstRemedy = remedies[0]

    for (let i = 0; i < handlers.length; i++) {
      const handler = handlers[i]!
      if (handler.when(f, v)) {
        mark(handler.index)
        v.handler = handler.value(f)
        break
      }
    }

    for (let i = 0; i < payers.length; i++) {
      const clause = payers[i]!
      if (clause.when(f, v)) mark(clause.index)
    }

    let required = 0
    for (let i = 0; i < evidence.length; i++) {
      const clause = evidence[i]!
      if (clause.when(f, v)) {
        mark(clause.index)
        required |= clause.value
      }
    }

    let service: Decision['service']
    for (let i = 0; i < services.length; i++) {
      const clause = services[i]!
      if (clause.when(f, v)) {
        mark(clause.index)
        service = clause.value
        break
      }
    }

    const base = traces.traceFor(applied, v.handler)
    let trace: TraceLine[]
    if (patches === 0) trace = base.shared as TraceLine[]
    else {
      // Copied from the unfrozen twin: V8 slices a frozen array many times slower.
      trace = base.copyable.slice()
      for (let i = 0; i < patches; i++) trace[patchAt[i]!] = patchLine[i]!
    }
    const exclusionList = found === undefined ? (NO_EXCLUSIONS as Exclusion[]) : found
    const missing = evidenceListOf(required & ~f.evidence) as string[]
    const payersOf = payerTable.payersFor(applied, v.handler)
    const warrantyEnds = Number.isNaN(v.warrantyStart) ? undefined : formatDay(v.warrantyEnd)

    const provisional = !f.inspected
    // The explanation is found before the decision is made, so the decision is created with
    // every field it will have: a field added afterwards moves the object to a new shape and
    // allocates a second store for its properties, a cost every decision would pay.
    let explanation: Words | undefined
    if (explain) {
      const missingMask = required & ~f.evidence
      const flags = shapeFlags(
        v.covered,
        provisional,
        warrantyEnds !== undefined,
        !Number.isNaN(windowEnd),
        v.basis,
        v.handler,
        service,
        earlier,
        undated,
      )
      // Most decisions have the shape of the last one with their trace, the rest mostly that of
      // a recent one; checked in that order, the first without a call.
      let template = base.lastTemplate
      if (
        template === undefined ||
        base.lastRemedies !== remedies ||
        base.lastFlags !== flags ||
        base.lastMissing !== missingMask ||
        !sameAsLastExclusions(base, exclusionList)
      ) {
        template =
          recentTemplate(base.recent, flags, missingMask, remedies, exclusionList) ??
          explanations.templateFor(base, flags, payersOf, remedies, missingMask, missing, exclusionList, {
            covered: v.covered,
            basis: v.basis,
            provisional,
            hasWarranty: warrantyEnds !== undefined,
            windowEndKnown: !Number.isNaN(windowEnd),
            warrantyUndated: undated,
            handler: v.handler,
            service,
            earlier,
            limited: v.covered
              ? limitedRemedies(limitsHeld, basis === 'warranty' || basis === 'extended-warranty')
              : NO_LIMITED,
          })
        keepLast(base, template, flags, missingMask, remedies, exclusionList)
      }
      days[SLOT_CLAIMED] = f.claimed
      days[SLOT_WARRANTY_END] = warrantyEnds === undefined ? Number.NaN : v.warrantyEnd
      days[SLOT_WINDOW_END] = windowEnd
      days[SLOT_OTHER_DATE] = earlierDay
      // Words with one date are joined here and words with none taken whole here, the rest
      // written by `writtenExplanation`: this function is too large for the engine to inline
      // a call that would do either.
      const around = template.around
      if (around !== undefined) {
        const day = days[template.onlySlot]!
        const date = Number.isNaN(day) ? '' : formatDay(day)
        explanation = {
          en: around.enBefore + date + around.enAfter,
          zh: around.zhBefore + date + around.zhAfter,
        }
      } else explanation = template.filled ?? writtenExplanation(template, days)
      // Rare (a finding inspection names and leaves out of the fault's causes), so said after
      // the shared template rather than widening every template's key by the findings.
      if (v.covered && remedies[0] === 'repair' && f.findings !== f.causes) {
        let aside = 0
        for (let i = 0; i < exclusions.length; i++) {
          const exclusion = exclusions[i]!
          const own = exclusion.setAside(f, v)
          if (own === 0) continue
          aside |= own
          // The clause's own line says it was weighed and why it did not refuse the repair.
          if (trace === base.shared) trace = base.copyable.slice()
          trace[exclusion.index] = lineOf(exclusion.index, notCausedBecause(findingsIn(own)), 'not-met')
        }
        if (aside !== 0) explanation = withSetAside(explanation, findingsIn(aside))
      }
    }

    // Shared, frozen parts are typed as the contract's mutable arrays; see the note on `compilePolicy`.
    // Two literals keep the fields in the contract's order, `service` (when there is one)
    // before `explanation`; without explanations (measuring only) the field is undefined.
    const warranty =
      warrantyEnds === undefined ? null : { starts: formatDay(v.warrantyStart), ends: warrantyEnds }
    // NaN (no purchase day) compares false: only a dated purchase can be later than the start.
    const early =
      warranty !== null && v.warrantyStart < f.purchased ? earlyStartOf(coverage?.startReading(f)) : undefined
    if (early !== undefined && explanation !== undefined)
      explanation = withEarlyStart(explanation, early.event, warranty!.starts, formatDay(f.purchased))
    const decision: Decision =
      service === undefined
        ? {
            policy: ref,
            provisional,
            covered: v.covered,
            basis: v.basis,
            remedies: remedies as Remedy[],
            warranty,
            exclusions: exclusionList,
            missingEvidence: missing,
            payers: payersOf,
            handler: v.handler,
            trace,
            explanation,
          }
        : {
            policy: ref,
            provisional,
            covered: v.covered,
            basis: v.basis,
            remedies: remedies as Remedy[],
            warranty,
            exclusions: exclusionList,
            missingEvidence: missing,
            payers: payersOf,
            handler: v.handler,
            trace,
            service,
            explanation,
          }
    if (early !== undefined)
      decision.dateWarnings = [
        {
          code: 'warranty-starts-before-purchase',
          field: early.field,
          startsOn: warranty!.starts,
          purchasedOn: formatDay(f.purchased),
        },
      ]
    return decision
  }
  const days = new Float64Array(4)

  return { document, ref, weighedClauses: ids, decide, decideStored }
}

/** The findings of a mask of FINDING_BIT bits, in the contract's order. */
function findingsIn(mask: number): Finding[] {
  return FINDINGS.filter((finding) => (mask & FINDING_BIT[finding]) !== 0)
}

/**
 * The event a warranty start before the purchase was read from: a delivery, a shipment
 * standing in for it (the day after either, where the policy counts from then) or an
 * activation. Asked of the reading the start was taken from, not matched by its day: a
 * delivery and a shipment on the same day would otherwise be told apart by chance.
 */
function earlyStartOf(
  reading: StartReading | undefined,
): { event: EarlyStartEvent; field: string } | undefined {
  switch (reading?.event) {
    case 'delivery':
      return { event: 'delivery', field: 'purchase.deliveredOn' }
    case 'shipment':
      return { event: 'shipment', field: 'purchase.shippedOn' }
    case 'activation':
      return { event: 'activation', field: 'purchase.activatedOn' }
    default:
      return undefined
  }
}

/** A trace shared by decisions (frozen), and its unfrozen twin that per-case traces are copied from. */
interface SharedTrace {
  shared: readonly TraceLine[]
  copyable: readonly TraceLine[]
  /** Explanation templates of the decisions with this trace (see `createExplanationTable`). */
  templates: Map<number, Map<number, Template>>
  /**
   * The templates last found for this trace and what they were found for, the newest first:
   * decisions with one trace mostly share one of a few shapes (in the bench's mix, the last
   * shape alone is met by four decisions in five), and comparing these few identities costs
   * far less than numbering the remedies and exclusions through maps.
   */
  recent: RecentShape[]
  /**
   * The shape met last, kept on the trace itself besides heading `recent`: the decision has
   * just read the trace, so these fields are at hand, where an entry of the list is two
   * more loads away, often from memory the CPU's caches no longer hold. Its exclusions are
   * kept when there are at most two (most decisions have none or one); with more, the
   * count is -1 and the list decides.
   */
  lastFlags: number
  lastMissing: number
  lastRemedies: readonly Remedy[] | undefined
  lastExclusionCount: number
  lastExclusion0: Exclusion | undefined
  lastExclusion1: Exclusion | undefined
  lastTemplate: Template | undefined
}

const HANDLER_LIST = ['vendor', 'dealer', 'manufacturer'] as const satisfies readonly Handler[]

const NO_EXCLUSIONS: readonly Exclusion[] = Object.freeze([])

/** Distinct traces (and payers) kept per policy; beyond it (a pathological mix), they are built per decision. */
const MAX_TRACES = 4096

/**
 * Traces by the handler and the set of clauses that applied (a bit set, 32 clauses to a
 * word): each a frozen array of the policy's frozen trace lines, built the first time that
 * set occurs. A payers clause every cost of which a later applying one sets again is
 * marked overridden by it.
 */
function createTraceTable(
  weighed: readonly Clause[],
  ids: readonly string[],
  yes: readonly TraceLine[][],
  no: readonly TraceLine[],
) {
  const byKey = new Map<number | string, SharedTrace>()
  const costsOf = weighed.map((clause) => (clause.kind === 'payers' ? Object.keys(clause.payers) : undefined))
  const build = (applied: Int32Array, handler: Handler): SharedTrace => {
    const h = handlerCode(handler)
    const trace: TraceLine[] = new Array(no.length)
    for (let i = 0; i < no.length; i++) {
      if (!isApplied(applied, i)) {
        trace[i] = no[i]!
        continue
      }
      const line = yes[i]![h]!
      const costs = costsOf[i]
      let by = -1
      if (costs !== undefined) {
        const left = new Set(costs)
        for (let j = i + 1; j < no.length && left.size > 0; j++) {
          const later = costsOf[j]
          if (later === undefined || !isApplied(applied, j)) continue
          for (const cost of later) left.delete(cost)
          if (left.size === 0) by = j
        }
      }
      trace[i] =
        by < 0
          ? line
          : Object.freeze({
              ...line,
              outcome: 'overridden' as const,
              because: overriddenBecause(line.because!, ids[by]!),
            })
    }
    // Filled from `new Array(n)`, the array is holey; a packed copy slices faster per decision.
    return {
      copyable: Array.from(trace),
      shared: Object.freeze(trace.slice()),
      templates: new Map(),
      recent: [],
      lastFlags: -1,
      lastMissing: -1,
      lastRemedies: undefined,
      lastExclusionCount: -1,
      lastExclusion0: undefined,
      lastExclusion1: undefined,
      lastTemplate: undefined,
    }
  }
  return {
    traceFor(applied: Int32Array, handler: Handler): SharedTrace {
      const key =
        applied.length === 1 ? applied[0]! * 4 + handlerCode(handler) : `${handler}:${applied.join(',')}`
      let trace = byKey.get(key)
      if (trace === undefined) {
        trace = build(applied, handler)
        if (byKey.size < MAX_TRACES) byKey.set(key, trace)
      }
      return trace
    },
  }
}

/**
 * Explanation templates by the shape of a decision, each written once; a decision only
 * fills in its dates. They are kept with the decision's shared trace, which already fixes
 * the clauses that applied, the handler and so the payers; the rest of the shape is read as
 * two small numbers, not a string: the remedy list (numbered the first time it is seen),
 * missing evidence and small facts as bits, and the exclusions as a short sequence of
 * numbers (each shared exclusion numbered once). Building and hashing a string key per
 * decision cost more than writing the words did.
 */
function createExplanationTable(pricedByMaker: readonly Remedy[]) {
  const remedyIds = createNumbering(1023)
  const exclusionIds = createNumbering(127)
  let size = 0
  return {
    templateFor(
      trace: SharedTrace,
      flags: number,
      payers: Payers,
      remedies: readonly Remedy[],
      missingMask: number,
      missing: readonly string[],
      exclusions: readonly Exclusion[],
      facts: {
        covered: boolean
        basis: Decision['basis']
        provisional: boolean
        hasWarranty: boolean
        windowEndKnown: boolean
        warrantyUndated: boolean
        handler: Handler
        service: Decision['service']
        earlier: EarlierEvent | undefined
        limited: readonly LimitedRemedies[]
      },
    ): Template {
      // Every part here is one of the policy's shared ones, so the numbers stay few; past
      // the bounds (a pathological mix), templates are written per decision instead.
      const remediesId = remedyIds.numberOf(remedies)
      let cacheable = size < MAX_TEMPLATES && exclusions.length <= MAX_KEYED_EXCLUSIONS && remediesId !== 0
      // 10 bits of remedies, 6 of evidence, 14 of flags: a small integer. Exclusions 7 bits each.
      const shapeKey = ((remediesId * 64 + missingMask) << 14) | flags
      let exclusionKey = 0
      for (let i = 0; cacheable && i < exclusions.length; i++) {
        const id = exclusionIds.numberOf(exclusions[i]!)
        exclusionKey = exclusionKey * 128 + id
        if (id === 0) cacheable = false
      }
      let byExclusions: Map<number, Template> | undefined
      const byShape = trace.templates
      if (cacheable) {
        byExclusions = byShape.get(shapeKey)
        const template = byExclusions?.get(exclusionKey)
        if (template !== undefined) {
          remember(trace, template, flags, missingMask, remedies, exclusions)
          return template
        }
      }
      const template = writeExplanation({
        covered: facts.covered,
        basis: facts.basis,
        provisional: facts.provisional,
        remedies,
        exclusions,
        missingEvidence: missing,
        payers,
        handler: facts.handler,
        service: facts.service,
        hasWarranty: facts.hasWarranty,
        windowEndKnown: facts.windowEndKnown,
        warrantyUndated: facts.warrantyUndated,
        inconsistentEvent: facts.earlier,
        limited: facts.limited,
        pricedByMaker,
      })
      if (!cacheable) return template
      if (byExclusions === undefined) {
        byExclusions = new Map()
        byShape.set(shapeKey, byExclusions)
      }
      byExclusions.set(exclusionKey, template)
      size++
      remember(trace, template, flags, missingMask, remedies, exclusions)
      return template
    },
  }
}

/** The shape's small facts as bits: one number to compare and to key templates by. */
function shapeFlags(
  covered: boolean,
  provisional: boolean,
  hasWarranty: boolean,
  windowEndKnown: boolean,
  basis: Decision['basis'],
  handler: Handler,
  service: Decision['service'],
  earlier: EarlierEvent | undefined,
  warrantyUndated: boolean,
): number {
  return (
    (covered ? 1 : 0) |
    (provisional ? 2 : 0) |
    (hasWarranty ? 4 : 0) |
    (windowEndKnown ? 8 : 0) |
    (basisCode(basis) << 4) |
    (handlerCode(handler) << 7) |
    (serviceCode(service) << 9) |
    (earlierCode(earlier) << 11) |
    (warrantyUndated ? 1 << 13 : 0)
  )
}

/** A shape a trace's decisions had lately, with its template. */
interface RecentShape {
  flags: number
  missingMask: number
  remedies: readonly Remedy[]
  /** A copy: a decision's own list is the caller's to change. */
  exclusions: readonly Exclusion[]
  template: Template
}

/** Shapes kept per trace. */
const RECENT_SHAPES = 4

function recentTemplate(
  recent: readonly RecentShape[],
  flags: number,
  missingMask: number,
  remedies: readonly Remedy[],
  exclusions: readonly Exclusion[],
): Template | undefined {
  for (let i = 0; i < recent.length; i++) {
    const shape = recent[i]!
    if (
      shape.remedies === remedies &&
      shape.flags === flags &&
      shape.missingMask === missingMask &&
      sameExclusions(shape.exclusions, exclusions)
    )
      return shape.template
  }
  return undefined
}

function remember(
  trace: SharedTrace,
  template: Template,
  flags: number,
  missingMask: number,
  remedies: readonly Remedy[],
  exclusions: readonly Exclusion[],
): void {
  const shape: RecentShape = {
    flags,
    missingMask,
    remedies,
    exclusions: exclusions.length === 0 ? NO_EXCLUSIONS : exclusions.slice(),
    template,
  }
  if (trace.recent.length >= RECENT_SHAPES) trace.recent.pop()
  trace.recent.unshift(shape)
}

/** Whether a decision's exclusions are those of the shape its trace met last. */
function sameAsLastExclusions(trace: SharedTrace, exclusions: readonly Exclusion[]): boolean {
  const count = exclusions.length
  if (count !== trace.lastExclusionCount) return false
  if (count === 0) return true
  if (exclusions[0] !== trace.lastExclusion0) return false
  return count === 1 || exclusions[1] === trace.lastExclusion1
}

function keepLast(
  trace: SharedTrace,
  template: Template,
  flags: number,
  missingMask: number,
  remedies: readonly Remedy[],
  exclusions: readonly Exclusion[],
): void {
  trace.lastTemplate = template
  trace.lastFlags = flags
  trace.lastMissing = missingMask
  trace.lastRemedies = remedies
  trace.lastExclusionCount = exclusions.length <= 2 ? exclusions.length : -1
  trace.lastExclusion0 = exclusions[0]
  trace.lastExclusion1 = exclusions[1]
}

/** Whether two lists hold the same shared exclusions, in the same order. */
function sameExclusions(a: readonly Exclusion[], b: readonly Exclusion[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Numbers for shared objects, from 1, in the order first seen; 0 once `most` are numbered. */
function createNumbering(most: number) {
  const ids = new Map<object, number>()
  return {
    numberOf(part: object): number {
      let id = ids.get(part)
      if (id === undefined) {
        if (ids.size >= most) return 0
        id = ids.size + 1
        ids.set(part, id)
      }
      return id
    },
  }
}

/** Exclusions a template is keyed by at most, seven bits each. */
const MAX_KEYED_EXCLUSIONS = 7
const MAX_TEMPLATES = 16384
// Codes by `switch`, not by a record's keys: a string-keyed load that sees every key of a
// record is a megamorphic look-up, several times the cost of a few comparisons of
// internalised strings, and these run for every decision.
function basisCode(basis: Decision['basis']): number {
  switch (basis) {
    case 'none':
      return 0
    case 'doa':
      return 1
    case 'early-failure':
      return 2
    case 'transport-damage':
      return 3
    case 'not-as-described':
      return 4
    case 'warranty':
      return 5
    case 'extended-warranty':
      return 6
  }
}
function serviceCode(service: Decision['service']): number {
  switch (service) {
    case undefined:
      return 0
    case 'mail-in':
      return 1
    case 'pickup':
      return 2
    case 'on-site':
      return 3
  }
}
function earlierCode(earlier: EarlierEvent | undefined): number {
  switch (earlier) {
    case undefined:
      return 0
    case 'purchase':
      return 1
    case 'shipment':
      return 2
    case 'delivery':
      return 3
  }
}

const isApplied = (applied: Int32Array, index: number): boolean =>
  (applied[index >>> 5]! & (1 << (index & 31))) !== 0

/**
 * Payers by the handler and the set of payers clauses that applied (read from the same bit
 * set as the trace), each frozen and built once.
 */
function createPayersTable(clauses: readonly CompiledPayers[]) {
  const byKey = new Map<number | string, Payers>()
  let payersMask = 0
  for (const clause of clauses) if (clause.index < 32) payersMask |= 1 << clause.index
  const build = (applied: Int32Array, handler: Handler): Payers => {
    const payers = emptyPayers()
    for (const clause of clauses) if (isApplied(applied, clause.index)) clause.apply(payers, handler)
    return Object.freeze(payers)
  }
  return {
    payersFor(applied: Int32Array, handler: Handler): Payers {
      const key =
        applied.length === 1
          ? (applied[0]! & payersMask) * 4 + handlerCode(handler)
          : `${handler}:${applied.join(',')}`
      let payers = byKey.get(key)
      if (payers === undefined) {
        payers = build(applied, handler)
        if (byKey.size < MAX_TRACES) byKey.set(key, payers)
      }
      return payers
    },
  }
}

/** The index of `handler` in `HANDLER_LIST`, which the trace lines per handler are built in. */
function handlerCode(handler: Handler): number {
  switch (handler) {
    case 'vendor':
      return 0
    case 'dealer':
      return 1
    case 'manufacturer':
      return 2
  }
}
