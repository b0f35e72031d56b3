/**
 * A model-based test of one claim's life through the HTTP API, played by every party there
 * is: the customer who owns the unit, another customer, the dealer that sold it (handling
 * the claim or not, as its decision says), an unrelated dealer, the maker, and support
 * staff, a technician and a manager. fast-check generates the commands (steps of the
 * lifecycle with current, stale, missing or garbled ETags and bodies from the step's schema
 * in the API document, valid or not; answers in the thread; uploads; reads of every page of
 * the claim; a claim opened again on the unit; time passing) and the model, the pure
 * lifecycle of `domain/claim-lifecycle.ts` plus who may see the claim, predicts each answer.
 * After every command:
 * - no answer is 5xx, and every 4xx names a field or a reason (a message key);
 * - a refused step changes nothing: version, ETag, events and files stay as they were;
 * - a party the claim is not for gets exactly the answer a claim that does not exist gets;
 * - the claim is in the state the model says, and its event chain verifies;
 * - each party is offered exactly the steps the lifecycle allows it;
 * - a decision that covers nothing names a coded reason and the clause it comes from;
 * - no SLA clock is both running and stopped, and a claim at its end has no open clock.
 *
 * `AFTERCARE_MODEL_RUNS` sets the number of runs (default a few, for the suite's time),
 * `AFTERCARE_MODEL_SEED` replays one seed.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import type { Role } from '../../src/auth/index.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import { verifyClaimChain } from '../../src/claims/claim-history.ts'
import { STAFF_ONLY_EVENTS } from '../../src/claims/domain/claim-events.ts'
import {
  CLAIM_STATES,
  type ClaimParty,
  type ClaimState,
  checkTransition,
  closeOutcomesFrom,
  findTransition,
  type LifecycleFacts,
  listAllowedActions,
  TERMINAL_STATES,
} from '../../src/claims/domain/claim-lifecycle.ts'
import type { Handler, Remedy } from '../../src/contracts/decision.ts'
import type { Engine } from '../../src/db/database.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { multipartBody } from '../../src/shared/multipart-body.test-support.ts'
import {
  addDays,
  type ClaimsWorld,
  fullInspection,
  newSerial,
  ORG,
  openClaimBody,
  openClaimsWorld,
  type Party,
  packageOf,
  seedIstExpiredUnit,
  seedPlayerOneDealerUnit,
  seedRetailerUnit,
  seedShenzhenAgentUnit,
  seedTouptekDoaUnit,
  seedUnit,
  TODAY,
} from './claim-factories.ts'

// ---- the parties --------------------------------------------------------------------------

const PARTY_NAMES = [
  'owner',
  'otherCustomer',
  'sellingDealer',
  'unrelatedDealer',
  'maker',
  'support',
  'technician',
  'manager',
] as const
type PartyName = (typeof PARTY_NAMES)[number]

const LIFECYCLE_PARTY: Record<PartyName, ClaimParty> = {
  owner: 'customer',
  otherCustomer: 'customer',
  sellingDealer: 'dealer',
  unrelatedDealer: 'dealer',
  maker: 'dealer',
  support: 'staff',
  technician: 'staff',
  manager: 'staff',
}

/** The staff role each staff party acts in: a technician does not weigh proofs of purchase. */
const STAFF_ROLE: Partial<Record<PartyName, Role>> = {
  support: 'support',
  technician: 'technician',
  manager: 'manager',
}

// ---- the units a run may claim on -----------------------------------------------------------

interface UnitKind {
  name: string
  model: string
  seed: (world: ClaimsWorld) => Promise<string>
  /** Sold through the selling dealer (Starlight), which then sees the claim. */
  viaDealer: boolean
}

const UNITS: readonly UnitKind[] = [
  { name: 'touptek direct', model: 'touptek-atr2600c', seed: seedTouptekDoaUnit, viaDealer: false },
  { name: 'retailer direct', model: 'player-one-ares-c-pro', seed: seedRetailerUnit, viaDealer: false },
  {
    name: 'agent brand (maker serves)',
    model: 'aurora-mounts-aurora-am5-harmonic-mount',
    seed: seedShenzhenAgentUnit,
    viaDealer: false,
  },
  {
    name: 'out of warranty',
    model: 'beijing-ist-ist-obspc-mini',
    seed: seedIstExpiredUnit,
    viaDealer: false,
  },
  {
    name: 'via a dealer that handles it',
    model: 'player-one-zeus-455m-pro',
    seed: seedPlayerOneDealerUnit,
    viaDealer: true,
  },
  {
    name: 'via a dealer that does not handle it',
    model: 'touptek-atr2600c',
    seed: (world) =>
      seedUnit(world, {
        model: 'touptek-atr2600c',
        policy: 'touptek',
        sellerOrgId: ORG.touptek,
        channel: 'dealer',
        dealerOrgId: ORG.starlight,
        purchasedOn: addDays(TODAY, -15),
        deliveredOn: addDays(TODAY, -10),
      }),
    viaDealer: true,
  },
]

// ---- the model ----------------------------------------------------------------------------

interface Decision {
  provisional: boolean
  covered: boolean
  remedies: string[]
  handler: string
  service?: string
  exclusions: { code: string; clause: string }[]
  trace: { clause: string }[]
}

interface ClaimJson {
  id: string
  state: ClaimState
  version: number
  brand: 'own' | 'agent'
  provisionalDecision: Decision | null
  finalDecision: Decision | null
  quote: {
    id: string
    status: 'sent' | 'accepted' | 'declined'
    customerTotalMinor: number
    paidMinor: number
  } | null
  allowedActions: string[]
}

