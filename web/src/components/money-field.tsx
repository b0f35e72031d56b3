import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { exampleAmount, type MoneyRefusal, minorDigits, minorStep } from '../i18n/money.ts'
import { ErrorNote } from './status.tsx'

/** The reader's words for an amount `toMinorUnits` refused, naming the currency's own decimals. */
export function moneyRefusalText(t: TFunction, refusal: MoneyRefusal, currency: string): string {
  const digits = minorDigits(currency)
  const params = { currency, digits, example: exampleAmount(currency) }
  if (refusal === 'too-many-decimals' && digits === 0) return t('money.no-decimals', params)
  return t(`money.${refusal}`, params)
}

/**
 * What a number input for an amount of `currency` needs: a `step` of one minor unit (1 for
 * yen, 0.01 for euros, 0.001 for dinars), so the browser offers and accepts only amounts
 * the currency has, and the keyboard of whole numbers where there are no decimals.
 */
export function moneyInputProps(currency: string) {
  return {
    type: 'number',
    min: '0',
    step: minorStep(currency),
    inputMode: minorDigits(currency) === 0 ? ('numeric' as const) : ('decimal' as const),
  }
}

/** The attributes that tie a refused amount field to its note, for a screen reader. */
export function moneyFieldInvalid(noteId: string, refusal: MoneyRefusal | null | undefined) {
  return refusal ? { 'aria-invalid': true, 'aria-describedby': noteId } : {}
}

/** Under an amount field: why what was typed was not taken, in the form's error style. */
export function MoneyFieldError({
  id,
  refusal,
  currency,
}: {
  id: string
  refusal: MoneyRefusal | null | undefined
  currency: string
}) {
  const { t } = useTranslation()
  if (!refusal) return null
  return (
    <div id={id} data-testid="money-error">
      <ErrorNote error={new Error(moneyRefusalText(t, refusal, currency))} />
    </div>
  )
}
