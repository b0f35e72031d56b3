import { COSTS, type CostKind, type Decision, type Payers } from '../../contracts/decision.ts'
import type { ClaimDiff, CostShift, SimulationSummary } from '../report.schemas.ts'
import { getOrCreate, UNASSIGNED_PAYER } from './report-aggregations.ts'

/**
 * What a draft policy version would have changed about one past claim: the outcome
 * (coverage, basis, first remedy, handler, payers, exclusion codes) and the clauses whose
 * weight moved. Null when nothing did, which is the common case and keeps a run over
 * 100,000 claims from allocating 100,000 diffs. Clause wording (`text`) is not compared:
 * a draft that only rewords a clause changes no claim.
 */
export function diffDecisions(claimId: string, before: Decision, after: Decision): ClaimDiff | null {
  const payers: ClaimDiff['payers'] = []
  for (const cost of COSTS) {
    if (before.payers[cost] !== after.payers[cost]) {
      payers.push({ cost, before: before.payers[cost], after: after.payers[cost] })
    }
  }
  const codesBefore = new Set(before.exclusions.map((e) => e.code))
  const codesAfter = new Set(after.exclusions.map((e) => e.code))
  const exclusionsGained = [...codesAfter].filter((c) => !codesBefore.has(c)).sort()
  const exclusionsLost = [...codesBefore].filter((c) => !codesAfter.has(c)).sort()
  const clauses = diffTraces(before.trace, after.trace)
  const remedyBefore = before.remedies[0] ?? null
  const remedyAfter = after.remedies[0] ?? null

  const diff: ClaimDiff = {
    claimId,
    before: before.policy,
    after: after.policy,
    payers,
    exclusionsGained,
    exclusionsLost,
    clauses,
  }
  let changed = payers.length + exclusionsGained.length + exclusionsLost.length + clauses.length > 0
  if (before.covered !== after.covered) {
    diff.covered = { before: before.covered, after: after.covered }
    changed = true
  }
  if (before.basis !== after.basis) {
    diff.basis = { before: before.basis, after: after.basis }
    changed = true
  }
  if (remedyBefore !== remedyAfter) {
    diff.remedy = { before: remedyBefore, after: remedyAfter }
    changed = true
  }
  if (before.handler !== after.handler) {
    diff.handler = { before: before.handler, after: after.handler }
    changed = true
  }
  return changed ? diff : null
}

/** Clause ids that were added, removed, or flipped `applies`, in the order they are weighed. */
function diffTraces(before: Decision['trace'], after: Decision['trace']): ClaimDiff['clauses'] {
  const weigh = (trace: Decision['trace']) => {
    const applies = new Map<string, boolean>()
    // A clause weighed twice counts as applying when either weighing applied.
    for (const line of trace) applies.set(line.clause, (applies.get(line.clause) ?? false) || line.applies)
    return applies
  }
  const was = weigh(before)
  const is = weigh(after)
  const order = [...is.keys(), ...[...was.keys()].filter((c) => !is.has(c))]
  const changes: ClaimDiff['clauses'] = []
  for (const clause of order) {
    const b = was.get(clause) ?? null
    const a = is.get(clause) ?? null
    if (a !== b) changes.push({ clause, before: b, after: a })
  }
  return changes
}

/** One priced cost line of a claim, in minor units. */
export interface CostLineFacts {
  kind: string
  currency: string
  amount: number
  /** Who paid it; falls back to the decision's payer for its kind when unrecorded. */
  payer: string | null
}

/** Money that would change hands: per currency and party, positive when they would pay more. */
export interface CostMove {
  currency: string
  from: string
  to: string
  amount: number
}

const isCostKind = (kind: string): kind is CostKind => (COSTS as readonly string[]).includes(kind)

/**
 * Estimates how a claim's recorded costs would move between parties under the draft. Only
 * cost kinds whose payer the draft changes move; a line whose payer staff set by hand stays
 * put when the policy's answer for that kind is unchanged. It is an estimate: a draft that
 * changes the remedy would also change which costs arise, which no past line records.
 */
export function shiftClaimCosts(lines: readonly CostLineFacts[], before: Payers, after: Payers): CostMove[] {
  const moves: CostMove[] = []
  for (const line of lines) {
    if (!isCostKind(line.kind) || line.amount === 0) continue
    if (before[line.kind] === after[line.kind]) continue
    const from = line.payer ?? before[line.kind] ?? UNASSIGNED_PAYER
    const to = after[line.kind] ?? UNASSIGNED_PAYER
    if (from !== to) moves.push({ currency: line.currency, from, to, amount: line.amount })
  }
  return moves
}

