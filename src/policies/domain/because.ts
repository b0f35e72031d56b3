import type { Finding, PartKind, ProblemKind } from '../../contracts/case.ts'
import type { Handler, Party, Remedy, Words } from '../../contracts/decision.ts'
import { COSTS, FINDINGS } from '../../contracts/vocabulary.ts'
import { formatDay } from '../../shared/day-numbers.ts'
import { FINDING_BIT } from './case-facts.ts'
import { createDayMemo } from './day-memo.ts'
import type { Clause, StartEvent } from './policy-format.ts'
import {
  type Both,
  COST_WORDS,
  choiceOf,
  EVENT_WORDS,
  EVIDENCE_WORDS,
  FINDING_WORDS,
  HANDLER_WORDS,
  listOf,
  PART_WORDS,
  PARTY_WORDS,
  PROBLEM_WORDS,
  REMEDY_WORDS,
  SERVICE_WORDS,
} from './words.ts'

/**
 * The `because` of a trace line: one sentence, in both languages, with the facts computed
 * for the case. Sentences whose facts are fixed for a clause (who pays, what is asked
 * for) are written once when the policy compiles; those with dates are written per
 * decision from a few pieces.
 */

const words = (en: string, zh: string): Words => Object.freeze({ en, zh })

/** The sentence of a clause whose facts do not change from case to case, for a handler where payers depend on it. */
export function staticBecause(clause: Clause, handler: Handler): Words {
  switch (clause.kind) {
    case 'coverage':
      return words('The warranty term applies to this claim.', '本保修条款适用于此申请。')
    case 'window':
      return words('The claim falls within this window.', '此申请在该期限内。')
    case 'scope':
      return words('The part claimed is outside the scope of service.', '所申请的部件不在服务范围内。')
    case 'exclusion':
      return exclusionBecause(clause)
    case 'limit': {
      const blocked = choiceOf(clause.blocks.map((r) => REMEDY_WORDS[r]))
      const reason = limitReason(clause)
      return words(
        `This rules out ${blocked.en} for this claim, because ${reason.en}.`,
        `由于${reason.zh}，此条款排除了${blocked.zh}。`,
      )
    }
    case 'paid-service': {
      const offered = choiceOf(clause.remedies.map((r) => REMEDY_WORDS[r]))
      return words(
        `Free service does not apply, so ${offered.en} is offered.`,
        `不适用免费服务，因此提供${offered.zh}。`,
      )
    }
    case 'offer': {
      const offered = choiceOf(clause.remedies.map((r) => REMEDY_WORDS[r]))
      return clause.position === 'only'
        ? words(`It answers this request with ${offered.en} alone.`, `对此申请仅提供${offered.zh}。`)
        : words(`It adds ${offered.en} to what is offered.`, `增加提供${offered.zh}。`)
    }
    case 'payers': {
      const parts: Both[] = []
      for (const cost of COSTS) {
        if (!(cost in clause.payers)) continue
        const ref = clause.payers[cost]
        const party: Party | null | undefined = ref === 'handler' ? handler : ref
        const who = party == null ? { en: 'nobody named', zh: '未指定' } : PARTY_WORDS[party]
        parts.push({ en: `${COST_WORDS[cost].en}: ${who.en}`, zh: `${COST_WORDS[cost].zh}：${who.zh}` })
      }
      return words(
        `It sets who pays: ${parts.map((p) => p.en).join('; ')}.`,
        `费用承担：${parts.map((p) => p.zh).join('；')}。`,
      )
    }
    case 'evidence': {
      const items = listOf(clause.require.map((item) => EVIDENCE_WORDS[item]))
      return words(`It asks for ${items.en}.`, `需要提供${items.zh}。`)
    }
    case 'handler': {
      const who = HANDLER_WORDS[handler]
      return words(`The service is carried out by ${who.en}.`, `由${who.zh}提供服务。`)
    }
    case 'service': {
      const mode = SERVICE_WORDS[clause.mode]
      return words(mode.en, mode.zh)
    }
    case 'service-level':
    case 'support-hours':
    case 'note':
      return words('It is kept for the record.', '仅作记录。')
    default: {
      const unhandled: never = clause
      throw new Error(`no words for clause kind ${(unhandled as Clause).kind}`)
    }
  }
}

