import { isStaff, requireActor, requireStaff, STAFF_ROLES } from '../auth/index.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { claimIdParams } from './claim.schemas.ts'
import { findClaim } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { requireClaimAccess } from './claim-access.ts'
import { assignClaim, listClaimQueue } from './claim-queue.ts'
import { claimNumber } from './claim-view.ts'
import { postMessage } from './post-message.ts'
import {
  assigneeList,
  assignmentBody,
  assignmentView,
  claimQueueQuery,
  claimQueueView,
  threadMessageView,
  threadPostBody,
  threadView,
} from './thread.schemas.ts'
import { listThread, threadMessageOf } from './thread.ts'

const TAGS = ['claims']

const postBodyWithExample = threadPostBody.meta({
  examples: [
    {
      body: 'Here is the photo of the label you asked for.',
      fileIds: ['0b9c3c52-4a8e-4f0e-9d1a-2f1e7c6a5b10'],
    },
    { body: 'Customer called: will send the unit on Monday.', internal: true },
  ],
})
const assignmentWithExample = assignmentBody.meta({
  examples: [{ userId: 'c5b7d1e2-0f3a-4b6c-8d9e-1a2b3c4d5e6f' }, { userId: null }],
})

const toAssignmentView = (claim: ClaimsTable) => ({
  id: claim.id,
  number: claimNumber(claim),
  assignee: claim.assigned_to
    ? { id: claim.assigned_to, name: claim.assigned_name ?? claim.assigned_to }
    : null,
})

/** HTTP routes of the case thread, the staff work queue and assignment. */
export async function threadRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/v1/claims/:id/messages',
    {
      schema: {
        tags: TAGS,
        summary: 'The thread of the claim',
        description:
          'Messages, requests for information and their answers, oldest first, with attached files. Internal notes are answered to staff only.',
        params: claimIdParams,
        response: { 200: threadView },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      await requireClaimAccess(ctx.db, actor, request.params.id)
      return { items: await listThread(ctx.db, actor, request.params.id), next: null }
    },
  )

  app.post(
    '/api/v1/claims/:id/messages',
    {
      schema: {
        tags: TAGS,
        summary: 'Write in the thread of the claim',
        description:
          'A message to the parties of the case, or with `internal: true` a staff-only note. Attach files uploaded first (`POST /api/v1/claims/{id}/files`) by id. While the claim awaits information, a message from the customer or dealer is the answer: it takes the provide-info step and resumes the paused SLA clocks.',
        params: claimIdParams,
        body: postBodyWithExample,
        response: { 201: threadMessageView },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const { message } = await postMessage(ctx, actor, request.params.id, request.body)
      return reply.status(201).send(await threadMessageOf(ctx.db, message))
    },
  )

  app.get(
    '/api/v1/claim-queue',
    {
      schema: {
        tags: TAGS,
        summary: 'The work queue: claims you may see, searched and filtered, with customer and due time',
        description:
          '`q` searches claim and RMA numbers, serials, customer names and e-mails. `status=open` (the default) leaves out closed and cancelled claims. `assignee=me` lists the cases assigned to you. `sort=due` orders every page by the due time of the clock that matters now (running before paused, then claims with no open clock, oldest first); the default is newest first.',
        querystring: claimQueueQuery,
        response: { 200: claimQueueView },
      },
    },
    async (request) => listClaimQueue(ctx.db, requireActor(request), request.query, ctx.now()),
  )

  app.get(
    '/api/v1/claims/:id/assignment',
    {
      schema: {
        tags: TAGS,
        summary: 'Who works the claim',
        description: 'Staff only; others get 404 as for a claim they cannot see.',
        params: claimIdParams,
        response: { 200: assignmentView },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const claim = await findClaim(ctx.db, request.params.id)
      if (!isStaff(actor) || !claim)
        throw new AppError('not-found', { key: 'claim.not-found', params: { id: request.params.id } })
      return toAssignmentView(claim)
    },
  )

  app.post(
    '/api/v1/claims/:id/assignment',
    {
      schema: {
        tags: TAGS,
        summary: 'Assign the claim to a staff member, or release it',
        description: 'Staff only. Recorded in the history; the claim version does not change.',
        params: claimIdParams,
        body: assignmentWithExample,
        response: { 200: assignmentView },
      },
    },
    async (request) =>
      toAssignmentView(await assignClaim(ctx, requireActor(request), request.params.id, request.body.userId)),
  )

  app.get(
    '/api/v1/claim-assignees',
    {
      schema: {
        tags: TAGS,
        summary: 'Staff members a claim can be assigned to',
        description: 'Active support, technician, manager and admin users, by name. Staff only.',
        response: { 200: assigneeList },
      },
    },
    async (request) => {
      requireStaff(request)
      const rows = await ctx.db
        .selectFrom('users')
        .select(['id', 'name', 'role'])
        .where('role', 'in', [...STAFF_ROLES])
        .where('disabled', '=', 0)
        .orderBy('name')
        .limit(200)
        .execute()
      return { items: rows, next: null }
    },
  )
}
