import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { api } from '../api/client.ts'
import { CLAIMS } from '../api/endpoints.ts'
import {
  type ClaimListItem,
  type Page,
  readItems,
  type SelfCheckRecord,
  type SelfChecksForUnit,
} from '../api/types.ts'
import { useSession } from '../auth/session.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'

interface Answer {
  passed: boolean
  note: string
}

/** What the customer answered, kept in this tab until the claim is opened. */
export type CarriedAnswers = SelfCheckRecord

const carryKey = (serial: string) => `aftercare.selfchecks.${serial}`

function rememberAnswers(serial: string, answers: CarriedAnswers): void {
  try {
    sessionStorage.setItem(carryKey(serial), JSON.stringify(answers))
  } catch {
    // Storage off (private mode): the claim simply opens without the answers.
  }
}

/**
 * The answers given in this tab for this serial and not yet on a claim. They stay until a
 * claim takes them, so answers a failed request did not carry can still be added.
 */
export function answersWaitingFor(serial: string): CarriedAnswers | null {
  try {
    const carried = JSON.parse(sessionStorage.getItem(carryKey(serial)) ?? 'null') as CarriedAnswers | null
    return carried && carried.results.length > 0 ? carried : null
  } catch {
    return null
  }
}

/**
 * Records the self-check answers given for this serial on the claim just opened, so staff
 * see which checks passed, which failed and what the customer saw. Called by the claim form.
 */
export async function carrySelfCheckAnswers(claim: { id: string; serial?: string; version?: number }) {
  if (!claim.serial) return
  const carried = answersWaitingFor(claim.serial)
  if (!carried) return
  await api.post(CLAIMS.action(claim.id, 'record-selfcheck'), carried, {
    headers: { 'if-match': `"${claim.version ?? 1}"` },
  })
  sessionStorage.removeItem(carryKey(claim.serial))
}

