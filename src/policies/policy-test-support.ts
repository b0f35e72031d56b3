import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type CaseInput, caseSchema, type Inspection, type WarrantyCase } from '../contracts/case.ts'
import { SHIPPED_POLICIES_DIR } from './policy-files.ts'

/** Overrides for a test case; nested objects merge over the defaults. */
export interface CaseOverrides {
  claimedOn?: string
  product?: Partial<CaseInput['product']>
  purchase?: Partial<CaseInput['purchase']>
  problem?: Partial<CaseInput['problem']>
  preference?: CaseInput['preference']
  evidence?: CaseInput['evidence']
  inspection?: Inspection
}

/**
 * A case for `policy`: an own-brand camera bought direct on 2 January 2025, shipped the
 * next day, delivered on 8 January, failing in June, not yet inspected.
 */
export function buildCase(policy: string, overrides: CaseOverrides = {}): WarrantyCase {
  const input: CaseInput = {
    policy,
    claimedOn: overrides.claimedOn ?? '2025-06-01',
    product: { part: 'host', category: 'camera', ...overrides.product },
    purchase: {
      channel: 'direct',
      shippedBy: 'vendor',
      purchasedOn: '2025-01-02',
      shippedOn: '2025-01-03',
      deliveredOn: '2025-01-08',
      ...overrides.purchase,
    },
    problem: { kind: 'malfunction', ...overrides.problem },
    ...(overrides.preference === undefined ? {} : { preference: overrides.preference }),
    evidence: overrides.evidence ?? [],
    ...(overrides.inspection === undefined ? {} : { inspection: overrides.inspection }),
  }
  return caseSchema.parse(input)
}

/** An inspection that confirmed a manufacturing fault, with any findings given. */
export function inspectedWith(overrides: Partial<Inspection> = {}): Inspection {
  return { faultConfirmed: true, manufacturingDefect: true, findings: [], missingItems: [], ...overrides }
}

/** An inspection that found damage of the given kinds and no manufacturing defect. */
export const inspectedFinding = (...findings: NonNullable<Inspection['findings']>): Inspection =>
  inspectedWith({ manufacturingDefect: false, findings })

/** A folder holding a second Player One version: from 2026 the term is three years. */
export function folderWithPlayerOneV2(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-policies-'))
  const v2 = fs
    .readFileSync(path.join(SHIPPED_POLICIES_DIR, 'player-one.v1.yaml'), 'utf8')
    .replace('version: "1"', 'version: "2"')
    .replace('effectiveFrom: 2020-01-01', 'effectiveFrom: 2026-01-01')
    .replace('term: P2Y', 'term: P3Y')
    .replace(/\nexamples:[\s\S]*$/, '\n')
  fs.writeFileSync(path.join(dir, 'player-one.v2.yaml'), v2)
  return dir
}
