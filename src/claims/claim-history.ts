import crypto from 'node:crypto'
import type { Actor } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import { type Message, type MessageKey, type MessageParams, render } from '../shared/messages/translate.ts'
import { findLastEvent, insertEvent, listClaimIds, listEvents } from './claim.store.ts'
import type { ClaimEventsTable, ClaimsTable } from './claim.tables.ts'
import { GENESIS_HASH, type HashedEvent, hashInput } from './domain/canonical-json.ts'
import { checkClaimEvent } from './domain/claim-events.ts'

export const sha256Hex = (text: string): string =>
  crypto.createHash('sha256').update(text, 'utf8').digest('hex')

const toHashed = (row: Omit<ClaimEventsTable, 'prev_hash' | 'hash'>): HashedEvent => ({
  claimId: row.claim_id,
  seq: row.seq,
  type: row.type,
  at: row.at,
  actor: { id: row.actor_id, role: row.actor_role, name: row.actor_name },
  data: JSON.parse(row.data) as unknown,
})

/** The last link of a claim's chain: what the next event follows. */
export interface ChainHead {
  seq: number
  hash: string
}

/** Where a new claim's chain starts. */
export const EMPTY_CHAIN: ChainHead = { seq: 0, hash: GENESIS_HASH }

/** The head kept on the claim row, when the row has one. */
export function chainHeadOf(claim: Pick<ClaimsTable, 'chain_seq' | 'chain_hash'>): ChainHead | undefined {
  if (claim.chain_seq === null || claim.chain_seq === undefined || !claim.chain_hash) return undefined
  return { seq: Number(claim.chain_seq), hash: claim.chain_hash }
}

/** The claim columns that record an appended event as the new head. */
export const chainHeadColumns = (event: Pick<ClaimEventsTable, 'seq' | 'hash'>) => ({
  chain_seq: event.seq,
  chain_hash: event.hash,
})

export interface AppendedEvent extends ClaimEventsTable {
  /** The data as stored (after its JSON round trip): what the hash covers and a re-read would give. */
  storedData: Record<string, unknown>
}

/**
 * Appends one event to a claim's chain, in the caller's transaction: seq follows the last
 * event and hash = SHA-256(prev_hash + canonical JSON of the event). The head comes from
 * the claim row the caller locked (the caller writes `chainHeadColumns` back in the same
 * transaction); without one the last event is read. A stale head cannot fork the chain:
 * its seq is taken already and the primary key (claim_id, seq) refuses the insert.
 */
export async function appendClaimEvent(
  trx: Db,
  event: { claimId: string; type: string; at: string; actor: Actor; data: Record<string, unknown> },
  head?: ChainHead,
): Promise<AppendedEvent> {
  const last = head ?? (await findLastEvent(trx, event.claimId))
  const base = {
    claim_id: event.claimId,
    seq: (last?.seq ?? 0) + 1,
    type: event.type,
    at: event.at,
    actor_id: event.actor.userId,
    actor_role: event.actor.role,
    actor_name: event.actor.name,
    data: JSON.stringify(event.data),
  }
  const prevHash = last?.hash ?? GENESIS_HASH
  const hashed = toHashed(base)
  // Checked as it will be stored and replayed, after the JSON round trip.
  checkClaimEvent({ type: event.type, data: hashed.data })
  const row: ClaimEventsTable = {
    ...base,
    prev_hash: prevHash,
    hash: sha256Hex(hashInput(prevHash, hashed)),
  }
  await insertEvent(trx, row)
  return { ...row, storedData: hashed.data as Record<string, unknown> }
}

export interface ChainReport {
  claimId: string
  events: number
  ok: boolean
  /** A past claim loaded from an earlier system: it has no history here to check. */
  imported?: true
  /** The first broken link: its seq and what is wrong, in English and as a message for the reader's language. */
  broken?: { seq: number; reason: string; message: Message }
}

function brokenAt(claimId: string, events: number, seq: number, message: Message): ChainReport {
  return { claimId, events, ok: false, broken: { seq, reason: render('en', message), message } }
}

/** Checks one claim's chain link by link; stops at the first broken one. */
export async function verifyClaimChain(db: Db, claimId: string): Promise<ChainReport> {
  const rows = await listEvents(db, claimId)
  let prevHash = GENESIS_HASH
  let expectedSeq = 1
  for (const row of rows) {
    const fail = (key: MessageKey, params: MessageParams = {}): ChainReport =>
      brokenAt(claimId, rows.length, Number(row.seq), { key, params })
    if (Number(row.seq) !== expectedSeq)
      return fail('audit.broken.seq', { expected: expectedSeq, found: Number(row.seq) })
    if (row.prev_hash !== prevHash) return fail('audit.broken.prev-hash')
    let recomputed: string
    try {
      recomputed = sha256Hex(hashInput(prevHash, toHashed({ ...row, seq: Number(row.seq) })))
    } catch {
      return fail('audit.broken.not-json')
    }
    if (recomputed !== row.hash) return fail('audit.broken.hash')
    try {
      checkClaimEvent({ type: row.type, data: JSON.parse(row.data) as unknown })
    } catch (error) {
      return fail('audit.broken.event', { detail: error instanceof Error ? error.message : String(error) })
    }
    prevHash = row.hash
    expectedSeq += 1
  }
  if (rows.length === 0) {
    // Nothing happened to an imported claim in this system, so no chain was ever written;
    // the import's own record, written in the same transaction as the claim, says so. Any
    // other claim without events has had its history taken away.
    const imported = await db
      .selectFrom('claim_imports')
      .select('claim_id')
      .where('claim_id', '=', claimId)
      .executeTakeFirst()
    return imported
      ? { claimId, events: 0, ok: true, imported: true }
      : brokenAt(claimId, 0, 1, { key: 'audit.broken.no-history' })
  }
  return { claimId, events: rows.length, ok: true }
}

/** Checks every claim, or one; the reports of broken chains come first. */
export async function verifyHistory(db: Db, claimId?: string): Promise<ChainReport[]> {
  const ids = claimId ? [claimId] : await listClaimIds(db)
  const reports: ChainReport[] = []
  for (const id of ids) reports.push(await verifyClaimChain(db, id))
  return reports
}
