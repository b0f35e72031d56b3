import { type Kysely, type Migration, sql } from 'kysely'
import { claimColumnOrderMigration } from './claim-column-order.migration.ts'
import { claimListSummaryMigration } from './claim-list-summary.migration.ts'
import { paymentProofMigration } from './payment-proof.migration.ts'
import { returnAddressMigration } from './return-address.migration.ts'

/** Migrations of the claims feature, prefixed 04xx. Portable types only. */
export const claimMigrations: Record<string, Migration> = {
  '0401_claims': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('claims')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('resume_state', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('policy_id', 'text', (c) => c.notNull())
        .addColumn('policy_version', 'text')
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('brand', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'text')
        .addColumn('serial', 'text', (c) => c.notNull())
        .addColumn('model', 'text')
        .addColumn('category', 'text')
        .addColumn('customer_id', 'text')
        .addColumn('dealer_org_id', 'text')
        .addColumn('opened_by', 'text', (c) => c.notNull())
        .addColumn('opened_by_role', 'text', (c) => c.notNull())
        .addColumn('case_json', 'text', (c) => c.notNull())
        .addColumn('problem_description', 'text', (c) => c.notNull())
        .addColumn('preference', 'text')
        .addColumn('provisional_decision', 'text')
        .addColumn('final_decision', 'text')
        .addColumn('inspection', 'text')
        .addColumn('rma_number', 'text', (c) => c.unique())
        .addColumn('rma_json', 'text')
        .addColumn('quote_json', 'text')
        .addColumn('replacement_serial', 'text')
        .addColumn('return_carrier', 'text')
        .addColumn('return_tracking', 'text')
        .addColumn('outcome', 'text')
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .execute()
      await db.schema
        .createIndex('claims_customer_idx')
        .on('claims')
        .columns(['customer_id', 'opened_at'])
        .execute()
      await db.schema
        .createIndex('claims_dealer_idx')
        .on('claims')
        .columns(['dealer_org_id', 'opened_at'])
        .execute()
      await db.schema.createIndex('claims_state_idx').on('claims').columns(['state', 'updated_at']).execute()
      await db.schema.createIndex('claims_serial_idx').on('claims').column('serial').execute()

      await db.schema
        .createTable('claim_events')
        .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('actor_role', 'text', (c) => c.notNull())
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('claim_events_pk', ['claim_id', 'seq'])
        .execute()
      await db.schema
        .createIndex('claim_events_type_idx')
        .on('claim_events')
        .columns(['type', 'at'])
        .execute()

      await db.schema
        .createTable('claim_quotes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('total_minor', 'bigint', (c) => c.notNull())
        .addColumn('customer_minor', 'bigint', (c) => c.notNull())
        .addColumn('absorbed_json', 'text', (c) => c.notNull())
        .addColumn('paid_minor', 'bigint', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .addColumn('responded_at', 'text')
        .execute()
      await db.schema.createIndex('claim_quotes_claim_idx').on('claim_quotes').column('claim_id').execute()

      await db.schema
        .createTable('claim_cost_lines')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id'))
        .addColumn('quote_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('payer', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('claim_cost_lines_claim_idx')
        .on('claim_cost_lines')
        .column('claim_id')
        .execute()

      await db.schema
        .createTable('claim_payments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id'))
        .addColumn('quote_id', 'text', (c) => c.notNull())
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('reference', 'text')
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('claim_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id'))
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('author_role', 'text', (c) => c.notNull())
        .addColumn('author_name', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('posted_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('claim_messages_claim_idx')
        .on('claim_messages')
        .columns(['claim_id', 'posted_at'])
        .execute()

      await db.schema
        .createTable('claim_idempotency')
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('idem_key', 'text', (c) => c.notNull())
        .addColumn('claim_id', 'text', (c) => c.notNull())
        .addColumn('response', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('claim_idempotency_pk', ['actor_id', 'idem_key'])
        .execute()

      await db.schema
        .createTable('rma_counters')
        .addColumn('year', 'text', (c) => c.primaryKey())
        .addColumn('last', 'integer', (c) => c.notNull())
        .execute()
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'rma_counters',
        'claim_idempotency',
        'claim_messages',
        'claim_payments',
        'claim_cost_lines',
        'claim_quotes',
        'claim_events',
        'claims',
      ]) {
        await db.schema.dropTable(table).ifExists().execute()
      }
    },
  },
  '0402_claim_chain_head': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('claims').addColumn('chain_seq', 'integer').execute()
      await db.schema.alterTable('claims').addColumn('chain_hash', 'text').execute()
      await sql`
        update claims set
          chain_seq = (select max(e.seq) from claim_events e where e.claim_id = claims.id),
          chain_hash = (select e.hash from claim_events e where e.claim_id = claims.id
                        order by e.seq desc limit 1)
      `.execute(db)
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('claims').dropColumn('chain_hash').execute()
      await db.schema.alterTable('claims').dropColumn('chain_seq').execute()
    },
  },
  '0480_claim_return_addresses': returnAddressMigration,
  '0490_claim_payment_proofs': paymentProofMigration,
  // The customer is reminded once before a quote's last day (`quote-reminders.ts`).
  '0491_claim_quote_reminders': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('claim_quotes').addColumn('reminded_at', 'text').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('claim_quotes').dropColumn('reminded_at').execute()
    },
  },
  /**
   * A replayed Idempotency-Key must be the same request: the hash of the body it first came
   * with is kept beside it. Keys stored before have none and replay as before.
   */
  /**
   * Claim lists are pages in `opened_at desc, id desc` order: without an index in that order
   * SQLite read and sorted every claim, big JSON columns and all, on each page (26 ms for
   * 2,000 claims, blocking the server; seconds under load at 10,000).
   */
  '0496_claim_cost_line_position': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('claim_cost_lines')
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('claim_cost_lines').dropColumn('position').execute()
    },
  },
  '0497_claim_list_order': {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('claims_opened_idx').on('claims').columns(['opened_at', 'id']).execute()
      await db.schema
        .createIndex('claims_customer_opened_idx')
        .on('claims')
        .columns(['customer_id', 'opened_at', 'id'])
        .execute()
      await db.schema
        .createIndex('claims_dealer_opened_idx')
        .on('claims')
        .columns(['dealer_org_id', 'opened_at', 'id'])
        .execute()
      await db.schema.dropIndex('claims_customer_idx').execute()
      await db.schema.dropIndex('claims_dealer_idx').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema
        .createIndex('claims_customer_idx')
        .on('claims')
        .columns(['customer_id', 'opened_at'])
        .execute()
      await db.schema
        .createIndex('claims_dealer_idx')
        .on('claims')
        .columns(['dealer_org_id', 'opened_at'])
        .execute()
      for (const name of ['claims_opened_idx', 'claims_customer_opened_idx', 'claims_dealer_opened_idx'])
        await db.schema.dropIndex(name).execute()
    },
  },
  '0498_claim_list_summaries': claimListSummaryMigration,
  '0499_claim_documents_last': claimColumnOrderMigration,
  '0495_claim_idempotency_request_hash': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('claim_idempotency').addColumn('request_hash', 'text').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('claim_idempotency').dropColumn('request_hash').execute()
    },
  },
  /**
   * One thread per case: a message may be an internal note (staff only), may carry files
   * and says where it came from (web or e-mail) and what it is (a message, a request for
   * information, the answer to one). Claims get an assignee for "my cases".
   */
  '0460_claim_thread': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('claim_messages')
        .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('parties'))
        .execute()
      await db.schema
        .alterTable('claim_messages')
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo('message'))
        .execute()
      await db.schema
        .alterTable('claim_messages')
        .addColumn('via', 'text', (c) => c.notNull().defaultTo('web'))
        .execute()
      await db.schema
        .alterTable('claim_messages')
        .addColumn('file_ids', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute()
      await db.schema.alterTable('claims').addColumn('assigned_to', 'text').execute()
      await db.schema.alterTable('claims').addColumn('assigned_name', 'text').execute()
      await db.schema.createIndex('claims_assigned_idx').on('claims').columns(['assigned_to']).execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('claims_assigned_idx').ifExists().execute()
      await db.schema.alterTable('claims').dropColumn('assigned_name').execute()
      await db.schema.alterTable('claims').dropColumn('assigned_to').execute()
      for (const column of ['file_ids', 'via', 'kind', 'visibility']) {
        await db.schema.alterTable('claim_messages').dropColumn(column).execute()
      }
    },
  },
}
