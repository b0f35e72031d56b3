// The command line runs from a bundle of its TypeScript sources that esbuild makes in
// `.build/` whenever the sources changed, so a checkout still needs no build step of its
// own. Through tsx's loader every process paid for a loader thread (about 50 MB of a
// server's memory) and a round trip to it per module (about 0.3 s of every start).
//
// Bundles are kept by a stamp of the sources (the newest change, the number of files and
// their bytes); a pointer file names the current one and is replaced atomically, so
// processes that start while another builds each see a whole bundle, never half of one.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '..')
/**
 * Bundles made longer ago than this are removed when a new one is made. A process loads all
 * its chunks as it starts (only command groups are loaded lazily, at start too), so a
 * server still running from an old bundle does not need it on disk.
 */
const KEEP_OLD_MS = 60 * 60 * 1000

/**
 * The newest change under `dir` (files and folders, so a removal or rename counts), how many
 * TypeScript files it holds (the sources import nothing else of their own) and their bytes.
 * The bytes catch an edit made within the same tick of the file system's clock as the last
 * bundle (timestamps advance by a few milliseconds at a time), which the time alone misses.
 */
function sourceState(dir) {
  let newest = fs.statSync(dir).mtimeMs
  let files = 0
  let bytes = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      const inner = sourceState(full)
      newest = Math.max(newest, inner.newest)
      files += inner.files
      bytes += inner.bytes
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      const stat = fs.statSync(full)
      newest = Math.max(newest, stat.mtimeMs)
      files++
      bytes += stat.size
    }
  }
  return { newest, files, bytes }
}

/** The entry of the bundle made from the sources as they are now, or undefined when there is none. */
function currentBundle(buildDir, stamp) {
  try {
    const pointer = JSON.parse(fs.readFileSync(path.join(buildDir, POINTER), 'utf8'))
    if (pointer.stamp !== stamp) return undefined
    const entry = path.join(buildDir, pointer.dir, 'main.js')
    return fs.existsSync(entry) ? entry : undefined
  } catch {
    return undefined
  }
}

/** Errors that mean the project folder cannot hold a bundle. */
const CANNOT_WRITE = new Set(['EACCES', 'EPERM', 'EROFS', 'EEXIST', 'ENOTDIR'])

/** The pointer to the current bundle, inside the build folder. */
const POINTER = 'cli-current.json'

async function build(sources, buildDir, stamp) {
  const esbuild = await import('esbuild')
  const dir = `cli-${Date.now().toString(36)}-${crypto.randomBytes(4).toString('hex')}`
  await esbuild.build({
    entryPoints: [path.join(sources, 'cli', 'main.ts')],
    bundle: true,
    // Command groups stay in chunks of their own, loaded only when one of their commands runs.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: path.join(buildDir, dir),
    sourcemap: 'linked',
    logLevel: 'error',
    // The bundle's own folder, where it keeps what it validated (see kept-documents.ts).
    define: { AFTERCARE_BUNDLE_DIR: JSON.stringify(path.join(buildDir, dir)) },
    plugins: [sourceFolders],
  })
  const pointer = path.join(buildDir, POINTER)
  const temporary = `${pointer}.${process.pid}`
  fs.writeFileSync(temporary, JSON.stringify({ stamp, dir }))
  fs.renameSync(temporary, pointer)
  removeOldBundles(buildDir, dir)
  return path.join(buildDir, dir, 'main.js')
}

/**
 * Sources find their data (policies, the web app) beside themselves; in a bundle they
 * would look beside the bundle, so each source's own folder is written in as text.
 */
const sourceFolders = {
  name: 'source-folders',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => {
      let contents = await fs.promises.readFile(args.path, 'utf8')
      if (contents.includes('import.meta.')) {
        contents = contents
          .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
          .replaceAll('import.meta.filename', JSON.stringify(args.path))
      }
      return { contents, loader: 'ts' }
    })
  },
}

function removeOldBundles(buildDir, keep) {
  for (const entry of fs.readdirSync(buildDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('cli-') || entry.name === keep) continue
    const full = path.join(buildDir, entry.name)
    try {
      if (Date.now() - fs.statSync(full).mtimeMs > KEEP_OLD_MS)
        fs.rmSync(full, { recursive: true, force: true })
    } catch {
      // Another process removed it first.
    }
  }
}

/**
 * The module to run the command line from: the bundle of `<root>/src/cli/main.ts`, made
 * first when the sources have changed; undefined when it cannot be made (the caller then
 * runs the sources through tsx).
 */
export async function cliBundle(root = ROOT) {
  const sources = path.join(root, 'src')
  if (process.env.AFTERCARE_FROM_SOURCE === '1' || !fs.existsSync(sources)) return undefined
  const { newest, files, bytes } = sourceState(sources)
  const stamp = `${newest}:${files}:${bytes}`
  const buildDir = path.join(root, '.build')
  const ready = currentBundle(buildDir, stamp)
  if (ready !== undefined) return ready
  try {
    fs.mkdirSync(buildDir, { recursive: true })
  } catch (error) {
    // An installation the user cannot write to (a system-wide one) runs the sources: the
    // bundle must sit in the project, where its imports find the project's packages.
    if (CANNOT_WRITE.has(error.code)) return undefined
    throw error
  }
  try {
    return await build(sources, buildDir, stamp)
  } catch (error) {
    // esbuild has printed the errors themselves above.
    process.stderr.write(
      `Could not bundle the command line (${error.message.split('\n')[0]}); running the sources.\n`,
    )
    return undefined
  }
}
