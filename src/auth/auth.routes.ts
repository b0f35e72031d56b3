import type { AppContext } from '../app/context.ts'
import type { HttpApp } from '../http/types.ts'

/** HTTP routes of the auth feature. */
export async function authRoutes(_app: HttpApp, _ctx: AppContext): Promise<void> {}
