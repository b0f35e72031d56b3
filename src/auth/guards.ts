import type { FastifyRequest } from 'fastify'
import type {} from '../http/types.ts'
import { AppError } from '../shared/errors.ts'
import { type Actor, isStaff, type Role } from './actor.ts'
import { organisationInactive } from './organisation-standing.ts'

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor && request.inactiveOrg) throw organisationInactive(request.inactiveOrg)
  if (!request.actor) throw new AppError('unauthenticated', { key: 'auth.sign-in-first' })
  return request.actor
}

export function requireRole(request: FastifyRequest, roles: readonly Role[]): Actor {
  const actor = requireActor(request)
  if (!roles.includes(actor.role)) {
    throw new AppError('forbidden', { key: 'auth.roles-needed', params: { roles: roles.join(', ') } })
  }
  return actor
}

export function requireStaff(request: FastifyRequest): Actor {
  const actor = requireActor(request)
  if (!isStaff(actor)) throw new AppError('forbidden', { key: 'auth.staff-only' })
  return actor
}