function exclusionBecause(clause: Extract<Clause, { kind: 'exclusion' }>): Words {
  if (clause.findings !== undefined) {
    const all = listOf(clause.findings.map(findingWords))
    return words(`Inspection found ${all.en}.`, `检测发现${all.zh}。`)
  }
  switch (clause.fact) {
    case 'no-proof-of-purchase':
      return words('No valid invoice or receipt can be shown.', '无法出示有效的购买凭证。')
    case 'no-warranty-card':
      return words('The warranty certificate cannot be shown.', '无法出示保修卡。')
    case 'second-hand':
      return words('The claimant is not the first buyer.', '申请人并非首位买家。')
    case 'no-fault-found':
      return words('Inspection did not reproduce the fault.', '检测未能复现故障。')
    case 'not-manufacturing-defect':
      return words(
        'Inspection found the fault does not come from design, production or quality.',
        '检测认定故障并非由设计、生产或质量问题造成。',
      )
    case 'incomplete-return': {
      const blocked =
        clause.blocks === undefined ? undefined : choiceOf(clause.blocks.map((r) => REMEDY_WORDS[r]))
      return blocked === undefined
        ? words('Original accessories or packaging are missing.', '原装配件或包装缺失。')
        : words(
            `Original accessories or packaging are missing, which rules out ${blocked.en}.`,
            `原装配件或包装缺失，因此无法提供${blocked.zh}。`,
          )
    }
    case 'expired':
      return words('The warranty has ended.', '保修期已结束。')
    case 'not-served':
      return words('The policy offers no free service for this claim.', '本政策对此申请不提供免费服务。')
    case 'inconsistent-dates':
      return words('The claim is dated before the sale it depends on.', '申请日期早于其所依据的购买日期。')
    default:
      return words('The exclusion applies.', '此除外条款适用。')
  }
}

/** The sentence of a findings exclusion for the findings actually made (a mask of the clause's own). */
export function findingsBecause(found: number): Words {
  const named = FINDINGS.filter((f) => (found & FINDING_BIT[f]) !== 0).map(findingWords)
  const all = listOf(named)
  return words(`Inspection found ${all.en}.`, `检测发现${all.zh}。`)
}

const findingWords = (finding: Finding): Both => FINDING_WORDS[finding]

/** `not-served`: the problem and part that no free service reaches. */
export function notServedBecause(problem: ProblemKind, part: PartKind): Words {
  const p = PROBLEM_WORDS[problem]
  const q = PART_WORDS[part]
  return words(
    `Nothing in the policy serves ${p.en} of ${q.en} free of charge here, and no other clause says why.`,
    `本政策对${q.zh}的${p.zh}未提供免费服务，亦无其他条款说明原因。`,
  )
}

// The dated sentences, joined per decision from the day strings `formatDay` keeps and
// constant pieces. Joining makes cons strings (a few pointer writes each), whose parts are
// few and sit in one compact table; an earlier version kept each sentence's opening per
// start day and the tail per claim day, and its look-ups, scattered over thousands of kept
// objects, missed the CPU's caches so often that joining from the table costs less (bench
// `bench:decide`, explanation cost).

/** The warranty's sentence: its span and where the claim falls in it. */
export function coverageBecause(start: number, end: number, claimed: number): Words {
  const s = formatDay(start)
  const e = formatDay(end)
  const c = formatDay(claimed)
  // A warranty may start after the day the customer wrote: ToupTek's counts from the day
  // after receipt, an AstroStation's from its activation. The claim is served under it, and
  // the sentence says the claim came first rather than that it fell within.
  if (claimed < start)
    return {
      en: `The warranty runs from ${s} to ${e}; you wrote on ${c}, ${dayCount(start - claimed)} before it began, and it serves the fault found then.`,
      zh: `保修期为 ${s} 至 ${e}；您于 ${c} 联系我们，早于保修期开始 ${start - claimed} 天，保修期开始前发现的故障同样按保修处理。`,
    }
  if (claimed <= end)
    return {
      en: `The warranty runs from ${s} to ${e}; you wrote on ${c}, within it.`,
      zh: `保修期为 ${s} 至 ${e}；您于 ${c} 联系我们，在保修期内。`,
    }
  const late = daysAfterEnd.keep(claimed - end, afterEndedWords)
  return {
    en: `The warranty ran from ${s} to ${e}; you wrote on ${c}${late.en}`,
    zh: `保修期为 ${s} 至 ${e}；您于 ${c}${late.zh}`,
  }
}

/**
 * The warranty's sentence when the claim falls after the standard term, within an extension
 * signed for the product: both ends are said, so the reader sees which term serves it.
 */
export function extendedCoverageBecause(
  start: number,
  standardEnd: number,
  end: number,
  claimed: number,
): Words {
  const s = formatDay(start)
  const d = formatDay(standardEnd)
  const e = formatDay(end)
  const c = formatDay(claimed)
  return {
    en: `The standard warranty ran from ${s} to ${d}, and the extension signed for this product runs to ${e}; you wrote on ${c}, within the extension.`,
    zh: `标准保修期为 ${s} 至 ${d}，本产品另行签订的延长保修期至 ${e}；您于 ${c} 联系我们，在延长保修期内。`,
  }
}

