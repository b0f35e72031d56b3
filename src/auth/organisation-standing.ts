import type { Db } from '../db/database.ts'
import { AppError } from '../shared/errors.ts'

/**
 * The refusal of a user whose organisation was deactivated. The credential is still theirs
 * (a session, a key, a right password), so it is not ended: reactivating the organisation
 * lets the same session or key work again until it expires or is revoked.
 */
export const organisationInactive = (org: { name: string }): AppError =>
  new AppError(
    'forbidden',
    { key: 'auth.organisation-inactive', params: { field: 'orgId', name: org.name } },
    { field: 'orgId' },
  )

/** The user's organisation when it is inactive; undefined for one active or for no organisation. */
export async function findInactiveOrganisation(
  db: Db,
  orgId: string | null,
): Promise<{ id: string; name: string } | undefined> {
  if (orgId === null) return undefined
  return db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('id', '=', orgId)
    .where('active', '=', 0)
    .executeTakeFirst()
}
