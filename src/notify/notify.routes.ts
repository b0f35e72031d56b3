import type { AppContext } from '../app/context.ts'
import type { HttpApp } from '../http/types.ts'

/** HTTP routes of the notify feature. */
export async function notifyRoutes(_app: HttpApp, _ctx: AppContext): Promise<void> {}
