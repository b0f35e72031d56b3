import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError, api } from '../api/client.ts'
import { REGISTRY } from '../api/endpoints.ts'
import type { TransferRecorded, UnitView } from '../api/types.ts'
import { DateField } from '../components/date-field.tsx'
import { fieldErrors } from '../components/field-errors.tsx'
import { LanguageOptions } from '../components/language-options.tsx'
import { localToday } from '../components/local-today.ts'
import { RefusalNote } from '../components/open-claim-note.tsx'
import { formatDate } from '../i18n/i18n.ts'

const FIELDS = ['toEmail', 'toName', 'toLocale', 'transferredOn'] as const
type Field = (typeof FIELDS)[number]

/** The labels staff read for the fields a refusal names: a new owner, not the owner's buyer. */
const LABELS: Record<Field, string> = {
  toEmail: 'staffUnit.transfer.email',
  toName: 'staffUnit.transfer.name',
  toLocale: 'staffUnit.transfer.language',
  transferredOn: 'staffUnit.transfer.date',
}

/** The 409 of a page that showed an owner the unit no longer has (`fromCustomerId`). */
const isOwnerChanged = (error: unknown) =>
  error instanceof ApiError && error.messageKey === 'registry.transfer.owner-changed'

interface Recorded {
  email: string
  date: string
  /** The address of the offer the transfer withdrew, if one waited. */
  withdrawn: string | null
}

/**
 * Staff record a second-hand sale at once (`POST …/transfers`). The form sends the owner the
 * page showed as `fromCustomerId`, so a page left open while the unit changed hands is refused
 * (409) instead of moving the unit away from someone who just received it; staff are told so
 * and reload. An offer waiting on the unit is shown: recording the transfer withdraws it.
 */
export function StaffTransferForm({ unit, onTransferred }: { unit: UnitView; onTransferred: () => void }) {
  const { t, i18n } = useTranslation()
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [recorded, setRecorded] = useState<Recorded | null>(null)
  const formId = `transfer-${unit.serial}`
  const today = localToday()
  const offer = unit.pendingOffer ?? null

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = event.currentTarget
    const data = new FormData(form)
    const text = (name: Field) => String(data.get(name) ?? '').trim()
    setError(null)
    setRecorded(null)
    setBusy(true)
    try {
      const result = await api.post<TransferRecorded>(REGISTRY.transfers(unit.serial), {
        toEmail: text('toEmail'),
        ...(text('toName') ? { toName: text('toName') } : {}),
        toLocale: text('toLocale') === 'zh' ? 'zh' : 'en',
        ...(text('transferredOn') ? { transferredOn: text('transferredOn') } : {}),
        // The owner this page shows (null: none): another one by now answers 409.
        fromCustomerId: unit.ownerCustomerId,
      })
      setRecorded({
        email: text('toEmail').toLowerCase(),
        date: result.transferredOn,
        withdrawn: offer && offer.toEmail !== text('toEmail').toLowerCase() ? offer.toEmail : null,
      })
      form.reset()
      onTransferred()
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  const { refused, noteFor, invalid } = fieldErrors(error, FIELDS, formId, LABELS)
  const dateHint = unit.purchasedOn
    ? t('staffUnit.transfer.dateHint', { date: formatDate(unit.purchasedOn) })
    : t('staffUnit.transfer.dateHintToday')

  return (
    <form
      className="card form"
      aria-labelledby={`${formId}-title`}
      data-testid="staff-transfer-form"
      onSubmit={(event) => void handleSubmit(event)}
    >
      <h2 id={`${formId}-title`}>{t('staffUnit.transfer.title')}</h2>
      <p className="muted">{t('staffUnit.transfer.lead')}</p>
      {offer && (
        <div className="note note-warn" data-testid="staff-pending-offer">
          <p>
            {t('staffUnit.transfer.pending', { email: offer.toEmail, date: formatDate(offer.offeredAt) })}
          </p>
          <p>{t('staffUnit.transfer.pendingClears', { email: offer.toEmail })}</p>
        </div>
      )}
      {recorded && (
        <div className="note note-ok" role="status" data-testid="staff-transfer-done">
          <p>{t('staffUnit.transfer.done', { email: recorded.email, date: formatDate(recorded.date) })}</p>
          {recorded.withdrawn && (
            <p>{t('staffUnit.transfer.doneWithdrawn', { email: recorded.withdrawn })}</p>
          )}
        </div>
      )}
      {isOwnerChanged(error) && (
        <div className="note note-error" role="alert" data-testid="staff-transfer-stale">
          <p>{t('staffUnit.transfer.ownerChanged')}</p>
          <p className="actions">
            <button
              type="button"
              className="button-quiet"
              onClick={() => {
                setError(null)
                onTransferred()
              }}
            >
              {t('staffUnit.transfer.reload')}
            </button>
          </p>
        </div>
      )}
      <label htmlFor={`${formId}-email`}>{t('staffUnit.transfer.email')}</label>
      <input
        id={`${formId}-email`}
        name="toEmail"
        type="email"
        required
        maxLength={254}
        autoComplete="off"
        spellCheck={false}
        {...invalid('toEmail')}
      />
      {noteFor('toEmail')}
      <label htmlFor={`${formId}-name`}>{t('staffUnit.transfer.name')}</label>
      <input id={`${formId}-name`} name="toName" maxLength={200} autoComplete="off" {...invalid('toName')} />
      {noteFor('toName')}
      <label htmlFor={`${formId}-language`}>{t('staffUnit.transfer.language')}</label>
      {/* The clerk's own language by default: the buyer is most often served in it. */}
      <select
        id={`${formId}-language`}
        name="toLocale"
        defaultValue={i18n.language === 'zh' ? 'zh' : 'en'}
        key={i18n.language}
        aria-describedby={`${formId}-language-hint`}
        {...(refused === 'toLocale' ? { 'aria-invalid': true } : {})}
      >
        <LanguageOptions />
      </select>
      <p className="muted" id={`${formId}-language-hint`}>
        {t('staffUnit.transfer.languageHint')}
      </p>
      {noteFor('toLocale')}
      <label htmlFor={`${formId}-date`}>{t('staffUnit.transfer.date')}</label>
      {/* The clerk's own today, not the day in the policy's zone the server would take for a day left out. */}
      <DateField
        id={`${formId}-date`}
        name="transferredOn"
        required
        defaultValue={today}
        max={today}
        {...(unit.purchasedOn ? { min: unit.purchasedOn } : {})}
        aria-describedby={
          refused === 'transferredOn'
            ? `${formId}-transferredOn-error ${formId}-date-hint`
            : `${formId}-date-hint`
        }
        {...(refused === 'transferredOn' ? { 'aria-invalid': true } : {})}
      />
      <p className="muted" id={`${formId}-date-hint`}>
        {dateHint}
      </p>
      {noteFor('transferredOn')}
      {refused === undefined && !isOwnerChanged(error) && (
        <RefusalNote error={error} claimsBase="/staff" labels={LABELS} />
      )}
      <button type="submit" disabled={busy}>
        {t('staffUnit.transfer.submit')}
      </button>
    </form>
  )
}
