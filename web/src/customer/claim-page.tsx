import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { api } from '../api/client.ts'
import { CLAIMS, withQuery } from '../api/endpoints.ts'
import type { ClaimCostLines, ClaimEvent, ClaimFile, ClaimView, Page, Quote } from '../api/types.ts'
import { readItems } from '../api/types.ts'
import { useSession } from '../auth/session.tsx'
import { ClaimAddressesCard } from '../components/claim-addresses-card.tsx'
import { ClaimHeading } from '../components/claim-heading.tsx'
import { DecisionCard, EvidenceCard, TimelineCard } from '../components/claim-record.tsx'
import { CostsCard } from '../components/costs-card.tsx'
import { PaymentCard, usePayment } from '../components/payment-card.tsx'
import { QuoteView } from '../components/quote-view.tsx'
import { SelfChecksWaiting } from '../components/self-checks-waiting.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'
import { ThreadCard } from '../components/thread-card.tsx'
import { useApi } from '../components/use-api.ts'

/** What the customer sees of one case. */
export function ClaimPage() {
  const { t, i18n } = useTranslation()
  const { id = '' } = useParams()
  const session = useSession()
  const claim = useApi<ClaimView>(CLAIMS.one(id))
  const events = useApi<Page<ClaimEvent>>(CLAIMS.events(id))
  const quotes = useApi<Page<Quote>>(CLAIMS.quotes(id))
  const files = useApi<Page<ClaimFile>>(CLAIMS.files(id))
  // The costs they pay, each once: a quote's lines and those booked when the work was done.
  const costLines = useApi<ClaimCostLines>(CLAIMS.costLines(id))
  const payment = usePayment(id, Boolean(claim.data?.quote))
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  async function runAction(action: string, body: unknown = {}) {
    setBusy(true)
    setError(null)
    try {
      await api.post(CLAIMS.action(id, action), body, {
        headers: { 'if-match': `"${claim.data?.version ?? 0}"` },
      })
      claim.reload()
      events.reload()
      quotes.reload()
      costLines.reload()
      payment.reload()
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  if (claim.loading && !claim.data) return <Loading />
  if (claim.error) return <ErrorNote error={claim.error} />
  const data = claim.data
  if (!data) return null
  const decision = data.finalDecision ?? data.provisionalDecision ?? null
  const quote = readItems(quotes.data).at(-1) ?? null
  const rmaNumber = data.rma?.number ?? null
  // The sheet in the language the customer reads the page in, whatever their account says.
  const repairOrderUrl = withQuery(data.rma?.repairOrderUrl ?? CLAIMS.repairOrder(id), {
    locale: i18n.language === 'zh' ? 'zh' : 'en',
  })
  const history = readItems(events.data)
  const allowed = data.allowedActions
  const canConfirm = allowed.includes('confirm-receipt')
  // Each answer as the server offers it: past its last day a quote may still be declined, not accepted.
  const canAcceptQuote = allowed.includes('accept-quote')
  const canDeclineQuote = allowed.includes('decline-quote')
  const showRepairOrder = rmaNumber || ['authorized', 'pickup-scheduled'].includes(data.state)
  // While a question waits for the customer, the conversation comes first on the page. Keyed,
  // it stays the same card when the answer moves it down: a new one would drop the note that
  // the answer was sent.
  const thread = (
    <ThreadCard
      key="thread"
      claimId={id}
      version={data.version ?? 0}
      awaitingInfo={data.state === 'awaiting-info'}
      onPosted={() => {
        claim.reload()
        events.reload()
        files.reload()
      }}
    />
  )

  return (
    <section className="page">
      <ClaimHeading claim={data}>
        {showRepairOrder && (
          <a id="repair-order" className="button" href={repairOrderUrl} download data-testid="repair-order">
            {t('claim.repairOrder')}
          </a>
        )}
      </ClaimHeading>
      <p className="lead">{t(`stateHelp.${data.state}`, { defaultValue: '' })}</p>
      <SelfChecksWaiting
        claim={data}
        onAdded={() => {
          claim.reload()
          events.reload()
        }}
      />
      {/* Before anything ships staff may ask for the checks; their page records the answers on this claim. */}
      {allowed.includes('record-selfcheck') && (
        <p>
          <Link to={`/self-checks?serial=${encodeURIComponent(data.serial)}`} data-testid="do-self-checks">
            {t('checks.doChecks')}
          </Link>
        </p>
      )}
      <ErrorNote error={error} />
      <div className="columns">
        <div className="stack">
          {data.state === 'awaiting-info' && thread}
          {quote && (
            <section id="quote" className="card" aria-labelledby="quote-title">
              <h2 id="quote-title">{t('quote.title')}</h2>
              <QuoteView quote={quote} />
              {quote.status !== 'declined' && (
                <PaymentCard
                  claimId={id}
                  version={data.version ?? 0}
                  payment={payment}
                  canSendProof={allowed.includes('submit-payment-proof')}
                  onChanged={() => {
                    claim.reload()
                    events.reload()
                  }}
                />
              )}
              {(canAcceptQuote || canDeclineQuote) && (
                <p className="actions">
                  {canAcceptQuote && (
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() => void runAction('accept-quote', { quoteId: quote.id })}
                    >
                      {t('quote.accept')}
                    </button>
                  )}
                  {canDeclineQuote && (
                    <button
                      type="button"
                      className="button-quiet"
                      disabled={busy}
                      onClick={() => void runAction('decline-quote', { quoteId: quote.id })}
                    >
                      {t('quote.decline')}
                    </button>
                  )}
                </p>
              )}
            </section>
          )}
          {readItems(costLines.data).length > 0 && (
            <CostsCard lines={readItems(costLines.data)} totals={costLines.data?.totals} />
          )}
          {canConfirm && (
            <section className="card">
              <h2>{t('claim.receiptTitle')}</h2>
              {data.returnShipment && (
                <p>
                  {t('claim.tracking', {
                    tracking: `${data.returnShipment.carrier} ${data.returnShipment.trackingNumber}`,
                  })}
                </p>
              )}
              <button type="button" disabled={busy} onClick={() => void runAction('confirm-receipt')}>
                {t('claim.confirmReceipt')}
              </button>
            </section>
          )}
          <ClaimAddressesCard claimId={id} customer={session.user?.role === 'customer'} />
          <DecisionCard decision={decision} />
          <EvidenceCard claimId={id} files={readItems(files.data)} />
          {data.state !== 'awaiting-info' && thread}
        </div>
        <TimelineCard events={history} />
      </div>
    </section>
  )
}
