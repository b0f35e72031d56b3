import type { EvidenceKind, Finding } from '../../contracts/case.ts'
import type { Basis, Decision, Exclusion, Handler, Payers, Remedy, Words } from '../../contracts/decision.ts'
import { COSTS, FINDINGS, PARTIES } from '../../contracts/vocabulary.ts'
import { formatDay } from '../../shared/day-numbers.ts'
import {
  BASIS_WORDS,
  type Both,
  COST_WORDS,
  choiceOf,
  EVIDENCE_WORDS,
  FINDING_WORDS,
  HANDLER_WORDS,
  listOf,
  PAYER_WORDS,
  REMEDY_WORDS,
  SERVICE_WORDS,
} from './words.ts'

/**
 * The customer's explanation of a decision. Its words depend only on the shape of the
 * decision (covered, basis, remedies, exclusions, payers, what is missing); the dates are
 * the only facts that change from case to case. So a shape's paragraph is written once
 * into a template with date slots, and each decision fills in its dates.
 */

/** Date slots of a template, in the order `fillExplanation` receives their values. */
export const SLOT_CLAIMED = 0
export const SLOT_WARRANTY_END = 1
export const SLOT_WINDOW_END = 2
export const SLOT_OTHER_DATE = 3

/** The event a claim was dated before, for `inconsistent-dates`. */
export type EarlierEvent = 'purchase' | 'shipment' | 'delivery'

/** Remedies carried out without the unit being sent in. */
const REMOTE_REMEDIES: ReadonlySet<Remedy> = new Set<Remedy>(['software-upgrade', 'remote-fix'])

export interface ExplanationShape {
  covered: boolean
  basis: Basis
  provisional: boolean
  remedies: readonly Remedy[]
  exclusions: readonly Exclusion[]
  missingEvidence: readonly string[]
  payers: Payers
  handler: Handler
  service: Decision['service']
  hasWarranty: boolean
  /** The window that set the basis, or that was missed, has a known end. */
  windowEndKnown: boolean
  /** The warranty serves the problem, but no event its start is read from is dated. */
  warrantyUndated: boolean
  inconsistentEvent: EarlierEvent | undefined
  /** Remedies the claim's clauses would have offered that a limit ruled out, with its reason. */
  limited?: readonly LimitedRemedies[]
  /** Remedies the policy leaves the price of to the maker (free when the maker's is free). */
  pricedByMaker?: readonly Remedy[]
}

export interface LimitedRemedies {
  remedies: readonly Remedy[]
  reason: Words
}

export const NO_LIMITED: readonly LimitedRemedies[] = Object.freeze([])

/** Alternating text and slot numbers: `["Ends on ", 1, "."]`. */
export interface Template {
  en: readonly (string | number)[]
  zh: readonly (string | number)[]
  /** The one date slot the words depend on, or -1 when they depend on none or on several. */
  onlySlot: number
  /**
   * When that one date appears once in each language: the words before and after it, and
   * each decision joins its date in between (four strings). Joining costs less than finding
   * words kept per day: with thousands of days and templates, that look-up mostly missed the
   * CPU's caches (bench `bench:decide`, in one process against the kept words: 1.4 to 4.7
   * points less of the engine's rate).
   */
  around: { enBefore: string; enAfter: string; zhBefore: string; zhAfter: string } | undefined
  /** The words themselves, frozen and shared, when they depend on no date. */
  filled: Words | undefined
}

const MARK = '\u0000'
const slot = (n: number): string => `${MARK}${n}${MARK}`
const C = slot(SLOT_CLAIMED)
const E = slot(SLOT_WARRANTY_END)
const W = slot(SLOT_WINDOW_END)
const D = slot(SLOT_OTHER_DATE)

const EARLIER_WORDS: Record<EarlierEvent, Both> = {
  purchase: { en: 'was bought', zh: '购买日期' },
  shipment: { en: 'was shipped', zh: '发货日期' },
  delivery: { en: 'was delivered', zh: '签收日期' },
}

