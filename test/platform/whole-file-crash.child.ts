/**
 * Run by whole-file-crash.test.ts: opens the file given as `export --out` does, writes half of
 * it, says so on stdout and waits there; the test kills it, or asks another writer meanwhile.
 */
import { openWholeFile } from '../../src/shared/whole-file.ts'

const [file = ''] = process.argv.slice(2)
const target = openWholeFile(file, (error) => (error instanceof Error ? error : new Error(String(error))))
target.stream.write('serial,model\nHALF-', () => {
  process.stdout.write('half written\n')
})
setInterval(() => {}, 60_000)
