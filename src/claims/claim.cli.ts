import type { Command } from 'commander'

/** Command-line commands of the claims feature. */
export function registerClaimCommands(_program: Command): void {}
