/**
 * A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return
 * first) is kept as text by a leading apostrophe: a CSV we write is opened in spreadsheets,
 * and a cell taken from someone's upload must not run there.
 */
export const spreadsheetSafe = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value)
