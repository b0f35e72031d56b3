/** Tables owned by the registry feature. Filled in by the feature. */
// biome-ignore lint/complexity/noBannedTypes: placeholder until the feature defines its tables
export type RegistryTables = {}
