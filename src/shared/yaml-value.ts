import type { Document } from 'yaml'

/**
 * The plain value of a parsed YAML document, or why it has none. Turning aliases into values
 * can multiply a small text into billions of nodes (an "alias bomb"); the YAML library stops
 * past a budget of alias expansions by throwing, which is a fault of the text, not of ours.
 */
export function plainValueOf(doc: Document): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: doc.toJS() }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}
