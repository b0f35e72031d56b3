import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api } from '../api/client.ts'
import { CLAIMS, PROFILE, REGISTRY } from '../api/endpoints.ts'
import {
  type ClaimListItem,
  type CustomerProfile,
  type Page,
  readItems,
  type UnitOffer,
  type UnitView,
} from '../api/types.ts'
import { ClaimTable } from '../components/claim-table.tsx'
import { PageTurner } from '../components/page-turner.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { useReloadOnLanguageChange } from '../components/use-reload-on-language.ts'
import { currentLanguage } from '../i18n/i18n.ts'
import { PassOnUnit } from './pass-on-unit.tsx'

/**
 * The customer reads the site in one language while our e-mails and documents go out in
 * another (the profile's, or where they live where they never chose one): say so and offer to switch them, rather than change their choice
 * behind their back (they may read Chinese on a shared computer and want English mail).
 */
function MailLanguageNote() {
  const { t } = useTranslation()
  const profile = useApi<CustomerProfile>(PROFILE.me)
  const [saved, setSaved] = useState(false)
  // The header's switch has just changed the mail language with the page's: the note would
  // otherwise say the mail still goes out in the language it left.
  useReloadOnLanguageChange(profile.reload)
  const reading = currentLanguage()
  if (!profile.data || profile.loading || profile.data.mailLocale === reading || saved) return null
  return (
    <p className="note" role="status" data-testid="mail-language-note">
      {t('my.mailLanguage', { language: t(`my.languageName.${profile.data.mailLocale}`) })}{' '}
      <button
        type="button"
        className="button-quiet"
        onClick={() =>
          void api.patch(PROFILE.me, { locale: reading }).then(() => {
            setSaved(true)
            profile.reload()
          })
        }
      >
        {t('my.mailLanguageSwitch', { language: t(`my.languageName.${reading}`) })}
      </button>
    </p>
  )
}

export function MyPage() {
  const { t } = useTranslation()
  const units = useApi<Page<UnitView>>(REGISTRY.units)
  const [cursor, setCursor] = useState<string | undefined>(undefined)
  const claims = useApi<Page<ClaimListItem>>(CLAIMS.list, { cursor })
  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('my.title')}</h1>
        <div className="actions">
          <Link className="button" to="/my/claims/new">
            {t('my.openClaim')}
          </Link>
          <Link className="button button-quiet" to="/my/units/new">
            {t('my.registerUnit')}
          </Link>
          <Link className="button button-quiet" to="/my/profile">
            {t('profile.title')}
          </Link>
        </div>
      </div>
      <MailLanguageNote />
      <UnitOffers onAnswered={units.reload} />
      <h2>{t('my.claims')}</h2>
      {claims.loading && <Loading />}
      <ErrorNote error={claims.error} />
      <ClaimTable claims={readItems(claims.data)} linkBase="/my/claims" />
      <PageTurner cursor={cursor} next={claims.data?.next} onTurn={setCursor} />
      <h2>{t('my.units')}</h2>
      {units.loading && <Loading />}
      <ErrorNote error={units.error} />
      <ul className="cards" data-testid="my-units">
        {readItems(units.data).map((unit) => (
          <li key={unit.serial} className="card">
            <h3>
              {unit.model.name} <code>{unit.serial}</code>
            </h3>
            <ProofReview unit={unit} />
            <p className="actions">
              <Link to={`/warranty/${encodeURIComponent(unit.serial)}`}>{t('my.seeWarranty')}</Link>
              <Link to={`/my/claims/new?serial=${encodeURIComponent(unit.serial)}`}>{t('my.openClaim')}</Link>
            </p>
            <PassOnUnit unit={unit} onChanged={units.reload} />
          </li>
        ))}
      </ul>
      {!units.loading && readItems(units.data).length === 0 && <p className="muted">{t('my.noUnits')}</p>}
    </section>
  )
}

/** Units a seller recorded as sold to this customer: they become theirs only when accepted. */
function UnitOffers({ onAnswered }: { onAnswered: () => void }) {
  const { t } = useTranslation()
  const offers = useApi<Page<UnitOffer>>(REGISTRY.unitOffers)
  const [failure, setFailure] = useState<unknown>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const items = readItems(offers.data)
  if (items.length === 0) return <ErrorNote error={offers.error} />
  const answer = async (serial: string, accept: boolean) => {
    setBusy(serial)
    setFailure(null)
    try {
      await api.post(REGISTRY.answerUnitOffer(serial), { accept })
      offers.reload()
      onAnswered()
    } catch (error) {
      setFailure(error)
    } finally {
      setBusy(null)
    }
  }
  return (
    <>
      <h2>{t('my.offers')}</h2>
      <ErrorNote error={failure} />
      <ul className="cards" data-testid="unit-offers">
        {items.map((offer) => (
          <li key={offer.serial} className="card">
            <h3>
              {offer.model} <code>{offer.serial}</code>
            </h3>
            <p>{t('my.offerLead', { seller: offer.sellerName ?? t('my.theBrand') })}</p>
            <p className="actions">
              <button type="button" disabled={busy !== null} onClick={() => void answer(offer.serial, true)}>
                {t('my.acceptOffer')}
              </button>
              <button
                type="button"
                className="button-quiet"
                disabled={busy !== null}
                onClick={() => void answer(offer.serial, false)}
              >
                {t('my.declineOffer')}
              </button>
            </p>
          </li>
        ))}
      </ul>
    </>
  )
}

/**
 * Where the proof of purchase the customer sent with their registration stands, while the
 * purchase is not proven: waiting for the service team, or refused with the reason they gave.
 */
function ProofReview({ unit }: { unit: UnitView }) {
  const { t } = useTranslation()
  if (unit.proofOfPurchase || !unit.purchaseProofs || unit.purchaseProofs.length === 0) return null
  if (unit.purchaseProofs.some((proof) => proof.status === 'offered'))
    return (
      <p className="muted" data-testid="unit-proof-status">
        {t('unitProof.waiting')}
      </p>
    )
  const refused = unit.purchaseProofs.filter((proof) => proof.status === 'refused').at(-1)
  if (!refused) return null
  return (
    <p className="note" data-testid="unit-proof-status">
      {t('unitProof.refused', { reason: refused.reason ?? '' })}
    </p>
  )
}
