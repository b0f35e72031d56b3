// The policy library and what loads it from documents already validated, apart from the
// parsing and validation of policy files (load-policies.ts): a command that finds every
// document kept (see kept-documents.ts) starts without the YAML and validation libraries.
import fs from 'node:fs'
import path from 'node:path'
import type { WarrantyCase } from '../contracts/case.ts'
import { parseDay } from '../shared/day-numbers.ts'
import { AppError } from '../shared/errors.ts'
import { type CompiledPolicy, compilePolicy } from './domain/compile-policy.ts'
import type { PolicyDocument } from './domain/policy-format.ts'
import { bundleKeptDocuments, type KeptDocuments } from './kept-documents.ts'
import type { PolicyLibrary, PolicySummary, ServiceLevels } from './policy-library.ts'

/** The policies that ship with the project. */
export const SHIPPED_POLICIES_DIR = path.resolve(import.meta.dirname, '../../policies')

/** One loaded policy version. */
export interface LoadedPolicy {
  compiled: CompiledPolicy
  summary: PolicySummary
  source: string
  file: string
}

/** The policy files (`*.yaml`, `*.yml`) of a folder, in name order. */
export function listPolicyFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => path.join(dir, name))
}

function summarize(document: PolicyDocument): PolicySummary {
  return {
    id: document.id,
    version: document.version,
    title: document.title,
    effectiveFrom: document.effectiveFrom,
    effectiveTo: document.effectiveTo,
    timeZone: document.timeZone,
    currency: document.currency,
    language: document.language,
    translations: document.translations ?? {},
  }
}

function serviceLevelsOf(document: PolicyDocument): ServiceLevels {
  const levels: ServiceLevels = { calendar: document.calendar, timeZone: document.timeZone, targets: [] }
  for (const clause of document.clauses) {
    if (clause.kind === 'support-hours') {
      levels.supportHours = { from: clause.from, to: clause.to, everyDay: clause.everyDay }
    } else if (clause.kind === 'service-level') {
      levels.targets.push({
        clock: clause.clock,
        clause: `${document.id}#${clause.key}`,
        text: clause.text,
        startOn: clause.startOn,
        stopOn: [...clause.stopOn],
        amount: clause.amount,
        unit: clause.unit,
        ...(clause.brand === undefined ? {} : { brand: clause.brand }),
      })
    }
  }
  return levels
}

/** The date a case's unit was sold, for choosing the version in force. */
const saleDateOf = (input: WarrantyCase): string =>
  input.purchase.purchasedOn ?? input.purchase.shippedOn ?? input.purchase.deliveredOn ?? input.claimedOn

