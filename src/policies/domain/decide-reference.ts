import type { WarrantyCase } from '../../contracts/case.ts'
import { EVIDENCE_KINDS } from '../../contracts/case.ts'
import type { Decision, Exclusion, Handler, Remedy, TraceLine } from '../../contracts/decision.ts'
import { type CaseFacts, EVIDENCE_BIT, maskOf, readCaseFacts, type Verdict } from './case-facts.ts'
import { compileCondition, type Predicate } from './conditions.ts'
import { type CompiledCoverage, compileCoverage } from './coverage.ts'
import { formatDay } from './day-numbers.ts'
import { type CompiledExclusion, compileExclusion, makeExclusion } from './exclusions.ts'
import { type CompiledPayers, compilePayers, emptyPayers } from './payers.ts'
import { type Clause, type PolicyDocument, WEIGHED_KINDS } from './policy-format.ts'
import { REMEDY_BIT, withoutBlocked } from './remedies.ts'
import { type CompiledWindow, compileWindow } from './windows.ts'

/**
 * The engine as first written: plain, allocating, obviously in policy order. Tests hold the
 * optimised engine of `compile-policy.ts` to it (same facts, deep-equal decisions); nothing
 * in production calls it.
 */
export interface ReferencePolicy {
  ref: string
  decide(input: WarrantyCase): Decision
}

interface Guarded<T> {
  index: number
  when: Predicate
  value: T
}

const SHIPPER_HANDLER = (f: CaseFacts): Handler =>
  f.shippedBy !== undefined ? f.shippedBy : f.channel === 'dealer' ? 'dealer' : 'vendor'

export function compileReferencePolicy(document: PolicyDocument): ReferencePolicy {
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
  const offers: Guarded<{ remedies: readonly Remedy[]; position: 'first' | 'last' | 'only' }>[] = []
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

  function decide(input: WarrantyCase): Decision {
    const f = readCaseFacts(input)
    const v: Verdict = {
      warrantyStart: Number.NaN,
      warrantyEnd: Number.NaN,
      inWarranty: false,
      yearsBeyond: 0,
      covered: false,
      basis: 'none',
      firstRemedy: undefined,
      handler: 'vendor',
    }
    const applies = new Uint8Array(count)

    let coverage: CompiledCoverage | undefined
    for (const candidate of coverages) {
      if (candidate.when(f, v)) {
        coverage = candidate
        applies[candidate.index] = 1
        candidate.apply(f, v)
        break
      }
    }

    const found: Exclusion[] = []
    let blocked = 0
    let blocksAll = false
    if (scope !== undefined && !scope.parts.has(f.part)) {
      found.push(scope.exclusion)
      applies[scope.index] = 1
      blocksAll = true
    }
    for (const exclusion of exclusions) {
      if (exclusion.raises(f, v)) {
        exclusion.collect(f, found)
        applies[exclusion.index] = 1
        if (exclusion.blocks === 0) blocksAll = true
        else blocked |= exclusion.blocks
      }
    }
    for (const limit of limits) {
      if (limit.when(f, v)) {
        applies[limit.index] = 1
        blocked |= limit.value
      }
    }

    // Candidate bases in policy order: first-days windows, then the standard warranty.
    let chosen: { basis: Decision['basis']; remedies: readonly Remedy[] } | undefined
    let anyCandidate = false
    let missedWindow: CompiledWindow | undefined
    for (const window of windows) {
      if (!window.fits(f, v)) continue
      if (!window.within(f)) {
        if (window.exclusive && missedWindow === undefined) missedWindow = window
        continue
      }
      anyCandidate = true
      applies[window.index] = 1
      if (chosen === undefined) {
        const remedies = withoutBlocked(window.remediesFor(f.preference), blocked)
        if (remedies.length > 0) chosen = { basis: window.basis, remedies }
      }
    }
    const servesProblem = coverage?.servesProblem(f) === true
    if (coverage !== undefined && servesProblem && v.inWarranty) {
      anyCandidate = true
      if (chosen === undefined) {
        const remedies = withoutBlocked(coverage.remedies, blocked)
        if (remedies.length > 0) chosen = { basis: 'warranty', remedies }
      }
    }
    if (!anyCandidate) {
      if (servesProblem && !Number.isNaN(v.warrantyEnd) && !v.inWarranty) {
        const expired = expiredClause ?? {
          index: coverage!.index,
          exclusion: makeExclusion('expired', traceYes[coverage!.index]!.clause),
        }
        found.push(expired.exclusion)
        applies[expired.index] = 1
        blocksAll = true
      } else if (missedWindow !== undefined) {
        found.push(makeExclusion('window-missed', traceYes[missedWindow.index]!.clause))
        blocksAll = true
      }
    }

    v.covered = chosen !== undefined && !blocksAll
    let remedies: Remedy[]
    if (v.covered) {
      v.basis = chosen!.basis
      remedies = chosen!.remedies.slice()
    } else {
      remedies = []
      for (const paid of paidServices) {
        if (paid.when(f, v)) {
          applies[paid.index] = 1
          remedies = paid.value.slice()
          break
        }
      }
    }
    for (const offer of offers) {
      if (!offer.when(f, v)) continue
      applies[offer.index] = 1
      const { remedies: offered, position } = offer.value
      if (position === 'only') remedies = offered.slice()
      else {
        const rest = remedies.filter((r) => !offered.includes(r))
        remedies = position === 'first' ? [...offered, ...rest] : [...rest, ...offered]
      }
    }
    v.firstRemedy = remedies[0]

    for (const handler of handlers) {
      if (handler.when(f, v)) {
        applies[handler.index] = 1
        v.handler = handler.value(f)
        break
      }
    }

    const decidedPayers = emptyPayers()
    for (const clause of payers) {
      if (clause.when(f, v)) {
        applies[clause.index] = 1
        clause.apply(decidedPayers, v.handler)
      }
    }

    let required = 0
    for (const clause of evidence) {
      if (clause.when(f, v)) {
        applies[clause.index] = 1
        required |= clause.value
      }
    }
    const missingMask = required & ~f.evidence
    const missingEvidence: string[] = []
    if (missingMask !== 0) {
      for (const item of EVIDENCE_KINDS)
        if ((missingMask & EVIDENCE_BIT[item]) !== 0) missingEvidence.push(item)
    }

    let service: Decision['service']
    for (const clause of services) {
      if (clause.when(f, v)) {
        applies[clause.index] = 1
        service = clause.value
        break
      }
    }

    const trace: TraceLine[] = new Array(count)
    for (let i = 0; i < count; i++) trace[i] = applies[i] === 1 ? traceYes[i]! : traceNo[i]!

    const decision: Decision = {
      policy: ref,
      provisional: !f.inspected,
      covered: v.covered,
      basis: v.basis,
      remedies,
      warranty: Number.isNaN(v.warrantyStart)
        ? null
        : { starts: formatDay(v.warrantyStart), ends: formatDay(v.warrantyEnd) },
      exclusions: found.length === 0 ? [] : found,
      missingEvidence,
      payers: decidedPayers,
      handler: v.handler,
      trace,
    }
    if (service !== undefined) decision.service = service
    return decision
  }

  return { ref, decide }
}
