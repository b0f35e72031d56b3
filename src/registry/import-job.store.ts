import type { Db } from '../db/database.ts'
import type { ImportJobsTable } from './registry.tables.ts'

export type ImportJobRow = ImportJobsTable

export async function insertImportJob(db: Db, row: ImportJobRow): Promise<void> {
  await db.insertInto('import_jobs').values(row).execute()
}

export async function updateImportJob(
  db: Db,
  id: string,
  changes: Partial<Omit<ImportJobRow, 'id'>>,
): Promise<void> {
  await db.updateTable('import_jobs').set(changes).where('id', '=', id).execute()
}

export async function findImportJob(db: Db, id: string): Promise<ImportJobRow | undefined> {
  return db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst()
}
