import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { Role } from './actor.ts'

/** For tests: creates a user of the given role and returns headers that authenticate as them. (Contract; the auth feature implements it.) */
export async function createTestUser(
  _db: Kysely<Database>,
  _options: { role: Role; orgId?: string | null; customerId?: string | null; email?: string; name?: string },
): Promise<{ userId: string; headers: Record<string, string> }> {
  throw new Error('createTestUser is being built by the auth feature')
}
