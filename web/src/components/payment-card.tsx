import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, uploadFile } from '../api/client.ts'
import { CLAIMS, REGISTRY } from '../api/endpoints.ts'
import type { ClaimFile, Page, QuotePayment } from '../api/types.ts'
import { formatDate, formatDateTime, formatMinorMoney } from '../i18n/i18n.ts'
import { FilePicker } from './file-picker.tsx'
import { ErrorNote } from './status.tsx'
import { type Loaded, useApi } from './use-api.ts'

/** The payment view of a claim's latest quote, in the reader's language; waits while there is no quote. */
export function usePayment(claimId: string, hasQuote: boolean): Loaded<QuotePayment> {
  const { i18n } = useTranslation()
  return useApi<QuotePayment>(hasQuote ? CLAIMS.payment(claimId) : null, {
    locale: i18n.language === 'zh' ? 'zh' : 'en',
  })
}

/**
 * What the customer needs to pay a quote: the total, how long it holds, the PDF, the seller's
 * payment instructions, the proofs sent so far and the payments recorded. The customer (or
 * staff for them) sends a proof here while the accepted quote is not paid in full.
 */
export function PaymentCard({
  claimId,
  version,
  payment,
  canSendProof,
  onChanged,
}: {
  claimId: string
  version: number
  payment: Loaded<QuotePayment>
  canSendProof: boolean
  onChanged(): void
}) {
  const { t } = useTranslation()
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const data = payment.data
  if (!data) return <ErrorNote error={payment.error} />
  const money = (minor: number) => formatMinorMoney(minor, data.currency)

  async function sendProof(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = event.currentTarget
    const file = (form.elements.namedItem('proof') as HTMLInputElement | null)?.files?.[0]
    if (!file) return
    setBusy(true)
    setError(null)
    try {
      // Checked and held first (size, type by content, name); the step then joins it to the claim.
      const held = await uploadFile<Page<ClaimFile>>(
        REGISTRY.files,
        file,
        { kind: 'payment-proof' },
        () => undefined,
      )
      await api.post(
        CLAIMS.action(claimId, 'submit-payment-proof'),
        { fileIds: held.items.map((item) => item.id) },
        { headers: { 'if-match': `"${version}"` } },
      )
      form.reset()
      payment.reload()
      onChanged()
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="stack" data-testid="payment">
      <dl className="facts">
        <dt>{t('payment.total')}</dt>
        <dd data-testid="payment-total">{money(data.totalMinor)}</dd>
        <dt>{t('payment.validUntil')}</dt>
        <dd data-testid="payment-valid-until" data-date={data.validUntil}>
          {formatDate(data.validUntil)}
        </dd>
        {data.paidMinor > 0 && (
          <>
            <dt>{t('payment.paid')}</dt>
            <dd data-testid="payment-paid">{money(data.paidMinor)}</dd>
          </>
        )}
      </dl>
      <p className="screen-only">
        <a href={data.pdfUrl} download data-testid="quote-pdf">
          {t('payment.quotePdf')}
        </a>
      </p>
      {data.outstandingMinor > 0 ? (
        <>
          <h3>{t('payment.howToPay')}</h3>
          <ul className="plain-list" data-testid="payment-instructions">
            {data.instructions.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {data.paymentLink && (
            <p>
              <a className="button" href={data.paymentLink} rel="noopener noreferrer" target="_blank">
                {t('payment.payOnline')}
              </a>
            </p>
          )}
        </>
      ) : (
        <p className="note note-ok" data-testid="payment-settled">
          {t('payment.paidInFull')}
        </p>
      )}
      {data.proofs.length > 0 && (
        <>
          <h3>{t('payment.proofs')}</h3>
          <ul className="plain-list" data-testid="payment-proofs">
            {data.proofs.map((proof) => (
              <li key={proof.fileId}>
                <a href={proof.url} download>
                  {proof.name}
                </a>{' '}
                <span className="muted">{formatDateTime(proof.uploadedAt)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {data.payments.length > 0 && (
        <>
          <h3>{t('payment.recorded')}</h3>
          <ul className="plain-list" data-testid="payments-recorded">
            {data.payments.map((row) => (
              <li key={row.recordedAt}>
                {money(row.amountMinor)} · {formatDate(row.paidOn ?? row.recordedAt)}
                {row.reference && ` · ${row.reference}`}
                {row.note && <div className="muted">{row.note}</div>}
              </li>
            ))}
          </ul>
        </>
      )}
      {canSendProof && (
        <form className="form" onSubmit={(event) => void sendProof(event)} data-testid="proof-form">
          <label htmlFor="payment-proof">{t('payment.proofLabel')}</label>
          <FilePicker
            id="payment-proof"
            name="proof"
            accept="image/jpeg,image/png,image/webp,image/heic,application/pdf"
            required
          />
          <p className="muted">{t('payment.proofHint')}</p>
          <ErrorNote error={error} />
          <button type="submit" disabled={busy}>
            {t('payment.sendProof')}
          </button>
        </form>
      )}
    </div>
  )
}
