import { minorDigits, minorToMajor } from '../../contracts/money.ts'
import { readWarningReference } from '../../contracts/warning-reference.ts'
import { humanMonth } from '../../shared/human-date.ts'
import { type MessageKey, type MessageLanguage, translate } from '../../shared/messages/translate.ts'
import type { ReliabilityReport } from '../reliability.schemas.ts'
import {
  EXCLUDED_CLAIM_KEYS,
  EXCLUDED_CLAIMS,
  FAILURE_DEFINITION,
  FAILURE_DEFINITION_KEY,
} from './failure-definition.ts'

const fixed = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
/** An interval as the report writes it after its estimate: `[1,000, 1,500]`, in Chinese `［1,000，1,500］`. */
const range = (
  language: MessageLanguage,
  i: { lower: number; upper: number },
  show: (n: number) => string,
) => (language === 'zh' ? `［${show(i.lower)}，${show(i.upper)}］` : `[${show(i.lower)}, ${show(i.upper)}]`)
/** Minor units in major units with the currency's own decimals: `1,234.50` dollars, `123,450` yen. */
const money = (minor: number, currency: string) => fixed(minorToMajor(minor, currency), minorDigits(currency))
/** A cost forecast: `USD 1,234.50 [1,000.00, 1,500.00]`. */
const costRange = (
  language: MessageLanguage,
  c: { currency: string; estimate: number; lower: number; upper: number },
) => `${c.currency} ${money(c.estimate, c.currency)} ${range(language, c, (n) => money(n, c.currency))}`
const pct = (n: number) => `${(100 * n).toFixed(2)} %`
const fixed1 = (n: number) => fixed(n, 1)
const fixed3 = (n: number) => n.toFixed(3)

/** Names shown as written in either language: the life quantile and the fit criterion. */
const QUANTILE = 'B10'
const CRITERION = 'AIC'

/**
 * The report's definition in the language: the catalogue's words for the text it knows, a text
 * it does not know as written.
 */
function definitionIn(language: MessageLanguage, text: string): string {
  if (text === FAILURE_DEFINITION) return translate(language, FAILURE_DEFINITION_KEY)
  const index = EXCLUDED_CLAIMS.indexOf(text)
  const key = EXCLUDED_CLAIM_KEYS[index]
  return key === undefined ? text : translate(language, key)
}

/** The curve a warning's expected counts come from, worded in the language. */
function referenceIn(language: MessageLanguage, reference: string): string {
  const curve = readWarningReference(reference)
  if (curve.kind === 'history')
    return translate(language, 'cli.reliability.reference.history', {
      month: language === 'en' ? curve.before : humanMonth(curve.before, language),
    })
  if (curve.kind === 'curve')
    return language === 'en' ? reference : translate(language, 'cli.reliability.reference.curve')
  return translate(language, `cli.reliability.reference.${curve.kind}`)
}

