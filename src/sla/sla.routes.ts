import type { AppContext } from '../app/context.ts'
import type { HttpApp } from '../http/types.ts'

/** HTTP routes of the sla feature. */
export async function slaRoutes(_app: HttpApp, _ctx: AppContext): Promise<void> {}
