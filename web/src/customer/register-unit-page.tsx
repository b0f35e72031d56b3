import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { api, uploadFile } from '../api/client.ts'
import { REGISTRY } from '../api/endpoints.ts'
import { ErrorNote } from '../components/status.tsx'

/** A customer claims a unit as theirs with its serial, purchase date and a proof of purchase. */
export function RegisterUnitPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [error, setError] = useState<unknown>(null)
  const [progress, setProgress] = useState<number | null>(null)

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const serial = String(form.get('serial')).trim()
    const proof = form.get('proof')
    setError(null)
    try {
      await api.post(REGISTRY.registerUnit, {
        serial,
        purchasedOn: String(form.get('purchasedOn')) || undefined,
        documentNumber: String(form.get('documentNumber')) || undefined,
      })
      if (proof instanceof File && proof.size > 0) {
        await uploadFile(`${REGISTRY.unit(serial)}/proofs`, proof, { kind: 'invoice' }, (p) =>
          setProgress(Math.round((p.loaded / Math.max(p.total, 1)) * 100)),
        )
      }
      await navigate('/my')
    } catch (failure) {
      setError(failure)
    }
  }

  return (
    <section className="page narrow">
      <h1>{t('register.title')}</h1>
      <form className="card form" onSubmit={(event) => void handleSubmit(event)}>
        <label htmlFor="reg-serial">{t('lookup.serial')}</label>
        <input id="reg-serial" name="serial" required autoComplete="off" spellCheck={false} />
        <label htmlFor="reg-date">{t('register.purchasedOn')}</label>
        <input id="reg-date" name="purchasedOn" type="date" />
        <label htmlFor="reg-doc">{t('register.documentNumber')}</label>
        <input id="reg-doc" name="documentNumber" />
        <label htmlFor="reg-proof">{t('register.proof')}</label>
        <input id="reg-proof" name="proof" type="file" accept="image/*,application/pdf" />
        {progress !== null && <progress max={100} value={progress} aria-label={t('upload.progress')} />}
        <ErrorNote error={error} />
        <button type="submit">{t('register.submit')}</button>
      </form>
    </section>
  )
}
