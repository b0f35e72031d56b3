import type { Command } from 'commander'

/*
 * The command groups of the command line, in one place for the program and for the test
 * that runs every command's flags under generated junk, so a new group is tried there too.
 */

export type Registrar = (program: Command) => void

// Each command group is loaded only when one of its commands runs: `decide` must not pay
// for the HTTP server, database drivers, PDF and mail modules before deciding anything.
const loadServer = async (): Promise<Registrar> => (await import('./server.cli.ts')).registerServerCommands
const loadPolicies = async (): Promise<Registrar> =>
  (await import('../policies/policy.cli.ts')).registerPolicyCommands
const loadRegistry = async (): Promise<Registrar> =>
  (await import('../registry/registry.cli.ts')).registerRegistryCommands
const loadAuth = async (): Promise<Registrar> => (await import('../auth/auth.cli.ts')).registerAuthCommands
const loadClaims = async (): Promise<Registrar> =>
  (await import('../claims/claim.cli.ts')).registerClaimCommands
const loadSla = async (): Promise<Registrar> => (await import('../sla/sla.cli.ts')).registerSlaCommands
const loadNotify = async (): Promise<Registrar> =>
  (await import('../notify/notify.cli.ts')).registerNotifyCommands
const loadSetup = async (): Promise<Registrar> =>
  (await import('../setup/setup.cli.ts')).registerSetupCommands
const loadReports = async (): Promise<Registrar> =>
  (await import('../reports/report.cli.ts')).registerReportCommands
const loadReliability = async (): Promise<Registrar> =>
  (await import('../reliability/reliability.cli.ts')).registerReliabilityCommands
const loadRecoveries = async (): Promise<Registrar> =>
  (await import('../recoveries/recovery.cli.ts')).registerRecoveryCommands

export const GROUP_OF_COMMAND: Record<string, () => Promise<Registrar>> = {
  migrate: loadServer,
  serve: loadServer,
  start: loadServer,
  backup: loadServer,
  restore: loadServer,
  decide: loadPolicies,
  policy: loadPolicies,
  import: loadRegistry,
  export: loadRegistry,
  units: loadRegistry,
  user: loadAuth,
  audit: loadClaims,
  claims: loadClaims,
  simulate: loadReports,
  sla: loadSla,
  outbox: loadNotify,
  reliability: loadReliability,
  'reliability-warnings': loadReliability,
  recoveries: loadRecoveries,
  init: loadSetup,
  settings: loadSetup,
}
export const ALL_GROUPS = [
  loadServer,
  loadPolicies,
  loadRegistry,
  loadAuth,
  loadClaims,
  loadSla,
  loadNotify,
  loadReports,
  loadReliability,
  loadRecoveries,
  loadSetup,
]
