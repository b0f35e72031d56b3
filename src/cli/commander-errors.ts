import {
  type MessageKey,
  type MessageLanguage,
  type MessageParams,
  translate,
} from '../shared/messages/translate.ts'
import { echoed } from '../shared/validate.ts'

/**
 * Commander's own refusals (unknown option, missing value, too many arguments, a word not
 * among the choices), said in the operator's language and with what they echo cut and
 * escaped as our own refusals are. Commander gives its errors as English text only, so
 * each is recognised by its wording; one not recognised passes as it is.
 */
interface CommanderWording {
  pattern: RegExp
  key: MessageKey
  params: (match: RegExpMatchArray) => MessageParams
}

const WORDINGS: readonly CommanderWording[] = [
  {
    pattern: /^error: unknown option '(.*)'/s,
    key: 'cli.unknown-option',
    params: ([, flag = '']) => ({ flag: echoed(flag) }),
  },
  {
    pattern: /^error: missing required argument '(.*)'$/s,
    key: 'cli.missing-argument',
    params: ([, argument = '']) => ({ argument }),
  },
  {
    pattern: /^error: option '(.*)' argument missing$/s,
    key: 'cli.option-missing-value',
    params: ([, flag = '']) => ({ flag }),
  },
  {
    pattern: /^error: required option '(.*)' not specified$/s,
    key: 'cli.required-option',
    params: ([, flag = '']) => ({ flag }),
  },
  {
    pattern: /^error: too many arguments for '(.*)'\. Expected (\d+) arguments? but got (\d+)\.$/s,
    key: 'cli.too-many-arguments',
    params: ([, command = '', expected = '', got = '']) => ({ command, expected, got }),
  },
  {
    pattern: /^error: unknown command '(.*)'/s,
    key: 'cli.unknown-command',
    params: ([, command = '']) => ({ command: echoed(command) }),
  },
  {
    pattern:
      /^error: command-argument value '(.*)' is invalid for argument '(.*)'\. Allowed choices are (.*)\.$/s,
    key: 'cli.argument-not-a-choice',
    params: ([, value = '', argument = '', values = '']) => ({ argument, values, value: echoed(value) }),
  },
  {
    pattern: /^error: option '(.*)' argument '(.*)' is invalid\. Allowed choices are (.*)\.$/s,
    key: 'cli.option-not-a-choice',
    params: ([, flag = '', value = '', values = '']) => ({ flag, values, value: echoed(value) }),
  },
]

const SUGGESTION = /\n?\(Did you mean (.*)\?\)$/s

/** A Commander error line (ending in a line break) as the operator reads it. */
export function commanderErrorIn(language: MessageLanguage, text: string): string {
  const body = text.replace(/\n$/, '')
  const suggestion = SUGGESTION.exec(body)
  const error = suggestion ? body.slice(0, suggestion.index) : body
  for (const wording of WORDINGS) {
    const match = wording.pattern.exec(error)
    if (!match) continue
    const line = translate(language, wording.key, wording.params(match))
    const hint = suggestion
      ? ` ${translate(language, 'cli.did-you-mean', { suggestion: suggestion[1] ?? '' })}`
      : ''
    return `${line}${hint}\n`
  }
  return text
}
