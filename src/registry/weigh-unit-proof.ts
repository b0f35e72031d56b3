import { type Actor, mayWeighPurchaseProof } from '../auth/index.ts'
import { findOpenClaimsOf, settleUnitProofOnClaims } from '../claims/index.ts'
import { type CursorKey, joinCursor } from '../contracts/api/page.ts'
import { absolutePageUrl, pages } from '../contracts/pages.ts'
import { canonicalSerial } from '../contracts/serial.ts'
import type { Db } from '../db/database.ts'
import { enqueueEmail } from '../notify/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { findCustomerById } from './customer.store.ts'
import { customerMailLocale } from './customer-mail-locale.ts'
import { findUnitBySerial } from './unit.store.ts'
import { findUnitProof, settleUnitProof } from './unit-proof.store.ts'

export const UNIT_PROOF_ACCEPTED_TEMPLATE = 'unit.proof-accepted'
export const UNIT_PROOF_REFUSED_TEMPLATE = 'unit.proof-refused'

/** Only front-office staff weigh a proof of purchase (see `PROOF_WEIGHER_ROLES`). */
export function requireProofWeigher(actor: Actor): Actor {
  if (!mayWeighPurchaseProof(actor)) throw new AppError('forbidden', { key: 'registry.unit-proof.who' })
  return actor
}

/**
 * The proofs of purchase customers filed with their own registrations that wait for staff,
 * on units whose purchase nothing else proves: oldest first by default, the fair order, or
 * newest first. `after` is the last proof of the previous page.
 */
export async function listUnitProofQueue(
  db: Db,
  options: { limit: number; order: 'oldest' | 'newest'; after?: CursorKey | undefined },
) {
  const oldest = options.order === 'oldest'
  let query = db
    .selectFrom('proofs_of_purchase as p')
    .innerJoin('units as u', 'u.serial', 'p.serial')
    .innerJoin('product_models as m', 'm.id', 'u.model_id')
    .leftJoin('customers as c', 'c.id', 'u.owner_customer_id')
    // The document's name, as the files feature keeps it for display.
    .leftJoin('files as f', 'f.id', 'p.file_id')
    .select([
      'p.id',
      'p.serial',
      'p.file_id',
      'p.created_at',
      'f.display_name as file_name',
      'm.name as model',
      'u.purchased_on',
      'c.id as customer_id',
      'c.name as customer_name',
      'c.email as customer_email',
    ])
    .where('p.status', '=', 'offered')
    .where('u.proof_of_purchase', '=', 0)
    .orderBy('p.created_at', oldest ? 'asc' : 'desc')
    .orderBy('p.id', oldest ? 'asc' : 'desc')
    .limit(options.limit)
  const after = options.after
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('p.created_at', oldest ? '>' : '<', after.at),
        eb.and([eb('p.created_at', '=', after.at), eb('p.id', oldest ? '>' : '<', after.id)]),
      ]),
    )
  const rows = await query.execute()
  const claims = await findOpenClaimsOf(db, [...new Set(rows.map((row) => row.serial))])
  return rows.map((row) => ({
    key: joinCursor(row.created_at, row.id),
    item: {
      serial: row.serial,
      model: row.model,
      fileId: row.file_id,
      fileName: row.file_name,
      offeredAt: row.created_at,
      purchasedOn: row.purchased_on,
      customer:
        row.customer_id && row.customer_name !== null && row.customer_email !== null
          ? { id: row.customer_id, name: row.customer_name, email: row.customer_email }
          : null,
      openClaims: claims.get(row.serial) ?? [],
    },
  }))
}

/**
 * Staff accept or refuse the proof of purchase a customer filed with their registration of the
 * unit, in one transaction: the proof records the verdict with who and when (a refusal, why);
 * accepted, the unit's purchase is proven; each open claim on the unit that waits on the proof
 * records it as its own step would; the owner is mailed, in their language, what staff found.
 * A file that is none of the unit's proofs is a 400 naming `fileId`; one weighed already (here
 * or on a claim), a 409 naming it.
 */
export async function weighUnitProof(
  ctx: AppContext,
  actor: Actor,
  serial: string,
  verdict: { status: 'accepted' } | { status: 'refused'; reason: string },
  fileId: string,
) {
  requireProofWeigher(actor)
  const at = ctx.now().toISOString()
  const canonical = canonicalSerial(serial)
  return ctx.db.transaction().execute(async (trx) => {
    const proof = await findUnitProof(trx, canonical, fileId)
    if (!proof)
      throw new AppError(
        'validation',
        { key: 'registry.unit-proof.not-filed', params: { field: 'fileId', id: fileId, serial: canonical } },
        { field: 'fileId' },
      )
    const reason = verdict.status === 'refused' ? verdict.reason : undefined
    // The offered status is the guard: of two weighings racing, the second finds nothing to change.
    if (
      proof.status !== 'offered' ||
      !(await settleUnitProof(trx, {
        serial: canonical,
        fileId,
        verdict: verdict.status,
        reason,
        byUserId: actor.userId,
        at,
      }))
    )
      throw alreadyWeighed((await findUnitProof(trx, canonical, fileId))?.status ?? proof.status, fileId)
    await settleUnitProofOnClaims(ctx, trx, {
      serial: canonical,
      fileId,
      verdict: verdict.status,
      reason,
      actor,
      at,
    })
    const unit = await findUnitBySerial(trx, canonical)
    const owner = unit?.ownerCustomerId ? await findCustomerById(trx, unit.ownerCustomerId) : undefined
    if (unit && owner)
      await enqueueEmail(
        trx,
        {
          to: owner.email,
          template:
            verdict.status === 'accepted' ? UNIT_PROOF_ACCEPTED_TEMPLATE : UNIT_PROOF_REFUSED_TEMPLATE,
          locale: customerMailLocale(owner),
          data: {
            recipientName: owner.name,
            model: unit.modelName,
            serial: unit.serial,
            ...(reason ? { reason } : {}),
            link: absolutePageUrl(ctx.config.publicUrl, pages.signIn(pages.home('customer'))),
          },
        },
        { now: new Date(at) },
      )
    return {
      serial: canonical,
      fileId,
      status: verdict.status,
      proofOfPurchase: unit?.proofOfPurchase ?? verdict.status === 'accepted',
    }
  })
}

const alreadyWeighed = (status: string, fileId: string) =>
  new AppError(
    'conflict',
    {
      key:
        status === 'accepted'
          ? 'claims.purchase-proof.already-accepted'
          : 'claims.purchase-proof.already-refused',
      params: { field: 'fileId', id: fileId },
    },
    { field: 'fileId' },
  )
