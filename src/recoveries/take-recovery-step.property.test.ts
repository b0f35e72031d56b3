/**
 * The money of a recovery claim, driven through the API by generated sequences of answers,
 * payments and write-offs, taken by the creditor, the debtor, staff and outsiders, with valid
 * and junk amounts and current or stale If-Match. Whatever the sequence:
 * - every line's accepted amount lies between 0 and what it claims, in whole minor units;
 * - what is paid is at most what was accepted, on a day not before the submission's, and paid plus written off at most what was
 *   claimed; a write-off leaves nothing open (paid + written off = claimed);
 * - a step succeeds exactly when the table allows it and its amounts are sound, and then the
 *   amounts are those of a plain model; a refused step changes nothing, not even the history;
 * - an outsider's answer is the answer for a recovery claim that does not exist;
 * - the ledger, the view's totals and the statement CSV equal a plain recount of the lines.
 */
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import {
  addDays,
  type ClaimsWorld,
  ORG,
  openClaimsWorld,
  type Party,
  TODAY,
} from '../../test/claims/claim-factories.ts'
import { orgUser } from '../../test/recoveries/recovery-factories.ts'
import { testEngines } from '../db/test-database.ts'
import { EARLIEST_TIME_ZONE, localDate } from '../shared/local-date.ts'
import { newDraftRow } from './derive-recoveries.ts'
import {
  checkRecoveryTransition,
  LINE_REASON_CODES,
  type RecoveryParty,
  type RecoveryState,
} from './domain/recovery-lifecycle.ts'
import type { RecoveryView } from './recovery.schemas.ts'

fc.configureGlobal({ ...fc.readConfigureGlobal(), includeErrorInReport: true })
const RUNS = Number(process.env.AFTERCARE_PROPERTY_RUNS ?? 0) || 30

type Who = RecoveryParty | 'outsider'
/** Junk a client might send where a whole number of minor units belongs. */
const JUNK = [-1, -2500, 0.5, 1999.99, 'NaN', '1200', 'Infinity', null, true, 1e15] as const
const junkArb = fc.constantFrom<unknown>(...JUNK)

/** An amount relative to what the model holds when the step is taken: resolved then, not now. */
type Amount = { of: 'all' | 'none' | 'part' | 'over'; by: number } | { junk: unknown }
const amountArb: fc.Arbitrary<Amount> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ of: fc.constantFrom('all', 'none', 'part', 'over'), by: fc.nat() }) },
  { weight: 1, arbitrary: junkArb.map((junk) => ({ junk })) },
)

type Command =
  | { action: 'submit' | 'accept' | 'write-off' | 'close' }
  | { action: 'reject'; reasonCode: string }
  | {
      action: 'partly-accept'
      lines: { at: number; amount: Amount; reason: boolean }[]
      unknownLine: boolean
    }
  | { action: 'record-payment'; amount: Amount; paidOn: number; currency: string | null }

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.constantFrom<Command>(
    { action: 'submit' },
    { action: 'accept' },
    { action: 'write-off' },
    { action: 'close' },
  ),
  fc.record({
    action: fc.constant('reject' as const),
    reasonCode: fc.constantFrom(...LINE_REASON_CODES, 'because', ''),
  }),
  fc.record({
    action: fc.constant('partly-accept' as const),
    lines: fc.array(fc.record({ at: fc.nat(4), amount: amountArb, reason: fc.boolean() }), {
      minLength: 1,
      maxLength: 4,
    }),
    unknownLine: fc.boolean(),
  }),
  fc.record({
    action: fc.constant('record-payment' as const),
    amount: amountArb,
    paidOn: fc.integer({ min: -30, max: 2 }),
    currency: fc.constantFrom(null, null, 'USD', 'EUR', 'CNY'),
  }),
)
const stepArb = fc.record({
  who: fc.constantFrom<Who>('creditor', 'debtor', 'staff', 'outsider'),
  stale: fc.nat(9).map((n) => n === 0),
  command: commandArb,
})

interface Model {
  state: RecoveryState
  amounts: number[]
  accepted: (number | null)[]
  paid: number
  writtenOff: number
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0)
const isMinor = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0

function resolve(amount: Amount, of: number): unknown {
  if ('junk' in amount) return amount.junk
  if (amount.of === 'all') return of
  if (amount.of === 'none') return 0
  if (amount.of === 'over') return of + 1 + (amount.by % 1000)
  return of === 0 ? 0 : amount.by % of
}

