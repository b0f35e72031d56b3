import { SYSTEM_ACTOR } from '../auth/index.ts'
import type { Decision } from '../contracts/decision.ts'
import type { AppContext } from '../shared/app-context.ts'
import { isAppError } from '../shared/errors.ts'
import { answerQuote } from './answer-quote.ts'
import { authorizeReturn } from './authorize-return.ts'
import { findPackageContents } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { completeRepair } from './complete-repair.ts'
import { issueReplacement } from './issue-replacement.ts'
import { makeDecision } from './make-decision.ts'
import { openClaim } from './open-claim.ts'
import { postMessage } from './post-message.ts'
import { recordInspection } from './record-inspection.ts'
import { recordPayment } from './record-payment.ts'
import { sendQuote } from './send-quote.ts'
import { shipReturn } from './ship-return.ts'
import { type SimpleStep, takeClaimStep } from './take-claim-step.ts'

type Step = (claim: ClaimsTable) => Promise<ClaimsTable>

/** What the demo's staff type, in the language of the customer they write to, as real staff would. */
const STAFF_WORDS = {
  en: {
    fixedRemotely: 'Fixed by the latest driver',
    askForLabel: 'Please send a photo of the serial label.',
    toMaker: 'To the maker’s service centre',
    answeredByPhone: 'The customer answered by phone',
    acknowledged: 'We have your case and will update you here.',
    solved: 'Customer solved it',
  },
  zh: {
    fixedRemotely: '已通过最新驱动程序解决',
    askForLabel: '请发送设备序列号标签的照片。',
    toMaker: '已转交制造商维修中心',
    answeredByPhone: '客户已通过电话答复',
    acknowledged: '我们已收到您的申请，进展会在此告知您。',
    solved: '客户已自行解决',
  },
} as const

/** How far each demo claim goes: the number of steps of its path. */
const DEPTHS = [0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 99, 99, 99, 99, 1, 3, 99, 6]

const PROBLEMS = [
  'Cooler does not reach the target temperature; fan silent.',
  'Image downloads fail halfway; preview freezes.',
  'No USB connection after a firmware update.',
  'Arrived with a rattle inside; no image.',
  'Random disconnects during long exposures.',
]

/**
 * Seeds about twenty demo claims in various states across the five policies, through the
 * real operations (so each has its history, clocks and outbox rows). Idempotent: every
 * demo claim is opened with a fixed idempotency key and walked only when first created.
 */
export async function seedDemoClaims(
  ctx: AppContext,
  registry: { serials: string[] },
): Promise<{ created: number }> {
  const units = await ctx.db
    .selectFrom('units')
    .select(['serial', 'policy_id', 'owner_customer_id'])
    .where('serial', 'in', registry.serials.length > 0 ? registry.serials : ['\u0000'])
    .orderBy('serial')
    .execute()
  const byPolicy = new Map<string, typeof units>()
  for (const unit of units) byPolicy.set(unit.policy_id, [...(byPolicy.get(unit.policy_id) ?? []), unit])
  const picked: typeof units = []
  for (let round = 0; picked.length < DEPTHS.length && round < 10; round++) {
    for (const list of byPolicy.values()) {
      const unit = list[round]
      if (unit && picked.length < DEPTHS.length) picked.push(unit)
    }
  }
  let created = 0
  for (const [index, unit] of picked.entries()) {
    const opened = await openClaim(
      ctx,
      SYSTEM_ACTOR,
      {
        serial: unit.serial,
        problem: {
          kind: 'malfunction',
          description: PROBLEMS[index % PROBLEMS.length] ?? 'Fault',
          packagingDamaged: false,
          urgentFreight: false,
        },
        evidence: ['defect-media', 'package-photos'],
        ...(unit.owner_customer_id ? { customerId: unit.owner_customer_id } : {}),
      },
      `demo-claim-${unit.serial}`,
    )
    if (!opened.created) continue
    created += 1
    await walkDemoClaim(ctx, opened.claim, DEPTHS[index] ?? 0, index)
  }
  return { created }
}

