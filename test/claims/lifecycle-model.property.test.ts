/**
 * The claim lifecycle driven through the API by generated sequences of steps: any party,
 * any action, valid or junk bodies, current, stale or missing If-Match. Whatever the
 * sequence, the API keeps the invariants the transition table and the trust rules promise:
 * - no request is answered 5xx;
 * - a refused step changes nothing: the claim reads the same and no event is appended;
 * - a step that succeeds was the acting party's to take in the state it was taken from,
 *   leads where the table says, moves the version by one and was listed as allowed;
 * - a party the claim is not theirs (another customer, another dealer) only ever gets 404;
 * - to a party the claim is there for, a missing If-Match answers 428 and a stale or garbled
 *   one 412, whatever the body: the precondition is judged before the body;
 * - a closed or cancelled claim takes no further step.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import type { Role } from '../../src/auth/index.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import {
  CLAIM_STATES,
  CLAIM_TRANSITIONS,
  type ClaimState,
  closeOutcomesFrom,
  TERMINAL_STATES,
} from '../../src/claims/domain/claim-lifecycle.ts'
import { testEngines } from '../../src/db/test-database.ts'
import {
  addDays,
  type ClaimJson,
  type ClaimsWorld,
  fullInspection,
  newSerial,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  packageOf,
  seedIstExpiredUnit,
  seedPlayerOneDealerUnit,
  seedPlayerOneUnit,
  seedRetailerUnit,
  seedShenzhenAgentUnit,
  seedTouptekDoaUnit,
  TODAY,
} from './claim-factories.ts'

const UNITS = [
  { seed: seedTouptekDoaUnit, model: 'touptek-atr2600c' },
  { seed: seedRetailerUnit, model: 'player-one-ares-c-pro' },
  { seed: seedShenzhenAgentUnit, model: 'aurora-mounts-aurora-am5-harmonic-mount' },
  { seed: seedIstExpiredUnit, model: 'beijing-ist-ist-obspc-mini' },
  { seed: seedPlayerOneUnit, model: 'player-one-poseidon-m-pro' },
  { seed: seedPlayerOneDealerUnit, model: 'player-one-zeus-455m-pro', viaDealer: true },
] as const

const PARTY_NAMES = ['customer', 'otherCustomer', 'dealer', 'otherDealer', 'staff', 'manager'] as const
type PartyName = (typeof PARTY_NAMES)[number]
const LIFECYCLE_PARTY: Record<PartyName, 'customer' | 'dealer' | 'staff'> = {
  customer: 'customer',
  otherCustomer: 'customer',
  dealer: 'dealer',
  otherDealer: 'dealer',
  staff: 'staff',
  manager: 'staff',
}
/** The role each staff party acts in (`world.staff` is a bench technician). */
const STAFF_ROLE: Partial<Record<PartyName, Role>> = { staff: 'technician', manager: 'manager' }

type IfMatch = 'current' | 'stale' | 'missing' | 'garbage'

/** One generated step; the body is made from the claim as it stands when the step is taken. */
interface Step {
  party: PartyName
  action: string
  ifMatch: IfMatch
  /** Picks among the body's variations (valid ones, and a few that should be refused). */
  variant: number
  /** A junk body instead of one shaped for the action. */
  junk: unknown
  /**
   * `any`: take `action`; `offered`: one of the steps the party is offered (the
   * `variant`-th, wrapping); `onward`: one of those that moves the claim on (not cancel, not
   * a question, not a fact recorded in place). Random actions alone seldom carry a claim
   * past its first states.
   */
  pick: 'any' | 'offered' | 'onward'
}

/** A claim id no claim has. */
const NO_SUCH_CLAIM = '00000000-0000-4000-8000-000000000000'

const ACTIONS = [...CLAIM_TRANSITIONS.map((rule) => rule.action), 'no-such-action']

/** The actions the API has a route for; any other is answered 404 before a claim is looked at. */
const ACTIONS_WITH_ROUTES = new Set(CLAIM_TRANSITIONS.map((rule) => rule.action))

/**
 * Whether the route gets to judge the body at all. A junk string is not sent as JSON, and the
 * JSON parser refuses a `__proto__` or `constructor` key (prototype poisoning) before any
 * route runs: both are refused as framing, ahead of everything the route decides.
 */
