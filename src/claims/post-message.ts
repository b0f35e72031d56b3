import crypto from 'node:crypto'
import { type Actor, isStaff } from '../auth/index.ts'
import { showsSomething } from '../contracts/visible-text.ts'
import type { Db } from '../db/database.ts'
import { claimBytesLimit, refuseLooseProofs, refuseOverfullClaim } from '../files/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { MAX_EMAIL_MESSAGE_BODY } from './claim.schemas.ts'
import {
  type ClaimAccess,
  findClaimForUpdate,
  insertMessage,
  setClaimCase,
  touchClaim,
} from './claim.store.ts'
import type { ClaimMessagesTable, ClaimsTable } from './claim.tables.ts'
import { requireClaimAccess, requireVisibleClaim } from './claim-access.ts'
import { announceClaimEvent } from './claim-effects.ts'
import { appendClaimEvent, chainHeadColumns, chainHeadOf } from './claim-history.ts'
import { runClaimTransition } from './claim-transition.ts'
import { PROOF_OF_PURCHASE, withEvidence } from './domain/case-evidence.ts'
import { MESSAGE_POSTED, NOTE_ADDED } from './domain/claim-events.ts'

/** What someone writes in the thread of a case. */
export interface ThreadPost {
  body: string
  /** A staff-only note: customers and dealers never see it. */
  internal?: boolean
  /** Files already uploaded to this claim (or by the author ahead of it) to show with the message. */
  fileIds?: string[]
  via?: 'web' | 'email'
}

export interface PostedMessage {
  message: ClaimMessagesTable
  /** The claim after the post: changed when the message answered a request for information. */
  claim: ClaimsTable
  /** True when the message answered a request for information and the claim moved on. */
  answered: boolean
}

/**
 * Another write that belongs with the message, run in its transaction after the message is
 * stored: a refusal (a unique key another request took first) undoes the message with it.
 */
export type RecordWithMessage = (trx: Db, message: ClaimMessagesTable) => Promise<void>

const MAX_BODY = 8000
// The e-mail carries the message itself, so the reader can answer without signing in.
const excerptOf = (body: string) => (body.length > 4000 ? `${body.slice(0, 3997)}...` : body)

/**
 * A message on the case between customer, dealer and staff, or a staff-only note.
 *
 * While the claim awaits information, a message from the claimant's side (customer, dealer,
 * integration) is the answer: it takes the `provide-info` step of the lifecycle, which
 * resumes the paused SLA clocks and returns the claim to where it was, in the same
 * transaction that stores the message. Otherwise the message joins the history without
 * changing the case (no If-Match, the version stays).
 */
export async function postMessage(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  post: ThreadPost,
  options: { record?: RecordWithMessage } = {},
): Promise<PostedMessage> {
  // Text that shows nothing is no text: an e-mail then says what arrived instead of quoting it.
  const trimmed = post.body.trim()
  const body = showsSomething(trimmed) ? trimmed : ''
  const fileIds = [...new Set(post.fileIds ?? [])]
  const maximum = post.via === 'email' ? MAX_EMAIL_MESSAGE_BODY : MAX_BODY
  if (body.length > maximum)
    throw new AppError(
      'validation',
      { key: 'claims.thread.too-long', params: { field: 'body', maximum } },
      { field: 'body' },
    )
  if (body === '' && fileIds.length === 0)
    throw new AppError(
      'validation',
      { key: 'claims.thread.empty', params: { field: 'body' } },
      { field: 'body' },
    )
  if (post.internal && !isStaff(actor))
    throw new AppError(
      'forbidden',
      { key: 'claims.thread.internal-staff-only', params: { field: 'internal' } },
      {
        field: 'internal',
      },
    )
  // A file on a case is visible to all its parties, so a note that must stay internal cannot carry one.
  if (post.internal && fileIds.length > 0)
    throw new AppError(
      'validation',
      { key: 'claims.thread.internal-no-files', params: { field: 'fileIds' } },
      {
        field: 'fileIds',
      },
    )

  // Who may post and whether the post answers a question need the parties and the state only.
  const current = await requireClaimAccess(ctx.db, actor, claimId)
  const answers = current.state === 'awaiting-info' && !post.internal && !isStaff(actor)
  if (answers) {
    // The version read a moment ago may be overtaken by a concurrent change; one more try
    // reads it again, the transition itself re-checks state and version under the lock.
    for (let attempt = 0; ; attempt += 1) {
      const fresh = attempt === 0 ? current : await requireClaimAccess(ctx.db, actor, claimId)
      if (fresh.state !== 'awaiting-info') break
      try {
        return await answerInfoRequest(ctx, actor, fresh, body, fileIds, post.via ?? 'web', options.record)
      } catch (error) {
        if (attempt > 0 || !(error instanceof AppError) || error.code !== 'precondition-failed') throw error
      }
    }
  }
  return postPlainMessage(ctx, actor, claimId, { ...post, body, fileIds }, options.record)
}

