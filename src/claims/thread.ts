import crypto from 'node:crypto'
import { type Actor, isStaff } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import { insertMessage, listMessages } from './claim.store.ts'
import type { ClaimMessagesTable } from './claim.tables.ts'
import type { ThreadMessageView } from './thread.schemas.ts'

/** The thread as the actor may see it: internal notes only for staff, oldest first. */
export async function listThread(db: Db, actor: Actor, claimId: string): Promise<ThreadMessageView[]> {
  const rows = (await listMessages(db, claimId)).filter(
    (m) => isStaff(actor) || (m.visibility ?? 'parties') !== 'internal',
  )
  const byId = await filesOf(db, claimId, rows)
  return rows.map((m) => toThreadMessageView(m, byId))
}

/**
 * One message as its thread shows it, with its files: what a post answers. Reading the
 * whole thread for it made every post cost more than the one before.
 */
export async function threadMessageOf(db: Db, message: ClaimMessagesTable): Promise<ThreadMessageView> {
  return toThreadMessageView(message, await filesOf(db, message.claim_id, [message]))
}

/** The files the messages attach, by id; only the claim's own files are shown. */
async function filesOf(db: Db, claimId: string, messages: readonly ClaimMessagesTable[]) {
  const fileIds = [...new Set(messages.flatMap(fileIdsOf))]
  const files =
    fileIds.length === 0
      ? []
      : await db
          .selectFrom('files')
          .select(['id', 'display_name', 'content_type', 'size_bytes', 'claim_id'])
          .where('id', 'in', fileIds)
          .where('claim_id', '=', claimId)
          .execute()
  return new Map(files.map((f) => [f.id, f]))
}

const fileIdsOf = (m: ClaimMessagesTable): string[] => {
  try {
    const parsed: unknown = JSON.parse(m.file_ids ?? '[]')
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : []
  } catch {
    return []
  }
}

export function toThreadMessageView(
  m: ClaimMessagesTable,
  files: Map<string, { id: string; display_name: string; content_type: string; size_bytes: number }>,
): ThreadMessageView {
  return {
    id: m.id,
    author: { id: m.author_id, role: m.author_role, name: m.author_name },
    body: m.body,
    postedAt: m.posted_at,
    kind: m.kind ?? 'message',
    internal: m.visibility === 'internal',
    via: m.via ?? 'web',
    files: fileIdsOf(m).flatMap((id) => {
      const f = files.get(id)
      return f
        ? [
            {
              id: f.id,
              name: f.display_name,
              contentType: f.content_type,
              sizeBytes: Number(f.size_bytes),
              url: `/api/v1/files/${f.id}`,
            },
          ]
        : []
    }),
  }
}

/** The question of a request for information as a turn in the thread, in the step's transaction. */
export async function insertInfoRequestMessage(
  trx: Db,
  tc: { claim: { id: string }; actor: Actor; at: string },
  question: string,
): Promise<void> {
  await insertMessage(trx, {
    id: crypto.randomUUID(),
    claim_id: tc.claim.id,
    author_id: tc.actor.userId,
    author_role: tc.actor.role,
    author_name: tc.actor.name,
    body: question,
    posted_at: tc.at,
    visibility: 'parties',
    kind: 'info-request',
    via: 'web',
    file_ids: '[]',
  })
}