interface Model {
  state: ClaimState
  /** Where `provide-info` returns to: the state `request-info` left. */
  resumeState: ClaimState | null
  version: number
  events: number
  files: number
}

interface Real {
  world: ClaimsWorld
  parties: Record<PartyName, Party>
  unit: UnitKind
  serial: string
  contents: string[]
  id: string
  /** The claim as staff read it after the last command. */
  claim: ClaimJson
  etag: string
  /** ETags the claim had before: stale ones. */
  pastEtags: string[]
}

/** A claim id no claim has. */
const NO_SUCH_CLAIM = '00000000-0000-4000-8000-000000000000'

/** Whether the party may see the claim at all: staff, the owner, the dealer that sold the unit. */
function sees(party: PartyName, unit: UnitKind): boolean {
  if (LIFECYCLE_PARTY[party] === 'staff') return true
  if (party === 'owner') return true
  if (party === 'sellingDealer') return unit.viaDealer
  return false
}

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** The paths of every amount (a member named `…Minor`) in a JSON value but in cost lines the dealer pays. */
function amountsOutsideDealerLines(value: unknown, path = '$'): string[] {
  if (Array.isArray(value))
    return value.flatMap((item, i) =>
      isJsonObject(item) && item.payer === 'dealer' ? [] : amountsOutsideDealerLines(item, `${path}[${i}]`),
    )
  if (!isJsonObject(value)) return []
  return Object.entries(value).flatMap(([key, member]) => [
    ...(key.endsWith('Minor') ? [`${path}.${key}`] : []),
    ...amountsOutsideDealerLines(member, `${path}.${key}`),
  ])
}

const handlerOf = (claim: ClaimJson): string | undefined =>
  (claim.finalDecision ?? claim.provisionalDecision)?.handler

/** The lifecycle's facts, the model's state and resume point with the decision and quote the claim holds. */
function factsOf(model: Model, claim: ClaimJson): LifecycleFacts {
  const decision = claim.finalDecision ?? claim.provisionalDecision
  return {
    state: model.state,
    resumeState: model.resumeState,
    brand: claim.brand,
    decision: decision && {
      provisional: decision.provisional,
      covered: decision.covered,
      remedies: decision.remedies as Remedy[],
      handler: decision.handler as Handler,
      service: decision.service,
    },
    // The world's clock moves by hours only, far short of a quote's validity.
    quote: claim.quote && {
      status: claim.quote.status,
      customerTotalMinor: claim.quote.customerTotalMinor,
      paidMinor: claim.quote.paidMinor,
      expired: false,
    },
  }
}

// ---- bodies: from the step's schema in the API document, and one shaped for the claim -------

type Json = Record<string, unknown>

/** An arbitrary of values a JSON schema (as the API document gives it) accepts. */
function fromSchema(schema: Json | undefined): fc.Arbitrary<unknown> {
  if (!schema) return fc.constant({})
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]))
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Json>
      const model: Record<string, fc.Arbitrary<unknown>> = {}
      for (const [key, sub] of Object.entries(properties)) model[key] = fromSchema(sub)
      return fc.record(model, { requiredKeys: (schema.required as string[] | undefined) ?? [] })
    }
    case 'array':
      return fc.array(fromSchema(schema.items as Json), {
        minLength: (schema.minItems as number | undefined) ?? 0,
        maxLength: Math.min((schema.maxItems as number | undefined) ?? 3, 3),
      })
    case 'string': {
      if (schema.pattern === '^\\d{4}-\\d{2}-\\d{2}$')
        return fc.integer({ min: -40, max: 40 }).map((days) => addDays(TODAY, days))
      if (typeof schema.pattern === 'string' && schema.pattern.startsWith('^https?'))
        return fc.webUrl({ validSchemes: ['https'] })
      const minLength = (schema.minLength as number | undefined) ?? 0
      const maxLength = (schema.maxLength as number | undefined) ?? 40
      const bounds = { minLength, maxLength: Math.max(minLength, Math.min(maxLength, 40)) }
      // Plain text mostly; now and then any character at all (controls, lone surrogates,
      // right-to-left marks), which the edge refuses and no database must ever see.
      return fc.oneof(
        { weight: 4, arbitrary: fc.string(bounds) },
        { weight: 1, arbitrary: fc.string({ ...bounds, unit: 'grapheme' }) },
        { weight: 1, arbitrary: fc.string({ ...bounds, unit: 'binary' }) },
      )
    }
    case 'integer': {
      const min =
        (schema.minimum as number | undefined) ?? ((schema.exclusiveMinimum as number | undefined) ?? -1) + 1
      const max = Math.min((schema.maximum as number | undefined) ?? 1_000_000, 1_000_000_000)
      return fc.integer({ min, max })
    }
    case 'number':
      return fc.double({ noNaN: true })
    case 'boolean':
      return fc.boolean()
    default:
      return fc.anything()
  }
}

/** Ways to break a body that the schema accepts: a required field gone, a field of the wrong type. */
function broken(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.nat(), fc.constantFrom<unknown>(null, 42, -1, '', 'x', true, [], {}, 1.5, '9999-99-99'))
    .map(([body, at, junk]) => {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return junk
      const keys = Object.keys(body)
      if (keys.length === 0) return { unexpected: junk }
      const copy: Json = { ...(body as Json) }
      copy[keys[at % keys.length]!] = junk
      return copy
    })
}