// Past a term's end: the tail after the claim's day depends only on how many days late it
// is. Kept per count, a decision joins three strings instead of building five.
const daysAfterEnd = createDayMemo<Words>()
const afterEndedWords = (days: number): Words => ({
  en: `, ${dayCount(days)} after it ended.`,
  zh: ` 联系我们，已超出保修期 ${days} 天。`,
})

/**
 * The `not-served` line when the warranty serves the problem but the case dates none of the
 * events its start is read from: the clause is not silent on the problem, the dates are missing.
 */
export const UNDATED_WARRANTY = words(
  'The warranty serves this problem, but no purchase, shipment or delivery date is known to count it from.',
  '保修范围包括此类问题，但没有可用于起算保修期的购买、发货或签收日期。',
)

export const NO_WARRANTY_START = words(
  'No date is known to start the warranty from.',
  '无法确定保修期的起算日期。',
)

/** The day a window counts from, its last day and the claim's day, for one span (an event and a number of days). */
export type WindowWords = (eventDay: number, claimed: number, overriddenBy: string | undefined) => Words

/** The sentences of one window span. */
export function createWindowWords(event: StartEvent, days: number): WindowWords {
  const ev = EVENT_WORDS[event]
  const leadEn = `${capitalFirst(ev.en)} `
  const leadZh = `${ev.zh} `
  const spanEn = `; the ${days}-day window ran to `
  const spanZh = `；${days} 天期限至 `
  return (eventDay, claimed, overriddenBy) => {
    const c = formatDay(claimed)
    if (Number.isNaN(eventDay)) {
      return {
        en: `The date it counts from is not known; you wrote on ${c}.`,
        zh: `无法确定其起算日期；您于 ${c} 联系我们。`,
      }
    }
    const d = formatDay(eventDay)
    const end = formatDay(eventDay + days)
    const inside = claimed <= eventDay + days
    const tail =
      overriddenBy === undefined
        ? inside
          ? WROTE_INSIDE
          : WROTE_AFTER
        : overriddenTail(overriddenBy, inside)
    return {
      en: `${leadEn}${d}${spanEn}${end}; you wrote on ${c}${tail.en}`,
      zh: `${leadZh}${d}${spanZh}${end}；您于 ${c}${tail.zh}`,
    }
  }
}

/** The event whose date a window counts from, named where that date is not known. */
const UNKNOWN_EVENT_WORDS: Record<StartEvent, Both> = {
  purchase: { en: 'purchase', zh: '购买' },
  shipment: { en: 'shipment', zh: '发货' },
  delivery: { en: 'delivery', zh: '签收' },
  'day-after-delivery': { en: 'delivery', zh: '签收' },
  activation: { en: 'activation', zh: '激活' },
}

/**
 * A window that held though the day it counts from is unknown: the claim fell within its
 * days of `earliestDay`, an event the start cannot have come before (delivered on or after
 * shipment), so its true end is that day's end or later.
 */
export function boundedWindowBecause(
  event: StartEvent,
  days: number,
  earliestEvent: 'purchase' | 'shipment',
  earliestDay: number,
  claimed: number,
  overriddenBy: string | undefined,
): Words {
  const unknown = UNKNOWN_EVENT_WORDS[event]
  const known = EVENT_WORDS[earliestEvent]
  // A window from the day after delivery starts at the earliest a day after the known event.
  const knownDay = formatDay(event === 'day-after-delivery' ? earliestDay - 1 : earliestDay)
  const end = formatDay(earliestDay + days)
  const c = formatDay(claimed)
  const tail = overriddenBy === undefined ? WROTE_INSIDE : overriddenTail(overriddenBy, true)
  return {
    en: `The ${unknown.en} date is not known, but the unit was ${known.en} on ${knownDay}, so the ${days}-day window runs at least to ${end}; you wrote on ${c}${tail.en}`,
    zh: `${unknown.zh}日期未知，但产品${known.zh} ${knownDay}，故 ${days} 天期限至少至 ${end}；您于 ${c}${tail.zh}`,
  }
}

const WROTE_INSIDE = words('.', ' 联系我们。')
const WROTE_AFTER = words(', after it closed.', ' 联系我们，已过期限。')

/** "…, but <clause> set the result instead.": the same for every window, kept per clause and side of the window. */
const overriddenTails = new Map<string, readonly [Words, Words]>()
function overriddenTail(by: string, inside: boolean): Words {
  let tails = overriddenTails.get(by)
  if (tails === undefined) {
    tails = [
      { en: `, but ${by} set the result instead.`, zh: ` 联系我们，但 ${by} 优先决定了结果。` },
      {
        en: `, after it closed, but ${by} set the result instead.`,
        zh: ` 联系我们，已过期限，但 ${by} 优先决定了结果。`,
      },
    ]
    overriddenTails.set(by, tails)
  }
  return tails[inside ? 0 : 1]
}

