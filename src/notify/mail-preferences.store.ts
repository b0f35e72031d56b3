import crypto from 'node:crypto'
import type { Db } from '../db/database.ts'
import { holderOfAddress } from '../registry/index.ts'
import {
  mailPersonKey,
  normaliseAddress,
  OPTIONAL_MAIL_KINDS,
  type OptionalMailKind,
} from './domain/mail-preferences.ts'

/** Which optional mail a person receives: every kind is on until it is stopped. */
export type MailPreferences = Record<OptionalMailKind, boolean>

/**
 * Whether `person` (a `mailPersonKey`) stopped this kind, or someone stopped it at `address`:
 * a stop kept under the address (an unsubscribe link, or mail that named no person) holds for
 * every mail to that address, whichever person it is for and whoever typed the address in.
 */
export async function isOptedOut(
  db: Db,
  person: string,
  address: string,
  kind: OptionalMailKind,
): Promise<boolean> {
  const row = await db
    .selectFrom('mail_opt_outs')
    .select('kind')
    .where('person', 'in', [person, mailPersonKey(undefined, address)])
    .where('kind', '=', kind)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * The choices of `person`, who holds `address`: a kind stopped at the address (by a link sent
 * there) is off for them too, as their mail there does not come.
 */
export async function readMailPreferences(db: Db, person: string, address: string): Promise<MailPreferences> {
  const stopped = new Set(
    (
      await db
        .selectFrom('mail_opt_outs')
        .select('kind')
        .where('person', 'in', [person, mailPersonKey(undefined, address)])
        .execute()
    ).map((row) => row.kind),
  )
  return Object.fromEntries(OPTIONAL_MAIL_KINDS.map((kind) => [kind, !stopped.has(kind)])) as MailPreferences
}

/** Stops one kind for a person, reached at `address`; stopping it again changes nothing. */
export async function optOut(
  db: Db,
  person: string,
  address: string,
  kind: OptionalMailKind,
  now: Date,
): Promise<void> {
  await db
    .insertInto('mail_opt_outs')
    .values({ person, kind, address: normaliseAddress(address), created_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['person', 'kind']).doNothing())
    .execute()
}

/**
 * Stops one kind at an address, for whoever mail there is meant: the one who read a link sent
 * to it asked for none there, and the address may stand on records others typed (a claim's
 * contact, a buyer a dealer registered).
 */
export async function optOutAddress(
  db: Db,
  address: string,
  kind: OptionalMailKind,
  now: Date,
): Promise<void> {
  await optOut(db, mailPersonKey(undefined, address), address, kind, now)
}

/**
 * Turns one kind back on for `person`, and at `address`, which they hold: being signed in with
 * it, they speak for what comes to it.
 */
export async function optIn(db: Db, person: string, address: string, kind: OptionalMailKind): Promise<void> {
  await db
    .deleteFrom('mail_opt_outs')
    .where('person', 'in', [person, mailPersonKey(undefined, address)])
    .where('kind', '=', kind)
    .execute()
}

/**
 * The person an address belongs to now (`mailPersonKey`): the customer with it, else the
 * customer whose user has it, else the user, else the address itself. Links sent before
 * they named their person name only the address they were sent to.
 */
export async function personOfAddress(db: Db, address: string): Promise<string> {
  const email = normaliseAddress(address)
  return mailPersonKey(await holderOfAddress(db, email), email)
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
