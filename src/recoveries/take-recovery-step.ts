import { PostgresAdapter } from 'kysely'
import type { Actor } from '../auth/index.ts'
import { claimTimeZone } from '../claims/index.ts'
import type { Db } from '../db/database.ts'
import { enqueueWebhookEvent } from '../notify/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { EARLIEST_TIME_ZONE, localDate } from '../shared/local-date.ts'
import { refuseLaterThanToday } from '../shared/not-later-than-today.ts'
import { parseOrThrow } from '../shared/validate.ts'
import { checkRecoveryTransition, isEmptyDraft } from './domain/recovery-lifecycle.ts'
import { submittedAfterDeadline } from './domain/submission-deadline.ts'
import { ACTION_BODIES, type RecoveryAction } from './recovery.schemas.ts'
import {
  findRecovery,
  listLines,
  policiesOfClaims,
  updateLineAnswer,
  updateRecoveryAtVersion,
} from './recovery.store.ts'
import type { RecoveryClaimsTable, RecoveryLinesTable } from './recovery.tables.ts'
import { recoveryPartyOf, requireVisibleRecovery } from './recovery-access.ts'
import { type CreditorNews, tellCreditor, tellDebtorOfSubmission } from './recovery-emails.ts'
import { appendRecoveryEvent } from './recovery-history.ts'
import { acceptedOf, transitionFacts } from './recovery-view.ts'

export const isRecoveryAction = (action: string): action is RecoveryAction => action in ACTION_BODIES

interface Prepared {
  data: Record<string, unknown>
  patch: Partial<RecoveryClaimsTable>
  answers?: { lineId: string; accepted_minor: number; reason_code: string | null }[]
}

/**
 * The one way a recovery claim changes: in one transaction, lock it, refuse what is
 * invisible (404), stale (412) or not allowed (403/409 with the reason), apply the action,
 * append the event to the chain, write the row and the webhook. An input refused names its
 * field under `inputName` (`body.amountMinor` over HTTP, `--body.amountMinor` at the command
 * line), as the schema's refusals of the same input do.
 */
export async function takeRecoveryStep(
  ctx: AppContext,
  actor: Actor,
  id: string,
  action: string,
  expectedVersion: number,
  rawInput: unknown,
  inputName = 'body',
): Promise<RecoveryClaimsTable> {
  if (!isRecoveryAction(action))
    throw new AppError('not-found', { key: 'recovery.unknown-action', params: { recoveryAction: action } })
  const input = parseOrThrow(ACTION_BODIES[action], rawInput ?? {}, inputName)
  return ctx.db.transaction().execute(async (trx) => {
    const row = requireVisibleRecovery(
      await findRecovery(trx, id, trx.getExecutor().adapter instanceof PostgresAdapter),
      actor,
      id,
    )
    requireRecoveryVersion(row, expectedVersion)
    const party = recoveryPartyOf(actor, row)
    if (!party) throw new AppError('forbidden', { key: 'recovery.who' })
    const lines = await listLines(trx, [id])
    if (isEmptyDraft(row.state, lines.length))
      throw new AppError('not-found', { key: 'recovery.not-found', params: { id } })
    const check = checkRecoveryTransition(transitionFacts(row, lines.length), action, party)
    if (!check.ok)
      throw new AppError(check.forbidden ? 'forbidden' : 'conflict', check.refusal, {
        details: { state: row.state, allowed: check.allowed },
      })
    const at = ctx.now().toISOString()
    const deadlineZones = action === 'submit' ? await deadlineTimeZones(ctx, trx, row, lines) : []
    const fieldOf = (name: string) => `${inputName}.${name}`
    const prepared = prepare(action, input as Record<string, unknown>, row, lines, at, deadlineZones, fieldOf)
    for (const { lineId, ...answer } of prepared.answers ?? []) await updateLineAnswer(trx, lineId, answer)
    const event = await appendRecoveryEvent(
      trx,
      { seq: Number(row.chain_seq), hash: row.chain_hash },
      { recoveryId: id, type: check.rule.event, at, actor, data: prepared.data },
    )
    const patch: Partial<RecoveryClaimsTable> = {
      ...prepared.patch,
      ...(check.rule.to !== 'stay' ? { state: check.rule.to } : {}),
      ...(check.rule.partTo ? { part_state: check.rule.partTo } : {}),
      chain_seq: event.seq,
      chain_hash: event.hash,
      updated_at: at,
    }
    if ((await updateRecoveryAtVersion(trx, id, expectedVersion, patch)) !== 1)
      throw new AppError('precondition-failed', { key: 'recovery.changed-meanwhile' })
    await announce(trx, { ...row, ...patch }, event.type, prepared.data, at)
    if (action === 'submit') await tellDebtorOfSubmission(trx, { ...row, ...patch }, lines, new Date(at))
    const news = creditorNews(action, prepared, lines)
    if (news) await tellCreditor(trx, { ...row, ...patch }, news, new Date(at))
    return { ...row, ...patch, version: expectedVersion + 1 }
  })
}

