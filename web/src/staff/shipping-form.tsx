import type { FormEvent } from 'react'
import { useTranslation } from 'react-i18next'

/** The return shipment: carrier and tracking number, which the customer sees on their case. */
export function ShippingForm({
  busy,
  onSubmit,
}: {
  busy: boolean
  onSubmit(body: Record<string, unknown>): Promise<void>
}) {
  const { t } = useTranslation()
  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    await onSubmit({
      carrier: String(form.get('carrier')),
      trackingNumber: String(form.get('tracking')),
    }).catch(() => undefined)
  }
  return (
    <form
      className="card form"
      onSubmit={(event) => void handleSubmit(event)}
      aria-labelledby="shipping-title"
      data-testid="shipping-form"
    >
      <h2 id="shipping-title">{t('shipping.title')}</h2>
      <label htmlFor="ship-carrier">{t('shipping.carrier')}</label>
      <input id="ship-carrier" name="carrier" required defaultValue="SF Express" />
      <label htmlFor="ship-tracking">{t('shipping.tracking')}</label>
      <input id="ship-tracking" name="tracking" required />
      <button type="submit" disabled={busy}>
        {t('shipping.submit')}
      </button>
    </form>
  )
}
