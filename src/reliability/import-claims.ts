import crypto from 'node:crypto'
import path from 'node:path'
import { newClaimRow } from '../claims/index.ts'
import { caseSchema, type WarrantyCase } from '../contracts/case.ts'
import type { Decision } from '../contracts/decision.ts'
import type { Db } from '../db/database.ts'
import type { ImportOptions } from '../registry/index.ts'
import {
  confirmedDealerOf,
  type ImportSummary,
  lockedImportTransaction,
  type PreparedRow,
  rejectWith,
  runCsvImport,
  selectUnitRecords,
  toUnitRecord,
  type UnitRecord,
  warrantyFactsForUnit,
} from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { firstInstantAtWallTime } from '../shared/wall-time.ts'
import {
  CLAIM_CSV_COLUMNS,
  CLAIM_CSV_REQUIRED,
  type ClaimHistoryRow,
  inspectionOf,
  isCoveredRemedy,
  isRowProblem,
  naturalKeyText,
  outcomeOf,
  parseClaimHistoryRow,
  rowContentText,
} from './domain/claim-history-row.ts'

export { CLAIM_CSV_COLUMNS, CLAIM_CSV_REQUIRED }

/** `opened_by_role` of every imported claim: it was not opened by anyone here. */
export const IMPORTED_ROLE = 'import'
const IMPORTED_DESCRIPTION = 'Imported from the earlier service system'

export interface ClaimImportOptions extends ImportOptions {
  /** Who started the import (a user id; `system` from the command line). */
  importedBy?: string
  /** The name the file is recorded under (the upload's name over HTTP). */
  fileName?: string
}

interface Prepared {
  row: ClaimHistoryRow
  key: string
  content: string
}

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex')

/** A claim id made from the key, shaped like the ids claims opened here get, so a race cannot make two. */
function claimIdOf(key: string): string {
  return `${key.slice(0, 8)}-${key.slice(8, 12)}-${key.slice(12, 16)}-${key.slice(16, 20)}-${key.slice(20, 32)}`
}

/** The earliest sale date the registry has for the unit: a claim cannot come before it. */
function soldOn(unit: UnitRecord): string | null {
  const dates = [unit.purchasedOn, unit.shippedOn, unit.deliveredOn].filter((d): d is string => d !== null)
  return dates.length > 0 ? (dates.sort()[0] ?? null) : null
}

/**
 * Loads past claims a seller kept in another system (see docs/reliability.md, "History from
 * the old system"). Each becomes a closed claim on its registered unit, marked as imported
 * (`opened_by_role` `import`, a `claim_imports` row), with its cost lines, so it counts in
 * reliability, the claim and cost reports and policy simulation. The natural key (serial,
 * claim day, problem kind) makes a re-import of the same file change nothing; a row whose
 * key was imported before with other values updates that claim.
 */
