import crypto from 'node:crypto'
import type { Db } from '../db/database.ts'
import { normaliseAddress, OPTIONAL_MAIL_KINDS, type OptionalMailKind } from './domain/mail-preferences.ts'

/** Which optional mail an address receives: every kind is on until it is stopped. */
export type MailPreferences = Record<OptionalMailKind, boolean>

export async function isOptedOut(db: Db, address: string, kind: OptionalMailKind): Promise<boolean> {
  const row = await db
    .selectFrom('mail_opt_outs')
    .select('kind')
    .where('address', '=', normaliseAddress(address))
    .where('kind', '=', kind)
    .executeTakeFirst()
  return row !== undefined
}

export async function readMailPreferences(db: Db, address: string): Promise<MailPreferences> {
  const stopped = new Set(
    (
      await db
        .selectFrom('mail_opt_outs')
        .select('kind')
        .where('address', '=', normaliseAddress(address))
        .execute()
    ).map((row) => row.kind),
  )
  return Object.fromEntries(OPTIONAL_MAIL_KINDS.map((kind) => [kind, !stopped.has(kind)])) as MailPreferences
}

/** Stops one kind for an address; stopping it again changes nothing. */
export async function optOut(db: Db, address: string, kind: OptionalMailKind, now: Date): Promise<void> {
  await db
    .insertInto('mail_opt_outs')
    .values({ address: normaliseAddress(address), kind, created_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['address', 'kind']).doNothing())
    .execute()
}

export async function optIn(db: Db, address: string, kind: OptionalMailKind): Promise<void> {
  await db
    .deleteFrom('mail_opt_outs')
    .where('address', '=', normaliseAddress(address))
    .where('kind', '=', kind)
    .execute()
}

/**
 * The key unsubscribe links are signed with, made the first time one is needed. Not made by
 * the migration: a database only migrated must stay empty, so a backup can be restored into
 * it (and brings its own key, so links already sent keep working). Of two instances making it
 * at once, the first insert wins and both read it.
 */
export async function unsubscribeKey(db: Db): Promise<Buffer> {
  const readKey = () =>
    db.selectFrom('notify_keys').select('secret').where('name', '=', 'unsubscribe').executeTakeFirst()
  // Read first: every optional mail delivered and every link followed asks for the key, and
  // only the first of them should take the write lock to make it.
  let row = await readKey()
  if (!row) {
    await db
      .insertInto('notify_keys')
      .values({ name: 'unsubscribe', secret: crypto.randomBytes(32).toString('base64url') })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .execute()
    row = await readKey()
  }
  if (!row) throw new Error('the unsubscribe key was neither found nor made')
  return Buffer.from(row.secret, 'base64url')
}
