import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { slugOf } from './domain/slug.ts'
import { findOrganisation, insertOrganisationIfAbsent, toOrganisationRow } from './organisation.store.ts'
import type { OrganisationKind } from './registry.tables.ts'

export interface CreateOrganisationInput {
  kind: OrganisationKind
  name: string
  country: string
  email: string
  phone?: string
  serviceAddress?: Record<string, string>
  defaultPolicyId?: string
  agentOrgId?: string
}

export async function createOrganisation(ctx: AppContext, input: CreateOrganisationInput) {
  if (input.defaultPolicyId && !ctx.policies.summary(input.defaultPolicyId)) {
    throw new AppError(
      'validation',
      {
        key: 'registry.organisation.unknown-policy',
        params: { field: 'defaultPolicyId', policy: input.defaultPolicyId },
      },
      {
        field: 'defaultPolicyId',
      },
    )
  }
  if (input.agentOrgId && !(await findOrganisation(ctx.db, input.agentOrgId))) {
    throw new AppError(
      'validation',
      { key: 'registry.organisation.unknown', params: { field: 'agentOrgId', id: input.agentOrgId } },
      {
        field: 'agentOrgId',
      },
    )
  }
  const row = toOrganisationRow({ id: `org-${slugOf(input.name)}`, ...input }, ctx.now().toISOString())
  if (!(await insertOrganisationIfAbsent(ctx.db, row))) {
    throw new AppError(
      'conflict',
      { key: 'registry.organisation.exists', params: { name: input.name } },
      { field: 'name' },
    )
  }
  return row
}
