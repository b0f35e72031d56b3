import type { Db } from '../db/database.ts'
import type { AppContext } from '../shared/app-context.ts'
import { type ImportSummary, type RowReject, rejectWith, runCsvImport } from './csv-import.ts'
import { normalizeModelKey } from './domain/model-key.ts'
import { slugOf } from './domain/slug.ts'
import { lockedImportTransaction } from './import-lock.ts'
import type { ImportOptions } from './import-units.ts'
import type { OrganisationKind, PartKindColumn } from './registry.tables.ts'

export const MODEL_CSV_REQUIRED = ['model', 'category', 'policy'] as const
/** Columns with a meaning of their own; every other column is a specification (`sensor`, `pixelSize` …). */
export const MODEL_CSV_KNOWN = [
  ...MODEL_CSV_REQUIRED,
  'aliases',
  'standardPackage',
  'brand',
  'selfChecks',
  'part',
  'warrantyTerm',
  'description',
  'descriptionZh',
] as const

const PARTS: readonly PartKindColumn[] = ['host', 'main-accessory', 'accessory', 'consumable']
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/
const SELF_CHECK = /^[a-z0-9][a-z0-9-]{0,63}$/

interface ModelValue {
  name: string
  key: string
  category: string
  policyId: string
  brand: string | null
  part: PartKindColumn
  warrantyTerm: string | null
  description: string | null
  descriptionZh: string | null
  specifications: string
  packageContents: string
  aliases: string[]
  selfChecks: string
}

/** Splits a `|`-separated cell into its non-empty parts, in the order written. */
export function splitList(cell: string | undefined): string[] {
  return (cell ?? '')
    .split('|')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
}

interface Brand {
  id: string
  relation: 'own' | 'agent'
}

/**
 * Imports a seller's catalogue of models (upsert by name, ignoring case, spaces and
 * hyphens; an unchanged row writes nothing). The brand is the `brand` column, or the
 * seller whose policy the row names; a brand not yet known is recorded as a maker whose
 * products that seller sells as agent.
 */
