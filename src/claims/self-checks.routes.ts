import { z } from 'zod'
import type { HttpApp } from '../http/types.ts'
import { findUnitBySerial } from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { selfCheckListView, selfChecksForUnitView } from './claim.schemas.ts'
import {
  type SelfCheckList,
  selectSelfChecks,
  selfCheckListById,
  selfCheckListWithTranslations,
} from './domain/self-checks.ts'

const withTranslations = (list: SelfCheckList | undefined) =>
  list ? selfCheckListWithTranslations(list) : null

const TAGS = ['claims']

/** Guided self-checks: per product line from the unit a customer looked up, or one list by id. */
export async function selfCheckRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/v1/self-checks',
    {
      schema: {
        tags: TAGS,
        summary: 'The guided self-checks of the product line of one unit',
        description:
          'Looks the serial up and answers the checklist of its product line (brand and category from the catalogue), or `list: null` when the line has none.',
        querystring: z.object({ serial: z.string().trim().min(1).max(100) }),
        response: { 200: selfChecksForUnitView },
      },
    },
    async (request) => {
      const unit = await findUnitBySerial(ctx.db, request.query.serial)
      if (!unit)
        throw new AppError(
          'not-found',
          { key: 'claims.self-check.no-unit', params: { field: 'serial', serial: request.query.serial } },
          { field: 'serial' },
        )
      return {
        serial: unit.serial,
        model: unit.modelName,
        productLine: { brand: unit.brandName, category: unit.category },
        list: withTranslations(selectSelfChecks({ brandOrgId: unit.brandOrgId, category: unit.category })),
      }
    },
  )

  app.get(
    '/api/v1/self-checks/:key',
    {
      schema: {
        tags: TAGS,
        summary: 'One guided self-check list by its id',
        description: 'For links and for showing recorded answers with the checks they answer.',
        params: z.object({ key: z.string().min(1).max(200) }),
        response: { 200: selfCheckListView },
      },
    },
    async (request) => {
      const list = selfCheckListById(request.params.key)
      if (!list)
        throw new AppError(
          'not-found',
          { key: 'claims.self-check.no-list', params: { key: request.params.key } },
          { field: 'key' },
        )
      return selfCheckListWithTranslations(list)
    },
  )
}
