import type { AppContext } from '../app/context.ts'
import type { HttpApp } from '../http/types.ts'

/** HTTP routes of the policies feature. */
export async function policyRoutes(_app: HttpApp, _ctx: AppContext): Promise<void> {}
