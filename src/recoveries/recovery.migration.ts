import { type Kysely, type Migration, sql } from 'kysely'

/** Migrations of the recoveries feature, prefixed 08xx. Portable types only. */
export const recoveryMigrations: Record<string, Migration> = {
  '0801_recoveries': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('recovery_claims')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('batch', 'integer', (c) => c.notNull())
        .addColumn('terms_id', 'text', (c) => c.notNull())
        .addColumn('terms_version', 'text', (c) => c.notNull())
        .addColumn('creditor_org_id', 'text', (c) => c.notNull())
        .addColumn('debtor_org_id', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('part_state', 'text', (c) => c.notNull())
        .addColumn('return_part', 'integer', (c) => c.notNull())
        .addColumn('deadline', 'text', (c) => c.notNull())
        .addColumn('late', 'integer', (c) => c.notNull())
        .addColumn('submitted_at', 'text')
        .addColumn('answered_at', 'text')
        .addColumn('paid_minor', 'bigint', (c) => c.notNull())
        .addColumn('paid_on', 'text')
        .addColumn('paid_reference', 'text')
        .addColumn('written_off_minor', 'bigint', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('chain_seq', 'integer', (c) => c.notNull())
        .addColumn('chain_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('recovery_claims_group_batch_key', ['group_key', 'batch'])
        .execute()
      await db.schema
        .createIndex('recovery_claims_creditor_idx')
        .on('recovery_claims')
        .columns(['creditor_org_id', 'created_at'])
        .execute()
      await db.schema
        .createIndex('recovery_claims_debtor_idx')
        .on('recovery_claims')
        .columns(['debtor_org_id', 'created_at'])
        .execute()
      await db.schema
        .createTable('recovery_lines')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('recovery_id', 'text', (c) => c.notNull().references('recovery_claims.id'))
        .addColumn('line_key', 'text', (c) => c.notNull().unique())
        .addColumn('claim_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('leg', 'text')
        .addColumn('clause', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('capped_from_minor', 'bigint')
        .addColumn('repair_code', 'text')
        .addColumn('work_on', 'text', (c) => c.notNull())
        .addColumn('deadline', 'text', (c) => c.notNull())
        .addColumn('evidence_json', 'text', (c) => c.notNull())
        .addColumn('decision_json', 'text', (c) => c.notNull())
        .addColumn('accepted_minor', 'bigint')
        .addColumn('reason_code', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('recovery_lines_recovery_idx')
        .on('recovery_lines')
        .column('recovery_id')
        .execute()
      await db.schema
        .createIndex('recovery_lines_claim_idx')
        .on('recovery_lines')
        .column('claim_id')
        .execute()
      await db.schema
        .createTable('recovery_events')
        .addColumn('recovery_id', 'text', (c) => c.notNull().references('recovery_claims.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('actor_role', 'text', (c) => c.notNull())
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('recovery_events_pk', ['recovery_id', 'seq'])
        .execute()
      await db.schema
        .createTable('recovery_outcomes')
        .addColumn('claim_id', 'text', (c) => c.primaryKey())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('reasons_json', 'text', (c) => c.notNull())
        .addColumn('line_count', 'integer', (c) => c.notNull())
        .addColumn('derived_at', 'text', (c) => c.notNull())
        .execute()
    },
  },
  // Lines a cap cut say which cap; lines cut before this say nothing (null), as before.
  '0802_recovery_line_cap_reason': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('recovery_lines').addColumn('cap_reason_code', 'text').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('recovery_lines').dropColumn('cap_reason_code').execute()
    },
  },
  // A line's description as a catalogue message (`{key, params}`), so each reader gets it in
  // their language; `description` keeps the English. Lines filed before this have none (null)
  // and show their stored English to every reader.
  '0803_recovery_line_description_message': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('recovery_lines').addColumn('description_message_json', 'text').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('recovery_lines').dropColumn('description_message_json').execute()
    },
  },
  // A line's key names its creditor: a claim whose creditor changed (moved to another dealer,
  // decided again with another handler) would otherwise derive the old creditor's keys, and its
  // new creditor's lines were taken for lines filed already. Keys written before gain the
  // creditor of the recovery claim that holds them; events keep the key as it was then.
  '0804_recovery_line_key_creditor': {
    async up(db: Kysely<unknown>) {
      await sql`update recovery_lines set line_key = line_key || '@' || (select c.creditor_org_id from recovery_claims c where c.id = recovery_lines.recovery_id)`.execute(
        db,
      )
    },
    async down(db: Kysely<unknown>) {
      await sql`update recovery_lines set line_key = substr(line_key, 1, length(line_key) - length((select c.creditor_org_id from recovery_claims c where c.id = recovery_lines.recovery_id)) - 1)`.execute(
        db,
      )
    },
  },
}