/** The price of a remedy the maker prices: free where the maker's own is free. */
const MAKER_PRICE: Both = {
  en: 'It is free of charge where the manufacturer offers it free, and charged as the manufacturer prices it otherwise.',
  zh: '厂商免费提供的，免费为您提供；否则按厂商的收费标准收费。',
}
const MAKER_PRICE_WORDS: Partial<Record<Remedy, Both>> = {
  'software-upgrade': {
    en: 'Free software is upgraded free of charge; software that is not free is upgraded for a fee, as its manufacturer prices the upgrade.',
    zh: '免费软件免费升级；收费软件按厂商的升级政策收费升级。',
  },
}

const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

/** Why an exclusion stops free service, as a clause of a sentence. */
function reasonOf(code: string, shape: ExplanationShape): Both {
  switch (code) {
    case 'expired':
      return shape.hasWarranty
        ? {
            en: `the warranty ended on ${E}, before you contacted us`,
            zh: `保修期已于 ${E} 结束，早于您联系我们的日期`,
          }
        : { en: 'the warranty has ended', zh: '保修期已结束' }
    case 'window-missed':
      return shape.windowEndKnown
        ? {
            en: `the time allowed for this kind of claim ended on ${W}, before you contacted us`,
            zh: `此类申请的期限已于 ${W} 截止，早于您联系我们的日期`,
          }
        : {
            en: 'the date the time allowed for this kind of claim counts from is not known',
            zh: '无法确定此类申请期限的起算日期',
          }
    case 'inconsistent-dates': {
      const event = EARLIER_WORDS[shape.inconsistentEvent ?? 'purchase']
      return {
        en: `you contacted us on ${C}, before the unit ${event.en} on ${D}; please check the dates`,
        zh: `您联系我们的日期 ${C} 早于${event.zh} ${D}，请核对日期`,
      }
    }
    case 'not-served':
      if (shape.warrantyUndated)
        return {
          en: 'we do not know when you bought or received the unit, which the warranty counts from; please tell us',
          zh: '我们无法确定您购买或收到产品的日期，而保修期自该日期起算，请告知我们',
        }
      return {
        en: 'this policy offers no free service for this kind of problem or part',
        zh: '本政策对此类问题或部件不提供免费服务',
      }
    case 'out-of-scope':
      return { en: 'this part is outside what the service covers', zh: '该部件不在服务范围内' }
    case 'no-proof-of-purchase':
      return { en: 'no valid invoice or receipt can be shown', zh: '无法出示有效的购买凭证' }
    case 'no-warranty-card':
      return { en: 'the warranty certificate cannot be shown', zh: '无法出示保修卡' }
    case 'second-hand':
      return { en: 'the unit was bought used, not new from the seller', zh: '产品为二手购入' }
    case 'no-fault-found':
      return { en: 'our inspection found no fault', zh: '检测未发现故障' }
    case 'not-manufacturing-defect':
      return {
        en: 'our inspection found that the fault does not come from design, production or quality',
        zh: '检测认定故障并非由产品设计、生产或质量问题造成',
      }
    case 'incomplete-return':
      return { en: 'original accessories or packaging are missing', zh: '原装配件或包装缺失' }
    default: {
      const finding = FINDING_WORDS[code as Finding]
      if (finding !== undefined)
        return { en: `our inspection found ${finding.en}`, zh: `检测发现${finding.zh}` }
      return { en: 'a condition of the policy is not met', zh: '不符合政策条件' }
    }
  }
}

/** The reasons of a list of exclusions, each said once, findings together. */
function reasonsOf(exclusions: readonly Exclusion[], shape: ExplanationShape): Both[] {
  const found: Both[] = []
  const reasons: Both[] = []
  const seen = new Set<string>()
  for (const exclusion of exclusions) {
    if (seen.has(exclusion.code)) continue
    seen.add(exclusion.code)
    const finding = FINDING_WORDS[exclusion.code as Finding]
    if (finding !== undefined && (FINDINGS as readonly string[]).includes(exclusion.code)) found.push(finding)
    else reasons.push(reasonOf(exclusion.code, shape))
  }
  if (found.length > 0) {
    const all = listOf(found)
    reasons.push({ en: `our inspection found ${all.en}`, zh: `检测发现${all.zh}` })
  }
  return reasons
}

