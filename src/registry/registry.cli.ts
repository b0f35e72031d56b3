import type { Command } from 'commander'

/** Command-line commands of the registry feature. */
export function registerRegistryCommands(_program: Command): void {}
