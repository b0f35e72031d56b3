import { type CaseFacts, FINDING_BIT, type Verdict } from './case-facts.ts'
import type { Condition } from './policy-format.ts'

export type Predicate = (facts: CaseFacts, verdict: Verdict) => boolean

const always: Predicate = () => true

const allOf = (tests: Predicate[]): Predicate => {
  if (tests.length === 0) return always
  if (tests.length === 1) return tests[0]!
  if (tests.length === 2) {
    const [first, second] = tests as [Predicate, Predicate]
    return (f, v) => first(f, v) && second(f, v)
  }
  return (f, v) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(f, v)) return false
    return true
  }
}

/** Membership in a short list of values: a plain comparison for one or two. */
const isIn = <T>(values: readonly T[]): ((value: T) => boolean) => {
  if (values.length === 1) {
    const only = values[0]
    return (value) => value === only
  }
  if (values.length === 2) {
    const [a, b] = values
    return (value) => value === a || value === b
  }
  const set = new Set(values)
  return (value) => set.has(value)
}

/** Compiles a condition into one closure; every field given must hold. */
export function compileCondition(condition: Condition | undefined): Predicate {
  if (condition === undefined) return always
  const tests: Predicate[] = []
  const c = condition
  if (c.parts) {
    const has = isIn(c.parts)
    tests.push((f) => has(f.part))
  }
  if (c.categories) {
    const has = isIn<string | undefined>(c.categories)
    tests.push((f) => has(f.category))
  }
  if (c.notCategories) {
    const has = isIn<string | undefined>(c.notCategories)
    tests.push((f) => !has(f.category))
  }
  if (c.problems) {
    const has = isIn(c.problems)
    tests.push((f) => has(f.problem))
  }
  if (c.bases) {
    const has = isIn(c.bases)
    tests.push((_f, v) => has(v.basis))
  }
  if (c.firstRemedy) {
    const has = isIn(c.firstRemedy)
    tests.push((_f, v) => v.firstRemedy !== undefined && has(v.firstRemedy))
  }
  const { channel, brand, shippedBy, preference, handler } = c
  if (channel !== undefined) tests.push((f) => f.channel === channel)
  if (brand !== undefined) tests.push((f) => f.brand === brand)
  if (shippedBy !== undefined) tests.push((f) => f.shippedBy === shippedBy)
  if (preference !== undefined) tests.push((f) => f.preference === preference)
  if (handler !== undefined) tests.push((_f, v) => v.handler === handler)
  const flag = (value: boolean | undefined, read: (f: CaseFacts) => boolean): void => {
    if (value !== undefined) tests.push((f) => read(f) === value)
  }
  flag(c.packagingDamaged, (f) => f.packagingDamaged)
  flag(c.urgentFreight, (f) => f.urgentFreight)
  flag(c.proofOfPurchase, (f) => f.proofOfPurchase)
  flag(c.warrantyCard, (f) => f.warrantyCard)
  flag(c.secondHand, (f) => f.secondHand)
  flag(c.hasSerial, (f) => f.hasSerial)
  flag(c.inspected, (f) => f.inspected)
  flag(c.faultConfirmed, (f) => f.faultConfirmed)
  flag(c.manufacturingDefect, (f) => f.manufacturingDefect)
  if (c.findings) {
    let mask = 0
    for (const finding of c.findings) mask |= FINDING_BIT[finding]
    tests.push((f) => (f.findings & mask) !== 0)
  }
  const { inWarranty, withinWindow, covered } = c
  if (inWarranty !== undefined) tests.push((_f, v) => v.inWarranty === inWarranty)
  if (withinWindow !== undefined) tests.push((_f, v) => v.withinWindow === withinWindow)
  if (covered !== undefined) tests.push((_f, v) => v.covered === covered)
  if (c.yearsBeyondWarranty) {
    const from = c.yearsBeyondWarranty.from
    const to = c.yearsBeyondWarranty.to ?? Number.POSITIVE_INFINITY
    tests.push((_f, v) => v.yearsBeyond >= from && v.yearsBeyond <= to)
  }
  if (c.anyOf) {
    const options = c.anyOf.map(compileCondition)
    tests.push((f, v) => {
      for (let i = 0; i < options.length; i++) if (options[i]!(f, v)) return true
      return false
    })
  }
  return allOf(tests)
}
