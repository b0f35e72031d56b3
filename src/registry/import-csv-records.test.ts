import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import { CsvRecordSplitter, isCsvSyntaxError, MOST_RECORD_CHARACTERS } from './import-csv-records.ts'

/** What csv-parse makes of the text with the options the import used to give it. */
function parseWithLibrary(text: string): Array<[string[], number]> {
  const records = parse(text, {
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>
  return records.map(({ record, info }) => [record, info.lines])
}

/** The splitter fed `text` in pieces of `size` characters (0: all at once). */
function split(text: string, size = 0): Array<[string[], number]> {
  const out: Array<[string[], number]> = []
  const splitter = new CsvRecordSplitter((fields, line) => out.push([fields, line]))
  if (size === 0) splitter.push(text)
  else for (let at = 0; at < text.length; at += size) splitter.push(text.slice(at, at + size))
  splitter.end()
  return out
}

const TRICKY: Array<[string, string]> = [
  ['plain LF', 'a,b,c\n1,2,3\n4,5,6\n'],
  ['no final newline', 'a,b,c\n1,2,3\n4,5,6'],
  ['CRLF', 'a,b,c\r\n1,2,3\r\n4,5,6\r\n'],
  ['BOM', '\ufeffserial,model\nX-1,Ares-M PRO\n'],
  ['empty trailing fields', 'a,b,c\n1,,\n,,\n'],
  ['blank and whitespace-only lines', 'a,b\n\n  \n\t\n1,2\n\n'],
  ['spaces around fields', ' a , b \n 1 ,\t2\t\n'],
  ['quoted field with comma', 'a,b\n"Ares, M",2\n3,4\n'],
  ['escaped quotes', 'a,b\n"say ""hi""",2\n'],
  ['quoted field over two lines', 'a,b\n"line one\nline two",2\n3,4\n'],
  ['quoted field over three lines', 'a,b\n"1\n2\n3",x\ny,z\n'],
  ['quoted empty field and spaces', 'a,b\n"" , "2"\n'],
  ['quote at the end of the file', 'a,b\n1,"2"'],
  ['non-ASCII', 'a,b\n星特朗,Ø\n"é, è",ü\n'],
  ['bare CR line ends', 'a,b\r1,2\r3,4\r'],
  ['short and long rows', 'a,b,c\n1,2\n1,2,3,4\n'],
]

describe('CSV record splitter', () => {
  for (const [name, text] of TRICKY) {
    test(`gives the records and lines csv-parse gives: ${name}`, () => {
      const expected = parseWithLibrary(text)
      for (const size of [0, 1, 2, 3, 5, 8])
        assert.deepEqual(split(text, size), expected, `pieces of ${size}`)
    })
  }

  test('numbers physical lines where csv-parse counts a CRLF inside quotes twice', () => {
    const text = 'a,b\r\n"1\r\n2",3\r\n4,5\r\n'
    assert.deepEqual(
      split(text).map(([fields]) => fields),
      parseWithLibrary(text).map(([fields]) => fields),
    )
    assert.deepEqual(
      split(text).map(([, line]) => line),
      [1, 3, 4],
    )
  })

  test('a stray quote is refused as csv-parse refuses it', () => {
    assert.throws(
      () => split('a,b\nx"y,1\n'),
      (error: Error & { code?: string }) => {
        return error.code === 'INVALID_OPENING_QUOTE' && error.message.includes('line 2')
      },
    )
  })

  test('an unclosed quote is refused at the end of the file', () => {
    assert.throws(
      () => split('a,b\n"open,1\n2,3\n'),
      (error: Error & { code?: string }) => {
        return error.code === 'CSV_QUOTE_NOT_CLOSED'
      },
    )
  })

  test('a record longer than the bound is refused on the line it starts, before it is read whole', () => {
    const long = 'x'.repeat(MOST_RECORD_CHARACTERS + 1)
    for (const [text, line] of [
      [`a,b\n1,2\n${long},3\n4,5\n`, 3],
      // A quote never closed takes every line after it into one record.
      [`a,b\n"open,1\n${'2,3\n'.repeat(MOST_RECORD_CHARACTERS / 4 + 1)}`, 2],
    ] as const) {
      assert.throws(
        () => split(text, 65536),
        (error: Error & { code?: string; line?: number }) =>
          error.code === 'CSV_RECORD_TOO_LONG' && error.line === line && isCsvSyntaxError(error),
      )
    }
    const atTheBound = `${'y'.repeat(MOST_RECORD_CHARACTERS - 2)},z`
    assert.deepEqual(split(`a,b\n${atTheBound}\n`, 65536), [
      [['a', 'b'], 1],
      [atTheBound.split(','), 2],
    ])
  })
})
