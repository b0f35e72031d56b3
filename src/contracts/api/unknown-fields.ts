import { z } from 'zod'

/**
 * Inputs refuse fields they do not know. A misspelt field (`preferance`, `claimedOnReson`)
 * dropped without a word is a wish the client believes was recorded; refused, it is fixed at
 * once. Objects are written `z.object` throughout and the HTTP layer makes every request body
 * and query strict here, so a schema cannot forget it.
 */

type AnySchema = z.core.$ZodType
type Def = Record<string, unknown> & { type: string }

const KEEPS = new WeakSet<AnySchema>()
const STRICT = new WeakMap<AnySchema, AnySchema>()

/**
 * Leaves a schema's unknown fields as its own rules say (Zod drops them) where a contract
 * says other fields may come: the adjudication contract's case allows fields it does not name.
 */
export function keepsUnknownFields<T extends z.ZodType>(schema: T): T {
  KEEPS.add(schema)
  return schema
}

/**
 * The schema with every object in it refusing fields it does not name (`unrecognized_keys`),
 * however deep (an address in a body, a line of a quote). An object that says what to do with
 * other fields itself (`.loose()`, `.catchall()`) and a schema marked `keepsUnknownFields`
 * keep their own rule. The schema's checks, defaults and descriptions are kept.
 */
export function refusingUnknownFields<T extends AnySchema>(schema: T): T {
  return strict(schema) as T
}

function strict(schema: AnySchema): AnySchema {
  if (KEEPS.has(schema)) return schema
  const known = STRICT.get(schema)
  if (known) return known
  const def = schema._zod.def as unknown as Def
  const changed = strictDef(def)
  // A clone keeps the original as parent, so its description and examples still show in the API document.
  const result = changed === null ? schema : (schema as z.ZodType).clone(changed as never, { parent: true })
  STRICT.set(schema, result)
  return result
}

const each = (schemas: readonly AnySchema[]) => schemas.map(strict)
const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.every((item, i) => item === b[i])

/** The def with its parts made strict, or null when nothing in it changes. */
function strictDef(def: Def): Def | null {
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, AnySchema>
      const next = Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, strict(value)]))
      const catchall = (def.catchall as AnySchema | undefined) ?? z.never()
      if (def.catchall !== undefined && Object.keys(shape).every((key) => next[key] === shape[key]))
        return null
      return { ...def, shape: next, catchall }
    }
    case 'array': {
      const element = strict(def.element as AnySchema)
      return element === def.element ? null : { ...def, element }
    }
    case 'optional':
    case 'nullable':
    case 'nonoptional':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'success': {
      const innerType = strict(def.innerType as AnySchema)
      return innerType === def.innerType ? null : { ...def, innerType }
    }
    case 'union': {
      const options = def.options as AnySchema[]
      const next = each(options)
      return sameList(next, options) ? null : { ...def, options: next }
    }
    case 'record': {
      const valueType = strict(def.valueType as AnySchema)
      return valueType === def.valueType ? null : { ...def, valueType }
    }
    case 'tuple': {
      const items = def.items as AnySchema[]
      const next = each(items)
      const rest = def.rest ? strict(def.rest as AnySchema) : def.rest
      return sameList(next, items) && rest === def.rest ? null : { ...def, items: next, rest }
    }
    case 'pipe': {
      // `schema.transform(f)` reads the input with `in`; `z.preprocess(f, schema)` with `out`,
      // after `f`. What a transform makes from valid input is the schema's own business.
      const input = def.in as AnySchema
      const output = def.out as AnySchema
      if (input._zod.def.type === 'transform') {
        const out = strict(output)
        return out === output ? null : { ...def, out }
      }
      const inner = strict(input)
      return inner === input ? null : { ...def, in: inner }
    }
    case 'lazy': {
      const getter = def.getter as () => AnySchema
      return { ...def, getter: () => strict(getter()) }
    }
    default:
      // Intersections are left as they are: each side made strict would refuse the other's fields.
      return null
  }
}
