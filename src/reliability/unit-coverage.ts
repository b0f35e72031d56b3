import type { parsePolicyFile } from '../policies/index.ts'

type PolicyDocument = Extract<ReturnType<typeof parsePolicyFile>, { ok: true }>['document']
export type CoverageClause = Extract<PolicyDocument['clauses'][number], { kind: 'coverage' }>
type Condition = NonNullable<CoverageClause['when']>

/**
 * What the registry knows of a unit before any claim: its model's category, part kind and
 * brand relation, and the channel it was sold through. Everything else a condition may ask
 * (packaging, documents, inspection, the verdict so far) is only known when a claim is made.
 */
export interface UnitFacts {
  category: string
  part: string
  brand: string
  channel: string
}

/** A condition read against what a unit alone tells: it holds, it fails, or a claim must tell. */
type Known = 'holds' | 'fails' | 'unknown'

const known = (test: boolean): Known => (test ? 'holds' : 'fails')

function allOf(values: readonly Known[]): Known {
  if (values.includes('fails')) return 'fails'
  return values.includes('unknown') ? 'unknown' : 'holds'
}

function anyOf(values: readonly Known[]): Known {
  if (values.includes('holds')) return 'holds'
  return values.includes('unknown') ? 'unknown' : 'fails'
}

/**
 * A coverage condition for a malfunction claim on the unit. The problem is known (the report
 * ages units for malfunctions); a field that depends on the claim or its inspection leaves the
 * answer open unless another field already settles it.
 */
function readCondition(c: Condition, unit: UnitFacts): Known {
  const parts: Known[] = []
  for (const [field, value] of Object.entries(c) as Array<[keyof Condition, unknown]>) {
    if (value === undefined) continue
    switch (field) {
      case 'parts':
        parts.push(known((value as readonly string[]).includes(unit.part)))
        break
      case 'categories':
        parts.push(known((value as readonly string[]).includes(unit.category)))
        break
      case 'notCategories':
        parts.push(known(!(value as readonly string[]).includes(unit.category)))
        break
      case 'problems':
        parts.push(known((value as readonly string[]).includes('malfunction')))
        break
      case 'channel':
        parts.push(known(value === unit.channel))
        break
      case 'brand':
        parts.push(known(value === unit.brand))
        break
      case 'anyOf':
        parts.push(anyOf((value as readonly Condition[]).map((o) => readCondition(o, unit))))
        break
      default:
        parts.push('unknown')
    }
  }
  return allOf(parts)
}

/**
 * The coverage clause the policy engine would measure a malfunction claim on this unit by:
 * the first coverage clause whose `when` holds, as the engine takes it. A clause whose
 * condition a claim would have to settle (packaging, documents, inspection) is passed over,
 * since no unit can be placed under it before it claims. The answer is `null` when no clause
 * holds, or when the one that does serves no malfunctions: the engine then gives a
 * malfunction no warranty, so the unit has no warranty start to age from.
 */
export function coverageOfUnit(clauses: readonly CoverageClause[], unit: UnitFacts): CoverageClause | null {
  for (const clause of clauses) {
    if (clause.when !== undefined && readCondition(clause.when, unit) !== 'holds') continue
    return clause.problems.includes('malfunction') ? clause : null
  }
  return null
}
