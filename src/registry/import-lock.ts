import { sql } from 'kysely'
import { ADVISORY_LOCKS } from '../db/advisory-locks.ts'
import type { AppContext } from '../shared/app-context.ts'

/**
 * PostgreSQL's advisory lock keys for the imports, one per kind of file. Two imports of one kind at once, from two instances or two clicks,
 * would each insert what the other had not committed yet (a new brand's organisation, a
 * past claim's id taken from its natural key, a unit in another order) and PostgreSQL would
 * fail one of them whole, as an unexpected error. Holding the kind's lock for the file's
 * transaction makes the second wait for the first's commit and then find its rows.
 */
export const IMPORT_LOCKS = {
  units: ADVISORY_LOCKS.importUnits,
  models: ADVISORY_LOCKS.importModels,
  claims: ADVISORY_LOCKS.importClaims,
} as const

/**
 * The file transaction of an import of this kind: on PostgreSQL it first takes the kind's
 * lock, held until the commit; SQLite has one writer anyway. Other writers are not held up.
 */
export function lockedImportTransaction(
  ctx: Pick<AppContext, 'db' | 'engine'>,
  kind: keyof typeof IMPORT_LOCKS,
): ((work: (trx: AppContext['db']) => Promise<void>) => Promise<void>) | undefined {
  if (ctx.engine !== 'postgres') return undefined
  return (work) =>
    ctx.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${IMPORT_LOCKS[kind]})`.execute(trx)
      await work(trx)
    })
}
