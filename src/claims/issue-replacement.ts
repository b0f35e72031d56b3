import type { z } from 'zod'
import type { Actor } from '../auth/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import type { replacementBody } from './claim.schemas.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { runClaimTransition } from './claim-transition.ts'
import { registerReplacementUnit } from './register-claimed-unit.ts'

/** Seed 000: "ToupTek will provide free replacement service"; the new serial is linked to the old as replaced-by. */
export function issueReplacement(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
  input: z.output<typeof replacementBody>,
): Promise<ClaimsTable> {
  return runClaimTransition(ctx, actor, claimId, 'issue-replacement', version, ({ claim, at }) => {
    if (input.newSerial.trim() === claim.serial) {
      throw new AppError(
        'validation',
        { key: 'claims.replacement.same-serial', params: { field: 'newSerial' } },
        {
          field: 'newSerial',
        },
      )
    }
    const newSerial = input.newSerial.trim()
    return {
      data: { oldSerial: claim.serial, newSerial, ...(input.note ? { note: input.note } : {}) },
      write: (trx) => registerReplacementUnit(trx, claim.serial, newSerial, at),
    }
  })
}