async function walkDemoClaim(
  ctx: AppContext,
  start: ClaimsTable,
  depth: number,
  index: number,
): Promise<void> {
  const actor = SYSTEM_ACTOR
  const words = STAFF_WORDS[await customerLanguageOf(ctx, start)]
  const simple =
    (step: SimpleStep, input: Record<string, unknown> = {}): Step =>
    (c) =>
      takeClaimStep(ctx, actor, c.id, Number(c.version), step, input)
  const decision = (c: ClaimsTable) =>
    JSON.parse(c.final_decision ?? c.provisional_decision ?? 'null') as Decision | null
  const remoteFix = index % 5 === 1
  const path: Step[] = remoteFix
    ? [
        simple('start-diagnosis'),
        simple('record-selfcheck', {
          checklist: 'generic',
          results: [{ checkId: 'latest-software', passed: true }],
        }),
        simple('resolve-remotely', { fix: 'software-upgrade', note: words.fixedRemotely }),
        simple('close'),
      ]
    : [
        simple('start-diagnosis'),
        index === 16 ? simple('request-info', { request: words.askForLabel }) : (c) => Promise.resolve(c),
        (c) => authorizeReturn(ctx, actor, c.id, Number(c.version), {}),
        simple('receive-unit'),
        async (c) => {
          const contents = c.model ? await findPackageContents(ctx.db, c.model) : []
          return recordInspection(ctx, actor, c.id, Number(c.version), {
            serialSeen: c.serial,
            sealsIntact: true,
            packaging: 'good',
            contentsReceived: contents,
            findings: index % 4 === 3 ? ['liquid-damage'] : [],
            faultConfirmed: true,
            manufacturingDefect: index % 4 !== 3,
          })
        },
        (c) => makeDecision(ctx, actor, c.id, Number(c.version)),
        async (c) => {
          const d = decision(c)
          if (d && !d.covered) {
            return sendQuote(ctx, actor, c.id, Number(c.version), {
              lines: [
                {
                  kind: 'parts',
                  // No English typed for the demo's Chinese customers: the line reads as its kind in each reader's language.
                  description: '',
                  quantity: 1,
                  unitPriceMinor: 45000,
                  payer: d.payers.parts ?? 'customer',
                },
                {
                  kind: 'labour',
                  description: '',
                  quantity: 1,
                  unitPriceMinor: 15000,
                  payer: d.payers.labour ?? 'customer',
                },
              ],
              validDays: 30,
            })
          }
          if (brandIsAgent(c)) return simple('forward-to-maker', { note: words.toMaker })(c)
          if (d?.remedies[0] === 'replace')
            return issueReplacement(ctx, actor, c.id, Number(c.version), { newSerial: `${c.serial}-R` })
          if (d?.remedies[0] === 'refund') return simple('issue-refund', { amountMinor: 99900 })(c)
          return simple('start-repair')(c)
        },
        async (c) => {
          if (c.state === 'quoted') {
            const quote = JSON.parse(c.quote_json ?? 'null') as { id: string } | null
            return answerQuote(
              ctx,
              actor,
              c.id,
              Number(c.version),
              index % 3 === 0 ? 'decline-quote' : 'accept-quote',
              { quoteId: quote?.id ?? '', note: words.answeredByPhone },
            )
          }
          if (c.state === 'forwarded') return simple('return-from-maker')(c)
          if (c.state === 'in-repair')
            return completeRepair(ctx, actor, c.id, Number(c.version), { lines: [] })
          return c
        },
        async (c) => {
          if (c.state === 'quote-accepted') {
            const quote = JSON.parse(c.quote_json ?? 'null') as { customerTotalMinor: number } | null
            return recordPayment(ctx, actor, c.id, Number(c.version), {
              amountMinor: quote?.customerTotalMinor ?? 1,
            })
          }
          return c
        },
        async (c) => (c.state === 'quote-accepted' ? simple('start-repair')(c) : c),
        async (c) =>
          c.state === 'in-repair' ? completeRepair(ctx, actor, c.id, Number(c.version), { lines: [] }) : c,
        async (c) =>
          c.state === 'refunded'
            ? c
            : shipReturn(ctx, actor, c.id, Number(c.version), {
                carrier: 'DHL',
                trackingNumber: `DHL${100000 + index}`,
              }),
        simple('confirm-receipt'),
        simple('close'),
      ]
  let claim = start
  for (const step of path.slice(0, depth)) {
    try {
      claim = await step(claim)
    } catch (error) {
      // A policy may not allow the next step for this unit: the claim rests where it is.
      if (isAppError(error) && (error.code === 'conflict' || error.code === 'validation')) break
      throw error
    }
  }
  if (index % 6 === 2) await postMessage(ctx, actor, claim.id, { body: words.acknowledged })
  if (index === 19 && ['new', 'remote-diagnosis'].includes(claim.state)) {
    await takeClaimStep(ctx, actor, claim.id, Number(claim.version), 'cancel', {
      reason: words.solved,
    })
  }
}

async function customerLanguageOf(ctx: AppContext, claim: ClaimsTable): Promise<'en' | 'zh'> {
  if (!claim.customer_id) return 'en'
  const customer = await ctx.db
    .selectFrom('customers')
    .select('locale')
    .where('id', '=', claim.customer_id)
    .executeTakeFirst()
  return customer?.locale === 'zh' ? 'zh' : 'en'
}

const brandIsAgent = (c: ClaimsTable): boolean => c.brand === 'agent'
