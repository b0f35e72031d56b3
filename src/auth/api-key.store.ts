import type { CursorKey } from '../contracts/api/page.ts'
import type { Db } from '../db/database.ts'
import { preparedQuery } from '../db/prepared-query.ts'
import type { ApiKeysTable } from './auth.tables.ts'

export async function insertApiKey(db: Db, key: ApiKeysTable): Promise<void> {
  await db.insertInto('api_keys').values(key).execute()
}

export function findActiveApiKeyWithUser(db: Db, keyHash: string) {
  return activeApiKeyWithUser.executeTakeFirst(db, keyHash)
}

// Read by every request that carries a key: prepared once (see `preparedQuery`).
const activeApiKeyWithUser = preparedQuery((db: Db, keyHash: string) =>
  db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .leftJoin('organisations', 'organisations.id', 'users.org_id')
    .select([
      'api_keys.id as keyId',
      'api_keys.last_used_at as lastUsedAt',
      'api_keys.scope',
      'users.id as userId',
      'users.email',
      'users.name',
      'users.role',
      'users.org_id as orgId',
      'users.customer_id as customerId',
      'users.disabled',
      'organisations.name as orgName',
      'organisations.active as orgActive',
    ])
    .where('api_keys.key_hash', '=', keyHash)
    .where('api_keys.revoked_at', 'is', null),
)

/** Newest first; `after` is where the previous page's last key stood. */
export async function listApiKeys(db: Db, page: { limit: number; after?: CursorKey | undefined }) {
  let query = db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .select([
      'api_keys.id',
      'api_keys.name',
      'api_keys.prefix',
      'api_keys.created_at',
      'api_keys.last_used_at',
      'api_keys.revoked_at',
      'api_keys.scope',
      'users.role',
      'users.id as user_id',
      'users.org_id',
    ])
  if (page.after) {
    const { at, id } = page.after
    query = query.where((eb) =>
      eb.or([
        eb('api_keys.created_at', '<', at),
        eb.and([eb('api_keys.created_at', '=', at), eb('api_keys.id', '<', id)]),
      ]),
    )
  }
  return query
    .orderBy('api_keys.created_at', 'desc')
    .orderBy('api_keys.id', 'desc')
    .limit(page.limit)
    .execute()
}

export async function revokeApiKey(db: Db, id: string, at: string): Promise<number> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export async function markApiKeyUsed(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute()
}
