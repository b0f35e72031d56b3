import fs from 'node:fs'
import { AppError } from '../shared/errors.ts'
import type { KeptDocuments } from './kept-documents.ts'
import { parsePolicyFile, policyFileError } from './parse-policy-file.ts'
import {
  bundleKept,
  createPolicyLibrary,
  type LoadedPolicy,
  listPolicyFiles,
  loadedPolicy,
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
  let document = kept?.get(source)
  if (document === undefined) {
    const parsed = parsePolicyFile(source, file)
    if (!parsed.ok) throw policyFileError(parsed.errors)
    document = parsed.document
    kept?.keep(source, document)
  }
  return loadedPolicy(file, source, document)
}

/** Loads and compiles every policy file in the given folders; later folders override earlier ones. */
export function loadPolicyLibrary(
  dirs: string[] = [SHIPPED_POLICIES_DIR],
  kept: KeptDocuments | undefined = bundleKept,
) {
  const loaded: LoadedPolicy[] = []
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) {
      throw new AppError('validation', { key: 'policies.no-folder', params: { dir } }, { field: 'policies' })
    }
    for (const file of listPolicyFiles(dir)) loaded.push(loadPolicyFile(file, kept))
  }
  return createPolicyLibrary(loaded)
}
