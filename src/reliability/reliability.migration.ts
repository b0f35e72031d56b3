import type { Kysely, Migration } from 'kysely'

/** Migrations of the reliability feature, prefixed 09xx. */
export const reliabilityMigrations: Record<string, Migration> = {
  '0900_reliability_flags': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('reliability_flags')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('observed', 'integer', (c) => c.notNull())
        .addColumn('expected', 'double precision', (c) => c.notNull())
        .addColumn('p_value', 'double precision', (c) => c.notNull())
        .addColumn('threshold', 'double precision', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('raised_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('reliability_flags_once', ['model_id', 'scope', 'key', 'month', 'level'])
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('reliability_flags').execute()
    },
  },
  '0901_units_reliability_idx': {
    // The report counts a model's units by warranty start day and batch; with every column
    // it reads in one index the count is an index-only scan instead of a million row reads.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('units_reliability_idx')
        .on('units')
        .columns([
          'model_id',
          'policy_id',
          'batch',
          'delivered_on',
          'purchased_on',
          'shipped_on',
          'activated_on',
        ])
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('units_reliability_idx').execute()
    },
  },
  '0902_claim_imports': {
    // Claims loaded from a seller's earlier system: the natural key makes a re-import of the
    // same file change nothing, and marks which claims came from a file rather than service.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('claim_imports')
        .addColumn('import_key', 'text', (c) => c.primaryKey())
        .addColumn('claim_id', 'text', (c) => c.notNull().unique())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('imported_by', 'text', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('claim_imports').execute()
    },
  },
  '0903_reliability_flag_mails': {
    // When the managers were e-mailed about a flag: set once, in the transaction that wrote
    // the e-mails, so neither a rerun nor a second instance mails them again.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('reliability_flags').addColumn('notified_at', 'text').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('reliability_flags').dropColumn('notified_at').execute()
    },
  },
}
