// Seeds the demo once for a test run's browser files (see test/browser/demo-template.ts).
import { writeDemoTemplate } from '../test/browser/demo-template.ts'

const dir = process.argv[2]
if (!dir) {
  console.error('usage: seed-demo-template.ts <folder>')
  process.exit(2)
}
await writeDemoTemplate(dir)
