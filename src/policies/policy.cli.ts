import type { Command } from 'commander'

/** Command-line commands of the policies feature. */
export function registerPolicyCommands(_program: Command): void {}
