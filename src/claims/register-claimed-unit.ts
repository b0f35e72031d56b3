import type { z } from 'zod'
import { canonicalSerial } from '../contracts/serial.ts'
import type { Db } from '../db/database.ts'
import type { UnitRecord } from '../registry/index.ts'
import { checkUnitSale, findUnitBySerial, insertUnitSaleUnlessOnFile } from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import type { newUnitSchema } from './claim.schemas.ts'

/**
 * A claim on a unit the registry does not know yet registers it from what the claimant
 * shows (model, channel, dates, proof of purchase), in the claim's transaction, by the
 * registry's one sale writer. A serial another writer (a seller's import, say) registered
 * while the claim was on its way answers the unit that writer put on file, so the claim is
 * judged as one on a unit on file: its serial taken is no reason to refuse it.
 */
export async function registerClaimedUnit(
  ctx: Pick<AppContext, 'policies'>,
  trx: Db,
  serial: string,
  unit: z.output<typeof newUnitSchema>,
  ownerCustomerId: string | null,
  at: string,
): Promise<UnitRecord> {
  const registered = await insertUnitSaleUnlessOnFile(
    trx,
    ctx.policies,
    claimedSale(serial, unit, ownerCustomerId),
    { at, fieldPrefix: 'unit.' },
  )
  const onFile = registered ?? (await findUnitBySerial(trx, serial))
  if (!onFile) throw new AppError('internal', `unit ${serial} is neither on file nor registered`)
  return onFile
}

/**
 * Refuses a claim's unit description as `registerClaimedUnit` would, then with `unproven`
 * where the claim on a new unit would next be refused for want of a proof, and then its serial
 * as one on file already, writing nothing: the answer to a claimant describing a unit that is
 * on file but not theirs to claim, the same as to a registration that found it taken.
 */
export async function refuseClaimedUnitOnFile(
  ctx: Pick<AppContext, 'policies'>,
  trx: Db,
  serial: string,
  unit: z.output<typeof newUnitSchema>,
  ownerCustomerId: string | null,
  at: string,
  unproven?: AppError,
): Promise<never> {
  await checkUnitSale(trx, ctx.policies, claimedSale(serial, unit, ownerCustomerId), {
    at,
    fieldPrefix: 'unit.',
  })
  if (unproven) throw unproven
  throw new AppError(
    'conflict',
    { key: 'unit.already-registered', params: { serial: canonicalSerial(serial) } },
    { field: 'unit.serial' },
  )
}

function claimedSale(serial: string, unit: z.output<typeof newUnitSchema>, ownerCustomerId: string | null) {
  return {
    serial,
    model: unit.model,
    channel: unit.channel,
    dealerOrgId: unit.dealerOrgId ?? null,
    sellerOrgId: unit.sellerOrgId ?? null,
    purchasedOn: unit.purchasedOn,
    shippedOn: unit.shippedOn ?? null,
    deliveredOn: unit.deliveredOn ?? null,
    ownerCustomerId,
    proofOfPurchase: unit.proofOfPurchase,
    warrantyCard: unit.warrantyCard,
  }
}

/** Seed: a replacement is a new unit linked to the old one by `replaced_by_serial`; it inherits the sale. */
export async function registerReplacementUnit(
  trx: Db,
  oldSerial: string,
  newSerial: string,
  at: string,
): Promise<void> {
  const old = await trx.selectFrom('units').selectAll().where('serial', '=', oldSerial).executeTakeFirst()
  if (!old) throw new AppError('not-found', { key: 'claims.unit-unknown', params: { serial: oldSerial } })
  const existing = await trx
    .selectFrom('units')
    .select(['serial', 'model_id', 'owner_customer_id'])
    .where('serial', '=', newSerial)
    .executeTakeFirst()
  if (existing && existing.model_id !== old.model_id) {
    throw new AppError(
      'validation',
      { key: 'claims.replacement.other-model', params: { field: 'newSerial', serial: newSerial } },
      { field: 'newSerial' },
    )
  }
  // A unit on file is a replacement only if it is stock or the claimant's own: another
  // customer's unit would stay theirs, and the claimant would own no replacement at all.
  if (
    existing &&
    existing.owner_customer_id !== null &&
    existing.owner_customer_id !== old.owner_customer_id
  ) {
    throw new AppError(
      'validation',
      { key: 'claims.replacement.owned-by-another', params: { field: 'newSerial', serial: newSerial } },
      { field: 'newSerial' },
    )
  }
  if (!existing) {
    await trx
      .insertInto('units')
      .values({ ...old, serial: newSerial, replaced_by_serial: null, created_at: at, updated_at: at })
      .execute()
  }
  await trx
    .updateTable('units')
    .set({ replaced_by_serial: newSerial, updated_at: at })
    .where('serial', '=', oldSerial)
    .execute()
}
