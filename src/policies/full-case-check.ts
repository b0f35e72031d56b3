import { caseSchema, type WarrantyCase } from '../contracts/case.ts'
import { parseOrThrow } from '../shared/validate.ts'

/** A case checked against `caseSchema`, the reference: errors name the field as Zod has it, after `where`. */
export const fullCaseCheck = (raw: unknown, where: string): WarrantyCase =>
  parseOrThrow(caseSchema, raw, where)
