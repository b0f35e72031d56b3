import type { DocumentLocale } from './document-labels.ts'

/** Payment instructions on a quote: bank transfer with the claim number as reference, or a link. */
export type PaymentInstructions =
  | {
      method: 'bank-transfer'
      bankName: string
      accountName: string
      accountNumber: string
      swift?: string | undefined
      reference: string
    }
  | { method: 'payment-link'; url: string; reference: string }
  | { method: 'contact'; contact: string; reference: string }

const LABELS = {
  en: {
    bank: 'Bank',
    accountName: 'Account name',
    accountNumber: 'Account number',
    swift: 'SWIFT/BIC',
    reference: 'Payment reference',
    payOnline: 'Pay online',
    contactToPay: 'Contact us to pay',
  },
  zh: {
    bank: '开户银行',
    accountName: '户名',
    accountNumber: '账号',
    swift: 'SWIFT/BIC',
    reference: '付款备注',
    payOnline: '在线付款',
    contactToPay: '请联系我们付款',
  },
} as const satisfies Record<DocumentLocale, Record<string, string>>

/**
 * The lines of payment instructions, one wording for the quote PDF, the quote page and the
 * quote e-mail. Pure, so the e-mail renderer uses it too.
 */
export function paymentInstructionLines(payment: PaymentInstructions, locale: DocumentLocale): string[] {
  const l = LABELS[locale]
  // Chinese takes the full-width colon, as every other label of the quote and its e-mail does.
  const line = (label: string, value: string) => `${label}${locale === 'zh' ? '：' : ': '}${value}`
  if (payment.method === 'bank-transfer')
    return [
      line(l.bank, payment.bankName),
      line(l.accountName, payment.accountName),
      line(l.accountNumber, payment.accountNumber),
      ...(payment.swift ? [line(l.swift, payment.swift)] : []),
      line(l.reference, payment.reference),
    ]
  if (payment.method === 'payment-link')
    return [line(l.payOnline, payment.url), line(l.reference, payment.reference)]
  return [line(l.contactToPay, payment.contact), line(l.reference, payment.reference)]
}
