import type SqliteDatabase from 'better-sqlite3'
import { sql } from 'kysely'
import type { Actor } from '../auth/index.ts'
import {
  findOpenClaimDealers,
  moveOpenClaimsToDealer,
  settleDealerSaleOnClaims,
  TERMINAL_STATES,
} from '../claims/index.ts'
import { canonicalSerial, isSerial } from '../contracts/serial.ts'
import type { Db } from '../db/database.ts'
import { withRollbackJournal } from '../db/rollback-journal.ts'
import type { AppContext } from '../shared/app-context.ts'
import { localDate } from '../shared/local-date.ts'
import { findPendingSale, recordDealerSaleAnswer } from './answer-dealer-sale.ts'
import {
  type ImportSummary,
  type PreparedRow,
  type RowReject,
  rejectWith,
  runCsvImport,
} from './csv-import.ts'
import { findCustomerById } from './customer.store.ts'
import { closestModel } from './domain/closest-model.ts'
import { normalizeModelKey } from './domain/model-key.ts'
import {
  checkSaleChannel,
  checkSaleDates,
  decideSalePolicy,
  isDealerKind,
  isSaleRejection,
  MOST_BATCH_CHARACTERS,
  type SaleModel,
  type SaleOrganisations,
  saleShippedBy,
} from './domain/unit-sale.ts'
import { lockedImportTransaction } from './import-lock.ts'
import {
  createSqliteUnitWriter,
  type FixedUnitValues,
  type SqliteUnitWriter,
  shouldLoadInOneTransaction,
  type UnitRow,
} from './import-units-sqlite.ts'
import { recordOwnerCleared, recordOwnershipTransfer, unitTimeZone } from './transfer-unit.ts'
import { findUnitBySerial } from './unit.store.ts'
import { createUnitUpserter, type UnitSaleColumn, type UnitSaleValues } from './unit-bulk.store.ts'

export const UNIT_CSV_COLUMNS = [
  'serial',
  'model',
  'purchasedOn',
  'shippedOn',
  'deliveredOn',
  'channel',
  'dealer',
  'policy',
  'policyVersion',
  'activatedOn',
  'customer',
  'batch',
  'shippedBy',
  'secondHand',
  'proofOfPurchase',
  'warrantyCard',
  'replacedBy',
] as const
export const UNIT_CSV_REQUIRED = [
  'serial',
  'model',
  'purchasedOn',
  'shippedOn',
  'deliveredOn',
  'channel',
  'dealer',
]

const UNIT_BATCH_ROWS_ALONE = 25_000
const UNIT_BATCH_ROWS_SERVING = 2_500

/** Columns a re-import always rewrites, and the optional ones it rewrites only when the file has them. */
const ALWAYS_UPDATED: UnitSaleColumn[] = [
  'model_id',
  'channel',
  'dealer_org_id',
  'seller_org_id',
  'purchased_on',
  'shipped_on',
  'delivered_on',
  'policy_id',
  'policy_version',
]
const OPTIONAL_COLUMNS: Array<[string, UnitSaleColumn]> = [
  ['batch', 'batch'],
  ['shippedBy', 'shipped_by'],
  ['activatedOn', 'activated_on'],
  ['customer', 'owner_customer_id'],
  ['secondHand', 'second_hand'],
  ['proofOfPurchase', 'proof_of_purchase'],
  ['warrantyCard', 'warranty_card'],
  ['replacedBy', 'replaced_by_serial'],
]

/**
 * What a row holds in an optional column the file does not have. Every row of such a file
 * holds the same there, so the SQLite writer puts it in its statement once.
 */
const ABSENT = {
  batch: null,
  activated_on: null,
  owner_customer_id: null,
  second_hand: 0,
  proof_of_purchase: 1,
  warranty_card: 1,
  replaced_by_serial: null,
} as const satisfies FixedUnitValues

const DATE = /^\d{4}-\d{2}-\d{2}$/
const BOOLEANS: Record<string, number> = { '1': 1, true: 1, yes: 1, y: 1, '0': 0, false: 0, no: 0, n: 0 }

export interface ImportOptions {
  file: string
  /** The name the file was sent under, for errors (an upload is stored under another). */
  fileName?: string
  rejectsPath?: string
  onProgress?: (bytesRead: number, totalBytes: number) => void
  /**
   * The caller has the database to itself (the command line): a first load much larger
   * than the registry may then hold the embedded writer for its whole length, in one
   * transaction with the indexes built after. A server never sets it: its other requests
   * would wait for the whole file.
   */
  exclusive?: boolean
  /** Who imports the file (the uploading user); the command line names nobody. */
  by?: Actor
}

