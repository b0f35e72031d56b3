import { minorDigits, minorToMajor } from '../../contracts/money.ts'
import type { ReliabilityReport } from '../reliability.schemas.ts'

const fixed = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
/** Minor units in major units with the currency's own decimals: `1,234.50` dollars, `123,450` yen. */
const money = (minor: number, currency: string) => fixed(minorToMajor(minor, currency), minorDigits(currency))
/** A cost forecast: `USD 1,234.50 [1,000.00, 1,500.00]`. */
const costRange = (c: { currency: string; estimate: number; lower: number; upper: number }) =>
  `${c.currency} ${money(c.estimate, c.currency)} [${money(c.lower, c.currency)}, ${money(c.upper, c.currency)}]`
const pct = (n: number) => `${(100 * n).toFixed(2)} %`

/** The reliability report as plain text for the terminal. */
export function formatReliabilityText(r: ReliabilityReport): string {
  const lines: string[] = []
  const what = r.scope.model ? `${r.scope.model.name} (${r.scope.model.id})` : `batch ${r.scope.batch}`
  lines.push(
    `Reliability of ${what}${r.scope.batch && r.scope.model ? `, batch ${r.scope.batch}` : ''}, as of ${r.scope.asOf}`,
  )
  lines.push(
    `Units ${fixed(r.counts.units)} (${fixed(r.counts.unitsWithoutStart)} without a start date left out), first failures ${fixed(r.counts.failures)}, claims not counted ${fixed(r.counts.claimsExcluded)}`,
  )
  lines.push(`Failure: ${r.definition.failure}`)
  lines.push(`Left out: ${r.definition.excluded.join('; ')}`)
  if (r.weibull) {
    const w = r.weibull
    lines.push(
      `Weibull: shape β ${w.shape.toFixed(3)} [${w.shapeInterval.lower.toFixed(3)}, ${w.shapeInterval.upper.toFixed(3)}], scale η ${fixed(w.scale)} days [${fixed(w.scaleInterval.lower)}, ${fixed(w.scaleInterval.upper)}]`,
    )
    lines.push(
      `  B10 ${fixed(w.b10.estimate)} days [${fixed(w.b10.lower)}, ${fixed(w.b10.upper)}]; failing within the term ${pct(w.withinTerm.estimate)} [${pct(w.withinTerm.lower)}, ${pct(w.withinTerm.upper)}]; AIC ${w.aic.toFixed(1)}`,
    )
  }
  if (r.lognormal) {
    const l = r.lognormal
    lines.push(
      `Lognormal: median ${fixed(l.median.estimate)} days, σ ${l.sigma.estimate.toFixed(3)}; failing within the term ${pct(l.withinTerm.estimate)}; AIC ${l.aic.toFixed(1)}`,
    )
  }
  lines.push(`Better fit: ${r.fitNote ?? '—'}`)
  if (r.forecast) {
    const f = r.forecast
    lines.push(
      `Next 12 months: ${fixed(f.next12Months.estimate, 1)} claims [${fixed(f.next12Months.lower, 1)}, ${fixed(f.next12Months.upper, 1)}] from ${fixed(f.unitsUnderWarranty)} units under warranty`,
    )
    lines.push(
      `Reserve (until the warranties end): ${fixed(f.reserve.estimate, 1)} claims [${fixed(f.reserve.lower, 1)}, ${fixed(f.reserve.upper, 1)}]`,
    )
    for (const c of f.cost12Months) lines.push(`  cost next 12 months ${costRange(c)}`)
    for (const c of f.reserveCost) lines.push(`  reserve ${costRange(c)}`)
  }
  if (r.whatIf) {
    lines.push(
      `If the term were ${r.whatIf.term}: ${pct(r.whatIf.fraction.estimate)} of units would claim, ${fixed(r.whatIf.claims.estimate, 1)} claims [${fixed(r.whatIf.claims.lower, 1)}, ${fixed(r.whatIf.claims.upper, 1)}] on ${fixed(r.whatIf.units)} units`,
    )
  }
  if (r.warnings.length === 0) lines.push('Warnings: none')
  for (const w of r.warnings) {
    lines.push(
      `Warning ${w.level.toUpperCase()} ${w.scope} ${w.key} ${w.month}: ${w.observed} first failures in ${w.window.join('+')} against ${w.expected.toFixed(1)} expected (p = ${w.pValue.toExponential(2)} < ${w.threshold.toExponential(2)}; ${w.reference})`,
    )
  }
  return `${lines.join('\n')}\n`
}
