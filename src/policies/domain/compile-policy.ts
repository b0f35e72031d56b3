import type { WarrantyCase } from '../../contracts/case.ts'
import type { Decision, Exclusion, Handler, Payers, Remedy, TraceLine } from '../../contracts/decision.ts'
import {
  blankCaseFacts,
  blankVerdict,
  type CaseFacts,
  EVIDENCE_BIT,
  evidenceListOf,
  maskOf,
  readCaseFacts,
  resetVerdict,
} from './case-facts.ts'
import { compileCondition, type Predicate } from './conditions.ts'
import { type CompiledCoverage, compileCoverage } from './coverage.ts'
import { formatDay } from './day-numbers.ts'
import { type CompiledExclusion, compileExclusion, makeExclusion } from './exclusions.ts'
import { type CompiledPayers, compilePayers, emptyPayers } from './payers.ts'
import { type Clause, type PolicyDocument, WEIGHED_KINDS } from './policy-format.ts'
import { createRemedyLists, NO_REMEDIES, type OfferPosition, REMEDY_BIT } from './remedies.ts'
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
}

interface Guarded<T> {
  index: number
  when: Predicate
  value: T
}

const SHIPPER_HANDLER = (f: CaseFacts): Handler =>
  f.shippedBy !== undefined ? f.shippedBy : f.channel === 'dealer' ? 'dealer' : 'vendor'

export function compilePolicy(document: PolicyDocument): CompiledPolicy {
  const ref = `${document.id}@${document.version}`
  const weighed = document.clauses.filter((clause) => WEIGHED_KINDS.has(clause.kind))
  const clauseId = (clause: Clause): string => `${document.id}#${clause.key}`
  const traceNo: TraceLine[] = []
  const traceYes: TraceLine[] = []
  for (const clause of weighed) {
    traceNo.push(Object.freeze({ clause: clauseId(clause), text: clause.text, applies: false }))
    traceYes.push(Object.freeze({ clause: clauseId(clause), text: clause.text, applies: true }))
  }

  const coverages: CompiledCoverage[] = []
  const windows: CompiledWindow[] = []
  const exclusions: CompiledExclusion[] = []
  const limits: Guarded<number>[] = []
  const paidServices: Guarded<readonly Remedy[]>[] = []
  const offers: Guarded<{ remedies: readonly Remedy[]; position: OfferPosition }>[] = []
  const payers: CompiledPayers[] = []
  const evidence: Guarded<number>[] = []
  const handlers: Guarded<(f: CaseFacts) => Handler>[] = []
  const services: Guarded<NonNullable<Decision['service']>>[] = []
  let scope: { index: number; parts: Set<string>; exclusion: Exclusion } | undefined
  let expiredClause: { index: number; exclusion: Exclusion } | undefined

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
        else exclusions.push(compileExclusion(clause, index, id))
        break
      case 'limit':
        limits.push({ index, when: compileCondition(clause.when), value: maskOf(REMEDY_BIT, clause.blocks) })
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
      default:
        break
    }
  })

  const count = weighed.length
  const lists = createRemedyLists(offers.map((offer) => offer.value))
  const windowMissed = windows.map((window) => makeExclusion('window-missed', traceYes[window.index]!.clause))
  // Without an `expired` clause, a lapsed term is excluded by the coverage clause itself.
  const expiredBy = coverages.map(
    (coverage) =>
      expiredClause ?? {
        index: coverage.index,
        exclusion: makeExclusion('expired', traceYes[coverage.index]!.clause),
      },
  )
  const traces = createTraceTable(traceYes, traceNo)
  const payerTable = createPayersTable(payers)

  // Scratch state reused by every decision of this policy: `decide` runs to completion
  // synchronously and the decision it returns references none of it.
  const f = blankCaseFacts()
  const v = blankVerdict()
  const applied = new Int32Array((count + 31) >>> 5)
  const mark = (index: number): void => {
    applied[index >>> 5]! |= 1 << (index & 31)
  }

  function decide(input: WarrantyCase): Decision {
    readCaseFacts(input, f)
    resetVerdict(v)
    // A loop, not `applied.fill(0)`: for one or two words the built-in costs more than the work.
    for (let i = 0; i < applied.length; i++) applied[i] = 0

    let coverageAt = -1
    for (let i = 0; i < coverages.length; i++) {
      const candidate = coverages[i]!
      if (candidate.when(f, v)) {
        coverageAt = i
        mark(candidate.index)
        candidate.apply(f, v)
        break
      }
    }
    const coverage = coverageAt < 0 ? undefined : coverages[coverageAt]!

    let found: Exclusion[] | undefined
    let blocked = 0
    let blocksAll = false
    if (scope !== undefined && !scope.parts.has(f.part)) {
      found = [scope.exclusion]
      mark(scope.index)
      blocksAll = true
    }
    for (let i = 0; i < exclusions.length; i++) {
      const exclusion = exclusions[i]!
      if (!exclusion.raises(f, v)) continue
      found ??= []
      exclusion.collect(f, found)
      mark(exclusion.index)
      if (exclusion.blocks === 0) blocksAll = true
      else blocked |= exclusion.blocks
    }
    for (let i = 0; i < limits.length; i++) {
      const limit = limits[i]!
      if (limit.when(f, v)) {
        mark(limit.index)
        blocked |= limit.value
      }
    }

    // Candidate bases in policy order: first-days windows, then the standard warranty.
    let basis: Decision['basis'] | undefined
    let remedies: readonly Remedy[] = NO_REMEDIES
    let anyCandidate = false
    let missedWindow = -1
    for (let i = 0; i < windows.length; i++) {
      const window = windows[i]!
      if (!window.fits(f, v)) continue
      if (!window.within(f)) {
        if (window.exclusive && missedWindow < 0) missedWindow = i
        continue
      }
      anyCandidate = true
      mark(window.index)
      if (basis === undefined) {
        const offered = lists.withoutBlocked(window.remediesFor(f.preference), blocked)
        if (offered.length > 0) {
          basis = window.basis
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
          basis = 'warranty'
          remedies = offered
        }
      }
    }
    if (!anyCandidate) {
      if (servesProblem && !Number.isNaN(v.warrantyEnd) && !v.inWarranty) {
        const expired = expiredBy[coverageAt]!
        found ??= []
        found.push(expired.exclusion)
        mark(expired.index)
        blocksAll = true
      } else if (missedWindow >= 0) {
        found ??= []
        found.push(windowMissed[missedWindow]!)
        blocksAll = true
      }
    }

    v.covered = basis !== undefined && !blocksAll
    if (v.covered) {
      v.basis = basis!
    } else {
      remedies = NO_REMEDIES
      for (let i = 0; i < paidServices.length; i++) {
        const paid = paidServices[i]!
        if (paid.when(f, v)) {
          mark(paid.index)
          remedies = paid.value
          break
        }
      }
    }
    for (let i = 0; i < offers.length; i++) {
      const offer = offers[i]!
      if (!offer.when(f, v)) continue
      mark(offer.index)
      remedies = lists.withOffer(remedies, i)
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

    // Shared, frozen parts are typed as the contract's mutable arrays; see the note on `compilePolicy`.
    const decision: Decision = {
      policy: ref,
      provisional: !f.inspected,
      covered: v.covered,
      basis: v.basis,
      remedies: remedies as Remedy[],
      warranty: Number.isNaN(v.warrantyStart)
        ? null
        : { starts: formatDay(v.warrantyStart), ends: formatDay(v.warrantyEnd) },
      exclusions: found === undefined ? (NO_EXCLUSIONS as Exclusion[]) : found,
      missingEvidence: evidenceListOf(required & ~f.evidence) as string[],
      payers: payerTable.payersFor(applied, v.handler),
      handler: v.handler,
      trace: traces.traceFor(applied) as TraceLine[],
    }
    if (service !== undefined) decision.service = service
    return decision
  }

  return { document, ref, weighedClauses: traceYes.map((line) => line.clause), decide }
}

