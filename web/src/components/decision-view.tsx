import { useTranslation } from 'react-i18next'
import { withReadableDates } from '../../../src/contracts/calendar-date.ts'
import type { DateWarning } from '../../../src/contracts/decision.ts'
import { COSTS } from '../../../src/contracts/vocabulary.ts'
import type { Decision } from '../api/types.ts'
import { currentLanguage, formatDate, formatList } from '../i18n/i18n.ts'
import { ClauseWords } from './clause-words.tsx'

/**
 * Words in both languages, as the engine writes them. A decision's explanation and the
 * reasons of its trace are optional in the contract: decisions stored before they existed
 * still show, in the older words.
 */
type Words = NonNullable<Decision['explanation']>

const inLanguage = (words: Words): string => (currentLanguage() === 'zh' ? words.zh : words.en)

/** Words made for a sentence ("the manufacturer", "a paid repair") standing alone as a value. */
const asValue = (words: string): string =>
  words.replace(/^(the|a|an) /, '').replace(/^./, (first) => first.toUpperCase())

/**
 * The explanation's dates as the rest of the page writes them ("13 Apr 2028", "2028年4月13日"):
 * the engine writes ISO dates so that one text serves every reader. The dates are found as the
 * e-mails find them (contracts/calendar-date.ts), so the page and the message name one day alike.
 */
export const explanationWithReadableDates = (text: string): string => withReadableDates(text, formatDate)

/** One sentence a customer can read: covered or not, what happens, and until when. */
export function DecisionSummary({ decision, forStaff = false }: { decision: Decision; forStaff?: boolean }) {
  const { t } = useTranslation()
  const remedy = decision.remedies[0]
  return (
    <div
      className={`verdict ${decision.covered ? 'verdict-yes' : 'verdict-no'}`}
      data-testid="decision-summary"
    >
      <p className="verdict-title">
        <span aria-hidden="true">{decision.covered ? '✓ ' : '✕ '}</span>
        {decision.covered ? t('decision.covered') : t('decision.notCovered')}
        {decision.provisional && <span className="badge">{t('decision.provisional')}</span>}
      </p>
      {decision.explanation ? (
        <>
          {/* The explanation speaks to the customer ("your claim"); staff read it as such. */}
          {forStaff && <p className="muted">{t('decisionCard.toCustomer')}</p>}
          <p data-testid="decision-explanation">
            {explanationWithReadableDates(inLanguage(decision.explanation))}
          </p>
        </>
      ) : (
        <p>
          {t(`basis.${decision.basis}`)}
          {remedy
            ? ` ${t('decision.remedyFirst', { remedy: t(`remedy.${remedy}`) })}`
            : ` ${t('decision.noRemedy')}`}
        </p>
      )}
      {decision.warranty && (
        <p>
          {t('decision.warrantyRange', {
            starts: formatDate(decision.warranty.starts),
            ends: formatDate(decision.warranty.ends),
          })}
        </p>
      )}
      {decision.provisional && !decision.explanation && (
        <p className="muted">{t('decision.provisionalNote')}</p>
      )}
    </div>
  )
}

