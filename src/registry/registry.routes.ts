import type { AppContext } from '../app/context.ts'
import type { HttpApp } from '../http/types.ts'

/** HTTP routes of the registry feature. */
export async function registryRoutes(_app: HttpApp, _ctx: AppContext): Promise<void> {}
