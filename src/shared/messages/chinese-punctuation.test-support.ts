/**
 * English punctuation inside Chinese text: a bracket, square bracket, comma, colon or semicolon
 * written in ASCII in a line that has Chinese, where the full-width （）［］，：； belong. What is
 * shown as written keeps its own: placeholders, times (09:00), grouped numbers (1,000),
 * addresses (https://…) and a terminal's progress bar drawn between ASCII brackets ([{bar}]).
 */
const HAN = /\p{Script=Han}/u
const AS_WRITTEN = /\[\{bar\}\]|\{\{?\w+\}?\}|\d[:,]\d|[a-z]+:\/\/\S+/g
const ASCII_PUNCTUATION = /[()[\],:;]/g

/** The ASCII ( ) [ ] , : ; a Chinese line carries outside what it shows as written; none in a line without Chinese. */
export function asciiPunctuationIn(text: string): string[] {
  if (!HAN.test(text)) return []
  return text.replace(AS_WRITTEN, ' ').match(ASCII_PUNCTUATION) ?? []
}

/** Every string of a catalogue, flat or nested, by its dotted key. */
export function catalogueStrings(catalogue: object, path = ''): [string, string][] {
  return Object.entries(catalogue).flatMap(([key, value]): [string, string][] => {
    const at = path ? `${path}.${key}` : key
    if (typeof value === 'string') return [[at, value]]
    return typeof value === 'object' && value !== null ? catalogueStrings(value, at) : []
  })
}
