import { requireActor } from '../auth/index.ts'
import { nextCursor, splitCursor } from '../contracts/api/page.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { errorResponse, serialParams } from './registry.schemas.ts'
import {
  acceptUnitProofBody,
  refuseUnitProofBody,
  unitProofQueueQuery,
  unitProofQueueResponse,
  unitProofVerdict,
} from './unit-proof.schemas.ts'
import { listUnitProofQueue, requireProofWeigher, weighUnitProof } from './weigh-unit-proof.ts'

const TAGS = ['units']
const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
}

/** The staff's queue of proofs of purchase customers filed with their own registrations. */
export async function unitProofRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/v1/unit-proofs',
    {
      schema: {
        tags: TAGS,
        summary: 'Proofs of purchase customers filed with their own registrations, waiting for staff',
        querystring: unitProofQueueQuery,
        response: { 200: unitProofQueueResponse, ...errors },
      },
    },
    async (request) => {
      requireProofWeigher(requireActor(request))
      const { limit, order, cursor } = request.query
      const rows = await listUnitProofQueue(ctx.db, {
        limit,
        order,
        after: cursor === undefined ? undefined : splitCursor(cursor),
      })
      return { items: rows.map((row) => row.item), next: nextCursor(rows, limit, (row) => row.key) }
    },
  )

  app.post(
    '/api/v1/units/:serial/purchase-proof/accept',
    {
      schema: {
        tags: TAGS,
        summary:
          "Accept the proof of purchase a customer filed with their registration: the unit's purchase is proven",
        params: serialParams,
        body: acceptUnitProofBody,
        response: { 200: unitProofVerdict, ...errors },
      },
    },
    async (request) =>
      weighUnitProof(
        ctx,
        requireActor(request),
        request.params.serial,
        { status: 'accepted' },
        request.body.fileId,
      ),
  )

  app.post(
    '/api/v1/units/:serial/purchase-proof/refuse',
    {
      schema: {
        tags: TAGS,
        summary: 'Refuse the proof of purchase a customer filed with their registration, saying why',
        params: serialParams,
        body: refuseUnitProofBody,
        response: { 200: unitProofVerdict, ...errors },
      },
    },
    async (request) =>
      weighUnitProof(
        ctx,
        requireActor(request),
        request.params.serial,
        { status: 'refused', reason: request.body.reason },
        request.body.fileId,
      ),
  )
}