function messageRow(
  claimId: string,
  actor: Actor,
  at: string,
  fields: Pick<ClaimMessagesTable, 'body' | 'visibility' | 'kind' | 'via'> & { fileIds: string[] },
): ClaimMessagesTable {
  return {
    id: crypto.randomUUID(),
    claim_id: claimId,
    author_id: actor.userId,
    author_role: actor.role,
    author_name: actor.name,
    body: fields.body,
    posted_at: at,
    visibility: fields.visibility ?? 'parties',
    kind: fields.kind ?? 'message',
    via: fields.via ?? 'web',
    file_ids: JSON.stringify(fields.fileIds),
  }
}

/**
 * Files named in a message must be this claim's, or the author's own not yet on a claim
 * (those join the claim now). Anything else answers 404 naming the field, so ids of other
 * people's files cannot be probed. Answers the kinds of the files named.
 */
async function claimMessageFiles(
  trx: Db,
  claimId: string,
  actor: Actor,
  fileIds: string[],
  claimBytes: number,
): Promise<string[]> {
  if (fileIds.length === 0) return []
  const rows = await trx
    .selectFrom('files')
    .select(['id', 'claim_id', 'uploaded_by', 'kind', 'size_bytes'])
    .where('id', 'in', fileIds)
    .execute()
  for (const id of fileIds) {
    const row = rows.find((r) => r.id === id)
    const usable =
      row !== undefined &&
      (row.claim_id === claimId || (row.claim_id === null && row.uploaded_by === actor.userId))
    if (!usable)
      throw new AppError(
        'not-found',
        { key: 'claims.thread.file-unknown', params: { field: 'fileIds', id } },
        { field: 'fileIds' },
      )
  }
  const joining = rows.filter((row) => row.claim_id === null)
  refuseLooseProofs(joining, 'fileIds')
  // The caller holds the claim's row locked, so no upload to it is counted beside these.
  await refuseOverfullClaim(trx, {
    claimId,
    adding: joining.reduce((sum, row) => sum + Number(row.size_bytes), 0),
    limit: claimBytes,
    field: 'fileIds',
    lock: false,
  })
  await trx
    .updateTable('files')
    .set({ claim_id: claimId })
    .where('id', 'in', fileIds)
    .where('claim_id', 'is', null)
    .execute()
  return rows.map((row) => row.kind)
}