const NO_EXCLUSIONS: readonly Exclusion[] = Object.freeze([])

/** Distinct traces (and payers) kept per policy; beyond it (a pathological mix), they are built per decision. */
const MAX_TRACES = 4096

/**
 * Traces by the set of clauses that applied (a bit set, 32 clauses to a word): each a
 * frozen array of the policy's frozen trace lines, built the first time that set occurs.
 */
function createTraceTable(yes: readonly TraceLine[], no: readonly TraceLine[]) {
  const byKey = new Map<number | string, readonly TraceLine[]>()
  const build = (applied: Int32Array): readonly TraceLine[] => {
    const trace: TraceLine[] = new Array(yes.length)
    for (let i = 0; i < yes.length; i++) {
      trace[i] = isApplied(applied, i) ? yes[i]! : no[i]!
    }
    return Object.freeze(trace)
  }
  return {
    traceFor(applied: Int32Array): readonly TraceLine[] {
      const key = applied.length === 1 ? applied[0]! : applied.join(',')
      let trace = byKey.get(key)
      if (trace === undefined) {
        trace = build(applied)
        if (byKey.size < MAX_TRACES) byKey.set(key, trace)
      }
      return trace
    },
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
          ? (applied[0]! & payersMask) * 4 + HANDLER_CODE[handler]
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

const HANDLER_CODE: Record<Handler, number> = { vendor: 0, dealer: 1, manufacturer: 2 }
