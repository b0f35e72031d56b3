import fs from 'node:fs/promises'
import type { ExpressionBuilder } from 'kysely'
import type { Db } from '../db/database.ts'
import type { Database } from '../db/schema.ts'
import { AppError } from '../shared/errors.ts'
import { resolveStoredPath } from './file-storage.ts'

/**
 * The holding area: a file uploaded before its claim exists (`POST /api/v1/files`) belongs
 * to its uploader and to no claim. Intake uploads first and then opens the claim naming
 * the held files, so a failed upload leaves no claim behind. A held file nobody claims
 * within HOLD_HOURS is swept; one filed as a unit's proof of purchase, or set as the
 * seller's logo, is not held.
 */
export const HOLD_HOURS = 24

const holdStart = (now: Date): string => new Date(now.getTime() - HOLD_HOURS * 3_600_000).toISOString()

/**
 * Files on no claim that are not held: a unit's proof of purchase, and a seller's logo in
 * use (set on the letterhead, it would otherwise vanish from the documents a day later).
 */
const keptOffClaims = (eb: ExpressionBuilder<Database, 'files'>) =>
  eb.and([
    eb('id', 'not in', eb.selectFrom('proofs_of_purchase').select('file_id')),
    eb(
      'id',
      'not in',
      // Without the NULLs: `not in` a list holding one is never true.
      eb.selectFrom('seller_settings').select('logo_file_id').where('logo_file_id', 'is not', null),
    ),
  ])

/**
 * Refuses an upload that would take the uploader's held files within the holding time past
 * `limit` bytes (413 naming `field`). Run in the transaction that records the upload.
 */
export async function refuseOverfullHold(
  trx: Db,
  input: { ownerUserId: string; now: Date; adding: number; limit: number; field: string },
): Promise<void> {
  const held = await trx
    .selectFrom('files')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('size_bytes'), eb.lit(0)).as('bytes'))
    .where('uploaded_by', '=', input.ownerUserId)
    .where('claim_id', 'is', null)
    .where('created_at', '>=', holdStart(input.now))
    .where(keptOffClaims)
    .executeTakeFirstOrThrow()
  if (Number(held.bytes) + input.adding > input.limit)
    throw new AppError(
      'payload-too-large',
      {
        key: 'files.hold-full',
        params: { field: input.field, megabytes: Math.floor(input.limit / (1024 * 1024)), hours: HOLD_HOURS },
      },
      { field: input.field },
    )
}

/**
 * Refuses files that would take one claim's files past `limit` bytes (413 naming `field`).
 * Run in the transaction that adds them, with the claim's row locked (`lock`, PostgreSQL;
 * SQLite has one writer): two uploads racing to one claim are counted one after the other,
 * so they cannot both slip under the bound.
 */
export async function refuseOverfullClaim(
  trx: Db,
  input: { claimId: string; adding: number; limit: number; field: string; lock: boolean },
): Promise<void> {
  if (input.lock)
    await trx.selectFrom('claims').select('id').where('id', '=', input.claimId).forUpdate().execute()
  const stored = await trx
    .selectFrom('files')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('size_bytes'), eb.lit(0)).as('bytes'))
    .where('claim_id', '=', input.claimId)
    .executeTakeFirstOrThrow()
  if (Number(stored.bytes) + input.adding > input.limit)
    throw new AppError(
      'payload-too-large',
      {
        key: 'files.claim-full',
        params: { field: input.field, megabytes: Math.floor(input.limit / (1024 * 1024)) },
      },
      { field: input.field },
    )
}

/** Kinds of the held files the uploader may still use, by id; a missing id is not theirs, gone or used. */
async function findUsableHeldFiles(db: Db, ids: readonly string[], ownerUserId: string, now: Date) {
  if (ids.length === 0) return []
  return db
    .selectFrom('files')
    .select(['id', 'kind', 'size_bytes'])
    .where('id', 'in', [...ids])
    .where('uploaded_by', '=', ownerUserId)
    .where('claim_id', 'is', null)
    .where('created_at', '>=', holdStart(now))
    .where(keptOffClaims)
    .execute()
}

/**
 * True when one of `ids` is a held file of the uploader marked as a proof of purchase, read
 * only: an intake asks for the proof before it answers anything about the unit's claims.
 */
