import type { Db } from '../db/database.ts'
import type { Letterhead, PaymentInstructions } from '../files/index.ts'
import { formatPostalAddress, serviceAddressToPostal } from '../registry/index.ts'
import type { MessageLanguage } from '../shared/messages/translate.ts'
import {
  DEFAULT_SUPPORT_HOURS,
  DEFAULT_SUPPORT_HOURS_ZH,
  findPrimarySellerId,
  loadSellerSettings,
} from './seller-settings.store.ts'
import type { SellerSettingsView } from './setup.schemas.ts'

/** The seller a claim's documents speak for: the seller of its unit, else the one set up first. */
export async function sellerSettingsForSerial(
  db: Db,
  serial: string,
): Promise<SellerSettingsView | undefined> {
  const unit = await db
    .selectFrom('units')
    .select('seller_org_id')
    .where('serial', '=', serial)
    .executeTakeFirst()
  const orgId = unit?.seller_org_id ?? (await findPrimarySellerId(db))
  return orgId ? loadSellerSettings(db, orgId) : undefined
}

/**
 * The seller's letterhead for a document printed in `language`: its address names the
 * country in that language, as the addresses printed below it on the same page do.
 */
export async function letterheadOf(
  settings: SellerSettingsView,
  language: MessageLanguage,
  readLogo?: (fileId: string) => Promise<Buffer | undefined>,
): Promise<Letterhead> {
  const address = settings.address ? serviceAddressToPostal(settings.seller, settings.address) : undefined
  const logo = settings.logoFileId && readLogo ? await readLogo(settings.logoFileId) : undefined
  return {
    name: settings.seller,
    // The recipient line repeats the seller's name, already printed above. The address has no
    // phone (that is a contact line), so no label in any language is printed in it.
    addressLines: address ? formatPostalAddress(address, language).slice(1) : [],
    contactLines: [settings.email, settings.phone, supportHoursIn(settings, language)].filter(
      (line): line is string => typeof line === 'string' && line !== '',
    ),
    ...(logo ? { logo } : {}),
  }
}

/**
 * The seller's support hours for a reader of `language`. The default hours are words no
 * seller wrote, so they read in the reader's language, as the default terms do; hours a
 * seller wrote are theirs, printed as written.
 */
export function supportHoursIn(
  settings: Pick<SellerSettingsView, 'supportHours'>,
  language: MessageLanguage,
) {
  return language === 'zh' && settings.supportHours === DEFAULT_SUPPORT_HOURS
    ? DEFAULT_SUPPORT_HOURS_ZH
    : settings.supportHours
}

/**
 * How the customer pays this claim: the seller's bank details with the claim number as
 * reference, or its payment link (`{claim}` becomes the claim number), or, before either
 * is configured, its contact e-mail.
 */
export function paymentInstructionsFor(
  settings: SellerSettingsView,
  claimNumber: string,
): PaymentInstructions {
  if (settings.paymentMethod === 'payment-link' && settings.paymentLink)
    return {
      method: 'payment-link',
      url: settings.paymentLink.replaceAll('{claim}', encodeURIComponent(claimNumber)),
      reference: claimNumber,
    }
  if (settings.bank)
    return {
      method: 'bank-transfer',
      bankName: settings.bank.bankName,
      accountName: settings.bank.accountName,
      accountNumber: settings.bank.accountNumber,
      swift: settings.bank.swift,
      reference: claimNumber,
    }
  return { method: 'contact', contact: settings.email, reference: claimNumber }
}
