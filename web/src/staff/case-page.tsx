import { Fragment, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { api } from '../api/client.ts'
import { CLAIMS, REGISTRY } from '../api/endpoints.ts'
import {
  type ClaimCostLines,
  type ClaimEvent,
  type ClaimFile,
  type ClaimView,
  type ModelView,
  type Page,
  type Quote,
  readItems,
  type UnitView,
} from '../api/types.ts'
import { ClaimAddressesCard } from '../components/claim-addresses-card.tsx'
import { ClaimHeading } from '../components/claim-heading.tsx'
import { DecisionCard, EvidenceCard, TimelineCard } from '../components/claim-record.tsx'
import { CostsCard } from '../components/costs-card.tsx'
import { useHashTarget } from '../components/history-anchor.ts'
import { localToday } from '../components/local-today.ts'
import { PaymentCard, usePayment } from '../components/payment-card.tsx'
import { QuoteView } from '../components/quote-view.tsx'
import { SelfChecksWaiting } from '../components/self-checks-waiting.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'
import { ThreadCard } from '../components/thread-card.tsx'
import { useApi } from '../components/use-api.ts'
import { formatDate } from '../i18n/i18n.ts'
import { AssignmentControl, PendingSaleNote, PurchaseProofCard, SelfCheckAnswers } from './case-extras.tsx'
import { ClocksCard } from './clocks-card.tsx'
import { HeldStep } from './held-step.tsx'
import { INPUT_ACTIONS, InputActionForm } from './input-action-form.tsx'
import { INSPECTION_LABELS, InspectionForm } from './inspection-form.tsx'
import { InspectionSummary, readBenchRecord } from './inspection-summary.tsx'
import { PaymentForm } from './payment-form.tsx'
import { QuoteEditor } from './quote-editor.tsx'
import { ShippingForm } from './shipping-form.tsx'

/** Actions with a form of their own; every other allowed action is one button. */
const FORM_ACTIONS = new Set([
  'record-inspection',
  'send-quote',
  'ship-return',
  'record-selfcheck',
  'decide-provisional',
  'provide-info',
  'record-payment',
  'submit-payment-proof',
  'accept-purchase-proof',
  'refuse-purchase-proof',
  ...Object.keys(INPUT_ACTIONS),
])

/** An answer to the quote, given for the customer, names the quote it answers. */
const QUOTE_ANSWERS = new Set(['accept-quote', 'decline-quote'])

/**
 * The labels of the fields each step's form shows, by the name the server refuses them by
 * (`body.trackingNumber: …` reads "Tracking number: …").
 */
function stepFieldLabels(action: string): Record<string, string> {
  const input = INPUT_ACTIONS[action]
  if (input) return { [input.field]: `actionInput.${action}` }
  if (action === 'ship-return') return { carrier: 'shipping.carrier', trackingNumber: 'shipping.tracking' }
  if (action === 'record-inspection') return INSPECTION_LABELS
  if (action === 'accept-purchase-proof')
    return { fileId: 'purchaseProof.file', nameOwner: 'purchaseProof.nameOwner' }
  if (action === 'refuse-purchase-proof')
    return { fileId: 'purchaseProof.file', reason: 'actionInput.refuse-purchase-proof' }
  if (action === 'record-payment') {
    return {
      amountMinor: 'payment.amount',
      paidOn: 'payment.paidOn',
      reference: 'payment.reference',
      proofFileId: 'payment.proofChecked',
      note: 'payment.note',
    }
  }
  return {}
}

/**
 * One case as the service side works it: staff, or the dealer the decision names to serve
 * it (seed 004: "we will provide warranty service through dealer"), who receives, inspects,
 * repairs or forwards the unit. A dealer sees no staff assignment, unit record or internal
 * notes; what either may do next is the server's answer.
 */
export function CasePage({ reader = 'staff' }: { reader?: 'staff' | 'dealer' }) {
  const { t, i18n } = useTranslation()
  const staff = reader === 'staff'
  const { id = '' } = useParams()
  const claim = useApi<ClaimView>(CLAIMS.one(id))
  const events = useApi<Page<ClaimEvent>>(CLAIMS.events(id))
  const quotes = useApi<Page<Quote>>(CLAIMS.quotes(id))
  const files = useApi<Page<ClaimFile>>(CLAIMS.files(id))
  const costLines = useApi<ClaimCostLines>(CLAIMS.costLines(id))
  // A quote's payment is its customer's, staff's and its sender's: a dealer reads the card of a
  // quote it sent, whose amounts the claim shows it, and of no other (one the seller or another
  // dealer sent before the claim became its to serve, or any once it only sold the unit).
  const seesPayment = staff || claim.data?.quote?.customerTotalMinor !== undefined
  const payment = usePayment(id, Boolean(claim.data?.quote) && seesPayment)
  // The inspection compares what came back with the model's standard package.
  const unit = useApi<UnitView>(claim.data ? REGISTRY.unit(claim.data.serial) : null)
  const model = useApi<ModelView>(unit.data ? REGISTRY.model(unit.data.model.id) : null)
  // The step that was refused, with why: shown beside the form that sent it, which may be a
  // screen or more below the page's top, where a refusal of a step's button is shown.
  const [failed, setFailed] = useState<{ action: string; error: unknown } | null>(null)
  const [busy, setBusy] = useState(false)
  // A recovery line links to the history entry (`#history-12`) or the cost (`#cost-…`) it
  // cites: there once it is drawn, and once what is drawn above it no longer moves it.
  useHashTarget(Boolean(claim.data && events.data && quotes.data && files.data && costLines.data))

  async function runAction(action: string, body: Record<string, unknown> = {}) {
    setBusy(true)
    setFailed(null)
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
      setFailed({ action, error: failure })
      throw failure
    } finally {
      setBusy(false)
    }
  }

  /** Why `action` was refused, where its form is; nothing when it was not. */
  const refusalOf = (action: string) =>
    failed?.action === action ? <ErrorNote error={failed.error} labels={stepFieldLabels(action)} /> : null

  if (claim.loading && !claim.data) return <Loading />
  if (claim.error) return <ErrorNote error={claim.error} />
  const data = claim.data
  if (!data) return null
  // What this reader may do next is the server's answer (the claim lifecycle), never a copy here.
  const allowed = data.allowedActions
  const decision = data.finalDecision ?? data.provisionalDecision ?? null
  const quote = readItems(quotes.data).at(-1) ?? null
  const rmaNumber = data.rma?.number ?? null
  const repairOrderUrl = data.rma?.repairOrderUrl ?? CLAIMS.repairOrder(id)
  const buttons = allowed.filter((action) => !FORM_ACTIONS.has(action))
  // Steps that wait for something done first: shown held, with why, rather than left out.
  const held = data.heldActions
  const inputActions = allowed.filter((action) => action in INPUT_ACTIONS)
  const packageReady = Boolean(model.data) || Boolean(unit.error) || Boolean(model.error)
  // A dealer that only sold the unit is told no amounts of the customer's: nothing to compare.
  const customerTotalMinor = data.quote?.customerTotalMinor
  const paidMinor = data.quote?.paidMinor
  const paidInFull =
    customerTotalMinor !== undefined && paidMinor !== undefined && paidMinor >= customerTotalMinor

  return (
    <section className="page wide">
      <ClaimHeading claim={data}>
        <p className="actions">
          {staff && (
            <Link className="button button-quiet" to={`/staff/units/${encodeURIComponent(data.serial)}`}>
              {t('staffUnit.open')}
            </Link>
          )}
          {rmaNumber && (
            <a className="button button-quiet" href={repairOrderUrl} download data-testid="repair-order">
              {t('claim.repairOrder')}
            </a>
          )}
        </p>
      </ClaimHeading>
      {!staff && (
        <SelfChecksWaiting
          claim={data}
          onAdded={() => {
            claim.reload()
            events.reload()
          }}
        />
      )}
      {staff && <AssignmentControl claimId={id} />}
      {staff && (
        <PendingSaleNote
          unit={unit.data ?? null}
          onAnswered={() => {
            // A confirmation gives the claim to the dealer; either answer is in its history.
            claim.reload()
            events.reload()
            unit.reload()
          }}
        />
      )}
      {(buttons.length > 0 || held.length > 0) && (
        <fieldset className="actions plain">
          <legend className="visually-hidden">{t('case.actions')}</legend>
          {buttons.map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'cancel' ? 'button-quiet' : ''}
              disabled={busy}
              onClick={() => void runAction(action).catch(() => undefined)}
            >
              {t(`action.${action}`, { defaultValue: action })}
            </button>
          ))}
          {held.map((step) => (
            <HeldStep key={step.action} action={step.action} reason={step.reason} />
          ))}
        </fieldset>
      )}
      {failed && buttons.includes(failed.action) && refusalOf(failed.action)}
      <div className="columns">
        <div className="stack">
          {data.problem && (
            <section className="card">
              <h2>{t('case.problem')}</h2>
              <p>
                <strong>{t(`problem.${data.problem.kind}`, { defaultValue: data.problem.kind })}</strong> —{' '}
                {/* The customer's own words, shown as written. */}
                <span translate="no">{data.problem.description}</span>
              </p>
              {data.problem.noticedOn && (
                <p className="muted" data-testid="problem-noticed">
                  {t('case.noticedOn', { date: formatDate(data.problem.noticedOn) })}
                </p>
              )}
            </section>
          )}
          {inputActions.length > 0 && (
            // Only fields and buttons: off paper, as forms are, not a heading over nothing.
            <section className="card screen-only" aria-labelledby="case-more">
              <h2 id="case-more">{t('case.moreSteps')}</h2>
              {inputActions.map((action) => (
                <Fragment key={action}>
                  <InputActionForm
                    action={action}
                    currency={data.currency}
                    busy={busy}
                    onSubmit={(body) =>
                      runAction(
                        action,
                        QUOTE_ANSWERS.has(action) && quote ? { ...body, quoteId: quote.id } : body,
                      )
                    }
                  />
                  {refusalOf(action)}
                </Fragment>
              ))}
            </section>
          )}
          <ThreadCard
            claimId={id}
            version={data.version ?? 0}
            staff={staff}
            awaitingInfo={data.state === 'awaiting-info'}
            onPosted={() => {
              claim.reload()
              events.reload()
              files.reload()
            }}
          />
          <PurchaseProofCard
            files={withUnitProofs(readItems(files.data), unit.data, readItems(events.data))}
            events={readItems(events.data)}
            allowed={allowed}
            unitOwned={unit.data ? unit.data.ownerCustomerId !== null : null}
            busy={busy}
            onWeigh={async (action, body) => {
              await runAction(action, body)
              // Found valid, the unit has its proof and perhaps its owner.
              unit.reload()
            }}
            refusalOf={refusalOf}
          />
          <SelfCheckAnswers events={readItems(events.data)} />
          {data.inspection && (
            <InspectionSummary
              inspection={data.inspection}
              bench={readBenchRecord(readItems(events.data))}
              itemLabel={(item) => {
                const at = model.data?.packageContents.indexOf(item) ?? -1
                return i18n.language === 'zh' && at >= 0 ? (model.data?.packageContentsZh[at] ?? item) : item
              }}
            />
          )}
          {allowed.includes('record-inspection') && !packageReady && <Loading />}
          {allowed.includes('record-inspection') && packageReady && (
            <InspectionForm
              key={model.data?.id ?? 'no-model'}
              serial={data.serial}
              standardPackage={model.data?.packageContents ?? []}
              packageLabels={i18n.language === 'zh' ? model.data?.packageContentsZh : undefined}
              busy={busy}
              error={failed?.action === 'record-inspection' ? failed.error : null}
              onSubmit={(body) => runAction('record-inspection', body)}
            />
          )}
          {/* The form shows its own refusal beside the field it names; gone, the refusal stays. */}
          {!(allowed.includes('record-inspection') && packageReady) && refusalOf('record-inspection')}
          {allowed.includes('send-quote') && (
            <QuoteEditor
              decision={decision}
              initialCurrency={data.currency}
              busy={busy}
              onSubmit={(body) => runAction('send-quote', body)}
            />
          )}
          {refusalOf('send-quote')}
          {allowed.includes('record-payment') &&
            customerTotalMinor !== undefined &&
            paidMinor !== undefined &&
            !paidInFull && (
              <PaymentForm
                key={payment.data?.proofs.length ?? 0}
                outstandingMinor={customerTotalMinor - paidMinor}
                currency={data.currency}
                proofs={payment.data?.proofs ?? []}
                today={localToday()}
                busy={busy}
                onSubmit={(body) => runAction('record-payment', body)}
              />
            )}
          {refusalOf('record-payment')}
          {paidInFull && paidMinor !== undefined && paidMinor > 0 && (
            <p className="note note-ok" data-testid="quote-paid">
              {t('payment.paidInFull')}
            </p>
          )}
          <ClaimAddressesCard claimId={id} customer={false} key={`addresses-${data.version}`} />
          {allowed.includes('ship-return') && (
            <ShippingForm busy={busy} onSubmit={(body) => runAction('ship-return', body)} />
          )}
          {refusalOf('ship-return')}
          {quote && (
            <section className="card">
              <h2>{t('quote.title')}</h2>
              <QuoteView quote={quote} reader="staff" />
              {quote.status !== 'declined' && seesPayment && (
                <PaymentCard
                  claimId={id}
                  version={data.version ?? 0}
                  payment={payment}
                  canSendProof={false}
                  onChanged={() => claim.reload()}
                />
              )}
            </section>
          )}
          {/* Drawn afresh with each version of the claim: a step starts, pauses or stops clocks. */}
          {staff && <ClocksCard claimId={id} key={`clocks-${data.version}`} />}
          <CostsCard lines={readItems(costLines.data)} totals={costLines.data?.totals} reader="staff" />
          <DecisionCard decision={decision} reader={reader} />
          <EvidenceCard claimId={id} files={readItems(files.data)} />
        </div>
        <TimelineCard events={readItems(events.data)} />
      </div>
    </section>
  )
}

/**
 * The claim's files with the proofs of purchase the unit's owner filed with their registration
 * that this claim weighs: one still waiting, and one this claim already weighed (so its verdict
 * shows beside it).
 */
function withUnitProofs(
  claimFiles: readonly ClaimFile[],
  unit: UnitView | undefined,
  events: readonly ClaimEvent[],
): Pick<ClaimFile, 'id' | 'kind' | 'name' | 'url'>[] {
  const onClaim = new Set(claimFiles.map((file) => file.id))
  const weighedHere = new Set(
    events
      .filter((event) => event.type === 'purchase-proof.accepted' || event.type === 'purchase-proof.refused')
      .map((event) => String(event.data.fileId)),
  )
  const onUnit = (unit?.purchaseProofs ?? [])
    .filter((proof) => !onClaim.has(proof.fileId))
    .filter((proof) => proof.status === 'offered' || weighedHere.has(proof.fileId))
    .map((proof) => ({
      id: proof.fileId,
      kind: 'proof-of-purchase',
      name: proof.fileName ?? proof.fileId,
      url: `${REGISTRY.files}/${encodeURIComponent(proof.fileId)}`,
    }))
  return [...claimFiles, ...onUnit]
}