export async function holdsProofOfPurchase(
  db: Db,
  input: { fileIds: readonly string[]; ownerUserId: string; now: Date },
): Promise<boolean> {
  const usable = await findUsableHeldFiles(db, input.fileIds, input.ownerUserId, input.now)
  return usable.some((file) => file.kind === 'proof-of-purchase')
}

/**
 * Refuses a held proof of payment joining a claim any other way than the step that sends
 * it (submit-payment-proof): on the claim it would stand among the proofs staff record
 * payments against, without the customer having sent it for an accepted quote.
 */
export function refuseLooseProofs(files: readonly { id: string; kind: string }[], field: string): void {
  const proof = files.find((f) => f.kind === 'payment-proof')
  if (proof)
    throw new AppError(
      'validation',
      { key: 'files.proof-by-step', params: { field, id: proof.id, step: 'submit-payment-proof' } },
      { field },
    )
}

/**
 * Moves the uploader's held files to a claim, in the claim's transaction. Every id must be
 * a held file of this uploader; otherwise nothing moves and the error names the first
 * unusable one, so the whole intake is refused. Answers the kinds of the files moved.
 * A held proof of payment moves only when `paymentProof` says the step sending it asks.
 * The claim's files stay within `claimBytes`; the caller holds the claim's row locked (a
 * claim's step) or has just written it (its intake), so no upload counts beside this one.
 */
export async function takeHeldFiles(
  trx: Db,
  input: {
    fileIds: readonly string[]
    claimId: string
    ownerUserId: string
    now: Date
    field: string
    paymentProof?: boolean
    claimBytes: number
  },
): Promise<string[]> {
  const ids = [...new Set(input.fileIds)]
  if (ids.length === 0) return []
  const usable = await findUsableHeldFiles(trx, ids, input.ownerUserId, input.now)
  const found = new Set(usable.map((f) => f.id))
  const missing = ids.find((id) => !found.has(id))
  if (missing !== undefined) {
    throw new AppError(
      'validation',
      { key: 'files.held-missing', params: { field: input.field, id: missing, hours: HOLD_HOURS } },
      { field: input.field },
    )
  }
  if (!input.paymentProof) refuseLooseProofs(usable, input.field)
  await refuseOverfullClaim(trx, {
    claimId: input.claimId,
    adding: usable.reduce((sum, f) => sum + Number(f.size_bytes), 0),
    limit: input.claimBytes,
    field: input.field,
    lock: false,
  })
  const moved = await trx
    .updateTable('files')
    .set({ claim_id: input.claimId })
    .where('id', 'in', ids)
    .where('uploaded_by', '=', input.ownerUserId)
    .where('claim_id', 'is', null)
    .executeTakeFirst()
  // A concurrent intake took one of them between the read and the update.
  if (Number(moved.numUpdatedRows) !== ids.length)
    throw new AppError(
      'conflict',
      { key: 'files.held-taken', params: { field: input.field } },
      {
        field: input.field,
      },
    )
  return usable.map((f) => f.kind)
}

/** Deletes held files older than the holding time: the rows first, then their bytes. Answers how many went. */
export async function sweepHeldUploads(db: Db, dataDir: string, now: Date, batch = 500): Promise<number> {
  const expired = await db
    .selectFrom('files')
    .select(['id', 'storage_path'])
    .where('claim_id', 'is', null)
    .where('created_at', '<', holdStart(now))
    .where(keptOffClaims)
    .orderBy('created_at')
    .limit(batch)
    .execute()
  if (expired.length === 0) return 0
  // The row goes only while still held, so a file taken by a claim meanwhile stays.
  const gone = await db
    .deleteFrom('files')
    .where(
      'id',
      'in',
      expired.map((f) => f.id),
    )
    .where('claim_id', 'is', null)
    .where(keptOffClaims)
    .returning(['id', 'storage_path'])
    .execute()
  for (const file of gone) await fs.rm(resolveStoredPath(dataDir, file.storage_path), { force: true })
  return gone.length
}

/** Sweeps the holding area now and then until stopped; the returned function stops it. */
export function startHeldUploadSweeper(
  ctx: { db: Db; config: { dataDir: string }; now: () => Date },
  options: { intervalMs: number; onError: (error: unknown) => void },
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve()
  const timer = setInterval(() => {
    running = sweepHeldUploads(ctx.db, ctx.config.dataDir, ctx.now()).catch(options.onError)
  }, options.intervalMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}