export async function importModels(ctx: AppContext, options: ImportOptions): Promise<ImportSummary> {
  const policyIds = new Set(ctx.policies.list().map((p) => p.id))
  let specColumns: string[] = []

  const brandCache = new Map<string, Brand | RowReject>()
  const resolveBrand = async (trx: Db, value: ModelValue, now: string): Promise<Brand | RowReject> => {
    const cacheKey = `${value.brand ?? ''}\u0000${value.policyId}`
    const cached = brandCache.get(cacheKey)
    if (cached) return cached
    const seller = await trx
      .selectFrom('organisations')
      .select(['id'])
      .where('kind', '=', 'seller')
      .where('default_policy_id', '=', value.policyId)
      .orderBy('created_at')
      .orderBy('id')
      .executeTakeFirst()
    let result: Brand | RowReject
    if (value.brand === null) {
      result = seller ? { id: seller.id, relation: 'own' } : await noSellerFor(trx, value.policyId)
    } else {
      const brandKey = normalizeModelKey(value.brand)
      const known = await trx
        .selectFrom('organisations')
        .select(['id', 'kind'])
        .where((eb) => eb.or([eb('id', '=', value.brand as string), eb('name_key', '=', brandKey)]))
        .executeTakeFirst()
      if (known) {
        result = { id: known.id, relation: (known.kind as OrganisationKind) === 'maker' ? 'agent' : 'own' }
      } else if (!seller) {
        result = rejectWith('brand', {
          key: 'import.model.no-brand',
          params: { brand: value.brand, policy: value.policyId },
        })
      } else {
        const id = `org-${slugOf(value.brand)}`
        const sellerRow = await trx
          .selectFrom('organisations')
          .select(['country', 'email'])
          .where('id', '=', seller.id)
          .executeTakeFirstOrThrow()
        await trx
          .insertInto('organisations')
          .values({
            id,
            kind: 'maker',
            name: value.brand,
            name_key: brandKey,
            country: sellerRow.country,
            email: sellerRow.email,
            phone: null,
            service_address: null,
            default_policy_id: value.policyId,
            agent_org_id: seller.id,
            created_at: now,
            updated_at: now,
          })
          .execute()
        result = { id, relation: 'agent' }
      }
    }
    brandCache.set(cacheKey, result)
    return result
  }

  const fileTransaction = lockedImportTransaction(ctx, 'models')
  return runCsvImport<ModelValue>(ctx.db, {
    ...options,
    ...(fileTransaction ? { fileTransaction } : {}),
    requiredColumns: MODEL_CSV_REQUIRED,
    knownColumns: MODEL_CSV_KNOWN,
    keyOf: { column: 'model', of: (model) => model.key },
    batchRows: 500,
    start(columns) {
      const known = new Set<string>(MODEL_CSV_KNOWN)
      specColumns = columns.filter((c) => !known.has(c) && c.trim() !== '')
    },
    prepare(record) {
      const name = (record.model ?? '').trim()
      if (!name) return rejectWith('model', { key: 'import.required' }) satisfies RowReject
      const key = normalizeModelKey(name)
      if (key.length > 100) return rejectWith('model', { key: 'import.too-long', params: { maximum: 100 } })
      const category = (record.category ?? '').trim()
      if (!category) return rejectWith('category', { key: 'import.required' })
      const policyId = (record.policy ?? '').trim()
      if (!policyIds.has(policyId))
        return rejectWith(
          'policy',
          policyId
            ? {
                key: 'import.model.unknown-policy',
                params: { policy: policyId, known: [...policyIds].join(', ') },
              }
            : { key: 'import.required' },
        )
      const part = (record.part ?? '').trim() || 'host'
      if (!PARTS.includes(part as PartKindColumn))
        return rejectWith('part', { key: 'import.one-of', params: { values: PARTS.join(', ') } })
      const warrantyTerm = (record.warrantyTerm ?? '').trim()
      if (warrantyTerm && !DURATION.test(warrantyTerm))
        return rejectWith('warrantyTerm', {
          key: 'import.model.term',
          params: { example: 'P1Y', other: 'P6M' },
        })
      const aliases = [...new Set(splitList(record.aliases).map(normalizeModelKey))].filter((a) => a !== key)
      const selfChecks = splitList(record.selfChecks)
      const badCheck = selfChecks.find((c) => !SELF_CHECK.test(c))
      if (badCheck !== undefined)
        return rejectWith('selfChecks', { key: 'import.model.self-check', params: { value: badCheck } })
      const specifications: Record<string, string> = {}
      for (const column of specColumns) {
        const cell = (record[column] ?? '').trim()
        if (cell) specifications[column] = cell
      }
      return {
        name,
        key,
        category,
        policyId,
        brand: (record.brand ?? '').trim() || null,
        part: part as PartKindColumn,
        warrantyTerm: warrantyTerm || null,
        description: (record.description ?? '').trim() || null,
        descriptionZh: (record.descriptionZh ?? '').trim() || null,
        specifications: JSON.stringify(specifications),
        packageContents: JSON.stringify(splitList(record.standardPackage)),
        aliases: aliases.sort(),
        selfChecks: JSON.stringify(selfChecks),
      }
    },
    async write(trx, rows, reject) {
      const now = ctx.now().toISOString()
      let written = 0
      for (const row of rows) {
        const { value } = row
        const brand = await resolveBrand(trx, value, now)
        if ('error' in brand) {
          reject(row, brand)
          continue
        }
        const existing = await trx
          .selectFrom('product_models')
          .select('id')
          .where('model_key', '=', value.key)
          .executeTakeFirst()
        const modelId = existing?.id ?? `model-${slugOf(value.name) || value.key}`
        const clash = await aliasClash(trx, modelId, value.key, value.aliases)
        if (clash) {
          reject(row, clash)
          continue
        }
        const columns = {
          name: value.name,
          brand_org_id: brand.id,
          brand_relation: brand.relation,
          category: value.category,
          part_kind: value.part,
          warranty_term: value.warrantyTerm,
          description: value.description,
          description_zh: value.descriptionZh,
          specifications: value.specifications,
          package_contents: value.packageContents,
          policy_id: value.policyId,
          aliases: JSON.stringify(value.aliases),
          self_checks: value.selfChecks,
        }
        const result = await trx
          .insertInto('product_models')
          .values({
            id: modelId,
            model_key: value.key,
            compatibility: '{}',
            ...columns,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) =>
            oc
              .column('model_key')
              .doUpdateSet((eb) => ({
                ...Object.fromEntries(
                  Object.keys(columns).map((c) => [c, eb.ref(`excluded.${c as keyof typeof columns}`)]),
                ),
                updated_at: eb.ref('excluded.updated_at'),
              }))
              .where((eb) =>
                eb.or(
                  (Object.keys(columns) as Array<keyof typeof columns>).map((c) =>
                    eb(`product_models.${c}`, 'is distinct from', eb.ref(`excluded.${c}`)),
                  ),
                ),
              ),
          )
          .executeTakeFirst()
        const changed = Number(result.numInsertedOrUpdatedRows ?? 0) > 0
        await syncAliases(trx, modelId, value.aliases, now)
        if (changed) written++
      }
      return written
    },
  })
}

