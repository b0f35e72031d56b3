import type { Writable } from 'node:stream'
import { stringify } from 'csv-stringify'
import type { Db } from '../db/database.ts'
import type { AppContext } from '../shared/app-context.ts'
import { spreadsheetSafe } from '../shared/spreadsheet-cell.ts'
import type { ExportKind } from './export-kinds.ts'
import { CUSTOMER_CSV_COLUMNS, DEALER_CSV_COLUMNS } from './import-parties.ts'
import { UNIT_CSV_COLUMNS } from './import-units.ts'

export { EXPORT_KINDS, type ExportKind } from './export-kinds.ts'

const PAGE = 5000
const yesNo = (value: number) => (value === 1 ? 'true' : 'false')
const addressColumns = (json: string | null) => {
  const a = json ? (JSON.parse(json) as Record<string, string>) : {}
  return {
    street: a.line1 ?? '',
    city: a.city ?? '',
    postcode: a.postcode ?? '',
    region: a.region ?? '',
    country: a.country ?? '',
  }
}

/**
 * Writes units, customers or dealers as CSV, opened in spreadsheets and read back unchanged by
 * `import`. Returns the row count. The pages are read in one read-only transaction, so the file
 * is one moment's registry: a customer whose e-mail changed between two pages would be written
 * twice, once under each, and a unit sold meanwhile half in. On SQLite it takes no write lock
 * (other processes go on writing); on PostgreSQL it reads at repeatable read, one snapshot.
 */
export async function exportRegistry(
  ctx: Pick<AppContext, 'db' | 'engine'>,
  kind: ExportKind,
  out: Writable,
  { pageSize = PAGE }: { pageSize?: number } = {},
): Promise<number> {
  const columns =
    kind === 'units' ? UNIT_CSV_COLUMNS : kind === 'customers' ? CUSTOMER_CSV_COLUMNS : DEALER_CSV_COLUMNS
  // The byte-order mark lets a spreadsheet read the file as UTF-8 (Chinese names stay
  // Chinese in Excel on a Chinese Windows); the import passes over it.
  const csv = stringify({ bom: true, header: true, columns: [...columns] })
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve)
    out.on('error', reject)
  })
  csv.pipe(out)
  const write = async (row: Record<string, string>) => {
    // Names, addresses and phones were typed by customers and dealers, and the file is opened
    // in spreadsheets: no cell may run there as a formula. The import takes the apostrophe off.
    const cells: Record<string, string> = {}
    for (const column in row) cells[column] = spreadsheetSafe(row[column] as string)
    if (!csv.write(cells)) await new Promise((resolve) => csv.once('drain', resolve))
  }
  let count = 0
  let snapshot = ctx.db.transaction().setAccessMode('read only')
  if (ctx.engine === 'postgres') snapshot = snapshot.setIsolationLevel('repeatable read')
  await snapshot.execute(async (trx) => {
    let after = ''
    for (;;) {
      const page = await fetchPage(trx, kind, after, pageSize)
      for (const row of page.rows) await write(row)
      count += page.rows.length
      if (page.rows.length < pageSize || !page.last) break
      after = page.last
    }
  })
  csv.end()
  if (out !== process.stdout) await done
  return count
}

async function fetchPage(
  db: Db,
  kind: ExportKind,
  after: string,
  pageSize: number,
): Promise<{ rows: Record<string, string>[]; last: string | undefined }> {
  if (kind === 'units') {
    const rows = await db
      .selectFrom('units as u')
      .innerJoin('product_models as m', 'm.id', 'u.model_id')
      .leftJoin('customers as c', 'c.id', 'u.owner_customer_id')
      .select([
        'u.serial',
        'm.name as model',
        'u.batch',
        'u.channel',
        'u.dealer_org_id',
        'u.shipped_by',
        'u.purchased_on',
      ])
      .select([
        'u.shipped_on',
        'u.delivered_on',
        'u.activated_on',
        'c.email',
        'u.second_hand',
        'u.proof_of_purchase',
      ])
      .select(['u.warranty_card', 'u.replaced_by_serial', 'u.policy_id', 'u.policy_version'])
      .where('u.serial', '>', after)
      .orderBy('u.serial')
      .limit(pageSize)
      .execute()
    return {
      last: rows.at(-1)?.serial,
      rows: rows.map((r) => ({
        serial: r.serial,
        model: r.model,
        purchasedOn: r.purchased_on ?? '',
        shippedOn: r.shipped_on ?? '',
        deliveredOn: r.delivered_on ?? '',
        channel: r.channel,
        dealer: r.dealer_org_id ?? '',
        policy: r.policy_id,
        policyVersion: r.policy_version,
        activatedOn: r.activated_on ?? '',
        customer: r.email ?? '',
        batch: r.batch ?? '',
        shippedBy: r.shipped_by ?? '',
        secondHand: yesNo(r.second_hand),
        proofOfPurchase: yesNo(r.proof_of_purchase),
        warrantyCard: yesNo(r.warranty_card),
        replacedBy: r.replaced_by_serial ?? '',
      })),
    }
  }
  if (kind === 'customers') {
    const rows = await db
      .selectFrom('customers')
      .selectAll()
      .where('email', '>', after)
      .orderBy('email')
      .limit(pageSize)
      .execute()
    return {
      last: rows.at(-1)?.email,
      rows: rows.map((r) => ({
        email: r.email,
        name: r.name,
        phone: r.phone ?? '',
        // Empty when nobody chose or saw one, so the default comes back as the default; a
        // language seen comes back as seen, a choice as a choice.
        locale: r.locale_chosen_at === null && r.locale_guessed_at === null ? '' : r.locale,
        localeChosen: yesNo(r.locale_chosen_at === null ? 0 : 1),
        ...addressColumns(r.address),
      })),
    }
  }
  const rows = await db
    .selectFrom('organisations')
    .selectAll()
    .where('kind', 'in', ['dealer', 'agent'])
    .where('id', '>', after)
    .orderBy('id')
    .limit(pageSize)
    .execute()
  return {
    last: rows.at(-1)?.id,
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      email: r.email,
      phone: r.phone ?? '',
      ...addressColumns(r.service_address),
      country: r.country,
    })),
  }
}
