import type { Db } from '../db/database.ts'
import type { UnitProofStatus } from './registry.tables.ts'
import type { UnitProofView } from './unit-proof.schemas.ts'

/** One proof of purchase filed for a unit, as its weighing reads it. */
export interface UnitProofRow {
  id: string
  serial: string
  fileId: string
  status: UnitProofStatus
  addedByUserId: string | null
  refusalReason: string | null
  createdAt: string
  weighedAt: string | null
}

const columns = [
  'p.id',
  'p.serial',
  'p.file_id',
  'p.status',
  'p.added_by_user_id',
  'p.refusal_reason',
  'p.created_at',
  'p.weighed_at',
] as const

type Row = {
  id: string
  serial: string
  file_id: string
  status: UnitProofStatus
  added_by_user_id: string | null
  refusal_reason: string | null
  created_at: string
  weighed_at: string | null
}

const toUnitProof = (row: Row): UnitProofRow => ({
  id: row.id,
  serial: row.serial,
  fileId: row.file_id,
  status: row.status,
  addedByUserId: row.added_by_user_id,
  refusalReason: row.refusal_reason,
  createdAt: row.created_at,
  weighedAt: row.weighed_at,
})

/** The unit's proof filed as this file, or undefined when the file is none of the unit's proofs. */
export async function findUnitProof(
  db: Db,
  serial: string,
  fileId: string,
): Promise<UnitProofRow | undefined> {
  const row = await db
    .selectFrom('proofs_of_purchase as p')
    .select(columns)
    .where('p.serial', '=', serial)
    .where('p.file_id', '=', fileId)
    .executeTakeFirst()
  return row && toUnitProof(row)
}

/** The unit's proofs waiting for staff, oldest first. */
export async function listOfferedUnitProofs(db: Db, serial: string): Promise<UnitProofRow[]> {
  const rows = await db
    .selectFrom('proofs_of_purchase as p')
    .select(columns)
    .where('p.serial', '=', serial)
    .where('p.status', '=', 'offered')
    .orderBy('p.created_at')
    .orderBy('p.id')
    .execute()
  return rows.map(toUnitProof)
}

/**
 * Every proof filed for these units, oldest first, by serial, as the unit's page shows them;
 * `withWeigher`, with who weighed each (for staff).
 */
export async function listUnitProofsOf(
  db: Db,
  serials: readonly string[],
  { withWeigher }: { withWeigher: boolean },
): Promise<Map<string, UnitProofView[]>> {
  const bySerial = new Map<string, UnitProofView[]>()
  if (serials.length === 0) return bySerial
  const rows = await db
    .selectFrom('proofs_of_purchase as p')
    // The document's name, as the files feature keeps it for display.
    .leftJoin('files as f', 'f.id', 'p.file_id')
    // The weigher's name as the account holds it now, as the claims' assignee list names staff.
    .leftJoin('users as w', 'w.id', 'p.weighed_by_user_id')
    .select([...columns, 'f.display_name as file_name', 'p.weighed_by_user_id', 'w.name as weighed_by_name'])
    .where('p.serial', 'in', [...serials])
    .orderBy('p.created_at')
    .orderBy('p.id')
    .execute()
  for (const row of rows)
    bySerial.set(row.serial, [
      ...(bySerial.get(row.serial) ?? []),
      {
        fileId: row.file_id,
        fileName: row.file_name,
        status: row.status,
        reason: row.refusal_reason,
        offeredAt: row.created_at,
        weighedAt: row.weighed_at,
        ...(withWeigher
          ? {
              weighedBy:
                row.weighed_by_user_id === null
                  ? null
                  : { id: row.weighed_by_user_id, name: row.weighed_by_name ?? row.weighed_by_user_id },
            }
          : {}),
      },
    ])
  return bySerial
}

/**
 * Records what staff found of an offered proof, guarded by its status: of two weighings
 * racing, the second changes nothing (false). Accepted, the unit's purchase is proven.
 */
export async function settleUnitProof(
  trx: Db,
  proof: {
    serial: string
    fileId: string
    verdict: 'accepted' | 'refused'
    reason?: string | undefined
    byUserId: string
    at: string
  },
): Promise<boolean> {
  const changed = await trx
    .updateTable('proofs_of_purchase')
    .set({
      status: proof.verdict,
      weighed_by_user_id: proof.byUserId,
      weighed_at: proof.at,
      refusal_reason: proof.verdict === 'refused' ? (proof.reason ?? null) : null,
    })
    .where('serial', '=', proof.serial)
    .where('file_id', '=', proof.fileId)
    .where('status', '=', 'offered')
    .executeTakeFirst()
  if (Number(changed.numUpdatedRows) !== 1) return false
  if (proof.verdict === 'accepted')
    await trx
      .updateTable('units')
      .set({ proof_of_purchase: 1, updated_at: proof.at })
      .where('serial', '=', proof.serial)
      .execute()
  return true
}
