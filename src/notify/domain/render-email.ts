import { withReadableDates } from '../../contracts/calendar-date.ts'
import { formatMinorIn } from '../../contracts/money.ts'
import { absolutePageUrl, type ClaimSection, documents, pages } from '../../contracts/pages.ts'
import { readWarningReference } from '../../contracts/warning-reference.ts'
import { paymentInstructionLines } from '../../files/index.ts'
import { formatPostalAddress, packageItemIn, serviceAddressToPostal } from '../../registry/index.ts'
import {
  humanDate,
  humanMonth,
  humanTimestamp,
  isCalendarDate,
  isIsoInstant,
} from '../../shared/human-date.ts'
import { wordOf } from '../../shared/messages/translate.ts'
import type { Block, EmailContent, RenderedEmail } from './email-content.ts'
import { renderContent } from './email-content.ts'
import {
  type EmailLocale,
  type EmailTemplateData,
  type EmailTemplateId,
  emailTemplateData,
  isEmailTemplateId,
} from './email-template-data.ts'

export interface RenderContext {
  /** Base URL of the service; paths in the data are resolved against it. */
  publicUrl: string
  /** The claim the message belongs to; every link about it opens that claim's page. */
  claimId: string | null
  /**
   * The page that stops this kind of mail for the recipient (an absolute URL), on optional
   * mail only: it closes the message, below everything the template says.
   */
  unsubscribeUrl?: string | undefined
}

interface Helpers {
  /** Picks the English or the Chinese wording. */
  s: (en: string, zh: string) => string
  url: (linkOrPath: string) => string
  /** A link to the claim's page (at one section of it), or nothing when the message has no claim. */
  claimLink: (label: [en: string, zh: string], section?: ClaimSection) => Block[]
  /** A link to a document of the claim (its quote PDF), or nothing when the message has no claim. */
  claimDocument: (label: [en: string, zh: string], path: (claimId: string) => string) => Block[]
  locale: EmailLocale
  greeting: (name: string | undefined) => Block
  money: (minor: number, currency: string) => string
  /** A calendar date, or a timestamp at the clock of the message's zone with the zone named. */
  date: (isoDateOrTimestamp: string) => string
  signature: Block
  /** A word of the message catalogue's vocabularies (`payer`, `cost`, `remedy`, `outcome`). */
  word: (vocabulary: string, value: string) => string
  /** Joins words as a list in the recipient's language. */
  list: (items: readonly string[]) => string
}

type Template<K extends EmailTemplateId> = (d: EmailTemplateData<K>, h: Helpers) => EmailContent

/** Why a debtor accepted less than was claimed, in the message's language; an unknown code as it is. */
const RECOVERY_REASONS: Record<string, [string, string]> = {
  'not-covered': ['not covered', '不在保修范围'],
  'over-standard-time': ['over the standard time', '超出标准工时'],
  'price-above-list': ['price above list', '高于目录价'],
  'late-submission': ['submitted late', '逾期提交'],
  'part-not-returned': ['part not returned', '故障件未寄回'],
  'no-evidence': ['no evidence', '缺少凭证'],
  duplicate: ['duplicate', '重复'],
  other: ['other', '其他'],
}

function recoveryReasonIn(h: Helpers, code: string): string {
  const words = RECOVERY_REASONS[code]
  return words ? h.s(words[0], words[1]) : code
}

const SLA_CLOCK_LABELS = {
  'first-response': ['first response', '首次响应'],
  verify: ['inspection after receipt', '收货后检测'],
  return: ['return to the customer', '寄回客户'],
  forward: ['forwarding to the maker', '转交厂家'],
} as const

const VIEW_CLAIM: [string, string] = ['View the claim', '查看申请']

/** How a claim was settled without the unit travelling, in the message's language. */
const REMOTE_FIX_WORDS: Record<'remote-fix' | 'software-upgrade' | 'spare-part', (h: Helpers) => string> = {
  'remote-fix': (h) =>
    h.s(
      'We solved the problem with you remotely: there is no need to send the unit in.',
      '我们已与您远程解决了问题，无需寄回设备。',
    ),
  'software-upgrade': (h) =>
    h.s(
      'A software or firmware upgrade solves the problem: there is no need to send the unit in.',
      '升级软件或固件即可解决问题，无需寄回设备。',
    ),
  'spare-part': (h) =>
    h.s(
      'We are sending you a spare part that solves the problem: there is no need to send the unit in.',
      '我们将寄给您一个可解决问题的备件，无需寄回设备。',
    ),
}
const OPEN_CLAIM: [string, string] = ['Open the claim', '打开申请']

/** The unit of a dealer's message, as a dealer knows it: the model (when known) and the serial. */
function unitIn(d: { model?: string | undefined; serial: string }, h: Helpers): string {
  return d.model
    ? h.s(`${d.model}, serial ${d.serial}`, `${d.model}，序列号 ${d.serial}`)
    : h.s(`serial ${d.serial}`, `序列号 ${d.serial}`)
}

/** The claim and its unit, as every message to a dealer lists them, with rows of its own around them. */
function claimUnitFacts(
  d: { claimNumber: string; model?: string | undefined; serial: string },
  h: Helpers,
  rows: { afterClaim?: [string, string][]; last?: [string, string][] } = {},
): Block {
  return {
    kind: 'facts',
    rows: [
      [h.s('Claim', '申请编号'), d.claimNumber],
      ...(rows.afterClaim ?? []),
      ...(d.model ? [[h.s('Model', '型号'), d.model] as [string, string]] : []),
      [h.s('Serial number', '序列号'), d.serial],
      ...(rows.last ?? []),
    ],
  }
}

/**
 * Where the unit goes, as the repair order and the claim page print it: a line each, the
 * country named in the reader's words. A message queued before the address was carried
 * whole prints the line it has.
 */
function shipToBlock(
  d: { shipTo: string; shipToAddress?: EmailTemplateData<'rma.authorized'>['shipToAddress'] },
  h: Helpers,
): Block {
  const address = d.shipToAddress
  if (!address) return { kind: 'address', text: d.shipTo }
  const lines = formatPostalAddress(serviceAddressToPostal(address.name, address), h.locale)
  return { kind: 'address', text: lines.join('\n') }
}

/** Who pays the freight of a return, when the decision names one; nothing otherwise. */
function freightPayerLine(payer: string | null | undefined, h: Helpers): Block[] {
  if (!payer) return []
  const word = h.word('payer', payer)
  return [{ kind: 'p', text: h.s(`Freight paid by: ${word}`, `运费承担方：${word}`) }]
}

/**
 * A decision's explanation in the reader's language, its days written as the rest of the
 * message writes them: the engine writes ISO dates so that one text serves every reader,
 * and the claim page rewrites them the same way, so the e-mail and the page name one day alike.
 */