/** Why a covered claim is served; an upgrade under the warranty mends no fault. */
function whyCovered(shape: ExplanationShape, basis: Exclude<Basis, 'none'>): Both {
  if (shape.remedies[0] === 'software-upgrade') {
    if (basis === 'warranty') return { en: 'the unit is within its warranty', zh: '产品在保修期内' }
    if (basis === 'extended-warranty')
      return { en: 'the unit is within its extended warranty', zh: '产品在延长保修期内' }
  }
  return BASIS_WORDS[basis]
}

function timingOf(shape: ExplanationShape): Both {
  if (shape.basis === 'warranty' || shape.basis === 'extended-warranty') {
    return shape.hasWarranty ? { en: `, which runs until ${E}`, zh: `（保修期至 ${E}）` } : { en: '', zh: '' }
  }
  return shape.windowEndKnown
    ? {
        en: `, and you contacted us within the time allowed, which ran to ${W}`,
        zh: `，且您在截至 ${W} 的期限内联系了我们`,
      }
    : { en: '', zh: '' }
}

function payersSentences(payers: Payers): Both[] {
  const sentences: Both[] = []
  for (const party of PARTIES) {
    const costs = COSTS.filter((cost) => payers[cost] === party).map((cost) => COST_WORDS[cost])
    if (costs.length === 0) continue
    const list = listOf(costs)
    sentences.push({ en: `${PAYER_WORDS[party].en} ${list.en}.`, zh: `${list.zh}${PAYER_WORDS[party].zh}。` })
  }
  return sentences
}

/**
 * A covered repair whose inspection found damage that did not cause the fault (a scratch
 * beside a failed sensor): a causal exclusion refuses only what its finding caused, so the
 * repair stays free, but the damage set aside is no part of it and the customer is told so.
 */
export function withSetAside(explanation: Words, findings: readonly Finding[]): Words {
  const found = listOf(findings.map((finding) => FINDING_WORDS[finding]))
  return {
    en: `${explanation.en} Our inspection also found ${found.en}, which did not cause the fault: the repair of the fault is covered, but that damage itself is not repaired free of charge.`,
    zh: `${explanation.zh}检测还发现${found.zh}，但这并非故障的原因：故障的维修在保修范围内，该损坏本身则不予免费修复。`,
  }
}

/** Events a warranty start before the purchase is read from. */
export type EarlyStartEvent = 'shipment' | 'delivery' | 'activation'
const ACTIVATED_WORDS: Both = { en: 'was activated', zh: '激活日期' }

/**
 * A warranty counted from a day before the purchase (a delivery dated before it, or a
 * shipment standing in for a missing delivery): the decision stands on the dates given, and
 * the customer is asked to check them.
 */
export function withEarlyStart(
  explanation: Words,
  event: EarlyStartEvent,
  startsOn: string,
  purchasedOn: string,
): Words {
  const words = event === 'activation' ? ACTIVATED_WORDS : EARLIER_WORDS[event]
  return {
    en: `${explanation.en} Please check the dates: the unit ${words.en} before it was bought on ${purchasedOn}, so the warranty counted from then starts on ${startsOn}, before the purchase.`,
    zh: `${explanation.zh}请核对日期：${words.zh}早于购买日期 ${purchasedOn}，据此起算的保修期始于 ${startsOn}，早于购买之日。`,
  }
}

