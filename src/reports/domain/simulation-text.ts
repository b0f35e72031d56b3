import { minorToDecimal } from '../../contracts/money.ts'
import {
  type MessageKey,
  type MessageLanguage,
  type MessageParams,
  translate,
  wordOf,
} from '../../shared/messages/translate.ts'
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

/**
 * The report's words in the operator's language. Codes (payers, remedies, bases, kinds of
 * cost) stay codes in English, where scripts and the policy files spell them so; in Chinese
 * they are worded, as a reader there cannot be asked to know the English codes.
 */
function wordsIn(language: MessageLanguage) {
  const say = (key: MessageKey, params?: MessageParams) => translate(language, key, params)
  const word = (vocabulary: string, value: unknown): string => {
    if (value === null || value === undefined) return say('simulate.none')
    const text = String(value)
    return language === 'en' ? text : wordOf(language, vocabulary, text)
  }
  const arrow = (vocabulary: string, before: unknown, after: unknown) =>
    `${word(vocabulary, before)} → ${word(vocabulary, after)}`
  const yesNo = (value: boolean) => say(value ? 'simulate.yes' : 'simulate.no')
  const separator = language === 'zh' ? '；' : '; '
  const comma = language === 'zh' ? '，' : ', '
  const colon = language === 'zh' ? '：' : ': '
  return { say, word, arrow, yesNo, separator, comma, colon }
}

function describeClaim(diff: ClaimDiff, w: ReturnType<typeof wordsIn>): string {
  const { say, arrow, yesNo } = w
  const parts: string[] = []
  if (diff.covered)
    parts.push(
      say('simulate.claim.covered', {
        change: `${yesNo(diff.covered.before)} → ${yesNo(diff.covered.after)}`,
      }),
    )
  if (diff.basis)
    parts.push(
      say('simulate.claim.basis', { change: arrow('basisName', diff.basis.before, diff.basis.after) }),
    )
  if (diff.remedy)
    parts.push(
      say('simulate.claim.remedy', { change: arrow('remedy', diff.remedy.before, diff.remedy.after) }),
    )
  if (diff.handler)
    parts.push(
      say('simulate.claim.handler', { change: arrow('handler', diff.handler.before, diff.handler.after) }),
    )
  for (const p of diff.payers) parts.push(`${w.word('cost', p.cost)} ${arrow('payer', p.before, p.after)}`)
  if (diff.exclusionsGained.length) parts.push(`+${diff.exclusionsGained.join(' +')}`)
  if (diff.exclusionsLost.length) parts.push(`-${diff.exclusionsLost.join(' -')}`)
  if (diff.clauses.length)
    parts.push(say('simulate.claim.clauses', { clauses: diff.clauses.map((c) => c.clause).join(w.comma) }))
  return `  ${diff.claimId}  ${parts.join(w.separator)}`
}

/**
 * The simulation as a policy owner reads it in a terminal, in their language: summary first,
 * then the changed claims.
 */
export function formatSimulationText(result: SimulationResult, language: MessageLanguage = 'en'): string {
  const w = wordsIn(language)
  const { say, arrow } = w
  const { summary: s } = result
  const range = say('simulate.range', {
    from: result.range.from ?? say('simulate.from-first'),
    to: result.range.to ?? say('simulate.to-today'),
  })
  const lines = [
    say('simulate.header', {
      policy: result.policy.id,
      version: result.policy.draftVersion,
      compared: s.compared,
      range,
    }),
    say('simulate.totals', { changed: s.changed, gained: s.coverageGained, lost: s.coverageLost }),
  ]
  const section = (title: MessageKey, rows: string[]) => {
    if (rows.length > 0) lines.push(say(title), ...rows.map((r) => `  ${r}`))
  }
  section(
    'simulate.section.basis',
    s.basisChanges.map((c) => `${arrow('basisName', c.before, c.after)} ${times(c.count)}`),
  )
  section(
    'simulate.section.remedy',
    s.remedyChanges.map((c) => `${arrow('remedy', c.before, c.after)} ${times(c.count)}`),
  )
  section(
    'simulate.section.payers',
    s.payerChanges.map(
      (c) => `${w.word('cost', c.cost)}${w.colon}${arrow('payer', c.before, c.after)} ${times(c.count)}`,
    ),
  )
  section(
    'simulate.section.exclusions-gained',
    Object.entries(s.exclusionsGained).map(([code, n]) => `${code} ${times(n)}`),
  )
  section(
    'simulate.section.exclusions-lost',
    Object.entries(s.exclusionsLost).map(([code, n]) => `${code} ${times(n)}`),
  )
  section(
    'simulate.section.clauses',
    Object.entries(s.clauseChanges).map(([clause, n]) => `${clause} ${times(n)}`),
  )
  section(
    'simulate.section.cost-shift',
    s.costShift.map((c) =>
      say('simulate.cost-moved', {
        payers: c.byPayer
          .map((p) => `${w.word('payer', p.payer)} ${formatMinor(p.delta, c.currency, true)}`)
          .join(w.comma),
        moved: formatMinor(c.moved, c.currency),
      }),
    ),
  )
  if (result.changes.length > 0) {
    lines.push(
      result.truncated
        ? say('simulate.changed-first', { shown: result.changes.length, changed: s.changed })
        : say('simulate.changed'),
      ...result.changes.map((diff) => describeClaim(diff, w)),
    )
  }
  const t = result.termProjection
  if (t) {
    const claims = (c: { estimate: number; lower: number; upper: number }) =>
      `${c.estimate.toFixed(0)} [${c.lower.toFixed(0)}, ${c.upper.toFixed(0)}]`
    const projection = { term: t.term, days: t.termDays, claims: claims(t.claims), units: t.units }
    lines.push(
      t.currentClaims
        ? say('simulate.term-against', { ...projection, current: claims(t.currentClaims) })
        : say('simulate.term', projection),
    )
    for (const c of t.cost) {
      const now = t.currentCost.find((x) => x.currency === c.currency)
      const cost = {
        estimate: formatMinor(c.estimate, c.currency),
        lower: formatMinor(c.lower, c.currency),
        upper: formatMinor(c.upper, c.currency),
      }
      lines.push(
        `  ${now ? say('simulate.term-cost-now', { ...cost, now: formatMinor(now.estimate, now.currency) }) : say('simulate.term-cost', cost)}`,
      )
    }
    for (const m of t.byModel) {
      lines.push(
        `  ${say('simulate.term-model', {
          model: m.modelName,
          claims: m.claims ? claims(m.claims) : say('simulate.too-few-failures'),
          units: m.units,
        })}`,
      )
    }
  }
  if (result.skippedCount > 0) {
    lines.push(say('simulate.skipped', { count: result.skippedCount }))
    lines.push(...result.skipped.map((k) => `  ${k.claimId}: ${k.reason}`))
  }
  return `${lines.join('\n')}\n`
}