export async function importClaims(ctx: AppContext, options: ClaimImportOptions): Promise<ImportSummary> {
  // One instant for the whole file: a row is not judged by another day than its neighbours.
  const startedAt = ctx.now()
  const importedBy = options.importedBy ?? 'system'
  const fileName = options.fileName ?? path.basename(options.file)
  /** Keys seen earlier in this file, with their line: a second row for one claim is a mistake. */
  const seenInFile = new Map<string, number>()

  const fileTransaction = lockedImportTransaction(ctx, 'claims')
  return runCsvImport<Prepared>(ctx.db, {
    file: options.file,
    ...(fileTransaction ? { fileTransaction } : {}),
    // Errors name the file as its sender knows it; an upload is stored under a generated name.
    ...(options.fileName ? { fileName: options.fileName } : {}),
    ...(options.rejectsPath ? { rejectsPath: options.rejectsPath } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    requiredColumns: CLAIM_CSV_REQUIRED,
    knownColumns: CLAIM_CSV_COLUMNS,
    batchRows: 500,
    prepare(record) {
      const row = parseClaimHistoryRow(record, startedAt)
      if (isRowProblem(row)) return row
      return { row, key: sha256(naturalKeyText(row)), content: rowContentText(row) }
    },
    async write(trx, rows, reject) {
      const units = await unitsBySerial(
        trx,
        rows.map((r) => r.value.row.serial),
      )
      const earlier = await importsByKey(
        trx,
        rows.map((r) => r.value.key),
      )
      const now = ctx.now().toISOString()
      let written = 0
      for (const prepared of rows) {
        const { row, key, content } = prepared.value
        const firstLine = seenInFile.get(key)
        if (firstLine !== undefined) {
          reject(
            prepared,
            rejectWith('serial', { key: 'import.claim.duplicate', params: { line: firstLine } }),
          )
          continue
        }
        seenInFile.set(key, prepared.line)
        const unit = units.get(row.serial)
        if (!unit) {
          reject(prepared, rejectWith('serial', { key: 'import.claim.no-unit' }))
          continue
        }
        const sold = soldOn(unit)
        if (sold !== null && row.claimedOn < sold) {
          reject(
            prepared,
            rejectWith('claimedOn', { key: 'import.claim.before-sale', params: { soldOn: sold } }),
          )
          continue
        }
        const known = earlier.get(key)
        if (known?.content === content) continue
        const stored = known ? await storedClaimOf(trx, known.claimId) : undefined
        const kase = stored ? rejudged(stored, row) : caseOf(unit, row)
        if (!kase.success) {
          const issue = kase.error.issues[0]
          reject(
            prepared,
            rejectWith('serial', {
              key: 'import.claim.not-a-case',
              params: { path: `${issue?.path.join('.')}`, detail: `${issue?.message}` },
            }),
          )
          continue
        }
        const version = stored ? stored.policy_version : unit.policyVersion
        const decision = importedDecision(
          row,
          ctx.policies.decide(kase.data, version === null ? {} : { version }),
        )
        if (!decision) {
          reject(
            prepared,
            rejectWith('exclusion', {
              key: 'import.claim.no-reason',
              params: { policy: kase.data.policy, examples: 'liquid-damage, not-manufacturing-defect' },
            }),
          )
          continue
        }
        if (known && stored)
          await updateImportedClaim(trx, known.claimId, prepared, { kase: kase.data, decision, stored, now })
        else
          await insertImportedClaim(
            ctx,
            trx,
            unit,
            prepared,
            { kase: kase.data, decision },
            { importedBy, fileName, now },
          )
        written += 1
      }
      return written
    },
  })
}

/** The contract case the claim would have been decided on: the unit's facts and the problem. */
function caseOf(unit: UnitRecord, row: ClaimHistoryRow) {
  return caseSchema.safeParse({
    policy: unit.policyId,
    claimedOn: row.claimedOn,
    ...warrantyFactsForUnit(unit),
    problem: { kind: row.problemKind, description: IMPORTED_DESCRIPTION },
    evidence: [],
    inspection: inspectionOf(row),
  })
}

interface StoredImportedClaim {
  policy_version: string | null
  currency: string
  opened_at: string
  case_json: string
}

const storedClaimOf = (db: Db, claimId: string): Promise<StoredImportedClaim> =>
  db
    .selectFrom('claims')
    .select(['policy_version', 'currency', 'opened_at', 'case_json'])
    .where('id', '=', claimId)
    .executeTakeFirstOrThrow()

/** The case of a claim imported before, with the inspection the corrected row reports. */
const rejudged = (stored: StoredImportedClaim, row: ClaimHistoryRow) =>
  caseSchema.safeParse({ ...(JSON.parse(stored.case_json) as object), inspection: inspectionOf(row) })

async function unitsBySerial(db: Db, serials: string[]): Promise<Map<string, UnitRecord>> {
  const found = new Map<string, UnitRecord>()
  const unique = [...new Set(serials)]
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await selectUnitRecords(db)
      .where('u.serial', 'in', unique.slice(i, i + 500))
      .execute()
    for (const row of rows) found.set(row.serial, toUnitRecord(row))
  }
  return found
}

async function importsByKey(
  db: Db,
  keys: string[],
): Promise<Map<string, { claimId: string; content: string }>> {
  const found = new Map<string, { claimId: string; content: string }>()
  const unique = [...new Set(keys)]
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('claim_imports')
      .select(['import_key', 'claim_id', 'content'])
      .where('import_key', 'in', unique.slice(i, i + 500))
      .execute()
    for (const r of rows) found.set(r.import_key, { claimId: r.claim_id, content: r.content })
  }
  return found
}

/**
 * The decision as the earlier system left it, in the contract's shape so every view of a
 * claim reads it: the engine's decision of the stored case (warranty window, handler,
 * trace) with what the old system did laid over it (covered, basis, remedy, who paid each
 * cost), and the two facts the reports and the failure definition read (`imported`,
 * `faultConfirmed`).
 */