/** A body for the action shaped for the claim as it stands: the one a careful client sends. */
function carefulBody(action: string, real: Real, model: Model, proofIds: string[]): Json {
  const { serial, contents, claim } = real
  switch (action) {
    case 'record-selfcheck':
      return { checklist: 'generic', results: [{ checkId: 'power-cables', passed: false }] }
    case 'request-info':
      return { request: 'Please send a photo of the label on the underside.' }
    case 'provide-info':
      // Evidence counts only with a file on the claim that shows it: the answer alone.
      return { answer: 'The fan stops first, then the image.' }
    case 'resolve-remotely':
      return { fix: 'software-upgrade', note: 'Driver 3.2' }
    case 'schedule-pickup':
      return { pickupOn: addDays(TODAY, 30) }
    case 'record-inspection':
      return fullInspection(serial, contents)
    case 'send-quote':
      // Parts and labour: a decision may charge the customer one and not the other (seed 002).
      return {
        lines: [
          { kind: 'parts', description: 'Main board', quantity: 1, unitPriceMinor: 12000 },
          { kind: 'labour', description: 'Bench repair', quantity: 1, unitPriceMinor: 4500 },
        ],
      }
    case 'accept-quote':
    case 'decline-quote':
      // Staff record the customer's word, and say how they gave it.
      return { quoteId: claim.quote?.id ?? 'no-quote', note: 'By phone.' }
    case 'record-payment':
      return {
        amountMinor: Math.max(1, claim.quote ? claim.quote.customerTotalMinor - claim.quote.paidMinor : 1),
      }
    case 'submit-payment-proof':
      return { fileIds: proofIds.length > 0 ? proofIds : ['not-an-upload'] }
    case 'complete-repair':
      return { lines: [{ kind: 'parts', description: 'TEC module', quantity: 1, unitPriceMinor: 9000 }] }
    case 'issue-replacement':
      return { newSerial: newSerial('RPL') }
    case 'issue-refund':
      return { amountMinor: 100 }
    case 'forward-to-maker':
      return { carrier: 'SF Express', trackingNumber: 'SF1' }
    case 'ship-return':
      return { carrier: 'DHL', trackingNumber: 'DHL-1' }
    case 'close': {
      const outcome = closeOutcomesFrom(model.state)?.[0]
      return outcome ? { outcome } : {}
    }
    // The claim's unit has its proof on file: no proof waits to be weighed, whichever file is named.
    case 'accept-purchase-proof':
      return { fileId: 'not-an-upload' }
    case 'refuse-purchase-proof':
      return { fileId: 'not-an-upload', reason: 'The invoice names another serial number.' }
    case 'cancel':
      return { reason: 'The cable was loose.' }
    default:
      return {}
  }
}

// ---- requests -----------------------------------------------------------------------------

/** The smallest PNG there is: one transparent pixel. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)

function multipart(files: { filename: string; content: Buffer }[], fields: Record<string, string>) {
  return multipartBody([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    ...files.map((file) => ({ name: 'files', filename: file.filename, data: file.content })),
  ])
}

interface Answer {
  statusCode: number
  body: string
  headers: Record<string, unknown>
  json(): unknown
}

type Send = (id: string) => Promise<Answer>

/**
 * Sends the request for the claim and, where the party may not see it, the same request for
 * a claim that does not exist: the two answers must be one.
 */
async function sendAndCompare(real: Real, party: PartyName, send: Send, label: string): Promise<Answer> {
  const response = await send(real.id)
  checkAnswer(response, label)
  if (!sees(party, real.unit)) {
    const nowhere = await send(NO_SUCH_CLAIM)
    assert.equal(
      response.statusCode,
      nowhere.statusCode,
      `${label}: ${response.body} | nowhere: ${nowhere.body}`,
    )
    assert.equal(
      response.body.replaceAll(real.id, NO_SUCH_CLAIM),
      nowhere.body,
      `${label}: the answer tells the claim is there`,
    )
    assert.ok(response.statusCode >= 400, `${label}: an outsider got ${response.statusCode}`)
  }
  return response
}

/** No 5xx; a refusal names a field or a reason. */
function checkAnswer(response: Answer, label: string): void {
  assert.ok(response.statusCode < 500, `${label}: ${response.statusCode} ${response.body.slice(0, 400)}`)
  if (response.statusCode >= 400) {
    const error = (response.json() as { error?: { field?: string; messageKey?: string } }).error
    assert.ok(
      error && (typeof error.field === 'string' || typeof error.messageKey === 'string'),
      `${label}: a ${response.statusCode} names neither a field nor a reason: ${response.body.slice(0, 400)}`,
    )
  }
}

