import { Fragment, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import type { z } from 'zod'
import type {
  RecoveryView,
  recoveryEventsView,
  recoveryListView,
  summaryView,
} from '../../../src/recoveries/recovery.schemas.ts'
import { api } from '../api/client.ts'
import { DateField } from '../components/date-field.tsx'
import { costLineAnchor, costLineLabel, historyAnchor } from '../components/history-anchor.ts'
import { localToday } from '../components/local-today.ts'
import { MoneyFieldError, moneyFieldInvalid } from '../components/money-field.tsx'
import { splitPolicyCode, usePolicyWords } from '../components/policy-words.ts'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { currentLanguage, formatDate, formatDateTime, formatMinorMoney, formatMonth } from '../i18n/i18n.ts'
import { fromMinorUnits, type MoneyRefusal, toMinorUnits } from '../i18n/money.ts'

type RecoveryList = z.infer<typeof recoveryListView>
type Summary = z.infer<typeof summaryView>
type History = z.infer<typeof recoveryEventsView>

const BASE = '/api/v1/recoveries'

/**
 * The recovery desk: what the organisation is owed and owes, per counterparty and month,
 * and every recovery claim where it is creditor or debtor. Staff see every organisation's.
 */
export function RecoveriesPage() {
  const { t } = useTranslation()
  const list = useApi<RecoveryList>(BASE, { limit: 200 })
  const summary = useApi<Summary>(`${BASE}/summary`)
  const items = list.data?.items ?? []
  return (
    <section className="page" data-testid="recoveries-page">
      <h1>{t('recoveries.title')}</h1>
      <p className="muted">{t('recoveries.intro')}</p>
      <h2>{t('recoveries.ledger')}</h2>
      {summary.loading && <Loading />}
      <ErrorNote error={summary.error} />
      <div className="table-wrap">
        <table className="table table-stack" data-testid="recovery-ledger">
          <thead>
            <tr>
              <th scope="col">{t('recoveries.month')}</th>
              <th scope="col">{t('recoveries.counterparty')}</th>
              <th scope="col" className="num">
                {t('recoveries.owed')}
              </th>
              <th scope="col" className="num">
                {t('recoveries.submitted')}
              </th>
              <th scope="col" className="num">
                {t('recoveries.accepted')}
              </th>
              <th scope="col" className="num">
                {t('recoveries.paid')}
              </th>
              <th scope="col" className="num">
                {t('recoveries.writtenOff')}
              </th>
            </tr>
          </thead>
          <tbody>
            {(summary.data?.items ?? []).map((row) => (
              <tr
                key={`${row.organisation.id}-${row.counterparty.id}-${row.direction}-${row.month}-${row.currency}`}
              >
                <td data-label={t('recoveries.month')}>{formatMonth(row.month)}</td>
                <td data-label={t('recoveries.counterparty')}>
                  {row.direction === 'receivable'
                    ? t('recoveries.owesYou', { from: row.counterparty.name, to: row.organisation.name })
                    : t('recoveries.youOwe', { from: row.organisation.name, to: row.counterparty.name })}{' '}
                  <span className="muted">{row.currency}</span>
                </td>
                <td className="num" data-label={t('recoveries.owed')}>
                  {formatMinorMoney(row.owedMinor, row.currency)}
                </td>
                <td className="num" data-label={t('recoveries.submitted')}>
                  {formatMinorMoney(row.submittedMinor, row.currency)}
                </td>
                <td className="num" data-label={t('recoveries.accepted')}>
                  {formatMinorMoney(row.acceptedMinor, row.currency)}
                </td>
                <td className="num" data-label={t('recoveries.paid')}>
                  {formatMinorMoney(row.paidMinor, row.currency)}
                </td>
                <td className="num" data-label={t('recoveries.writtenOff')}>
                  {formatMinorMoney(row.writtenOffMinor, row.currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('recoveries.claims')}</h2>
      {list.loading && <Loading />}
      <ErrorNote error={list.error} />
      {!list.loading && items.length === 0 && <p>{t('recoveries.none')}</p>}
      <div className="table-wrap">
        <table className="table table-stack" data-testid="recovery-list">
          <thead>
            <tr>
              <th scope="col">{t('recoveries.parties')}</th>
              <th scope="col">{t('recoveries.period')}</th>
              <th scope="col">{t('recoveries.state')}</th>
              <th scope="col" className="num">
                {t('recoveries.claimed')}
              </th>
              <th scope="col">{t('recoveries.deadline')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-recovery={item.id}>
                <td data-label={t('recoveries.parties')}>
                  <Link to={`/recoveries/${item.id}`}>
                    {item.creditor.name} → {item.debtor.name}
                  </Link>
                </td>
                <td data-label={t('recoveries.period')}>{formatMonth(item.period)}</td>
                <td data-label={t('recoveries.state')}>
                  {t(`recoveries.states.${item.state}`)}
                  {item.late && <span className="badge"> {t('recoveries.late')}</span>}
                </td>
                <td className="num" data-label={t('recoveries.claimed')}>
                  {formatMinorMoney(item.totals.claimedMinor, item.currency)}
                </td>
                <td data-label={t('recoveries.deadline')}>{formatDate(item.deadline)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

/** One recovery claim: its lines with clause and evidence, the answer so far, the steps this side may take, the history. */
export function RecoveryPage() {
  const { t, i18n } = useTranslation()
  const { id = '' } = useParams()
  const one = useApi<RecoveryView>(`${BASE}/${encodeURIComponent(id)}`)
  const history = useApi<History>(`${BASE}/${encodeURIComponent(id)}/events`)
  const policyWords = usePolicyWords()
  const view = one.data
  // The server words the lines in the language they were asked in: a reader who switches
  // language gets them again in the new one.
  const askedIn = useRef(i18n.language)
  const { reload: reloadView } = one
  useEffect(() => {
    if (askedIn.current === i18n.language) return
    askedIn.current = i18n.language
    reloadView()
  }, [i18n.language, reloadView])
  const reload = () => {
    one.reload()
    history.reload()
  }
  if (one.loading && !view) return <Loading />
  if (!view)
    return (
      <section className="page">
        <ErrorNote error={one.error} />
      </section>
    )
  // Staff open a claim at the service desk, a dealer (creditor or debtor) at its own.
  const claimPath = (claimId: string) =>
    `/${view.yourSide === 'staff' ? 'staff' : 'dealer'}/claims/${encodeURIComponent(claimId)}`
  return (
    <section className="page" data-testid="recovery-page" data-state={view.state}>
      <p>
        <Link to="/recoveries">{t('recoveries.back')}</Link>
      </p>
      <h1>
        {view.creditor.name} → {view.debtor.name}
      </h1>
      <dl className="facts">
        <dt>{t('recoveries.state')}</dt>
        <dd data-testid="recovery-state">{t(`recoveries.states.${view.state}`)}</dd>
        <dt>{t('recoveries.period')}</dt>
        <dd data-testid="recovery-period">{formatMonth(view.period)}</dd>
        <dt>{t('recoveries.terms')}</dt>
        <dd>
          <span title={`${view.terms.id}@${view.terms.version}`} data-testid="recovery-terms">
            {t('lookup.policyWithVersion', {
              title: view.terms.title,
              version: t('lookup.version', { version: view.terms.version }),
            })}
          </span>
        </dd>
        <dt>{t('recoveries.deadline')}</dt>
        <dd>
          {formatDate(view.deadline)} {view.late && <strong>{t('recoveries.late')}</strong>}
        </dd>
        {view.returnPart && (
          <>
            <dt>{t('recoveries.part')}</dt>
            <dd>{t(`recoveries.partStates.${view.partState}`)}</dd>
          </>
        )}
        {view.paid && (
          <>
            <dt>{t('recoveries.paid')}</dt>
            <dd>
              {formatMinorMoney(view.paid.amountMinor, view.currency)} · {formatDate(view.paid.on)} ·{' '}
              {view.paid.reference}
            </dd>
          </>
        )}
        {/* What the creditor gave up (claimed − paid), so no reader has to work it out. */}
        {view.totals.writtenOffMinor > 0 && (
          <>
            <dt>{t('recoveries.writtenOff')}</dt>
            <dd data-testid="recovery-written-off">
              {formatMinorMoney(view.totals.writtenOffMinor, view.currency)}
            </dd>
          </>
        )}
      </dl>
      {!view.debtor.onInstallation && (
        <p className="muted">
          {t('recoveries.outside', { name: view.debtor.name })}{' '}
          {/* A link is followed with the browser's languages, not the one chosen in the page. */}
          <a href={`${BASE}/${view.id}/statement.pdf?locale=${currentLanguage()}`}>
            {t('recoveries.statementPdf')}
          </a>{' '}
          ·{' '}
          <a href={`${BASE}/${view.id}/statement.csv?locale=${currentLanguage()}`}>
            {t('recoveries.statementCsv')}
          </a>
        </p>
      )}
      <RecoveryActions view={view} onDone={reload} />
      <h2>{t('recoveries.lines')}</h2>
      <div className="table-wrap">
        <table className="table table-stack" data-testid="recovery-lines">
          <thead>
            <tr>
              <th scope="col">{t('recoveries.line')}</th>
              <th scope="col">{t('recoveries.clause')}</th>
              <th scope="col" className="num">
                {t('recoveries.claimed')}
              </th>
              <th scope="col" className="num">
                {t('recoveries.accepted')}
              </th>
            </tr>
          </thead>
          <tbody>
            {view.lines.map((line) => (
              <tr key={line.id}>
                <td data-label={t('recoveries.line')}>
                  {t(`recoveries.kinds.${line.kind}`)}
                  {line.leg && ` · ${t(`recoveries.legs.${line.leg}`)}`}
                  <div className="muted" data-testid="recovery-line-description">
                    {line.localDescription}
                  </div>
                  <div className="muted">
                    {t('recoveries.claim')}{' '}
                    {/* Linked only where the reader would be let in: a debtor reads the number alone. */}
                    {line.claimVisible ? (
                      <Link to={claimPath(line.claimId)} data-testid="recovery-line-claim">
                        {line.claimNumber}
                      </Link>
                    ) : (
                      <span data-testid="recovery-line-claim">{line.claimNumber}</span>
                    )}{' '}
                    ·{' '}
                    <span data-testid="recovery-line-policy">
                      {policyWords(splitPolicyCode(line.decision.policy))}
                    </span>{' '}
                    · {formatDate(line.workOn)}
                  </div>
                  {/* What on the claim backs the line: its cost entries (ids, shortened) and its history entries. */}
                  <div className="muted" data-testid="recovery-line-evidence">
                    {t('recoveries.evidence')}{' '}
                    {line.evidence.costLineIds.length === 0 && line.evidence.eventSeqs.length === 0 ? (
                      t('recoveries.evidenceNone')
                    ) : (
                      <>
                        {line.evidence.costLineIds.length > 0 && (
                          <EvidenceCosts
                            ids={line.evidence.costLineIds}
                            claimPath={line.claimVisible ? claimPath(line.claimId) : null}
                          />
                        )}
                        {line.evidence.costLineIds.length > 0 && line.evidence.eventSeqs.length > 0 && ' · '}
                        {line.evidence.eventSeqs.length > 0 && (
                          <EvidenceEvents
                            seqs={line.evidence.eventSeqs}
                            claimPath={line.claimVisible ? claimPath(line.claimId) : null}
                          />
                        )}
                      </>
                    )}
                  </div>
                </td>
                <td data-label={t('recoveries.clause')}>
                  <code>{line.clause}</code>
                </td>
                <td className="num" data-label={t('recoveries.claimed')}>
                  {formatMinorMoney(line.amountMinor, view.currency)}
                  {line.capReasonCode && line.cappedFromMinor !== null && (
                    <div className="muted" data-cap={line.capReasonCode}>
                      {t(`recoveries.capped.${line.capReasonCode}`, {
                        before: formatMinorMoney(line.cappedFromMinor, view.currency),
                      })}
                    </div>
                  )}
                </td>
                <td className="num" data-label={t('recoveries.accepted')}>
                  {line.acceptedMinor === null ? '—' : formatMinorMoney(line.acceptedMinor, view.currency)}
                  {line.reasonCode && (
                    <div className="muted">{t(`recoveries.reasons.${line.reasonCode}`)}</div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                {t('recoveries.total')}
              </th>
              {/* On a phone the row is a card: like each line's, the totals carry their labels. */}
              <td className="num" data-label={t('recoveries.claimed')} data-testid="recovery-total">
                {formatMinorMoney(view.totals.claimedMinor, view.currency)}
              </td>
              <td className="num" data-label={t('recoveries.accepted')}>
                {formatMinorMoney(view.totals.acceptedMinor, view.currency)}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      <h2>{t('recoveries.history')}</h2>
      <ol className="timeline" data-testid="recovery-history">
        {(history.data?.items ?? []).map((event) => (
          <li key={event.seq}>
            <strong>{t(`recoveries.events.${event.type}`, { defaultValue: event.type })}</strong>{' '}
            <span className="muted">
              {event.actor.name} · {formatDateTime(event.at)}
            </span>
          </li>
        ))}
      </ol>
    </section>
  )
}

const REASONS = [
  'not-covered',
  'over-standard-time',
  'price-above-list',
  'late-submission',
  'part-not-returned',
  'no-evidence',
  'duplicate',
  'other',
] as const

/** Where the words of `recoveries.evidenceEvents` and `recoveries.evidenceCosts` put the entries, in either language's order. */
const SEQS_MARK = '\u0000'

/**
 * The cost entries a line cites (`cost entries 1a2b3c4d`), each a link to that cost on the
 * claim's page where the reader may open the claim, else the entries alone.
 */
function EvidenceCosts({ ids, claimPath }: { ids: string[]; claimPath: string | null }) {
  const { t, i18n } = useTranslation()
  const [before = '', after = ''] = t('recoveries.evidenceCosts', { ids: SEQS_MARK }).split(SEQS_MARK)
  const separator = i18n.language === 'zh' ? '、' : ', '
  return (
    <span title={ids.join(', ')} data-evidence="costs">
      {before}
      {ids.map((id, index) => (
        <Fragment key={id}>
          {index > 0 && separator}
          {claimPath ? (
            <Link to={`${claimPath}#${costLineAnchor(id)}`} data-testid="recovery-line-cost">
              {costLineLabel(id)}
            </Link>
          ) : (
            costLineLabel(id)
          )}
        </Fragment>
      ))}
      {after}
    </span>
  )
}

/**
 * The history entries a line cites (`history entries #3, #5`), each a link to the entry of
 * that number on the claim's page where the reader may open the claim, else the numbers alone.
 */
function EvidenceEvents({ seqs, claimPath }: { seqs: number[]; claimPath: string | null }) {
  const { t, i18n } = useTranslation()
  const [before = '', after = ''] = t('recoveries.evidenceEvents', { seqs: SEQS_MARK }).split(SEQS_MARK)
  const separator = i18n.language === 'zh' ? '、' : ', '
  return (
    <span data-evidence="events">
      {before}
      {seqs.map((seq, index) => (
        <Fragment key={seq}>
          {index > 0 && separator}
          {claimPath ? (
            <Link to={`${claimPath}#${historyAnchor(seq)}`} data-testid="recovery-line-event">
              #{seq}
            </Link>
          ) : (
            `#${seq}`
          )}
        </Fragment>
      ))}
      {after}
    </span>
  )
}

/** The steps this side may take now, each with the few fields it needs. */
function RecoveryActions({ view, onDone }: { view: RecoveryView; onDone: () => void }) {
  const { t } = useTranslation()
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [reason, setReason] = useState<(typeof REASONS)[number]>('other')
  // Until the user types, the amount follows what was accepted (it changes with each answer).
  const [typedAmount, setAmount] = useState<string | null>(null)
  const amount = typedAmount ?? fromMinorUnits(view.totals.acceptedMinor, view.currency)
  const [paidOn, setPaidOn] = useState(localToday())
  const [reference, setReference] = useState('')
  const [carrier, setCarrier] = useState('')
  const [tracking, setTracking] = useState('')
  const [lineAnswers, setLineAnswers] = useState<Record<string, string>>({})
  /** Amounts not taken, by line id (`payment` for the payment's), until typed again. */
  const [refused, setRefused] = useState<Record<string, MoneyRefusal>>({})
  const allowed = new Set(view.allowedActions)
  if (allowed.size === 0) return null

  async function take(action: string, body: Record<string, unknown> = {}) {
    setBusy(true)
    setError(null)
    try {
      await api.post(`${BASE}/${view.id}/${action}`, body, { headers: { 'if-match': `"${view.version}"` } })
      onDone()
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }
  /** Each typed amount in minor units of the recovery's currency, or null after showing why one was not taken. */
  const typedAmounts = (typed: Record<string, string>): Record<string, number> | null => {
    const taken: Record<string, number> = {}
    const refusals: Record<string, MoneyRefusal> = {}
    for (const [key, text] of Object.entries(typed)) {
      const parsed = toMinorUnits(text, view.currency)
      if (parsed.ok) taken[key] = parsed.minor
      else refusals[key] = parsed.refusal
    }
    setRefused((current) => ({
      ...Object.fromEntries(Object.entries(current).filter(([key]) => !(key in typed))),
      ...refusals,
    }))
    return Object.keys(refusals).length > 0 ? null : taken
  }
  const forget = (key: string) =>
    setRefused((current) => Object.fromEntries(Object.entries(current).filter(([k]) => k !== key)))
  /** A step's button; a body of null (an amount refused) sends nothing. */
  const button = (action: string, body?: () => Record<string, unknown> | null) => (
    <button
      type="button"
      disabled={busy}
      data-action={action}
      onClick={() => {
        const sent = body ? body() : {}
        if (sent) void take(action, sent)
      }}
    >
      {t(`recoveries.actions.${action}`)}
    </button>
  )
  return (
    // Steps to click: off paper, with the buttons they are made of.
    <div className="panel screen-only" data-testid="recovery-actions">
      <h2>{view.yourSide === 'staff' ? t('recoveries.recordAnswer') : t('recoveries.yourMove')}</h2>
      <ErrorNote error={error} />
      <div className="button-row">
        {allowed.has('submit') && button('submit')}
        {allowed.has('accept') && button('accept')}
        {allowed.has('write-off') && button('write-off')}
        {allowed.has('close') && button('close')}
        {allowed.has('request-part') && button('request-part')}
        {allowed.has('receive-part') && button('receive-part')}
      </div>
      {allowed.has('reject') && (
        <fieldset>
          <legend>{t('recoveries.actions.reject')}</legend>
          <label htmlFor="recovery-reason">{t('recoveries.reason')}</label>
          <select
            id="recovery-reason"
            value={reason}
            onChange={(event) => setReason(event.target.value as (typeof REASONS)[number])}
          >
            {REASONS.map((code) => (
              <option key={code} value={code}>
                {t(`recoveries.reasons.${code}`)}
              </option>
            ))}
          </select>
          {button('reject', () => ({ reasonCode: reason }))}
        </fieldset>
      )}
      {allowed.has('partly-accept') && (
        <fieldset>
          <legend>{t('recoveries.actions.partly-accept')}</legend>
          {view.lines.map((line) => (
            <div key={line.id}>
              {/* Lines of one kind read alike (a flat freight leg on two claims): the claim tells them apart. */}
              <label htmlFor={`accept-${line.id}`}>
                {t('recoveries.claim')} {line.claimNumber} · {line.localDescription} (
                {formatMinorMoney(line.amountMinor, view.currency)})
              </label>
              <input
                id={`accept-${line.id}`}
                inputMode="decimal"
                value={lineAnswers[line.id] ?? fromMinorUnits(line.amountMinor, view.currency)}
                onChange={(event) => {
                  setLineAnswers({ ...lineAnswers, [line.id]: event.target.value })
                  forget(line.id)
                }}
                {...moneyFieldInvalid(`accept-${line.id}-error`, refused[line.id])}
              />
              <MoneyFieldError
                id={`accept-${line.id}-error`}
                refusal={refused[line.id]}
                currency={view.currency}
              />
            </div>
          ))}
          <label htmlFor="recovery-line-reason">{t('recoveries.reason')}</label>
          <select
            id="recovery-line-reason"
            value={reason}
            onChange={(event) => setReason(event.target.value as (typeof REASONS)[number])}
          >
            {REASONS.map((code) => (
              <option key={code} value={code}>
                {t(`recoveries.reasons.${code}`)}
              </option>
            ))}
          </select>
          {button('partly-accept', () => {
            const accepted = typedAmounts(lineAnswers)
            if (!accepted) return null
            return {
              lines: view.lines
                .filter((line) => accepted[line.id] !== undefined)
                .map((line) => {
                  const acceptedMinor = accepted[line.id] ?? line.amountMinor
                  // The reason explains a cut: a line typed over with its own amount is paid in full.
                  return acceptedMinor < line.amountMinor
                    ? { lineId: line.id, acceptedMinor, reasonCode: reason }
                    : { lineId: line.id, acceptedMinor }
                }),
            }
          })}
        </fieldset>
      )}
      {allowed.has('record-payment') && (
        <fieldset>
          <legend>{t('recoveries.actions.record-payment')}</legend>
          <label htmlFor="recovery-amount">{t('recoveries.amount')}</label>
          <input
            id="recovery-amount"
            inputMode="decimal"
            value={amount}
            onChange={(e) => {
              setAmount(e.target.value)
              forget('payment')
            }}
            {...moneyFieldInvalid('recovery-amount-error', refused.payment)}
          />
          <MoneyFieldError id="recovery-amount-error" refusal={refused.payment} currency={view.currency} />
          <label htmlFor="recovery-paid-on">{t('recoveries.paidOn')}</label>
          <DateField id="recovery-paid-on" value={paidOn} onChange={(e) => setPaidOn(e.target.value)} />
          <label htmlFor="recovery-reference">{t('recoveries.reference')}</label>
          <input id="recovery-reference" value={reference} onChange={(e) => setReference(e.target.value)} />
          {button('record-payment', () => {
            const paid = typedAmounts({ payment: amount })
            return paid ? { amountMinor: paid.payment, paidOn, reference } : null
          })}
        </fieldset>
      )}
      {allowed.has('ship-part') && (
        <fieldset>
          <legend>{t('recoveries.actions.ship-part')}</legend>
          <label htmlFor="recovery-carrier">{t('recoveries.carrier')}</label>
          <input id="recovery-carrier" value={carrier} onChange={(e) => setCarrier(e.target.value)} />
          <label htmlFor="recovery-tracking">{t('recoveries.tracking')}</label>
          <input id="recovery-tracking" value={tracking} onChange={(e) => setTracking(e.target.value)} />
          {button('ship-part', () => ({ carrier, trackingNumber: tracking }))}
        </fieldset>
      )}
    </div>
  )
}
