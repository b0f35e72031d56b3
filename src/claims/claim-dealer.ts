import type { Db } from '../db/database.ts'

/**
 * A dealer that confirms it sold a unit becomes the dealer of the unit's claims opened while
 * the sale waited for it: from then on it sees them and serves them as the seed's "served by
 * the dealer when bought from one" says. The claims' histories are not touched; the sale's
 * answer is kept by the registry.
 */
export async function giveClaimsToConfirmedDealer(
  trx: Db,
  serial: string,
  dealerOrgId: string,
): Promise<number> {
  const result = await trx
    .updateTable('claims')
    .set({ dealer_org_id: dealerOrgId })
    .where('serial', '=', serial)
    .where('dealer_org_id', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
