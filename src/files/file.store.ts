import type { Db } from '../db/database.ts'
import type { FilesTable } from './file.tables.ts'

export type FileRow = FilesTable

export const insertFiles = async (db: Db, rows: FileRow[]): Promise<void> => {
  if (rows.length > 0) await db.insertInto('files').values(rows).execute()
}

export const findFile = (db: Db, id: string): Promise<FileRow | undefined> =>
  db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst()

export const listClaimFiles = (db: Db, claimId: string): Promise<FileRow[]> =>
  db
    .selectFrom('files')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()

/**
 * Links files uploaded before a claim existed (proofs of purchase) to the claim. Only the
 * uploader's own unattached files move; returns how many did. For the claims feature to
 * call in the transaction that opens the claim.
 */
export async function attachFilesToClaim(
  db: Db,
  input: { fileIds: string[]; claimId: string; uploadedBy: string },
): Promise<number> {
  if (input.fileIds.length === 0) return 0
  const result = await db
    .updateTable('files')
    .set({ claim_id: input.claimId })
    .where('id', 'in', input.fileIds)
    .where('uploaded_by', '=', input.uploadedBy)
    .where('claim_id', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