/** A quote line's item with who pays it; the item is typed text or the line's kind in the recipient's words. */
function withPayer(item: string, payer: string | undefined, h: Helpers): string {
  return payer ? `${item} (${h.word('payer', payer)})` : item
}

function explanationIn(explanation: string | { en: string; zh: string }, h: Helpers): string {
  const text = typeof explanation === 'string' ? explanation : explanation[h.locale]
  return withReadableDates(text, (day) => h.date(day))
}

const templates: { [K in EmailTemplateId]: Template<K> } = {
  'claim.opened': (d, h) => ({
    subject: h.s(`We received your claim ${d.claimNumber}`, `我们已收到您的售后申请 ${d.claimNumber}`),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          'Thank you. Your claim is registered and our service team will look at it shortly, starting with a remote diagnosis so that unnecessary shipping can be avoided.',
          '感谢您的反馈。您的申请已登记，售后团队将尽快处理，首先进行远程诊断，以免不必要的寄修。',
        ),
      },
      {
        kind: 'facts',
        rows: [
          [h.s('Claim', '申请编号'), d.claimNumber],
          ...(d.model ? [[h.s('Model', '型号'), d.model] as [string, string]] : []),
          ...(d.serial ? [[h.s('Serial number', '序列号'), d.serial] as [string, string]] : []),
        ],
      },
      ...h.claimLink(VIEW_CLAIM),
      h.signature,
    ],
  }),
  'info.requested': (d, h) => ({
    subject: h.s(`We need more information for claim ${d.claimNumber}`, `申请 ${d.claimNumber} 需要补充信息`),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          'To continue with your claim we need the following from you:',
          '为继续处理您的申请，请提供以下信息：',
        ),
      },
      { kind: 'p', text: d.request },
      {
        kind: 'p',
        text: h.s(
          'Please reply on the claim page. The service clock is paused until we hear from you.',
          '请在申请页面回复。在收到您的回复之前，处理时限暂停计算。',
        ),
      },
      ...h.claimLink(VIEW_CLAIM),
      h.signature,
    ],
  }),
  'purchase-proof.accepted': (d, h) => ({
    subject: h.s(
      `Your proof of purchase for claim ${d.claimNumber} is accepted`,
      `您为申请 ${d.claimNumber} 提交的购买凭证已被认可`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          'We checked the proof of purchase you sent and found it valid. It is now kept with your unit.',
          '我们已核对您提交的购买凭证，确认有效，并已将其与您的设备一并存档。',
        ),
      },
      ...h.claimLink(VIEW_CLAIM),
      h.signature,
    ],
  }),
  'purchase-proof.refused': (d, h) => ({
    subject: h.s(
      `We could not accept your proof of purchase for claim ${d.claimNumber}`,
      `申请 ${d.claimNumber} 的购买凭证未能通过审核`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          'We checked the proof of purchase you sent and could not accept it, for this reason:',
          '我们已核对您提交的购买凭证，但未能认可，原因如下：',
        ),
      },
      { kind: 'p', text: d.reason },
      {
        kind: 'p',
        text: h.s(
          'Without a valid proof of purchase the warranty cannot cover the claim. You can send another invoice or receipt on the claim page.',
          '没有有效的购买凭证，本次申请无法享受保修。您可以在申请页面重新上传发票或收据。',
        ),
      },
      ...h.claimLink(VIEW_CLAIM),
      h.signature,
    ],
  }),
  'remote.resolved': (d, h) => ({
    subject: h.s(
      `Claim ${d.claimNumber} solved without sending the unit`,
      `申请 ${d.claimNumber} 已解决，无需寄回设备`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      { kind: 'p', text: REMOTE_FIX_WORDS[d.fix](h) },
      { kind: 'p', text: h.s('What we did and what to do:', '处理情况及您需要做的：') },
      { kind: 'p', text: d.note },
      {
        kind: 'p',
        text: h.s(
          'If the problem comes back, reply on the claim page and we will take it up again.',
          '如果问题再次出现，请在申请页面回复，我们会继续处理。',
        ),
      },
      ...h.claimLink(VIEW_CLAIM),
      h.signature,
    ],
  }),
  'rma.readdressed': (d, h) => ({
    subject: h.s(
      `New address for your return: RMA ${d.rmaNumber} for claim ${d.claimNumber}`,
      `寄修地址已更改：${d.rmaNumber}（申请 ${d.claimNumber}）`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text:
          d.reason === 'dealer-deactivated'
            ? h.s(
                `${d.servedInsteadOf ?? 'The dealer'}, the dealer your return was addressed to, no longer takes service claims, so we serve yours ourselves.`,
                `您的寄修原定寄往的经销商 ${d.servedInsteadOf ?? ''} 已不再受理售后服务，您的申请由我们直接处理。`,
              )
            : h.s('The address your return goes to has changed.', '您的寄修地址已更改。'),
      },
      {
        kind: 'p',
        text: h.s(
          `Please send the unit to the new address below, not to ${d.previousShipTo}. Write the RMA number ${d.rmaNumber} on the parcel, as before.`,
          `请将设备寄往以下新地址，不要寄往 ${d.previousShipTo}。请照旧在包裹上注明寄修授权号 ${d.rmaNumber}。`,
        ),
      },
      { kind: 'p', text: h.s('Ship to:', '寄送地址：') },
      shipToBlock(d, h),
      {
        kind: 'p',
        text: h.s(
          'If you have already sent it, tell us in your claim, with the tracking number, and we will collect it.',
          '如您已寄出，请在申请中告诉我们运单号，我们会负责取回。',
        ),
      },
      ...h.claimLink(VIEW_CLAIM),
      h.signature,
    ],
  }),
  'rma.authorized': (d, h) => ({
    subject: h.s(
      `Return authorised: RMA ${d.rmaNumber} for claim ${d.claimNumber}`,
      `已批准寄修：${d.rmaNumber}（申请 ${d.claimNumber}）`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          `Please send the unit to us. Write the RMA number ${d.rmaNumber} on the parcel.`,
          `请将设备寄回。请在包裹上注明寄修授权号 ${d.rmaNumber}。`,
        ),
      },
      ...(d.servedInsteadOf
        ? [
            {
              kind: 'p',
              text: h.s(
                `${d.servedInsteadOf}, the dealer that sold the unit, no longer takes service claims, so we serve yours ourselves. Please send the unit to the address below, not to the dealer.`,
                `售出该设备的经销商 ${d.servedInsteadOf} 已不再受理售后服务，您的申请由我们直接处理。请将设备寄往以下地址，不要寄给该经销商。`,
              ),
            } as Block,
          ]
        : []),
      { kind: 'p', text: h.s('Ship to:', '寄送地址：') },
      shipToBlock(d, h),
      ...(d.itemsToInclude.length > 0
        ? [
            { kind: 'p', text: h.s('Please include:', '请随附：') } as Block,
            {
              kind: 'list',
              items: d.itemsToInclude.map(
                (item) => d.itemTranslations?.[item]?.[h.locale] ?? packageItemIn(h.locale, item),
              ),
            } as Block,
          ]
        : []),
      ...freightPayerLine(d.freightPayer, h),
      {
        kind: 'p',
        text: h.s(
          'Print the repair order and put it in the parcel. If you cannot print it, write on paper: your name, return address, serial number (SN on the back of the unit) and a description of the fault.',
          '请打印维修单并放入包裹。如无法打印，请在纸上写明：姓名、回寄地址、序列号（见机身背面）及故障描述。',
        ),
      },
      ...h.claimLink(['Repair order (to print)', '维修单（打印）'], 'repair-order'),
      ...h.claimLink(VIEW_CLAIM),
      h.signature,
    ],
  }),
  'pickup.scheduled': (d, h) => ({
    subject: h.s(`Pickup scheduled for claim ${d.claimNumber}`, `申请 ${d.claimNumber} 已预约上门取件`),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s('A courier will collect the unit from you.', '快递员将上门取件。'),
      },
      {
        kind: 'facts',
        rows: [
          [h.s('Date', '日期'), h.date(d.pickupDate)],
          ...(d.pickupWindow ? [[h.s('Time', '时间段'), d.pickupWindow] as [string, string]] : []),
          ...(d.carrier ? [[h.s('Carrier', '承运商'), d.carrier] as [string, string]] : []),
        ],
      },
      ...(d.address ? [{ kind: 'address', text: d.address } as Block] : []),
      ...h.claimLink(VIEW_CLAIM),
      h.signature,
    ],
  }),
  'unit.received': (d, h) => ({
    subject: h.s(
      `We received your unit (claim ${d.claimNumber})`,
      `我们已收到您的设备（申请 ${d.claimNumber}）`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          `Your unit arrived on ${h.date(d.receivedOn)}. Our technicians will inspect it and tell you the result.`,
          `您的设备已于${h.date(d.receivedOn)}到达。技术人员将进行检测并告知结果。`,
        ),
      },
      ...(d.rmaNumber ? [{ kind: 'facts', rows: [[h.s('RMA', '寄修授权号'), d.rmaNumber]] } as Block] : []),
      ...h.claimLink(VIEW_CLAIM),
      h.signature,
    ],
  }),
  'decision.made': (d, h) => {
    const explanation = explanationIn(d.explanation, h)
    const free = d.remedies.filter((r) => r !== 'paid-repair')
    // Promise only what the decision offers: a cost estimate only when it offers a paid repair.
    const offer: Block[] = d.covered
      ? free.length > 0
        ? [
            {
              kind: 'p',
              text: h.s(
                `We offer: ${h.list(free.map((r) => h.word('remedy', r)))}, free of charge.`,
                `我们为您免费提供：${h.list(free.map((r) => h.word('remedy', r)))}。`,
              ),
            },
          ]
        : []
      : d.remedies.includes('paid-repair')
        ? [
            {
              kind: 'p',
              text: h.s(
                'We can still repair it for a fee: you will receive a cost estimate first, and nothing is done until you accept it.',
                '我们仍可提供付费维修：您会先收到报价，在您确认之前不会进行任何付费维修。',
              ),
            },
          ]
        : [
            {
              kind: 'p',
              text: h.s(
                'If you have a question about this decision, write to us on the claim page.',
                '如对本决定有疑问，请在申请页面给我们留言。',
              ),
            },
          ]
    return {
      subject: d.covered
        ? h.s(`Claim ${d.claimNumber}: covered by warranty`, `申请 ${d.claimNumber}：属于保修范围`)
        : h.s(`Claim ${d.claimNumber}: not covered by warranty`, `申请 ${d.claimNumber}：不属于保修范围`),
      blocks: [
        h.greeting(d.recipientName),
        {
          kind: 'p',
          text: d.covered
            ? h.s('Good news: your claim is covered by the warranty.', '好消息：您的申请属于保修范围。')
            : h.s(
                'We are sorry: your claim is not covered by the warranty.',
                '很抱歉：您的申请不属于保修范围。',
              ),
        },
        { kind: 'p', text: explanation },
        ...offer,
        ...h.claimLink(VIEW_CLAIM),
        h.signature,
      ],
    }
  },
  'quote.sent': (d, h) => ({
    subject: h.s(
      `Cost estimate ${d.quoteNumber} for claim ${d.claimNumber}`,
      `维修报价 ${d.quoteNumber}（申请 ${d.claimNumber}）`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          'Before we do any paid work, here is the estimate. Please accept or decline it; we start only after you accept.',
          '在进行任何付费维修之前，请查看以下报价并选择接受或拒绝；我们将在您接受后开始维修。',
        ),
      },
      {
        kind: 'table',
        head: [h.s('Item', '项目'), h.s('Qty', '数量'), h.s('Unit price', '单价'), h.s('Amount', '金额')],
        // A line another party pays is covered: the customer is not told which business pays
        // how much. Messages queued before carry its price and payer; it is covered all the same.
        rows: d.lines.map((line) =>
          line.payer === undefined || line.payer === 'customer'
            ? [
                withPayer(line.description ?? h.word('cost', line.kind ?? ''), line.payer, h),
                String(line.quantity),
                line.unitPriceMinor === undefined ? '' : h.money(line.unitPriceMinor, d.currency),
                line.unitPriceMinor === undefined
                  ? ''
                  : h.money(line.unitPriceMinor * line.quantity, d.currency),
              ]
            : [
                `${line.description ?? h.word('cost', line.kind ?? '')} (${h.s('covered', '已承保')})`,
                String(line.quantity),
                '',
                h.s('Covered', '已承保'),
              ],
        ),
        foot: [h.s('Total to pay', '应付合计'), '', '', h.money(d.totalCustomerMinor, d.currency)],
      },
      {
        kind: 'p',
        text: h.s(
          `This estimate is valid until ${h.date(d.validUntil)}.`,
          `本报价有效期至${h.date(d.validUntil)}。`,
        ),
      },
      ...(d.quoteId
        ? h.claimDocument(['Estimate (PDF)', '报价单（PDF）'], (claimId) =>
            documents.quotePdf(claimId, d.quoteId as string),
          )
        : []),
      ...(d.payment
        ? [
            {
              kind: 'p',
              text: h.s(
                'Once you accept, please pay as follows and send us the proof of payment on the claim page:',
                '接受报价后，请按以下方式付款，并在申请页面上传付款凭证：',
              ),
            } as Block,
            { kind: 'list', items: paymentInstructionLines(d.payment, h.locale) } as Block,
          ]
        : []),
      ...h.claimLink(['Accept or decline the estimate', '接受或拒绝报价'], 'quote'),
      h.signature,
    ],
  }),
  'quote.last-day-near': (d, h) => {
    const unit = d.model ? `${d.model} (${d.serial})` : d.serial
    return {
      subject: h.s(
        `Your estimate for claim ${d.claimNumber} is valid until ${h.date(d.validUntil)}`,
        `申请 ${d.claimNumber} 的报价有效期至${h.date(d.validUntil)}`,
      ),
      blocks: [
        h.greeting(d.recipientName),
        {
          kind: 'p',
          text: h.s(
            `The estimate ${d.quoteNumber} of ${h.money(d.totalCustomerMinor, d.currency)} for your ${unit} is waiting for your answer, and it is valid until ${h.date(d.validUntil)} inclusive. After that day it can no longer be accepted.`,
            `您的 ${unit} 的报价 ${d.quoteNumber}（${h.money(d.totalCustomerMinor, d.currency)}）正在等待您的答复，有效期至${h.date(d.validUntil)}（含当日），过期后将不能再接受。`,
          ),
        },
        {
          kind: 'p',
          text: h.s(
            'To have the repair done, accept the estimate on the claim page. If you do not want it, decline it and we will send the unit back.',
            '如需维修，请在申请页面接受报价；如不需要，请拒绝报价，我们会将设备寄回给您。',
          ),
        },
        ...h.claimLink(VIEW_CLAIM),
        h.signature,
      ],
    }
  },
  'payment.recorded': (d, h) => ({
    subject: h.s(`Payment received for claim ${d.claimNumber}`, `已收到申请 ${d.claimNumber} 的付款`),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          `We received your payment of ${h.money(d.amountMinor, d.currency)}. The repair will now go ahead.`,
          `我们已收到您的付款 ${h.money(d.amountMinor, d.currency)}，维修将随即开始。`,
        ),
      },
      ...h.claimLink(VIEW_CLAIM),
      h.signature,
    ],
  }),
  'forwarded.to-maker': (d, h) => ({
    subject: h.s(`Claim ${d.claimNumber} forwarded to the maker`, `申请 ${d.claimNumber} 已转交厂家`),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          `Your unit has been sent to ${d.makerName} for service. We will keep you informed.`,
          `您的设备已转交 ${d.makerName} 进行维修，我们会及时告知进展。`,
        ),
      },
      ...h.claimLink(VIEW_CLAIM),
      h.signature,
    ],
  }),
  'return.shipped': (d, h) => ({
    subject: h.s(
      `Your unit is on its way back (claim ${d.claimNumber})`,
      `您的设备已寄回（申请 ${d.claimNumber}）`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          'We have shipped the unit back to you. Please check that it is in good condition when it arrives.',
          '设备已寄回给您。收货时请确认设备完好。',
        ),
      },
      {
        kind: 'facts',
        rows: [
          [h.s('Carrier', '承运商'), d.carrier],
          [h.s('Tracking number', '运单号'), d.trackingNumber],
        ],
      },
      ...(d.trackingUrl
        ? [{ kind: 'link', label: h.s('Track the parcel', '查询物流'), url: h.url(d.trackingUrl) } as Block]
        : []),
      ...h.claimLink(VIEW_CLAIM),
      h.signature,
    ],
  }),
  'claim.closed': (d, h) => ({
    subject: h.s(`Claim ${d.claimNumber} is closed`, `申请 ${d.claimNumber} 已结案`),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s('Your claim is closed. Thank you for your patience.', '您的申请已结案，感谢您的耐心。'),
      },
      ...(d.outcome
        ? [{ kind: 'p', text: h.word('outcome', d.outcome) } as Block]
        : d.summary && h.locale === 'en'
          ? [{ kind: 'p', text: d.summary } as Block]
          : []),
      ...h.claimLink(VIEW_CLAIM),
      h.signature,
    ],
  }),
  'message.posted': (d, h) => ({
    subject: h.s(`New message on claim ${d.claimNumber}`, `申请 ${d.claimNumber} 有新消息`),
    blocks: [
      h.greeting(d.recipientName),
      { kind: 'p', text: h.s(`${d.authorName} wrote:`, `${d.authorName} 写道：`) },
      { kind: 'p', text: d.excerpt },
      ...h.claimLink(VIEW_CLAIM),
      h.signature,
    ],
  }),
  'dealer-sale.refused': (d, h) => ({
    subject:
      d.by === 'seller'
        ? h.s(
            `Claim ${d.claimNumber}: the seller says ${d.dealerName} did not sell this unit`,
            `申请 ${d.claimNumber}：卖家表示此设备并非由 ${d.dealerName} 售出`,
          )
        : h.s(
            `Claim ${d.claimNumber}: ${d.dealerName} says it did not sell this unit`,
            `申请 ${d.claimNumber}：${d.dealerName} 表示未售出此设备`,
          ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          `When you registered your ${d.model ? `${d.model} (serial ${d.serial})` : `unit (serial ${d.serial})`}, you said ${d.dealerName} sold it to you. ${d.by === 'seller' ? 'The seller’s records show the dealer did not sell this unit.' : 'The dealer says it did not sell this unit.'}`,
          `您登记${d.model ? ` ${d.model}（序列号 ${d.serial}）` : `设备（序列号 ${d.serial}）`}时，表示它由 ${d.dealerName} 售出。${d.by === 'seller' ? '卖家的记录显示该经销商并未售出此设备。' : '该经销商表示未售出此设备。'}`,
        ),
      },
      {
        kind: 'p',
        text: d.sellerName
          ? h.s(
              `Your claim is handled by the seller, ${d.sellerName}, as usual: you need do nothing.`,
              `您的申请由卖家 ${d.sellerName} 照常处理，您无需进行任何操作。`,
            )
          : h.s(
              'Your claim is handled by the seller as usual: you need do nothing.',
              '您的申请由卖家照常处理，您无需进行任何操作。',
            ),
      },
      ...h.claimLink(VIEW_CLAIM),
      h.signature,
    ],
  }),
  'dealer.claim-opened': (d, h) => ({
    subject: h.s(
      `Claim ${d.claimNumber} for you to serve: ${unitIn(d, h)}`,
      `待贵方处理的售后申请 ${d.claimNumber}：${unitIn(d, h)}`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          'A claim was opened on a unit your organisation sold, and its warranty policy has you, the dealer, serve it.',
          '贵方售出的一台设备有新的售后申请，按其保修政策由贵方（经销商）提供服务。',
        ),
      },
      claimUnitFacts(d, h, { last: d.problem ? [[h.s('Problem', '故障描述'), d.problem]] : [] }),
      {
        kind: 'p',
        text: h.s(
          'Please open the claim and start the remote diagnosis. If the unit has to come in, authorise its return on the claim page: the customer then gets your service address and the repair order to print.',
          '请打开申请并开始远程诊断。如需寄修，请在申请页面批准寄修，客户随即会收到贵方的服务地址和可打印的维修单。',
        ),
      },
      ...h.claimLink(OPEN_CLAIM),
      h.signature,
    ],
  }),
  'dealer.rma-authorized': (d, h) => ({
    subject: h.s(
      `Unit coming to you: ${d.rmaNumber} for claim ${d.claimNumber} (${unitIn(d, h)})`,
      `设备将寄往贵方：${d.rmaNumber}（申请 ${d.claimNumber}，${unitIn(d, h)}）`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          `The return of this unit to you is authorised. The customer has been asked to send it to the address below, with the RMA number ${d.rmaNumber} on the parcel and the printed repair order inside.`,
          `该设备已批准寄往贵方。客户已被告知将其寄到以下地址，在包裹上注明寄修授权号 ${d.rmaNumber}，并随附打印的维修单。`,
        ),
      },
      claimUnitFacts(d, h, { afterClaim: [[h.s('RMA', '寄修授权号'), d.rmaNumber]] }),
      { kind: 'p', text: h.s('Ship to:', '寄送地址：') },
      shipToBlock(d, h),
      ...freightPayerLine(d.freightPayer, h),
      {
        kind: 'p',
        text: h.s(
          'When the parcel arrives, check the serial number and the contents against the repair order, and record its receipt on the claim page so that the customer is told it arrived.',
          '包裹到达后，请对照维修单核对序列号和包裹内容，并在申请页面登记收货，以便通知客户设备已到达。',
        ),
      },
      ...h.claimLink(OPEN_CLAIM),
      h.signature,
    ],
  }),
  'dealer.message-posted': (d, h) => {
    const asked = d.kind === 'info-request'
    const wrote = asked
      ? h.s(
          `${d.authorName} asked the customer for more information on a claim you serve:`,
          `${d.authorName} 请客户为贵方负责的申请补充信息：`,
        )
      : d.authorSide === 'customer'
        ? h.s(
            `The customer, ${d.authorName}, wrote on a claim you serve:`,
            `客户 ${d.authorName} 在贵方负责的申请中写道：`,
          )
        : d.authorSide === 'service'
          ? h.s(
              `${d.authorName} of the service team wrote on a claim you serve:`,
              `售后团队的 ${d.authorName} 在贵方负责的申请中写道：`,
            )
          : h.s(`${d.authorName} wrote on a claim you serve:`, `${d.authorName} 在贵方负责的申请中写道：`)
    return {
      subject: asked
        ? h.s(
            `Information requested on claim ${d.claimNumber} (${unitIn(d, h)})`,
            `申请 ${d.claimNumber} 需要客户补充信息（${unitIn(d, h)}）`,
          )
        : h.s(
            `New message on claim ${d.claimNumber} (${unitIn(d, h)})`,
            `申请 ${d.claimNumber} 有新消息（${unitIn(d, h)}）`,
          ),
      blocks: [
        h.greeting(d.recipientName),
        { kind: 'p', text: wrote },
        { kind: 'p', text: d.excerpt },
        claimUnitFacts(d, h),
        {
          kind: 'p',
          text: asked
            ? h.s(
                "The claim waits for the customer's answer; you will be told when it comes.",
                '该申请正在等待客户答复，收到答复后会通知贵方。',
              )
            : h.s(
                'Please read the conversation and answer on the claim page.',
                '请在申请页面查看对话并答复。',
              ),
        },
        ...h.claimLink(OPEN_CLAIM),
        h.signature,
      ],
    }
  },
  'dealer.claim-decided': (d, h) => {
    const explanation = d.explanation === undefined ? undefined : explanationIn(d.explanation, h)
    const next = d.covered
      ? h.s(
          'Please carry out what the decision offers and record each step on the claim page. The customer has been told of the decision.',
          '请按决定提供相应服务，并在申请页面登记每一步。客户已收到该决定的通知。',
        )
      : d.remedies.includes('paid-repair')
        ? h.s(
            'The customer may still have it repaired for a fee: send a cost estimate from the claim page, and do no paid work until the customer accepts it. The customer has been told of the decision.',
            '客户仍可选择付费维修：请在申请页面发送报价，客户接受之前不要进行任何付费维修。客户已收到该决定的通知。',
          )
        : h.s(
            'Nothing is done under the warranty: please open the claim to settle what remains, such as returning the unit to the customer. The customer has been told of the decision.',
            '本次不提供保修服务：请打开申请处理后续事项，例如将设备寄回客户。客户已收到该决定的通知。',
          )
    return {
      subject: d.handedOver
        ? h.s(
            `Claim ${d.claimNumber} handed to you to serve: ${unitIn(d, h)}`,
            `申请 ${d.claimNumber} 已转交贵方处理：${unitIn(d, h)}`,
          )
        : h.s(
            `Final decision on claim ${d.claimNumber}: ${unitIn(d, h)}`,
            `申请 ${d.claimNumber} 已作出最终决定：${unitIn(d, h)}`,
          ),
      blocks: [
        h.greeting(d.recipientName),
        {
          kind: 'p',
          text: d.handedOver
            ? h.s(
                'The final decision on this claim, on a unit your organisation sold, has you, the dealer, serve it; the decision before it named another handler. The claim is now yours to carry out.',
                '贵方售出设备的这项申请已作出最终决定，由贵方（经销商）提供服务；此前的决定指定的是其他处理方。该申请现由贵方负责执行。',
              )
            : h.s('The final decision was made on a claim you serve.', '贵方负责的申请已作出最终决定。'),
        },
        {
          kind: 'p',
          text: d.covered
            ? h.s('It is covered by the warranty.', '该申请属于保修范围。')
            : h.s('It is not covered by the warranty.', '该申请不属于保修范围。'),
        },
        ...(explanation ? [{ kind: 'p', text: explanation } as Block] : []),
        claimUnitFacts(d, h, {
          last: [
            [
              h.s('Remedies offered', '提供的解决方式'),
              d.remedies.length > 0 ? h.list(d.remedies.map((r) => h.word('remedy', r))) : h.s('none', '无'),
            ],
            ...d.payers.map(
              ({ cost, payer }) =>
                [
                  h.s(`${capitalised(h.word('cost', cost))} paid by`, `${h.word('cost', cost)}承担方`),
                  h.word('payer', payer),
                ] as [string, string],
            ),
          ],
        }),
        { kind: 'p', text: next },
        ...h.claimLink(OPEN_CLAIM),
        h.signature,
      ],
    }
  },
  'dealer.claim-handed-back': (d, h) => ({
    subject: h.s(
      `Claim ${d.claimNumber} is no longer yours to serve: ${unitIn(d, h)}`,
      `申请 ${d.claimNumber} 已不再由贵方处理：${unitIn(d, h)}`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          `The final decision on this claim has the ${h.word('payer', d.handler)} serve it instead of you, the dealer, whom the decision before it named.`,
          `该申请已作出最终决定，改由${h.word('payer', d.handler)}提供服务，不再由此前决定指定的贵方（经销商）负责。`,
        ),
      },
      claimUnitFacts(d, h),
      {
        kind: 'p',
        text: h.s(
          'You need take no further steps on it unless the service team asks you to on the claim page. You can still read the claim.',
          '除非售后团队在申请页面上另有要求，贵方无需再做任何处理。贵方仍可查看该申请。',
        ),
      },
      ...h.claimLink(OPEN_CLAIM),
      h.signature,
    ],
  }),
  'dealer.claim-moved': (d, h) => ({
    subject: h.s(
      `Claim ${d.claimNumber} moved to you: ${unitIn(d, h)}`,
      `申请 ${d.claimNumber} 已转给贵方：${unitIn(d, h)}`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          "The seller's sales records now name your organisation as the seller of this unit, so its open claim is now with you.",
          '卖家的销售记录现显示该设备由贵方售出，因此其未结申请现转至贵方。',
        ),
      },
      claimUnitFacts(d, h),
      {
        kind: 'p',
        text: d.serves
          ? h.s(
              'The decision in force has you, the dealer, serve it: please open the claim and carry out what it asks.',
              '现行决定由贵方（经销商）提供服务：请打开申请并按要求处理。',
            )
          : h.s(
              'The seller or the maker serves it for now; you can read the claim and follow it.',
              '目前由卖家或制造商提供服务；贵方可以查看并跟进该申请。',
            ),
      },
      ...h.claimLink(OPEN_CLAIM),
      h.signature,
    ],
  }),
  'sla.warning': (d, h) => {
    const [en, zh] = SLA_CLOCK_LABELS[d.clock]
    return {
      subject: h.s(`Due soon: ${en} for claim ${d.claimNumber}`, `即将超时：申请 ${d.claimNumber} 的${zh}`),
      blocks: [
        {
          kind: 'p',
          text: h.s(
            `The ${en} deadline of claim ${d.claimNumber} is ${h.date(d.dueAt)}.`,
            `申请 ${d.claimNumber} 的${zh}时限为${h.date(d.dueAt)}。`,
          ),
        },
        ...h.claimLink(VIEW_CLAIM),
      ],
    }
  },
  'sla.breached': (d, h) => {
    const [en, zh] = SLA_CLOCK_LABELS[d.clock]
    return {
      subject: h.s(`Overdue: ${en} for claim ${d.claimNumber}`, `已超时：申请 ${d.claimNumber} 的${zh}`),
      blocks: [
        {
          kind: 'p',
          text: h.s(
            `The ${en} deadline of claim ${d.claimNumber} passed at ${h.date(d.dueAt)}.`,
            `申请 ${d.claimNumber} 的${zh}时限已于${h.date(d.dueAt)}到期。`,
          ),
        },
        ...h.claimLink(VIEW_CLAIM),
      ],
    }
  },
  'reliability.warning': (d, h) => {
    const what =
      d.scope === 'batch'
        ? h.s(`batch ${d.batch ?? ''} of ${d.modelName}`, `${d.modelName} 批次 ${d.batch ?? ''}`)
        : d.modelName
    const level = d.level === 'critical' ? h.s('Critical', '严重') : h.s('Caution', '注意')
    const month = humanMonth(d.month, h.locale)
    return {
      subject: h.s(
        `${level}: more failure claims than expected on ${what} (${month})`,
        `${level}：${what} 故障申请多于预期（${month}）`,
      ),
      blocks: [
        {
          kind: 'p',
          text: h.s(
            `The monthly reliability check found more claims with a confirmed fault on ${what} than its reference curve expects.`,
            `月度可靠性检查发现 ${what} 的确认故障申请多于参考曲线的预期。`,
          ),
        },
        {
          kind: 'facts',
          rows: [
            [h.s('Level', '级别'), level],
            [h.s('Month', '月份'), month],
            [h.s('Observed', '实际'), String(d.observed)],
            [h.s('Expected', '预期'), d.expected.toFixed(1)],
            [h.s('p-value', 'p 值'), d.pValue < 0.0001 ? '< 0.0001' : d.pValue.toFixed(4)],
            [h.s('Reference', '参考'), referenceIn(h.locale, d.reference)],
          ],
        },
        {
          kind: 'link',
          label: h.s('Open the reliability page', '打开可靠性页面'),
          url: h.url(pages.reliability(d.modelId, d.scope === 'batch' ? d.batch : undefined)),
        },
        h.signature,
      ],
    }
  },
  'recovery.submitted': (d, h) => {
    const month = humanMonth(d.period, h.locale)
    const amount = h.money(d.claimedMinor, d.currency)
    return {
      subject: h.s(
        `Recovery claim from ${d.creditorName}: ${amount} for ${month}`,
        `${d.creditorName} 的追偿单：${month}，${amount}`,
      ),
      blocks: [
        h.greeting(d.recipientName),
        {
          kind: 'p',
          text: h.s(
            `${d.creditorName} asks ${d.debtorName} to reimburse the service work of ${month}. Please accept it, accept it line by line or reject it on its page.`,
            `${d.creditorName} 请 ${d.debtorName} 报销${month}的售后服务费用。请在追偿单页面全部认可、逐项认可或拒绝。`,
          ),
        },
        {
          kind: 'facts',
          rows: [
            [h.s('Claimed', '索赔金额'), amount],
            [h.s('Lines', '明细'), String(d.lineCount)],
            ...(d.late ? [[h.s('Submitted', '提交'), h.s('late', '逾期')] as [string, string]] : []),
          ],
        },
        {
          kind: 'link',
          label: h.s('Open the recovery claim', '打开追偿单'),
          url: h.url(pages.recovery(d.recoveryId)),
        },
        h.signature,
      ],
    }
  },
  'recovery.answered': (d, h) => {
    const month = humanMonth(d.period, h.locale)
    const claimed = h.money(d.claimedMinor, d.currency)
    const accepted = h.money(d.acceptedMinor, d.currency)
    const answer = {
      accepted: h.s(
        `accepted your recovery claim of ${claimed} for ${month}`,
        `认可了您${month}的追偿单（${claimed}）`,
      ),
      'partly-accepted': h.s(
        `accepted ${accepted} of your recovery claim of ${claimed} for ${month}`,
        `部分认可了您${month}的追偿单：认可 ${accepted}，索赔 ${claimed}`,
      ),
      rejected: h.s(
        `rejected your recovery claim of ${claimed} for ${month}`,
        `拒绝了您${month}的追偿单（${claimed}）`,
      ),
    }[d.answer]
    const reasons = d.reasonCodes.map((code) => recoveryReasonIn(h, code))
    return {
      subject: h.s(`${d.debtorName} ${answer}`, `${d.debtorName} ${answer}`),
      blocks: [
        h.greeting(d.recipientName),
        {
          kind: 'p',
          text: h.s(
            `${d.debtorName} ${answer}. The recovery claim's page shows its answer line by line.`,
            `${d.debtorName} ${answer}。追偿单页面逐项列出其答复。`,
          ),
        },
        {
          kind: 'facts',
          rows: [
            [h.s('Claimed', '索赔金额'), claimed],
            [h.s('Accepted', '认可金额'), accepted],
            ...(reasons.length > 0 ? [[h.s('Reason', '原因'), h.list(reasons)] as [string, string]] : []),
          ],
        },
        {
          kind: 'link',
          label: h.s('Open the recovery claim', '打开追偿单'),
          url: h.url(pages.recovery(d.recoveryId)),
        },
        h.signature,
      ],
    }
  },
  'recovery.paid': (d, h) => {
    const month = humanMonth(d.period, h.locale)
    const amount = h.money(d.amountMinor, d.currency)
    return {
      subject: h.s(
        `${d.debtorName} paid ${amount} of your recovery claim for ${month}`,
        `${d.debtorName} 已支付您${month}的追偿单 ${amount}`,
      ),
      blocks: [
        h.greeting(d.recipientName),
        {
          kind: 'p',
          text: h.s(
            `${d.debtorName} recorded the payment of your recovery claim for ${month}.`,
            `${d.debtorName} 已登记您${month}追偿单的付款。`,
          ),
        },
        {
          kind: 'facts',
          rows: [
            [h.s('Paid', '付款金额'), amount],
            [h.s('Paid on', '付款日期'), h.date(d.paidOn)],
            [h.s('Reference', '付款参考'), d.reference],
          ],
        },
        {
          kind: 'link',
          label: h.s('Open the recovery claim', '打开追偿单'),
          url: h.url(pages.recovery(d.recoveryId)),
        },
        h.signature,
      ],
    }
  },
  'auth.sign-in-link': (d, h) => ({
    subject: h.s('Your Aftercare sign-in link', '您的 Aftercare 登录链接'),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          `Use this link to sign in. It works once and for ${d.validMinutes} minutes.`,
          `请使用以下链接登录。该链接仅可使用一次，${d.validMinutes} 分钟内有效。`,
        ),
      },
      { kind: 'link', label: h.s('Sign in', '登录'), url: h.url(d.link) },
      {
        kind: 'p',
        text: h.s('If you did not ask for it, ignore this e-mail.', '如果不是您本人操作，请忽略此邮件。'),
      },
    ],
  }),
  'unit.offered': (d, h) => ({
    subject: h.s(
      `${d.sellerName} registered ${withArticle(d.model)} to you`,
      `${d.sellerName} 为您登记了一台 ${d.model}`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          `${d.sellerName} recorded the sale of ${withArticle(d.model)} (serial ${d.serial}) to this e-mail address. Sign in to add it to your units, so its warranty and service follow you; if you did not buy it, decline it there.`,
          `${d.sellerName} 记录了一台 ${d.model}（序列号 ${d.serial}）售予此电子邮件地址。请登录将其加入您的设备，以便享受保修与服务；如果您没有购买，请在那里拒绝。`,
        ),
      },
      { kind: 'link', label: h.s('Sign in to accept or decline', '登录以接受或拒绝'), url: h.url(d.link) },
    ],
  }),
  'unit.offer-withdrawn': (d, h) => ({
    subject: h.s(
      `The ${d.model} (serial ${d.serial}) offered to you can no longer be accepted`,
      `向您提供的 ${d.model}（序列号 ${d.serial}）已无法接受`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text:
          d.offerKind === 'second-hand'
            ? h.s(
                `On ${h.date(d.offeredOn)}, ${d.offeredBy} offered to pass on ${withArticle(d.model)} (serial ${d.serial}) to you.`,
                `${d.offeredBy} 于${h.date(d.offeredOn)}向您转让一台 ${d.model}（序列号 ${d.serial}）。`,
              )
            : h.s(
                `On ${h.date(d.offeredOn)}, ${d.offeredBy} recorded the sale of ${withArticle(d.model)} (serial ${d.serial}) to you.`,
                `${d.offeredBy} 于${h.date(d.offeredOn)}登记了一台 ${d.model}（序列号 ${d.serial}）售予您。`,
              ),
      },
      {
        kind: 'p',
        text:
          d.reason === 'withdrawn'
            ? h.s(
                'That offer has been withdrawn, so it can no longer be accepted.',
                d.offerKind === 'second-hand'
                  ? '该转让已撤回，因此无法再接受。'
                  : '该登记已撤回，因此无法再接受。',
              )
            : h.s(
                `That offer is withdrawn: ${d.sellerName} has recorded a change of owner for this unit, so it can no longer be accepted.`,
                `${d.offerKind === 'second-hand' ? '该转让' : '该登记'}已撤回：${d.sellerName} 已登记该设备的所有者变更，因此无法再接受。`,
              ),
      },
      {
        kind: 'p',
        text: h.s(
          `You need do nothing. If you did buy this unit, please contact ${d.sellerName}.`,
          `您无需进行任何操作。如果您确实购买了这台设备，请联系 ${d.sellerName}。`,
        ),
      },
      h.signature,
    ],
  }),
  'unit.transferred-away': (d, h) => ({
    subject: h.s(
      `The ${d.model} (serial ${d.serial}) is no longer registered to you`,
      `${d.model}（序列号 ${d.serial}）已不再登记在您名下`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text:
          d.reason === 'owner-cleared'
            ? h.s(
                `${d.sellerName} has recorded that ${withArticle(d.model)} (serial ${d.serial}), registered to you until now, is no longer registered to you from ${h.date(d.transferredOn)}. Its warranty and service follow the unit, so it is no longer among your units.`,
                `${d.sellerName} 已登记：原在您名下的一台 ${d.model}（序列号 ${d.serial}）自${h.date(d.transferredOn)}起不再登记在您名下。保修与服务随设备，因此它已不在您的设备中。`,
              )
            : h.s(
                `${d.sellerName} has recorded that ${withArticle(d.model)} (serial ${d.serial}), registered to you until now, passed to a new owner on ${h.date(d.transferredOn)}. Its warranty and service follow the unit, so it is no longer among your units.`,
                `${d.sellerName} 已登记：原在您名下的一台 ${d.model}（序列号 ${d.serial}）已于${h.date(d.transferredOn)}转给新的所有者。保修与服务随设备转移，因此它已不在您的设备中。`,
              ),
      },
      {
        kind: 'p',
        text: h.s(
          `If you did not sell or give away this unit, please contact ${d.sellerName} at once.`,
          `如果您并未出售或转让这台设备，请立即联系 ${d.sellerName}。`,
        ),
      },
      h.signature,
    ],
  }),
  'unit.transferred': (d, h) => ({
    subject: h.s(
      `The ${d.model} (serial ${d.serial}) is now registered to you`,
      `${d.model}（序列号 ${d.serial}）已登记在您名下`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          `${d.sellerName} has recorded you as the owner of ${withArticle(d.model)} (serial ${d.serial}) from ${h.date(d.transferredOn)}, bought second hand. Its warranty and service follow the unit as its warranty policy says.`,
          `${d.sellerName} 已登记您自${h.date(d.transferredOn)}起为一台 ${d.model}（序列号 ${d.serial}）的所有者（二手购入）。保修与服务按保修政策随设备转移。`,
        ),
      },
      {
        kind: 'p',
        text: h.s(
          `Sign in to see it among your units and to ask for service. If you did not take this unit over, please contact ${d.sellerName}.`,
          `请登录在您的设备中查看，并可申请售后服务。如果您并未接手这台设备，请联系 ${d.sellerName}。`,
        ),
      },
      { kind: 'link', label: h.s('Sign in to see your units', '登录查看您的设备'), url: h.url(d.link) },
      h.signature,
    ],
  }),
  'unit.proof-accepted': (d, h) => ({
    subject: h.s(
      `Your proof of purchase for the ${d.model} (serial ${d.serial}) is accepted`,
      `您为 ${d.model}（序列号 ${d.serial}）提交的购买凭证已被认可`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          'We checked the proof of purchase you sent when you registered this unit and found it valid. It is now kept with your unit, and its warranty counts the purchase as proven.',
          '我们已核对您登记此设备时提交的购买凭证，确认有效，并已将其与您的设备一并存档；保修将以此确认您的购买。',
        ),
      },
      { kind: 'link', label: h.s('Sign in to see your units', '登录查看您的设备'), url: h.url(d.link) },
      h.signature,
    ],
  }),
  'unit.proof-refused': (d, h) => ({
    subject: h.s(
      `We could not accept your proof of purchase for the ${d.model} (serial ${d.serial})`,
      `${d.model}（序列号 ${d.serial}）的购买凭证未能通过审核`,
    ),
    blocks: [
      h.greeting(d.recipientName),
      {
        kind: 'p',
        text: h.s(
          'We checked the proof of purchase you sent when you registered this unit and could not accept it, for this reason:',
          '我们已核对您登记此设备时提交的购买凭证，但未能认可，原因如下：',
        ),
      },
      { kind: 'p', text: d.reason },
      {
        kind: 'p',
        text: h.s(
          'The unit stays registered to you, but without a valid proof of purchase its warranty cannot count the purchase as proven. You can send another invoice or receipt with your next claim.',
          '设备仍登记在您名下，但没有有效的购买凭证，保修无法确认您的购买。您可以在下次申请售后时重新上传发票或收据。',
        ),
      },
      { kind: 'link', label: h.s('Sign in to see your units', '登录查看您的设备'), url: h.url(d.link) },
      h.signature,
    ],
  }),
}

