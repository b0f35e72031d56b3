import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { COSTS } from '../../../src/contracts/vocabulary.ts'
import type { Decision } from '../api/types.ts'
import { MoneyFieldError, moneyFieldInvalid, moneyInputProps } from '../components/money-field.tsx'
import { formatMinorMoney } from '../i18n/i18n.ts'
import { type MoneyRefusal, toMinorUnits } from '../i18n/money.ts'

// A quote's lines are of the decision's costs (`kind: z.enum(COSTS)` in the claims API).
const LINE_KINDS = COSTS
const CURRENCIES = ['USD', 'CNY', 'EUR'] as const
const PAYERS = ['customer', 'vendor', 'dealer', 'manufacturer'] as const

interface DraftLine {
  key: number
  kind: (typeof LINE_KINDS)[number]
  description: string
  amount: string
  payer: (typeof PAYERS)[number]
}

/**
 * Cost lines with their payer prefilled from the decision; amounts typed in major units of
 * the claim's currency (whole yen, euros and cents) and sent in its minor units.
 */
export function QuoteEditor({
  decision,
  initialCurrency,
  busy,
  onSubmit,
}: {
  decision: Decision | null
  initialCurrency: string
  busy: boolean
  onSubmit(body: Record<string, unknown>): Promise<void>
}) {
  const { t } = useTranslation()
  const payerFor = (kind: DraftLine['kind']): DraftLine['payer'] => decision?.payers[kind] ?? 'customer'
  const [currency, setCurrency] = useState<string>(initialCurrency)
  const [lines, setLines] = useState<DraftLine[]>([
    { key: 1, kind: 'parts', description: '', amount: '', payer: payerFor('parts') },
    { key: 2, kind: 'labour', description: '', amount: '', payer: payerFor('labour') },
  ])
  /** Lines whose amount was not taken, by line key, until that amount is typed again. */
  const [refused, setRefused] = useState<Record<number, MoneyRefusal>>({})

  function updateLine(key: number, patch: Partial<DraftLine>) {
    setLines((current) => current.map((line) => (line.key === key ? { ...line, ...patch } : line)))
    if (patch.amount !== undefined && refused[key]) {
      setRefused((current) => Object.fromEntries(Object.entries(current).filter(([k]) => Number(k) !== key)))
    }
  }

  async function handleSubmit(event: FormEvent) {
    event.preventDefault()
    // The claim's currency comes from its policy; amounts go in minor units as the API stores them.
    const typed = lines
      .filter((line) => line.amount !== '')
      .map((line) => ({ line, amount: toMinorUnits(line.amount, currency) }))
    const refusals: Record<number, MoneyRefusal> = {}
    for (const { line, amount } of typed) if (!amount.ok) refusals[line.key] = amount.refusal
    setRefused(refusals)
    if (Object.keys(refusals).length > 0) return
    await onSubmit({
      lines: typed.map(({ line, amount }) => ({
        kind: line.kind,
        // Left blank, each reader is shown the line's kind in their own language, not the staff's.
        ...(line.description.trim() ? { description: line.description } : {}),
        quantity: 1,
        unitPriceMinor: amount.ok ? amount.minor : 0,
        payer: line.payer,
      })),
    }).catch(() => undefined)
  }

  // What the customer pays of the amounts typed so far; one not yet a valid amount counts nothing.
  const customerTotalMinor = lines.reduce((sum, line) => {
    const amount =
      line.payer === 'customer' && line.amount !== '' ? toMinorUnits(line.amount, currency) : null
    return sum + (amount?.ok ? amount.minor : 0)
  }, 0)
  return (
    <form
      className="card form"
      onSubmit={(event) => void handleSubmit(event)}
      aria-labelledby="quote-editor-title"
      data-testid="quote-editor"
    >
      <h2 id="quote-editor-title">{t('quote.editorTitle')}</h2>
      <label htmlFor="quote-currency">{t('quote.currency')}</label>
      <select
        id="quote-currency"
        value={currency}
        disabled
        onChange={(event) => setCurrency(event.target.value)}
      >
        {[...new Set([currency, ...CURRENCIES])].map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
      {lines.map((line, index) => (
        <fieldset key={line.key} className="quote-line">
          <legend>{t('quote.line', { n: index + 1 })}</legend>
          <label htmlFor={`kind-${line.key}`}>{t('quote.item')}</label>
          <select
            id={`kind-${line.key}`}
            value={line.kind}
            onChange={(event) => {
              const kind = event.target.value as DraftLine['kind']
              updateLine(line.key, { kind, payer: payerFor(kind) })
            }}
          >
            {LINE_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`costStaff.${kind}`)}
              </option>
            ))}
          </select>
          <label htmlFor={`desc-${line.key}`}>{t('quote.description')}</label>
          <input
            id={`desc-${line.key}`}
            value={line.description}
            onChange={(event) => updateLine(line.key, { description: event.target.value })}
          />
          <label htmlFor={`amount-${line.key}`}>{t('quote.amount')}</label>
          <input
            id={`amount-${line.key}`}
            {...moneyInputProps(currency)}
            {...moneyFieldInvalid(`amount-${line.key}-error`, refused[line.key])}
            value={line.amount}
            onChange={(event) => updateLine(line.key, { amount: event.target.value })}
          />
          <MoneyFieldError id={`amount-${line.key}-error`} refusal={refused[line.key]} currency={currency} />
          <label htmlFor={`payer-${line.key}`}>{t('decision.payer')}</label>
          <select
            id={`payer-${line.key}`}
            value={line.payer}
            onChange={(event) => updateLine(line.key, { payer: event.target.value as DraftLine['payer'] })}
          >
            {PAYERS.map((payer) => (
              <option key={payer} value={payer}>
                {t(`partyStaff.${payer}`)}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button-quiet"
            onClick={() => setLines((current) => current.filter((l) => l.key !== line.key))}
          >
            {t('quote.removeLine')}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="button-quiet"
        onClick={() =>
          setLines((current) => [
            ...current,
            { key: Date.now(), kind: 'parts', description: '', amount: '', payer: payerFor('parts') },
          ])
        }
      >
        {t('quote.addLine')}
      </button>
      <p>
        {t('common.labelled', { label: t('quote.youPay') })}
        <strong data-testid="quote-editor-total">{formatMinorMoney(customerTotalMinor, currency)}</strong>
      </p>
      <button type="submit" disabled={busy}>
        {t('quote.send')}
      </button>
    </form>
  )
}
