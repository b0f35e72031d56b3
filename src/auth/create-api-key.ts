import crypto from 'node:crypto'
import type { Db } from '../db/database.ts'
import { insertApiKey } from './api-key.store.ts'
import type { ApiKeyScope } from './auth.tables.ts'
import { createUser } from './create-user.ts'
import { generateToken, hashToken } from './secrets.ts'

export const API_KEY_PREFIX = 'ack_'

export interface CreatedApiKey {
  id: string
  name: string
  /** The key itself: shown once, never stored. */
  key: string
  prefix: string
  userId: string
  createdAt: string
  scope: ApiKeyScope
  role: 'integration' | 'dealer'
  orgId: string | null
}

/**
 * Issues a key. Without `userId` the key gets its own user, so what an integration did is
 * told apart from what a person did in every history: an `integration` that sees the whole
 * registry, or, with `orgId`, a `dealer` of that organisation, so every rule that narrows a
 * dealer (visibility, whose customers it may name, what it may state) narrows the key too.
 * The caller checks that the organisation exists.
 */
export async function createApiKey(
  db: Db,
  input: { name: string; userId?: string; createdBy: string | null; scope?: ApiKeyScope; orgId?: string },
  now: Date,
): Promise<CreatedApiKey> {
  const id = crypto.randomUUID()
  const role = input.orgId ? 'dealer' : 'integration'
  const key = `${API_KEY_PREFIX}${generateToken()}`
  const prefix = key.slice(0, API_KEY_PREFIX.length + 6)
  const createdAt = now.toISOString()
  // The key's own account and the key are one write: an account tied to an organisation
  // whose key was refused would be a dealer nobody can see or revoke through the key list.
  const userId = await db.transaction().execute(async (trx) => {
    const userId =
      input.userId ??
      (
        await createUser(
          trx,
          { email: `key-${id}@integrations.invalid`, name: input.name, role, orgId: input.orgId ?? null },
          now,
        )
      ).id
    await insertApiKey(trx, {
      id,
      user_id: userId,
      name: input.name,
      prefix,
      key_hash: hashToken(key),
      created_by: input.createdBy,
      created_at: createdAt,
      last_used_at: null,
      revoked_at: null,
      scope: input.scope ?? 'full',
    })
    return userId
  })
  return {
    id,
    name: input.name,
    key,
    prefix,
    userId,
    createdAt,
    scope: input.scope ?? 'full',
    role,
    orgId: input.orgId ?? null,
  }
}
