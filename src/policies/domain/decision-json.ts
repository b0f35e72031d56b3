import type { Decision, TraceLine } from '../../contracts/decision.ts'

/**
 * JSON text of a decision, character for character what `JSON.stringify(decision)` gives,
 * for the batch path where serialising dominates. Most of a decision's text is its trace
 * (the policy's own words and their translations, ~9 KB); traces, payers, remedy lists, exclusions and
 * missing-evidence lists are frozen parts shared between decisions (see `compilePolicy`),
 * so the text of each frozen part is made once and reused. Unfrozen parts are serialised
 * every time, since they might change.
 */
const partText = new WeakMap<object, string>()

export function jsonOfPart(part: object): string {
  let text = partText.get(part)
  if (text === undefined) {
    text = JSON.stringify(part)
    if (Object.isFrozen(part)) partText.set(part, text)
  }
  return text
}

/** The text of a decision before its trace's: `{"policy":…,"trace":`. */
export function decisionHead(d: Decision): string {
  // Property order is the order `compilePolicy` creates them in, as JSON.stringify walks them.
  return `{"policy":${JSON.stringify(d.policy)},"provisional":${d.provisional},"covered":${d.covered},"basis":${JSON.stringify(d.basis)},"remedies":${jsonOfPart(d.remedies)},"warranty":${d.warranty === null ? 'null' : JSON.stringify(d.warranty)},"exclusions":${jsonOfPart(d.exclusions)},"missingEvidence":${jsonOfPart(d.missingEvidence)},"payers":${jsonOfPart(d.payers)},"handler":${JSON.stringify(d.handler)},"trace":`
}

/** The text of a decision after its trace's: the service mode and explanation, if any, and the closing brace. */
export const decisionTail = (d: Decision): string =>
  (d.service === undefined ? '' : `,"service":${JSON.stringify(d.service)}`) +
  (d.explanation === undefined
    ? '}'
    : `,"explanation":{"en":${JSON.stringify(d.explanation.en)},"zh":${JSON.stringify(d.explanation.zh)}}}`)

/**
 * A trace is shared and frozen when no line carries a fact of its own case; otherwise it
 * is this decision's array of the policy's frozen lines and a few of its own, and only
 * those few are serialised afresh.
 */
export function traceJson(trace: readonly TraceLine[]): string {
  if (Object.isFrozen(trace)) return jsonOfPart(trace)
  let text = '['
  for (let i = 0; i < trace.length; i++) {
    if (i > 0) text += ','
    text += jsonOfPart(trace[i]!)
  }
  return `${text}]`
}

export function stringifyDecision(d: Decision): string {
  return decisionHead(d) + traceJson(d.trace) + decisionTail(d)
}
