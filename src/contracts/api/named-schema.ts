import { z } from 'zod'

/**
 * Names a response schema in the API document: routes answering with it refer to
 * `#/components/schemas/<id>`, described once. A module evaluated again (the web app's dev
 * reload) names a new instance under the same id; the registry refuses a repeated id, so
 * the stale instance gives it up first.
 */
export function nameSchema<T extends z.ZodType>(schema: T, meta: { id: string; description: string }): T {
  const holder = z.globalRegistry._idmap.get(meta.id)
  if (holder !== undefined && holder !== schema) z.globalRegistry.remove(holder)
  if (!z.globalRegistry.has(schema)) z.globalRegistry.add(schema, meta)
  return schema
}
