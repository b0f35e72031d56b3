import { type ReactNode, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../api/client.ts'
import { REGISTRY } from '../api/endpoints.ts'
import type {
  Assignee,
  Assignment,
  ClaimEvent,
  ClaimFile,
  Page,
  SelfCheckAnswer,
  SelfCheckList,
  UnitView,
} from '../api/types.ts'
import { ErrorNote } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'

const enc = encodeURIComponent

/** Who works the case; staff hand it to a colleague or take it themselves. */
export function AssignmentControl({ claimId, onChanged }: { claimId: string; onChanged?: () => void }) {
  const { t } = useTranslation()
  const current = useApi<Assignment>(`/api/v1/claims/${enc(claimId)}/assignment`)
  const people = useApi<Page<Assignee>>('/api/v1/claim-assignees')
  const [error, setError] = useState<unknown>(null)
  const [done, setDone] = useState<string | null>(null)

  async function assign(userId: string) {
    setError(null)
    setDone(null)
    try {
      const result = await api.post<Assignment>(`/api/v1/claims/${enc(claimId)}/assignment`, {
        userId: userId === '' ? null : userId,
      })
      setDone(result.assignee ? t('work.assigned', { name: result.assignee.name }) : null)
      current.reload()
      onChanged?.()
    } catch (failure) {
      setError(failure)
    }
  }

  return (
    <div className="inline-row" data-testid="assignment">
      <label htmlFor={`assign-${claimId}`}>{t('work.assignTo')}</label>
      <select
        id={`assign-${claimId}`}
        value={current.data?.assignee?.id ?? ''}
        onChange={(event) => void assign(event.target.value)}
        disabled={!current.data || !people.data}
      >
        <option value="">{t('work.release')}</option>
        {(people.data?.items ?? []).map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      {done && (
        <span className="note note-ok" role="status">
          {done}
        </span>
      )}
      <ErrorNote error={error ?? current.error ?? people.error} />
    </div>
  )
}

/**
 * A sale the customer says a dealer made, still waiting for the dealer's word: until it is
 * answered the seller handles the claim and the dealer sees none of it. Staff answer for the
 * seller, as the dealer would from its desk; what the answer did stays said after the unit
 * stops waiting, so the note outlives the buttons.
 */
export function PendingSaleNote({
  unit,
  onAnswered,
  words = 'case',
}: {
  unit: UnitView | null
  onAnswered: () => void
  /** Whose page it stands on: a claim's (the claim's words) or the unit's (its claims'). */
  words?: 'case' | 'staffUnit'
}) {
  const { t } = useTranslation()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [done, setDone] = useState<string | null>(null)
  const dealer = unit && !unit.dealerConfirmed ? unit.dealer : null

  async function answer(serial: string, dealerName: string, choice: 'confirm' | 'refuse') {
    setBusy(true)
    setError(null)
    setDone(null)
    try {
      await api.post(REGISTRY.answerSale(serial, choice))
      setDone(
        t(choice === 'confirm' ? `${words}.saleConfirmed` : `${words}.saleRefused`, { dealer: dealerName }),
      )
      onAnswered()
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  if (!unit || !dealer) {
    return done ? (
      <p className="note note-ok" role="status" data-testid="pending-sale-answered">
        {done}
      </p>
    ) : null
  }
  return (
    <section className="note note-warn" data-testid="pending-sale" aria-labelledby="pending-sale-title">
      <h2 id="pending-sale-title">{t(`${words}.saleAwaiting`, { dealer: dealer.name })}</h2>
      <p>{t(`${words}.saleLead`, { dealer: dealer.name })}</p>
      <p className="actions">
        <button
          type="button"
          disabled={busy}
          onClick={() => void answer(unit.serial, dealer.name, 'confirm')}
        >
          {t(`${words}.confirmSale`)}
        </button>
        <button
          type="button"
          className="button-quiet"
          disabled={busy}
          onClick={() => void answer(unit.serial, dealer.name, 'refuse')}
        >
          {t(`${words}.refuseSale`)}
        </button>
      </p>
      <ErrorNote error={error} />
    </section>
  )
}

/** The self-checks the customer recorded, each with what they saw and, where one failed, the manual's fix. */
export function SelfCheckAnswers({ events }: { events: ClaimEvent[] }) {
  const { t, i18n } = useTranslation()
  const recorded = events.filter((e) => e.type === 'selfcheck.recorded').at(-1)
  const listId = typeof recorded?.data?.checklist === 'string' ? recorded.data.checklist : null
  const list = useApi<SelfCheckList>(listId ? `/api/v1/self-checks/${enc(listId)}` : null)
  if (!recorded) return null
  // The reader's language where the list has it, as the customer read the steps; ids stay the source's.
  const shown = (i18n.language === 'zh' ? list.data?.translations?.zh : undefined) ?? list.data
  const byCustomer = recorded.actor === undefined || recorded.actor.role === 'customer'
  const answers = Array.isArray(recorded.data?.results) ? (recorded.data.results as SelfCheckAnswer[]) : []
  return (
    <section className="card" aria-labelledby="selfcheck-answers" data-testid="selfcheck-answers">
      {/* A dealer or staff may record answers for the customer; staff weigh them knowing whose they are. */}
      <h2 id="selfcheck-answers">
        {byCustomer
          ? t('checks.answersTitle')
          : t('checks.answersBy', {
              name: recorded.actor?.name ?? '',
              role: t(`thread.role.${recorded.actor?.role ?? 'integration'}`),
            })}
      </h2>
      {shown && <p className="muted">{shown.title}</p>}
      <ul className="plain-list">
        {answers.map((answer) => {
          const check = shown?.checks.find((c) => c.id === answer.checkId)
          return (
            <li key={answer.checkId} data-passed={answer.passed}>
              <span className={`badge ${answer.passed ? 'badge-ok' : 'badge-internal'}`}>
                {answer.passed ? t('checks.passed') : t('checks.failed')}
              </span>{' '}
              {check?.instruction ?? answer.checkId}
              {answer.note && (
                <p className="muted">
                  {t('common.labelled', { label: t(byCustomer ? 'checks.saw' : 'checks.sawOther') })}
                  {answer.note}
                </p>
              )}
              {!answer.passed && check?.remedy && (
                <p className="note note-warn">
                  {t('common.labelled', { label: t('checks.fix') })}
                  {check.remedy}
                </p>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}

/** Where the proof of purchase card is on the case page, for a step that waits on it to point to. */
export const PURCHASE_PROOF_CARD = 'purchase-proof'

/** The kind a file sent as the proof of purchase has; its verdicts, by event. */
const PROOF_KIND = 'proof-of-purchase'
const ACCEPTED = 'purchase-proof.accepted'
const REFUSED = 'purchase-proof.refused'

/**
 * The proofs of purchase the claimant sent (an invoice, a receipt), each with a link to the
 * file and what staff found of it. While the case says one waits (the server offers the
 * steps), staff accept it, naming the claimant the owner of a unit nobody owns if they wish,
 * or refuse it with the reason the customer is told.
 */
export function PurchaseProofCard({
  files,
  events,
  allowed,
  unitOwned,
  busy,
  onWeigh,
  refusalOf,
}: {
  /** The claim's files, and the proofs its unit's owner filed with their registration. */
  files: readonly Pick<ClaimFile, 'id' | 'kind' | 'name' | 'url'>[]
  events: readonly ClaimEvent[]
  allowed: readonly string[]
  /** Whether the unit already has an owner; unknown (null) offers no naming. */
  unitOwned: boolean | null
  busy: boolean
  onWeigh(action: string, body: Record<string, unknown>): Promise<void>
  refusalOf(action: string): ReactNode
}) {
  const { t } = useTranslation()
  const titleId = useId()
  const proofs = files.filter((file) => file.kind === PROOF_KIND)
  if (proofs.length === 0) return null
  const verdicts = new Map<string, { accepted: boolean; reason: string }>()
  for (const event of events)
    if ((event.type === ACCEPTED || event.type === REFUSED) && typeof event.data.fileId === 'string')
      verdicts.set(event.data.fileId, {
        accepted: event.type === ACCEPTED,
        reason: typeof event.data.reason === 'string' ? event.data.reason : '',
      })
  const weighs = allowed.includes('accept-purchase-proof') || allowed.includes('refuse-purchase-proof')
  return (
    <section className="card" id={PURCHASE_PROOF_CARD} aria-labelledby={titleId} data-testid="purchase-proof">
      <h2 id={titleId}>{t('purchaseProof.title')}</h2>
      <ul className="plain-list">
        {proofs.map((file) => {
          const verdict = verdicts.get(file.id)
          return (
            <li key={file.id} data-testid="purchase-proof-file">
              <a href={file.url} target="_blank" rel="noreferrer" translate="no">
                {file.name}
              </a>{' '}
              {verdict?.accepted && <span className="note note-ok">{t('purchaseProof.accepted')}</span>}
              {verdict && !verdict.accepted && (
                <span className="note">
                  {t('purchaseProof.refused')} <span translate="no">{verdict.reason}</span>
                </span>
              )}
              {!verdict && <span className="muted">{t('purchaseProof.waiting')}</span>}
              {!verdict && weighs && (
                <ProofVerdictForm
                  fileId={file.id}
                  allowed={allowed}
                  offerOwner={unitOwned === false}
                  busy={busy}
                  onWeigh={onWeigh}
                />
              )}
            </li>
          )
        })}
      </ul>
      {refusalOf('accept-purchase-proof')}
      {refusalOf('refuse-purchase-proof')}
    </section>
  )
}

function ProofVerdictForm({
  fileId,
  allowed,
  offerOwner,
  busy,
  onWeigh,
}: {
  fileId: string
  allowed: readonly string[]
  offerOwner: boolean
  busy: boolean
  onWeigh(action: string, body: Record<string, unknown>): Promise<void>
}) {
  const { t } = useTranslation()
  const ownerId = useId()
  const reasonId = useId()
  // Checked unless staff say otherwise: the claimant who showed the purchase is its likely owner.
  const [nameOwner, setNameOwner] = useState(true)
  const [reason, setReason] = useState('')
  return (
    <div className="stack">
      {allowed.includes('accept-purchase-proof') && (
        <div className="inline-row">
          {offerOwner && (
            <label htmlFor={ownerId}>
              <input
                id={ownerId}
                type="checkbox"
                checked={nameOwner}
                onChange={(event) => setNameOwner(event.target.checked)}
              />{' '}
              {t('purchaseProof.nameOwner')}
            </label>
          )}
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void onWeigh('accept-purchase-proof', { fileId, nameOwner: offerOwner && nameOwner }).catch(
                () => undefined,
              )
            }
          >
            {t('action.accept-purchase-proof')}
          </button>
        </div>
      )}
      {allowed.includes('refuse-purchase-proof') && (
        <form
          className="form inline-form"
          onSubmit={(event) => {
            event.preventDefault()
            void onWeigh('refuse-purchase-proof', { fileId, reason: reason.trim() }).catch(() => undefined)
          }}
        >
          <label htmlFor={reasonId}>{t('actionInput.refuse-purchase-proof')}</label>
          <input id={reasonId} required value={reason} onChange={(event) => setReason(event.target.value)} />
          <button type="submit" className="button-quiet" disabled={busy}>
            {t('action.refuse-purchase-proof')}
          </button>
        </form>
      )}
    </div>
  )
}
