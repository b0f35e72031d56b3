import { type Kysely, type Migration, sql } from 'kysely'
import type { Decision } from '../contracts/decision.ts'
import { summaryJson } from './claim-list-summary.ts'

/** Rows read and written at a time while the summaries of existing claims are filled in. */
const BACKFILL_BATCH = 500

const parse = (json: string | null): Decision | null =>
  json === null ? null : (JSON.parse(json) as Decision)

interface DecisionColumns {
  id: string
  version: number
  provisional_decision: string | null
  final_decision: string | null
}

/**
 * Claim lists show each decision without its trace. Reading the whole decisions (about
 * 10 KB each, every clause's text and translation) to drop their traces cost a list page
 * more than everything else it does: 0.64 ms of SQLite reading overflow pages and as much
 * again parsing JSON, for twenty rows. The summaries are stored beside the decisions, with
 * the claim version they were written at, so a list reads them only while they still
 * describe the claim (see `listClaimSummaries`).
 */
export const claimListSummaryMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('claims').addColumn('provisional_summary', 'text').execute()
    await db.schema.alterTable('claims').addColumn('final_summary', 'text').execute()
    await db.schema.alterTable('claims').addColumn('summaries_version', 'integer').execute()
    let after = ''
    for (;;) {
      const { rows } = await sql<DecisionColumns>`
        select id, version, provisional_decision, final_decision from claims
        where id > ${after} order by id limit ${BACKFILL_BATCH}`.execute(db)
      for (const row of rows) {
        await sql`
          update claims set
            provisional_summary = ${summaryJson(parse(row.provisional_decision))},
            final_summary = ${summaryJson(parse(row.final_decision))},
            summaries_version = ${row.version}
          where id = ${row.id}`.execute(db)
      }
      if (rows.length < BACKFILL_BATCH) break
      after = rows[rows.length - 1]!.id
    }
  },
  async down(db: Kysely<unknown>) {
    for (const column of ['summaries_version', 'final_summary', 'provisional_summary']) {
      await db.schema.alterTable('claims').dropColumn(column).execute()
    }
  },
}
