import { SYSTEM_ACTOR } from '../auth/index.ts'
import type { ClaimsTable } from '../claims/index.ts'
import {
  authorizeReturn,
  completeRepair,
  findPackageContents,
  issueReplacement,
  makeDecision,
  openClaim,
  recordInspection,
  takeClaimStep,
} from '../claims/index.ts'
import { ORG } from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { addDays } from '../shared/day-numbers.ts'
import { localDate } from '../shared/local-date.ts'

/** The day `days` days from `now`'s in `timeZone`. */
const dayFrom = (now: Date, timeZone: string, days: number): string => addDays(localDate(now, timeZone), days)

type Walk = (ctx: AppContext, claim: ClaimsTable) => Promise<ClaimsTable>

interface DemoRecoveryClaim {
  serial: string
  unit: {
    model: string
    channel: 'direct' | 'dealer'
    dealerOrgId?: string
    sellerOrgId?: string
    purchasedAgoDays: number
    /** The time zone of the policy the unit's sale follows, which dates the claim. */
    policyTimeZone: string
  }
  problem: { kind: 'malfunction' | 'arrived-damaged'; description: string; packagingDamaged: boolean }
  evidence: ('defect-media' | 'package-photos' | 'shipping-slip')[]
  /** The work that makes someone owe someone: what the claim does after its decision. */
  work: Walk
}

const step =
  (name: 'start-repair' | 'forward-to-maker'): Walk =>
  (ctx, c) =>
    takeClaimStep(ctx, SYSTEM_ACTOR, c.id, Number(c.version), name, {})

/**
 * One claim per demo counterparty that yields a recovery claim, so a newcomer sees the
 * ledger at work: a Player One dealer's warranty repair (Starlight Optics to Player One),
 * a ToupTek agent's exchange of a unit damaged in the transport it shipped (Prairie Sky to
 * ToupTek), and an agent-brand mount the Shenzhen distributor sent on to its maker
 * (Shenzhen to Aurora). Idempotent: each is opened with a fixed idempotency key and walked
 * only when first created.
 */
const DEMO_RECOVERY_CLAIMS: DemoRecoveryClaim[] = [
  {
    serial: 'DEMO-REC-PO-0001',
    unit: {
      model: 'Zeus 455M PRO',
      channel: 'dealer',
      dealerOrgId: ORG.starlight,
      purchasedAgoDays: 240,
      policyTimeZone: 'UTC',
    },
    problem: {
      kind: 'malfunction',
      description: 'Cooler stops at -5 °C; fan noise.',
      packagingDamaged: false,
    },
    evidence: ['defect-media'],
    work: async (ctx, c) => {
      const started = await step('start-repair')(ctx, c)
      return completeRepair(ctx, SYSTEM_ACTOR, started.id, Number(started.version), {
        lines: [{ kind: 'parts', description: 'TEC cooler module', quantity: 1, unitPriceMinor: 12000 }],
        note: 'Cooler module replaced by the dealer',
      })
    },
  },
  {
    serial: 'DEMO-REC-TT-0001',
    unit: {
      model: 'ATR2600C',
      channel: 'dealer',
      dealerOrgId: ORG.prairie,
      purchasedAgoDays: 6,
      policyTimeZone: 'Asia/Shanghai',
    },
    problem: {
      kind: 'arrived-damaged',
      description: 'Parcel crushed; the camera rattles.',
      packagingDamaged: true,
    },
    evidence: ['package-photos', 'shipping-slip', 'defect-media'],
    work: (ctx, c) =>
      issueReplacement(ctx, SYSTEM_ACTOR, c.id, Number(c.version), {
        newSerial: 'DEMO-REC-TT-0001-R',
        note: 'Exchanged from the agent’s stock',
      }),
  },
  {
    serial: 'DEMO-REC-AU-0001',
    unit: {
      model: 'Aurora AM5 Harmonic Mount',
      channel: 'direct',
      sellerOrgId: ORG.shenzhen,
      purchasedAgoDays: 150,
      policyTimeZone: 'Asia/Shanghai',
    },
    problem: { kind: 'malfunction', description: 'RA axis stalls under load.', packagingDamaged: false },
    evidence: ['defect-media'],
    work: step('forward-to-maker'),
  },
]

export async function seedDemoRecoveries(
  ctx: AppContext,
  registry: { customerIds: string[] },
): Promise<{ created: number }> {
  let created = 0
  const now = ctx.now()
  for (const [index, demo] of DEMO_RECOVERY_CLAIMS.entries()) {
    const customerId = registry.customerIds[index + 1] ?? registry.customerIds[0]
    // Every date of a demo claim counts from one day, the claim's own: the policy's today,
    // which dates the claim whatever day is sent. Counted from the UTC day, a Shanghai claim
    // opened after 16:00 UTC is a day later than its purchase and delivery, and the
    // transport window of three days is missed.
    const zone = demo.unit.policyTimeZone
    const today = dayFrom(now, zone, 0)
    const purchasedOn = dayFrom(now, zone, -demo.unit.purchasedAgoDays)
    const opened = await openClaim(
      ctx,
      SYSTEM_ACTOR,
      {
        serial: demo.serial,
        unit: {
          model: demo.unit.model,
          channel: demo.unit.channel,
          ...(demo.unit.dealerOrgId ? { dealerOrgId: demo.unit.dealerOrgId } : {}),
          ...(demo.unit.sellerOrgId ? { sellerOrgId: demo.unit.sellerOrgId } : {}),
          purchasedOn,
          deliveredOn: dayFrom(now, zone, -demo.unit.purchasedAgoDays + 3),
          proofOfPurchase: true,
          warrantyCard: true,
        },
        claimedOn: today,
        problem: { ...demo.problem, urgentFreight: false },
        evidence: demo.evidence,
        ...(customerId ? { customerId } : {}),
      },
      `demo-recovery-${demo.serial}`,
    )
    if (!opened.created) continue
    created += 1
    let claim = opened.claim
    claim = await authorizeReturn(ctx, SYSTEM_ACTOR, claim.id, Number(claim.version), {})
    claim = await takeClaimStep(ctx, SYSTEM_ACTOR, claim.id, Number(claim.version), 'receive-unit', {})
    claim = await recordInspection(ctx, SYSTEM_ACTOR, claim.id, Number(claim.version), {
      serialSeen: claim.serial,
      sealsIntact: true,
      packaging: demo.problem.packagingDamaged ? 'damaged' : 'good',
      contentsReceived: claim.model ? await findPackageContents(ctx.db, claim.model) : [],
      findings: [],
      faultConfirmed: true,
      manufacturingDefect: true,
    })
    claim = await makeDecision(ctx, SYSTEM_ACTOR, claim.id, Number(claim.version))
    await demo.work(ctx, claim)
  }
  return { created }
}
