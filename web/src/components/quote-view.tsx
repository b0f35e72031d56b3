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
  const total =
    quote.customerMinor ??
    quote.lines.reduce((sum, line) => sum + (line.payer === 'customer' ? line.amountMinor : 0), 0)
  return (
    <>
      {quote.expired && quote.validUntil && (
        <p className="note note-warn" role="status" data-testid="quote-expired">
          {t(reader === 'staff' ? 'quote.expiredStaff' : 'quote.expired', {
            date: formatDate(quote.validUntil),
          })}
        </p>
      )}
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
                <td>{line.payer ? t(`${partyWords}.${line.payer}`, { defaultValue: line.payer }) : '—'}</td>
                <td className="num">{formatMinorMoney(line.amountMinor, quote.currency)}</td>
              </tr>
            ))}
          </tbody>
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
        </table>
      </div>
      {quote.validUntil && quote.status === 'sent' && !quote.expired && (
        <p className="muted" data-testid="quote-valid-until">
          {t('quote.validUntil', { date: formatDate(quote.validUntil) })}
        </p>
      )}
    </>
  )
}
