import fs from 'node:fs'
import path from 'node:path'
import type { PolicyDocument } from './domain/policy-format.ts'
import type { KeptDocuments } from './kept-documents.ts'
import {
  type PolicyFileError,
  parsePolicyFile,
  policyFileError,
  repeatedVersionError,
  sameStartError,
} from './parse-policy-file.ts'
import {
  bundleKept,
  type LoadedPolicy,
  loadedPolicy,
  loadPolicyFolders,
  SHIPPED_POLICIES_DIR,
} from './policy-files.ts'

export {
  createPolicyLibrary,
  keptPolicyLibrary,
  type LoadedPolicy,
  listPolicyFiles,
  SHIPPED_POLICIES_DIR,
} from './policy-files.ts'

/**
 * Reads, validates and compiles one policy file; throws AppError('validation') naming file,
 * line and field. A document validated earlier from the same text is taken from `kept`.
 */
export function loadPolicyFile(file: string, kept: KeptDocuments | undefined = bundleKept): LoadedPolicy {
  const source = fs.readFileSync(file, 'utf8')
  return loadedPolicy(file, source, documentOf(file, source, kept))
}

/** Loads and compiles every policy file in the given folders; later folders override earlier ones. */
export function loadPolicyLibrary(
  dirs: string[] = [SHIPPED_POLICIES_DIR],
  kept: KeptDocuments | undefined = bundleKept,
) {
  const given = new Map<string, string>()
  const repeated: PolicyFileError[] = []
  const library = loadPolicyFolders(dirs, (file, source) => {
    const document = documentOf(file, source, kept)
    const policy = `${document.id}@${document.version}`
    const key = `${path.dirname(file)}\u0000${policy}`
    const earlier = given.get(key)
    // The same file again is the same folder named twice, not a second file.
    if (earlier !== undefined && earlier !== file)
      repeated.push(repeatedVersionError(source, file, policy, earlier))
    else given.set(key, file)
    return document
  })
  const refused = [...repeated, ...sameStartErrors(library)]
  if (refused.length > 0) throw policyFileError(refused)
  return library
}

/**
 * Versions of one policy starting on the same day: which governs a sale that day would follow
 * the order the files were read in, so the later one is refused.
 */
function sameStartErrors(library: ReturnType<typeof loadPolicyFolders>): PolicyFileError[] {
  const firstOn = new Map<string, string>()
  const errors: PolicyFileError[] = []
  for (const { id, version, effectiveFrom } of library.list()) {
    const key = `${id}\u0000${effectiveFrom}`
    const earlier = firstOn.get(key)
    if (earlier === undefined) {
      firstOn.set(key, version)
      continue
    }
    const loaded = library.policy(id, version)
    if (loaded !== undefined)
      errors.push(sameStartError(loaded.source, loaded.file, effectiveFrom, `${id}@${earlier}`))
  }
  return errors
}

/** The document of a policy file's text: kept, or validated now (and kept). */
function documentOf(file: string, source: string, kept: KeptDocuments | undefined): PolicyDocument {
  const document = kept?.get(source)
  if (document !== undefined) return document
  const parsed = parsePolicyFile(source, file)
  if (!parsed.ok) throw policyFileError(parsed.errors)
  kept?.keep(source, parsed.document)
  return parsed.document
}