export function DecisionDetails({
  decision,
  showTrace = true,
  serviceSide = showTrace,
}: {
  decision: Decision
  showTrace?: boolean
  /** Read by the service side, which reads of the customer in the third person; the customer reads "you". */
  serviceSide?: boolean
}) {
  const { t } = useTranslation()
  const costWords = serviceSide ? 'costStaff' : 'cost'
  const partyWords = serviceSide ? 'partyStaff' : 'party'
  // Never a raw code for a customer: the contract's words, or a plain sentence.
  const exclusionLabel = (code: string): string =>
    t(`exclusion.${code}`, {
      defaultValue: t(`finding.${code}`, {
        defaultValue: t(`decisionCard.exclusion.${code}`, { defaultValue: t('decision.exclusions') }),
      }),
    })
  return (
    <div className="stack">
      <DecisionSummary decision={decision} forStaff={serviceSide} />
      <dl className="facts">
        <dt>{t('decision.handler')}</dt>
        <dd>{asValue(t(`${partyWords}.${decision.handler}`))}</dd>
        {decision.service && (
          <>
            <dt>{t('decision.service')}</dt>
            <dd>{t(`service.${decision.service}`)}</dd>
          </>
        )}
        {decision.remedies.length > 0 && (
          <>
            <dt>{t('decision.remedies')}</dt>
            <dd>{asValue(formatList(decision.remedies.map((r) => t(`remedy.${r}`))))}</dd>
          </>
        )}
      </dl>
      <DateWarnings warnings={decision.dateWarnings ?? []} showField={showTrace} />
      {decision.missingEvidence.length > 0 && (
        <div className="note note-warn">
          <p>{t('decision.missingEvidence')}</p>
          <ul>
            {decision.missingEvidence.map((item) => (
              <li key={item}>{t(`evidence.${item}`, { defaultValue: item })}</li>
            ))}
          </ul>
        </div>
      )}
      {decision.exclusions.length > 0 && (
        <div className="note note-error">
          <p>{t('decision.exclusions')}</p>
          <ul>
            {decision.exclusions.map((ex) => (
              <li key={`${ex.code}-${ex.clause}`}>
                {exclusionLabel(ex.code)}
                {ex.blocks && ex.blocks.length > 0 && (
                  <>
                    {' '}
                    — {t('decision.blocks', { remedies: formatList(ex.blocks.map((r) => t(`remedy.${r}`))) })}
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="table-wrap">
        <table className="table">
          <caption>{t('decision.whoPays')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('decision.cost')}</th>
              <th scope="col">{t('decision.payer')}</th>
            </tr>
          </thead>
          <tbody>
            {COSTS.map((cost) => (
              <tr key={cost}>
                <th scope="row">{t(`${costWords}.${cost}`)}</th>
                <td>
                  {decision.payers[cost]
                    ? t(`${partyWords}.${decision.payers[cost]}`)
                    : t('decision.notSaid')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!showTrace && decision.trace.some((line) => line.applies) && (
        <details className="print-open" data-testid="decision-policy-words">
          <summary>{t('decisionCard.policyWords')}</summary>
          {/* Two clauses may quote the same sentence of the policy (an exclusion and the
              evidence it asks for); the reader sees it once. */}
          {decision.trace
            .filter((line) => line.applies)
            .filter((line, index, lines) => lines.findIndex((other) => other.text === line.text) === index)
            .map((line) => (
              <ClauseWords key={line.clause} source={line} />
            ))}
        </details>
      )}
      {showTrace && (
        <details className="staff-details" data-testid="decision-codes">
          <summary>{t('decisionCard.staffDetails')}</summary>
          <dl className="facts">
            <dt>{t('decisionCard.policyCode')}</dt>
            <dd>
              <code>{decision.policy}</code>
            </dd>
          </dl>
          {decision.exclusions.length > 0 && (
            <ul>
              {decision.exclusions.map((ex) => (
                <li key={`${ex.code}-${ex.clause}`}>
                  <code>{ex.code}</code> <code className="muted">{ex.clause}</code>
                </li>
              ))}
            </ul>
          )}
          <TraceList trace={decision.trace} />
        </details>
      )}
    </div>
  )
}

/** The case's dates the warranty may be counted from, by their place in the case. */
const DATE_FIELD_KEYS: Record<string, string> = {
  'purchase.deliveredOn': 'decision.dateField.deliveredOn',
  'purchase.shippedOn': 'decision.dateField.shippedOn',
  'purchase.activatedOn': 'decision.dateField.activatedOn',
}

/**
 * Dates of the case that disagree (a warranty counted from before the purchase), shown apart
 * from the explanation so that neither the customer nor staff reads past them; staff also
 * get the case field to correct.
 */
function DateWarnings({ warnings, showField }: { warnings: DateWarning[]; showField: boolean }) {
  const { t } = useTranslation()
  if (warnings.length === 0) return null
  return (
    <div className="note note-warn" role="note" data-testid="date-warnings">
      <p>
        <strong>{t('decision.dateWarnings')}</strong>
      </p>
      <ul>
        {warnings.map((warning) => (
          <li key={`${warning.code}-${warning.field}`} data-testid="date-warning">
            {t(`decision.dateWarning.${warning.code}`, {
              field: t(DATE_FIELD_KEYS[warning.field] ?? 'decision.dateField.other'),
              startsOn: formatDate(warning.startsOn),
              purchasedOn: formatDate(warning.purchasedOn),
            })}
            {showField && (
              <>
                {' '}
                <code>{warning.field}</code>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  )
}

/**
 * The clauses behind the decision, in the policy's own words. First-class: the ones that
 * applied, and the ones weighed and set aside with a reason of this case (damage inspection
 * found that did not cause the fault); the rest folded away.
 */
export function TraceList({ trace }: { trace: Decision['trace'] }) {
  const { t } = useTranslation()
  const applied = trace.filter((line) => line.applies || line.because)
  const weighed = trace.filter((line) => !line.applies && !line.because)
  return (
    <section aria-labelledby="trace-title" className="trace" data-testid="decision-trace">
      <h3 id="trace-title">{t('decision.clauses')}</h3>
      <ol className="clause-list">
        {applied.map((line) => (
          <li
            key={line.clause}
            className={line.applies ? 'clause clause-applies' : 'clause'}
            data-outcome={line.outcome ?? 'applies'}
          >
            <p className="clause-id">
              <span className={line.applies ? 'badge badge-ok' : 'badge'}>
                {t(`decisionCard.outcome.${line.outcome ?? (line.applies ? 'applies' : 'not-met')}`)}
              </span>{' '}
              <code>{line.clause}</code>
            </p>
            <ClauseWords source={line} />
            {line.because && (
              <p>
                <strong>{t('common.labelled', { label: t('decisionCard.because') })}</strong>
                {inLanguage(line.because)}
              </p>
            )}
          </li>
        ))}
      </ol>
      {weighed.length > 0 && (
        <details>
          <summary>{t('decision.otherClauses', { count: weighed.length })}</summary>
          <ol className="clause-list">
            {weighed.map((line) => (
              <li key={line.clause} className="clause">
                <p className="clause-id">
                  <code>{line.clause}</code>
                </p>
                <ClauseWords source={line} />
              </li>
            ))}
          </ol>
        </details>
      )}
    </section>
  )
}