async function answerInfoRequest(
  ctx: AppContext,
  actor: Actor,
  claim: ClaimAccess,
  body: string,
  fileIds: string[],
  via: 'web' | 'email',
  record: RecordWithMessage | undefined,
): Promise<PostedMessage> {
  let message: ClaimMessagesTable | undefined
  const updated = await runClaimTransition(
    ctx,
    actor,
    claim.id,
    'provide-info',
    Number(claim.version),
    async (tc) => {
      message = messageRow(claim.id, actor, tc.at, {
        body,
        visibility: 'parties',
        kind: 'info-reply',
        via,
        fileIds,
      })
      const row = message
      // The files are checked and joined before the event is written, so the evidence they
      // back is in the case the answer leaves, as an answer through the step's own form adds it.
      const kinds = await claimMessageFiles(tc.trx, claim.id, actor, fileIds, claimBytesLimit(ctx.config))
      const evidence = withEvidence(tc.claim.case_json, kinds)
      return {
        data: {
          answer: body,
          messageId: row.id,
          fileIds,
          via,
          ...(evidence && evidence.added.length > 0 ? { evidence: evidence.added } : {}),
          ...(evidence?.proofOffered ? { proofOfPurchaseOffered: true } : {}),
        },
        ...(evidence ? { patch: { case_json: evidence.caseJson } } : {}),
        // A message of files alone still tells the reader something arrived.
        email: {
          authorName: actor.name,
          excerpt: body === '' ? `(${fileIds.length} file(s) attached)` : excerptOf(body),
        },
        write: async (trx) => {
          await insertMessage(trx, row)
          await record?.(trx, row)
        },
      }
    },
  )
  if (!message) throw new AppError('internal', 'The answer was not stored')
  return { message, claim: updated, answered: true }
}

async function postPlainMessage(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  post: ThreadPost & { fileIds: string[] },
  record: RecordWithMessage | undefined,
): Promise<PostedMessage> {
  return ctx.db.transaction().execute(async (trx) => {
    const claim = requireVisibleClaim(
      await findClaimForUpdate(trx, claimId, ctx.engine === 'postgres'),
      actor,
      claimId,
    )
    const at = ctx.now().toISOString()
    const internal = post.internal === true
    const message = messageRow(claimId, actor, at, {
      body: post.body,
      visibility: internal ? 'internal' : 'parties',
      kind: 'message',
      via: post.via ?? 'web',
      fileIds: post.fileIds,
    })
    const kinds = await claimMessageFiles(trx, claimId, actor, post.fileIds, claimBytesLimit(ctx.config))
    // A proof of purchase sent in a message waits for staff to weigh it, as one sent in answer
    // to a question does: after a refusal, a claim that can no longer ask has no other way to
    // receive the next one. Other files join the case's evidence only in an answer.
    const offered = kinds.includes(PROOF_OF_PURCHASE)
      ? withEvidence(claim.case_json, [PROOF_OF_PURCHASE])
      : undefined
    if (offered) await setClaimCase(trx, claimId, offered.caseJson)
    await insertMessage(trx, message)
    await record?.(trx, message)
    const type = internal ? NOTE_ADDED : MESSAGE_POSTED
    // An internal note's text lives only in the thread: the history is readable by every party.
    const data = internal
      ? { messageId: message.id }
      : {
          messageId: message.id,
          body: post.body,
          fileIds: post.fileIds,
          via: message.via,
          ...(offered ? { proofOfPurchaseOffered: true } : {}),
        }
    const event = await appendClaimEvent(trx, { claimId, type, at, actor, data }, chainHeadOf(claim))
    const headColumns = chainHeadColumns(event)
    await touchClaim(trx, claimId, at, headColumns)
    const updated = {
      ...claim,
      ...headColumns,
      ...(offered ? { case_json: offered.caseJson } : {}),
      updated_at: at,
    } as ClaimsTable
    await announceClaimEvent(ctx, trx, updated, {
      type,
      at,
      actor,
      ...(internal
        ? {}
        : {
            email: {
              authorName: actor.name,
              // A message of files alone still tells the reader something arrived.
              excerpt: post.body === '' ? `(${post.fileIds.length} file(s) attached)` : excerptOf(post.body),
            },
          }),
      webhook: { messageId: message.id },
    })
    return { message, claim: updated, answered: false }
  })
}
