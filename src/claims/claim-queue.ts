import { sql } from 'kysely'
import { type Actor, findUserById, isStaff, STAFF_ROLES } from '../auth/index.ts'
import { likeLiteral, lowerLike } from '../db/contains-text.ts'
import type { Db } from '../db/database.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { dueTimesOfClaims } from '../sla/index.ts'
import { findClaimForUpdate, touchClaim } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { requireVisibleClaim, visibilityFilter } from './claim-access.ts'
import { appendClaimEvent, chainHeadColumns, chainHeadOf } from './claim-history.ts'
import { claimNumber } from './claim-view.ts'
import { CLAIM_ASSIGNED } from './domain/claim-events.ts'
import { TERMINAL_STATES } from './domain/claim-lifecycle.ts'
import type { ClaimQueueItem, ClaimQueueQuery } from './thread.schemas.ts'

/**
 * A claim's place in a queue worked by due time, as one text that sorts on both engines: the
 * clock the queue shows (the open one due first, as inQueueOrder picks it), marked 0 when it
 * runs or is late and 1 when it stands paused; a claim without an open clock sorts after them
 * all by when it was opened. Times are ISO-8601 UTC text, so text order is time order.
 */
const dueOrderKey = sql<string>`coalesce(
  (select case when s.status = 'paused' then '1' else '0' end || s.due_at
     from sla_clocks s
    where s.claim_id = claims.id and s.status in ('running', 'paused', 'breached') and s.stopped_at is null
    order by s.due_at, s.kind
    limit 1),
  '2' || claims.opened_at)`

/**
 * The claim's conversation ends with a message of the customer's. Only messages every party
 * reads count: a staff note to colleagues is no reply to the customer.
 */
const customerWroteLast = sql<boolean>`exists (
  select 1 from claim_messages m
   where m.claim_id = claims.id and m.author_role = 'customer' and m.visibility = 'parties'
     and not exists (
       select 1 from claim_messages r
        where r.claim_id = claims.id and r.visibility = 'parties'
          and (r.posted_at > m.posted_at or (r.posted_at = m.posted_at and r.id > m.id))))`

/** Per claim whose conversation ends with the customer's message (as customerWroteLast), when they wrote it. */
async function customerWroteAtOf(db: Db, claimIds: string[]): Promise<Map<string, string>> {
  if (claimIds.length === 0) return new Map()
  const last = new Map<string, { role: string; at: string }>()
  const messages = await db
    .selectFrom('claim_messages')
    .select(['claim_id', 'author_role', 'posted_at'])
    .where('claim_id', 'in', claimIds)
    .where('visibility', '=', 'parties')
    // Messages of one instant in the order customerWroteLast takes them.
    .orderBy('posted_at')
    .orderBy('id')
    .execute()
  for (const m of messages) last.set(m.claim_id, { role: m.author_role, at: m.posted_at })
  const waiting = new Map<string, string>()
  for (const [id, { role, at }] of last) if (role === 'customer') waiting.set(id, at)
  return waiting
}