/** The paragraph of a decision shape, with date slots. */
export function writeExplanation(shape: ExplanationShape): Template {
  const en: string[] = []
  const zh: string[] = []
  const say = (words: Both): void => {
    en.push(words.en)
    zh.push(words.zh)
  }
  const remedies = shape.remedies.map((remedy) => REMEDY_WORDS[remedy])
  const partial = shape.exclusions.filter((exclusion) => exclusion.blocks !== undefined)
  if (shape.covered && shape.basis !== 'none') {
    const why = whyCovered(shape, shape.basis)
    const timing = timingOf(shape)
    const first = remedies[0]!
    if (shape.pricedByMaker?.includes(shape.remedies[0]!)) {
      say({
        en: `Your claim is accepted: we offer ${first.en} because ${why.en}${timing.en}.`,
        zh: `您的申请已受理：由于${why.zh}${timing.zh}，我们为您提供${first.zh}。`,
      })
      say(MAKER_PRICE_WORDS[shape.remedies[0]!] ?? MAKER_PRICE)
    } else
      say({
        en: `Your claim is accepted: we offer ${first.en} free of charge because ${why.en}${timing.en}.`,
        zh: `您的申请已受理：由于${why.zh}${timing.zh}，我们免费为您提供${first.zh}。`,
      })
    if (remedies.length > 1) {
      const others = choiceOf(remedies.slice(1))
      say({ en: `You may choose ${others.en} instead.`, zh: `您也可以选择${others.zh}。` })
    }
    for (const reason of reasonsOf(partial, shape)) {
      const blocked = choiceOf(
        [...new Set(partial.flatMap((exclusion) => exclusion.blocks ?? []))].map(
          (remedy) => REMEDY_WORDS[remedy as Remedy] ?? { en: remedy, zh: remedy },
        ),
      )
      say({
        en: `${capital(blocked.en)} is not possible because ${reason.en}.`,
        zh: `由于${reason.zh}，无法提供${blocked.zh}。`,
      })
    }
    for (const { remedies: dropped, reason } of shape.limited ?? NO_LIMITED) {
      const blocked = choiceOf(dropped.map((remedy) => REMEDY_WORDS[remedy]))
      say({
        en: `${capital(blocked.en)} is not possible because ${reason.en}.`,
        zh: `由于${reason.zh}，无法提供${blocked.zh}。`,
      })
    }
  } else if (remedies.length > 0 && !shape.remedies.includes('paid-repair')) {
    // What is still offered does not depend on the refused service (ToupTek's download, the
    // retailer's help by customer service), so the refusal is not put as one of charge: "not
    // covered free of charge ... We can offer a software upgrade" read as an upgrade at a price.
    const reasons = reasonsOf(shape.exclusions, shape)
    say({
      en: `${capital(reasons.map((r) => r.en).join('; '))}.`,
      zh: `${reasons.map((r) => r.zh).join('；')}。`,
    })
    const offered = choiceOf(remedies)
    say({ en: `We can still offer you ${offered.en}.`, zh: `我们仍可为您提供${offered.zh}。` })
  } else {
    const reasons = reasonsOf(shape.exclusions, shape)
    say({
      en: `This claim is not covered free of charge: ${reasons.map((r) => r.en).join('; ')}.`,
      zh: `此申请不在免费服务范围内：${reasons.map((r) => r.zh).join('；')}。`,
    })
    if (remedies.length > 0) {
      const offered = choiceOf(remedies)
      say({ en: `We can offer ${offered.en}.`, zh: `我们可以为您提供${offered.zh}。` })
    } else {
      say({
        en: 'No service is offered for it under this policy; please contact us if a fact above is wrong.',
        zh: '本政策对此不提供服务；如以上信息有误，请联系我们。',
      })
    }
  }
  if (shape.remedies.length > 0) for (const sentence of payersSentences(shape.payers)) say(sentence)
  if (shape.handler !== 'vendor' && shape.remedies.length > 0) {
    const handler = HANDLER_WORDS[shape.handler]
    say({ en: `${capital(handler.en)} will carry out the service.`, zh: `将由${handler.zh}为您提供服务。` })
  }
  if (shape.service !== undefined && shape.remedies.length > 0) say(SERVICE_WORDS[shape.service])
  // A decision is made as if what is missing will come, so a refusal that offers nothing is
  // not changed by it: asking for it there reads as if it could be.
  if (shape.missingEvidence.length > 0 && shape.remedies.length > 0) {
    const items = listOf(shape.missingEvidence.map((item) => EVIDENCE_WORDS[item as EvidenceKind]))
    say({ en: `Please still send ${items.en}.`, zh: `请补充提供${items.zh}。` })
  }
  if (shape.provisional) {
    // A fix made from afar (an upgrade, a remote fix) sends no unit in, so none is inspected.
    const unitComesIn =
      shape.remedies.length === 0 || shape.remedies.some((remedy) => !REMOTE_REMEDIES.has(remedy))
    say(
      unitComesIn
        ? {
            en: 'This is a first assessment; it becomes final once the unit has been inspected.',
            zh: '这是初步判定，产品检测后将作最终确认。',
          }
        : {
            en: 'This is a first assessment; it becomes final once our service team has confirmed it.',
            zh: '这是初步判定，经售后人员确认后将作最终确认。',
          },
    )
  }
  const template: Template = {
    en: splitSlots(en.join(' ')),
    zh: splitSlots(zh.join('')),
    onlySlot: -1,
    around: undefined,
    filled: undefined,
  }
  const slots = new Set(template.en.filter((part) => typeof part === 'number'))
  if (slots.size === 0) template.filled = Object.freeze(fillExplanation(template, []))
  else if (slots.size === 1) {
    template.onlySlot = [...slots][0]!
    template.around = aroundSlot(template)
  }
  return template
}

