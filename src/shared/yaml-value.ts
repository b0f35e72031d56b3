import { type Document, Lexer } from 'yaml'

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

/**
 * How deep a configuration file (a policy, recovery terms) may nest collections in brackets
 * or on one line. The shipped ones nest four deep at most; the YAML reader recurses once per
 * level and, some ten thousand levels down, runs out of stack, and a few such files in one
 * process can abort it.
 */
export const MOST_YAML_NESTING = 100

/**
 * The line where the text first nests deeper than MOST_YAML_NESTING, read by the lexer, which
 * does not recurse; to be asked before the text is parsed.
 */
export function lineNestedTooDeep(text: string): number | undefined {
  let brackets = 0
  let onThisLine = 0
  let line = 1
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') brackets++
    else if (token === ']' || token === '}') brackets = Math.max(0, brackets - 1)
    // Sequences and complex keys nest on one line (`- - - x`); a colon never starts a deeper map there.
    else if (brackets === 0 && (token === '-' || token === '?')) onThisLine++
    if (brackets + onThisLine > MOST_YAML_NESTING) return line
    for (let at = token.indexOf('\n'); at !== -1; at = token.indexOf('\n', at + 1)) {
      line++
      onThisLine = 0
    }
  }
  return undefined
}

/** The YAML reader's codes its problems are worded by in the catalogue (`yaml-problem.*`); the rest are `other`. */
const YAML_PROBLEMS: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: 'duplicate-key',
  BAD_INDENT: 'bad-indent',
  TAB_AS_INDENT: 'tab-as-indent',
  MULTIPLE_DOCS: 'multiple-docs',
  BAD_ALIAS: 'bad-alias',
  UNEXPECTED_TOKEN: 'unexpected-token',
  MISSING_CHAR: 'missing-char',
  BLOCK_AS_IMPLICIT_KEY: 'implicit-key',
  MULTILINE_IMPLICIT_KEY: 'implicit-key',
  BAD_DQ_ESCAPE: 'bad-dq-escape',
  RESOURCE_EXHAUSTION: 'resource-exhaustion',
}

/** The `yaml-problem` word of a reader's error code. */
export const yamlProblemOf = (code: string | undefined): string => YAML_PROBLEMS[code ?? ''] ?? 'other'
