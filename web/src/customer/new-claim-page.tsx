import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation, useNavigate, useSearchParams } from 'react-router'
import { api, uploadFile } from '../api/client.ts'
import { CLAIMS, REGISTRY } from '../api/endpoints.ts'
import {
  type ClaimDetail,
  type Page,
  type ProblemKind,
  readItems,
  readName,
  type UnitSummary,
} from '../api/types.ts'
import { FileDrop, type PendingFile } from '../components/file-drop.tsx'
import { ErrorNote } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { carrySelfCheckAnswers } from '../public/self-checks-page.tsx'

// Mirrors PROBLEM_KINDS of the case contract; `satisfies` breaks the build if the contract changes.
const PROBLEMS = [
  'malfunction',
  'arrived-damaged',
  'not-as-described',
  'software-upgrade',
] as const satisfies readonly ProblemKind[]
const PREFERENCE_CHOICES = ['repair', 'replace', 'refund'] as const

export function NewClaimPage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const location = useLocation()
  const base = location.pathname.startsWith('/dealer') ? '/dealer' : '/my'
  const units = useApi<Page<UnitSummary>>(REGISTRY.units, { limit: 200 })
  const [files, setFiles] = useState<PendingFile[]>([])
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const today = new Date().toISOString().slice(0, 10)

  function setProgress(key: string, progress: number | null, fileError: string | null = null) {
    setFiles((current) => current.map((f) => (f.key === key ? { ...f, progress, error: fileError } : f)))
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setBusy(true)
    setError(null)
    try {
      const preference = String(form.get('preference') ?? '')
      const claim = await api.post<ClaimDetail>(CLAIMS.list, {
        serial: String(form.get('serial')).trim(),
        claimedOn: String(form.get('claimedOn')) || today,
        problem: {
          kind: String(form.get('kind')),
          description: String(form.get('description') ?? ''),
          packagingDamaged: form.get('packagingDamaged') === 'on',
        },
        ...(preference ? { preference } : {}),
        // The first answer weighs the evidence the claim says it carries; the files follow right after.
        evidence: [...new Set(files.map((pending) => pending.kind))],
      })
      // Files go up one at a time so each row's bar is honest on a slow phone connection.
      for (const pending of files) {
        setProgress(pending.key, 0)
        try {
          await uploadFile(CLAIMS.files(claim.id), pending.file, { kind: pending.kind }, (p) =>
            setProgress(pending.key, Math.round((p.loaded / Math.max(p.total, 1)) * 100)),
          )
        } catch (failure) {
          setProgress(pending.key, null, failure instanceof Error ? failure.message : String(failure))
          throw failure
        }
      }
      await carrySelfCheckAnswers(claim).catch(() => undefined)
      await navigate(`${base}/claims/${encodeURIComponent(claim.id)}`)
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  const unitList = readItems(units.data)
  const preset = params.get('serial') ?? ''
  return (
    <section className="page narrow">
      <h1>{t('newClaim.title')}</h1>
      <p className="lead">{t('newClaim.lead')}</p>
      <form className="card form" onSubmit={(event) => void handleSubmit(event)} data-testid="new-claim-form">
        <label htmlFor="claim-serial">{t('newClaim.unit')}</label>
        <input
          id="claim-serial"
          name="serial"
          list="claim-units"
          defaultValue={preset}
          required
          autoComplete="off"
          spellCheck={false}
        />
        <datalist id="claim-units">
          {unitList.map((unit) => (
            <option key={unit.serial} value={unit.serial}>
              {unit.modelName ?? readName(unit.model)}
            </option>
          ))}
        </datalist>
        <label htmlFor="claim-kind">{t('newClaim.kind')}</label>
        <select id="claim-kind" name="kind" defaultValue="malfunction">
          {PROBLEMS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`problem.${kind}`)}
            </option>
          ))}
        </select>
        <label htmlFor="claim-description">{t('newClaim.description')}</label>
        <textarea id="claim-description" name="description" rows={4} required minLength={5} />
        <label htmlFor="claim-date">{t('newClaim.claimedOn')}</label>
        <input id="claim-date" name="claimedOn" type="date" defaultValue={today} max={today} />
        <fieldset>
          <legend>{t('newClaim.preference')}</legend>
          <div className="choice-row">
            <label className="choice">
              <input type="radio" name="preference" value="" defaultChecked />
              {t('newClaim.noPreference')}
            </label>
            {PREFERENCE_CHOICES.map((choice) => (
              <label key={choice} className="choice">
                <input type="radio" name="preference" value={choice} />
                {t(`remedy.${choice}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="choice">
          <input type="checkbox" name="packagingDamaged" />
          {t('newClaim.packagingDamaged')}
        </label>
        <h2>{t('newClaim.evidence')}</h2>
        <FileDrop files={files} onChange={setFiles} />
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          {busy ? t('newClaim.sending') : t('newClaim.submit')}
        </button>
      </form>
    </section>
  )
}