function makeHelpers(locale: EmailLocale, ctx: RenderContext, timeZone: string | undefined): Helpers {
  const s = (en: string, zh: string) => (locale === 'zh' ? zh : en)
  const base = ctx.publicUrl.replace(/\/+$/, '')
  const url = (value: string) => (value.startsWith('/') ? `${base}${value}` : value)
  const intlLocale = locale === 'zh' ? 'zh-CN' : 'en-GB'
  return {
    s,
    url,
    claimLink: ([en, zh], section) =>
      ctx.claimId
        ? [{ kind: 'link', label: s(en, zh), url: absolutePageUrl(base, pages.claim(ctx.claimId, section)) }]
        : [],
    claimDocument: ([en, zh], path) =>
      ctx.claimId ? [{ kind: 'link', label: s(en, zh), url: absolutePageUrl(base, path(ctx.claimId)) }] : [],
    locale,
    greeting: (name) => ({
      kind: 'p',
      text: name ? s(`Dear ${name},`, `${name}，您好：`) : s('Hello,', '您好：'),
    }),
    money: (amountMinor, currency) => formatMinorIn(intlLocale, amountMinor, currency),
    // The data was only checked to start with a date; a value that is neither a day nor an
    // instant is shown as it stands rather than keeping the message from being sent.
    date: (value) =>
      isCalendarDate(value)
        ? humanDate(value, locale)
        : isIsoInstant(value)
          ? humanTimestamp(value, locale, timeZone)
          : value,
    signature: { kind: 'p', text: s('Your after-sales service team', '售后服务团队') },
    word: (vocabulary, value) => wordOf(locale, vocabulary, value),
    list: (items) => items.join(locale === 'zh' ? '、' : ', '),
  }
}

