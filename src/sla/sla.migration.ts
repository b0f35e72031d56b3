import type { Kysely, Migration } from 'kysely'

/** Migrations of the sla feature, prefixed 05xx. */
export const slaMigrations: Record<string, Migration> = {
  '0500_sla_clocks_and_calendars': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sla_clocks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('claim_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('clause', 'text', (c) => c.notNull())
        .addColumn('calendar', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('support_hours', 'text')
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('amount', 'double precision', (c) => c.notNull())
        .addColumn('stop_on', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text', (c) => c.notNull())
        .addColumn('warn_at', 'text', (c) => c.notNull())
        .addColumn('allowed_ms', 'bigint', (c) => c.notNull())
        .addColumn('paused_at', 'text')
        .addColumn('paused_total_ms', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('stopped_at', 'text')
        .addColumn('stopped_by', 'text')
        .addColumn('breached_at', 'text')
        .addColumn('warned_at', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('warning_notified', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('breach_notified', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      // One clock per claim and kind makes starting idempotent; it also serves lookups by claim.
      await db.schema
        .createIndex('sla_clocks_claim_kind')
        .on('sla_clocks')
        .columns(['claim_id', 'kind'])
        .unique()
        .execute()
      // The sweep and the queue read open clocks by status in due order.
      await db.schema
        .createIndex('sla_clocks_status_due')
        .on('sla_clocks')
        .columns(['status', 'due_at'])
        .execute()
      await db.schema
        .createIndex('sla_clocks_status_warn')
        .on('sla_clocks')
        .columns(['status', 'warn_at'])
        .execute()

      await db.schema
        .createTable('calendars')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('calendars').execute()
      await db.schema.dropTable('sla_clocks').execute()
    },
  },
  // Clocks paused and resumed before this keep no end of their last pause: their next pause
  // counts from its own stamp, as it did.
  '0501_sla_clock_resumed_at': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('sla_clocks').addColumn('resumed_at', 'text').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('sla_clocks').dropColumn('resumed_at').execute()
    },
  },
}
