import type { AppContext } from '../app/context.ts'
import type { HttpApp } from '../http/types.ts'

/** HTTP routes of the files feature. */
export async function fileRoutes(_app: HttpApp, _ctx: AppContext): Promise<void> {}
