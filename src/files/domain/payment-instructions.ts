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
  if (payment.method === 'bank-transfer')
    return [
      `${l.bank}: ${payment.bankName}`,
      `${l.accountName}: ${payment.accountName}`,
      `${l.accountNumber}: ${payment.accountNumber}`,
      ...(payment.swift ? [`${l.swift}: ${payment.swift}`] : []),
      `${l.reference}: ${payment.reference}`,
    ]
  if (payment.method === 'payment-link')
    return [`${l.payOnline}: ${payment.url}`, `${l.reference}: ${payment.reference}`]
  return [`${l.contactToPay}: ${payment.contact}`, `${l.reference}: ${payment.reference}`]
}
