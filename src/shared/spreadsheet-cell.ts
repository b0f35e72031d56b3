/**
 * A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return
 * first) is kept as text by a leading apostrophe: a CSV we write is opened in spreadsheets,
 * and a cell taken from someone's upload must not run there. A cell that already starts with
 * apostrophes before such a character gets one more, so that the import, which takes one
 * off, reads back the value as it was (`'+86 …` stays `'+86 …`, not `+86 …`).
 */
export const spreadsheetSafe = (value: string): string => (/^'*[=+\-@\t\r]/.test(value) ? `'${value}` : value)
