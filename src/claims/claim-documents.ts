import type { z } from 'zod'
import { absolutePageUrl, pages } from '../contracts/pages.ts'
import type { Db } from '../db/database.ts'
import { readLogoFile, renderQuotePdf, renderRepairOrderPdf } from '../files/index.ts'
import { type PolicyLibrary, type PolicySummary, policyTitleIn } from '../policies/index.ts'
import { customerMailLocale, formatPostalAddress, serviceAddressToPostal } from '../registry/index.ts'
import {
  letterheadOf,
  paymentInstructionsFor,
  type SellerSettingsView,
  sellerSettingsForSerial,
} from '../setup/index.ts'
import type { Config } from '../shared/config.ts'
import { AppError } from '../shared/errors.ts'
import { localDate } from '../shared/local-date.ts'
import type { rmaView } from './claim.schemas.ts'
import { findCustomerContact, findLatestEventAt, listCostLines } from './claim.store.ts'
import type { ClaimQuotesTable, ClaimsTable } from './claim.tables.ts'
import { claimNumber, claimTimeZone } from './claim-view.ts'
import { RMA_AUTHORIZED } from './domain/claim-events.ts'
import { customerLines } from './domain/money-sight.ts'
import { resolveReturnAddress } from './return-address.ts'
import { quoteValidUntil } from './send-quote.ts'

type Rma = z.infer<typeof rmaView>

const oneLine = (address: Record<string, unknown> | null): string =>
  address
    ? Object.values(address)
        .filter((v) => typeof v === 'string' && v)
        .join(', ')
    : ''

/** Whom a claim's documents are addressed to, and in which language. */
export async function documentRecipientOf(db: Db, customerId: string | null) {
  const customer = customerId ? await findCustomerContact(db, customerId) : undefined
  return {
    name: customer?.name ?? 'Customer',
    address: oneLine(customer?.address ? (JSON.parse(customer.address) as Record<string, unknown>) : null),
    // In the language their mail is written in, by the same evidence: the two travel together.
    locale: customer ? customerMailLocale(customer) : ('en' as const),
  }
}

/** Seed 003's repair order: customer name, return address, serial number and fault, for the parcel. */
export async function renderClaimRepairOrder(
  db: Db,
  config: Pick<Config, 'publicUrl' | 'dataDir'>,
  claim: ClaimsTable,
  policies: Pick<PolicyLibrary, 'summary'>,
  /** The reader's language where they chose one; else the customer's, whom the sheet travels with. */
  language?: 'en' | 'zh',
): Promise<Buffer> {
  if (!claim.rma_json) throw new AppError('not-found', { key: 'claims.rma.none' })
  const rma = JSON.parse(claim.rma_json) as Rma
  const account = await documentRecipientOf(db, claim.customer_id)
  const customer = language === undefined ? account : { ...account, locale: language }
  const returnAddress = await resolveReturnAddress(db, claim.id)
  const seller = await sellerSettingsForSerial(db, claim.serial)
  // The order is dated by its authorisation, so a reprint after later steps shows the same day.
  const issuedAt = new Date(
    rma.issuedAt ?? (await findLatestEventAt(db, claim.id, RMA_AUTHORIZED)) ?? claim.updated_at,
  )
  return renderRepairOrderPdf({
    rmaNumber: rma.number,
    claimNumber: claimNumber(claim),
    customerName: customer.name,
    // Left blank for the customer to write in, as seed 003 allows, until they give one.
    returnAddress: returnAddress ? formatPostalAddress(returnAddress, customer.locale) : [''],
    serial: claim.serial,
    model: claim.model ?? '',
    faultDescription: claim.problem_description,
    shipTo: formatPostalAddress(serviceAddressToPostal(rma.shipTo.name, rma.shipTo), customer.locale),
    itemsToInclude: rma.itemsToInclude,
    ...(rma.itemTranslations ? { itemTranslations: rma.itemTranslations } : {}),
    freightPayer: rma.freightPayer ?? 'as-agreed',
    // The policy by its title, never its id and version (`player-one@1` is for staff screens).
    ...policyLabels(policies.summary(claim.policy_id, claim.policy_version ?? undefined)),
    qrUrl: absolutePageUrl(config.publicUrl, pages.claim(claim.id)),
    locale: customer.locale,
    issuedAt,
    issuedOn: localDate(issuedAt, claimTimeZone(policies, claim)),
    ...(seller
      ? {
          letterhead: await letterheadOf(seller, customer.locale, (fileId) =>
            readLogoFile(db, config.dataDir, fileId),
          ),
          terms: termsIn(seller, customer.locale),
        }
      : {}),
  })
}

const policyLabels = (summary: PolicySummary | undefined) =>
  summary === undefined
    ? { policyLabel: '' }
    : {
        policyLabel: summary.title,
        policyLabelIn: { en: policyTitleIn(summary, 'en'), zh: policyTitleIn(summary, 'zh') },
      }

/** Seed 004's estimate as a document: the lines, those the customer pays priced, the customer's total. */
export async function renderClaimQuote(
  db: Db,
  config: Pick<Config, 'publicUrl' | 'dataDir'>,
  claim: ClaimsTable,
  quote: ClaimQuotesTable,
  policies: Pick<PolicyLibrary, 'summary'>,
): Promise<Buffer> {
  const lines = (await listCostLines(db, claim.id)).filter((l) => l.quote_id === quote.id)
  const customer = await documentRecipientOf(db, claim.customer_id)
  const seller = await sellerSettingsForSerial(db, claim.serial)
  const validityDays = seller?.quoteValidityDays ?? 30
  const timeZone = claimTimeZone(policies, claim)
  return renderQuotePdf({
    quoteNumber: `${claimNumber(claim)}-Q`,
    rmaNumber: claim.rma_number ?? claimNumber(claim),
    customerName: customer.name,
    serial: claim.serial,
    model: claim.model ?? '',
    // The customer's document, whoever prints it: what they pay, and that the rest is covered.
    lines: customerLines(
      lines.map((l) => ({
        kind: l.kind,
        description: l.description,
        quantity: Number(l.quantity),
        unitPriceMinor: Number(l.unit_price_minor),
        payer: l.payer,
      })),
    ),
    currency: quote.currency,
    totalCustomerMinor: Number(quote.customer_minor),
    validUntil: quote.valid_until ?? quoteValidUntil(quote.sent_at, validityDays, timeZone),
    claimUrl: absolutePageUrl(config.publicUrl, pages.claim(claim.id, 'quote')),
    locale: customer.locale,
    issuedAt: new Date(quote.sent_at),
    issuedOn: localDate(new Date(quote.sent_at), timeZone),
    ...(seller
      ? {
          letterhead: await letterheadOf(seller, customer.locale, (fileId) =>
            readLogoFile(db, config.dataDir, fileId),
          ),
          terms: termsIn(seller, customer.locale),
          payment: paymentInstructionsFor(seller, claimNumber(claim)),
        }
      : {}),
  })
}

/** The seller's terms in the reader's language: Chinese where the seller gives them, else its own. */
export const termsIn = (
  seller: Pick<SellerSettingsView, 'terms' | 'termsZh'>,
  locale: 'en' | 'zh',
): string => (locale === 'zh' ? (seller.termsZh ?? seller.terms) : seller.terms)