/** The guided checks of the looked-up unit's product line; a failed step shows the manual's fix. */
export function SelfChecksPage() {
  const { t, i18n } = useTranslation()
  const { user } = useSession()
  const [params, setParams] = useSearchParams()
  const serial = params.get('serial') ?? ''
  const [typed, setTyped] = useState(serial)
  const { data, error, loading } = useApi<SelfChecksForUnit>(serial ? '/api/v1/self-checks' : null, {
    serial: serial || undefined,
  })
  const navigate = useNavigate()
  // A claim on this unit still before shipping takes the answers itself: a second claim would
  // be refused as a duplicate and the answers lost on the way.
  const claims = useApi<Page<ClaimListItem>>(user && serial ? CLAIMS.list : null, {
    serial: serial || undefined,
  })
  const openClaim = readItems(claims.data).find((c) => c.allowedActions.includes('record-selfcheck'))
  const [adding, setAdding] = useState(false)
  const [addError, setAddError] = useState<unknown>(null)
  const [answers, setAnswers] = useState<Record<string, Answer>>({})
  // The reader's language where the list has it; the ids stay the source's, so answers match.
  const translated = i18n.language === 'zh' ? data?.list?.translations?.zh : undefined
  const checks = translated?.checks ?? data?.list?.checks ?? []
  const failed = checks.filter((check) => answers[check.id]?.passed === false)
  const done = checks.length > 0 && checks.every((check) => answers[check.id])
  const claimPath = `${user?.role === 'dealer' ? '/dealer' : '/my'}/claims/new?serial=${encodeURIComponent(serial)}`

  function lookUp(event: FormEvent) {
    event.preventDefault()
    setAnswers({})
    setParams(typed.trim() ? { serial: typed.trim() } : {})
  }

  function answer(checkId: string, change: Partial<Answer>) {
    setAnswers((prev) => ({ ...prev, [checkId]: { passed: true, note: '', ...prev[checkId], ...change } }))
  }

  function givenAnswers(list: NonNullable<SelfChecksForUnit['list']>): CarriedAnswers {
    return {
      checklist: list.id,
      results: checks
        .filter((check) => answers[check.id])
        .map((check) => {
          const given = answers[check.id] as Answer
          return {
            checkId: check.id,
            passed: given.passed,
            ...(given.note.trim() ? { note: given.note.trim() } : {}),
          }
        }),
    }
  }

  function carryOn() {
    if (data?.list) rememberAnswers(serial, givenAnswers(data.list))
  }

  async function addToClaim() {
    if (!data?.list || !openClaim) return
    setAdding(true)
    setAddError(null)
    try {
      await api.post(CLAIMS.action(openClaim.id, 'record-selfcheck'), givenAnswers(data.list), {
        headers: { 'if-match': `"${openClaim.version}"` },
      })
      await navigate(
        `${user?.role === 'dealer' ? '/dealer' : '/my'}/claims/${encodeURIComponent(openClaim.id)}`,
      )
    } catch (failure) {
      setAddError(failure)
      claims.reload()
    } finally {
      setAdding(false)
    }
  }

  return (
    <section className="page narrow">
      <h1>{translated?.title ?? data?.list?.title ?? t('selfChecks.title')}</h1>
      <p className="lead">{t('selfChecks.lead')}</p>
      <form className="inline-row" onSubmit={lookUp}>
        <label htmlFor="selfcheck-serial">{t('lookup.serial')}</label>
        <input
          id="selfcheck-serial"
          value={typed}
          spellCheck={false}
          onChange={(event) => setTyped(event.target.value)}
        />
        <button type="submit">{t('work.search')}</button>
      </form>
      {loading && <Loading />}
      <ErrorNote error={error} />
      {data && (
        <p className="muted">
          {data.model} <code>{data.serial}</code>
        </p>
      )}
      {data && !data.list && (
        <p className="note note-warn" role="status" data-testid="no-self-checks">
          {t('checks.noChecks')}
        </p>
      )}
      <ol className="steps" data-testid="self-check-steps">
        {checks.map((check, index) => {
          const given = answers[check.id]
          return (
            <li key={check.id} className="card step">
              <fieldset>
                <legend>
                  <span className="step-number">{index + 1}</span> {check.instruction}
                </legend>
                <div className="choice-row">
                  {([true, false] as const).map((passed) => (
                    <label key={String(passed)} className="choice">
                      <input
                        type="radio"
                        name={`check-${check.id}`}
                        checked={given?.passed === passed}
                        onChange={() => answer(check.id, { passed })}
                      />
                      {t(passed ? 'selfChecks.pass' : 'selfChecks.fail')}
                    </label>
                  ))}
                </div>
                {given?.passed === false && check.remedy && (
                  <p className="note note-warn" data-testid="self-check-fix">
                    {t('selfChecks.tryThis')} {check.remedy}
                  </p>
                )}
                {given?.passed === false && (
                  <>
                    <label htmlFor={`saw-${check.id}`}>{t('checks.whatYouSaw')}</label>
                    <input
                      id={`saw-${check.id}`}
                      maxLength={1000}
                      value={given.note}
                      onChange={(event) => answer(check.id, { note: event.target.value })}
                    />
                  </>
                )}
              </fieldset>
            </li>
          )
        })}
      </ol>
      {done && (
        <div className={`note ${failed.length ? 'note-warn' : 'note-ok'}`} role="status">
          {failed.length === 0 ? (
            <p>{t('selfChecks.allPassed')}</p>
          ) : (
            <p>{t('selfChecks.someFailed', { count: failed.length })}</p>
          )}
        </div>
      )}
      {/* Every check passed is no proof the fault is gone (IST's and the general steps are things
          to do, not signs of health): the way on stays open with the answers. */}
      <ErrorNote error={addError} />
      {serial && data?.list && openClaim && (failed.length > 0 || done) && (
        <p className="actions">
          <button type="button" disabled={adding} onClick={() => void addToClaim()}>
            {t('checks.addToClaim', { number: openClaim.number })}
          </button>
        </p>
      )}
      {serial && data && !openClaim && (failed.length > 0 || done || !data.list) && (
        <p className="actions">
          <Link className="button" to={user ? claimPath : '/sign-in'} onClick={carryOn}>
            {data.list ? t('checks.carryOn') : t('lookup.openClaim')}
          </Link>
        </p>
      )}
    </section>
  )
}
