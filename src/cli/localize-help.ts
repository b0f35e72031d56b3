import { type Argument, type Command, Help, type Option } from 'commander'
import type { MessageLanguage } from '../shared/messages/translate.ts'
import { HELP_ZH } from './help-zh.ts'

/** Commander's own words in its help: titles, the usage placeholders and what it adds to a description. */
const COMMANDER_ZH: Readonly<Record<string, string>> = {
  'Usage:': '用法：',
  'Options:': '选项：',
  'Commands:': '命令：',
  'Arguments:': '参数：',
  'Global Options:': '全局选项：',
}
const EXTRAS_ZH: readonly [RegExp, string][] = [
  [/\(default: (.*)\)$/, '（默认：$1）'],
  [/\(choices: (.*)\)$/, '（可选：$1）'],
]

const inZh = (text: string): string => HELP_ZH[text] ?? text

/** Han characters and full-width punctuation take two columns of a terminal; Commander counts one. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/gu

/** A copy of an option or argument with its description in Chinese, for Commander to add its extras to. */
function withDescription<T extends Option | Argument>(item: T): T {
  return Object.assign(Object.create(Object.getPrototypeOf(item) as object) as T, item, {
    description: inZh(item.description),
  })
}

function extrasInZh(text: string): string {
  return EXTRAS_ZH.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text)
}

/**
 * Help in the operator's language. Set on the program before its commands are added, so each
 * command inherits it; English is left as registered.
 */
export function localizeHelp(program: Command, language: MessageLanguage): void {
  if (language !== 'zh') return
  const base = new Help()
  program.configureHelp({
    displayWidth: (text) => base.displayWidth(text) + (text.match(WIDE)?.length ?? 0),
    styleTitle: (title) => COMMANDER_ZH[title] ?? title,
    styleUsage: (usage) => usage.replace('[options]', '[选项]').replace('[command]', '[命令]'),
    commandDescription: (cmd) => inZh(base.commandDescription(cmd)),
    subcommandDescription: (cmd) => inZh(base.subcommandDescription(cmd)),
    subcommandTerm: (cmd) =>
      base.subcommandTerm(cmd).replace('[options]', '[选项]').replace('[command]', '[命令]'),
    optionDescription: (option) => extrasInZh(base.optionDescription(withDescription(option))),
    argumentDescription: (argument) => extrasInZh(base.argumentDescription(withDescription(argument))),
  })
}
