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
