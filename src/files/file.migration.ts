import type { Kysely, Migration } from 'kysely'

/** Migrations of the files feature, prefixed 03xx. */
export const fileMigrations: Record<string, Migration> = {
  '0301_files': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('files')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('claim_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('storage_path', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('files_claim_idx').on('files').columns(['claim_id', 'created_at']).execute()
      await db.schema.createIndex('files_uploader_idx').on('files').column('uploaded_by').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('files').ifExists().execute()
    },
  },
}