/** The claims an actor may see, searched and filtered for working them, with customer and due time. */
export async function listClaimQueue(
  db: Db,
  actor: Actor,
  query: ClaimQueueQuery,
  now: Date,
): Promise<{ items: ClaimQueueItem[]; next: string | null }> {
  const offset = query.cursor === undefined ? 0 : Number(query.cursor)
  if (!Number.isInteger(offset) || offset < 0)
    throw new AppError(
      'validation',
      { key: 'claims.queue.bad-cursor', params: { field: 'cursor' } },
      { field: 'cursor' },
    )
  const visible = visibilityFilter(actor)
  let select = db
    .selectFrom('claims')
    .leftJoin('customers', 'customers.id', 'claims.customer_id')
    // What a queue row shows, not the whole claim: its decisions alone are kilobytes a row.
    .select([
      'claims.id',
      'claims.state',
      'claims.version',
      'claims.serial',
      'claims.model',
      'claims.policy_id',
      'claims.assigned_to',
      'claims.assigned_name',
      'claims.opened_at',
      'claims.updated_at',
    ])
    .select(['customers.name as customer_name', 'customers.email as customer_email'])
  if (visible.customerId !== undefined) select = select.where('claims.customer_id', '=', visible.customerId)
  if (visible.dealerOrgId !== undefined)
    select = select.where('claims.dealer_org_id', '=', visible.dealerOrgId)
  if (query.unanswered === 'true') select = select.where(customerWroteLast)
  if (query.status === 'open') select = select.where('claims.state', 'not in', [...TERMINAL_STATES])
  else if (query.status === 'closed') select = select.where('claims.state', 'in', [...TERMINAL_STATES])
  else if (query.status !== 'all') select = select.where('claims.state', '=', query.status)
  if (query.assignee !== undefined) {
    if (!isStaff(actor))
      throw new AppError(
        'validation',
        { key: 'claims.queue.assignee-staff-only', params: { field: 'assignee' } },
        { field: 'assignee' },
      )
    if (query.assignee === 'unassigned') select = select.where('claims.assigned_to', 'is', null)
    else
      select = select.where(
        'claims.assigned_to',
        '=',
        query.assignee === 'me' ? actor.userId : query.assignee,
      )
  }
  const q = query.q?.trim()
  if (q) {
    const pattern = `%${likeLiteral(q)}%`
    // `C-1A2B3C4D` is the number a claim carries before its RMA: the start of its id.
    const idPrefix = /^c-[0-9a-f]{1,8}$/i.test(q) ? `${q.slice(2).toLowerCase()}%` : null
    select = select.where((eb) =>
      eb.or([
        lowerLike('claims.serial', pattern),
        lowerLike('claims.rma_number', pattern),
        lowerLike('customers.name', pattern),
        lowerLike('customers.email', pattern),
        ...(idPrefix ? [eb('claims.id', 'like', idPrefix)] : []),
      ]),
    )
  }
  // Who works a case is the service team's own business, like its assignment events.
  const showAssignee = isStaff(actor)
  const ordered =
    query.sort === 'due'
      ? select.orderBy(dueOrderKey).orderBy('claims.id')
      : select.orderBy('claims.opened_at', 'desc').orderBy('claims.id', 'desc')
  const rows = await ordered
    .limit(query.limit + 1)
    .offset(offset)
    .execute()
  const page = rows.slice(0, query.limit)
  const ids = page.map((r) => r.id)
  const waiting = await customerWroteAtOf(db, ids)
  const dues = await dueTimesOfClaims(db, ids, now)
  return {
    items: page.map((row) => ({
      id: row.id,
      number: claimNumber(row),
      state: row.state,
      version: Number(row.version),
      serial: row.serial,
      model: row.model,
      policy: row.policy_id,
      customer:
        row.customer_name === null || row.customer_email === null
          ? null
          : { name: row.customer_name, email: row.customer_email },
      assignee:
        showAssignee && row.assigned_to
          ? { id: row.assigned_to, name: row.assigned_name ?? row.assigned_to }
          : null,
      openedAt: row.opened_at,
      updatedAt: row.updated_at,
      customerWroteAt: waiting.get(row.id) ?? null,
      due: dues.get(row.id) ?? null,
    })),
    next: rows.length > query.limit ? String(offset + query.limit) : null,
  }
}

/**
 * Hands the case to a staff member or releases it. Not a step of the lifecycle: no
 * If-Match and the version stays; the history records who assigned whom.
 */
export async function assignClaim(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  userId: string | null,
): Promise<ClaimsTable> {
  if (!isStaff(actor)) throw new AppError('not-found', { key: 'claim.not-found', params: { id: claimId } })
  const assignee = userId === null ? null : await findUserById(ctx.db, userId)
  if (userId !== null && (!assignee || assignee.disabled || !STAFF_ROLES.includes(assignee.role)))
    throw new AppError(
      'validation',
      { key: 'claims.assign.not-staff', params: { field: 'userId' } },
      { field: 'userId' },
    )
  return ctx.db.transaction().execute(async (trx) => {
    const claim = requireVisibleClaim(
      await findClaimForUpdate(trx, claimId, ctx.engine === 'postgres'),
      actor,
      claimId,
    )
    if (TERMINAL_STATES.includes(claim.state as (typeof TERMINAL_STATES)[number]))
      throw new AppError('conflict', {
        key: 'claims.assign.closed',
        params: { claim: claimNumber(claim), state: claim.state },
      })
    const at = ctx.now().toISOString()
    const event = await appendClaimEvent(
      trx,
      {
        claimId,
        type: CLAIM_ASSIGNED,
        at,
        actor,
        data: { userId, name: assignee?.name ?? null },
      },
      chainHeadOf(claim),
    )
    const columns = { assigned_to: userId, assigned_name: assignee?.name ?? null }
    await trx.updateTable('claims').set(columns).where('id', '=', claimId).execute()
    await touchClaim(trx, claimId, at, chainHeadColumns(event))
    return { ...claim, ...columns, ...chainHeadColumns(event), updated_at: at }
  })
}