/**
 * The body a command sends, and what the model says the step leads to (null: refused for
 * its body). Transition rules come from the table, which has its own tests.
 */
function plan(
  command: Command,
  model: Model,
  lineIds: string[],
  submittedOn: string | null,
): { body: Record<string, unknown>; next: Partial<Model> | null } {
  const claimed = sum(model.amounts)
  switch (command.action) {
    case 'submit':
    case 'close':
      return { body: {}, next: {} }
    case 'accept':
      return { body: {}, next: { accepted: [...model.amounts] } }
    case 'write-off':
      return { body: {}, next: { writtenOff: claimed - model.paid } }
    case 'reject': {
      const sound = (LINE_REASON_CODES as readonly string[]).includes(command.reasonCode)
      return {
        body: { reasonCode: command.reasonCode },
        next: sound ? { accepted: model.amounts.map(() => 0) } : null,
      }
    }
    case 'partly-accept': {
      const accepted = [...model.amounts] as number[]
      const seen = new Set<number>()
      let sound = !command.unknownLine
      const lines = command.lines.map((l) => {
        const at = l.at % model.amounts.length
        const of = model.amounts[at] ?? 0
        const value = resolve(l.amount, of)
        if (seen.has(at) || !isMinor(value) || value > of || (value < of && !l.reason)) sound = false
        seen.add(at)
        if (isMinor(value)) accepted[at] = value
        return { lineId: lineIds[at], acceptedMinor: value, ...(l.reason ? { reasonCode: 'other' } : {}) }
      })
      if (command.unknownLine) lines.push({ lineId: 'line-not-here', acceptedMinor: 0, reasonCode: 'other' })
      const total = sum(accepted)
      if (total === claimed || total === 0) sound = false
      return { body: { lines }, next: sound ? { accepted } : null }
    }
    case 'record-payment': {
      const acceptedTotal = sum(model.accepted.map((a) => a ?? 0))
      const value = resolve(command.amount, acceptedTotal)
      const paidOn = addDays(TODAY, command.paidOn)
      const sound =
        isMinor(value) &&
        value > 0 &&
        value <= acceptedTotal &&
        command.paidOn <= 0 &&
        // Not before the debtor was asked: the submission's day anywhere on Earth.
        (submittedOn === null || paidOn >= submittedOn) &&
        (command.currency === null || command.currency === 'USD')
      return {
        body: {
          amountMinor: value,
          paidOn,
          reference: 'SWIFT-1',
          ...(command.currency ? { currency: command.currency } : {}),
        },
        next: sound ? { paid: value as number } : null,
      }
    }
  }
}

/** A submitted-to-be draft with the given lines, written as derivation would file it. */
async function seedDraft(world: ClaimsWorld, amounts: number[]): Promise<{ id: string; lineIds: string[] }> {
  const id = `rec-${crypto.randomUUID()}`
  const at = world.clock.now.toISOString()
  await world.database.db
    .insertInto('recovery_claims')
    .values(
      newDraftRow(
        {
          id,
          group_key: `prop|${id}`,
          batch: 1,
          terms_id: 'player-one-dealer',
          terms_version: '1',
          creditor_org_id: ORG.starlight,
          debtor_org_id: ORG.playerOne,
          currency: 'USD',
          period: TODAY.slice(0, 7),
          return_part: 0,
          deadline: addDays(TODAY, 30),
        },
        at,
      ),
    )
    .execute()
  const lineIds = amounts.map(() => crypto.randomUUID())
  await world.database.db
    .insertInto('recovery_lines')
    .values(
      amounts.map((amount, i) => ({
        id: lineIds[i] as string,
        recovery_id: id,
        line_key: `${id}|${i}`,
        claim_id: `claim-${id}`,
        kind: 'parts',
        leg: null,
        clause: 'player-one-dealer#parts-at-cost',
        description: `Part ${i}`,
        amount_minor: amount,
        capped_from_minor: null,
        cap_reason_code: null,
        repair_code: null,
        work_on: TODAY,
        deadline: addDays(TODAY, 30),
        evidence_json: '{"costLineIds":[],"eventSeqs":[]}',
        decision_json: '{"policy":"player-one","basis":"warranty","payer":"dealer"}',
        accepted_minor: null,
        reason_code: null,
        created_at: at,
      })),
    )
    .execute()
  return { id, lineIds }
}

