import type { AppContext } from '../app/context.ts'

/**
 * Stores every loaded policy version, so a unit's `policy_id@policy_version` can always be
 * shown with its text even after the YAML file changes. Existing rows keep their
 * `loaded_at`; only their text and dates are refreshed.
 */
export async function syncPolicyVersions(ctx: Pick<AppContext, 'db' | 'policies' | 'now'>): Promise<number> {
  const loadedAt = ctx.now().toISOString()
  let written = 0
  for (const summary of ctx.policies.list()) {
    const source = ctx.policies.source(summary.id, summary.version) ?? ''
    const result = await ctx.db
      .insertInto('policy_versions')
      .values({
        id: summary.id,
        version: summary.version,
        effective_from: summary.effectiveFrom,
        effective_to: summary.effectiveTo,
        title: summary.title,
        source,
        loaded_at: loadedAt,
      })
      .onConflict((oc) =>
        oc
          .columns(['id', 'version'])
          .doUpdateSet((eb) => ({
            effective_from: eb.ref('excluded.effective_from'),
            effective_to: eb.ref('excluded.effective_to'),
            title: eb.ref('excluded.title'),
            source: eb.ref('excluded.source'),
          }))
          .where((eb) =>
            eb.or([
              eb('policy_versions.source', '<>', eb.ref('excluded.source')),
              eb('policy_versions.title', '<>', eb.ref('excluded.title')),
              eb('policy_versions.effective_from', '<>', eb.ref('excluded.effective_from')),
              eb(
                eb.fn.coalesce('policy_versions.effective_to', eb.val('')),
                '<>',
                eb.fn.coalesce('excluded.effective_to', eb.val('')),
              ),
            ]),
          ),
      )
      .executeTakeFirst()
    written += Number(result.numInsertedOrUpdatedRows ?? 0)
  }
  return written
}
