// npm run build:web: builds the web app into a folder of its own and switches web/dist to it
// (see src/app/build-web.ts), so a server running from this checkout never serves half a build.
import { buildWeb } from '../src/app/build-web.ts'

if (!(await buildWeb())) {
  console.error('The web app did not build.')
  process.exit(1)
}
