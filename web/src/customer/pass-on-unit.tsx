import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../api/client.ts'
import { REGISTRY } from '../api/endpoints.ts'
import type { UnitView } from '../api/types.ts'
import { DateField } from '../components/date-field.tsx'
import { fieldErrors } from '../components/field-errors.tsx'
import { localToday } from '../components/local-today.ts'
import { RefusalNote } from '../components/open-claim-note.tsx'
import { ErrorNote } from '../components/status.tsx'
import { formatDate } from '../i18n/i18n.ts'

const FIELDS = ['toEmail', 'toName', 'transferredOn'] as const
type Field = (typeof FIELDS)[number]

/**
 * The owner offers a unit they sold second hand to its buyer (`POST …/transfers`), and sees
 * the offer waiting until the buyer answers: one sent to a mistyped address is withdrawn
 * (`DELETE …/transfers/pending`), or it would hold the unit until a stranger declined.
 */
export function PassOnUnit({ unit, onChanged }: { unit: UnitView; onChanged: () => void }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const formId = `pass-on-${unit.serial}`

  async function send(request: () => Promise<unknown>) {
    setError(null)
    setBusy(true)
    try {
      await request()
      setOpen(false)
      onChanged()
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  const offer = unit.pendingOffer
  if (offer) {
    return (
      <div data-testid="pending-offer">
        <p>{t('my.passOn.waiting', { email: offer.toEmail, date: formatDate(offer.offeredAt) })}</p>
        <ErrorNote error={error} />
        <button
          type="button"
          className="button-quiet"
          disabled={busy}
          onClick={() => void send(() => api.delete(REGISTRY.pendingTransfer(unit.serial)))}
        >
          {t('my.passOn.withdraw')}
        </button>
      </div>
    )
  }
  if (!open) {
    return (
      <p className="actions">
        <button type="button" className="button-quiet" aria-expanded={false} onClick={() => setOpen(true)}>
          {t('my.passOn.open')}
        </button>
      </p>
    )
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const text = (name: Field) => String(form.get(name) ?? '').trim()
    void send(() =>
      api.post(REGISTRY.transfers(unit.serial), {
        toEmail: text('toEmail'),
        ...(text('toName') ? { toName: text('toName') } : {}),
        ...(text('transferredOn') ? { transferredOn: text('transferredOn') } : {}),
      }),
    )
  }

  const { refused, noteFor, invalid } = fieldErrors(error, FIELDS, formId)
  return (
    <form className="form" data-testid="pass-on-form" onSubmit={handleSubmit}>
      <h4>{t('my.passOn.open')}</h4>
      <p className="muted">{t('my.passOn.lead')}</p>
      <label htmlFor={`${formId}-email`}>{t('my.passOn.email')}</label>
      <input
        id={`${formId}-email`}
        name="toEmail"
        type="email"
        required
        autoComplete="off"
        spellCheck={false}
        {...invalid('toEmail')}
      />
      {noteFor('toEmail')}
      <label htmlFor={`${formId}-name`}>{t('my.passOn.name')}</label>
      <input id={`${formId}-name`} name="toName" autoComplete="off" {...invalid('toName')} />
      {noteFor('toName')}
      <label htmlFor={`${formId}-date`}>{t('my.passOn.soldOn')}</label>
      {/* The customer's own today, not the UTC date the server would take for a day left out. */}
      <DateField
        id={`${formId}-date`}
        name="transferredOn"
        defaultValue={localToday()}
        max={localToday()}
        {...invalid('transferredOn')}
      />
      {noteFor('transferredOn')}
      {refused === undefined && <RefusalNote error={error} claimsBase="/my" />}
      <p className="actions">
        <button type="submit" disabled={busy}>
          {t('my.passOn.send')}
        </button>
        <button type="button" className="button-quiet" onClick={() => setOpen(false)}>
          {t('my.passOn.cancel')}
        </button>
      </p>
    </form>
  )
}
