/** What the registry exports as CSV; kept apart from the export so the command line names them without loading it. */
export const EXPORT_KINDS = ['units', 'customers', 'dealers'] as const
export type ExportKind = (typeof EXPORT_KINDS)[number]
