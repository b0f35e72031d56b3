import { minorToDecimal } from '../../contracts/money.ts'
import type { ClaimDiff, SimulationResult } from '../report.schemas.ts'

/**
 * Minor units as a decimal amount with its sign, in the currency's own decimals:
 * `+12.50 USD`, `-1000 JPY`, `1.234 KWD`.
 */
export function formatMinor(minor: number, currency: string, signed = false): string {
  const sign = minor < 0 ? '-' : signed && minor > 0 ? '+' : ''
  return `${sign}${minorToDecimal(Math.abs(minor), currency)} ${currency}`
}

const times = (count: number) => `×${count}`
const arrow = (before: unknown, after: unknown) => `${before ?? 'none'} → ${after ?? 'none'}`

function describeClaim(diff: ClaimDiff): string {
  const parts: string[] = []
  if (diff.covered)
    parts.push(`covered ${diff.covered.before ? 'yes' : 'no'} → ${diff.covered.after ? 'yes' : 'no'}`)
  if (diff.basis) parts.push(`basis ${arrow(diff.basis.before, diff.basis.after)}`)
  if (diff.remedy) parts.push(`remedy ${arrow(diff.remedy.before, diff.remedy.after)}`)
  if (diff.handler) parts.push(`handler ${arrow(diff.handler.before, diff.handler.after)}`)
  for (const p of diff.payers) parts.push(`${p.cost} ${arrow(p.before, p.after)}`)
  if (diff.exclusionsGained.length) parts.push(`+${diff.exclusionsGained.join(' +')}`)
  if (diff.exclusionsLost.length) parts.push(`-${diff.exclusionsLost.join(' -')}`)
  if (diff.clauses.length) parts.push(`clauses ${diff.clauses.map((c) => c.clause).join(', ')}`)
  return `  ${diff.claimId}  ${parts.join('; ')}`
}

/** The simulation as a policy owner reads it in a terminal: summary first, then the changed claims. */
export function formatSimulationText(result: SimulationResult): string {
  const { summary: s } = result
  const range = `${result.range.from ?? 'the first claim'} to ${result.range.to ?? 'today'}`
  const lines = [
    `${result.policy.id}: draft version ${result.policy.draftVersion} against ${s.compared} past claims (${range})`,
    `changed: ${s.changed}   coverage gained: ${s.coverageGained}   coverage lost: ${s.coverageLost}`,
  ]
  const section = (title: string, rows: string[]) => {
    if (rows.length > 0) lines.push(`${title}:`, ...rows.map((r) => `  ${r}`))
  }
  section(
    'basis',
    s.basisChanges.map((c) => `${arrow(c.before, c.after)} ${times(c.count)}`),
  )
  section(
    'first remedy',
    s.remedyChanges.map((c) => `${arrow(c.before, c.after)} ${times(c.count)}`),
  )
  section(
    'payers',
    s.payerChanges.map((c) => `${c.cost}: ${arrow(c.before, c.after)} ${times(c.count)}`),
  )
  section(
    'exclusions gained',
    Object.entries(s.exclusionsGained).map(([code, n]) => `${code} ${times(n)}`),
  )
  section(
    'exclusions lost',
    Object.entries(s.exclusionsLost).map(([code, n]) => `${code} ${times(n)}`),
  )
  section(
    'clauses that changed weight',
    Object.entries(s.clauseChanges).map(([clause, n]) => `${clause} ${times(n)}`),
  )
  section(
    'estimated cost shift',
    s.costShift.map(
      (c) =>
        `${c.byPayer.map((p) => `${p.payer} ${formatMinor(p.delta, c.currency, true)}`).join(', ')} (moved ${formatMinor(c.moved, c.currency)})`,
    ),
  )
  if (result.changes.length > 0) {
    lines.push(
      result.truncated
        ? `changed claims (first ${result.changes.length} of ${s.changed}):`
        : 'changed claims:',
      ...result.changes.map(describeClaim),
    )
  }
  const t = result.termProjection
  if (t) {
    const claims = (c: { estimate: number; lower: number; upper: number }) =>
      `${c.estimate.toFixed(0)} [${c.lower.toFixed(0)}, ${c.upper.toFixed(0)}]`
    lines.push(
      `what if the term were ${t.term} (${t.termDays} days): ${claims(t.claims)} first failures on ${t.units} units` +
        (t.currentClaims ? `, against ${claims(t.currentClaims)} under the current term` : ''),
    )
    for (const c of t.cost) {
      const now = t.currentCost.find((x) => x.currency === c.currency)
      lines.push(
        `  cost ${formatMinor(c.estimate, c.currency)} [${formatMinor(c.lower, c.currency)}, ${formatMinor(c.upper, c.currency)}]` +
          (now ? `, now ${formatMinor(now.estimate, now.currency)}` : ''),
      )
    }
    for (const m of t.byModel) {
      lines.push(
        `  ${m.modelName}: ${m.claims ? claims(m.claims) : 'too few failures to fit'} (${m.units} units)`,
      )
    }
  }
  if (result.skippedCount > 0) {
    lines.push(`skipped ${result.skippedCount} claims that could not be decided:`)
    lines.push(...result.skipped.map((k) => `  ${k.claimId}: ${k.reason}`))
  }
  return `${lines.join('\n')}\n`
}
