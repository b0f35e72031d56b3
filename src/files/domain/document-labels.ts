/** Wording of the printed documents in English and Chinese, and their number formats. Pure. */
import { formatMinorIn } from '../../contracts/money.ts'

export type DocumentLocale = 'en' | 'zh'

export const DOCUMENT_LABELS = {
  en: {
    repairOrder: 'Repair order',
    rma: 'RMA number',
    claim: 'Claim',
    customerName: 'Customer name',
    returnAddress: 'Return address',
    serial: 'Serial number (SN on the back of the unit)',
    model: 'Model',
    fault: 'Fault description',
    shipTo: 'Ship to',
    itemsToInclude: 'Put in the parcel',
    freightPayer: 'Freight paid by',
    policy: 'Warranty policy',
    scan: 'Scan to open the claim',
    attach:
      'Attach this form to the unit and write the RMA number on the parcel. Without a printer, write on paper: customer name, return address, serial number (SN on the back of the unit) and fault description.',
    quote: 'Repair estimate',
    quoteNumber: 'Estimate number',
    kind: 'Kind',
    description: 'Description',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    amount: 'Amount',
    payer: 'Paid by',
    covered: 'Covered',
    totalCustomer: 'Total to pay',
    validUntil: 'Valid until',
    beforeWork: 'No paid work starts before you accept this estimate.',
    answerAt: 'Accept or decline the estimate on your claim page:',
    noCjkFont: 'Chinese font not installed on the server: printed in English.',
  },
  zh: {
    repairOrder: '维修单',
    rma: '寄修授权号',
    claim: '申请编号',
    customerName: '客户姓名',
    returnAddress: '回寄地址',
    serial: '序列号（见机身背面）',
    model: '型号',
    fault: '故障描述',
    shipTo: '寄送地址',
    itemsToInclude: '包裹内请放入',
    freightPayer: '运费承担方',
    policy: '保修政策',
    scan: '扫码查看申请',
    attach:
      '请将本单随设备一同寄出，并在包裹上注明寄修授权号。如无法打印，请在纸上写明：客户姓名、回寄地址、序列号（见机身背面）和故障描述。',
    quote: '维修报价单',
    quoteNumber: '报价编号',
    kind: '类别',
    description: '项目',
    quantity: '数量',
    unitPrice: '单价',
    amount: '金额',
    payer: '承担方',
    covered: '已承保',
    totalCustomer: '应付合计',
    validUntil: '有效期至',
    beforeWork: '在您接受本报价之前，不会进行任何付费维修。',
    answerAt: '请在申请页面接受或拒绝本报价：',
    noCjkFont: '',
  },
} as const

export type DocumentLabels = { [K in keyof (typeof DOCUMENT_LABELS)['en']]: string }

/** Minor units to a display amount, with the currency's own number of decimals (yen has none). */
export function formatMinor(amountMinor: number, currency: string, locale: DocumentLocale): string {
  return formatMinorIn(locale === 'zh' ? 'zh-CN' : 'en-GB', amountMinor, currency)
}
