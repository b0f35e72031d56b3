import path from 'node:path'
import { AppError } from '../shared/errors.ts'
import type { PolicyLibrary } from './policy-library.ts'

/** The policies that ship with the project. */
export const SHIPPED_POLICIES_DIR = path.resolve(import.meta.dirname, '../../policies')

/** Loads and compiles every policy file in the given folders. (Being built.) */
export function loadPolicyLibrary(_dirs: string[] = [SHIPPED_POLICIES_DIR]): PolicyLibrary {
  throw new AppError('internal', 'The policy engine is not built yet')
}
