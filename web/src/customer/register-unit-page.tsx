import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate, useSearchParams } from 'react-router'
import { api, uploadFile } from '../api/client.ts'
import { REGISTRY } from '../api/endpoints.ts'
import {
  type ModelSummary,
  type Organisation,
  type Page,
  type RegisteredUnit,
  readItems,
} from '../api/types.ts'
import { DateField } from '../components/date-field.tsx'
import { FilePicker } from '../components/file-picker.tsx'
import { localToday } from '../components/local-today.ts'
import { ErrorNote } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { readHeldProof, releaseProof } from './claim-draft.ts'

/**
 * A customer claims a unit as theirs: the proof of purchase goes up first (`POST /api/v1/files`),
 * then the unit is registered with the stored file's id (`POST /api/v1/units`, `proofFileId`).
 * The proof is required: the registry registers no unit to a customer on the serial alone.
 */
export function RegisterUnitPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  // Sent here from a claim whose unit was not on file: back to that claim once registered.
  const fromClaim = params.get('serial')
  // The proof the customer already attached to that claim, stored: sent again by its id.
  const [heldProof] = useState(() => readHeldProof(fromClaim))
  const models = useApi<Page<ModelSummary>>(REGISTRY.models)
  const [model, setModel] = useState('')
  // Only the dealers and agents the model's seller sold through: the server refuses any other.
  const dealers = useApi<Page<Organisation>>(model ? REGISTRY.organisations : null, { sellsModel: model })
  const offered = model && !dealers.loading ? readItems(dealers.data) : []
  const [channel, setChannel] = useState<'direct' | 'dealer'>('direct')
  const [error, setError] = useState<unknown>(null)
  const [progress, setProgress] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const proof = form.get('proof')
    setError(null)
    setBusy(true)
    try {
      let proofFileId = heldProof?.fileId
      if (proof instanceof File && proof.size > 0) {
        const stored = await uploadFile<{ items: { id: string }[] }>(
          REGISTRY.files,
          proof,
          { kind: 'proof-of-purchase' },
          (p) => setProgress(Math.round((p.loaded / Math.max(p.total, 1)) * 100)),
        )
        proofFileId = stored.items[0]?.id
      }
      const dealerOrgId = String(form.get('dealerOrgId') ?? '')
      const registered = await api.post<RegisteredUnit>(REGISTRY.units, {
        serial: String(form.get('serial')).trim(),
        model: String(form.get('model')),
        channel,
        purchasedOn: String(form.get('purchasedOn')),
        ...(channel === 'dealer' && dealerOrgId ? { dealerOrgId } : {}),
        ...(proofFileId ? { proofFileId } : {}),
      })
      releaseProof()
      // Back to the claim with the serial as registered (the customer may have corrected it).
      await navigate(fromClaim ? `/my/claims/new?serial=${encodeURIComponent(registered.serial)}` : '/my')
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  const today = localToday()
  return (
    <section className="page narrow">
      <h1>{t('register.title')}</h1>
      <form className="card form" onSubmit={(event) => void handleSubmit(event)} data-testid="register-form">
        <label htmlFor="reg-serial">{t('lookup.serial')}</label>
        <input
          id="reg-serial"
          name="serial"
          required
          autoComplete="off"
          spellCheck={false}
          defaultValue={fromClaim ?? ''}
        />
        <label htmlFor="reg-model">{t('register.model')}</label>
        <select
          id="reg-model"
          name="model"
          required
          value={model}
          onChange={(event) => setModel(event.currentTarget.value)}
        >
          <option value="" disabled>
            {t('register.chooseModel')}
          </option>
          {readItems(models.data).map((model) => (
            <option key={model.id} value={model.id}>
              {model.brand.name} {model.name}
            </option>
          ))}
        </select>
        <label htmlFor="reg-date">{t('register.purchasedOn')}</label>
        <DateField id="reg-date" name="purchasedOn" required max={today} />
        <fieldset>
          <legend>{t('register.channel')}</legend>
          <div className="choice-row">
            {(['direct', 'dealer'] as const).map((value) => (
              <label key={value} className="choice">
                <input
                  type="radio"
                  name="channel"
                  value={value}
                  checked={channel === value}
                  onChange={() => setChannel(value)}
                />
                {t(`register.channels.${value}`)}
              </label>
            ))}
          </div>
        </fieldset>
        {channel === 'dealer' && (
          <>
            <label htmlFor="reg-dealer">{t('register.dealer')}</label>
            {/* A new model starts the choice again: the dealer chosen may not sell it. */}
            <select
              key={model}
              id="reg-dealer"
              name="dealerOrgId"
              required
              defaultValue=""
              disabled={!model || dealers.loading}
            >
              <option value="" disabled>
                {!model
                  ? t('register.chooseModelFirst')
                  : !dealers.loading && offered.length === 0
                    ? t('register.noDealers')
                    : t('register.chooseDealer')}
              </option>
              {offered.map((dealer) => (
                <option key={dealer.id} value={dealer.id}>
                  {dealer.name}
                </option>
              ))}
            </select>
          </>
        )}
        <label htmlFor="reg-proof">{t('register.proof')}</label>
        {heldProof && (
          <p className="muted" data-testid="held-proof">
            {t('register.heldProof', { name: heldProof.name })}
          </p>
        )}
        <FilePicker
          id="reg-proof"
          name="proof"
          required={!heldProof}
          accept="image/jpeg,image/png,image/webp,application/pdf"
        />
        {progress !== null && (
          <progress max={100} value={progress} aria-label={t('register.uploadingProof')} />
        )}
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          {t('register.submit')}
        </button>
      </form>
    </section>
  )
}
