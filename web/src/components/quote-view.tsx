import { useTranslation } from 'react-i18next'
import type { Quote } from '../api/types.ts'
import { formatDate, formatMinorMoney } from '../i18n/i18n.ts'

/**
 * Amounts travel in minor units of the quote's currency (cents, fen, whole yen), as the money
 * feature stores them. A quote past its last day says so, and what the reader can do instead:
 * the customer cannot accept it any more, and staff are told to send a new one.
 */
export function QuoteView({ quote, reader = 'customer' }: { quote: Quote; reader?: 'customer' | 'staff' }) {
  const { t } = useTranslation()
  // Staff and the dealer read of the customer in the third person, as on the decision card.
  const costWords = reader === 'staff' ? 'costStaff' : 'cost'
  const partyWords = reader === 'staff' ? 'partyStaff' : 'party'
  // A dealer that sold the unit and does not handle the claim is sent only the lines it pays
  // and no customer total: the customer's share is not shown to it, not shown as nothing.
  const total = quote.customerMinor
  // The customer is shown what they pay, and of the rest only that it is covered: not which
  // business absorbs which line (the API sends them those lines without amounts).
  const covered = (line: Quote['lines'][number]) => reader === 'customer' && line.payer !== 'customer'
  return (
    <>
      {quote.expired && quote.validUntil && (
        <p className="note note-warn" role="status" data-testid="quote-expired">
          {t(reader === 'staff' ? 'quote.expiredStaff' : 'quote.expired', {
            date: formatDate(quote.validUntil),
          })}
        </p>
      )}
      {(quote.lines.length > 0 || total !== undefined) && (
        <div className="table-wrap">
          <table className="table" data-testid="quote">
            <thead>
              <tr>
                <th scope="col">{t('quote.item')}</th>
                <th scope="col">{t('decision.payer')}</th>
                <th scope="col" className="num">
                  {t('quote.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {quote.lines.map((line) => (
                <tr key={`${line.kind}-${line.description ?? ''}-${line.amountMinor}-${line.payer ?? ''}`}>
                  <td>
                    {t(`${costWords}.${line.kind}`, { defaultValue: line.kind })}
                    {line.description && line.description !== t(`${costWords}.${line.kind}`) && (
                      <div className="muted" translate="no">
                        {line.description}
                      </div>
                    )}
                  </td>
                  <td data-testid="quote-line-payer">
                    {covered(line)
                      ? t('quote.covered')
                      : line.payer
                        ? t(`${partyWords}.${line.payer}`, { defaultValue: line.payer })
                        : '—'}
                  </td>
                  <td className="num">
                    {line.amountMinor === undefined
                      ? '—'
                      : formatMinorMoney(line.amountMinor, quote.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
            {total !== undefined && (
              <tfoot>
                <tr>
                  <th scope="row" colSpan={2}>
                    {t('quote.youPay')}
                  </th>
                  <td className="num" data-testid="quote-total">
                    {formatMinorMoney(total, quote.currency)}
                  </td>
                </tr>
              </tfoot>
            )}
          </table>
        </div>
      )}
      {total === undefined && (
        <p className="muted" data-testid="quote-own-lines">
          {t('quote.ownLinesOnly')}
        </p>
      )}
      {quote.validUntil && quote.status === 'sent' && !quote.expired && (
        <p className="muted" data-testid="quote-valid-until">
          {t('quote.validUntil', { date: formatDate(quote.validUntil) })}
        </p>
      )}
    </>
  )
}
