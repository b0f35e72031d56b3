import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { PolicyDocument } from './domain/policy-format.ts'

/**
 * Policy documents already validated, kept by the text of their file. Reading YAML and
 * checking it against the policy format took a command 170 ms of its 0.5 s start (the
 * five shipped files, in a fresh process); reading a kept document back takes under 1 ms.
 */
export interface KeptDocuments {
  get(source: string): PolicyDocument | undefined
  keep(source: string, document: PolicyDocument): void
}

/**
 * Set by the command line's bundler to the bundle's own folder; undefined when the sources
 * run as they are. A document is only as valid as the code that checked it, and a bundle is
 * made anew whenever any source changes, so documents are kept inside the bundle that
 * checked them and leave with it.
 */
declare const AFTERCARE_BUNDLE_DIR: string | undefined

/** The documents kept beside the running bundle; undefined when the sources run as they are. */
export function bundleKeptDocuments(): KeptDocuments | undefined {
  return typeof AFTERCARE_BUNDLE_DIR === 'string'
    ? createKeptDocuments(path.join(AFTERCARE_BUNDLE_DIR, 'policy-documents'))
    : undefined
}

/**
 * Documents kept in `dir`, one JSON file each, named by a hash of the policy file's text: a
 * file whose text changed is validated again. Keeping is best effort (a folder the user
 * cannot write to keeps nothing), and what cannot be read back whole is read from the
 * policy file instead.
 */
export function createKeptDocuments(dir: string): KeptDocuments {
  const fileOf = (source: string): string =>
    path.join(dir, `${crypto.createHash('sha256').update(source).digest('hex')}.json`)
  return {
    get(source) {
      try {
        const document: unknown = JSON.parse(fs.readFileSync(fileOf(source), 'utf8'))
        return looksLikeDocument(document) ? document : undefined
      } catch {
        // None kept, or not whole.
        return undefined
      }
    },
    keep(source, document) {
      const file = fileOf(source)
      // Written aside and renamed: a process reading meanwhile finds the whole file or none.
      const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`
      try {
        fs.mkdirSync(dir, { recursive: true })
        fs.writeFileSync(temporary, JSON.stringify(document))
        fs.renameSync(temporary, file)
      } catch {
        try {
          fs.rmSync(temporary, { force: true })
        } catch {
          // Nothing was written where nothing can be.
        }
      }
    },
  }
}

/** The outline of a validated document, against a kept file that is not one (cut short, or edited by hand). */
function looksLikeDocument(value: unknown): value is PolicyDocument {
  if (typeof value !== 'object' || value === null) return false
  const document = value as Partial<Record<keyof PolicyDocument, unknown>>
  return (
    typeof document.id === 'string' &&
    typeof document.version === 'string' &&
    typeof document.effectiveFrom === 'string' &&
    Array.isArray(document.clauses)
  )
}
