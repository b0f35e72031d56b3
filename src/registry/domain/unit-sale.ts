import type { PolicyLibrary } from '../../policies/index.ts'
import { type Message, render } from '../../shared/messages/translate.ts'
import { isLaterThanToday } from '../../shared/not-later-than-today.ts'
import { pickPolicyVersion } from './pick-policy-version.ts'

/**
 * The rules of recording a unit sale, shared by every writer (registration, claim intake,
 * the bulk import, test data): which model a name means, who sold it, which policy and
 * version govern it, and which dates may follow which. Pure: the callers load the
 * catalogue facts and write the row.
 */

/** A catalogue model as the sale rules see it. */
export interface SaleModel {
  id: string
  brandOrgId: string
  /** The distributor of an agent brand; it sells (and services) the brand's units. */
  agentOrgId: string | null
  brandPolicyId: string | null
}

/** What the rules need of the organisations on file. */
export interface SaleOrganisations {
  defaultPolicyOf(orgId: string): string | null | undefined
  /** The selling organisation whose own policy this is (seed 001's retailer), if any. */
  sellerWithPolicy(policyId: string): string | undefined
}

export interface SaleInput {
  channel: 'direct' | 'dealer'
  dealerOrgId: string | null
  /** The organisation that sold the unit; named only by staff or by a claimant's proof. */
  sellerOrgId?: string | null
  /** A policy named by staff or by an import row instead of the seller's own. */
  policyId?: string | null
  policyVersion?: string | null
  purchasedOn: string
  shippedOn?: string | null
  deliveredOn?: string | null
  activatedOn?: string | null
  shippedBy?: 'vendor' | 'dealer' | null
}

export interface SaleRejection {
  field: string
  /** Why, in English. */
  error: string
  /** The same as a catalogue message, for readers of other languages. */
  text: Message
}

const refuse = (field: string, text: Message): SaleRejection => ({ field, error: render('en', text), text })

export interface SaleTerms {
  sellerOrgId: string
  policyId: string
  policyVersion: string
  shippedBy: 'vendor' | 'dealer'
}

export const isSaleRejection = (value: unknown): value is SaleRejection =>
  typeof value === 'object' && value !== null && 'error' in value && 'field' in value

/** The matching key of a model or organisation name: case, spaces, hyphens and underscores do not count. */
export { normalizeModelKey as saleModelKey } from './model-key.ts'

/** The kinds of organisation that sell as dealers: a dealer, or the agent of a brand. */
export const isDealerKind = (kind: string): boolean => kind === 'dealer' || kind === 'agent'

/** A dealer sale names its dealer; a direct sale has none. */
export function checkSaleChannel(channel: string, dealerOrgId: string | null): SaleRejection | null {
  if (channel !== 'direct' && channel !== 'dealer') return refuse('channel', { key: 'import.channel' })
  if (channel === 'dealer' && !dealerOrgId)
    return refuse('dealerOrgId', { key: 'registry.sale.dealer-needed' })
  if (channel === 'direct' && dealerOrgId)
    return refuse('dealerOrgId', { key: 'registry.sale.direct-no-dealer' })
  return null
}

/**
 * A unit is bought, then shipped, then delivered, then activated; a later step may be
 * unknown but never earlier than the one before it that is known, nor later than today
 * anywhere on Earth at the instant `at` the sale is recorded.
 */
export function checkSaleDates(
  sale: Pick<SaleInput, 'purchasedOn' | 'shippedOn' | 'deliveredOn' | 'activatedOn'>,
  at: Date | string,
): SaleRejection | null {
  // A sale recorded ahead of itself would start its warranty later than it should.
  for (const field of ['purchasedOn', 'shippedOn', 'deliveredOn', 'activatedOn'] as const) {
    const day = sale[field]
    if (day && isLaterThanToday(day, at)) return refuse(field, { key: 'registry.sale.in-future' })
  }
  if (sale.shippedOn && sale.shippedOn < sale.purchasedOn)
    return refuse('shippedOn', {
      key: 'registry.sale.shipped-before-purchase',
      params: { other: 'purchasedOn' },
    })
  if (sale.deliveredOn && sale.deliveredOn < (sale.shippedOn || sale.purchasedOn))
    return refuse('deliveredOn', { key: 'registry.sale.delivered-too-early' })
  if (sale.activatedOn && sale.activatedOn < (sale.deliveredOn || sale.shippedOn || sale.purchasedOn))
    return refuse('activatedOn', { key: 'registry.sale.activated-too-early' })
  return null
}

