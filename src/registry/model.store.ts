import type { Insertable } from 'kysely'
import type { Db } from '../db/database.ts'
import type { CatalogueModel } from './demo-catalogue.ts'
import { normalizeModelKey } from './domain/model-key.ts'
import type { ProductModelsTable } from './registry.tables.ts'

export type ModelRow = Insertable<ProductModelsTable>

export function toModelRow(model: CatalogueModel, now: string): ModelRow {
  return {
    id: model.id,
    name: model.name,
    model_key: normalizeModelKey(model.name),
    brand_org_id: model.brandOrgId,
    brand_relation: model.brandRelation,
    category: model.category,
    part_kind: model.part,
    warranty_term: model.warrantyTerm ?? null,
    description: model.description ?? null,
    description_zh: model.descriptionZh ?? null,
    specifications: JSON.stringify(model.specifications),
    package_contents: JSON.stringify(model.packageContents),
    compatibility: JSON.stringify(model.compatibility),
    policy_id: null,
    aliases: '[]',
    self_checks: '[]',
    created_at: now,
    updated_at: now,
  }
}

export async function insertModelIfAbsent(db: Db, row: ModelRow): Promise<boolean> {
  const result = await db
    .insertInto('product_models')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
}

function selectModels(db: Db) {
  return db
    .selectFrom('product_models as m')
    .innerJoin('organisations as b', 'b.id', 'm.brand_org_id')
    .selectAll('m')
    .select('b.name as brand_name')
}

export function listModels(db: Db, filters: { brandOrgId?: string; category?: string } = {}) {
  let query = selectModels(db).orderBy('b.name').orderBy('m.name')
  if (filters.brandOrgId) query = query.where('m.brand_org_id', '=', filters.brandOrgId)
  if (filters.category) query = query.where('m.category', '=', filters.category)
  return query.execute()
}

export function findModelById(db: Db, id: string) {
  return selectModels(db).where('m.id', '=', id).executeTakeFirst()
}

/** A model named any way a person writes it (`Ares-M PRO`, `ares-mpro`, `ARES M PRO`) or by an alias. */
export async function findModelByName(db: Db, name: string) {
  const key = normalizeModelKey(name)
  const byName = await selectModels(db).where('m.model_key', '=', key).executeTakeFirst()
  if (byName) return byName
  return selectModels(db)
    .where('m.id', 'in', (eb) =>
      eb.selectFrom('model_aliases').select('model_id').where('alias_key', '=', key),
    )
    .executeTakeFirst()
}

/** Every name and alias key of the catalogue with the model's display name, for matching and hints. */
export async function listModelKeys(db: Db): Promise<Array<{ key: string; modelId: string; name: string }>> {
  const models = await db.selectFrom('product_models').select(['id', 'name', 'model_key']).execute()
  const aliases = await db
    .selectFrom('model_aliases as a')
    .innerJoin('product_models as m', 'm.id', 'a.model_id')
    .select(['a.alias_key', 'm.id', 'm.name'])
    .execute()
  return [
    ...models.map((m) => ({ key: m.model_key, modelId: m.id, name: m.name })),
    ...aliases.map((a) => ({ key: a.alias_key, modelId: a.id, name: a.name })),
  ]
}