/** Why an alias cannot be given to this model: it is another model's name or alias. */
/**
 * Why a row with no brand has none, with advice that works when followed: on a database
 * with no seller, the whole `init` command (it needs the seller and an admin); where a
 * seller exists, `init` refuses a second one, so the row must name its brand instead.
 */
async function noSellerFor(trx: Db, policyId: string): Promise<RowReject> {
  const existing = await trx
    .selectFrom('organisations')
    .select(['name'])
    .where('kind', '=', 'seller')
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst()
  return existing
    ? rejectWith('policy', {
        key: 'import.model.name-the-brand',
        params: { policy: policyId, column: 'brand', seller: existing.name },
      })
    : rejectWith('policy', {
        key: 'import.model.no-seller',
        params: {
          policy: policyId,
          command: `aftercare init --seller <name> --admin <e-mail> --policy ${policyId}`,
        },
      })
}

async function aliasClash(
  trx: Db,
  modelId: string,
  key: string,
  aliases: string[],
): Promise<RowReject | undefined> {
  const asName = await trx
    .selectFrom('model_aliases')
    .select('model_id')
    .where('alias_key', '=', key)
    .where('model_id', '!=', modelId)
    .executeTakeFirst()
  if (asName)
    return rejectWith('model', { key: 'import.model.name-is-alias', params: { model: asName.model_id } })
  if (aliases.length === 0) return undefined
  const other = await trx
    .selectFrom('product_models')
    .select(['name'])
    .where('model_key', 'in', aliases)
    .where('id', '!=', modelId)
    .executeTakeFirst()
  if (other)
    return rejectWith('aliases', { key: 'import.model.alias-is-name', params: { value: other.name } })
  const taken = await trx
    .selectFrom('model_aliases')
    .select(['alias_key', 'model_id'])
    .where('alias_key', 'in', aliases)
    .where('model_id', '!=', modelId)
    .executeTakeFirst()
  if (taken)
    return rejectWith('aliases', {
      key: 'import.model.alias-taken',
      params: { value: taken.alias_key, model: taken.model_id },
    })
  return undefined
}

/** Makes the model's alias rows exactly its list: a re-import that drops an alias removes it. */
async function syncAliases(trx: Db, modelId: string, aliases: string[], now: string): Promise<void> {
  const current = await trx
    .selectFrom('model_aliases')
    .select('alias_key')
    .where('model_id', '=', modelId)
    .execute()
  const have = new Set(current.map((a) => a.alias_key))
  const stale = [...have].filter((a) => !aliases.includes(a))
  if (stale.length > 0)
    await trx
      .deleteFrom('model_aliases')
      .where('model_id', '=', modelId)
      .where('alias_key', 'in', stale)
      .execute()
  const missing = aliases.filter((a) => !have.has(a))
  if (missing.length > 0)
    await trx
      .insertInto('model_aliases')
      .values(missing.map((alias_key) => ({ alias_key, model_id: modelId, created_at: now })))
      .execute()
}
