import assert from 'node:assert/strict'
import type { Actor, Role } from '../../src/auth/actor.ts'
import { createApiKey } from '../../src/auth/create-api-key.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import { moveOpenClaimsToDealer } from '../../src/claims/index.ts'
import type { Engine } from '../../src/db/database.ts'
import { multipartBody as formBody } from '../../src/shared/multipart-body.test-support.ts'
import {
  type ClaimsWorld,
  ORG,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  seedPlayerOneDealerUnit,
} from '../claims/claim-factories.ts'

/** Every party the access matrix tries: who they are and the headers that make them so. */
export const PARTY_NAMES = [
  'anonymous',
  'customerA',
  'customerB',
  'dealer1',
  'dealer2',
  'support',
  'technician',
  'manager',
  'admin',
  'integration',
  'readOnlyKey',
  'orgKey1',
  'orgKey2',
] as const
export type PartyName = (typeof PARTY_NAMES)[number]

export interface SecurityWorld extends ClaimsWorld {
  parties: Record<PartyName, Record<string, string>>
  /** Resources owned by customer A and dealer 1, used as the target of every path. */
  target: { claimId: string; serial: string; customerId: string; fileId: string; quoteId: string }
}

async function userHeaders(world: ClaimsWorld, role: Role): Promise<Record<string, string>> {
  return (await createTestUser(world.database.db, { role })).headers
}

/** The claims world plus one user per staff role, API keys of each scope, and a claim with a file. */
export async function openSecurityWorld(engine: Engine): Promise<SecurityWorld> {
  const world = await openClaimsWorld(engine)
  const readOnly = await createApiKey(
    world.database.db,
    { name: 'read-only reporting', createdBy: null, scope: 'read-only' },
    new Date(),
  )
  const full = await createApiKey(world.database.db, { name: 'shop system', createdBy: null }, new Date())
  // Keys limited to one organisation: dealer 1's (the target's seller) and dealer 2's.
  const orgKey = (orgId: string) =>
    createApiKey(world.database.db, { name: `${orgId} shop`, createdBy: null, orgId }, new Date())
  const [orgKey1, orgKey2] = [await orgKey(ORG.starlight), await orgKey(ORG.prairie)]
  const headersOf = (party: Party) => party.headers
  const parties: Record<PartyName, Record<string, string>> = {
    anonymous: {},
    customerA: headersOf(world.customer),
    customerB: headersOf(world.otherCustomer),
    dealer1: headersOf(world.dealer),
    dealer2: headersOf(world.otherDealer),
    support: await userHeaders(world, 'support'),
    technician: headersOf(world.staff),
    manager: await userHeaders(world, 'manager'),
    admin: await userHeaders(world, 'admin'),
    integration: { authorization: `Bearer ${full.key}` },
    readOnlyKey: { authorization: `Bearer ${readOnly.key}` },
    orgKey1: { authorization: `Bearer ${orgKey1.key}` },
    orgKey2: { authorization: `Bearer ${orgKey2.key}` },
  }
  const serial = await seedPlayerOneDealerUnit(world)
  const claim = await openClaimAs(world, world.customer, openClaimBody(serial))
  const upload = await uploadPng(world, parties.customerA, `/api/v1/claims/${claim.id}/files`)
  assert.equal(upload.statusCode, 201, upload.body)
  const fileId = (upload.json() as { items: { id: string }[] }).items[0]?.id ?? ''
  return {
    ...world,
    parties,
    target: { claimId: claim.id, serial, customerId: 'cus-alice', fileId, quoteId: 'q-none' },
  }
}

/** The smallest PNG there is: one transparent pixel. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)

/** A multipart form of the parts in order; a file is declared a PNG unless its type is given. */
export function multipartBody(
  parts: { name: string; value?: string; filename?: string; type?: string; data?: Buffer }[],
) {
  return formBody(parts.map((part) => (part.filename === undefined ? part : { type: 'image/png', ...part })))
}

/** Uploads the one-pixel PNG to `url` as a file of `kind`; the server's answer. */
export function uploadPng(
  world: ClaimsWorld,
  headers: Record<string, string>,
  url: string,
  kind = 'defect-media',
) {
  const body = multipartBody([
    { name: 'kind', value: kind },
    { name: 'file', filename: 'pixel.png', data: PNG },
  ])
  return world.app.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': body.contentType },
    payload: body.payload,
  })
}

export interface Operation {
  method: string
  /** OpenAPI form: `/api/v1/claims/{id}`. */
  path: string
  key: string
  body: Record<string, unknown> | undefined
  multipart: boolean
  params: string[]
  query: Record<string, unknown>[]
}

interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>
}
interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema?: Record<string, unknown> }[]
  requestBody?: { content: Record<string, { schema?: Record<string, unknown> }> }
  consumes?: string[]
}

/** Every operation of the API document, with its body schema. */
export function operationsOf(doc: unknown): Operation[] {
  const ops: Operation[] = []
  for (const [path, methods] of Object.entries((doc as OpenApiDoc).paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const json = op.requestBody?.content?.['application/json']?.schema
      const multipart =
        op.consumes?.includes('multipart/form-data') === true ||
        op.requestBody?.content?.['multipart/form-data'] !== undefined ||
        /\/files$|\/imports\/units$/.test(path)
      ops.push({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        body: json,
        multipart: multipart && method === 'post',
        params: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        query: (op.parameters ?? []).filter((p) => p.in === 'query') as Record<string, unknown>[],
      })
    }
  }
  return ops
}