/**
 * Who sold the unit: the one named, else the seller whose own policy the sale names, else
 * the agent brand's distributor, else the brand itself.
 */
export function saleSeller(
  model: SaleModel,
  sale: Pick<SaleInput, 'sellerOrgId' | 'policyId'>,
  orgs: SaleOrganisations,
): string {
  if (sale.sellerOrgId) return sale.sellerOrgId
  if (sale.policyId) {
    const owner = orgs.sellerWithPolicy(sale.policyId)
    if (owner) return owner
  }
  return model.agentOrgId ?? model.brandOrgId
}

/** Who ships to the buyer when the sale does not say: the dealer for a dealer sale, else the vendor. */
export const saleShippedBy = (channel: 'direct' | 'dealer', given?: 'vendor' | 'dealer' | null) =>
  given ?? (channel === 'dealer' ? 'dealer' : 'vendor')

/**
 * Seller, policy (the named one, else the seller's own, else the brand's) and the version
 * of it in force on the purchase date. Depends only on the model, the names and the date,
 * so a bulk import may cache it.
 */
export function decideSalePolicy(
  model: SaleModel,
  sale: Pick<SaleInput, 'sellerOrgId' | 'policyId' | 'policyVersion' | 'purchasedOn'>,
  orgs: SaleOrganisations,
  policies: Pick<PolicyLibrary, 'versionInForce' | 'list'>,
): Omit<SaleTerms, 'shippedBy'> | SaleRejection {
  const sellerOrgId = saleSeller(model, sale, orgs)
  const policyId = sale.policyId || orgs.defaultPolicyOf(sellerOrgId) || model.brandPolicyId
  if (!policyId) return refuse('policy', { key: 'registry.sale.no-policy' })
  const versions = policies.list().filter((p) => p.id === policyId)
  if (versions.length === 0)
    return refuse('policy', { key: 'registry.sale.policy-not-loaded', params: { policy: policyId } })
  if (sale.policyVersion) {
    if (!versions.some((p) => p.version === sale.policyVersion))
      return refuse('policyVersion', {
        key: 'registry.sale.no-version',
        params: { version: sale.policyVersion, policy: policyId },
      })
    return { sellerOrgId, policyId, policyVersion: sale.policyVersion }
  }
  const version = pickPolicyVersion(policies, policyId, sale.purchasedOn)
  if (!version)
    return refuse('purchasedOn', { key: 'registry.sale.no-version-applies', params: { policy: policyId } })
  return { sellerOrgId, policyId, policyVersion: version.version }
}

/** All the rules of a sale at once: channel, dates, then seller and policy. */
export function decideSaleTerms(
  model: SaleModel,
  sale: SaleInput,
  orgs: SaleOrganisations,
  policies: Pick<PolicyLibrary, 'versionInForce' | 'list'>,
  at: Date | string,
): SaleTerms | SaleRejection {
  const rejection = checkSaleChannel(sale.channel, sale.dealerOrgId) ?? checkSaleDates(sale, at)
  if (rejection) return rejection
  const terms = decideSalePolicy(model, sale, orgs, policies)
  if (isSaleRejection(terms)) return terms
  return { ...terms, shippedBy: saleShippedBy(sale.channel, sale.shippedBy) }
}

/** The longest production batch a unit is recorded with, by the API and by a CSV import alike. */
export const MOST_BATCH_CHARACTERS = 64