/** Running totals of a simulation, fed one claim at a time so claims can stream from the database. */
export interface SimulationTally {
  compared: number
  changed: number
  coverageGained: number
  coverageLost: number
  basis: Map<string, { before: string; after: string; count: number }>
  remedy: Map<string, { before: string | null; after: string | null; count: number }>
  payers: Map<string, { cost: string; before: string | null; after: string | null; count: number }>
  exclusionsGained: Map<string, number>
  exclusionsLost: Map<string, number>
  clauses: Map<string, number>
  /** currency → payer → delta; currency → moved */
  costDelta: Map<string, Map<string, number>>
  costMoved: Map<string, number>
}

export function createSimulationTally(): SimulationTally {
  return {
    compared: 0,
    changed: 0,
    coverageGained: 0,
    coverageLost: 0,
    basis: new Map(),
    remedy: new Map(),
    payers: new Map(),
    exclusionsGained: new Map(),
    exclusionsLost: new Map(),
    clauses: new Map(),
    costDelta: new Map(),
    costMoved: new Map(),
  }
}

const bump = (counts: Map<string, number>, key: string, by = 1) =>
  counts.set(key, (counts.get(key) ?? 0) + by)

function bumpPair<T extends { count: number }>(counts: Map<string, T>, key: string, fresh: () => T): void {
  const entry = counts.get(key)
  if (entry) entry.count += 1
  else counts.set(key, fresh())
}

/** Adds one compared claim: its diff (null when unchanged) and the cost moves it implies. */
export function addClaimToTally(
  tally: SimulationTally,
  diff: ClaimDiff | null,
  moves: readonly CostMove[] = [],
): void {
  tally.compared += 1
  if (!diff) return
  tally.changed += 1
  if (diff.covered) {
    if (diff.covered.after) tally.coverageGained += 1
    else tally.coverageLost += 1
  }
  if (diff.basis) {
    const { before, after } = diff.basis
    bumpPair(tally.basis, `${before}\u0000${after}`, () => ({ before, after, count: 1 }))
  }
  if (diff.remedy) {
    const { before, after } = diff.remedy
    bumpPair(tally.remedy, `${before}\u0000${after}`, () => ({ before, after, count: 1 }))
  }
  for (const { cost, before, after } of diff.payers) {
    bumpPair(tally.payers, `${cost}\u0000${before}\u0000${after}`, () => ({ cost, before, after, count: 1 }))
  }
  for (const code of diff.exclusionsGained) bump(tally.exclusionsGained, code)
  for (const code of diff.exclusionsLost) bump(tally.exclusionsLost, code)
  for (const { clause } of diff.clauses) bump(tally.clauses, clause)
  for (const move of moves) {
    const deltas = getOrCreate(tally.costDelta, move.currency, () => new Map<string, number>())
    bump(deltas, move.from, -move.amount)
    bump(deltas, move.to, move.amount)
    bump(tally.costMoved, move.currency, move.amount)
  }
}

const byCountThenKey = (a: { count: number; key: string }, b: { count: number; key: string }) =>
  b.count - a.count || a.key.localeCompare(b.key)

function sortedPairs<T extends { count: number }>(counts: Map<string, T>): T[] {
  return [...counts.entries()]
    .map(([key, value]) => ({ key, value, count: value.count }))
    .sort(byCountThenKey)
    .map((e) => e.value)
}

function sortedRecord(counts: Map<string, number>): Record<string, number> {
  const entries = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  return Object.fromEntries(entries)
}

/** The summary a policy owner reads, largest changes first. */
export function summarizeTally(tally: SimulationTally): SimulationSummary {
  const costShift: CostShift[] = [...tally.costDelta.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([currency, deltas]) => ({
      currency,
      byPayer: [...deltas.entries()]
        .filter(([, delta]) => delta !== 0)
        .map(([payer, delta]) => ({ payer, delta }))
        .sort((a, b) => b.delta - a.delta || a.payer.localeCompare(b.payer)),
      moved: tally.costMoved.get(currency) ?? 0,
    }))
  return {
    compared: tally.compared,
    changed: tally.changed,
    coverageGained: tally.coverageGained,
    coverageLost: tally.coverageLost,
    basisChanges: sortedPairs(tally.basis),
    remedyChanges: sortedPairs(tally.remedy),
    payerChanges: sortedPairs(tally.payers),
    exclusionsGained: sortedRecord(tally.exclusionsGained),
    exclusionsLost: sortedRecord(tally.exclusionsLost),
    clauseChanges: sortedRecord(tally.clauses),
    costShift,
  }
}
