import type { z } from 'zod'
import type { Actor } from '../auth/index.ts'
import type { Finding, Inspection } from '../contracts/case.ts'
import type { AppContext } from '../shared/app-context.ts'
import type { inspectionBody } from './claim.schemas.ts'
import { findPackageContents } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { runClaimTransition } from './claim-transition.ts'

export type InspectionInput = z.output<typeof inspectionBody>

const key = (s: string) => s.trim().toLowerCase()

/**
 * The contract's inspection from what the bench saw: a serial that differs from the claim
 * is `serial-mismatch` (seed 003 2.4), a broken seal is `seal-broken` (seed 000 "warranty
 * stickers are lost or changed"), standard contents not received are `missingItems`
 * (seed 001 "If a component or accessory is missing, we will ask you to pay for it").
 */
export function toContractInspection(
  claimSerial: string,
  contents: readonly string[],
  input: InspectionInput,
): Inspection {
  const findings = new Set<Finding>(input.findings)
  if (key(input.serialSeen) !== key(claimSerial)) findings.add('serial-mismatch')
  if (!input.sealsIntact) findings.add('seal-broken')
  const received = new Set(input.contentsReceived.map(key))
  return {
    faultConfirmed: input.faultConfirmed,
    manufacturingDefect: input.manufacturingDefect,
    findings: [...findings],
    missingItems: contents.filter((item) => !received.has(key(item))),
    ...(input.faultCausedBy === undefined ? {} : { faultCausedBy: [...input.faultCausedBy] }),
  }
}

export function recordInspection(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
  input: InspectionInput,
): Promise<ClaimsTable> {
  return runClaimTransition(ctx, actor, claimId, 'record-inspection', version, async ({ trx, claim }) => {
    const contents = claim.model ? await findPackageContents(trx, claim.model) : []
    const inspection = toContractInspection(claim.serial, contents, input)
    return {
      data: {
        inspection,
        bench: {
          serialSeen: input.serialSeen,
          sealsIntact: input.sealsIntact,
          packaging: input.packaging,
          contentsReceived: input.contentsReceived,
          ...(input.notes ? { notes: input.notes } : {}),
        },
      },
    }
  })
}
