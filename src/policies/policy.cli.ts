import fs from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import type { WarrantyCase } from '../contracts/case.ts'
import { AppError } from '../shared/errors.ts'
import { operatorLanguage } from '../shared/messages/operator-language.ts'
import { cannotReadFile, echoed, withControlsEscaped } from '../shared/validate.ts'
import { type BatchOutput, createFileOutput, createStreamOutput } from './batch-output.ts'
import { type BatchInput, checkUtf8, decideBatch, fileInput } from './decide-batch.ts'
import { CHUNK_BYTES } from './decision-lines.ts'
import { checkVersion, FullCaseCheckNeeded, loadFullCaseCheck, parseCaseLine } from './parse-case-line.ts'
import { keptPolicyLibrary, SHIPPED_POLICIES_DIR } from './policy-files.ts'
import type { PolicyLibrary } from './policy-library.ts'

/** Shipped policies, then `AFTERCARE_POLICIES`, then `--policies DIR`: later folders override. */
export function policyDirs(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = [SHIPPED_POLICIES_DIR]
  if (env.AFTERCARE_POLICIES) dirs.push(path.resolve(env.AFTERCARE_POLICIES))
  if (flag !== undefined) dirs.push(path.resolve(flag))
  return dirs
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The policies of the shipped folder, `AFTERCARE_POLICIES` and `--policies DIR`: from the
 * documents kept when every file has one, else read and validated (which loads the YAML
 * and validation libraries, about 0.15 s of a command's start).
 */
async function policyLibrary(flag: string | undefined) {
  if (flag !== undefined && !isFolder(flag))
    throw new AppError(
      'validation',
      { key: 'policies.flag-no-folder', params: { field: '--policies', dir: echoed(flag) } },
      { field: '--policies' },
    )
  const dirs = policyDirs(flag)
  return keptPolicyLibrary(dirs) ?? (await import('./load-policies.ts')).loadPolicyLibrary(dirs)
}

/** One case, as `parseCaseLine` reads it, loading the full check when the case needs it. */
async function readCase(text: string, library: PolicyLibrary): Promise<WarrantyCase> {
  try {
    return parseCaseLine(text, library)
  } catch (error) {
    if (!(error instanceof FullCaseCheckNeeded)) throw error
    await loadFullCaseCheck()
    return parseCaseLine(text, library)
  }
}

function isFolder(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory()
  } catch {
    return false
  }
}

function readBytes(file: string): Buffer {
  try {
    return fs.readFileSync(file === '-' ? 0 : file)
  } catch (error) {
    throw cannotReadFile(file, error)
  }
}

/** A batch's input, read a piece at a time as it asks (see `BatchInput`). */
function batchInput(file: string): BatchInput {
  let input: BatchInput
  try {
    input = fileInput(file === '-' ? 0 : fs.openSync(file, 'r'))
  } catch (error) {
    throw cannotReadFile(file, error, '--batch')
  }
  return {
    reopens: input.reopens,
    open: () => {
      const read = input.open()
      return (into, at, length) => {
        try {
          return read(into, at, length)
        } catch (error) {
          // A folder opens, and says what it is when read.
          throw cannotReadFile(file, error, '--batch')
        }
      }
    },
  }
}

/** Reads a file as UTF-8 text (see `checkUtf8`). */
function readInput(file: string): string {
  const bytes = readBytes(file)
  checkUtf8(bytes)
  return strictUtf8.decode(bytes)
}

/** Standard output as a batch's output: a file is written on the thread pool, anything else through the stream. */
function batchOutput(): BatchOutput {
  let toFile = false
  try {
    toFile = fs.fstatSync(1).isFile()
  } catch {
    // No descriptor to ask about: the stream will say what is wrong when written to.
  }
  return toFile ? createFileOutput(1, CHUNK_BYTES) : createStreamOutput(process.stdout, CHUNK_BYTES)
}

function decideOne(library: PolicyLibrary, input: WarrantyCase, version: string | undefined) {
  if (version !== undefined) checkVersion(library, input.policy, version)
  return library.decide(input, version === undefined ? {} : { version })
}

/** Command-line commands of the policies feature. */
export function registerPolicyCommands(program: Command): void {
  program
    .command('decide')
    .description('Decide a warranty case (JSON file, or - for stdin), or a JSONL batch with --batch')
    .argument('[file]', 'case as JSON, - for stdin')
    .option('--batch <file>', 'one case per line (JSONL); one decision per line out')
    .option('--policies <dir>', 'extra folder of policy files')
    .option('--policy-version <version>', 'decide by this policy version instead of the one in force')
    .action(
      async (
        file: string | undefined,
        options: { batch?: string; policies?: string; policyVersion?: string },
      ) => {
        const library = await policyLibrary(options.policies)
        if (options.batch !== undefined) {
          return decideBatch(batchInput(options.batch), library, options.policyVersion, batchOutput())
        }
        if (file === undefined)
          throw new AppError(
            'validation',
            { key: 'policies.decide-needs-file', params: { field: 'file', batch: '--batch FILE' } },
            {
              field: 'file',
            },
          )
        const decision = decideOne(library, await readCase(readInput(file), library), options.policyVersion)
        process.stdout.write(`${JSON.stringify(decision, null, 2)}\n`)
      },
    )

  const policy = program.command('policy').description('Warranty policies: list, show, check')

  policy
    .command('list')
    .description('List loaded policies and their versions')
    .option('--policies <dir>', 'extra folder of policy files')
    .action(async (options: { policies?: string }) => {
      const library = await policyLibrary(options.policies)
      for (const s of library.list()) {
        process.stdout.write(`${s.id}@${s.version}\t${s.effectiveFrom}..${s.effectiveTo ?? ''}\t${s.title}\n`)
      }
    })

  policy
    .command('show')
    .description('Print the source of a policy (latest version, or --policy-version)')
    .argument('<id>', 'policy id')
    .option('--policy-version <version>', 'a named version')
    .option('--policies <dir>', 'extra folder of policy files')
    .action(async (id: string, options: { policies?: string; policyVersion?: string }) => {
      const library = await policyLibrary(options.policies)
      const summary = library.summary(id, options.policyVersion)
      if (summary === undefined)
        throw new AppError(
          'validation',
          {
            key: 'policies.show-unknown',
            params: {
              field: 'id',
              policy: `${echoed(id)}${options.policyVersion ? `@${echoed(options.policyVersion)}` : ''}`,
            },
          },
          { field: 'id' },
        )
      process.stdout.write(library.source(summary.id, summary.version) ?? '')
    })

  policy
    .command('check')
    .description('Validate a policy file (or recovery terms file) and run its embedded examples')
    .argument('<file>', 'policy YAML file')
    .action(async (file: string) => {
      const text = readInput(file)
      // Every line of the report starts with the file's name, which must not reorder the line.
      const shownName = withControlsEscaped(file)
      // Recovery terms live beside the policies and are checked by their own feature.
      const terms = await import('../recoveries/index.ts')
      if (terms.isRecoveryTermsText(text)) {
        process.stdout.write(terms.checkRecoveryTermsFile(text, shownName, operatorLanguage()))
        return
      }
      const { checkPolicyFile } = await import('./check-policy-file.ts')
      const calendars = await definedCalendarsFor(text)
      process.stdout.write(checkPolicyFile(text, shownName, operatorLanguage(), calendars))
    })
}

/**
 * The calendars a policy file may name, as the server will judge it at start: the built-in
 * ones, and those stored in the configured database when the file names another. A database
 * not created yet holds none, and is not created to learn it.
 */
async function definedCalendarsFor(text: string): Promise<ReadonlySet<string> | undefined> {
  const { parsePolicyFile } = await import('./parse-policy-file.ts')
  const parsed = parsePolicyFile(text, '')
  // A file refused anyway is refused by the check, with every problem it has.
  if (!parsed.ok) return undefined
  const { BUILTIN_CALENDAR_IDS, definedCalendarIds } = await import('../sla/index.ts')
  if (BUILTIN_CALENDAR_IDS.has(parsed.document.calendar)) return undefined
  const { loadConfig } = await import('../shared/config.ts')
  const { databaseOptionsFromConfig, openDatabase } = await import('../db/database.ts')
  const options = databaseOptionsFromConfig(loadConfig())
  if (options.engine === 'sqlite' && !fs.existsSync(options.file)) return BUILTIN_CALENDAR_IDS
  const handle = openDatabase(options)
  try {
    return await definedCalendarIds(handle.db)
  } catch {
    // No calendars table yet (never migrated): only the built-in calendars are defined.
    return BUILTIN_CALENDAR_IDS
  } finally {
    await handle.close()
  }
}
