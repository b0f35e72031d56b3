import { type Kysely, type Migration, type RawBuilder, sql } from 'kysely'

/** Migrations of the notify feature, prefixed 06xx. */
export const notifyMigrations: Record<string, Migration> = {
  '0601_outbox': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('outbox_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('claim_id', 'text')
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('locale', 'text')
        .addColumn('subscription_id', 'text')
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .execute()
      // The worker's query: due pending rows in order of their next attempt.
      await db.schema
        .createIndex('outbox_messages_due_idx')
        .on('outbox_messages')
        .columns(['status', 'next_attempt_at'])
        .execute()
      await db.schema
        .createIndex('outbox_messages_claim_idx')
        .on('outbox_messages')
        .column('claim_id')
        .execute()
      await db.schema
        .createIndex('outbox_messages_subscription_idx')
        .on('outbox_messages')
        .column('subscription_id')
        .execute()
      await db.schema
        .createTable('webhook_subscriptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('event_types', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('webhook_subscriptions_active_idx')
        .on('webhook_subscriptions')
        .column('active')
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('webhook_subscriptions').ifExists().execute()
      await db.schema.dropTable('outbox_messages').ifExists().execute()
    },
  },
  /** Replies received by e-mail, one row per Message-ID: a relay's retry does not post twice. */
  '0650_inbound_mail': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('inbound_mail')
        .addColumn('message_id', 'text', (c) => c.primaryKey())
        .addColumn('claim_id', 'text', (c) => c.notNull())
        .addColumn('thread_message_id', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('inbound_mail').ifExists().execute()
    },
  },
  /**
   * Mail a person stopped (by address and kind), and the key that signs the links that stop
   * it. The key is made here, once per installation, so no operator has to set one.
   */
  '0660_mail_opt_outs': {
    // biome-ignore lint/suspicious/noExplicitAny: the row is written before the schema types know the table
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('mail_opt_outs')
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('mail_opt_outs_pk', ['address', 'kind'])
        .execute()
      await db.schema
        .createTable('notify_keys')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('secret', 'text', (c) => c.notNull())
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('notify_keys').ifExists().execute()
      await db.schema.dropTable('mail_opt_outs').ifExists().execute()
    },
  },
  /**
   * Choices to stop optional mail kept by the person rather than by address: one kept by
   * address was lost when its person's address changed, and passed to whoever was given the
   * address next. Each existing choice goes to the customer, else the user, who has the
   * address now (a customer's user speaks for the customer), else stays with the address;
   * the address is kept, as links already sent name nothing else. Outbox rows name the
   * person too, so the links they carry stop the person's mail.
   */
  '0661_mail_opt_outs_by_person': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('outbox_messages').addColumn('person', 'text').execute()
      await db.schema
        .createTable('mail_opt_outs_by_person')
        .addColumn('person', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('mail_opt_outs_person_pk', ['person', 'kind'])
        .execute()
      await sql`
        insert into mail_opt_outs_by_person (person, kind, address, created_at)
        select person, kind, min(address), min(created_at)
        from (
          select ${personOfAddress(sql.ref('o.address'))} as person, o.kind, o.address, o.created_at
          from mail_opt_outs o
        ) owned
        group by person, kind`.execute(db)
      await db.schema.dropTable('mail_opt_outs').execute()
      await db.schema.alterTable('mail_opt_outs_by_person').renameTo('mail_opt_outs').execute()
      await db.schema
        .createIndex('mail_opt_outs_address')
        .on('mail_opt_outs')
        .columns(['address', 'kind'])
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('mail_opt_outs_address').execute()
      await db.schema
        .createTable('mail_opt_outs_by_address')
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('mail_opt_outs_pk', ['address', 'kind'])
        .execute()
      await sql`
        insert into mail_opt_outs_by_address (address, kind, created_at)
        select address, kind, min(created_at) from mail_opt_outs group by address, kind`.execute(db)
      await db.schema.dropTable('mail_opt_outs').execute()
      await db.schema.alterTable('mail_opt_outs_by_address').renameTo('mail_opt_outs').execute()
      await db.schema.alterTable('outbox_messages').dropColumn('person').execute()
    },
  },
}

/**
 * The person (`mailPersonKey`) an address belongs to now, as SQL: the customer with it, else
 * the customer whose user has it, else the user, else the address itself. Written out here
 * rather than shared: a migration keeps doing what it did when it was written.
 */
function personOfAddress(address: RawBuilder<unknown>) {
  return sql<string>`coalesce(
    (select 'customer:' || c.id from customers c where c.email = ${address}),
    (select 'customer:' || u.customer_id from users u where u.email = ${address} and u.customer_id is not null),
    (select 'user:' || u.id from users u where u.email = ${address}),
    'address:' || ${address})`
}