function importedDecision(row: ClaimHistoryRow, engine: Decision) {
  const covered = isCoveredRemedy(row.remedy)
  // No silent denial (ADJUDICATION.md): a refusal the policy, judging the inspection the row
  // reports, gives no clause for is not one this system can explain, so the row is refused.
  if (!covered && engine.exclusions.length === 0) return undefined
  const payers = { ...engine.payers }
  for (const cost of row.costs) payers[cost.kind] = cost.payer
  return {
    ...engine,
    provisional: false,
    covered,
    basis: covered ? (engine.covered ? engine.basis : 'warranty') : engine.covered ? 'none' : engine.basis,
    remedies: row.remedy === 'none' ? [] : [row.remedy],
    exclusions: covered ? [] : engine.exclusions,
    // The earlier system closed the claim on what it was shown; the file does not say what
    // that was, and a closed claim asks for nothing more.
    missingEvidence: [],
    payers,
    imported: true,
    faultConfirmed: row.faultConfirmed,
  }
}

type ImportedDecision = NonNullable<ReturnType<typeof importedDecision>>

function costLineRows(claimId: string, row: ClaimHistoryRow, at: string) {
  return row.costs.map((c, position) => ({
    id: `${claimId}-${c.kind}`,
    claim_id: claimId,
    quote_id: null,
    kind: c.kind,
    description: `imported ${c.kind}`,
    quantity: 1,
    unit_price_minor: c.amountMinor,
    currency: row.currency ?? 'USD',
    payer: c.payer,
    created_at: at,
    position,
  }))
}

async function insertImportedClaim(
  ctx: AppContext,
  trx: Db,
  unit: UnitRecord,
  prepared: PreparedRow<Prepared>,
  judged: { kase: WarrantyCase; decision: ImportedDecision },
  meta: { importedBy: string; fileName: string; now: string },
): Promise<void> {
  const { row, key, content } = prepared.value
  const id = claimIdOf(key)
  const summary = ctx.policies.summary(unit.policyId, unit.policyVersion)
  // Noon where the policy counts its days, as every report dates a claim: noon UTC is already
  // the next day east of UTC+12, and the claim would age a day and miss the file's own day.
  const [year, month, day] = row.claimedOn.split('-').map(Number) as [number, number, number]
  const openedAt = new Date(
    firstInstantAtWallTime(summary?.timeZone ?? 'UTC', { year, month, day, hour: 12, minute: 0 }),
  ).toISOString()
  await trx
    .insertInto('claims')
    .values(
      newClaimRow({
        id,
        state: 'closed',
        version: 0,
        policy_id: unit.policyId,
        policy_version: unit.policyVersion,
        currency: row.currency ?? summary?.currency ?? 'USD',
        brand: unit.brandRelation,
        unit_id: unit.serial,
        serial: unit.serial,
        model: unit.modelName,
        category: unit.category,
        customer_id: unit.ownerCustomerId,
        dealer_org_id: confirmedDealerOf(unit),
        opened_by: meta.importedBy,
        opened_by_role: IMPORTED_ROLE,
        case_json: JSON.stringify(judged.kase),
        problem_description: IMPORTED_DESCRIPTION,
        final_decision: JSON.stringify(judged.decision),
        outcome: outcomeOf(row),
        opened_at: openedAt,
        updated_at: meta.now,
        closed_at: openedAt,
      }),
    )
    .execute()
  const lines = costLineRows(id, row, openedAt)
  if (lines.length > 0) await trx.insertInto('claim_cost_lines').values(lines).execute()
  await trx
    .insertInto('claim_imports')
    .values({
      import_key: key,
      claim_id: id,
      content,
      file_name: meta.fileName,
      imported_by: meta.importedBy,
      imported_at: meta.now,
      updated_at: meta.now,
    })
    .execute()
}

/** A corrected row of a claim imported before: its verdict, remedy and costs are replaced. */
async function updateImportedClaim(
  trx: Db,
  claimId: string,
  prepared: PreparedRow<Prepared>,
  judged: { kase: WarrantyCase; decision: ImportedDecision; stored: StoredImportedClaim; now: string },
): Promise<void> {
  const { row, key, content } = prepared.value
  const { stored: claim, now } = judged
  await trx
    .updateTable('claims')
    .set({
      case_json: JSON.stringify(judged.kase),
      final_decision: JSON.stringify(judged.decision),
      outcome: outcomeOf(row),
      currency: row.currency ?? claim.currency,
      updated_at: now,
    })
    .where('id', '=', claimId)
    .execute()
  await trx.deleteFrom('claim_cost_lines').where('claim_id', '=', claimId).execute()
  const lines = costLineRows(claimId, row, claim.opened_at)
  if (lines.length > 0) await trx.insertInto('claim_cost_lines').values(lines).execute()
  await trx
    .updateTable('claim_imports')
    .set({ content, updated_at: now })
    .where('import_key', '=', key)
    .execute()
}