const judgedByRoute = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && !/"(__proto__|constructor)"\s*:/.test(JSON.stringify(body))

const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  party: fc.constantFrom<PartyName>(...PARTY_NAMES, 'staff', 'staff', 'staff', 'manager', 'customer'),
  action: fc.constantFrom(...ACTIONS),
  ifMatch: fc.constantFrom<IfMatch>(...Array<IfMatch>(12).fill('current'), 'stale', 'missing', 'garbage'),
  variant: fc.nat(7),
  // One step in ten sends junk instead of the action's body.
  junk: fc.oneof(
    { weight: 9, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.oneof(fc.object(), fc.constant({}), fc.array(fc.string()), fc.string()) },
  ),
  pick: fc.constantFrom<Step['pick']>(
    'any',
    'any',
    'offered',
    'offered',
    ...Array<Step['pick']>(6).fill('onward'),
  ),
})

/** A step that carries the claim on to a later state. */
const movesOn = (action: string): boolean => {
  const rule = CLAIM_TRANSITIONS.find((r) => r.action === action)
  return rule !== undefined && rule.to !== 'stay' && rule.to !== 'cancelled' && rule.to !== 'awaiting-info'
}

interface Scene {
  serial: string
  contents: string[]
  claim: ClaimJson
}

/** A body for the action, valid for most variants; the rest probe a rule (a future day, a wrong quote). */
function bodyFor(action: string, variant: number, scene: Scene): Record<string, unknown> {
  const { serial, contents, claim } = scene
  switch (action) {
    case 'record-selfcheck':
      return { checklist: 'generic', results: [{ checkId: 'power-cables', passed: variant % 2 === 0 }] }
    case 'request-info':
      return { request: 'Please send a photo of the label on the underside.' }
    case 'provide-info':
      return { answer: 'Photo attached, the label reads as on the claim.', evidence: ['defect-media'] }
    case 'resolve-remotely':
      return {
        fix: (['remote-fix', 'software-upgrade', 'spare-part'] as const)[variant % 3],
        note: 'Firmware 2.1',
      }
    case 'schedule-pickup':
      return { pickupOn: addDays(TODAY, variant) }
    case 'receive-unit':
      // Variant 7: a day before the claim was opened, which the step must refuse.
      return variant === 7 ? { receivedOn: addDays(TODAY, -30) } : variant === 6 ? { receivedOn: TODAY } : {}
    case 'record-inspection':
      return fullInspection(
        variant === 7 ? `${serial}-X` : serial,
        variant === 6 ? contents.slice(1) : contents,
        {
          manufacturingDefect: variant % 3 !== 0,
          findings: variant === 5 ? ['liquid-damage'] : [],
        },
      )
    case 'send-quote':
      return {
        lines: [{ kind: 'labour', description: 'Bench repair', quantity: 1, unitPriceMinor: 4500 + variant }],
      }
    case 'accept-quote':
    case 'decline-quote':
      return { quoteId: variant === 7 ? 'not-the-quote' : (claim.quote?.id ?? 'no-quote') }
    case 'record-payment': {
      const outstanding = claim.quote ? claim.quote.customerTotalMinor - claim.quote.paidMinor : 1000
      return {
        amountMinor:
          variant === 7
            ? outstanding + 1
            : Math.max(1, variant < 4 ? outstanding : Math.ceil(outstanding / 2)),
        ...(variant === 6 ? { paidOn: addDays(TODAY, 3) } : {}),
      }
    }
    case 'submit-payment-proof':
      return { fileIds: ['not-an-upload'] }
    case 'complete-repair':
      return { lines: [{ kind: 'parts', description: 'TEC module', quantity: 1, unitPriceMinor: 9000 }] }
    case 'issue-replacement':
      return { newSerial: newSerial('RPL') }
    case 'issue-refund':
      return { amountMinor: 100 * variant }
    case 'forward-to-maker':
      return { carrier: 'SF Express', trackingNumber: `SF${variant}` }
    case 'ship-return':
      return { carrier: 'DHL', trackingNumber: `DHL-${variant}` }
    case 'close':
      return variant < 5
        ? {}
        : {
            outcome: (
              ['completed', 'scrapped', 'resolved-remotely', 'refunded', 'returned-unrepaired'] as const
            )[variant % 5],
          }
    case 'cancel':
      return { reason: 'The customer found the cable was loose.' }
    case 'accept-purchase-proof':
      return { fileId: 'not-an-upload' }
    case 'refuse-purchase-proof':
      return { fileId: 'not-an-upload', reason: 'The invoice names another serial number.' }
    default:
      return {}
  }
}

