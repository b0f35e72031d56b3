import type { AppContext } from '../app/context.ts'
import type { HttpApp } from '../http/types.ts'

/** HTTP routes of the reports feature. */
export async function reportRoutes(_app: HttpApp, _ctx: AppContext): Promise<void> {}