const ANSWERED: Partial<Record<RecoveryAction, 'accepted' | 'partly-accepted' | 'rejected'>> = {
  accept: 'accepted',
  'partly-accept': 'partly-accepted',
  reject: 'rejected',
}

/** What the creditor hears of a step the debtor (or staff for it) took: its answer or its payment. */
function creditorNews(
  action: RecoveryAction,
  prepared: Prepared,
  lines: readonly RecoveryLinesTable[],
): CreditorNews | null {
  if (action === 'record-payment')
    return {
      template: 'recovery.paid',
      amountMinor: Number(prepared.data.amountMinor),
      paidOn: String(prepared.data.paidOn),
      reference: String(prepared.data.reference),
    }
  const answer = ANSWERED[action]
  if (!answer || !prepared.answers) return null
  return {
    template: 'recovery.answered',
    answer,
    claimedMinor: lines.reduce((sum, l) => sum + Number(l.amount_minor), 0),
    acceptedMinor: prepared.answers.reduce((sum, a) => sum + a.accepted_minor, 0),
    reasonCodes: [
      ...new Set(prepared.answers.flatMap((a) => (a.reason_code === null ? [] : [a.reason_code]))),
    ],
  }
}

/** The recovery claim as read, or a 412 when it is no longer at the version the step was based on. */
export function requireRecoveryVersion(
  row: RecoveryClaimsTable,
  expectedVersion: number,
): RecoveryClaimsTable {
  if (Number(row.version) !== expectedVersion)
    throw new AppError(
      'precondition-failed',
      { key: 'recovery.version-stale', params: { version: Number(row.version) } },
      {
        details: { version: Number(row.version) },
      },
    )
  return row
}

async function announce(
  trx: Db,
  row: RecoveryClaimsTable,
  type: string,
  data: Record<string, unknown>,
  at: string,
) {
  await enqueueWebhookEvent(
    trx,
    {
      type,
      data: {
        recoveryId: row.id,
        state: row.state,
        partState: row.part_state,
        creditorOrgId: row.creditor_org_id,
        debtorOrgId: row.debtor_org_id,
        currency: row.currency,
        ...data,
      },
    },
    { now: new Date(at) },
  )
}

/**
 * The zones the draft's deadline is a day of: those of the policies of the claims whose lines
 * carry it (each line's work was dated in its claim's zone).
 */
async function deadlineTimeZones(
  ctx: AppContext,
  trx: Db,
  row: RecoveryClaimsTable,
  lines: RecoveryLinesTable[],
): Promise<string[]> {
  const carrying = lines.filter((l) => l.deadline === row.deadline)
  const claimIds = new Set((carrying.length > 0 ? carrying : lines).map((l) => l.claim_id))
  const zones = (await policiesOfClaims(trx, [...claimIds])).map((c) => claimTimeZone(ctx.policies, c))
  return zones.length > 0 ? [...new Set(zones)] : ['UTC']
}

