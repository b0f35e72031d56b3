import { type FormEvent, type ReactNode, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, Navigate } from 'react-router'
import { api } from '../api/client.ts'
import type { SetupResult, SetupStatus } from '../api/types.ts'
import { usePolicyTitle } from '../components/clause-words.tsx'
import { countryOptions } from '../components/country-options.ts'
import { fieldErrors } from '../components/field-errors.tsx'
import { ErrorNote } from '../components/status.tsx'
import { currentLanguage, HTML_LANG } from '../i18n/i18n.ts'

/** The API's names of the form's fields (`body.bank.accountName`), with the i18n keys of their labels. */
const FIELDS = {
  seller: 'setup.seller',
  country: 'setup.country',
  policy: 'setup.policy',
  adminEmail: 'setup.adminEmail',
  password: 'setup.password',
  supportHours: 'setup.supportHours',
  'bank.bankName': 'setup.bankName',
  'bank.accountName': 'setup.accountName',
  'bank.accountNumber': 'setup.accountNumber',
  paymentLink: 'setup.paymentLink',
} as const
type Field = keyof typeof FIELDS
const FIELD_NAMES = Object.keys(FIELDS) as Field[]

function useSetupStatus(): SetupStatus | null {
  const [status, setStatus] = useState<SetupStatus | null>(null)
  useEffect(() => {
    let live = true
    api
      .get<SetupStatus>('/api/v1/setup')
      .then((s) => live && setStatus(s))
      .catch(() => live && setStatus({ needed: false, policies: [] }))
    return () => {
      live = false
    }
  }, [])
  return status
}

/** Sends an empty installation to the set-up page; otherwise shows its children. */
export function SetupGate({ children }: { children: ReactNode }) {
  const status = useSetupStatus()
  if (status?.needed) return <Navigate to="/setup" replace />
  return <>{children}</>
}

/** First-day set-up in the browser: the same as `aftercare init`, offered only while the database is empty. */
export function SetupPage() {
  const { t } = useTranslation()
  const titleOf = usePolicyTitle()
  const status = useSetupStatus()
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<SetupResult | null>(null)

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const text = (name: string) => String(form.get(name) ?? '').trim()
    // Any of the three typed sends all three, so a bank left out beside an account is refused too.
    const bank =
      text('bankName') || text('accountName') || text('accountNumber')
        ? {
            bankName: text('bankName'),
            accountName: text('accountName'),
            accountNumber: text('accountNumber'),
          }
        : undefined
    setBusy(true)
    setError(null)
    try {
      const result = await api.post<SetupResult>('/api/v1/setup', {
        seller: text('seller'),
        adminEmail: text('adminEmail'),
        password: text('password'),
        policy: text('policy'),
        country: text('country'),
        ...(text('supportHours') ? { supportHours: text('supportHours') } : {}),
        ...(bank ? { bank } : {}),
        ...(text('paymentLink') ? { paymentLink: text('paymentLink') } : {}),
      })
      setDone(result)
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  // Each field refused is named under itself and tied to its note for a screen reader.
  const { refused, noteFor, invalid } = fieldErrors(error, FIELD_NAMES, 'setup', FIELDS)
  if (done)
    return (
      <section className="page narrow">
        <h1>{t('setup.doneTitle')}</h1>
        <p>{t('setup.doneLead', { email: done.adminEmail })}</p>
        <Link to="/sign-in">{t('setup.signIn')}</Link>
      </section>
    )
  if (status && !status.needed)
    return (
      <section className="page narrow">
        <h1>{t('setup.title')}</h1>
        <p>{t('setup.alreadySetUp')}</p>
        <Link to="/sign-in">{t('setup.signIn')}</Link>
      </section>
    )
  return (
    <section className="page narrow">
      <h1>{t('setup.title')}</h1>
      <p className="muted">{t('setup.lead')}</p>
      <form
        className="card form"
        onSubmit={(event) => void handleSubmit(event)}
        aria-label={t('setup.title')}
      >
        <label htmlFor="setup-seller">{t('setup.seller')}</label>
        <input id="setup-seller" name="seller" required maxLength={120} {...invalid('seller')} />
        {noteFor('seller')}
        <label htmlFor="setup-country">{t('setup.country')}</label>
        {/* Chosen by name in the reader's language, as on the address forms: a two-letter box
            took CH for China (it is Switzerland) and refused 中国 with no word of why. */}
        <select id="setup-country" name="country" required defaultValue="CN" {...invalid('country')}>
          {countryOptions(HTML_LANG[currentLanguage()], 'CN').map((option) => (
            <option key={option.code} value={option.code}>
              {option.name}
            </option>
          ))}
        </select>
        {noteFor('country')}
        <label htmlFor="setup-policy">{t('setup.policy')}</label>
        <select id="setup-policy" name="policy" defaultValue="retailer" {...invalid('policy')}>
          {(status?.policies ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {titleOf(p)}
            </option>
          ))}
        </select>
        {noteFor('policy')}
        <label htmlFor="setup-admin">{t('setup.adminEmail')}</label>
        <input
          id="setup-admin"
          name="adminEmail"
          type="email"
          required
          autoComplete="username"
          {...invalid('adminEmail')}
        />
        {noteFor('adminEmail')}
        <label htmlFor="setup-password">{t('setup.password')}</label>
        <input
          id="setup-password"
          name="password"
          type="password"
          required
          minLength={10}
          autoComplete="new-password"
          {...invalid('password')}
        />
        {noteFor('password')}
        <label htmlFor="setup-hours">{t('setup.supportHours')}</label>
        <input
          id="setup-hours"
          name="supportHours"
          placeholder={t('setup.supportHoursExample')}
          {...invalid('supportHours')}
        />
        {noteFor('supportHours')}
        <fieldset>
          <legend>{t('setup.payment')}</legend>
          <label htmlFor="setup-bank">{t('setup.bankName')}</label>
          <input id="setup-bank" name="bankName" {...invalid('bank.bankName')} />
          {noteFor('bank.bankName')}
          <label htmlFor="setup-account-name">{t('setup.accountName')}</label>
          <input id="setup-account-name" name="accountName" {...invalid('bank.accountName')} />
          {noteFor('bank.accountName')}
          <label htmlFor="setup-account-number">{t('setup.accountNumber')}</label>
          <input id="setup-account-number" name="accountNumber" {...invalid('bank.accountNumber')} />
          {noteFor('bank.accountNumber')}
          <label htmlFor="setup-link">{t('setup.paymentLink')}</label>
          <input id="setup-link" name="paymentLink" type="url" {...invalid('paymentLink')} />
          {noteFor('paymentLink')}
        </fieldset>
        {refused === undefined && <ErrorNote error={error} labels={FIELDS} />}
        <button type="submit" disabled={busy || !status}>
          {t('setup.submit')}
        </button>
      </form>
    </section>
  )
}