/** Builds a library from loaded policies; a later one with the same id and version replaces an earlier. */
export function createPolicyLibrary(
  loaded: LoadedPolicy[],
): PolicyLibrary & { policy(id: string, version?: string): LoadedPolicy | undefined } {
  const byId = new Map<string, LoadedPolicy[]>()
  for (const entry of loaded) {
    const versions = (byId.get(entry.summary.id) ?? []).filter(
      (v) => v.summary.version !== entry.summary.version,
    )
    versions.push(entry)
    // Oldest first, so the last one is the latest.
    versions.sort((a, b) => parseDay(a.summary.effectiveFrom) - parseDay(b.summary.effectiveFrom))
    byId.set(entry.summary.id, versions)
  }

  const find = (id: string, version?: string): LoadedPolicy | undefined => {
    const versions = byId.get(id)
    if (versions === undefined) return undefined
    if (version === undefined) return versions[versions.length - 1]
    return versions.find((v) => v.summary.version === version)
  }

  const inForce = (id: string, soldOn: string): LoadedPolicy | undefined => {
    const versions = byId.get(id)
    if (versions === undefined) return undefined
    if (versions.length === 1) {
      const only = versions[0]!
      return covers(only, parseDay(soldOn)) ? only : undefined
    }
    // A newer version supersedes an open-ended older one from its own start date.
    const day = parseDay(soldOn)
    return versions.findLast((v) => covers(v, day))
  }

  const engineFor = (input: WarrantyCase, options?: { version?: string }): CompiledPolicy => {
    const versions = byId.get(input.policy)
    if (versions === undefined) {
      throw new AppError(
        'not-found',
        { key: 'policies.no-policy-named', params: { policy: input.policy } },
        { field: 'policy' },
      )
    }
    let entry: LoadedPolicy | undefined
    const version = options?.version
    if (version !== undefined) {
      entry = find(input.policy, version)
      if (entry === undefined) {
        throw new AppError(
          'not-found',
          { key: 'policies.no-version', params: { version, policy: input.policy } },
          {
            field: 'version',
          },
        )
      }
    } else if (versions.length === 1) {
      entry = versions[0]!
    } else {
      entry = inForce(input.policy, saleDateOf(input)) ?? versions[versions.length - 1]!
    }
    return entry.compiled
  }

  return {
    policy: find,
    list: () => [...byId.values()].flatMap((versions) => versions.map((v) => v.summary)),
    source: (id, version) => find(id, version)?.source,
    summary: (id, version) => find(id, version)?.summary,
    versionInForce: (id, soldOn) => inForce(id, soldOn)?.summary,
    parcelNotes: (id, version) =>
      (find(id, version)?.compiled.document.clauses ?? []).flatMap((clause) =>
        clause.kind === 'note' && clause.showOn === 'return-parcel'
          ? [{ text: clause.text, translations: clause.translations ?? {} }]
          : [],
      ),
    serviceLevels: (id, version) => {
      const entry = find(id, version)
      return entry === undefined ? undefined : serviceLevelsOf(entry.compiled.document)
    },
    engineFor,
    decide: (input, options) => engineFor(input, options).decide(input),
  }
}

function covers(entry: LoadedPolicy, day: number): boolean {
  const { effectiveFrom, effectiveTo } = entry.summary
  return parseDay(effectiveFrom) <= day && (effectiveTo === null || day <= parseDay(effectiveTo))
}

/** Validated documents kept beside the command line's bundle (none when the sources run as they are). */
export const bundleKept = bundleKeptDocuments()

/** A policy version from its file, its text and its validated document. */
export const loadedPolicy = (file: string, source: string, document: PolicyDocument): LoadedPolicy => ({
  compiled: compilePolicy(document),
  summary: summarize(document),
  source,
  file,
})

/**
 * Every policy file of the given folders, in folder order then name order, each with the
 * document `documentOf` gives for its text; later folders override earlier ones in the
 * library. A missing folder is refused.
 */
export function loadPolicyFolders(
  dirs: string[],
  documentOf: (file: string, source: string) => PolicyDocument,
): ReturnType<typeof createPolicyLibrary> {
  const loaded: LoadedPolicy[] = []
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) {
      throw new AppError('validation', { key: 'policies.no-folder', params: { dir } }, { field: 'policies' })
    }
    for (const file of listPolicyFiles(dir)) {
      const source = fs.readFileSync(file, 'utf8')
      loaded.push(loadedPolicy(file, source, documentOf(file, source)))
    }
  }
  return createPolicyLibrary(loaded)
}

/**
 * The library of the given folders when every policy file in them has its document kept;
 * undefined when one has not, for `loadPolicyLibrary` to read and validate.
 */
export function keptPolicyLibrary(
  dirs: string[] = [SHIPPED_POLICIES_DIR],
  kept: KeptDocuments | undefined = bundleKept,
): ReturnType<typeof createPolicyLibrary> | undefined {
  if (kept === undefined) return undefined
  try {
    return loadPolicyFolders(dirs, (_file, source) => kept.get(source) ?? notKept())
  } catch (error) {
    if (error === NOT_KEPT) return undefined
    throw error
  }
}

const NOT_KEPT = Symbol('not kept')
const notKept = (): never => {
  throw NOT_KEPT
}
