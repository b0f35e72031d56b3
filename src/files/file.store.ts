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
