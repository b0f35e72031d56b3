import { type FormEvent, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router'
import { canonicalSerial } from '../../../src/contracts/serial.ts'
import { ApiError, api, uploadFile } from '../api/client.ts'
import { CLAIMS, REGISTRY } from '../api/endpoints.ts'
import { type ClaimView, type Page, type ProblemKind, readItems, type UnitView } from '../api/types.ts'
import { DateField } from '../components/date-field.tsx'
import { withoutFieldName } from '../components/field-labels.ts'
import { FileDrop, type PendingFile } from '../components/file-drop.tsx'
import { localToday } from '../components/local-today.ts'
import { ErrorNote } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { carrySelfCheckAnswers } from '../public/self-checks-page.tsx'
import { holdProof, readClaimDraft, saveClaimDraft } from './claim-draft.ts'

// Mirrors PROBLEM_KINDS of the case contract; `satisfies` breaks the build if the contract changes.
const PROBLEMS = [
  'malfunction',
  'arrived-damaged',
  'not-as-described',
  'software-upgrade',
] as const satisfies readonly ProblemKind[]
const PREFERENCE_CHOICES = ['repair', 'replace', 'refund'] as const

/** An upload failed: no claim was opened. */
class UploadFailed extends Error {}

export function NewClaimPage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const location = useLocation()
  const base = location.pathname.startsWith('/dealer') ? '/dealer' : '/my'
  const units = useApi<Page<UnitView>>(REGISTRY.units, { limit: 200 })
  const [files, setFiles] = useState<PendingFile[]>([])
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [stage, setStage] = useState<'uploading' | 'opening' | null>(null)
  const [duplicate, setDuplicate] = useState<{ id: string; number: string } | null>(null)
  const [unregistered, setUnregistered] = useState<string | null>(null)
  const uploaded = useRef(new Map<string, string>())
  const idempotencyKey = useRef(crypto.randomUUID())
  const today = localToday()
  // Back from registering the unit this claim was for: what the customer had written.
  const [draft] = useState(() => readClaimDraft())

  function setProgress(key: string, progress: number | null, fileError: string | null = null) {
    setFiles((current) => current.map((f) => (f.key === key ? { ...f, progress, error: fileError } : f)))
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setBusy(true)
    setError(null)
    setDuplicate(null)
    setUnregistered(null)
    try {
      // Files first, into the uploader's holding area: a failed upload stops here, before any claim exists.
      // Files uploaded by an earlier attempt are not sent again.
      const fileIds: string[] = []
      setStage('uploading')
      for (const pending of files) {
        // Kept by file and kind: the same file marked as another kind is another upload.
        const sentAs = `${pending.key}|${pending.kind}`
        const done = uploaded.current.get(sentAs)
        if (done) {
          fileIds.push(done)
          continue
        }
        setProgress(pending.key, 0)
        try {
          const answer = await uploadFile<{ items: Array<{ id: string }> }>(
            REGISTRY.files,
            pending.file,
            { kind: pending.kind },
            (p) => setProgress(pending.key, Math.round((p.loaded / Math.max(p.total, 1)) * 100)),
          )
          const id = answer.items[0]?.id
          if (!id) throw new Error('The upload answered without a file')
          uploaded.current.set(sentAs, id)
          fileIds.push(id)
        } catch (failure) {
          const said =
            failure instanceof ApiError
              ? withoutFieldName(failure.message, failure.field)
              : failure instanceof Error
                ? failure.message
                : String(failure)
          setProgress(pending.key, null, said)
          throw new UploadFailed()
        }
      }
      setStage('opening')
      const preference = String(form.get('preference') ?? '')
      // One key per form: a retry after a lost answer gets the same claim, not a second one.
      const claim = await api.post<ClaimView>(
        CLAIMS.list,
        {
          serial: String(form.get('serial')).trim(),
          problem: {
            kind: String(form.get('kind')),
            description: String(form.get('description') ?? ''),
            ...(form.get('noticedOn') ? { noticedOn: String(form.get('noticedOn')) } : {}),
            packagingDamaged: form.get('packagingDamaged') === 'on',
          },
          ...(preference ? { preference } : {}),
          // A proof of purchase is a file of the claim, not evidence a policy weighs.
          evidence: [
            ...new Set(files.map((pending) => pending.kind).filter((kind) => kind !== 'proof-of-purchase')),
          ],
          files: fileIds,
        },
        { headers: { 'idempotency-key': idempotencyKey.current } },
      )
      // The claim is open whatever becomes of the answers; if they do not reach it, they stay
      // in this tab and the claim page offers to add them (answersWaitingFor).
      await carrySelfCheckAnswers(claim).catch(() => undefined)
      await navigate(`${base}/claims/${encodeURIComponent(claim.id)}`)
    } catch (failure) {
      const details = failure instanceof ApiError ? failure.details : undefined
      if (failure instanceof ApiError && failure.field === 'body.unit' && base === '/my') {
        // The serial is not on file: a customer registers the unit (with its proof) first.
        const serial = canonicalSerial(String(form.get('serial') ?? ''))
        setUnregistered(serial)
        // The proof went up with this form; registering sends it by its id, not the file again.
        const proof = files.find((pending) => pending.kind === 'proof-of-purchase')
        const proofFileId = proof && uploaded.current.get(`${proof.key}|${proof.kind}`)
        if (proof && proofFileId) holdProof({ serial, fileId: proofFileId, name: proof.file.name })
        // What was written is kept for the way back from registering the unit.
        saveClaimDraft({
          kind: String(form.get('kind') ?? ''),
          description: String(form.get('description') ?? ''),
          noticedOn: String(form.get('noticedOn') ?? ''),
        })
      } else if (
        failure instanceof ApiError &&
        failure.status === 409 &&
        typeof details?.openClaimId === 'string'
      ) {
        setDuplicate({
          id: details.openClaimId,
          number: String(details.openClaimNumber ?? details.openClaimId),
        })
      } else {
        setError(failure instanceof UploadFailed ? new Error(t('intake.uploadFailed')) : failure)
      }
    } finally {
      setBusy(false)
      setStage(null)
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
              {unit.model.name}
            </option>
          ))}
        </datalist>
        <label htmlFor="claim-kind">{t('newClaim.kind')}</label>
        <select id="claim-kind" name="kind" defaultValue={draft?.kind || 'malfunction'}>
          {PROBLEMS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`problem.${kind}`)}
            </option>
          ))}
        </select>
        <label htmlFor="claim-description">{t('newClaim.description')}</label>
        <textarea
          id="claim-description"
          name="description"
          rows={4}
          required
          maxLength={4000}
          defaultValue={draft?.description ?? ''}
        />
        <label htmlFor="claim-date">{t('newClaim.claimedOn')}</label>
        {/* Information for the technician: the claim itself is dated the day it reaches us. */}
        <DateField id="claim-date" name="noticedOn" defaultValue={draft?.noticedOn || today} max={today} />
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
                {t(`newClaim.preferences.${choice}`)}
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
        {unregistered !== null && (
          <p className="error" role="alert" data-testid="unregistered-unit">
            {t('intake.unregistered', { serial: unregistered })}{' '}
            <Link to={`/my/units/new?serial=${encodeURIComponent(unregistered)}`}>
              {t('intake.registerFirst')}
            </Link>
          </p>
        )}
        {duplicate && (
          <p className="error" role="alert" data-testid="duplicate-claim">
            {t('intake.duplicate', { number: duplicate.number })}{' '}
            <Link to={`${base}/claims/${encodeURIComponent(duplicate.id)}`}>{t('intake.openExisting')}</Link>
          </p>
        )}
        <button type="submit" disabled={busy}>
          {stage ? t(`intake.${stage}`) : busy ? t('newClaim.sending') : t('newClaim.submit')}
        </button>
      </form>
    </section>
  )
}
