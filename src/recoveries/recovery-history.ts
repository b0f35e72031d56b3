import crypto from 'node:crypto'
import type { Actor } from '../auth/index.ts'
import { GENESIS_HASH, toCanonicalJson } from '../claims/index.ts'
import type { Db } from '../db/database.ts'
import { insertRecoveryEvent, listRecoveryEvents } from './recovery.store.ts'
import type { RecoveryEventsTable } from './recovery.tables.ts'

export { GENESIS_HASH }

/** The text whose SHA-256 is a recovery event's hash: the previous hash, then the canonical event. */
const hashOf = (prevHash: string, row: Omit<RecoveryEventsTable, 'prev_hash' | 'hash'>): string =>
  crypto
    .createHash('sha256')
    .update(
      prevHash +
        toCanonicalJson({
          recoveryId: row.recovery_id,
          seq: row.seq,
          type: row.type,
          at: row.at,
          actor: { id: row.actor_id, role: row.actor_role, name: row.actor_name },
          data: JSON.parse(row.data) as unknown,
        }),
      'utf8',
    )
    .digest('hex')

/**
 * Appends one event after the head kept on the recovery claim row (which the caller locked
 * and writes back): a stale head cannot fork the chain, its seq is taken and the primary
 * key refuses the insert.
 */
export async function appendRecoveryEvent(
  trx: Db,
  head: { seq: number; hash: string },
  event: { recoveryId: string; type: string; at: string; actor: Actor; data: Record<string, unknown> },
): Promise<RecoveryEventsTable> {
  const base = {
    recovery_id: event.recoveryId,
    seq: head.seq + 1,
    type: event.type,
    at: event.at,
    actor_id: event.actor.userId,
    actor_role: event.actor.role,
    actor_name: event.actor.name,
    data: JSON.stringify(event.data),
  }
  const row = { ...base, prev_hash: head.hash, hash: hashOf(head.hash, base) }
  await insertRecoveryEvent(trx, row)
  return row
}

/** Checks a recovery claim's chain link by link; the first broken link, or null when whole. */
export async function verifyRecoveryChain(
  db: Db,
  recoveryId: string,
): Promise<{ seq: number; reason: string } | null> {
  let prev = GENESIS_HASH
  let expected = 1
  for (const row of await listRecoveryEvents(db, recoveryId)) {
    if (Number(row.seq) !== expected) return { seq: Number(row.seq), reason: `expected seq ${expected}` }
    if (row.prev_hash !== prev) return { seq: expected, reason: 'prev_hash does not match the event before' }
    if (hashOf(prev, { ...row, seq: Number(row.seq) }) !== row.hash)
      return { seq: expected, reason: 'hash does not match the event: it was changed after it was written' }
    prev = row.hash
    expected += 1
  }
  return expected === 1 ? { seq: 1, reason: 'no history' } : null
}
