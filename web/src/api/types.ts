/**
 * Shapes the pages read. Contract types come straight from the server's Zod schemas
 * (type-only imports: no schema code reaches the bundle); the rest mirror feature routes
 * still landing and are read defensively.
 */
import type { Decision } from '../../../src/contracts/decision.ts'

export type { CaseInput, EvidenceKind, Finding, ProblemKind } from '../../../src/contracts/case.ts'
export type { Decision, TraceLine } from '../../../src/contracts/decision.ts'

export interface WarrantyLookup {
  serial: string
  model?: { id?: string; name: string; category?: string } | string | null
  policy?: { id: string; version: string; title?: string; ref?: string } | string | null
  brand?: { id: string; name: string } | null
  checkedOn?: string
  warranty?: { starts: string; ends: string } | null
  status?: 'active' | 'expired' | 'not-started' | 'none' | string
  covered?: boolean
  inWarranty?: boolean
  purchasedOn?: string | null
  deliveredOn?: string | null
  channel?: string
  dealer?: { name: string } | string | null
  decision?: Decision
  clauses?: { clause: string; text: string }[]
}

export interface SelfCheckStep {
  id: string
  title?: string
  remedy?: string
  text?: string
  instruction?: string
  expected?: string
}

export interface SelfCheckList {
  productLine?: string
  title?: string
  steps?: SelfCheckStep[]
  checks?: SelfCheckStep[]
}

export interface UnitSummary {
  serial: string
  ownerCustomerId?: string | null
  dealer?: { id: string; name: string } | null
  policy?: { id: string; version: string }
  modelName?: string
  model?: string | { name: string }
  purchasedOn?: string | null
  deliveredOn?: string | null
  ownerName?: string | null
  customer?: { id?: string; name: string; email?: string } | null
  dealerName?: string | null
  policyId?: string
  policyVersion?: string
  warranty?: { starts: string; ends: string } | null
}

export interface ClaimSummary {
  id: string
  version?: number
  model?: string | null
  number?: string
  rmaNumber?: string | null
  state: string
  serial?: string
  modelName?: string
  customerName?: string
  problemKind?: string
  createdAt?: string
  openedAt?: string
  updatedAt?: string
  dueAt?: string | null
  slaClock?: string | null
  slaStatus?: 'ok' | 'warning' | 'breached' | string | null
}

export interface ClaimEvent {
  id?: string
  seq?: number
  type: string
  at: string
  actor?: { name?: string; role?: string } | string | null
  actorName?: string
  data?: Record<string, unknown>
  note?: string | null
}

export interface QuoteLine {
  kind: string
  description?: string
  quantity?: number
  amountMinor: number
  payer?: string
}

export interface Quote {
  id: string
  currency: string
  lines: QuoteLine[]
  customerMinor?: number
  totalMinor?: number
  status?: string
}

export interface ClaimFile {
  id: string
  name?: string
  filename?: string
  contentType?: string
  mimeType?: string
  size?: number
  sizeBytes?: number
  url?: string
  kind?: string
}

export interface ClaimDetail extends ClaimSummary {
  decision?: Decision | null
  finalDecision?: Decision | null
  model?: string | null
  currency?: string
  version?: number
  problem?: { kind: string; description: string }
  rma?: { number: string; repairOrderUrl: string; shipTo?: Record<string, string> } | null
  returnShipment?: { carrier: string; trackingNumber: string } | null
  provisionalDecision?: Decision | null
  events?: ClaimEvent[]
  files?: ClaimFile[]
  quote?: { id: string; status: string; customerTotalMinor: number; paidMinor: number } | null
  allowedActions?: string[]
  shipTo?: Record<string, string> | string | null
  returnTracking?: string | null
  description?: string | null
  standardPackage?: string[]
  inspection?: {
    faultConfirmed?: boolean
    manufacturingDefect?: boolean
    findings?: string[]
    missingItems?: string[]
  } | null
}

/** What the case page needs of `GET /api/v1/units/{serial}` and `GET /api/v1/models/{id}`. */
export interface UnitModelRef {
  model: { id: string; name: string }
}
export interface ModelDetail {
  id: string
  name: string
  packageContents: string[]
}

export interface Page<T> {
  items?: T[]
  claims?: T[]
  events?: T[]
  quotes?: T[]
  total?: number
  nextCursor?: string | null
}

/** Lists come back as `{ items }` from most routes and as bare arrays from a few. */
export function readItems<T>(body: Page<T> | T[] | undefined | null): T[] {
  if (!body) return []
  if (Array.isArray(body)) return body
  return body.items ?? body.claims ?? body.events ?? body.quotes ?? []
}

export function readName(value: { name: string } | string | null | undefined): string {
  if (!value) return ''
  return typeof value === 'string' ? value : value.name
}