/** The words around a template's one date, when it appears once in each language. */
export function aroundSlot(template: Pick<Template, 'en' | 'zh'>): Template['around'] {
  const en = splitAtSlot(template.en)
  const zh = splitAtSlot(template.zh)
  if (en === undefined || zh === undefined) return undefined
  return { enBefore: en[0], enAfter: en[1], zhBefore: zh[0], zhAfter: zh[1] }
}

/** The text before and after the one slot among `parts`; undefined unless there is exactly one. */
function splitAtSlot(parts: readonly (string | number)[]): [string, string] | undefined {
  const at = parts.findIndex((part) => typeof part === 'number')
  if (at < 0 || parts.findIndex((part, index) => index > at && typeof part === 'number') >= 0)
    return undefined
  return [parts.slice(0, at).join(''), parts.slice(at + 1).join('')]
}

/** `"a \0 1 \0 b"` → `["a ", 1, " b"]`. */
function splitSlots(text: string): (string | number)[] {
  const parts = text.split(MARK)
  return parts.map((part, index) => (index % 2 === 1 ? Number(part) : part)).filter((part) => part !== '')
}

/** A template with its slots filled from `values` (indexed by slot number). */
export function fillTemplate(parts: readonly (string | number)[], values: readonly string[]): string {
  let text = ''
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!
    text += typeof part === 'number' ? values[part]! : part
  }
  return text
}

export function fillExplanation(template: Template, values: readonly string[]): Words {
  return { en: fillTemplate(template.en, values), zh: fillTemplate(template.zh, values) }
}

/**
 * The explanation of a decision whose words depend on several dates (or say their one date
 * more than once, which no decision's words do), from its template and its dates as day
 * numbers (NaN where a date is unknown), indexed by slot: written for the decision alone.
 */
export function writtenExplanation(template: Template, days: ArrayLike<number>): Words {
  return fillExplanation(template, slotTexts(days))
}

/**
 * The slots' dates as the words print them: ISO dates, empty where unknown. Written into
 * one scratch array: the texts live only until the template is filled. A loop, not
 * `Array.from(days, …)`, which walks a typed array through its iterator.
 */
function slotTexts(days: ArrayLike<number>): string[] {
  for (let i = 0; i < days.length; i++) {
    const day = days[i]!
    slotScratch[i] = Number.isNaN(day) ? '' : formatDay(day)
  }
  return slotScratch
}
const slotScratch: string[] = ['', '', '', '']