async function staffGet(real: Real, url: string): Promise<Answer> {
  const response = await real.world.app.inject({
    method: 'GET',
    url,
    headers: real.parties.technician.headers,
  })
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`)
  return response
}

// ---- the invariants after every command ---------------------------------------------------

const CLAUSE = /^[a-z0-9-]+#[a-z0-9-]+$/

function checkDecision(decision: Decision | null, label: string): void {
  if (!decision) return
  assert.ok(decision.trace.length > 0, `${label}: a decision without a trace`)
  for (const line of decision.trace) assert.match(line.clause, CLAUSE, `${label}: trace clause`)
  if (decision.covered) return
  assert.ok(decision.exclusions.length > 0, `${label}: a denial without a reason`)
  for (const exclusion of decision.exclusions) {
    assert.ok(exclusion.code.length > 0, `${label}: an exclusion without a code`)
    assert.match(exclusion.clause, CLAUSE, `${label}: exclusion ${exclusion.code} names no clause`)
  }
}

interface ClockJson {
  kind: string
  status: string
  pausedAt: string | null
  stoppedAt: string | null
}

/** The states the runs took claims to, so a run that stays shallow shows. */
const reached = new Set<string>()

async function checkInvariants(model: Model, real: Real, label: string): Promise<void> {
  reached.add(model.state)
  const read = await staffGet(real, `/api/v1/claims/${real.id}`)
  const claim = read.json() as ClaimJson
  assert.equal(claim.state, model.state, `${label}: the claim's state is not the model's`)
  assert.equal(claim.version, model.version, `${label}: version`)
  assert.equal(String(read.headers.etag), `"${model.version}"`, `${label}: ETag`)
  const events = (await staffGet(real, `/api/v1/claims/${real.id}/events?limit=200`)).json() as {
    items: unknown[]
  }
  assert.equal(events.items.length, model.events, `${label}: events`)
  const files = (await staffGet(real, `/api/v1/claims/${real.id}/files`)).json() as { items: unknown[] }
  assert.equal(files.items.length, model.files, `${label}: files`)
  const chain = await verifyClaimChain(real.world.database.db, real.id)
  assert.ok(chain.ok, `${label}: the event chain breaks: ${JSON.stringify(chain.broken)}`)
  checkDecision(claim.provisionalDecision, `${label} (provisional)`)
  checkDecision(claim.finalDecision, `${label} (final)`)
  const clocks = (await staffGet(real, `/api/v1/claims/${real.id}/clocks`)).json() as { items: ClockJson[] }
  for (const clock of clocks.items) {
    const what = `${label}: clock ${clock.kind} ${clock.status}`
    if (clock.status === 'running' || clock.status === 'paused')
      assert.equal(clock.stoppedAt, null, `${what} has stopped`)
    if (clock.status === 'met' || clock.status === 'cancelled') assert.notEqual(clock.stoppedAt, null, what)
    assert.equal(clock.pausedAt !== null, clock.status === 'paused', `${what}, pausedAt ${clock.pausedAt}`)
    if (TERMINAL_STATES.includes(model.state))
      assert.notEqual(clock.stoppedAt, null, `${what}: open on a ${model.state} claim`)
  }
  real.claim = claim
  if (real.etag !== String(read.headers.etag)) real.pastEtags.push(real.etag)
  real.etag = String(read.headers.etag)
}

/** What every party is offered is what the lifecycle allows it. */
async function checkOffers(model: Model, real: Real, party: PartyName, response: Answer, label: string) {
  if (!sees(party, real.unit) || response.statusCode !== 200) return
  const seen = response.json() as ClaimJson
  assert.deepEqual(
    [...seen.allowedActions].sort(),
    listAllowedActions(factsOf(model, real.claim), LIFECYCLE_PARTY[party], STAFF_ROLE[party]).sort(),
    `${label}: offered steps`,
  )
}

// ---- the commands -------------------------------------------------------------------------

type Cmd = fc.AsyncCommand<Model, Real>

/**
 * `given`: the generated action; `allowed`: one of those the lifecycle allows the party now;
 * `onward`: one of those that carries the claim on (not a pause, a cancel or a fact recorded
 * in place). Random actions alone seldom take a claim past its first states.
 */
type Pick = 'given' | 'allowed' | 'onward'

const movesOn = (action: string): boolean => {
  const rule = findTransition(action)
  return rule !== undefined && rule.to !== 'stay' && rule.to !== 'cancelled' && rule.to !== 'awaiting-info'
}

type EtagKind = 'current' | 'stale' | 'missing' | 'garbage' | 'future'

class Step implements Cmd {
  constructor(
    readonly party: PartyName,
    readonly action: string,
    readonly pick: Pick,
    readonly etag: EtagKind,
    readonly body: { kind: 'careful' } | { kind: 'generated'; value: unknown },
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const lifecycleParty = LIFECYCLE_PARTY[this.party]
    const allowed = sees(this.party, real.unit)
      ? listAllowedActions(factsOf(model, real.claim), lifecycleParty, STAFF_ROLE[this.party])
      : []
    const choices = this.pick === 'onward' ? allowed.filter(movesOn) : this.pick === 'allowed' ? allowed : []
    const action = choices.length > 0 ? choices[this.action.length % choices.length]! : this.action
    const actor = real.parties[this.party]
    const proofIds: string[] = []
    if (action === 'submit-payment-proof' && this.body.kind === 'careful') {
      const held = await upload(real, this.party, 'held', 'payment-proof')
      if (held.statusCode === 201)
        proofIds.push(...(held.json() as { items: { id: string }[] }).items.map((f) => f.id))
    }
    const body = this.body.kind === 'careful' ? carefulBody(action, real, model, proofIds) : this.body.value
    const headers: Record<string, string> = { ...actor.headers }
    const stale = real.pastEtags.at(-1) ?? '"0"'
    if (this.etag === 'current') headers['if-match'] = real.etag
    else if (this.etag === 'stale') headers['if-match'] = stale
    else if (this.etag === 'garbage') headers['if-match'] = 'W/"x"'
    else if (this.etag === 'future') headers['if-match'] = `"${model.version + 1}"`
    const label = `${this.party} ${action} (${this.etag}, ${this.body.kind}) from ${model.state}`
    const response = await sendAndCompare(
      real,
      this.party,
      (id) =>
        real.world.app.inject({
          method: 'POST',
          url: `/api/v1/claims/${id}/transitions/${action}`,
          headers,
          payload: body as object,
        }),
      label,
    )
    const said = `${label}: ${response.statusCode} ${response.body.slice(0, 300)}`
    const verdict = checkTransition(
      factsOf(model, real.claim),
      action,
      lifecycleParty,
      STAFF_ROLE[this.party],
    )
    const jsonBody = typeof body === 'object' && body !== null
    if (sees(this.party, real.unit) && jsonBody) {
      if (this.etag === 'missing') assert.equal(response.statusCode, 428, said)
      else if (this.etag !== 'current' && !(this.etag === 'stale' && stale === real.etag))
        assert.equal(response.statusCode, 412, said)
    }
    if (response.statusCode === 200) {
      assert.ok(verdict.ok, `${said}: the lifecycle refuses it (${verdict.ok ? '' : verdict.reason})`)
      assert.ok(sees(this.party, real.unit), said)
      if (action === 'request-info') model.resumeState = model.state
      model.state = verdict.to
      model.version += 1
      const events = (await staffGet(real, `/api/v1/claims/${real.id}/events?limit=200`)).json() as {
        items: unknown[]
      }
      assert.ok(events.items.length > model.events, `${said}: a step without an event`)
      model.events = events.items.length
      // A step with files (an answer, a proof of payment) brings them to the claim.
      model.files = (
        (await staffGet(real, `/api/v1/claims/${real.id}/files`)).json() as { items: unknown[] }
      ).items.length
    } else {
      assert.ok(response.statusCode >= 400, said)
      if (sees(this.party, real.unit) && this.etag === 'current' && jsonBody) {
        // The careful body of a step the lifecycle allows is taken.
        if (this.body.kind === 'careful')
          assert.ok(!verdict.ok, `${said}: the lifecycle allows it, with a careful body`)
        if (response.statusCode === 403)
          assert.ok(!verdict.ok && verdict.forbidden, `${said}: 403, yet the lifecycle does not forbid it`)
        if (!verdict.ok && this.body.kind === 'careful')
          assert.equal(response.statusCode, verdict.forbidden ? 403 : 409, said)
      }
    }
    await checkInvariants(model, real, label)
  }
  toString = () =>
    `Step(${this.party}, ${this.pick === 'allowed' ? `allowed#${this.action.length}` : this.action}, ${this.etag}, ${JSON.stringify(this.body)})`
}

const ENDINGS: readonly string[] = ['resolved-remotely', 'refunded', 'closed']

/** The parties that carry a claim along when they may. */
const MOVERS: readonly PartyName[] = ['technician', 'support', 'manager', 'owner', 'sellingDealer']

/**
 * One of the steps that carry the claim on, taken with a careful body and the current ETag by
 * a party the lifecycle lets take it: the runs reach the far states (a quote paid, a unit back
 * from the maker, delivered) instead of wandering around `new`.
 */
class Advance implements Cmd {
  constructor(readonly choice: number) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const facts = factsOf(model, real.claim)
    const moves = MOVERS.filter((party) => sees(party, real.unit)).flatMap((party) =>
      listAllowedActions(facts, LIFECYCLE_PARTY[party], STAFF_ROLE[party])
        .filter(movesOn)
        .map((action) => [party, action] as const),
    )
    // Mostly a step that keeps the claim going: ending it early leaves the far states unseen.
    const going = moves.filter(([, action]) => !ENDINGS.includes(findTransition(action)?.to ?? ''))
    const pool = this.choice < 9 && going.length > 0 ? going : moves
    if (pool.length === 0) return
    const [party, action] = pool[this.choice % pool.length]!
    await new Step(party, action, 'given', 'current', { kind: 'careful' }).run(model, real)
  }
  toString = () => `Advance(${this.choice})`
}

async function upload(real: Real, party: PartyName, where: 'claim' | 'held', kind: string, file = PNG) {
  const form = multipart([{ filename: 'photo.png', content: file }], { kind })
  return real.world.app.inject({
    method: 'POST',
    url: where === 'held' ? '/api/v1/files' : `/api/v1/claims/${real.id}/files`,
    headers: { ...real.parties[party].headers, 'content-type': form.contentType },
    payload: form.payload,
  })
}

class Upload implements Cmd {
  constructor(
    readonly party: PartyName,
    readonly kind: string,
    readonly content: 'png' | 'text' | 'empty',
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const file =
      this.content === 'png' ? PNG : this.content === 'text' ? Buffer.from('not a picture') : Buffer.alloc(0)
    const label = `${this.party} uploads ${this.kind} (${this.content}) in ${model.state}`
    const response = await sendAndCompare(
      real,
      this.party,
      async (id) => {
        const form = multipart([{ filename: 'photo.png', content: file }], { kind: this.kind })
        return real.world.app.inject({
          method: 'POST',
          url: `/api/v1/claims/${id}/files`,
          headers: { ...real.parties[this.party].headers, 'content-type': form.contentType },
          payload: form.payload,
        })
      },
      label,
    )
    if (response.statusCode === 201) {
      assert.ok(sees(this.party, real.unit), label)
      model.files += (response.json() as { items: unknown[] }).items.length
    }
    await checkInvariants(model, real, label)
  }
  toString = () => `Upload(${this.party}, ${this.kind}, ${this.content})`
}

/** Files an answer carries: none, one the writer holds, one of the claim's, one of another's, one that is not there. */
type Attach = 'none' | 'held' | 'claim' | 'othersHeld' | 'bogus'

class Answer_ implements Cmd {
  constructor(
    readonly party: PartyName,
    readonly text: string,
    readonly internal: boolean,
    readonly attach: Attach = 'none',
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const label = `${this.party} writes${this.internal ? ' an internal note' : ''} with ${this.attach} files in ${model.state}`
    const before = model.state
    const fileIds: string[] = []
    if (this.attach === 'held' || this.attach === 'othersHeld') {
      const holder = this.attach === 'held' ? this.party : this.party === 'owner' ? 'otherCustomer' : 'owner'
      const held = await upload(real, holder, 'held', 'defect-media')
      if (held.statusCode === 201)
        fileIds.push(...(held.json() as { items: { id: string }[] }).items.map((f) => f.id))
    } else if (this.attach === 'claim') {
      const files = (await staffGet(real, `/api/v1/claims/${real.id}/files`)).json() as {
        items: { id: string }[]
      }
      fileIds.push(...files.items.slice(0, 1).map((f) => f.id))
    } else if (this.attach === 'bogus') fileIds.push('no-such-file')
    const response = await sendAndCompare(
      real,
      this.party,
      (id) =>
        real.world.app.inject({
          method: 'POST',
          url: `/api/v1/claims/${id}/messages`,
          headers: real.parties[this.party].headers,
          payload: { body: this.text, internal: this.internal, fileIds },
        }),
      label,
    )
    const answers = before === 'awaiting-info' && !this.internal && LIFECYCLE_PARTY[this.party] !== 'staff'
    if (response.statusCode === 201) {
      assert.ok(sees(this.party, real.unit), label)
      if (answers) {
        const verdict = checkTransition(
          factsOf(model, real.claim),
          'provide-info',
          LIFECYCLE_PARTY[this.party],
        )
        assert.ok(verdict.ok, `${label}: answered, yet the lifecycle refuses provide-info`)
        model.state = verdict.to
        model.version += 1
      }
      const events = (await staffGet(real, `/api/v1/claims/${real.id}/events?limit=200`)).json() as {
        items: unknown[]
      }
      model.events = events.items.length
      // A file the writer held joins the claim with the message; another's never does.
      assert.notEqual(this.attach, 'othersHeld', `${label}: a message carried a file another person holds`)
      assert.notEqual(this.attach, 'bogus', `${label}: a message carried a file that is not there`)
      if (this.attach === 'held') model.files += fileIds.length
    }
    await checkInvariants(model, real, label)
  }
  toString = () => `Answer(${this.party}, ${JSON.stringify(this.text)}, ${this.internal}, ${this.attach})`
}

const READS = [
  'page',
  'list',
  'files',
  'download',
  'messages',
  'payment',
  'events',
  'quotes',
  'clocks',
] as const
type ReadKind = (typeof READS)[number]

class Read implements Cmd {
  constructor(
    readonly party: PartyName,
    readonly what: ReadKind,
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const label = `${this.party} reads ${this.what} in ${model.state}`
    const headers = real.parties[this.party].headers
    const visible = sees(this.party, real.unit)
    if (this.what === 'download') {
      // Every file of the claim: the uploader and staff always, a party of the claim unless it
      // is a proof of payment a dealer not handling the claim has no business with; anyone
      // else the answer a file that does not exist gets.
      const files = (
        (await staffGet(real, `/api/v1/claims/${real.id}/files`)).json() as {
          items: { id: string; kind: string; uploadedBy: string }[]
        }
      ).items
      const nowhere = await real.world.app.inject({
        method: 'GET',
        url: `/api/v1/files/${NO_SUCH_CLAIM}`,
        headers,
      })
      for (const file of files) {
        const response = await real.world.app.inject({
          method: 'GET',
          url: `/api/v1/files/${file.id}`,
          headers,
        })
        checkAnswer(response, label)
        const may =
          file.uploadedBy === real.parties[this.party].userId ||
          LIFECYCLE_PARTY[this.party] === 'staff' ||
          (visible &&
            (file.kind !== 'payment-proof' ||
              LIFECYCLE_PARTY[this.party] !== 'dealer' ||
              handlerOf(real.claim) === 'dealer'))
        if (may)
          assert.equal(response.statusCode, 200, `${label} ${file.kind}: ${response.body.slice(0, 200)}`)
        else {
          assert.equal(response.statusCode, nowhere.statusCode, `${label} ${file.kind}`)
          assert.equal(
            response.body.replaceAll(file.id, NO_SUCH_CLAIM),
            nowhere.body,
            `${label} ${file.kind}`,
          )
        }
      }
      await checkInvariants(model, real, label)
      return
    }
    if (this.what === 'list') {
      const response = await real.world.app.inject({
        method: 'GET',
        url: '/api/v1/claims?limit=100',
        headers,
      })
      checkAnswer(response, label)
      const ids = (response.json() as { items: { id: string }[] }).items.map((item) => item.id)
      assert.equal(ids.includes(real.id), visible, `${label}: listed ${ids.includes(real.id)}`)
      return
    }
    const path = this.what === 'page' ? '' : `/${this.what}`
    const response = await sendAndCompare(
      real,
      this.party,
      (id) => real.world.app.inject({ method: 'GET', url: `/api/v1/claims/${id}${path}`, headers }),
      label,
    )
    if (visible) {
      const notHandling = LIFECYCLE_PARTY[this.party] === 'dealer' && handlerOf(real.claim) !== 'dealer'
      const expected =
        this.what === 'clocks' && LIFECYCLE_PARTY[this.party] !== 'staff'
          ? 404
          : this.what === 'payment' && notHandling
            ? 403
            : this.what === 'payment' && !real.claim.quote
              ? 404
              : 200
      assert.equal(response.statusCode, expected, `${label}: ${response.body.slice(0, 300)}`)
    }
    if (this.what === 'page') await checkOffers(model, real, this.party, response, label)
    if (this.what === 'events' && response.statusCode === 200 && LIFECYCLE_PARTY[this.party] !== 'staff') {
      const items = (response.json() as { items: { type: string }[] }).items
      for (const item of items)
        assert.ok(
          !STAFF_ONLY_EVENTS.includes(item.type as never),
          `${label}: ${item.type} shown to ${this.party}`,
        )
    }
    if (
      (this.what === 'page' || this.what === 'events' || this.what === 'quotes') &&
      response.statusCode === 200 &&
      LIFECYCLE_PARTY[this.party] === 'dealer' &&
      handlerOf(real.claim) !== 'dealer'
    )
      // The customer's money is the customer's and the service's: a dealer that only sold the
      // unit reads no amount but those of the cost lines it pays.
      assert.deepEqual(amountsOutsideDealerLines(response.json()), [], `${label}: amounts shown`)
    if (this.what === 'messages' && response.statusCode === 200 && LIFECYCLE_PARTY[this.party] !== 'staff') {
      const items = (response.json() as { items: { internal: boolean }[] }).items
      assert.ok(
        items.every((item) => !item.internal),
        `${label}: a staff note shown to ${this.party}`,
      )
    }
    if (this.what === 'files' && response.statusCode === 200 && this.party === 'sellingDealer') {
      // A proof of payment is the payer's and the payee's business, not a dealer's that only sold the unit.
      const handles = handlerOf(real.claim) === 'dealer'
      const items = (response.json() as { items: { kind: string; uploadedBy?: string }[] }).items
      if (!handles)
        assert.ok(
          items.every(
            (file) => file.kind !== 'payment-proof' || file.uploadedBy === real.parties.sellingDealer.userId,
          ),
          `${label}: a dealer not handling the claim sees the proof of payment`,
        )
    }
    await checkInvariants(model, real, label)
  }
  toString = () => `Read(${this.party}, ${this.what})`
}

class OpenAgain implements Cmd {
  constructor(
    readonly party: PartyName,
    readonly body: { kind: 'careful' } | { kind: 'generated'; value: unknown },
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const label = `${this.party} opens a claim on the unit again in ${model.state}`
    const payload = this.body.kind === 'careful' ? openClaimBody(real.serial) : (this.body.value as object)
    const response = await real.world.app.inject({
      method: 'POST',
      url: '/api/v1/claims',
      headers: real.parties[this.party].headers,
      payload,
    })
    checkAnswer(response, label)
    if (response.statusCode === 201) {
      // Nobody opens a claim on a unit that is not theirs to claim for.
      assert.ok(sees(this.party, real.unit), `${label}: ${response.body.slice(0, 300)}`)
      const opened = response.json() as { id: string; state: string }
      assert.equal(opened.state, 'new', label)
      const chain = await verifyClaimChain(real.world.database.db, opened.id)
      assert.ok(chain.ok, `${label}: ${JSON.stringify(chain.broken)}`)
    }
    await checkInvariants(model, real, label)
  }
  toString = () => `OpenAgain(${this.party}, ${JSON.stringify(this.body)})`
}

class TimePasses implements Cmd {
  constructor(readonly hours: number) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    real.world.clock.now = new Date(real.world.clock.now.getTime() + this.hours * 3_600_000)
    await checkInvariants(model, real, `${this.hours} h later`)
  }
  toString = () => `TimePasses(${this.hours})`
}

// ---- generators ---------------------------------------------------------------------------

function commandArbitraries(schemas: Record<string, Json | undefined>, actions: string[]) {
  const party = fc.constantFrom<PartyName>(...PARTY_NAMES, 'owner', 'technician', 'technician', 'manager')
  const etag = fc.constantFrom<EtagKind>(
    ...Array<EtagKind>(10).fill('current'),
    'stale',
    'missing',
    'garbage',
    'future',
  )
  const bodyFor = (action: string) => {
    const valid = fromSchema(schemas[action])
    return fc.oneof(
      { weight: 6, arbitrary: fc.constant({ kind: 'careful' as const }) },
      { weight: 2, arbitrary: valid.map((value) => ({ kind: 'generated' as const, value })) },
      { weight: 1, arbitrary: broken(valid).map((value) => ({ kind: 'generated' as const, value })) },
    )
  }
  const step = fc
    .tuple(
      party,
      fc.constantFrom(...actions),
      fc.constantFrom<Pick>('given', 'allowed', 'onward', 'onward', 'onward'),
      etag,
    )
    .chain(([who, action, pick, tag]) =>
      bodyFor(action).map((body) => new Step(who, action, pick, tag, body)),
    )
  const openBody = fromSchema(schemas.open)
  return [
    // Steps most of all, and those the party is allowed most of those, or claims stay in `new`.
    step,
    step,
    step,
    step,
    fc.nat(11).map((choice) => new Advance(choice)),
    fc.nat(11).map((choice) => new Advance(choice)),
    fc.nat(11).map((choice) => new Advance(choice)),
    fc.nat(11).map((choice) => new Advance(choice)),
    fc
      .tuple(
        party,
        fc.constantFrom(...FILE_KINDS_SENT),
        fc.constantFrom<'png' | 'text' | 'empty'>('png', 'png', 'text', 'empty'),
      )
      .map(([who, kind, content]) => new Upload(who, kind, content)),
    fc
      .tuple(
        party,
        fc.oneof(fc.constant('The label is attached.'), fc.string({ maxLength: 30 })),
        fc.boolean(),
        fc.constantFrom<Attach>('none', 'none', 'held', 'claim', 'othersHeld', 'bogus'),
      )
      .map(([who, text, internal, attach]) => new Answer_(who, text, internal, attach)),
    fc.tuple(party, fc.constantFrom(...READS)).map(([who, what]) => new Read(who, what)),
    fc.tuple(party, fc.constantFrom(...READS)).map(([who, what]) => new Read(who, what)),
    fc
      .tuple(
        party,
        fc.oneof(
          fc.constant({ kind: 'careful' as const }),
          fc.oneof(openBody, broken(openBody)).map((value) => ({ kind: 'generated' as const, value })),
        ),
      )
      .map(([who, body]) => new OpenAgain(who, body)),
    fc.integer({ min: 1, max: 6 }).map((hours) => new TimePasses(hours)),
  ]
}

const FILE_KINDS_SENT = [
  'defect-media',
  'serial-photo',
  'payment-proof',
  'logo',
  'other',
  'no-such-kind',
] as const

const RUNS = Number(process.env.AFTERCARE_MODEL_RUNS ?? 0)
const SEED = process.env.AFTERCARE_MODEL_SEED ? Number(process.env.AFTERCARE_MODEL_SEED) : undefined

for (const engine of testEngines()) {
  describe(`${engine}: one claim's life played by every party`, () => {
    let world: ClaimsWorld
    let parties: Record<PartyName, Party>
    let schemas: Record<string, Json | undefined>
    let actions: string[]
    const packages = new Map<string, string[]>()

    before(async () => {
      world = await openClaimsWorld(engine as Engine)
      parties = {
        owner: world.customer,
        otherCustomer: world.otherCustomer,
        sellingDealer: world.dealer,
        unrelatedDealer: world.otherDealer,
        maker: {
          ...(await createTestUser(world.database.db, { role: 'dealer', orgId: ORG.aurora })),
          orgId: ORG.aurora,
        },
        support: await createTestUser(world.database.db, { role: 'support' }),
        technician: world.staff,
        manager: await createTestUser(world.database.db, { role: 'manager' }),
      }
      for (const unit of UNITS) packages.set(unit.model, await packageOf(world, unit.model))
      const doc = (await world.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
        paths: Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: Json }> } } }>
      }
      schemas = {}
      actions = []
      for (const [path, item] of Object.entries(doc.paths)) {
        const schema = item.post?.requestBody?.content?.['application/json']?.schema
        const action = /^\/api\/v1\/claims\/\{id\}\/transitions\/([a-z-]+)$/.exec(path)?.[1]
        if (action) {
          actions.push(action)
          schemas[action] = schema
        }
        if (path === '/api/v1/claims') schemas.open = schema
      }
      assert.ok(actions.length > 20, 'the API document lists the steps')
    })
    after(async () => {
      await world.close()
      const missed = CLAIM_STATES.filter((state) => !reached.has(state))
      if (missed.length > 0) console.log(`states no run reached: ${missed.join(', ')}`)
    })

    it('keeps every invariant whoever takes whichever step', async () => {
      // PostgreSQL answers each request several times slower: fewer runs keep the file within a minute.
      const runs = RUNS > 0 ? RUNS : engine === 'sqlite' ? 6 : 3
      await fc.assert(
        fc.asyncProperty(
          fc.nat(UNITS.length - 1),
          fc.boolean(),
          fc.commands(commandArbitraries(schemas, actions), {
            maxCommands: 25,
            size: 'max',
          }),
          async (unitAt, dealerOpens, commands) => {
            const unit = UNITS[unitAt]!
            world.clock.now = new Date(`${TODAY}T08:00:00.000Z`)
            const serial = await unit.seed(world)
            const opener = dealerOpens && unit.viaDealer ? parties.sellingDealer : parties.owner
            const opened = await world.app.inject({
              method: 'POST',
              url: '/api/v1/claims',
              headers: opener.headers,
              payload: openClaimBody(serial),
            })
            assert.equal(opened.statusCode, 201, opened.body)
            const id = (opened.json() as { id: string }).id
            const claim = (
              await world.app.inject({
                method: 'GET',
                url: `/api/v1/claims/${id}`,
                headers: parties.technician.headers,
              })
            ).json() as ClaimJson
            const events = (
              (
                await world.app.inject({
                  method: 'GET',
                  url: `/api/v1/claims/${id}/events?limit=200`,
                  headers: parties.technician.headers,
                })
              ).json() as { items: unknown[] }
            ).items.length
            const real: Real = {
              world,
              parties,
              unit,
              serial,
              contents: packages.get(unit.model)!,
              id,
              claim,
              etag: `"${claim.version}"`,
              pastEtags: ['"0"', '"1"'],
            }
            const model: Model = { state: 'new', resumeState: null, version: claim.version, events, files: 0 }
            await checkInvariants(model, real, `opened on ${unit.name}`)
            try {
              await fc.asyncModelRun(() => ({ model, real }), commands)
            } catch (error) {
              // fast-check names the commands; the assertion says what broke.
              if (process.env.AFTERCARE_MODEL_VERBOSE) console.error((error as Error).message)
              throw error
            }
          },
        ),
        {
          numRuns: runs,
          ...(SEED === undefined ? {} : { seed: SEED }),
          // A longer run asked for by hand runs to its end.
          ...(RUNS > 0 ? {} : { interruptAfterTimeLimit: 120_000, markInterruptAsFailure: true }),
        },
      )
    })
  })
}