async function read(world: ClaimsWorld, id: string) {
  const get = (path: string) =>
    world.app.inject({ method: 'GET', url: `/api/v1/recoveries/${path}`, headers: world.staff.headers })
  const [view, events] = await Promise.all([get(id), get(`${id}/events`)])
  assert.equal(view.statusCode, 200, view.body)
  return { view: view.json() as RecoveryView, events: (events.json() as { items: unknown[] }).items.length }
}

function assertMoney(view: RecoveryView) {
  const { claimedMinor, acceptedMinor, paidMinor, writtenOffMinor } = view.totals
  for (const value of [claimedMinor, acceptedMinor, paidMinor, writtenOffMinor])
    assert.ok(isMinor(value), `${value}`)
  for (const line of view.lines) {
    assert.ok(isMinor(line.amountMinor))
    if (line.acceptedMinor !== null) {
      assert.ok(isMinor(line.acceptedMinor), `accepted ${line.acceptedMinor}`)
      assert.ok(
        line.acceptedMinor <= line.amountMinor,
        `accepted ${line.acceptedMinor} of ${line.amountMinor}`,
      )
    }
  }
  assert.equal(claimedMinor, sum(view.lines.map((l) => l.amountMinor)))
  assert.equal(acceptedMinor, sum(view.lines.map((l) => l.acceptedMinor ?? 0)))
  assert.ok(acceptedMinor <= claimedMinor)
  assert.ok(paidMinor <= acceptedMinor, `paid ${paidMinor} of ${acceptedMinor} accepted`)
  assert.ok(paidMinor + writtenOffMinor <= claimedMinor)
  if (writtenOffMinor > 0 || view.state === 'written-off')
    assert.equal(paidMinor + writtenOffMinor, claimedMinor)
}

