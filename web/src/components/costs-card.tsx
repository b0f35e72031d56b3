import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClaimCostLine, ClaimCostTotals } from '../api/types.ts'
import { formatMinorMoney } from '../i18n/i18n.ts'
import { costLineAnchor, costLineLabel } from './history-anchor.ts'

/**
 * The claim's priced costs the reader may see, each with who pays it: what a recovery line
 * cites by its entry (`1a2b3c4d`), and links to here. Staff and the dealer read of the
 * customer in the third person, as on the quote; the customer is spoken to. A line of a quote
 * the customer has not accepted stays listed, greyed with its amount struck and the quote's
 * status beside it, since nobody owes it; the totals below count the spent lines alone.
 */
export function CostsCard({
  lines,
  totals = {},
  reader = 'customer',
}: {
  lines: readonly ClaimCostLine[]
  /** The server's totals of the spent lines, by currency, overall and per payer. */
  totals?: ClaimCostTotals | undefined
  reader?: 'customer' | 'staff'
}) {
  const { t } = useTranslation()
  const titleId = useId()
  const costWords = reader === 'staff' ? 'costStaff' : 'cost'
  const partyWords = reader === 'staff' ? 'partyStaff' : 'party'
  return (
    <section className="card" aria-labelledby={titleId} data-testid="costs">
      <h2 id={titleId}>{t('costs.title')}</h2>
      {lines.length === 0 ? (
        <p className="muted">{t('costs.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-stack">
            <thead>
              <tr>
                <th scope="col">{t('costs.entry')}</th>
                <th scope="col">{t('costs.payer')}</th>
                <th scope="col">{t('costs.item')}</th>
                <th scope="col" className="num">
                  {t('costs.amount')}
                </th>
                <th scope="col">{t('costs.currency')}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                // Focusable, so a recovery's link lands where the keyboard goes on from.
                <tr
                  key={line.id}
                  id={costLineAnchor(line.id)}
                  tabIndex={-1}
                  data-testid="cost-line"
                  data-spent={line.spent}
                  className={line.spent ? undefined : 'cost-unspent'}
                >
                  <td data-label={t('costs.entry')}>
                    <code title={line.id} translate="no" data-testid="cost-line-entry">
                      {costLineLabel(line.id)}
                    </code>
                  </td>
                  <td data-label={t('costs.payer')} data-testid="cost-line-payer">
                    {t(`${partyWords}.${line.payer}`, { defaultValue: line.payer })}
                  </td>
                  <td data-label={t('costs.item')}>
                    {t(`${costWords}.${line.kind}`, { defaultValue: line.kind })}
                    {line.quantity !== 1 && ` × ${line.quantity}`}
                    {line.description && line.description !== t(`${costWords}.${line.kind}`) && (
                      <div className="muted" translate="no">
                        {line.description}
                      </div>
                    )}
                    {!line.spent && (
                      <div className="muted" data-testid="cost-line-not-spent">
                        {t(`costs.notSpent.${line.quoteStatus ?? 'unknown'}`, {
                          defaultValue: t('costs.notSpent.unknown'),
                        })}
                      </div>
                    )}
                  </td>
                  <td className="num" data-label={t('costs.amount')} data-testid="cost-line-amount">
                    {line.spent ? (
                      formatMinorMoney(line.amountMinor, line.currency)
                    ) : (
                      <s>{formatMinorMoney(line.amountMinor, line.currency)}</s>
                    )}
                  </td>
                  <td data-label={t('costs.currency')} translate="no">
                    {line.currency}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {Object.entries(totals)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, total]) => (
          <p key={currency} data-testid={`costs-total-${currency}`}>
            <strong>
              <CodeInWords words={t('costs.total', { currency: CODE_SLOT })} code={currency} />:{' '}
              {formatMinorMoney(total.amountMinor, currency)}
            </strong>
            {Object.entries(total.byPayer)
              .sort(([, a], [, b]) => b - a)
              .map(
                ([payer, amount]) =>
                  ` · ${t('costs.totalByPayer', {
                    payer: t(`${partyWords}.${payer}`, { defaultValue: payer }),
                    amount: formatMinorMoney(amount, currency),
                  })}`,
              )
              .join('')}
          </p>
        ))}
      {lines.some((line) => !line.spent) && <p className="muted">{t('costs.totalsNote')}</p>}
    </section>
  )
}

/** Where a code goes in a sentence of the reader's language, so the code can be marked apart. */
const CODE_SLOT = '\u0001'

/**
 * A sentence with a code in it (a currency, `USD`), the code marked as not to be translated: it
 * reads the same in every language, and a Chinese page is not one with English words in it.
 */
function CodeInWords({ words, code }: { words: string; code: string }) {
  const [before, after = ''] = words.split(CODE_SLOT)
  return (
    <>
      {before}
      <span translate="no">{code}</span>
      {after}
    </>
  )
}