/** Fills `{id}`-style placeholders with the target's resources. */
export function fillPath(path: string, world: SecurityWorld): string {
  const values: Record<string, string> = {
    id: path.includes('/claims/')
      ? world.target.claimId
      : path.includes('/files/')
        ? world.target.fileId
        : path.includes('/customers/')
          ? world.target.customerId
          : 'none',
    serial: world.target.serial,
    quoteId: world.target.quoteId,
    key: 'none',
  }
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? 'none'))
}

/**
 * A small instance of a JSON schema: enough to pass schema validation in most cases, so
 * the access check behind it is what answers.
 */
export function sampleOf(schema: Record<string, unknown> | undefined, depth = 0): unknown {
  if (!schema || depth > 8) return undefined
  if ('const' in schema) return schema.const
  if (Array.isArray(schema.enum)) return schema.enum[0]
  if ('default' in schema && schema.default !== undefined) return schema.default
  const variants = (schema.anyOf ?? schema.oneOf) as Record<string, unknown>[] | undefined
  if (variants?.length) return sampleOf(variants.find((v) => v.type !== 'null') ?? variants[0], depth + 1)
  if (Array.isArray(schema.allOf) && schema.allOf.length) return sampleOf(schema.allOf[0], depth + 1)
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {}
      const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>
      for (const name of (schema.required ?? []) as string[]) out[name] = sampleOf(props[name], depth + 1)
      return out
    }
    case 'array': {
      const min = Number(schema.minItems ?? 0)
      return Array.from({ length: min }, () => sampleOf(schema.items as Record<string, unknown>, depth + 1))
    }
    case 'integer':
    case 'number':
      return Math.max(Number(schema.minimum ?? 1), Number(schema.exclusiveMinimum ?? 0) + 1)
    case 'boolean':
      return false
    case 'string': {
      const format = schema.format
      if (format === 'date') return '2026-01-10'
      if (format === 'date-time') return '2026-01-10T10:00:00.000Z'
      if (format === 'email') return 'someone@example.com'
      if (format === 'uri') return 'https://hooks.example.com/aftercare'
      if (format === 'uuid') return '00000000-0000-4000-8000-000000000000'
      if (typeof schema.pattern === 'string' && /\\d\{4\}-\\d\{2\}/.test(schema.pattern)) return '2026-01-10'
      const min = Number(schema.minLength ?? 1)
      return 'x'.repeat(Math.max(min, 3))
    }
    default:
      return undefined
  }
}

/**
 * The headers and body of a sample request to `op` as a party: a PNG upload for a multipart
 * route, the schema's sample (`sampleOf`) as JSON for any other that takes a body, and
 * `ifMatch` on a claim step.
 */
export function sampleRequest(
  op: Operation,
  partyHeaders: Record<string, string>,
  ifMatch: string,
): { headers: Record<string, string>; payload?: Buffer | string } {
  const headers: Record<string, string> = { ...partyHeaders }
  let payload: Buffer | string | undefined
  if (op.multipart) {
    const form = multipartBody([
      { name: 'kind', value: 'defect-media' },
      { name: 'file', filename: 'pixel.png', data: PNG },
    ])
    headers['content-type'] = form.contentType
    payload = form.payload
  } else if (op.method !== 'GET' && op.method !== 'DELETE') {
    headers['content-type'] = 'application/json'
    payload = JSON.stringify(sampleOf(op.body) ?? {})
  }
  if (op.path.includes('/transitions/')) headers['if-match'] = ifMatch
  return payload === undefined ? { headers } : { headers, payload }
}

/** Every answer that is not 2xx must have this shape. */
export function isErrorShape(status: number, body: string): boolean {
  if (status < 400) return true
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown; field?: unknown } }
    const error = parsed.error
    return (
      typeof error === 'object' &&
      error !== null &&
      typeof error.code === 'string' &&
      typeof error.message === 'string' &&
      (error.field === undefined || typeof error.field === 'string')
    )
  } catch {
    return false
  }
}

/** The seller's import, as the registry records it when a re-imported sale names another dealer. */
const REGISTRY_IMPORT: Actor = {
  userId: 'registry-import',
  role: 'admin',
  name: 'registry import',
  email: '',
  orgId: null,
  customerId: null,
  via: 'command-line',
}

/**
 * The unit's sale moved to `dealer` (null: the seller's own) as a re-import of the seller's
 * file moves it, with the open claims on the unit; how many claims moved.
 */
export function moveSaleByImport(
  world: Pick<ClaimsWorld, 'ctx' | 'database'>,
  serial: string,
  dealer: { id: string; name: string } | null,
): Promise<number> {
  return world.database.db.transaction().execute((trx) =>
    moveOpenClaimsToDealer(world.ctx, trx, {
      serial,
      dealer,
      source: 'import',
      actor: REGISTRY_IMPORT,
      at: new Date().toISOString(),
    }),
  )
}