async function read(world: ClaimsWorld, party: Party, id: string) {
  return world.app.inject({ method: 'GET', url: `/api/v1/claims/${id}`, headers: party.headers })
}

async function eventCount(world: ClaimsWorld, id: string): Promise<number> {
  const response = await world.app.inject({
    method: 'GET',
    url: `/api/v1/claims/${id}/events?limit=200`,
    headers: world.staff.headers,
  })
  assert.equal(response.statusCode, 200, response.body)
  return (response.json() as { items: unknown[] }).items.length
}

for (const engine of testEngines()) {
  describe(`${engine}: the claim lifecycle under generated steps`, () => {
    let world: ClaimsWorld
    let parties: Record<PartyName, Party>
    const packages = new Map<string, string[]>()

    before(async () => {
      world = await openClaimsWorld(engine)
      const manager = await createTestUser(world.database.db, { role: 'manager' })
      parties = {
        customer: world.customer,
        otherCustomer: world.otherCustomer,
        dealer: world.dealer,
        otherDealer: world.otherDealer,
        staff: world.staff,
        manager,
      }
      for (const unit of UNITS) packages.set(unit.model, await packageOf(world, unit.model))
    })
    /** The states the generated steps took claims through, so a run that stays shallow shows. */
    const reached = new Set<string>()
    after(async () => {
      await world.close()
      const missed = CLAIM_STATES.filter((state) => !reached.has(state))
      if (missed.length > 0) console.log(`states no generated step was taken from: ${missed.join(', ')}`)
    })

    it('keeps every invariant of the table and the trust rules, whatever the steps', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.nat(UNITS.length - 1),
          fc.array(stepArbitrary, { minLength: 8, maxLength: engine === 'sqlite' ? 60 : 30, size: 'max' }),
          async (unitAt, steps) => {
            try {
              await carry(unitAt, steps)
            } catch (error) {
              // fast-check reports the counterexample; the assertion says what broke.
              console.error((error as Error).message)
              throw error
            }
          },
        ),
        // A failure's sequences are long and each replays against the database: shrinking
        // is cut off rather than let run past the suite's patience.
        {
          numRuns: engine === 'sqlite' ? 20 : 8,
          interruptAfterTimeLimit: 90_000,
          markInterruptAsFailure: true,
        },
      )

      async function carry(unitAt: number, steps: Step[]): Promise<void> {
        const unit = UNITS[unitAt]!
        const serial = await unit.seed(world)
        const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
        const id = opened.id
        const scene: Scene = { serial, contents: packages.get(unit.model)!, claim: opened }
        let staffClaim = (await read(world, world.staff, id)).json() as ClaimJson
        let events = await eventCount(world, id)
        let staleEtag = '"0"'
        // Where `provide-info` returns to: the state `request-info` left.
        let resumeTo: ClaimState | null = null

        for (const step of steps) {
          const actor = parties[step.party]
          const outsider =
            step.party === 'otherCustomer' ||
            step.party === 'otherDealer' ||
            (step.party === 'dealer' && !('viaDealer' in unit))
          const seen = await read(world, actor, id)
          if (outsider) {
            assert.equal(seen.statusCode, 404, `${step.party} reads a claim not theirs: ${seen.body}`)
          } else assert.equal(seen.statusCode, 200, seen.body)
          const allowed = outsider ? [] : (seen.json() as ClaimJson).allowedActions
          const choices =
            step.pick === 'onward' ? allowed.filter(movesOn) : step.pick === 'offered' ? allowed : []
          const action = choices.length > 0 ? choices[step.variant % choices.length]! : step.action
          const currentEtag = String((await read(world, world.staff, id)).headers.etag)
          scene.claim = staffClaim
          const body = step.junk ?? bodyFor(action, step.variant, scene)
          reached.add(staffClaim.state)
          const headers: Record<string, string> = { ...actor.headers }
          if (step.ifMatch === 'current') headers['if-match'] = currentEtag
          else if (step.ifMatch === 'stale') headers['if-match'] = staleEtag
          else if (step.ifMatch === 'garbage') headers['if-match'] = 'W/"x"'
          const response = await world.app.inject({
            method: 'POST',
            url: `/api/v1/claims/${id}/transitions/${action}`,
            headers,
            payload: body as object,
          })
          const label = `${step.party} ${action} (${step.ifMatch}) from ${staffClaim.state}: ${response.statusCode} ${response.body.slice(0, 300)}`
          assert.ok(response.statusCode < 500, label)

          const afterRead = await read(world, world.staff, id)
          const afterClaim = afterRead.json() as ClaimJson
          const afterEvents = await eventCount(world, id)
          if (outsider) {
            // Whatever an outsider sends, the answer is the one a claim that does not
            // exist gets: it never tells that this claim is there, or what state it is in.
            const nowhere = await world.app.inject({
              method: 'POST',
              url: `/api/v1/claims/${NO_SUCH_CLAIM}/transitions/${action}`,
              headers,
              payload: body as object,
            })
            assert.equal(response.statusCode, nowhere.statusCode, `${label} | elsewhere: ${nowhere.body}`)
            assert.equal(response.body.replaceAll(id, NO_SUCH_CLAIM), nowhere.body, label)
            assert.notEqual(response.statusCode, 200, label)
          }

          if (!outsider && ACTIONS_WITH_ROUTES.has(action) && judgedByRoute(body)) {
            // The claim is there for this party: If-Match speaks before the body does, so a
            // junk body never hides a missing or stale precondition.
            if (step.ifMatch === 'missing') assert.equal(response.statusCode, 428, label)
            if (step.ifMatch === 'garbage' || (step.ifMatch === 'stale' && staleEtag !== currentEtag))
              assert.equal(response.statusCode, 412, label)
          }

          if (response.statusCode >= 400) {
            assert.deepEqual(afterClaim, staffClaim, `refused, yet the claim changed: ${label}`)
            assert.equal(afterEvents, events, `refused, yet an event was appended: ${label}`)
            continue
          }
          assert.equal(response.statusCode, 200, label)
          const rule = CLAIM_TRANSITIONS.find((r) => r.action === action)
          assert.ok(rule, `an unknown action succeeded: ${label}`)
          assert.ok(
            !TERMINAL_STATES.includes(staffClaim.state as ClaimState),
            `a step after the end: ${label}`,
          )
          assert.ok(rule.parties.includes(LIFECYCLE_PARTY[step.party]), `not this party's step: ${label}`)
          const role = STAFF_ROLE[step.party]
          assert.ok(
            role === undefined || rule.staffRoles === undefined || rule.staffRoles.includes(role),
            `not this staff role's step: ${label}`,
          )
          assert.ok(
            rule.from.includes(staffClaim.state as ClaimState),
            `not a step from this state: ${label}`,
          )
          assert.ok(allowed.includes(action), `succeeded though not listed as allowed: ${label}`)
          assert.equal(step.ifMatch, 'current', `succeeded without the current ETag: ${label}`)
          const expected: string =
            rule.to === 'stay' ? staffClaim.state : rule.to === 'resume' ? (resumeTo ?? 'new') : rule.to
          assert.equal(afterClaim.state, expected, label)
          assert.equal(afterClaim.version, staffClaim.version + 1, label)
          assert.ok(afterEvents > events, `a step without an event: ${label}`)
          if (action === 'close')
            assert.ok(
              closeOutcomesFrom(staffClaim.state)?.some((fit) => fit === afterClaim.outcome),
              `closed from ${staffClaim.state} as ${afterClaim.outcome}: ${label}`,
            )
          if (afterClaim.quote)
            assert.ok(
              afterClaim.quote.paidMinor <= afterClaim.quote.customerTotalMinor,
              `more paid than the quote asks: ${label}`,
            )
          if (action === 'request-info') resumeTo = staffClaim.state as ClaimState
          staleEtag = currentEtag
          staffClaim = afterClaim
          events = afterEvents
        }
      }
    })
  })
}
