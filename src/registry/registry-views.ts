import type { Selectable } from 'kysely'
import { packageItemIn } from './domain/package-items.ts'
import type { CustomersTable, OrganisationsTable, ProductModelsTable } from './registry.tables.ts'

const parseJson = <T>(text: string | null, fallback: T): T => (text ? (JSON.parse(text) as T) : fallback)

export function toOrganisationView(row: Selectable<OrganisationsTable>) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    country: row.country,
    email: row.email,
    serviceAddress: parseJson<Record<string, string> | null>(row.service_address, null),
    defaultPolicyId: row.default_policy_id,
    agentOrgId: row.agent_org_id,
    active: row.active !== 0,
  }
}

/** What staff see of an organisation besides its public fields: who deactivated it, and when. */
export function toStaffOrganisationView(row: Selectable<OrganisationsTable>) {
  return {
    ...toOrganisationView(row),
    deactivatedAt: row.deactivated_at,
    deactivatedByUserId: row.deactivated_by_user_id,
  }
}

export function toModelView(row: Selectable<ProductModelsTable> & { brand_name: string }) {
  const packageContents = parseJson<string[]>(row.package_contents, [])
  return {
    id: row.id,
    name: row.name,
    brand: { id: row.brand_org_id, name: row.brand_name },
    brandRelation: row.brand_relation,
    category: row.category,
    part: row.part_kind,
    warrantyTerm: row.warranty_term,
    description: row.description,
    descriptionZh: row.description_zh,
    specifications: parseJson<Record<string, string>>(row.specifications, {}),
    packageContents,
    packageContentsZh: packageContents.map((item) => packageItemIn('zh', item)),
    compatibility: parseJson<Record<string, string | string[]>>(row.compatibility, {}),
  }
}

export function toCustomerView(row: Selectable<CustomersTable>) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    address: parseJson<Record<string, string> | null>(row.address, null),
    locale: row.locale,
  }
}
