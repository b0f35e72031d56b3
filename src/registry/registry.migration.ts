import type { Kysely, Migration } from 'kysely'
import { customerAddressMigration } from './customer-address.migration.ts'
import { customerLocaleChosenMigration } from './customer-locale-chosen.migration.ts'
import { customerLocaleGuessedMigration } from './customer-locale-guessed.migration.ts'
import { dealerSaleConfirmationMigration } from './dealer-sale-confirmation.migration.ts'
import { importJobMigration } from './import-job.migration.ts'
import { modelCatalogueMigration } from './import-models.migration.ts'
import { modelDescriptionZhMigration } from './model-description-zh.migration.ts'
import { organisationActiveMigration } from './organisation-active.migration.ts'
import { partialUnitIndexesMigration } from './partial-unit-indexes.migration.ts'
import { registryVersionMigration } from './registry-version.migration.ts'
import { unitOfferMigration } from './unit-offer.migration.ts'
import { unitOfferTransferMigration } from './unit-offer-transfer.migration.ts'
import { unitProofStatusMigration } from './unit-proof-status.migration.ts'

/** Migrations of the registry feature, prefixed 01xx. */
export const registryMigrations: Record<string, Migration> = {
  '0100_registry': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('organisations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_key', 'text', (c) => c.notNull().unique())
        .addColumn('country', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('phone', 'text')
        .addColumn('service_address', 'text')
        .addColumn('default_policy_id', 'text')
        .addColumn('agent_org_id', 'text', (c) => c.references('organisations.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('customers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('phone', 'text')
        .addColumn('address', 'text')
        .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('product_models')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('model_key', 'text', (c) => c.notNull().unique())
        .addColumn('brand_org_id', 'text', (c) => c.notNull().references('organisations.id'))
        .addColumn('brand_relation', 'text', (c) => c.notNull().defaultTo('own'))
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('part_kind', 'text', (c) => c.notNull())
        .addColumn('warranty_term', 'text')
        .addColumn('description', 'text')
        .addColumn('specifications', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('package_contents', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('compatibility', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('units')
        .addColumn('serial', 'text', (c) => c.primaryKey())
        .addColumn('model_id', 'text', (c) => c.notNull().references('product_models.id'))
        .addColumn('batch', 'text')
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('dealer_org_id', 'text', (c) => c.references('organisations.id'))
        .addColumn('seller_org_id', 'text', (c) => c.references('organisations.id'))
        .addColumn('shipped_by', 'text')
        .addColumn('purchased_on', 'text')
        .addColumn('shipped_on', 'text')
        .addColumn('delivered_on', 'text')
        .addColumn('activated_on', 'text')
        .addColumn('owner_customer_id', 'text', (c) => c.references('customers.id'))
        .addColumn('second_hand', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('proof_of_purchase', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('warranty_card', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('replaced_by_serial', 'text')
        .addColumn('policy_id', 'text', (c) => c.notNull())
        .addColumn('policy_version', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('units_dealer_idx')
        .on('units')
        .columns(['dealer_org_id', 'serial'])
        .execute()
      await db.schema
        .createIndex('units_owner_idx')
        .on('units')
        .columns(['owner_customer_id', 'serial'])
        .execute()
      await db.schema.createIndex('units_model_idx').on('units').columns(['model_id', 'serial']).execute()

      await db.schema
        .createTable('proofs_of_purchase')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('serial', 'text', (c) => c.notNull().references('units.serial'))
        .addColumn('file_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('document_number', 'text')
        .addColumn('issued_on', 'text')
        .addColumn('added_by_user_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('proofs_serial_idx').on('proofs_of_purchase').column('serial').execute()

      await db.schema
        .createTable('ownership_transfers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('serial', 'text', (c) => c.notNull().references('units.serial'))
        .addColumn('from_customer_id', 'text', (c) => c.references('customers.id'))
        .addColumn('to_customer_id', 'text', (c) => c.notNull().references('customers.id'))
        .addColumn('transferred_on', 'text', (c) => c.notNull())
        .addColumn('recorded_by_user_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('transfers_serial_idx').on('ownership_transfers').column('serial').execute()

      await db.schema
        .createTable('policy_versions')
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('effective_from', 'text', (c) => c.notNull())
        .addColumn('effective_to', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('loaded_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('policy_versions_pk', ['id', 'version'])
        .execute()
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'policy_versions',
        'ownership_transfers',
        'proofs_of_purchase',
        'units',
        'product_models',
        'customers',
        'organisations',
      ]) {
        await db.schema.dropTable(table).ifExists().execute()
      }
    },
  },
  '0110_import_jobs': importJobMigration,
  // Policy texts were copied here on every start but never read back: the loaded library is the one source.
  '0150_drop_policy_versions': {
    async up(db: Kysely<unknown>) {
      await db.schema.dropTable('policy_versions').ifExists().execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema
        .createTable('policy_versions')
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('effective_from', 'text', (c) => c.notNull())
        .addColumn('effective_to', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('loaded_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('policy_versions_pk', ['id', 'version'])
        .execute()
    },
  },
  '0131_model_catalogue': modelCatalogueMigration,
  '0132_customer_addresses': customerAddressMigration,
  '0133_unit_ownership_offers': unitOfferMigration,
  '0160_registry_version': registryVersionMigration,
  '0170_model_description_zh': modelDescriptionZhMigration,
  '0180_partial_unit_indexes': partialUnitIndexesMigration,
  '0190_unit_offer_transfers': unitOfferTransferMigration,
  '0195_dealer_sale_confirmation': dealerSaleConfirmationMigration,
  '0196_customer_locale_chosen': customerLocaleChosenMigration,
  '0197_customer_locale_guessed': customerLocaleGuessedMigration,
  '0198_organisation_active': organisationActiveMigration,
  '0199_unit_proof_status': unitProofStatusMigration,
}
