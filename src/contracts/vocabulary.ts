/**
 * The contract's closed vocabularies as plain constants, free of any library, so the web
 * app can offer the same choices without bundling the validation schemas.
 */
export const PART_KINDS = ['host', 'main-accessory', 'accessory', 'consumable'] as const
export const CHANNELS = ['direct', 'dealer'] as const
export const BRANDS = ['own', 'agent'] as const
export const SHIPPERS = ['vendor', 'dealer'] as const
export const PROBLEM_KINDS = [
  'malfunction',
  'arrived-damaged',
  'not-as-described',
  'software-upgrade',
] as const
export const PREFERENCES = ['repair', 'replace', 'refund'] as const
export const EVIDENCE_KINDS = [
  'package-photos',
  'shipping-slip',
  'defect-media',
  'serial-photo',
  'delivery-receipt',
  'carrier-report',
] as const
export const FINDINGS = [
  'liquid-damage',
  'foreign-matter',
  'physical-damage',
  'unauthorized-disassembly',
  'unauthorized-modification',
  'unauthorized-firmware',
  'malware',
  'seal-broken',
  'serial-tampered',
  'serial-mismatch',
  'improper-installation',
  'improper-use',
  'improper-power',
  'force-majeure',
  'return-transit-damage',
] as const

/** Exclusion codes other than findings (ADJUDICATION.md, Decision: exclusions). */
export const EXCLUSION_CODES_BEYOND_FINDINGS = [
  'expired',
  'no-proof-of-purchase',
  'no-warranty-card',
  'second-hand',
  'out-of-scope',
  'no-fault-found',
  'not-manufacturing-defect',
  'incomplete-return',
  'window-missed',
  'not-served',
  'inconsistent-dates',
] as const

/** The decision's vocabularies, fixed by `shared/contracts/decision.schema.json`. */
export const BASES = [
  'doa',
  'transport-damage',
  'early-failure',
  'not-as-described',
  'warranty',
  'extended-warranty',
  'none',
] as const
export const REMEDIES = [
  'repair',
  'replace',
  'refund',
  'remote-fix',
  'software-upgrade',
  'paid-repair',
] as const
export const PARTIES = ['vendor', 'dealer', 'manufacturer', 'customer'] as const
export const HANDLERS = ['vendor', 'dealer', 'manufacturer'] as const
export const COSTS = [
  'parts',
  'labour',
  'inbound-shipping',
  'return-shipping',
  'missing-items',
  'duties',
] as const
export const SERVICE_MODES = ['mail-in', 'pickup', 'on-site'] as const
/** How a clause weighed in a decision (ADJUDICATION.md, trace). */
export const OUTCOMES = ['applies', 'overridden', 'not-met'] as const

/** The product's languages: the language a policy's words are in, or translated into. */
export const LANGUAGES = ['en', 'zh'] as const

/** At most 99 years, counting a month as 1/12 year and a day as 1/366 (so P1188M and P36234D pass). */
export const MAX_TERM_DAYS = 99 * 366
export const termDays = (value: string): number => {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(value)
  if (match === null) return Number.NaN
  return Number(match[1] ?? 0) * 366 + Number(match[2] ?? 0) * 30.5 + Number(match[3] ?? 0)
}
