import type { AppContext } from '../app/context.ts'
import type { HttpApp } from '../http/types.ts'

/** HTTP routes of the claims feature. */
export async function claimRoutes(_app: HttpApp, _ctx: AppContext): Promise<void> {}