/** The claim is dated before an event it depends on. */
export function inconsistentBecause(
  claimed: number,
  event: 'purchase' | 'shipment' | 'delivery',
  day: number,
): Words {
  const ev = EARLIER_EVENT_WORDS[event]
  return {
    en: `You wrote on ${formatDay(claimed)}, before the unit was ${ev.en} on ${formatDay(day)}.`,
    zh: `您于 ${formatDay(claimed)} 联系我们，早于${ev.zh} ${formatDay(day)}。`,
  }
}

/**
 * The event a claim came before, as the end of "before the unit was … on" and of "早于…":
 * the window sentences' "签收于" (delivered on) would read "早于签收于" here.
 */
const EARLIER_EVENT_WORDS: Record<'purchase' | 'shipment' | 'delivery', Both> = {
  purchase: { en: EVENT_WORDS.purchase.en, zh: '购买日期' },
  shipment: { en: EVENT_WORDS.shipment.en, zh: '发货日期' },
  delivery: { en: EVENT_WORDS.delivery.en, zh: '签收日期' },
}

const endedOn = createDayMemo<Words>()
const endedOnWords = (end: number): Words => {
  const e = formatDay(end)
  return { en: `The warranty ended on ${e}; you wrote on `, zh: `保修期已于 ${e} 结束；您于 ` }
}
const daysLater = createDayMemo<Words>()
const daysLaterWords = (days: number): Words => ({
  en: `, ${dayCount(days)} later.`,
  zh: ` 联系我们，晚了 ${days} 天。`,
})

/** The term ended before the claim. */
export function expiredBecause(end: number, claimed: number): Words {
  const opening = endedOn.keep(end, endedOnWords)
  const tail = daysLater.keep(claimed - end, daysLaterWords)
  const c = formatDay(claimed)
  return { en: opening.en + c + tail.en, zh: opening.zh + c + tail.zh }
}

/**
 * A paid service that an offer of its own remedies alone set aside: the service would be
 * offered, not "is offered", since the decision does not offer it.
 */
export function setAsideBecause(paid: readonly Remedy[], offered: readonly Remedy[], by: string): Words {
  const would = choiceOf(paid.map((r) => REMEDY_WORDS[r]))
  const alone = choiceOf(offered.map((r) => REMEDY_WORDS[r]))
  return words(
    `Free service does not apply, so ${would.en} would be offered, but ${by} answers this request with ${alone.en} alone.`,
    `不适用免费服务，本应提供${would.zh}，但 ${by} 对此申请仅提供${alone.zh}。`,
  )
}

/** A clause whose condition held but whose result another clause set. */
export function overriddenBecause(base: Words, by: string): Words {
  return words(
    `${base.en.replace(/\.$/, '')}, but ${by} set it instead.`,
    `${base.zh.replace(/。$/, '')}，但 ${by} 优先决定了结果。`,
  )
}

/** "1 day", "2 days": the English count of days (the Chinese 天 has no plural). */
const dayCount = (days: number): string => (days === 1 ? '1 day' : `${days} days`)

const capitalFirst = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

/**
 * Why a limit rules its remedies out, read from the condition it holds on, in words the
 * customer's explanation can give: the part claimed, or the remedy the customer asked for.
 */
export function limitReason(clause: Extract<Clause, { kind: 'limit' }>): Words {
  const parts = clause.when?.parts
  if (parts !== undefined && !parts.includes('host'))
    return {
      en: 'the problem is with an accessory or another part, and that does not make the main unit returnable',
      zh: '问题出在配件或其他部件上，不作为主机退换货的条件',
    }
  const preference = clause.when?.preference
  if (preference !== undefined) {
    const asked = REMEDY_WORDS[preference as Remedy]
    return { en: `you asked for ${asked.en}`, zh: `您选择了${asked.zh}` }
  }
  return { en: 'the policy rules it out for this claim', zh: '本政策对此申请不提供该服务' }
}

/**
 * Why an exclusion for damage did not refuse the repair though inspection found that damage:
 * the `because` of its line in the trace, so the clause itself says it was weighed and set aside.
 */
export function notCausedBecause(findings: readonly Finding[]): Words {
  const found = listOf(findings.map(findingWords))
  return {
    en: `Our inspection found ${found.en}, but it did not cause the fault, so this clause does not refuse the repair of the fault.`,
    zh: `检测发现${found.zh}，但这并非故障的原因，因此本条款不排除对故障的维修。`,
  }
}