/** The reliability report as plain text for the terminal, in the operator's language. */
export function formatReliabilityText(r: ReliabilityReport, language: MessageLanguage = 'en'): string {
  const say = (key: MessageKey, params: Record<string, string | number> = {}) =>
    translate(language, key, params)
  const lines: string[] = []
  const { model, batch, asOf } = r.scope
  lines.push(
    model
      ? batch
        ? say('cli.reliability.title.model-batch', { model: model.name, id: model.id, batch, asOf })
        : say('cli.reliability.title.model', { model: model.name, id: model.id, asOf })
      : say('cli.reliability.title.batch', { batch: batch ?? '', asOf }),
  )
  lines.push(
    say('cli.reliability.counts', {
      units: fixed(r.counts.units),
      withoutStart: fixed(r.counts.unitsWithoutStart),
      failures: fixed(r.counts.failures),
      excluded: fixed(r.counts.claimsExcluded),
    }),
  )
  lines.push(say('cli.reliability.failure', { definition: definitionIn(language, r.definition.failure) }))
  lines.push(
    say('cli.reliability.left-out', {
      excluded: r.definition.excluded
        .map((text) => definitionIn(language, text))
        .join(language === 'zh' ? '；' : '; '),
    }),
  )
  if (r.weibull) {
    const w = r.weibull
    lines.push(
      say('cli.reliability.weibull', {
        shape: fixed3(w.shape),
        shapeInterval: range(language, w.shapeInterval, fixed3),
        scale: fixed(w.scale),
        scaleInterval: range(language, w.scaleInterval, fixed),
      }),
    )
    lines.push(
      say('cli.reliability.weibull-life', {
        quantile: QUANTILE,
        life: fixed(w.b10.estimate),
        lifeInterval: range(language, w.b10, fixed),
        withinTerm: pct(w.withinTerm.estimate),
        withinTermInterval: range(language, w.withinTerm, pct),
        criterion: CRITERION,
        aic: w.aic.toFixed(1),
      }),
    )
  }
  if (r.lognormal) {
    const l = r.lognormal
    lines.push(
      say('cli.reliability.lognormal', {
        median: fixed(l.median.estimate),
        sigma: fixed3(l.sigma.estimate),
        withinTerm: pct(l.withinTerm.estimate),
        criterion: CRITERION,
        aic: l.aic.toFixed(1),
      }),
    )
  }
  const note = r.betterFit
    ? say('cli.reliability.lower-criterion', {
        family: say(`cli.reliability.family.${r.betterFit}`),
        criterion: CRITERION,
      })
    : r.fitNote === null
      ? '—'
      : say('cli.reliability.no-fit')
  lines.push(say('cli.reliability.better-fit', { note }))
  if (r.forecast) {
    const f = r.forecast
    lines.push(
      say('cli.reliability.next-12', {
        claims: fixed1(f.next12Months.estimate),
        interval: range(language, f.next12Months, fixed1),
        units: fixed(f.unitsUnderWarranty),
      }),
    )
    lines.push(
      say('cli.reliability.reserve', {
        claims: fixed1(f.reserve.estimate),
        interval: range(language, f.reserve, fixed1),
      }),
    )
    // What customers paid is said apart: a maker or seller reading the cost means what it bears.
    const split = (c: (typeof f.cost12Months)[number]) =>
      c.customerPaid.estimate > 0
        ? [
            say('cli.reliability.cost-split', {
              borne: costRange(language, { currency: c.currency, ...c.borne }),
              customer: costRange(language, { currency: c.currency, ...c.customerPaid }),
            }),
          ]
        : []
    for (const c of f.cost12Months)
      lines.push(say('cli.reliability.cost-12', { cost: costRange(language, c) }), ...split(c))
    for (const c of f.reserveCost)
      lines.push(say('cli.reliability.reserve-cost', { cost: costRange(language, c) }), ...split(c))
  }
  if (r.whatIf) {
    const x = r.whatIf
    lines.push(
      say('cli.reliability.what-if', {
        term: x.term,
        fraction: pct(x.fraction.estimate),
        claims: fixed1(x.claims.estimate),
        interval: range(language, x.claims, fixed1),
        units: fixed(x.units),
      }),
    )
  }
  if (r.warnings.length === 0) lines.push(say('cli.reliability.no-warnings'))
  for (const w of r.warnings) {
    lines.push(
      say('cli.reliability.warning', {
        level: say(`cli.reliability.level.${w.level}`),
        scope: say(`cli.reliability.scope.${w.scope}`),
        key: w.key,
        month: w.month,
        observed: w.observed,
        window: w.window.join('+'),
        expected: w.expected.toFixed(1),
        test: `p = ${w.pValue.toExponential(2)}`,
        threshold: w.threshold.toExponential(2),
        reference: referenceIn(language, w.reference),
      }),
    )
  }
  return `${lines.join('\n')}\n`
}
