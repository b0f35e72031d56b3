import type { WarrantyCase } from '../contracts/case.ts'
import type { Decision } from '../contracts/decision.ts'
import type { Db } from '../db/database.ts'
import type { PolicyLibrary } from '../policies/index.ts'
import {
  type CompiledPolicy,
  compilePolicy,
  lineOfField,
  parsePolicyFile,
  policyFileError,
  undefinedCalendarErrors,
} from '../policies/index.ts'
import { AppError } from '../shared/errors.ts'
import { definedCalendarIds } from '../sla/index.ts'
import {
  addClaimToTally,
  createSimulationTally,
  diffDecisions,
  shiftClaimCosts,
  summarizeTally,
} from './domain/simulation-diff.ts'
import type { ClaimDiff, SimulationResult } from './report.schemas.ts'
import { pageSimulationClaims, readCostLinesOf, type SimulationClaimRow } from './report.store.ts'

export interface SimulatePolicyInput {
  policyId: string
  yaml: string
  from?: string | undefined
  to?: string | undefined
  /** How many changed claims to list; all are counted. */
  limit: number
  /** What to call the draft in error messages (its file name on the command line). */
  draftName?: string | undefined
}

/** Claims that could not be decided are listed up to this many; a longer list helps nobody. */
const MAX_SKIPPED_LISTED = 100

/**
 * Parses, validates and compiles a draft policy; every problem names the line and the field
 * of the draft, so the policy owner can fix it where they typed it. `calendars` are the
 * business calendars defined (built in and stored): a draft naming another is refused as the
 * policy check and the server's start refuse it, or a simulation would pass a draft that
 * could never be served.
 */
export function compileDraftPolicy(
  yaml: string,
  policyId: string,
  calendars: ReadonlySet<string>,
  name = 'draft',
): CompiledPolicy {
  const parsed = parsePolicyFile(yaml, name)
  if (!parsed.ok) throw policyFileError(parsed.errors, 'yaml')
  if (parsed.document.id !== policyId) {
    throw new AppError(
      'validation',
      {
        key: 'reports.draft-other-policy',
        params: { file: name, field: 'id', draftPolicy: parsed.document.id, policy: policyId },
      },
      {
        field: 'yaml',
        details: {
          errors: [
            { file: name, line: lineOfField(yaml, ['id']), field: 'id', message: 'must match policyId' },
          ],
        },
      },
    )
  }
  const unknownCalendar = undefinedCalendarErrors(yaml, name, parsed.document.calendar, calendars)
  if (unknownCalendar.length > 0) throw policyFileError(unknownCalendar, 'yaml')
  try {
    return compilePolicy(parsed.document)
  } catch (error) {
    throw new AppError(
      'validation',
      {
        key: 'reports.draft-does-not-compile',
        params: { file: name, detail: error instanceof Error ? error.message : String(error) },
      },
      {
        field: 'yaml',
        cause: error,
      },
    )
  }
}

/** The case the claim was decided on: the stored case with the inspection added when there was one. */
function rebuildCase(row: SimulationClaimRow): WarrantyCase {
  const stored = JSON.parse(row.caseJson) as WarrantyCase
  if (row.inspection) stored.inspection = JSON.parse(row.inspection) as WarrantyCase['inspection']
  return stored
}

/**
 * "See what a change would have done to past claims before publishing it": decides every
 * past claim of the policy in the range twice, with the version it was decided under and
 * with the draft, and tallies what changed. Claims stream from the database a page at a
 * time; only the changed claims with a payer change cost another query, for their cost lines.
 */
export async function simulatePolicy(
  db: Db,
  policies: PolicyLibrary,
  input: SimulatePolicyInput,
  clock: () => number = Date.now,
): Promise<SimulationResult> {
  const started = clock()
  if (!policies.summary(input.policyId)) {
    throw new AppError(
      'not-found',
      { key: 'policies.no-policy-named', params: { policy: input.policyId } },
      { field: 'policyId' },
    )
  }
  const draft = compileDraftPolicy(input.yaml, input.policyId, await definedCalendarIds(db), input.draftName)
  const tally = createSimulationTally()
  const changes: ClaimDiff[] = []
  const skipped: SimulationResult['skipped'] = []
  let skippedCount = 0
  let truncated = false

  for await (const page of pageSimulationClaims(db, input.policyId, input)) {
    const pending: { diff: ClaimDiff; before: Decision; after: Decision }[] = []
    for (const row of page) {
      let before: Decision
      let after: Decision
      try {
        const kase = rebuildCase(row)
        before = policies.decide(kase, row.policyVersion === null ? {} : { version: row.policyVersion })
        after = draft.decide(kase)
      } catch (error) {
        skippedCount += 1
        if (skipped.length < MAX_SKIPPED_LISTED) {
          skipped.push({ claimId: row.id, reason: error instanceof Error ? error.message : String(error) })
        }
        continue
      }
      const diff = diffDecisions(row.id, before, after)
      if (diff?.payers.length) pending.push({ diff, before, after })
      else addClaimToTally(tally, diff)
      if (diff) {
        if (changes.length < input.limit) changes.push(diff)
        else truncated = true
      }
    }
    if (pending.length > 0) {
      const lines = await readCostLinesOf(
        db,
        pending.map((p) => p.diff.claimId),
      )
      for (const { diff, before, after } of pending) {
        addClaimToTally(
          tally,
          diff,
          shiftClaimCosts(lines.get(diff.claimId) ?? [], before.payers, after.payers),
        )
      }
    }
  }

  return {
    policy: { id: input.policyId, draftVersion: draft.document.version },
    range: { from: input.from ?? null, to: input.to ?? null },
    summary: summarizeTally(tally),
    changes,
    truncated,
    skipped,
    skippedCount,
    elapsedMs: clock() - started,
  }
}
