import type { Command } from 'commander'

/** Command-line commands of the auth feature. */
export function registerAuthCommands(_program: Command): void {}
