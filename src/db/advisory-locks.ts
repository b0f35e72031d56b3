/**
 * PostgreSQL's advisory lock keys for the locks held for a transaction, all in one place so
 * no two share a number. Two kinds of work under one key wait on each other for nothing:
 * set-up and the models import once did.
 */
export const ADVISORY_LOCKS = {
  importUnits: 7_421_001,
  importModels: 7_421_002,
  importClaims: 7_421_003,
  setUp: 7_421_004,
} as const