/** Every recovery claim as staff see it, page by page. */
async function everyRecovery(world: ClaimsWorld): Promise<RecoveryView[]> {
  const all: RecoveryView[] = []
  let cursor: string | null = null
  do {
    const response = await world.app.inject({
      method: 'GET',
      url: `/api/v1/recoveries?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      headers: world.staff.headers,
    })
    const page = response.json() as { items: RecoveryView[]; next: string | null }
    all.push(...page.items)
    cursor = page.next
  } while (cursor)
  return all
}

/** The ledger as the viewer sees it (an organisation its own side, staff every creditor's) against a recount. */
async function assertLedgerIsARecount(world: ClaimsWorld, viewer: Party) {
  const expected = new Map<string, number[]>()
  for (const r of await everyRecovery(world)) {
    const receivable = viewer.orgId === undefined || viewer.orgId === r.creditor.id
    if (!receivable && viewer.orgId !== r.debtor.id) continue
    const [own, other] = receivable ? [r.creditor.id, r.debtor.id] : [r.debtor.id, r.creditor.id]
    const key = [own, other, receivable ? 'receivable' : 'payable', r.period, r.currency].join('|')
    const row = expected.get(key) ?? [0, 0, 0, 0, 0]
    const claimed = sum(r.lines.map((l) => l.amountMinor))
    row[r.state === 'draft' ? 0 : 1] = (row[r.state === 'draft' ? 0 : 1] ?? 0) + claimed
    row[2] = (row[2] ?? 0) + sum(r.lines.map((l) => l.acceptedMinor ?? 0))
    row[3] = (row[3] ?? 0) + r.totals.paidMinor
    row[4] = (row[4] ?? 0) + r.totals.writtenOffMinor
    expected.set(key, row)
  }
  const response = await world.app.inject({
    method: 'GET',
    url: '/api/v1/recoveries/summary',
    headers: viewer.headers,
  })
  assert.equal(response.statusCode, 200, response.body)
  const ledger = (response.json() as { items: Record<string, unknown>[] }).items
  const actual = new Map(
    ledger.map((row) => {
      const { organisation, counterparty } = row as {
        organisation: { id: string }
        counterparty: { id: string }
      }
      return [
        [organisation.id, counterparty.id, row.direction, row.month, row.currency].join('|'),
        [row.owedMinor, row.submittedMinor, row.acceptedMinor, row.paidMinor, row.writtenOffMinor],
      ]
    }),
  )
  assert.deepEqual(actual, expected)
}

async function assertStatementIsARecount(world: ClaimsWorld, view: RecoveryView) {
  const response = await world.app.inject({
    method: 'GET',
    url: `/api/v1/recoveries/${view.id}/statement.csv`,
    headers: world.staff.headers,
  })
  const rows = parse(response.body, { columns: true }) as Record<string, string>[]
  assert.equal(rows.length, view.lines.length)
  assert.equal(sum(rows.map((r) => Number(r.amount_minor))), view.totals.claimedMinor)
  assert.equal(sum(rows.map((r) => Number(r.accepted_minor || 0))), view.totals.acceptedMinor)
}

for (const engine of testEngines()) {
  describe(`${engine}: the money of a recovery claim under generated steps`, () => {
    let world: ClaimsWorld
    let parties: Record<Who, Party>
    before(async () => {
      world = await openClaimsWorld(engine)
      parties = {
        creditor: world.dealer,
        debtor: await orgUser(world, ORG.playerOne),
        staff: world.staff,
        outsider: world.otherDealer,
      }
    })
    after(() => world.close())

    it('keeps accepted, paid and written-off amounts sound, refuses without a trace, and the ledger adds up', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: 50_000 }), { minLength: 1, maxLength: 4 }),
          fc.array(stepArb, { minLength: 2, maxLength: engine === 'sqlite' ? 10 : 6 }),
          async (amounts, steps) => {
            const { id, lineIds } = await seedDraft(world, amounts)
            const model: Model = {
              state: 'draft',
              amounts,
              accepted: amounts.map(() => null),
              paid: 0,
              writtenOff: 0,
            }
            // Submitted first, most of the time, so the answers have something to answer.
            const all = [
              { who: 'creditor' as Who, stale: false, command: { action: 'submit' } as Command },
              ...steps,
            ]
            for (const { who, stale, command } of all) {
              const before = await read(world, id)
              const submittedAt = before.view.submittedAt
              const submittedOn = submittedAt ? localDate(new Date(submittedAt), EARLIEST_TIME_ZONE) : null
              const { body, next } = plan(command, model, lineIds, submittedOn)
              const headers = {
                ...parties[who].headers,
                'if-match': `"${before.view.version - (stale ? 1 : 0)}"`,
              }
              const post = (target: string) =>
                world.app.inject({
                  method: 'POST',
                  url: `/api/v1/recoveries/${target}/${command.action}`,
                  headers,
                  payload: body,
                })
              const response = await post(id)
              assert.ok(response.statusCode < 500, response.body)
              const after = await read(world, id)
              if (who === 'outsider') {
                const missing = await post('rec-not-there')
                assert.equal(response.statusCode, 404, response.body)
                assert.equal(response.body.replaceAll(id, 'rec-not-there'), missing.body)
              }
              const check =
                who === 'outsider'
                  ? null
                  : checkRecoveryTransition(
                      { state: model.state, partState: 'none', lineCount: amounts.length, returnPart: false },
                      command.action,
                      who,
                    )
              const allowed = check?.ok === true && !stale && next !== null
              if (!allowed) {
                assert.ok(response.statusCode >= 400, `${command.action} by ${who}: ${response.body}`)
                assert.deepEqual(
                  after,
                  before,
                  `${command.action} by ${who} was refused but changed the claim`,
                )
                continue
              }
              assert.equal(response.statusCode, 200, `${command.action} by ${who}: ${response.body}`)
              Object.assign(model, next)
              if (check.rule.to !== 'stay') model.state = check.rule.to
              const view = after.view
              assert.equal(view.state, model.state)
              assert.equal(view.version, before.view.version + 1)
              assert.equal(after.events, before.events + 1)
              assert.deepEqual(
                view.lines.map((l) => l.acceptedMinor),
                view.lines.map((l) => model.accepted[lineIds.indexOf(l.id)] ?? null),
              )
              assert.equal(view.totals.paidMinor, model.paid)
              assert.equal(view.totals.writtenOffMinor, model.writtenOff)
              assertMoney(view)
            }
            const last = await read(world, id)
            assertMoney(last.view)
            await assertStatementIsARecount(world, last.view)
            for (const viewer of [world.staff, parties.creditor, parties.debtor])
              await assertLedgerIsARecount(world, viewer)
          },
        ),
        { numRuns: RUNS },
      )
    })
  })
}