/**
 * Renders a template in English or Chinese. The data is parsed again with the template's
 * schema (it was checked at enqueue time; this keeps the renderer safe on its own).
 * Throws on an unknown template or invalid data.
 */
export function renderEmail(
  template: string,
  locale: EmailLocale,
  data: unknown,
  ctx: RenderContext,
): RenderedEmail {
  if (!isEmailTemplateId(template)) throw new Error(`Unknown e-mail template "${template}"`)
  const parsed = emailTemplateData[template].parse(data)
  const render = templates[template] as Template<EmailTemplateId>
  const timeZone = 'timeZone' in parsed ? parsed.timeZone : undefined
  const content = render(parsed as EmailTemplateData<EmailTemplateId>, makeHelpers(locale, ctx, timeZone))
  if (ctx.unsubscribeUrl)
    content.blocks.push(
      {
        kind: 'p',
        text:
          locale === 'zh'
            ? '这是一封可选的提醒邮件。如不想再收到此类邮件，可随时退订；与您的服务单有关的邮件仍会照常发送。'
            : 'This is an optional reminder. You can stop mail of this kind at any time; mail about the steps of your own claims still comes.',
      },
      {
        kind: 'link',
        label: locale === 'zh' ? '退订此类邮件' : 'Stop these e-mails',
        url: ctx.unsubscribeUrl,
      },
    )
  return renderContent(content, locale === 'zh' ? 'zh-CN' : 'en')
}

/** A word with its first letter in capitals, to open a label. */
function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}

/** A model name after the English indefinite article it takes by its first letter. */
function withArticle(model: string): string {
  return `${/^[AEIOU]/i.test(model) ? 'an' : 'a'} ${model}`
}

/**
 * The reliability check names its reference curve in English; the Chinese mail words the
 * three it uses, and both write the month a history ends at as their reader does.
 */
function referenceIn(locale: EmailLocale, reference: string): string {
  const curve = readWarningReference(reference)
  if (curve.kind === 'history')
    return locale === 'zh'
      ? `${humanMonth(curve.before, 'zh')}之前历史数据的拟合曲线`
      : `fitted curve of the history before ${humanMonth(curve.before, 'en')}`
  if (locale === 'en') return reference
  if (curve.kind === 'other-batches') return '其他批次的拟合曲线'
  if (curve.kind === 'all-data') return '全部数据的拟合曲线'
  return '拟合曲线'
}
