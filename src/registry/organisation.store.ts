import type { Insertable, Selectable } from 'kysely'
import type { Db } from '../db/database.ts'
import { serializeAddress } from './domain/address.ts'
import { normalizeModelKey } from './domain/model-key.ts'
import type { OrganisationKind, OrganisationsTable } from './registry.tables.ts'

export interface OrganisationInput {
  id: string
  kind: OrganisationKind
  name: string
  country: string
  email: string
  phone?: string | null
  serviceAddress?: Record<string, string> | null
  defaultPolicyId?: string | null
  agentOrgId?: string | null
}

export function toOrganisationRow(input: OrganisationInput, now: string): Selectable<OrganisationsTable> {
  return {
    id: input.id,
    kind: input.kind,
    name: input.name,
    name_key: normalizeModelKey(input.name),
    country: input.country.toUpperCase(),
    email: input.email.toLowerCase(),
    phone: input.phone ?? null,
    service_address: serializeAddress(input.serviceAddress),
    default_policy_id: input.defaultPolicyId ?? null,
    agent_org_id: input.agentOrgId ?? null,
    active: 1,
    deactivated_at: null,
    deactivated_by_user_id: null,
    created_at: now,
    updated_at: now,
  }
}

/** Inserts the organisation; returns false when one with this id or name exists already. */
export async function insertOrganisationIfAbsent(
  db: Db,
  row: Insertable<OrganisationsTable>,
): Promise<boolean> {
  const result = await db
    .insertInto('organisations')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
}

export function listOrganisations(db: Db, kind?: OrganisationKind) {
  let query = db.selectFrom('organisations').selectAll().orderBy('name')
  if (kind) query = query.where('kind', '=', kind)
  return query.execute()
}

/**
 * The dealers and agents that units of this seller were sold through: the ones a customer may
 * say sold them its unit (`refuseStrangeDealer` asks the same of one).
 */
export function listDealersOfSeller(db: Db, sellerOrgId: string) {
  return db
    .selectFrom('organisations as d')
    .selectAll('d')
    .where('d.kind', 'in', ['dealer', 'agent'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('units')
          .select('units.serial')
          .whereRef('units.dealer_org_id', '=', 'd.id')
          .where('units.seller_org_id', '=', sellerOrgId),
      ),
    )
    .orderBy('d.name')
    .execute()
}

export function findOrganisation(db: Db, id: string) {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst()
}

/** An organisation named in a CSV row: by id, or by name ignoring case, spaces and hyphens. */
export function findOrganisationByIdOrName(db: Db, idOrName: string) {
  return db
    .selectFrom('organisations')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrName), eb('name_key', '=', normalizeModelKey(idOrName))]))
    .executeTakeFirst()
}

/**
 * Marks the organisation active or not; answers whether the row changed, so asking twice for
 * the same state writes nothing and keeps who deactivated it first.
 */
export async function updateOrganisationActive(
  db: Db,
  change: { id: string; active: boolean; byUserId: string | null; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable('organisations')
    .set({
      active: change.active ? 1 : 0,
      deactivated_at: change.active ? null : change.at,
      deactivated_by_user_id: change.active ? null : change.byUserId,
      updated_at: change.at,
    })
    .where('id', '=', change.id)
    .where('active', '=', change.active ? 0 : 1)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}
