import type { Db } from '../db/database.ts'
import type { CatalogueModel } from './demo-catalogue.ts'
import { normalizeModelKey } from './domain/model-key.ts'
import type { ProductModelsTable } from './registry.tables.ts'

export function toModelRow(model: CatalogueModel, now: string): ProductModelsTable {
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
    specifications: JSON.stringify(model.specifications),
    package_contents: JSON.stringify(model.packageContents),
    compatibility: JSON.stringify(model.compatibility),
    created_at: now,
    updated_at: now,
  }
}

export async function insertModelIfAbsent(db: Db, row: ProductModelsTable): Promise<boolean> {
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

/** A model named any way a person writes it: `Ares-M PRO`, `ares-mpro`, `ARES M PRO`. */
export function findModelByName(db: Db, name: string) {
  return selectModels(db).where('m.model_key', '=', normalizeModelKey(name)).executeTakeFirst()
}