/**
 * Imports unit sales from CSV (upsert by serial) by the registry's sale rules
 * (domain/unit-sale.ts), cached per model, policy and date, with batched statements.
 */
export async function importUnits(ctx: AppContext, options: ImportOptions): Promise<ImportSummary> {
  const models = new Map<string, SaleModel>()
  const modelRows = await ctx.db
    .selectFrom('product_models as m')
    .innerJoin('organisations as b', 'b.id', 'm.brand_org_id')
    .select([
      'm.id',
      'm.name',
      'm.model_key',
      'm.brand_relation',
      'm.policy_id',
      'b.id as brand_id',
      'b.default_policy_id',
      'b.agent_org_id',
    ])
    .execute()
  for (const m of modelRows) {
    models.set(m.model_key, {
      id: m.id,
      brandOrgId: m.brand_id,
      agentOrgId: m.brand_relation === 'agent' ? m.agent_org_id : null,
      // A model the catalogue import gave its own policy keeps it; else the brand's.
      brandPolicyId: m.policy_id ?? m.default_policy_id,
    })
  }
  // A model's other names (imported with the catalogue) find it too, and every known name feeds the hint.
  const knownNames = modelRows.map((m) => ({ key: m.model_key, name: m.name }))
  const hintByName = new Map<string, string>()
  const keyOfModel = new Map(modelRows.map((m) => [m.id, m.model_key]))
  for (const alias of await ctx.db.selectFrom('model_aliases').select(['alias_key', 'model_id']).execute()) {
    const model = models.get(keyOfModel.get(alias.model_id) ?? '')
    if (model && !models.has(alias.alias_key)) models.set(alias.alias_key, model)
  }
  const organisations = await ctx.db
    .selectFrom('organisations')
    .select(['id', 'name_key', 'default_policy_id', 'kind', 'active'])
    .orderBy('id')
    .execute()
  const orgByRef = new Map<string, string>()
  const kindOf = new Map<string, string>()
  const inactive = new Set(organisations.filter((org) => org.active === 0).map((org) => org.id))
  // The units on file through a deactivated dealer, by serial: a seller's whole-registry file
  // restates them night after night, and what is on file keeps naming the dealer. Only a row
  // that would newly give a unit to it is refused. Few dealers leave, so their units are held.
  const soldThroughInactive = new Map<string, string>()
  if (inactive.size > 0)
    for (const unit of await ctx.db
      .selectFrom('units')
      .select(['serial', 'dealer_org_id'])
      .where('dealer_org_id', 'in', [...inactive])
      .execute())
      if (unit.dealer_org_id) soldThroughInactive.set(unit.serial, unit.dealer_org_id)
  const policyOf = new Map<string, string | null>()
  const sellerByPolicy = new Map<string, string>()
  for (const org of organisations) {
    orgByRef.set(org.id, org.id)
    orgByRef.set(org.name_key, org.id)
    policyOf.set(org.id, org.default_policy_id)
    kindOf.set(org.id, org.kind)
    if (org.kind === 'seller' && org.default_policy_id && !sellerByPolicy.has(org.default_policy_id))
      sellerByPolicy.set(org.default_policy_id, org.id)
  }
  const orgs: SaleOrganisations = {
    defaultPolicyOf: (orgId) => policyOf.get(orgId),
    sellerWithPolicy: (policyId) => sellerByPolicy.get(policyId),
  }
  // Sales a buyer said a dealer made, waiting for the dealer: few, so all are held. A row of the
  // seller's file for one of them settles it (`settlePendingSales`).
  const pendingDealerOf = new Map(
    (
      await ctx.db
        .selectFrom('units')
        .select(['serial', 'dealer_org_id'])
        .where('dealer_confirmed', '=', 0)
        .execute()
    ).flatMap((u) => (u.dealer_org_id ? [[u.serial, u.dealer_org_id] as const] : [])),
  )
  // The dealers of the open claims: a row naming another dealer for a confirmed sale moves
  // its open claims with it (`moveClaimsWithSales`).
  const openClaimDealers = await findOpenClaimDealers(ctx.db)
  /** The pending sales a row of this file was written for. */
  const settled = new Set<string>()
  /** The confirmed sales with open claims a row of this file gave another dealer. */
  const moved = new Set<string>()
  const unsettle = (row: PreparedRow<UnitRow>) => {
    const serial = String(row.value.values.serial)
    settled.delete(serial)
    moved.delete(serial)
  }
  // Caches by the raw text of a cell: a million rows name a handful of models, dealers and dates.
  const modelByName = new Map<string, SaleModel | null>()
  const dealerByRef = new Map<string, string | null>()
  const terms = new Map<string, ReturnType<typeof decideSalePolicy>>()
  const goodDates = new Set<string>()
  const customers = new Map<string, string | null>()
  let hasCustomer = false
  let hasSecondHand = false
  /** The units a row of this file took from their owner: who owned each before, and who now (null: nobody). */
  const ownerChanges = new Map<string, { from: string; to: string | null }>()
  /**
   * Whether a row may give its unit the owner it names, judged against the unit as stored,
   * read in the file's transaction as the row is written (a claim opened while the file was
   * read counts). A unit under an open claim keeps its owner, as a transfer would (see
   * claim-holds-unit.ts); an empty cell clears the owner, so it changes hands as much as
   * another name. A unit leaving its owner is noted for `finish`, which records the transfer
   * or the cleared owner and tells them. A serial comes once in a file, so the stored owner is
   * the one before it, and each unit is noted (and its former owner told) once.
   */
  const judgeOwner = (row: PreparedRow<UnitRow>, stored: StoredOwner | undefined): RowReject | undefined => {
    const serial = String(row.value.values.serial)
    const to = row.value.values.owner_customer_id
    if (!stored || stored.owner === to) return undefined
    if (stored.claimed) return rejectWith('customer', { key: 'import.open-claim', params: { serial } })
    if (stored.owner !== null)
      ownerChanges.set(serial, { from: stored.owner, to: typeof to === 'string' ? to : null })
    return undefined
  }
  let upserter = createUnitUpserter(ctx.engine, ALWAYS_UPDATED)
  let writeSqlite: SqliteUnitWriter | undefined

  const isDate = (value: string): boolean => {
    if (goodDates.has(value)) return true
    // From 1900, as the API's dates: the day arithmetic downstream reads years 0–99 as 19xx.
    if (!DATE.test(value) || value < '1900-01-01') return false
    const parsed = new Date(`${value}T00:00:00Z`)
    if (Number.isNaN(parsed.getTime()) || !parsed.toISOString().startsWith(value)) return false
    goodDates.add(value)
    return true
  }
  const optionalDate = (record: Record<string, string>, column: string): string | null | RowReject => {
    const value = record[column]
    if (!value) return null
    return isDate(value) ? value : rejectWith(column, { key: 'import.date', params: { value } })
  }
  const flag = (record: Record<string, string>, column: string, fallback: number): number | RowReject => {
    const raw = record[column]
    if (raw === undefined || raw === '') return fallback
    const value = BOOLEANS[raw.toLowerCase()]
    return value ?? rejectWith(column, { key: 'import.boolean', params: { value: raw } })
  }

  // One instant for the whole file: a row is not judged by another day than its neighbours.
  const startedAt = ctx.now()
  const prepare = (record: Record<string, string>): UnitRow | RowReject => {
    const serial = canonicalSerial(record.serial ?? '')
    if (!isSerial(serial)) {
      return rejectWith(
        'serial',
        serial ? { key: 'import.serial', params: { value: serial } } : { key: 'import.required' },
      )
    }
    const modelName = record.model ?? ''
    let model = modelByName.get(modelName)
    if (model === undefined) {
      model = models.get(normalizeModelKey(modelName)) ?? null
      modelByName.set(modelName, model)
    }
    if (!model) {
      if (!modelName) return rejectWith('model', { key: 'import.required' })
      const hint = hintByName.get(modelName) ?? closestModel(modelName, knownNames) ?? ''
      hintByName.set(modelName, hint)
      return rejectWith(
        'model',
        hint
          ? { key: 'import.no-model-hint', params: { value: modelName, hint } }
          : { key: 'import.no-model', params: { value: modelName } },
      )
    }
    const channel = record.channel
    if (channel !== 'direct' && channel !== 'dealer') return rejectWith('channel', { key: 'import.channel' })
    const dealerRef = record.dealer ?? ''
    let dealerOrgId: string | null = null
    if (dealerRef) {
      dealerOrgId = dealerByRef.get(dealerRef) ?? null
      if (!dealerByRef.has(dealerRef)) {
        dealerOrgId = orgByRef.get(dealerRef) ?? orgByRef.get(normalizeModelKey(dealerRef)) ?? null
        dealerByRef.set(dealerRef, dealerOrgId)
      }
      if (!dealerOrgId)
        return rejectWith('dealer', { key: 'import.no-organisation', params: { value: dealerRef } })
      if (!isDealerKind(kindOf.get(dealerOrgId) ?? ''))
        return rejectWith('dealer', { key: 'registry.sale.not-a-dealer', params: { id: dealerRef } })
      if (inactive.has(dealerOrgId) && soldThroughInactive.get(serial) !== dealerOrgId)
        return rejectWith('dealer', { key: 'registry.sale.inactive-organisation', params: { id: dealerRef } })
    }
    const channelRule = checkSaleChannel(channel, dealerOrgId)
    if (channelRule)
      return {
        field: channelRule.field === 'dealerOrgId' ? 'dealer' : channelRule.field,
        error: channelRule.error,
        text: channelRule.text,
      }
    const purchasedOn = record.purchasedOn ?? ''
    if (!isDate(purchasedOn)) return rejectWith('purchasedOn', { key: 'import.date-plain' })
    const shippedOn = optionalDate(record, 'shippedOn')
    if (typeof shippedOn === 'object' && shippedOn) return shippedOn
    const deliveredOn = optionalDate(record, 'deliveredOn')
    if (typeof deliveredOn === 'object' && deliveredOn) return deliveredOn
    const activatedOn = optionalDate(record, 'activatedOn')
    if (typeof activatedOn === 'object' && activatedOn) return activatedOn
    const dateRule = checkSaleDates({ purchasedOn, shippedOn, deliveredOn, activatedOn }, startedAt)
    if (dateRule) return dateRule
    const shippedBy = record.shippedBy || saleShippedBy(channel)
    if (shippedBy !== 'vendor' && shippedBy !== 'dealer')
      return rejectWith('shippedBy', { key: 'import.shipped-by' })

    const policy = record.policy || null
    const policyVersion = record.policyVersion || null
    const termsKey = `${model.id}\u0000${policy ?? ''}\u0000${policyVersion ?? ''}\u0000${purchasedOn}`
    let sale = terms.get(termsKey)
    if (sale === undefined) {
      sale = decideSalePolicy(model, { policyId: policy, policyVersion, purchasedOn }, orgs, ctx.policies)
      terms.set(termsKey, sale)
    }
    if (isSaleRejection(sale)) return sale
    const secondHand = flag(record, 'secondHand', ABSENT.second_hand)
    if (typeof secondHand === 'object') return secondHand
    const proof = flag(record, 'proofOfPurchase', ABSENT.proof_of_purchase)
    if (typeof proof === 'object') return proof
    const card = flag(record, 'warrantyCard', ABSENT.warranty_card)
    if (typeof card === 'object') return card
    // A serial in any column is read as the serial column reads it, or `pq-2` would name no unit.
    const replacedBy = canonicalSerial(record.replacedBy ?? '') || ABSENT.replaced_by_serial
    if (replacedBy && !isSerial(replacedBy)) return rejectWith('replacedBy', { key: 'import.serial-plain' })
    // Trimmed as the API trims it: a cell's stray space would otherwise make another batch.
    const batch = record.batch?.trim() || ABSENT.batch
    if (batch && batch.length > MOST_BATCH_CHARACTERS)
      return rejectWith('batch', { key: 'import.too-long', params: { maximum: MOST_BATCH_CHARACTERS } })
    const email = record.customer ? record.customer.toLowerCase() : null
    if (email && !email.includes('@')) return rejectWith('customer', { key: 'import.owner-email' })

    if (pendingDealerOf.has(serial)) settled.add(serial)
    // A pending sale is settled, its claims given as the settlement says, not moved.
    if (!pendingDealerOf.has(serial) && openClaimDealers.get(serial)?.some((d) => d !== dealerOrgId))
      moved.add(serial)
    return {
      customerEmail: email,
      values: {
        serial,
        model_id: model.id,
        batch,
        channel,
        dealer_org_id: dealerOrgId,
        seller_org_id: sale.sellerOrgId,
        shipped_by: shippedBy,
        purchased_on: purchasedOn,
        shipped_on: shippedOn,
        delivered_on: deliveredOn,
        activated_on: activatedOn,
        owner_customer_id: ABSENT.owner_customer_id,
        second_hand: secondHand,
        proof_of_purchase: proof,
        warranty_card: card,
        replaced_by_serial: replacedBy,
        policy_id: sale.policyId,
        policy_version: sale.policyVersion,
      },
    }
  }

  const write = async (
    trx: AppContext['db'],
    rows: PreparedRow<UnitRow>[],
    refuse: (row: PreparedRow<UnitRow>, why: RowReject) => void,
  ): Promise<number> => {
    const reject = (row: PreparedRow<UnitRow>, why: RowReject) => {
      unsettle(row)
      refuse(row, why)
    }
    if (hasCustomer) await resolveCustomers(trx, rows, customers)
    const lock = ctx.engine === 'postgres'
    const serialOf = (row: PreparedRow<UnitRow>) => String(row.value.values.serial)
    const stored = hasCustomer ? await readStoredOwners(trx, rows.map(serialOf), lock) : undefined
    const now = ctx.now().toISOString()
    let written = 0
    let statement: UnitSaleValues[] = []
    let serials = new Set<string>()
    const run = async () => {
      written += await upserter.upsert(trx, statement, now)
      statement = []
      serials = new Set()
    }
    const judgeAndQueue = async (row: PreparedRow<UnitRow>, owners: Map<string, StoredOwner> | undefined) => {
      const serial = serialOf(row)
      const refusal = owners && judgeOwner(row, owners.get(serial))
      if (refusal) return reject(row, refusal)
      // One statement may not touch a row twice (PostgreSQL refuses); a repeated serial starts a new one.
      if (serials.has(serial) || statement.length >= 500) await run()
      statement.push(row.value.values)
      serials.add(serial)
    }
    /** Rows whose serial was not on file when the owners were read: no row there to lock. */
    const unseen: PreparedRow<UnitRow>[] = []
    for (const row of rows) {
      if (row.value.customerEmail) {
        const id = customers.get(row.value.customerEmail)
        if (!id) {
          reject(
            row,
            rejectWith('customer', { key: 'import.no-customer', params: { value: row.value.customerEmail } }),
          )
          continue
        }
        row.value.values.owner_customer_id = id
      }
      if (stored && !stored.has(serialOf(row))) unseen.push(row)
      else await judgeAndQueue(row, stored)
    }
    await run()
    // A claim on a serial not on file registers its unit; one doing so meanwhile would have its
    // unit (and its claimant) overwritten by an upsert. The file's new serials are inserted
    // only where still absent (waiting for such a claim to end), and the ones a claim took are
    // read again under their lock and judged as units on file.
    const taken: PreparedRow<UnitRow>[] = []
    for (let start = 0; start < unseen.length; start += 500) {
      const chunk = unseen.slice(start, start + 500)
      const inserted = await upserter.insertNew(
        trx,
        chunk.map((row) => row.value.values),
        now,
      )
      written += inserted.size
      for (const row of chunk) if (!inserted.has(serialOf(row))) taken.push(row)
    }
    if (taken.length > 0) {
      const owners = await readStoredOwners(trx, taken.map(serialOf), lock)
      for (const row of taken) await judgeAndQueue(row, owners)
      await run()
    }
    return written
  }

  const { sqlite } = ctx
  const lockedTransaction = lockedImportTransaction(ctx, 'units')
  // SQLite ignores the foreign-key switch inside a transaction, so the bulk writer's (see
  // import-units-sqlite.ts, which says why it is safe) is thrown before the file's transaction
  // opens, on the writer this import then holds until its commit.
  const sqliteFileTransaction = (work: (trx: AppContext['db']) => Promise<void>) =>
    ctx.db.connection().execute(async (connection) => {
      await sql`pragma foreign_keys = off`.execute(connection)
      try {
        await connection.transaction().execute(work)
      } finally {
        await sql`pragma foreign_keys = on`.execute(connection)
      }
    })
  return runCsvImport<UnitRow>(ctx.db, {
    file: options.file,
    ...(options.fileName ? { fileName: options.fileName } : {}),
    ...(options.rejectsPath ? { rejectsPath: options.rejectsPath } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    requiredColumns: UNIT_CSV_REQUIRED,
    knownColumns: UNIT_CSV_COLUMNS,
    keyOf: { column: 'serial', of: (row) => String(row.values.serial) },
    // A batch is read, checked and written without a pause; on a server others wait that long
    // (measured, 300k rows on SQLite: look-ups waited 0.55 s at 25,000 rows a batch, 0.05 s at
    // 2,500, the load as fast). The command line has the database to itself.
    batchRows: options.exclusive ? UNIT_BATCH_ROWS_ALONE : UNIT_BATCH_ROWS_SERVING,
    start(columns) {
      hasCustomer = columns.includes('customer')
      hasSecondHand = columns.includes('secondHand')
      const optional = OPTIONAL_COLUMNS.filter(([csv]) => columns.includes(csv)).map(([, column]) => column)
      upserter = createUnitUpserter(ctx.engine, [...ALWAYS_UPDATED, ...optional])
      const fixed: FixedUnitValues = {}
      for (const [csv, column] of OPTIONAL_COLUMNS)
        if (!columns.includes(csv) && column in ABSENT) fixed[column] = ABSENT[column as keyof typeof ABSENT]
      if (ctx.sqlite) {
        const readOwners = hasCustomer ? storedOwnerReader(ctx.db, ctx.sqlite) : undefined
        writeSqlite = createSqliteUnitWriter(ctx.sqlite, [...ALWAYS_UPDATED, ...optional], ctx.now, fixed, {
          ...(readOwners
            ? {
                judgeOwners: (rows: PreparedRow<UnitRow>[]) => {
                  const stored = readOwners(rows.map((row) => String(row.value.values.serial)))
                  return (row: PreparedRow<UnitRow>) =>
                    judgeOwner(row, stored.get(String(row.value.values.serial)))
                },
              }
            : {}),
        })
      }
    },
    prepare,
    write,
    finish: async (trx) => {
      await settlePendingSales(ctx, trx, settled, pendingDealerOf, options.by, startedAt)
      await moveClaimsWithSales(ctx, trx, moved, options.by, startedAt)
      await recordOwnerChanges(ctx, trx, ownerChanges, {
        by: options.by,
        startedAt,
        markSecondHand: !hasSecondHand,
      })
    },
    ...(sqlite
      ? {
          writeBatch: (
            rows: PreparedRow<UnitRow>[],
            reject: (row: PreparedRow<UnitRow>, why: RowReject) => void,
          ) =>
            (writeSqlite as SqliteUnitWriter).writeBatch(rows, (row, why) => {
              unsettle(row)
              reject(row, why)
            }),
          wholeFile: (estimatedRows: number) => {
            // Someone else's transaction open on the connection would swallow this one.
            if (!options.exclusive || sqlite.inTransaction) return undefined
            const tableRows = sqlite.prepare('select count(*) from units').pluck().get() as number
            if (!shouldLoadInOneTransaction(estimatedRows, tableRows)) return undefined
            // The rows, then the sales they settle and the claims that follow them, all in the
            // one transaction: a failure anywhere leaves nothing of the file written. The rows'
            // transaction is then a savepoint in the file's, so it commits only with the claims.
            return async (body: () => void, finish: (trx: AppContext['db']) => Promise<void>) => {
              const writer = writeSqlite as SqliteUnitWriter
              await withRollbackJournal(sqlite, () =>
                sqliteFileTransaction(async (trx) => {
                  writer.inTransaction(body, { rebuildIndexes: true })
                  await finish(trx)
                }),
              )
            }
          },
          inTransaction: (body: () => void) => (writeSqlite as SqliteUnitWriter).inTransaction(body),
          fileTransaction: sqliteFileTransaction,
        }
      : lockedTransaction
        ? // Two files over the same serials, written in different orders, would each hold rows
          // the other waits for; PostgreSQL would then fail one of them whole.
          { fileTransaction: lockedTransaction }
        : {}),
  })
}

/**
 * Settles the sales a buyer said a dealer made that a row of the seller's file named: the
 * seller's own record of its sales is its word, so the sale is confirmed as the row states it.
 * A row naming the dealer the buyer named confirms that dealer. A row naming another dealer
 * confirms the sale for the dealer the seller names: the seller knows whom it sold through,
 * the buyer may misremember, and a second wait for the other dealer would only keep the
 * claims from the dealer the seller's own books name. A direct row says no dealer sold it:
 * the buyer's dealer did not (recorded as refused). Either way the claims opened meanwhile
 * take the dealer as a confirmation gives it, and each open one records what was settled.
 */
async function settlePendingSales(
  ctx: AppContext,
  trx: Db,
  serials: ReadonlySet<string>,
  statedDealerOf: ReadonlyMap<string, string>,
  by: Actor | undefined,
  startedAt: Date,
): Promise<void> {
  const at = startedAt.toISOString()
  for (const serial of serials) {
    const statedDealer = statedDealerOf.get(serial)
    if (!statedDealer) continue
    const unit = await findPendingSale(trx, serial)
    // Answered by the dealer or staff since the import began: their answer stands.
    if (!unit) continue
    const dealer = unit.dealer_org_id
    await trx
      .updateTable('units')
      .set({
        dealer_confirmed: 1,
        // No dealer sold it, so none shipped it either (as a refusal reads it).
        ...(dealer === null && unit.shipped_by === 'dealer' ? { shipped_by: 'vendor' as const } : {}),
        updated_at: at,
      })
      .where('serial', '=', serial)
      .execute()
    await recordDealerSaleAnswer(trx, {
      serial,
      dealerOrgId: statedDealer,
      answer: dealer === statedDealer ? 'confirmed' : 'refused',
      byUserId: by?.userId ?? null,
      byRole: 'import',
      at,
    })
    const statedName =
      (await trx.selectFrom('organisations').select('name').where('id', '=', statedDealer).executeTakeFirst())
        ?.name ?? statedDealer
    await settleDealerSaleOnClaims(ctx, trx, {
      serial,
      ...(dealer
        ? {
            outcome: 'confirmed' as const,
            dealer: { id: dealer, name: unit.dealer_name ?? dealer },
            ...(dealer === statedDealer ? {} : { statedDealerName: statedName }),
          }
        : { outcome: 'refused' as const, dealer: { id: statedDealer, name: statedName } }),
      source: 'import',
      model: unit.model,
      sellerName: unit.seller_name,
      actor: by ?? importActor(unit.seller_name),
      at,
    })
  }
}

/**
 * Moves the open claims of the confirmed sales a row of the seller's file gave another dealer
 * (or none): the seller's records say whose sale it is, and a claim's dealer is the one that
 * sees and serves it, so an open claim follows the sale. Closed claims keep the dealer that
 * served them. Each moved claim records it on its chain, in the file's transaction.
 */
async function moveClaimsWithSales(
  ctx: AppContext,
  trx: Db,
  serials: ReadonlySet<string>,
  by: Actor | undefined,
  startedAt: Date,
): Promise<void> {
  const at = startedAt.toISOString()
  for (const serial of serials) {
    // The unit as the file left it: a later row for the serial may have named the old dealer again.
    const unit = await trx
      .selectFrom('units as u')
      .leftJoin('organisations as d', 'd.id', 'u.dealer_org_id')
      .leftJoin('organisations as s', 's.id', 'u.seller_org_id')
      .select(['u.dealer_org_id', 'u.dealer_confirmed', 'd.name as dealer_name', 's.name as seller_name'])
      .where('u.serial', '=', serial)
      .executeTakeFirst()
    if (unit?.dealer_confirmed !== 1) continue
    await moveOpenClaimsToDealer(ctx, trx, {
      serial,
      dealer: unit.dealer_org_id
        ? { id: unit.dealer_org_id, name: unit.dealer_name ?? unit.dealer_org_id }
        : null,
      source: 'import',
      actor: by ?? importActor(unit.seller_name),
      at,
    })
  }
}

/** Who the claims' histories say settled a sale when the command line imported the seller's file. */
function importActor(sellerName: string | null): Actor {
  return {
    userId: 'registry-import',
    role: 'admin',
    name: sellerName ?? 'registry import',
    email: '',
    orgId: null,
    customerId: null,
    via: 'command-line',
  }
}

/** A unit's owner as stored, and whether a claim on it is open. */
interface StoredOwner {
  owner: string | null
  claimed: boolean
}

/**
 * The stored owner of each unit among `serials` that is on file, and whether a claim on it is
 * open: the one query behind both readers below.
 */
function storedOwnersQuery(db: Db, serials: readonly string[]) {
  return db
    .selectFrom('units as u')
    .select((eb) => [
      'u.serial',
      'u.owner_customer_id as owner',
      eb
        .exists(
          eb
            .selectFrom('claims as k')
            .select('k.id')
            .whereRef('k.serial', '=', 'u.serial')
            .where('k.state', 'not in', TERMINAL_STATES),
        )
        .as('claimed'),
    ])
    .where('u.serial', 'in', serials)
}

type StoredOwnerRow = Awaited<ReturnType<ReturnType<typeof storedOwnersQuery>['execute']>>[number]

const OWNERS_READ_AT_ONCE = 500

function addStoredOwners(stored: Map<string, StoredOwner>, rows: StoredOwnerRow[]): void {
  for (const row of rows) stored.set(row.serial, { owner: row.owner, claimed: Boolean(Number(row.claimed)) })
}

/**
 * The stored owners of the units among `serials` that are on file, read in the file's
 * transaction. On PostgreSQL the units' rows are locked first, as claim intake locks a unit's
 * row: a claim opening meanwhile either committed before the lock, and the read after it sees
 * the claim, or waits for the file's commit.
 */
async function readStoredOwners(
  trx: Db,
  serials: string[],
  lock: boolean,
): Promise<Map<string, StoredOwner>> {
  const stored = new Map<string, StoredOwner>()
  for (let start = 0; start < serials.length; start += OWNERS_READ_AT_ONCE) {
    const chunk = serials.slice(start, start + OWNERS_READ_AT_ONCE)
    if (lock)
      await trx
        .selectFrom('units')
        .select('serial')
        .where('serial', 'in', chunk)
        .orderBy('serial')
        .forUpdate()
        .execute()
    addStoredOwners(stored, await storedOwnersQuery(trx, chunk).execute())
  }
  return stored
}

/**
 * The same on the embedded writer's own connection, for its synchronous bulk path: the query
 * compiled for SQLite and run there, its statement prepared once for each number of serials.
 */
function storedOwnerReader(
  db: Db,
  sqlite: SqliteDatabase.Database,
): (serials: string[]) => Map<string, StoredOwner> {
  const statements = new Map<number, SqliteDatabase.Statement<unknown[], StoredOwnerRow>>()
  return (serials) => {
    const stored = new Map<string, StoredOwner>()
    for (let start = 0; start < serials.length; start += OWNERS_READ_AT_ONCE) {
      const { sql: text, parameters } = storedOwnersQuery(
        db,
        serials.slice(start, start + OWNERS_READ_AT_ONCE),
      ).compile()
      let statement = statements.get(parameters.length)
      if (!statement) {
        statement = sqlite.prepare<unknown[], StoredOwnerRow>(text)
        statements.set(parameters.length, statement)
      }
      addStoredOwners(stored, statement.all(parameters))
    }
    return stored
  }
}

/**
 * Records each change of hands the file made as a staff transfer records it, in the file's
 * transaction: the transfer on the unit's history, the offers it clears and the e-mails to
 * their buyers, the former owner and the new one. The seller's books say the unit passed on,
 * so it counts as second hand, as after a staff transfer, unless the file says itself. A unit
 * that had no owner is given its first, which is a sale, not a transfer (as when a buyer
 * accepts a seller's offer). A cleared owner has nobody to record the unit passed to; the
 * former owner is told all the same (through the outbox, so a file rolled back tells nobody),
 * and the unit is not marked second hand: the books no longer say who has it.
 */
async function recordOwnerChanges(
  ctx: AppContext,
  trx: Db,
  changes: ReadonlyMap<string, { from: string; to: string | null }>,
  options: { by: Actor | undefined; startedAt: Date; markSecondHand: boolean },
): Promise<void> {
  const now = options.startedAt.toISOString()
  for (const [serial, { from, to }] of changes) {
    if (to === null) {
      const unit = await findUnitBySerial(trx, serial)
      if (!unit) throw new Error(`unit ${serial} vanished during its import`)
      const timeZone = unitTimeZone(ctx, unit)
      await recordOwnerCleared(trx, {
        unit,
        fromCustomerId: from,
        clearedOn: localDate(options.startedAt, timeZone),
        now,
        timeZone,
      })
      continue
    }
    if (options.markSecondHand)
      await trx
        .updateTable('units')
        .set({ second_hand: 1, updated_at: now })
        .where('serial', '=', serial)
        .execute()
    const unit = await findUnitBySerial(trx, serial)
    const customer = await findCustomerById(trx, to)
    // Both were written or read in this very transaction.
    if (!unit || !customer) throw new Error(`unit ${serial} or customer ${to} vanished during its import`)
    await recordOwnershipTransfer(ctx, trx, {
      unit,
      fromCustomerId: from,
      to: customer,
      transferredOn: localDate(options.startedAt, unitTimeZone(ctx, unit)),
      recordedByUserId: options.by?.userId ?? null,
      now,
    })
  }
}

async function resolveCustomers(
  db: AppContext['db'],
  rows: PreparedRow<UnitRow>[],
  cache: Map<string, string | null>,
) {
  const wanted = [
    ...new Set(rows.map((r) => r.value.customerEmail).filter((e): e is string => !!e && !cache.has(e))),
  ]
  for (let start = 0; start < wanted.length; start += 500) {
    const chunk = wanted.slice(start, start + 500)
    const found = await db
      .selectFrom('customers')
      .select(['id', 'email'])
      .where('email', 'in', chunk)
      .execute()
    for (const email of chunk) cache.set(email, null)
    for (const c of found) cache.set(c.email, c.id)
  }
}