function prepare(
  action: RecoveryAction,
  input: Record<string, unknown>,
  row: RecoveryClaimsTable,
  lines: RecoveryLinesTable[],
  at: string,
  deadlineZones: readonly string[],
  fieldOf: (name: string) => string,
): Prepared {
  const note = typeof input.note === 'string' ? { note: input.note } : {}
  const claimed = lines.reduce((sum, l) => sum + Number(l.amount_minor), 0)
  switch (action) {
    case 'submit': {
      // Flagged, not refused: the debtor decides what a late submission costs (reason code late-submission).
      const late = submittedAfterDeadline(new Date(at), row.deadline, deadlineZones)
      return {
        data: { ...note, late, deadline: row.deadline, claimedMinor: claimed },
        patch: { submitted_at: at, late: late ? 1 : 0 },
      }
    }
    case 'accept':
      return {
        data: { ...note, acceptedMinor: claimed },
        patch: { answered_at: at },
        answers: lines.map((l) => ({
          lineId: l.id,
          accepted_minor: Number(l.amount_minor),
          reason_code: null,
        })),
      }
    case 'reject': {
      const reasonCode = String(input.reasonCode)
      return {
        data: { ...note, reasonCode },
        patch: { answered_at: at },
        answers: lines.map((l) => ({ lineId: l.id, accepted_minor: 0, reason_code: reasonCode })),
      }
    }
    case 'partly-accept':
      return partlyAccept(input, lines, note, at, fieldOf)
    case 'record-payment': {
      const accepted = lines.reduce((sum, l) => sum + acceptedOf(l), 0)
      const amount = Number(input.amountMinor)
      // Left unchecked, a payment in another currency would be booked as so many minor units of this one.
      if (input.currency !== undefined && input.currency !== row.currency)
        throw new AppError(
          'validation',
          {
            key: 'recovery.payment-currency',
            params: { field: fieldOf('currency'), currency: row.currency },
          },
          { field: fieldOf('currency') },
        )
      if (amount > accepted)
        throw new AppError(
          'validation',
          { key: 'recovery.payment-too-much', params: { field: fieldOf('amountMinor'), accepted } },
          { field: fieldOf('amountMinor') },
        )
      refuseLaterThanToday(fieldOf('paidOn'), String(input.paidOn), at)
      // Money for a recovery claim cannot arrive before the debtor was asked for it (on the
      // day of the submission anywhere on Earth), as a quote's payment not before the quote.
      const submittedOn = row.submitted_at ? localDate(new Date(row.submitted_at), EARLIEST_TIME_ZONE) : null
      if (submittedOn !== null && String(input.paidOn) < submittedOn)
        throw new AppError(
          'validation',
          { key: 'validation.not-before', params: { field: fieldOf('paidOn'), other: submittedOn } },
          { field: fieldOf('paidOn') },
        )
      return {
        data: { ...note, amountMinor: amount, paidOn: input.paidOn, reference: input.reference },
        patch: { paid_minor: amount, paid_on: String(input.paidOn), paid_reference: String(input.reference) },
      }
    }
    case 'write-off': {
      const writtenOff = Math.max(0, claimed - Number(row.paid_minor))
      return { data: { ...note, writtenOffMinor: writtenOff }, patch: { written_off_minor: writtenOff } }
    }
    case 'ship-part':
      return { data: { ...note, carrier: input.carrier, trackingNumber: input.trackingNumber }, patch: {} }
    case 'close':
    case 'request-part':
    case 'receive-part':
      return { data: { ...note }, patch: {} }
  }
}

function partlyAccept(
  input: Record<string, unknown>,
  lines: RecoveryLinesTable[],
  note: Record<string, unknown>,
  at: string,
  fieldOf: (name: string) => string,
): Prepared {
  const answers = input.lines as { lineId: string; acceptedMinor: number; reasonCode?: string }[]
  const byId = new Map(lines.map((l) => [l.id, l]))
  const given = new Map<string, { accepted_minor: number; reason_code: string | null }>()
  answers.forEach((answer, index) => {
    const line = byId.get(answer.lineId)
    if (!line)
      throw new AppError(
        'validation',
        { key: 'recovery.line-unknown', params: { field: fieldOf(`lines.${index}.lineId`) } },
        {
          field: fieldOf(`lines.${index}.lineId`),
        },
      )
    // One answer per line: a second one would silently overrule the first.
    if (given.has(answer.lineId))
      throw new AppError(
        'validation',
        { key: 'recovery.line-answered-twice', params: { field: fieldOf(`lines.${index}.lineId`) } },
        { field: fieldOf(`lines.${index}.lineId`) },
      )
    if (answer.acceptedMinor > Number(line.amount_minor))
      throw new AppError(
        'validation',
        {
          key: 'recovery.line-too-much',
          params: { field: fieldOf(`lines.${index}.acceptedMinor`), amount: Number(line.amount_minor) },
        },
        {
          field: fieldOf(`lines.${index}.acceptedMinor`),
        },
      )
    if (answer.acceptedMinor < Number(line.amount_minor) && !answer.reasonCode)
      throw new AppError(
        'validation',
        { key: 'recovery.line-reason', params: { field: fieldOf(`lines.${index}.reasonCode`) } },
        {
          field: fieldOf(`lines.${index}.reasonCode`),
        },
      )
    given.set(line.id, { accepted_minor: answer.acceptedMinor, reason_code: answer.reasonCode ?? null })
  })
  // Lines the answer does not mention are accepted as claimed.
  const all = lines.map((l) => ({
    lineId: l.id,
    ...(given.get(l.id) ?? { accepted_minor: Number(l.amount_minor), reason_code: null }),
  }))
  const accepted = all.reduce((sum, a) => sum + a.accepted_minor, 0)
  const claimed = lines.reduce((sum, l) => sum + Number(l.amount_minor), 0)
  if (accepted === claimed)
    throw new AppError(
      'validation',
      { key: 'recovery.all-accepted', params: { field: fieldOf('lines') } },
      {
        field: fieldOf('lines'),
      },
    )
  if (accepted === 0)
    throw new AppError(
      'validation',
      { key: 'recovery.none-accepted', params: { field: fieldOf('lines') } },
      {
        field: fieldOf('lines'),
      },
    )
  return {
    data: { ...note, acceptedMinor: accepted, lines: all },
    patch: { answered_at: at },
    answers: all,
  }
}
